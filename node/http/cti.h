/* cti.h - computer-telephony integration: a PBX's call events at POST /api/v1/cti/events.
 *
 * The body is the common generic CTI event shape, one JSON object per event:
 *   {"event": "newCall" | "answer" | "hangup", "callId": "...", "from": "+86 21 5555 0101",
 *    "to": "8001", "direction": "in" | "out", "user": "li.wei"}
 * (callId required, 1..128 bytes; from and to as the PBX writes them, at most 128 bytes; from
 * required on newCall; direction "in" by default; user, the login of the agent whose phone it
 * is, optional; other keys are ignored, as PBXs add their own). The caller is authenticated like
 * any API call: the Bearer token of the telephony integration (an agent, or a user made for it,
 * with the agent role).
 *
 * - newCall: the customer is looked up by the caller's number (`to` for an outgoing call) with
 *   customer.lookup {phone}; a contact is recorded (contact.new: channel call, the direction,
 *   call_id, from, to, agent = user, customer = the customer's id or none, outcome "ringing");
 *   then a `call` event goes over the live stream (events.h) to user's streams, or to every agent
 *   of the site when no user is given: {call_id, contact, from, to, direction, user, customer}
 *   with customer the lookup card ({customer, assets, open_tickets, past_tickets, contacts}) or
 *   null for an unknown caller. Answer 201: {contact: the contact, customer: card or null}.
 * - answer: the call's contact (found by contact.list {call_id}) gets outcome "answered"
 *   (answered_at); hangup: "ended", or "missed" when it was never answered (ended_at, duration
 *   in seconds). Answer 200: {contact}. A callId without a contact: 404 not_found.
 * Every refusal is a problem (problem.h): 422 with a pointer to the field (`#/callId`) for a
 * missing or bad field, and the node's own refusals (401, 403, 409 for a newCall whose callId
 * is recorded already). */
#ifndef SD_CTI_H
#define SD_CTI_H

#include "events.h"
#include "routes.h"

/* Answers POST /api/v1/cti/events for caller; pop-ups go out through streams. */
void sd_cti_serve(sd_streams_t *streams, const sd_http_caller_t *caller);

#endif
