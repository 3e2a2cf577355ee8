/* op_message.h - the intake of inbound messages (mail.ingest, chat.ingest), held messages
 * (message.release, message.discard), their reads (message.get, message.list) and the node's
 * local blobs (blob.put, blob.join, blob.get). proto/MAIL.md has the rules.
 *
 * Handlers of proto/ops.def (the contracts of sd_api_read_fn and sd_api_write_fn, dispatch.h).
 * An intake op changes two records in one request: it appends the ticket's event (made by the
 * ticket ops' own builders: ticket.new, ticket.reopen, ticket.comment) and then the message's
 * to ctx->batch itself, after every check, writes the reply {message: the record} and returns
 * SD_API_NO_EVENT. The same message again (its id exists) answers the same and writes
 * nothing. */
#ifndef SD_OP_MESSAGE_H
#define SD_OP_MESSAGE_H

#include "dispatch.h"

/* mail.ingest: one e-mail whose raw form and attachments are blobs here already. Threads it
 * (In-Reply-To, References, a [TICKET] subject tag from a known sender), opens a ticket, holds
 * it (mail/unknown_sender = hold), ignores it (auto, list) or notes a bounce. SD_EINVAL (an id
 * that is not the Message-ID's, a bad address), SD_ENOTFOUND (a blob not here), the
 * workflow's errors. */
int sd_api_mail_ingest(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                       sd_event_t *ev, sd_fault_t *fault);

/* chat.ingest: one chat message; continues the open ticket of its conversation or opens one. */
int sd_api_chat_ingest(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                       sd_event_t *ev, sd_fault_t *fault);

/* message.release (a held or ignored message opens its ticket) and message.discard (state
 * discarded). SD_ENOTFOUND, SD_ETRANSITION (not held or ignored). */
int sd_api_message_route(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                         sd_event_t *ev, sd_fault_t *fault);

/* message.get: the record. SD_ENOTFOUND. */
int sd_api_message_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);

/* message.list {messages, more}: by ticket (oldest first), held ones, or all in id order;
 * filtered by state and channel. SD_ERANGE (limit over SD_LIST_MAX). */
int sd_api_message_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault);

/* blob.put {blob, size}, blob.join {blob, size} (SD_ENOTFOUND naming the missing part). */
int sd_api_blob_put(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                    sd_event_t *ev, sd_fault_t *fault);
int sd_api_blob_join(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                     sd_event_t *ev, sd_fault_t *fault);

/* blob.get {data, size, type}: at most limit bytes from offset. SD_ENOTFOUND (the detail names
 * the site whose node took the message that holds it, when known), SD_ERANGE. */
int sd_api_blob_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                    sd_fault_t *fault);

#endif
