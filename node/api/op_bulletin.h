/* op_bulletin.h - the bulletin ops (proto/bulletin.h): new, update, get, list, withdraw.
 *
 * Handlers of proto/ops.def (the contracts of sd_api_read_fn and sd_api_write_fn, dispatch.h).
 * A read shows each bulletin with `current`, judged for the caller at the node's clock
 * (ctx->now_ms: the schedule's clock, which tests set by hand) and the caller's site (their
 * home site, else the node's), and with the status of its major incident as this node holds it.
 * A requester (scope own) sees only the bulletins current for them; any other is not_found. */
#ifndef SD_OP_BULLETIN_H
#define SD_OP_BULLETIN_H

#include "bulletin.h"
#include "dispatch.h"

/* bulletin.new, .update, .withdraw. SD_ENOTFOUND (no such bulletin, or major names no
 * ticket), SD_EINVAL (major names a ticket that is not a major incident), SD_ERANGE (a bad
 * site id, valid_until not after valid_from), SD_ETRANSITION (withdraw of a withdrawn one),
 * SD_EMISSING (an update with nothing), SD_ENOMEM. */
int sd_api_bulletin_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                          sd_event_t *ev, sd_fault_t *fault);

/* The bulletin with current. SD_ENOTFOUND. */
int sd_api_bulletin_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault);

/* {bulletins, more}: in id order, each with current; with current true (always for a
 * requester) only the current ones. */
int sd_api_bulletin_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                         sd_fault_t *fault);

/* Sets b->current (and b->judged) for a reader at site at now_ms: whether b's major incident is
 * over is read in txn. Returns 0 or the store's errors. */
int sd_api_bulletin_judge(sd_store_txn_t *txn, sd_bulletin_t *b, uint64_t now_ms, const char *site);

#endif
