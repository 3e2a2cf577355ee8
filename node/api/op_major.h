/* op_major.h - the major-incident contact list: major.new, major.update, major.list (major.get
 * is the generic sd_api_record_get) and ticket.declare_major.
 *
 * Handlers of proto/ops.def (the contracts of sd_api_read_fn and sd_api_write_fn, dispatch.h).
 * Declaring a major incident delivers nothing yet (the channels issue will): it records on the
 * ticket, in the same event that sets `major`, whom the rules say to notify (`major_notify`),
 * so every site's agents and `sundesk ticket declare-major` show it. */
#ifndef SD_OP_MAJOR_H
#define SD_OP_MAJOR_H

#include "dispatch.h"

/* major.new (id a login-like name, notify required; category and site default to "*") and
 * major.update. SD_ENOTFOUND, SD_EDUPLICATE, SD_ERANGE (a bad name or site), SD_EMISSING (an
 * update with nothing to change), SD_ENOMEM. */
int sd_api_major_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                       sd_event_t *ev, sd_fault_t *fault);

/* {majors, more}: rules in name order, filtered by category and site (exact). */
int sd_api_major_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);

/* ticket.declare_major: an `update` event of the ticket's type register with major true,
 * major_notify the union of the notify lists of every rule matching the ticket's category and
 * owner site (nil when none matches), major_note the request's note. SD_ENOTFOUND (no such
 * ticket), SD_ETRANSITION (the ticket is resolved, closed or cancelled), SD_ETOOBIG (the list
 * is over 8192 bytes), the store's errors, SD_ENOMEM. */
int sd_api_ticket_declare_major(const sd_api_write_ctx_t *ctx, const void *cur,
                                const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault);

#endif
