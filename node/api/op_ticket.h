/* op_ticket.h - the ticket read ops: ticket.get, ticket.list, ticket.history.
 *
 * Read handlers of proto/ops.def (the contract of sd_api_read_fn,
 * dispatch.h); the ticket writes are built by sd_workflow_build. */
#ifndef SD_OP_TICKET_H
#define SD_OP_TICKET_H

#include "dispatch.h"

/* The ticket card. SD_ENOTFOUND (fault set) for an unknown id; the store's errors. */
int sd_api_ticket_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);

/* {tickets, more}: a page of the queue with the request's filters. Errors:
 * the store's, SD_ENOMEM. */
int sd_api_ticket_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);

/* {events}: every event of the ticket. SD_ENOTFOUND (fault set) for an
 * unknown id; the store's errors, SD_ENOMEM. */
int sd_api_ticket_history(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                          sd_fault_t *fault);

/* Writes the success reply to request id whose result is ticket t (w is
 * reset first): the answer of ticket.get and of every ticket write. */
void sd_api_reply_ticket(sd_mp_writer_t *w, uint64_t id, const sd_ticket_t *t);

#endif
