/* journal.c - the one writer: stamps own events, applies peers' events, commits, grows and redoes.
 */
#include "journal.h"

#include "error.h"
#include "hlc.h"
#include "sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An event of the batch in progress, kept to tell the listener after the commit. */
typedef struct {
    const sd_kind_t *kind;   /* its record's kind */
    char key[SD_ID_MAX + 1]; /* the record */
    int op;                  /* the kind's op */
} s_change_t;

struct sd_journal {
    sd_store_t *store;               /* borrowed */
    char site[SD_SITE_MAX + 1];      /* whose events append makes */
    sd_hlc_t clock;                  /* the node's hybrid clock; saved with every write */
    const sd_signer_t *signer;       /* signs own events (borrowed), or NULL: they go unsigned */
    int64_t max_skew_ms;             /* a peer's stamp this far ahead of now moves no clock */
    int64_t (*wall)(void *arg);      /* the node's clock for that bound, or NULL: no bound */
    void *wall_arg;                  /* for wall */
    sd_journal_listener_fn listener; /* told of each committed event, or NULL */
    void *listener_arg;              /* for listener */
    s_change_t *changes;             /* the events of the batch being written, for listener */
    size_t nchanges, changes_cap;    /* used and allocated entries of changes */
};

struct sd_journal_batch {
    sd_journal_t *journal;       /* owner */
    sd_store_txn_t *txn;         /* the write transaction */
    uint64_t now_ms;             /* wall time for own stamps */
    int rc;                      /* first store error: dooms the batch */
    sd_journal_result_t *result; /* what it made so far */
};

int sd_journal_open(sd_store_t *store, const char *site, sd_journal_t **out)
{
    *out = NULL;
    if (!site || !sd_site_valid(site))
        return SD_ERANGE;
    sd_journal_t *j = calloc(1, sizeof *j);
    if (!j)
        return SD_ENOMEM;
    j->store = store;
    strcpy(j->site, site);
    sd_store_txn_t *txn;
    int rc = sd_store_begin(store, false, &txn);
    if (!rc) {
        rc = sd_store_get_clock(txn, &j->clock.last);
        sd_store_abort(&txn);
    }
    if (rc) {
        free(j);
        return rc;
    }
    *out = j;
    return 0;
}

void sd_journal_close(sd_journal_t **journal)
{
    if (!journal || !*journal)
        return;
    free((*journal)->changes);
    free(*journal);
    *journal = NULL;
}

void sd_journal_set_signer(sd_journal_t *j, const sd_signer_t *signer, int64_t max_skew_ms,
                           int64_t (*wall)(void *arg), void *wall_arg)
{
    j->signer = signer;
    j->max_skew_ms = max_skew_ms > 0 ? max_skew_ms : 60000;
    j->wall = wall;
    j->wall_arg = wall_arg;
}

/* The stored bytes of the one event asked for, hashed into arg. */
static int s_hash_one(const void *event, size_t len, void *arg)
{
    return sd_event_hash_bytes(event, len, arg) ?: 1;
}

/* Signs ev, the next of this node's origin, as following the event stored before it. */
static int s_sign(sd_journal_batch_t *b, sd_event_t *ev)
{
    char prev[SD_EVENT_HASH_HEX + 1];
    strcpy(prev, sd_event_first_prev);
    if (ev->seq > 1) {
        int rc = sd_store_events_from(b->txn, ev->origin, ev->seq - 1, 1, s_hash_one, prev);
        if (rc != 1)
            return rc < 0 ? rc : SD_ESTORE; /* the event before it must be held */
    }
    return sd_sign_event(b->journal->signer, prev, ev);
}

sd_store_t *sd_journal_store(const sd_journal_t *j)
{
    return j->store;
}

const char *sd_journal_site(const sd_journal_t *j)
{
    return j->site;
}

uint64_t sd_journal_clock(const sd_journal_t *j)
{
    return j->clock.last;
}

/* One write of the journal: the fill, its clock, its result; redone whole after a map growth. */
typedef struct {
    sd_journal_t *journal;       /* whose */
    uint64_t now_ms;             /* stamps own events */
    sd_journal_fill_fn fill;     /* the caller's batch */
    void *arg;                   /* for fill */
    sd_journal_result_t *result; /* what it did */
    sd_hlc_t saved;              /* the clock before it */
} s_write_t;

/* Inside the transaction: fill, then save the clock with the batch. */
static int s_fill_txn(sd_store_txn_t *txn, void *arg)
{
    s_write_t *w = arg;
    *w->result = (sd_journal_result_t){0};
    w->journal->nchanges = 0; /* a redo after a map growth starts the list again */
    sd_journal_batch_t batch = {
        .journal = w->journal, .txn = txn, .now_ms = w->now_ms, .result = w->result};
    int rc = w->fill(&batch, w->arg);
    rc = batch.rc ?: rc; /* a store error the fill swallowed still fails the batch */
    return rc ?: sd_store_put_clock(txn, w->journal->clock.last);
}

/* Stamps of an aborted attempt never reached the disk: the redo issues them again, so the
 * clock shows no hole. */
static void s_undo(void *arg)
{
    s_write_t *w = arg;
    w->journal->clock = w->saved;
    *w->result = (sd_journal_result_t){0};
}

int sd_journal_write(sd_journal_t *j, uint64_t now_ms, sd_journal_fill_fn fill, void *arg,
                     sd_journal_result_t *result)
{
    sd_journal_result_t scratch;
    s_write_t w = {.journal = j,
                   .now_ms = now_ms,
                   .fill = fill,
                   .arg = arg,
                   .result = result ? result : &scratch,
                   .saved = j->clock};
    j->nchanges = 0;
    int rc = sd_store_write(j->store, s_fill_txn, s_undo, &w);
    if (rc)
        s_undo(&w); /* a failed batch leaves no stamp behind either */
    for (size_t i = 0; !rc && j->listener && i < j->nchanges; i++)
        j->listener(j->listener_arg, j->changes[i].kind, j->changes[i].key, j->changes[i].op);
    j->nchanges = 0;
    return rc;
}

void sd_journal_set_listener(sd_journal_t *j, sd_journal_listener_fn fn, void *arg)
{
    j->listener = fn;
    j->listener_arg = arg;
}

/* Keeps ev for the listener. Out of memory only loses the notice, never the event. */
static void s_note(sd_journal_t *j, const sd_event_t *ev)
{
    if (!j->listener)
        return;
    if (j->nchanges == j->changes_cap) {
        size_t cap = j->changes_cap ? 2 * j->changes_cap : 64;
        s_change_t *grown = realloc(j->changes, cap * sizeof *grown);
        if (!grown)
            return;
        j->changes = grown;
        j->changes_cap = cap;
    }
    s_change_t *c = &j->changes[j->nchanges++];
    c->kind = ev->kind;
    c->op = ev->op;
    snprintf(c->key, sizeof c->key, "%s", ev->key);
}

sd_store_txn_t *sd_journal_txn(sd_journal_batch_t *b)
{
    return b->txn;
}

uint64_t sd_journal_now(const sd_journal_batch_t *b)
{
    return b->now_ms;
}

int sd_journal_append(sd_journal_batch_t *b, sd_event_t *ev, void *after)
{
    if (b->rc)
        return b->rc;
    sd_journal_t *j = b->journal;
    strcpy(ev->origin, j->site);
    ev->hlc = sd_hlc_tick(&j->clock, b->now_ms);
    if (ev->hlc == UINT64_MAX) /* saturated: no later stamp exists to give */
        return SD_ERANGE;
    int rc = sd_store_next_seq(b->txn, ev->origin, &ev->seq);
    if (!rc && j->signer)
        rc = s_sign(b, ev);
    if (!rc)
        rc = sd_store_apply_record(b->txn, ev, after);
    if (rc > 0)
        rc = SD_ESTORE; /* the next seq cannot be held already: the store is inconsistent */
    if (rc)
        return b->rc = rc;
    sd_journal_result_t *r = b->result;
    r->first_seq = r->first_seq ? r->first_seq : ev->seq;
    r->last_seq = ev->seq;
    r->appended++;
    s_note(j, ev);
    return 0;
}

int sd_journal_apply_remote(sd_journal_batch_t *b, const sd_event_t *ev)
{
    if (b->rc)
        return b->rc;
    int rc = sd_store_apply(b->txn, ev);
    if (rc == 0) {
        /* A stamp from a clock far ahead does not drag this node's clock with it (replication
         * refuses such events first; this holds for any other caller too). */
        sd_journal_t *j = b->journal;
        if (!j->wall ||
            sd_hlc_ms(ev->hlc) <= (uint64_t)j->wall(j->wall_arg) + (uint64_t)j->max_skew_ms)
            sd_hlc_observe(&j->clock, ev->hlc);
        b->result->applied++;
        s_note(j, ev);
    } else if (rc < 0 && rc != SD_ERANGE) {
        b->rc = rc;
    }
    return rc;
}
