/* store.h - the node's LMDB store: event log, applied vector, records of every kind, indexes.
 *
 * One LMDB environment per node (DESIGN 2.2) with these databases (schema 3):
 *   events    (origin, seq)                   -> event, msgpack as on the wire
 *   vector    origin                          -> highest seq applied (big-endian u64)
 *   meta      name                            -> value (site, schema, id counters, clock,
 *                                                 index counters "<kind>.<counter>")
 *   records   kind, id                        -> record (sd_record_encode, with stamps)
 *   timeline  kind, id, hlc, origin, seq      -> ""   (a record's events in clock order)
 *   indexes   kind, index name, key parts     -> ""   (what each kind's index hook declares:
 *                                                 for tickets "queue", "requester",
 *                                                 "assignee" and "handovers"; users "unix",
 *                                                 tokens "hash")
 *   denials   (ms, n)                         -> a refusal of this node (node/auth/audit.h):
 *                                                 local, never replicated, not in the digest
 *   idempotency  login, key                   -> kind NUL id NUL op NUL: the record a create
 *                                                 with that idempotency_key made (local,
 *                                                 never replicated, not in the digest; kept
 *                                                 as long as the store)
 *   blobs     blob id                         -> bytes of a mail's raw form, attachments
 *                                                 (blob_store.c, message_store.h): local,
 *                                                 never replicated, not in the digest
 * The store knows no kind: the descriptor (proto/kind.h) says how to fold an event into its
 * record and which index entries and counters a record or an event has. An event, the vector,
 * the record, its timeline and index entries change in one write transaction, so a crash never
 * leaves them out of step. A store of schema 2 (tickets in tables of their own) is upgraded on
 * open by replaying its event log into these tables (one transaction, one log line). Meta
 * "layout" holds each kind's register count of the build that last wrote the records: a store
 * opened by a build whose kinds have gained registers re-encodes its records once (same content,
 * the new stamps unwritten), so that its digest is the one of a store that folded the same
 * events anew. Commits are
 * durable (no MDB_NOSYNC / MDB_NOMETASYNC): when sd_store_commit returns 0 the data is on disk. A
 * full map is reported as SD_EMAPFULL; the caller aborts, calls sd_store_grow and redoes the
 * transaction.
 *
 * Threads: one writer; sd_store_read_* may run in the same thread only
 * (the node serves everything from one thread, see server.h). */
#ifndef SD_STORE_H
#define SD_STORE_H

#include "digest.h"
#include "event.h"
#include "kind.h"
#include "ticket.h"
#include "vector.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sd_store sd_store_t;
typedef struct sd_store_txn sd_store_txn_t;

/* Opens (creating if needed) the store in directory dir for site `site`.
 * Clears stale reader slots (mdb_reader_check). A store made for another
 * site is refused. Returns 0 and *store, or SD_ECONFIG (site mismatch),
 * SD_ECORRUPT (not a sundesk store / unknown schema / a data.mdb that is empty, cut short or
 * damaged, found by store_check.h before it is mapped and logged), SD_EIO, SD_ENOMEM. */
int sd_store_open(const char *dir, const char *site, sd_store_t **store);

/* Closes the store and sets *store to NULL; NULL-safe. No transaction may be
 * open. */
void sd_store_close(sd_store_t **store);

/* The site id the store belongs to; borrowed, lives as long as the store. */
const char *sd_store_site(const sd_store_t *store);

/* The data directory the store was opened in; borrowed, lives as long as the store. */
const char *sd_store_dir(const sd_store_t *store);

/* Current map size in bytes and bytes in use. */
void sd_store_usage(const sd_store_t *store, uint64_t *map_bytes, uint64_t *used_bytes);

/* Doubles the map size. No transaction may be open. Returns 0, SD_EFULL
 * when the map cannot grow further, SD_ESTORE. */
int sd_store_grow(sd_store_t *store);

/* Begins a write (write = true) or read transaction. Returns 0 and *txn, or
 * SD_ESTORE / SD_EFULL / SD_ENOMEM. */
int sd_store_begin(sd_store_t *store, bool write, sd_store_txn_t **txn);

/* Begins a read transaction for a thread other than the writer's (the search indexer): it
 * holds the store's map steady (sd_store_grow waits until it ends), so keep it short. Ended by
 * sd_store_abort or sd_store_commit like any other. Returns as sd_store_begin. */
int sd_store_begin_reader(sd_store_t *store, sd_store_txn_t **txn);

/* Begins a nested write transaction inside parent, so one request of a batch
 * can be undone alone. */
int sd_store_begin_nested(sd_store_txn_t *parent, sd_store_txn_t **txn);

/* Commits and frees *txn (sets it to NULL). Durable when it returns 0.
 * Errors: SD_EMAPFULL, SD_EFULL (disk full: nothing was written), SD_EIO,
 * SD_ESTORE; *txn is freed either way. */
int sd_store_commit(sd_store_txn_t **txn);

/* Aborts and frees *txn; NULL-safe. */
void sd_store_abort(sd_store_txn_t **txn);

/* One durable write transaction around fn: begins, calls fn(txn, arg), commits when fn returns
 * 0 and aborts otherwise. A full map is grown and the whole transaction redone, after
 * undo(arg) (may be NULL) has put back whatever fn changed outside the store. The one
 * begin-commit-grow-redo loop of the node (the journal's writes and the store's upgrade).
 * Returns 0 when committed, fn's error, or the store's (SD_EFULL when the map cannot grow,
 * the errors of sd_store_commit). */
int sd_store_write(sd_store_t *store, int (*fn)(sd_store_txn_t *txn, void *arg),
                   void (*undo)(void *arg), void *arg);

/* Allocates the next id of kind k at this site: "SITE-000001" and on (SITE-TAG-000001 for a
 * kind with an id tag), skipping ids already taken. */
int sd_store_next_id(sd_store_txn_t *txn, const sd_kind_t *k, char id[SD_ID_MAX + 1]);

/* The seq the next event of origin will have (applied + 1). */
int sd_store_next_seq(sd_store_txn_t *txn, const char *origin, uint64_t *seq);

/* Highest seq applied for origin, 0 when none. */
int sd_store_applied(sd_store_txn_t *txn, const char *origin, uint64_t *seq);

/* Applies one event of any kind: appends it to the log, advances the vector, folds it into its
 * record and updates the record's timeline, index entries and counters. Returns 0, or 1 when
 * the event is a duplicate (seq <= applied) and nothing changed, SD_ERANGE when it would leave
 * a gap (seq > applied + 1), SD_EMAPFULL, SD_ETOOBIG (index entries beyond their limits),
 * SD_ESTORE, SD_ENOMEM. ev->hlc must already be stamped. */
int sd_store_apply(sd_store_txn_t *txn, const sd_event_t *ev);

/* sd_store_apply that also hands back the record as it is after the event (into *after, a
 * zeroed record of ev->kind; the caller clears it), saving a read. On a duplicate (return 1)
 * *after is left empty. */
int sd_store_apply_record(sd_store_txn_t *txn, const sd_event_t *ev, void *after);

/* Reads record id of kind k into *record (zeroed; clear it with sd_record_clear). The record
 * may be partial - events that arrived before its create - which sd_record_exists() tells;
 * callers serving clients treat that as absent. Returns 0, SD_ENOTFOUND, SD_ECORRUPT,
 * SD_ESTORE. */
int sd_store_get_record(sd_store_txn_t *txn, const sd_kind_t *k, const char *id, void *record);

/* Loads / saves the node's clock so stamps never go back after a restart. */
int sd_store_get_clock(sd_store_txn_t *txn, uint64_t *hlc);
int sd_store_put_clock(sd_store_txn_t *txn, uint64_t hlc);

/* Calls fn with the stored bytes of each event of record id of kind k, in clock order. The
 * bytes are borrowed for the call only. Returns 0, SD_ENOTFOUND, SD_ESTORE. */
int sd_store_timeline(sd_store_txn_t *txn, const sd_kind_t *k, const char *id,
                      int (*fn)(const void *event, size_t len, void *arg), void *arg);

/* The applied vector: for each origin, the highest seq held. */
int sd_store_vector(sd_store_txn_t *txn, sd_vector_t *vector);

/* Calls fn with the stored bytes of the events of origin from seq `from` on,
 * in seq order, at most `limit` of them (what a peer's sync request asks for).
 * The bytes are borrowed for the call. Stops early when fn returns non-zero
 * (returned). Returns 0, SD_ESTORE. */
int sd_store_events_from(sd_store_txn_t *txn, const char *origin, uint64_t from, size_t limit,
                         int (*fn)(const void *event, size_t len, void *arg), void *arg);

/* Value of counter `name` of kind k (kind.h index hooks), 0 when never counted. */
int sd_store_counter(sd_store_txn_t *txn, const sd_kind_t *k, const char *name, uint64_t *n);

/* A record handed to a walk (borrowed for the call); non-zero stops the walk. */
typedef int (*sd_store_record_fn)(const void *record, void *arg);

/* Calls fn with each existing record of kind k in id order, after id `after` (NULL: from the
 * first). Returns 0, what fn returned, SD_ECORRUPT, SD_ENOMEM, SD_ESTORE (store_scan.c). */
int sd_store_records(sd_store_txn_t *txn, const sd_kind_t *k, const char *after,
                     sd_store_record_fn fn, void *arg);

/* Calls fn with the rest of each entry of index `index` of kind k whose first part is `part`
 * (the remaining key parts: for "unix"/"hash" entries the record id and its NUL). Non-zero from
 * fn stops and is returned. */
int sd_store_index_find(sd_store_txn_t *txn, const sd_kind_t *k, const char *index,
                        const char *part, int (*fn)(const char *rest, size_t len, void *arg),
                        void *arg);

/* Calls fn with every event of the log, by origin then seq. Non-zero from fn stops. */
int sd_store_events_all(sd_store_txn_t *txn, int (*fn)(const void *event, size_t len, void *arg),
                        void *arg);

/* The node's own refusals (node/auth/audit.h), kept locally: never replicated, not in the
 * digest. put stores one under (ms, n); denials calls fn with each from since_ms on, oldest
 * first (non-zero from fn stops). */
int sd_store_put_denial(sd_store_txn_t *txn, uint64_t ms, uint32_t n, const void *data, size_t len);
int sd_store_denials(sd_store_txn_t *txn, uint64_t since_ms,
                     int (*fn)(const void *denial, size_t len, void *arg), void *arg);

/* What a create with an idempotency key made (PROTOCOL.md section 2). */
typedef struct {
    char kind[32];          /* the record's kind ("ticket") */
    char id[SD_ID_MAX + 1]; /* its id */
    char op[32];            /* the op that made it ("ticket.new") */
} sd_store_idem_t;

/* The idempotency keys of this node's callers, kept locally like the refusals: never
 * replicated, not in the digest, never dropped. put records (login, key) -> *made in the write
 * transaction of the create's event; get reads it back (SD_ENOTFOUND when the key is new,
 * SD_ECORRUPT for a damaged entry) (store_scan.c). */
int sd_store_put_idempotency(sd_store_txn_t *txn, const char *login, const char *key,
                             const sd_store_idem_t *made);
int sd_store_get_idempotency(sd_store_txn_t *txn, const char *login, const char *key,
                             sd_store_idem_t *made);

/* The events this node held when it first ran with signing (replication/sign.h): per origin
 * the highest seq, recorded on the first call and read back on every later one, into *legacy.
 * Those events were made unsigned and stay accepted unsigned; later ones must be signed.
 * Returns 0 or a store error (store_scan.c). */
int sd_store_legacy(sd_store_t *store, sd_vector_t *legacy);

/* Digest of the whole materialised state (vector and every record of every kind): equal
 * digests mean byte-identical state. hex gets 65 bytes. */
int sd_store_digest(sd_store_txn_t *txn, char hex[SD_DIGEST_BYTES * 2 + 1]);

#endif
