/* op_ticket.h - the ticket ops: reads (ticket.get, ticket.list, ticket.history) and writes.
 *
 * Handlers of proto/ops.def (the contracts of sd_api_read_fn and sd_api_write_fn, dispatch.h);
 * the ticket writes are built by the workflow (node/desk/workflow.h). */
#ifndef SD_OP_TICKET_H
#define SD_OP_TICKET_H

#include "dispatch.h"

/* The ticket card (with OWN scope, a requester's view: public replies only). SD_ENOTFOUND (fault
 * set) for an unknown id; the store's errors. */
int sd_api_ticket_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);

/* {tickets, more}: a page of the queue with the request's filters (with OWN scope, the
 * caller's own tickets only). Errors:
 * the store's, SD_ENOMEM. */
int sd_api_ticket_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);

/* {events, changes}: every event of the ticket, in clock order, and beside each event (same
 * index) nil or, for an update, {from: {field: value}, to: {field: value}} of the fields it
 * changed. With OWN scope (a requester) internal notes are left out. SD_ENOTFOUND (fault set)
 * for an unknown id; the store's errors, SD_ENOMEM. */
int sd_api_ticket_history(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                          sd_fault_t *fault);

/* Writes the success reply to request id whose result is ticket t as a caller with scope sees
 * it: with SD_SCOPE_OWN (a requester) without internal notes. t is left as it was. */
void sd_api_ticket_reply(sd_mp_writer_t *w, uint64_t id, sd_ticket_t *t, int scope);

/* Encodes ticket t (one object, no envelope) as a caller with scope sees it: the view of
 * sd_api_ticket_reply. t is left as it was. */
void sd_api_ticket_view(sd_mp_writer_t *w, sd_ticket_t *t, int scope);

/* {open, tickets, by_site, by_priority, by_sla, by_status}: the counts of tickets for
 * dashboards (PROTOCOL.md section 4). Errors: the store's, SD_ENOMEM. */
int sd_api_ticket_counts(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                         sd_fault_t *fault);

/* Every ticket write (ticket.new, ticket.ack, ...): the workflow's event for ticket cur. A
 * bad_transition also writes the verbs allowed in cur's status into ctx->allowed. */
int sd_api_ticket_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                        sd_event_t *ev, sd_fault_t *fault);

#endif
