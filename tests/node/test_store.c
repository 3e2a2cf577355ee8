/* test_store.c - the LMDB store: durability, apply, ids, nested txns, growth, digest. */
#include "store_fixture.h"
#include "ticket_store.h"

static void test_open_creates_store(void **state)
{
    fx_t *fx = *state;
    assert_string_equal(sd_store_site(fx->store), "HQ");
    char path[300];
    snprintf(path, sizeof path, "%s/data.mdb", fx->dir);
    assert_int_equal(access(path, F_OK), 0);

    uint64_t map, used;
    sd_store_usage(fx->store, &map, &used);
    assert_int_equal(map, 64ull << 20);
    assert_true(used > 0 && used <= map);

    /* A fresh store is empty: nothing applied, no tickets, zero counts. */
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    uint64_t seq = 99, counts[SD_STATUS_COUNT_];
    assert_int_equal(sd_store_applied(txn, "HQ", &seq), 0);
    assert_int_equal(seq, 0);
    assert_int_equal(sd_store_next_seq(txn, "HQ", &seq), 0);
    assert_int_equal(seq, 1);
    assert_int_equal(sd_store_count(txn, counts), 0);
    for (int s = 0; s < SD_STATUS_COUNT_; s++)
        assert_int_equal(counts[s], 0);
    sd_ticket_t t = {0};
    assert_int_equal(sd_store_get_ticket(txn, "HQ-000001", &t), SD_ENOTFOUND);
    uint64_t clock = 1;
    assert_int_equal(sd_store_get_clock(txn, &clock), 0);
    assert_int_equal(clock, 0);
    sd_store_abort(&txn);
}

static void test_reopen_keeps_committed_state(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1], lost[SD_ID_MAX + 1];
    sd_store_txn_t *txn = NULL;

    /* Commit a ticket with an ack and a comment, and the clock. */
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    s_new(fx, txn, id, "bob@example.com", "1", "1");
    fx->now += MINUTE;
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_ACK, id, NULL), 0);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_COMMENT, id, "body", "We are on it",
                          "public", "true", NULL),
                     0);
    assert_int_equal(sd_store_put_clock(txn, 12345), 0);
    assert_int_equal(sd_store_commit(&txn), 0);
    assert_null(txn);

    /* A transaction that is aborted leaves nothing behind. */
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    s_new(fx, txn, lost, "eve@example.com", "2", "2");
    sd_store_abort(&txn);
    assert_null(txn);

    char before[65], after[65];
    s_digest(fx->store, before);
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    sd_ticket_t t = {0};
    assert_int_equal(sd_store_get_ticket(txn, id, &t), 0);
    size_t len_before, len_after;
    unsigned char *bytes_before = sd_test_ticket_bytes(&t, &len_before);
    sd_ticket_clear(&t);
    sd_store_abort(&txn);

    sd_store_close(&fx->store);
    assert_null(fx->store);
    assert_int_equal(sd_store_open(fx->dir, "HQ", &fx->store), 0);

    s_digest(fx->store, after);
    assert_string_equal(before, after);
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    uint64_t seq, clock, counts[SD_STATUS_COUNT_];
    assert_int_equal(sd_store_applied(txn, "HQ", &seq), 0);
    assert_int_equal(seq, 3);
    assert_int_equal(sd_store_get_clock(txn, &clock), 0);
    assert_int_equal(clock, 12345);
    assert_int_equal(sd_store_get_ticket(txn, id, &t), 0);
    assert_int_equal(t.status, SD_STATUS_ACKNOWLEDGED);
    assert_string_equal(t.title, "Printer on fire");
    assert_int_equal(t.ncomments, 1);
    assert_string_equal(t.comments[0].body, "We are on it");
    unsigned char *bytes_after = sd_test_ticket_bytes(&t, &len_after);
    assert_int_equal(len_before, len_after);
    assert_memory_equal(bytes_before, bytes_after, len_before);
    free(bytes_before);
    free(bytes_after);
    sd_ticket_clear(&t);
    assert_int_equal(sd_store_get_ticket(txn, lost, &t), SD_ENOTFOUND);
    assert_int_equal(sd_store_count(txn, counts), 0);
    assert_int_equal(counts[SD_STATUS_ACKNOWLEDGED], 1);
    assert_int_equal(counts[SD_STATUS_NEW], 0);
    /* The ticket counter is durable too: the aborted HQ-000002 is handed out again. */
    char next[SD_ID_MAX + 1];
    assert_int_equal(sd_store_next_ticket_id(txn, next), 0);
    assert_string_equal(next, "HQ-000002");
    sd_store_abort(&txn);
}

static void test_open_other_site_refused(void **state)
{
    fx_t *fx = *state;
    sd_store_close(&fx->store);

    /* The store in fx->dir belongs to HQ: a node configured as EU may not use it. */
    sd_store_t *other = NULL;
    assert_int_equal(sd_store_open(fx->dir, "EU", &other), SD_ECONFIG);
    assert_null(other);
    /* Nor is an invalid site id accepted. */
    assert_int_equal(sd_store_open(fx->dir, "hq", &other), SD_ECONFIG);
    assert_int_equal(sd_store_open(fx->dir, "", &other), SD_ECONFIG);
    assert_null(other);

    assert_int_equal(sd_store_open(fx->dir, "HQ", &fx->store), 0);
    assert_string_equal(sd_store_site(fx->store), "HQ");
}

/* ---- apply: idempotent, no gaps ----------------------------------------- */

static int s_first_event(const void *bytes, size_t len, void *arg)
{
    sd_event_t *ev = arg;
    if (ev->seq != 0)
        return 0;
    sd_fault_t fault;
    return sd_event_decode(bytes, len, ev, &fault);
}

static void test_apply_duplicate_and_gap(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    s_new(fx, txn, id, "bob@example.com", "2", "2");
    char before[65], after[65];
    assert_int_equal(sd_store_digest(txn, before), 0);

    /* The event as a peer would resend it: the stored wire form. */
    sd_event_t ev = {0};
    assert_int_equal(sd_store_history(txn, id, s_first_event, &ev), 0);
    assert_string_equal(ev.origin, "HQ");
    assert_int_equal(ev.seq, 1);

    /* A duplicate (seq <= applied) returns 1 and changes nothing. */
    assert_int_equal(sd_store_apply(txn, &ev), 1);
    assert_int_equal(sd_store_digest(txn, after), 0);
    assert_string_equal(before, after);

    /* seq 3 when 1 is applied would leave a gap. */
    ev.seq = 3;
    assert_int_equal(sd_store_apply(txn, &ev), SD_ERANGE);
    uint64_t applied;
    assert_int_equal(sd_store_applied(txn, "HQ", &applied), 0);
    assert_int_equal(applied, 1);
    assert_int_equal(sd_store_digest(txn, after), 0);
    assert_string_equal(before, after);

    /* The first event of a new origin must be seq 1. */
    strcpy(ev.origin, "EU");
    ev.seq = 2;
    assert_int_equal(sd_store_apply(txn, &ev), SD_ERANGE);
    assert_int_equal(sd_store_applied(txn, "EU", &applied), 0);
    assert_int_equal(applied, 0);
    sd_event_clear(&ev);
    assert_int_equal(sd_store_commit(&txn), 0);
}

/* ---- ticket ids and nested transactions --------------------------------- */

static void test_next_ticket_id(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    assert_int_equal(sd_store_next_ticket_id(txn, id), 0);
    assert_string_equal(id, "HQ-000001");
    assert_int_equal(sd_store_next_ticket_id(txn, id), 0);
    assert_string_equal(id, "HQ-000002");
    assert_int_equal(sd_store_commit(&txn), 0);

    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    assert_int_equal(sd_store_next_ticket_id(txn, id), 0);
    assert_string_equal(id, "HQ-000003");
    sd_store_abort(&txn);

    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    assert_int_equal(sd_store_next_ticket_id(txn, id), 0);
    assert_string_equal(id, "HQ-000003");
    sd_store_abort(&txn);
}

static void test_nested_abort_leaves_no_trace(void **state)
{
    fx_t *fx = *state;
    char one[SD_ID_MAX + 1], two[SD_ID_MAX + 1], hex_before[65], hex_after[65];
    sd_store_txn_t *batch = NULL, *request = NULL;

    /* A batch transaction; each request of it runs in a nested one. */
    assert_int_equal(sd_store_begin(fx->store, true, &batch), 0);
    s_new(fx, batch, one, "bob@example.com", "2", "2");
    assert_int_equal(sd_store_digest(batch, hex_before), 0);

    assert_int_equal(sd_store_begin_nested(batch, &request), 0);
    s_new(fx, request, two, "eve@example.com", "1", "1");
    assert_int_equal(s_do(fx, request, "HQ", "ann", SD_REQ_TICKET_ACK, one, NULL), 0);
    assert_int_equal(s_status(request, one), SD_STATUS_ACKNOWLEDGED);
    sd_store_abort(&request);

    /* Nothing of the aborted request is left: ticket, event, vector, id, counts. */
    uint64_t applied, counts[SD_STATUS_COUNT_];
    sd_ticket_t t = {0};
    assert_int_equal(sd_store_get_ticket(batch, two, &t), SD_ENOTFOUND);
    assert_int_equal(s_status(batch, one), SD_STATUS_NEW);
    assert_int_equal(sd_store_applied(batch, "HQ", &applied), 0);
    assert_int_equal(applied, 1);
    assert_int_equal(sd_store_count(batch, counts), 0);
    assert_int_equal(counts[SD_STATUS_NEW], 1);
    assert_int_equal(counts[SD_STATUS_ACKNOWLEDGED], 0);
    assert_int_equal(sd_store_digest(batch, hex_after), 0);
    assert_string_equal(hex_before, hex_after);
    char next[SD_ID_MAX + 1];
    assert_int_equal(sd_store_begin_nested(batch, &request), 0);
    assert_int_equal(sd_store_next_ticket_id(request, next), 0);
    assert_string_equal(next, "HQ-000002");
    sd_store_abort(&request);

    /* A nested transaction that commits becomes part of the batch. */
    assert_int_equal(sd_store_begin_nested(batch, &request), 0);
    assert_int_equal(s_do(fx, request, "HQ", "ann", SD_REQ_TICKET_ACK, one, NULL), 0);
    assert_int_equal(sd_store_commit(&request), 0);
    assert_int_equal(sd_store_commit(&batch), 0);

    assert_int_equal(sd_store_begin(fx->store, false, &batch), 0);
    assert_int_equal(s_status(batch, one), SD_STATUS_ACKNOWLEDGED);
    assert_int_equal(sd_store_applied(batch, "HQ", &applied), 0);
    assert_int_equal(applied, 2);
    sd_store_abort(&batch);
}

/* ---- list: queue order and filters -------------------------------------- */

/* ---- map growth --------------------------------------------------------- */

#define GROW_TICKETS 4000 /* x ~25 KiB (an 8 KiB description in the log and the record) */
#define GROW_BATCH   1000

/* Writes tickets first..first+count-1 in one transaction. Returns 0 or the
 * first error (from apply or from commit); the transaction is gone either way. */
static int s_write_batch(fx_t *fx, int first, int count, const char *description)
{
    sd_store_txn_t *txn = NULL;
    int rc = sd_store_begin(fx->store, true, &txn);
    if (rc)
        return rc;
    for (int i = first; i < first + count; i++) {
        char id[SD_ID_MAX + 1], title[32];
        snprintf(title, sizeof title, "big ticket %d", i);
        rc = s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_NEW, id, "title", title, "requester", "bob",
                  "description", description, NULL);
        if (rc) {
            sd_store_abort(&txn);
            return rc;
        }
    }
    return sd_store_commit(&txn);
}

static void s_assert_big(fx_t *fx, const char *description)
{
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    uint64_t applied;
    assert_int_equal(sd_store_applied(txn, "HQ", &applied), 0);
    assert_int_equal(applied, GROW_TICKETS);
    s_assert_counts(txn, SD_STATUS_NEW, GROW_TICKETS, -1);
    for (int i = 1; i <= GROW_TICKETS; i += 333) {
        char id[SD_ID_MAX + 1], title[32];
        snprintf(id, sizeof id, "HQ-%06d", i);
        snprintf(title, sizeof title, "big ticket %d", i - 1);
        sd_ticket_t t = {0};
        assert_int_equal(sd_store_get_ticket(txn, id, &t), 0);
        assert_string_equal(t.title, title);
        assert_string_equal(t.description, description);
        sd_ticket_clear(&t);
    }
    sd_store_abort(&txn);
}

static void test_map_growth(void **state)
{
    fx_t *fx = *state;
    char *description = malloc(SD_TEXT_MAX + 1);
    assert_non_null(description);
    for (int i = 0; i < SD_TEXT_MAX; i++)
        description[i] = (char)('a' + i % 26);
    description[SD_TEXT_MAX] = 0;

    /* The node's write loop: on SD_EMAPFULL abort, grow the map, redo. */
    int grown = 0;
    for (int first = 0; first < GROW_TICKETS; first += GROW_BATCH) {
        int rc;
        while ((rc = s_write_batch(fx, first, GROW_BATCH, description)) == SD_EMAPFULL) {
            assert_int_equal(sd_store_grow(fx->store), 0);
            grown++;
        }
        assert_int_equal(rc, 0);
    }
    assert_true(grown >= 1);
    uint64_t map, used;
    sd_store_usage(fx->store, &map, &used);
    assert_true(map >= (128ull << 20));
    assert_true(used > (64ull << 20) && used <= map);
    s_assert_big(fx, description);

    char before[65], after[65];
    s_digest(fx->store, before);
    sd_store_close(&fx->store);
    assert_int_equal(sd_store_open(fx->dir, "HQ", &fx->store), 0);
    s_digest(fx->store, after);
    assert_string_equal(before, after);
    s_assert_big(fx, description);

    /* After a restart the map is sized to the data; the same loop keeps writing. */
    int rc;
    while ((rc = s_write_batch(fx, GROW_TICKETS, 10, "small")) == SD_EMAPFULL)
        assert_int_equal(sd_store_grow(fx->store), 0);
    assert_int_equal(rc, 0);
    sd_store_txn_t *txn = NULL;
    sd_ticket_t t = {0};
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_get_ticket(txn, "HQ-004010", &t), 0);
    assert_string_equal(t.description, "small");
    sd_ticket_clear(&t);
    sd_store_abort(&txn);
    free(description);
}

/* ---- digest ------------------------------------------------------------- */

typedef struct {
    sd_event_t ev[32]; /* events read from history */
    int n;             /* how many */
} s_events_t;

static int s_grab(const void *bytes, size_t len, void *arg)
{
    s_events_t *e = arg;
    if (e->n >= 32)
        return SD_ETOOBIG;
    sd_fault_t fault;
    return sd_event_decode(bytes, len, &e->ev[e->n++], &fault);
}

static int s_by_seq(const void *a, const void *b)
{
    const sd_event_t *x = a, *y = b;
    int c = strcmp(x->origin, y->origin);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Copies every event of the given tickets from one store to another, in
 * per-origin seq order, as replication would. */
static void s_replicate(sd_store_t *from, sd_store_t *to, const char *const *ids, int nids)
{
    static s_events_t e;
    memset(&e, 0, sizeof e);
    sd_store_txn_t *rt = NULL, *wt = NULL;
    assert_int_equal(sd_store_begin(from, false, &rt), 0);
    for (int i = 0; i < nids; i++)
        assert_int_equal(sd_store_history(rt, ids[i], s_grab, &e), 0);
    sd_store_abort(&rt);
    qsort(e.ev, (size_t)e.n, sizeof e.ev[0], s_by_seq);
    assert_int_equal(sd_store_begin(to, true, &wt), 0);
    for (int i = 0; i < e.n; i++) {
        int rc = sd_store_apply(wt, &e.ev[i]);
        assert_true(rc == 0 || rc == 1);
        sd_event_clear(&e.ev[i]);
    }
    assert_int_equal(sd_store_commit(&wt), 0);
}

static void test_digest(void **state)
{
    fx_t *fx = *state;
    char a[SD_ID_MAX + 1], b[SD_ID_MAX + 1], dir2[300];
    char hex1[65], hex2[65], hex_empty[65];
    const char *ids[2] = {a, b};

    snprintf(dir2, sizeof dir2, "%s/replica", fx->dir);
    sd_store_t *replica = NULL;
    assert_int_equal(sd_store_open(dir2, "EU", &replica), 0);
    s_digest(fx->store, hex1);
    s_digest(replica, hex2);
    assert_string_equal(hex1, hex2); /* two empty stores */
    strcpy(hex_empty, hex1);

    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    s_new(fx, txn, a, "bob", "1", "2");
    s_new(fx, txn, b, "eve", "2", "2");
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_ACK, a, NULL), 0);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_COMMENT, b, "body", "hello", NULL),
                     0);
    assert_int_equal(sd_store_commit(&txn), 0);
    s_digest(fx->store, hex1);
    assert_string_not_equal(hex1, hex_empty);

    /* Same events, same state, same digest (the replica's own site is irrelevant). */
    s_replicate(fx->store, replica, ids, 2);
    s_digest(replica, hex2);
    assert_string_equal(hex1, hex2);
    s_replicate(fx->store, replica, ids, 2); /* again: all duplicates */
    s_digest(replica, hex2);
    assert_string_equal(hex1, hex2);

    /* A change on one side makes them differ, until it is replicated. */
    assert_int_equal(sd_store_begin(replica, true, &txn), 0);
    fx->now += MINUTE;
    assert_int_equal(s_do(fx, txn, "EU", "jan", SD_REQ_TICKET_COMMENT, a, "body", "hi", NULL), 0);
    assert_int_equal(sd_store_commit(&txn), 0);
    s_digest(replica, hex2);
    assert_string_not_equal(hex1, hex2);
    s_replicate(replica, fx->store, ids, 2);
    s_digest(fx->store, hex1);
    assert_string_equal(hex1, hex2);
    sd_store_close(&replica);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_keeps_committed_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_other_site_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_duplicate_and_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_next_ticket_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_abort_leaves_no_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_growth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
