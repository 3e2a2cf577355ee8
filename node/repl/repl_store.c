/* repl_store.c - the replica's store interface implemented with the journal and the store. */
#include "repl_store.h"

#include "error.h"
#include "sign.h"

static int s_vector(void *ctx, sd_vector_t *v)
{
    sd_store_txn_t *txn;
    int rc = sd_store_begin(sd_journal_store(ctx), false, &txn);
    if (rc)
        return rc;
    rc = sd_store_vector(txn, v);
    sd_store_abort(&txn);
    return rc;
}

/* The events of one apply call. */
typedef struct {
    const sd_event_t *evs; /* borrowed from the state machine */
    size_t n;              /* how many */
} s_events_t;

/* Duplicates and gaps are skipped: the state machine asked for those. */
static int s_fill(sd_journal_batch_t *batch, void *arg)
{
    const s_events_t *e = arg;
    for (size_t i = 0; i < e->n; i++) {
        int rc = sd_journal_apply_remote(batch, &e->evs[i]);
        if (rc < 0 && rc != SD_ERANGE)
            return rc;
    }
    return 0;
}

static int s_apply(void *ctx, const sd_event_t *evs, size_t n, size_t *applied)
{
    s_events_t e = {.evs = evs, .n = n};
    sd_journal_result_t made;
    *applied = 0;
    /* Peers' events are stamped already: now_ms is not used. */
    int rc = sd_journal_write(ctx, 0, s_fill, &e, &made);
    if (!rc)
        *applied = made.applied;
    return rc;
}

static int s_events_from(void *ctx, const char *origin, uint64_t from, size_t limit,
                         int (*fn)(const void *event, size_t len, void *arg), void *arg)
{
    sd_store_txn_t *txn;
    int rc = sd_store_begin(sd_journal_store(ctx), false, &txn);
    if (rc)
        return rc;
    rc = sd_store_events_from(txn, origin, from, limit, fn, arg);
    sd_store_abort(&txn);
    return rc;
}

/* The stored bytes of the one event asked for, hashed. */
static int s_hash_one(const void *event, size_t len, void *arg)
{
    return sd_event_hash_bytes(event, len, arg) ?: 1;
}

static int s_event_hash(void *ctx, const char *origin, uint64_t seq,
                        char hex[SD_EVENT_HASH_HEX + 1])
{
    hex[0] = 0;
    int rc = s_events_from(ctx, origin, seq, 1, s_hash_one, hex);
    if (rc == 1)
        return 0;
    return rc ? rc : SD_ENOTFOUND;
}

void sd_repl_store_init(sd_repl_store_t *iface, sd_journal_t *journal)
{
    *iface = (sd_repl_store_t){.ctx = journal,
                               .vector = s_vector,
                               .apply = s_apply,
                               .events_from = s_events_from,
                               .event_hash = s_event_hash};
}
