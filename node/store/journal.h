/* journal.h - the node's one writer: hybrid clock, own event stamps, group commit, map growth.
 *
 * Every write to the store goes through a journal (DESIGN 2.2): the server's
 * client batches, the scheduler's tick and the events a replica applies from
 * its peers. The journal owns
 *   - the hybrid logical clock (hlc.h): loaded from the store when the
 *     journal opens, saved in every write transaction, so stamps never go
 *     back over a restart;
 *   - the per-origin sequence of this site's events: an appended event gets
 *     origin = the journal's site, the next hlc stamp and the next seq;
 *   - group commit: one sd_journal_write is one durable write transaction,
 *     however many events its fill function appends or applies; when it
 *     returns 0 they are on disk, so a client is answered after it returns;
 *   - growth: a full map (SD_EMAPFULL) aborts the transaction, restores the
 *     clock to what it was before the batch, doubles the map and calls the
 *     fill function again from the start. A fill function must therefore be
 *     safe to run twice: it recomputes everything from the store (which is
 *     as before the first attempt) and overwrites what it produced.
 *
 * Usage:
 *     static int fill(sd_journal_batch_t *b, void *arg) {
 *         sd_event_t ev = {...op, author, fields, key...};
 *         return sd_journal_append(b, &ev, NULL);      // stamped and applied
 *     }
 *     sd_journal_result_t made;
 *     if (sd_journal_write(j, now_ms, fill, arg, &made) == 0)
 *         publish own events made.first_seq .. made.last_seq;
 *
 * Threads: one; the journal and the store it borrows are used by the node's
 * single thread (store.h). Nested sd_journal_write calls are not allowed. */
#ifndef SD_JOURNAL_H
#define SD_JOURNAL_H

#include "event.h"
#include "sign.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sd_journal sd_journal_t;

/* One write transaction in progress, handed to the fill function; valid only
 * during that call. */
typedef struct sd_journal_batch sd_journal_batch_t;

/* What a committed sd_journal_write made. Own events of one batch have
 * consecutive seqs, so [first_seq, last_seq] names them all (for publishing
 * and logging). */
typedef struct {
    uint64_t first_seq; /* seq of the first own event appended; 0 when none */
    uint64_t last_seq;  /* seq of the last one; 0 when none */
    size_t appended;    /* own events appended (last_seq - first_seq + 1, or 0) */
    size_t applied;     /* events of other nodes applied (sd_journal_apply_remote == 0) */
} sd_journal_result_t;

/* Fills one write transaction: appends own events and applies remote ones.
 * Returns 0 to commit, or a negative SD_E* code to abort the whole batch
 * (SD_EMAPFULL: grow and call again). May run more than once per
 * sd_journal_write (see above). */
typedef int (*sd_journal_fill_fn)(sd_journal_batch_t *batch, void *arg);

/* Opens the journal of site's events over store (borrowed; it must outlive
 * the journal) and loads the clock saved in the store. A node opens one
 * journal over its store for its own site. Returns 0 and *journal, or
 * SD_ENOMEM, SD_ERANGE (site is not a valid site id) or a store error. */
int sd_journal_open(sd_store_t *store, const char *site, sd_journal_t **journal);

/* Frees the journal and nulls *journal; NULL-safe. The store stays open. */
void sd_journal_close(sd_journal_t **journal);

/* The store written to; borrowed. Read transactions are begun on it
 * directly (sd_store_begin(store, false, ...)); write transactions only
 * through sd_journal_write. */
sd_store_t *sd_journal_store(const sd_journal_t *journal);

/* From now on own events are signed with signer (borrowed: outlives the journal), each naming
 * the hash of the one before it (replication/sign.h); and a peer's stamp more than
 * max_skew_ms (0 = 60 s) ahead of the node's clock wall(wall_arg) (Unix ms; the schedule's
 * clock, which a test may accelerate) moves the node's hybrid clock no further. */
void sd_journal_set_signer(sd_journal_t *journal, const sd_signer_t *signer, int64_t max_skew_ms,
                           int64_t (*wall)(void *arg), void *wall_arg);

/* Told of each event of a committed write, own or another node's, in the order applied, after
 * the commit (kind, the record's id, the kind's op). */
typedef void (*sd_journal_listener_fn)(void *arg, const sd_kind_t *kind, const char *key, int op);

/* From now on listener(arg, ...) hears of every committed event (NULL: nobody). Runs on the
 * writing thread; it must not write through the journal. */
void sd_journal_set_listener(sd_journal_t *journal, sd_journal_listener_fn listener, void *arg);

/* The site whose events this journal makes; borrowed, lives with it. */
const char *sd_journal_site(const sd_journal_t *journal);

/* The greatest hlc stamp issued or observed (what the next write saves). */
uint64_t sd_journal_clock(const sd_journal_t *journal);

/* Runs one durable write transaction: begins it, calls fill(batch, arg),
 * saves the clock and commits. now_ms is the wall time own events are
 * stamped with (unused when fill appends none). On SD_EMAPFULL from the
 * fill, an append or the commit: aborts, restores the clock, grows the map
 * and redoes. *result (may be NULL) tells what was committed; it is zeroed
 * on failure. Returns 0 when committed and durable, or the fill's error, or
 * SD_EFULL (disk full, or the map cannot grow further), SD_EIO, SD_ESTORE,
 * SD_ENOMEM; on error nothing of the batch was written and the clock is as
 * before. */
int sd_journal_write(sd_journal_t *journal, uint64_t now_ms, sd_journal_fill_fn fill, void *arg,
                     sd_journal_result_t *result);

/* The batch's write transaction, for reads that decide what to append
 * (a record's current state) and for allocating a new record id
 * (sd_store_next_id). Borrowed: never commit or abort it, and do not
 * apply events through it (use sd_journal_append / _apply_remote). */
sd_store_txn_t *sd_journal_txn(sd_journal_batch_t *batch);

/* The now_ms the batch stamps own events with (as given to sd_journal_write). */
uint64_t sd_journal_now(const sd_journal_batch_t *batch);

/* Stamps ev as this site's next event - origin = the journal's site, hlc =
 * the clock's next stamp at now_ms, seq = the next seq of the site - and
 * applies it (sd_store_apply). The caller fills op, author, key and fields.
 * When after is not NULL (a zeroed record of ev->kind) it gets the record as
 * it is after the event (the caller clears it). Returns 0, or a store error
 * (SD_EMAPFULL, SD_ESTORE, SD_ENOMEM): the batch is then doomed, later
 * appends and applies return the same error and sd_journal_write aborts
 * even if fill returns 0. */
int sd_journal_append(sd_journal_batch_t *batch, sd_event_t *ev, void *after);

/* Applies an event made by another node (or this site's own, coming back
 * after a restore), already stamped. When it is applied, the clock observes
 * its stamp so later own events are stamped after it. Returns 0 applied,
 * 1 duplicate (seq already held: nothing changed), SD_ERANGE (a gap: events
 * of its origin are missing before it; nothing changed), or a store error,
 * which dooms the batch as for sd_journal_append. */
int sd_journal_apply_remote(sd_journal_batch_t *batch, const sd_event_t *ev);

#endif
