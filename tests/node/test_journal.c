/* test_journal.c - the one writer: stamps, per-origin seqs, the clock over a reopen, grow and redo.
 */
#include "node_test.h"
#include "ticket_store.h"

#include "error.h"
#include "hlc.h"
#include "journal.h"
#include "workflow.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define T0 1760000000000ull /* a wall time in ms */

typedef struct {
    char dir[256];         /* the store's directory */
    sd_store_t *store;     /* the store */
    sd_journal_t *journal; /* HQ's journal over it */
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-journal") != 0 ||
        sd_store_open(fx->dir, "HQ", &fx->store) != 0 ||
        sd_journal_open(fx->store, "HQ", &fx->journal) != 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_journal_close(&fx->journal);
    sd_store_close(&fx->store);
    sd_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

/* What a fill makes: n new tickets with a description, as a client batch would. */
typedef struct {
    int n;                   /* tickets per batch */
    const char *description; /* each ticket's description */
    int calls;               /* times the fill ran */
    sd_event_t last;         /* the last event appended (stamped) */
    uint64_t first_hlc;      /* the first event's stamp in the last run */
} s_batch_t;

static int s_new_tickets(sd_journal_batch_t *batch, void *arg)
{
    s_batch_t *b = arg;
    sd_policy_t policy;
    sd_policy_default(&policy);
    sd_workflow_ctx_t ctx = {
        .site = "HQ", .policy = &policy, .now_ms = sd_journal_now(batch), .author = "ann"};
    b->calls++;
    int rc = 0;
    for (int i = 0; i < b->n && !rc; i++) {
        sd_request_t req = {0};
        assert_int_equal(sd_test_request(&req, SD_REQ_TICKET_NEW, "title", "Printer on fire",
                                         "requester", "bob@example.com", "description",
                                         b->description, NULL),
                         0);
        sd_event_t ev = {0};
        assert_int_equal(sd_workflow_build(&ctx, NULL, &req, &ev, NULL), 0);
        rc = sd_store_next_ticket_id(sd_journal_txn(batch), ev.key)
                 ?: sd_journal_append(batch, &ev, NULL);
        if (!rc && i == 0)
            b->first_hlc = ev.hlc;
        if (!rc) {
            sd_event_clear(&b->last);
            b->last = ev;
        } else {
            sd_event_clear(&ev);
        }
        sd_request_clear(&req);
    }
    return rc;
}

/* An own event is stamped with the site, the next seq and a clock stamp that
 * never goes back; one write is one commit whatever it holds. */
static void test_append_stamps_origin_seq_and_clock(void **state)
{
    fx_t *fx = *state;
    s_batch_t b = {.n = 3, .description = "smoke"};
    sd_journal_result_t made;
    assert_int_equal(sd_journal_write(fx->journal, T0, s_new_tickets, &b, &made), 0);
    assert_int_equal(b.calls, 1);
    assert_int_equal(made.first_seq, 1);
    assert_int_equal(made.last_seq, 3);
    assert_int_equal(made.appended, 3);
    assert_int_equal(made.applied, 0);
    assert_string_equal(b.last.origin, "HQ");
    assert_string_equal(b.last.key, "HQ-000003");
    assert_int_equal(b.last.seq, 3);
    /* Three stamps in one millisecond: the logical counter tells them apart. */
    assert_int_equal(b.first_hlc, T0 << 16);
    assert_int_equal(b.last.hlc, (T0 << 16) + 2);
    assert_int_equal(sd_journal_clock(fx->journal), b.last.hlc);

    /* The wall clock steps back: stamps still go forward, seqs go on. */
    b.n = 1;
    assert_int_equal(sd_journal_write(fx->journal, T0 - 60000, s_new_tickets, &b, &made), 0);
    assert_int_equal(made.first_seq, 4);
    assert_int_equal(made.last_seq, 4);
    assert_int_equal(b.last.hlc, (T0 << 16) + 3);
    sd_event_clear(&b.last);

    /* A write that makes nothing commits nothing of its own. */
    b.n = 0;
    assert_int_equal(sd_journal_write(fx->journal, T0, s_new_tickets, &b, &made), 0);
    assert_int_equal(made.appended, 0);
    assert_int_equal(made.first_seq, 0);
}

/* A peer's events: applied in order, duplicates and gaps refused, and the
 * clock moves past the peer's stamps so own events sort after them. */
typedef struct {
    const sd_event_t *evs; /* to apply */
    int n;                 /* how many */
    int rcs[4];            /* what apply_remote said for each */
} s_remote_t;

static int s_apply(sd_journal_batch_t *batch, void *arg)
{
    s_remote_t *r = arg;
    for (int i = 0; i < r->n; i++)
        r->rcs[i] = sd_journal_apply_remote(batch, &r->evs[i]);
    return 0;
}

static void test_apply_remote_observes_the_peer_clock(void **state)
{
    fx_t *fx = *state;
    /* EU's events, made by its own journal on its own store. */
    char dir[256];
    sd_store_t *eu_store;
    sd_journal_t *eu;
    assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-journal-eu"), 0);
    assert_int_equal(sd_store_open(dir, "EU", &eu_store), 0);
    assert_int_equal(sd_journal_open(eu_store, "EU", &eu), 0);
    s_batch_t b = {.n = 1, .description = "eu"};
    sd_event_t evs[2];
    memset(evs, 0, sizeof evs);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sd_journal_write(eu, T0 + 3600000, s_new_tickets, &b, NULL), 0);
        evs[i] = b.last;
        b.last = (sd_event_t){0};
    }
    sd_journal_close(&eu);
    sd_store_close(&eu_store);
    sd_test_rmtree(dir);

    /* EU-2 before EU-1 is a gap; EU-1, then EU-1 again a duplicate, then EU-2. */
    const sd_event_t order[4] = {evs[1], evs[0], evs[0], evs[1]};
    s_remote_t r = {.evs = order, .n = 4};
    sd_journal_result_t made;
    assert_int_equal(sd_journal_write(fx->journal, 0, s_apply, &r, &made), 0);
    assert_int_equal(r.rcs[0], SD_ERANGE);
    assert_int_equal(r.rcs[1], 0);
    assert_int_equal(r.rcs[2], 1);
    assert_int_equal(r.rcs[3], 0);
    assert_int_equal(made.applied, 2);
    assert_int_equal(made.appended, 0);
    assert_int_equal(sd_journal_clock(fx->journal), evs[1].hlc);

    /* HQ's wall clock is an hour behind EU's: its next event still sorts after. */
    b.last = (sd_event_t){0};
    assert_int_equal(sd_journal_write(fx->journal, T0, s_new_tickets, &b, &made), 0);
    assert_int_equal(made.first_seq, 1); /* HQ's own seq is its own */
    assert_true(b.last.hlc > evs[1].hlc);
    sd_event_clear(&b.last);
    for (int i = 0; i < 2; i++)
        sd_event_clear(&evs[i]);
}

/* The clock is saved with every write: a reopened journal stamps after it. */
static void test_clock_survives_reopen(void **state)
{
    fx_t *fx = *state;
    s_batch_t b = {.n = 2, .description = "x"};
    assert_int_equal(sd_journal_write(fx->journal, T0, s_new_tickets, &b, NULL), 0);
    uint64_t saved = sd_journal_clock(fx->journal);
    assert_int_equal(saved, b.last.hlc);
    sd_event_clear(&b.last);

    sd_journal_close(&fx->journal);
    assert_null(fx->journal);
    sd_store_close(&fx->store);
    assert_int_equal(sd_store_open(fx->dir, "HQ", &fx->store), 0);
    assert_int_equal(sd_journal_open(fx->store, "HQ", &fx->journal), 0);
    assert_int_equal(sd_journal_clock(fx->journal), saved);

    /* The restarted node's wall clock is behind: stamps and seqs go on. */
    sd_journal_result_t made;
    assert_int_equal(sd_journal_write(fx->journal, T0 - 1000, s_new_tickets, &b, &made), 0);
    assert_int_equal(made.first_seq, 3);
    assert_int_equal(b.first_hlc, saved + 1);
    sd_event_clear(&b.last);
}

/* A fill's error aborts the batch: nothing written, the clock as before. */
static int s_fail_after_one(sd_journal_batch_t *batch, void *arg)
{
    s_batch_t *b = arg;
    int rc = s_new_tickets(batch, b);
    return rc ?: SD_ENOMEM;
}

static void test_failed_fill_leaves_no_trace(void **state)
{
    fx_t *fx = *state;
    s_batch_t b = {.n = 1, .description = "x"};
    sd_journal_result_t made = {.appended = 99};
    assert_int_equal(sd_journal_write(fx->journal, T0, s_fail_after_one, &b, &made), SD_ENOMEM);
    assert_int_equal(made.appended, 0);
    assert_int_equal(sd_journal_clock(fx->journal), 0);
    sd_event_clear(&b.last);
    sd_store_txn_t *txn;
    uint64_t seq;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_applied(txn, "HQ", &seq), 0);
    assert_int_equal(seq, 0);
    sd_store_abort(&txn);
    /* The next write takes seq 1 and the first stamp again. */
    assert_int_equal(sd_journal_write(fx->journal, T0, s_new_tickets, &b, &made), 0);
    assert_int_equal(made.first_seq, 1);
    assert_int_equal(b.first_hlc, T0 << 16);
    sd_event_clear(&b.last);
}

/* One batch bigger than the first map (64 MiB): the journal grows the map and
 * runs the fill again, with the clock restored, so nothing is lost and the
 * stamps have no hole. */
#define GROW_TICKETS 3000 /* x ~25 KiB: an 8 KiB description in the log and the record */

static void test_full_map_grows_and_redoes(void **state)
{
    fx_t *fx = *state;
    char *description = malloc(SD_TEXT_MAX + 1);
    assert_non_null(description);
    memset(description, 'd', SD_TEXT_MAX);
    description[SD_TEXT_MAX] = 0;
    uint64_t map_before, map_after, used;
    sd_store_usage(fx->store, &map_before, &used);

    s_batch_t b = {.n = GROW_TICKETS, .description = description};
    sd_journal_result_t made;
    assert_int_equal(sd_journal_write(fx->journal, T0, s_new_tickets, &b, &made), 0);
    sd_store_usage(fx->store, &map_after, &used);
    assert_true(map_after > map_before);
    assert_true(b.calls >= 2); /* redone after growing */
    assert_int_equal(made.first_seq, 1);
    assert_int_equal(made.last_seq, GROW_TICKETS);
    assert_int_equal(b.first_hlc, T0 << 16); /* the aborted attempt's stamps were given back */
    assert_int_equal(b.last.hlc, (T0 << 16) + GROW_TICKETS - 1);
    assert_string_equal(b.last.key, "HQ-003000"); /* the aborted ids were given back too */
    sd_event_clear(&b.last);

    sd_store_txn_t *txn;
    uint64_t seq, clock;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_applied(txn, "HQ", &seq), 0);
    assert_int_equal(sd_store_get_clock(txn, &clock), 0);
    sd_store_abort(&txn);
    assert_int_equal(seq, GROW_TICKETS);
    assert_int_equal(clock, sd_journal_clock(fx->journal));
    free(description);
}

int main(void)
{
    if (!getenv("TMPDIR"))
        setenv("TMPDIR", "/dev/shm", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append_stamps_origin_seq_and_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_remote_observes_the_peer_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_survives_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_fill_leaves_no_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_map_grows_and_redoes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
