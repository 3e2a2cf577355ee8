/* op_article.h - the knowledge base ops (proto/article.h): new, update, get, list, version,
 * diff, publish, retire, link, helpful.
 *
 * Handlers of proto/ops.def (the contracts of sd_api_read_fn and sd_api_write_fn, dispatch.h).
 * A caller with scope own (a requester) sees only published public articles: any other is
 * answered not_found, as if it did not exist, so a draft's or an internal article's existence
 * does not leak. */
#ifndef SD_OP_ARTICLE_H
#define SD_OP_ARTICLE_H

#include "article.h"
#include "dispatch.h"

/* article.new, .update (a version event), .publish, .retire, .link, .helpful. SD_ENOTFOUND (no
 * such article, or hidden from the caller; link: no such ticket), SD_ETRANSITION (publish or
 * retire from a state that does not allow it; ctx->allowed gets the verbs that are),
 * SD_ERANGE (base_version beyond the current version), SD_ETOOBIG (SD_ARTICLE_VERSIONS_MAX
 * versions already), SD_EMISSING (an update with nothing), SD_ENOMEM. */
int sd_api_article_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                         sd_event_t *ev, sd_fault_t *fault);

/* The article with versions [{version, at, by, title}], solved, helpful and tickets (the ids of
 * the tickets linked to it or resolved with it; none shown to a requester). SD_ENOTFOUND. */
int sd_api_article_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);

/* {articles, more}: in id order, filtered by state, category, language, audience. */
int sd_api_article_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault);

/* {id, version, at, by, title, body, category, keywords, language, audience, base_version}: one
 * version's whole text. SD_ENOTFOUND (no such article or version). */
int sd_api_article_version(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                           sd_fault_t *fault);

/* {id, from, to, from_title, to_title, diff}: the unified line diff (proto/textdiff.h) of the
 * bodies of versions from and to ("" when equal); to defaults to the current version, from to
 * the one before to. SD_ENOTFOUND, SD_ETOOBIG (a body over the
 * text limit). */
int sd_api_article_diff(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault);

/* True when a caller with scope sees article a: anyone but a requester (scope own) sees every
 * article; a requester only published public ones. For the other readers of articles (search). */
bool sd_api_article_visible(const sd_article_t *a, int scope);

/* Reads article id (existing, and visible to scope) into *a (zeroed; clear it with
 * sd_record_clear). Returns 0, SD_ENOTFOUND (fault set), the store's errors. */
int sd_api_article_read(sd_store_txn_t *txn, const char *id, int scope, sd_article_t *a,
                        sd_fault_t *fault);

#endif
