/* dispatch.h - the handler of each client operation, in a table built from proto/ops.def.
 *
 * proto/ops.def names each op's handler; dispatch.c expands it into a table,
 * so an op without a handler (an undeclared name) or with one of the wrong
 * kind (a read handler for a WRITE op) does not compile. The server calls
 * handlers only through sd_api_read and sd_api_write: it has no per-op code.
 *
 * Read handlers run in the batch's read transaction after the commit; they
 * write the whole success reply (sd_reply_ok_begin and the result) into w,
 * or return an error with the fault set (when the fault is left unset the
 * server answers with the error's text) and w unspecified.
 * Write handlers build the op's event inside the batch's write transaction
 * (the contract of sd_workflow_build, node/desk/workflow.h); the server
 * stamps, applies and answers it. */
#ifndef SD_DISPATCH_H
#define SD_DISPATCH_H

#include "authn.h"
#include "config.h"
#include "event.h"
#include "journal.h"
#include "metrics.h"
#include "replica.h"
#include "request.h"
#include "store.h"
#include "workflow.h"

#include <stdint.h>

/* What a read handler may use. Everything is borrowed for the call. */
typedef struct {
    const sd_config_t *cfg;       /* the node's configuration */
    sd_store_t *store;            /* the store, for its size */
    sd_store_txn_t *txn;          /* the batch's read transaction */
    sd_replica_t *replica;        /* replication, or NULL when not configured */
    const sd_node_stats_t *stats; /* who the node is and its counters; store figures unset */
    uint64_t now_ms;              /* the node's clock (schedule.h), Unix ms */
    const sd_principal_t *who;    /* who asks (authn.h); checked against the table already */
    int scope;                    /* sd_scope_t granted: OWN narrows lists and hides notes */
    sd_auth_t *auth;              /* sessions and the password guard (auth.login) */
} sd_api_ctx_t;

/* What a write handler may use. Everything is borrowed for the call. */
typedef struct {
    const sd_workflow_ctx_t *wf; /* site, policy, calendars, clock and the author */
    const sd_principal_t *who;   /* who asks (the author) */
    int scope;                   /* sd_scope_t granted */
    sd_auth_t *auth;             /* the password guard (user.password) */
    char *shown_once;            /* token.new writes the new token here: shown once, in the reply */
    size_t shown_cap;            /* its size */
    char *allowed; /* a ticket's bad_transition: the verbs its status allows ("a, b"), or NULL */
    size_t allowed_cap;        /* its size */
    sd_store_txn_t *txn;       /* the batch's write transaction, for reads a rule needs (a customer,
                                  the major rules) */
    sd_journal_batch_t *batch; /* the batch itself: an op whose one request must change two
                                  records (mail.ingest opens a ticket and records the message)
                                  appends the other record's event here with sd_journal_append,
                                  after every check, so a refusal leaves nothing; both commit
                                  together */
    sd_mp_writer_t *reply;     /* the request's reply, for a handler that returns
                                  SD_API_NO_EVENT */
    const sd_config_t *cfg;    /* the node's configuration (mail.ingest: mail/unknown_sender);
                                  NULL: the defaults */
} sd_api_write_ctx_t;

/* What a write handler returns when the op writes only the node's local tables in ctx->txn (a
 * blob chunk: blob.put) and makes no event: it has written the whole success reply into
 * ctx->reply (resetting it first; a batch redone after a map growth runs it again), which goes
 * out after the commit like every write's. */
#define SD_API_NO_EVENT 1

/* A read op: writes the reply for req into w. Returns 0 or an SD_E* code. */
typedef int (*sd_api_read_fn)(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                              sd_fault_t *fault);

/* A write op: builds the event of req on cur, the record of the op's kind its id names (NULL
 * when there is none, and for CREATE ops). */
typedef int (*sd_api_write_fn)(const sd_api_write_ctx_t *ctx, const void *cur,
                               const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault);

/* Runs the read handler of req->op. Returns what it returns, or
 * SD_EUNKNOWN_OP when req->op is no read op. */
int sd_api_read(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                sd_fault_t *fault);

/* Runs the write handler of req->op. Returns what it returns, or
 * SD_EUNKNOWN_OP (fault set) when req->op is no write op. */
int sd_api_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                 sd_event_t *ev, sd_fault_t *fault);

/* Writes the success reply to request id whose result is {name: [the count items encoded in
 * items], "more": *more} ("more" left out when more is NULL): the answer of every list. Returns
 * 0, or SD_ENOMEM (w untouched) when encoding the items failed. */
int sd_api_reply_items(sd_mp_writer_t *w, uint64_t id, const char *name,
                       const sd_mp_writer_t *items, uint32_t count, const bool *more);

/* Writes the success reply to request id whose result is record (of kind k; w is reset
 * first): the answer of every write, and of a record's get. */
void sd_api_reply_record(sd_mp_writer_t *w, uint64_t id, const sd_kind_t *k, const void *record);

/* The reply to a write whose record is now `record` (of kind k), as the writer may see it: a
 * ticket without internal notes for SD_SCOPE_OWN; with shown_once non-empty (token.new), the
 * record and "token": shown_once. */
void sd_api_reply_written(sd_mp_writer_t *w, uint64_t id, const sd_kind_t *k, void *record,
                          int scope, const char *shown_once);

/* Encodes record (of kind k; one object, no envelope) exactly as its get shows it to a caller
 * with scope: a ticket without internal notes for SD_SCOPE_OWN. The view of every get and of
 * every write's reply (but token.new's secret). record is left as it was. */
void sd_api_record_view(sd_mp_writer_t *w, const sd_kind_t *k, void *record, int scope);

/* The success reply to request id whose result is sd_api_record_view (w is reset first). */
void sd_api_reply_view(sd_mp_writer_t *w, uint64_t id, const sd_kind_t *k, void *record, int scope);

/* The version of record as a caller with scope sees it (what an HTTP ETag shows): its view
 * (sd_api_record_view) parsed and versioned by sd_mp_node_version (proto/digest.h), so a
 * client that versions a reply's result gets the same. hex gets 33 bytes. Returns 0,
 * SD_ENOMEM. */
int sd_api_record_version(const sd_kind_t *k, void *record, int scope,
                          char hex[SD_VERSION_HEX + 1]);

/* The scope with which who sees record (of kind k) through its get (the view of
 * sd_api_record_view): what the permission table grants who for "KIND.get" on it; `scope`
 * (the scope of the request at hand) when the kind has no get or the table grants none. A
 * caller who is both requester and agent writes their own ticket with scope own but reads it
 * whole: its version and the write's reply follow the read. */
int sd_api_view_scope(const sd_principal_t *who, const sd_kind_t *k, const void *record,
                      const char *site, int scope);

/* The if_match of a write (PROTOCOL.md section 2) against record (of kind k, id `id`) as the
 * caller with scope sees it now. Returns 0 (equal, or no if_match), SD_EPRECONDITION (fault
 * set), SD_ENOMEM. */
int sd_api_check_version(const sd_kind_t *k, void *record, int scope, const char *id,
                         const char *if_match, sd_fault_t *fault);

/* The idempotency_key of a CREATE request (PROTOCOL.md section 2), before it writes: when login
 * used the key before for the same op, writes into w the reply a get of that record gives it now
 * (sd_api_view_scope of who at this node's site) and returns 1 (nothing is to be written); 0 when
 * the key is new (or none); SD_EDUPLICATE (fault set) when the key was used for another op; the
 * store's errors. */
int sd_api_idempotent_replay(sd_store_txn_t *txn, const sd_request_t *req,
                             const sd_principal_t *who, const char *site, int scope,
                             sd_mp_writer_t *w, sd_fault_t *fault);

/* Records that login's request req (a CREATE with an idempotency_key) made record id, in the
 * write transaction of its event. 0 (also without a key) or the store's errors. */
int sd_api_idempotent_made(sd_store_txn_t *txn, const sd_request_t *req, const char *login,
                           const char *id);

/* sd_api_reply_record with one more pair, key: value (a string), after the record's own. */
void sd_api_reply_record_with(sd_mp_writer_t *w, uint64_t id, const sd_kind_t *k,
                              const void *record, const char *key, const char *value);

/* The generic get of a record of the op's kind by its "id" argument (user.get, team.get).
 * SD_ENOTFOUND (fault set) for an unknown id; the store's errors. */
int sd_api_record_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);

/* ---- for handlers ---------------------------------------------------------------------- */

/* Marks register reg of the event's kind written, starting from cur's values (an event writes
 * every field of a register it touches); cur NULL: from zero. Returns 0 or SD_ENOMEM. */
int sd_api_take(sd_event_t *ev, const void *cur, int reg);

/* The end of a write handler whose event is built (rc 0) or refused (rc): on success the author
 * is ctx's; SD_ENOMEM gets its fault; on any error ev is cleared. Returns rc. */
int sd_api_write_end(const sd_api_write_ctx_t *ctx, sd_event_t *ev, int rc, sd_fault_t *fault);

/* Replaces *slot with a copy of value (NULL and "" both clear it). 0 or SD_ENOMEM. */
int sd_api_set_str(char **slot, const char *value);

/* A page of a list being answered, as a filter of sd_api_page sees it. */
typedef struct {
    const sd_request_t *req; /* the list request (its filters) */
    const sd_api_ctx_t *ctx; /* who asks, with what scope */
    const sd_kind_t *kind;   /* the records' kind */
    sd_mp_writer_t *items;   /* the records shown so far, encoded */
    uint32_t count;          /* how many */
    int limit;               /* most to show */
    bool more;               /* a record was left */
} sd_api_page_t;

/* Walks the records of k after id `after` (NULL: from the first), keeps those keep() accepts,
 * at most limit (<= 0: 100), and answers {name: [...], more}. Returns 0, the store's errors,
 * SD_ENOMEM. */
int sd_api_page(const sd_api_ctx_t *ctx, const sd_request_t *req, const sd_kind_t *k,
                const char *name, const char *after, int limit,
                bool (*keep)(const sd_api_page_t *p, const void *record), sd_mp_writer_t *w);

#endif
