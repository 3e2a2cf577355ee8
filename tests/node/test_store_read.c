/* test_store_read.c - reading the store: the queue order, filters and paging, history, handovers,
 * counts. */
#include "store_fixture.h"
#include "ticket_store.h"

#include <inttypes.h>

typedef struct {
    char ids[MAX_IDS][SD_ID_MAX + 1]; /* in the order the store gave them */
    int n;                            /* how many */
    int stop_after;                   /* return 7 after this many (0: never) */
} s_ids_t;

static int s_collect(const sd_ticket_t *t, void *arg)
{
    s_ids_t *l = arg;
    if (l->n < MAX_IDS)
        strcpy(l->ids[l->n++], t->id);
    return l->stop_after && l->n >= l->stop_after ? 7 : 0;
}

/* Lists with filter f and checks the ids (a NULL-terminated list) and `more`. */
static void s_assert_list(sd_store_txn_t *txn, const sd_store_filter_t *f, bool want_more, ...)
{
    s_ids_t got = {.n = 0};
    bool more = !want_more;
    assert_int_equal(sd_store_list(txn, f, s_collect, &got, &more), 0);
    va_list ap;
    va_start(ap, want_more);
    int n = 0;
    const char *want;
    while ((want = va_arg(ap, const char *)) != NULL) {
        if (n >= got.n)
            fail_msg("list: %d tickets, wanted %s at %d", got.n, want, n);
        if (strcmp(got.ids[n], want) != 0)
            fail_msg("list[%d]: got %s, wanted %s", n, got.ids[n], want);
        n++;
    }
    va_end(ap);
    if (got.n != n)
        fail_msg("list: %d tickets, wanted %d (extra: %s)", got.n, n, got.ids[n]);
    assert_int_equal(more, want_more);
}

/* A filter that lets everything through, up to 100 tickets. */
static sd_store_filter_t s_all(void)
{
    return (sd_store_filter_t){.status = -1, .priority = -1, .sla = -1, .limit = 100};
}

/* Seven tickets (ids HQ-000001..7):
 *   1  P3 due t0+72h     assigned to carol   bob
 *   2  P1 due t0+4h      assigned to dave    bob
 *   3  P3 due t0-10h+72h (created earlier)   eve
 *   4  P1 cancelled                          bob
 *   5  P4                assigned to carol   eve
 *   6  P2 resolved                           eve
 *   7  P3 due t0+72h (ties with 1)           eve
 * Queue order: open first (2, 3, 1, 7, 5), then the rest (4, 6). */
static void s_seed_queue(fx_t *fx)
{
    char id[SD_ID_MAX + 1];
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    fx->now = T0;
    s_new(fx, txn, id, "bob", "2", "2");
    s_ack_assign(fx, txn, id, "carol");
    s_new(fx, txn, id, "bob", "1", "1");
    s_ack_assign(fx, txn, id, "dave");
    fx->now = T0 - 600 * MINUTE;
    s_new(fx, txn, id, "eve", "2", "2");
    fx->now = T0;
    s_new(fx, txn, id, "bob", "1", "1");
    assert_int_equal(
        s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_CANCEL, id, "reason", "duplicate", NULL), 0);
    s_new(fx, txn, id, "eve", "3", "3");
    s_ack_assign(fx, txn, id, "carol");
    s_new(fx, txn, id, "eve", "1", "2");
    s_ack_assign(fx, txn, id, "dave");
    assert_int_equal(s_do(fx, txn, "HQ", "dave", SD_REQ_TICKET_START, id, NULL), 0);
    assert_int_equal(
        s_do(fx, txn, "HQ", "dave", SD_REQ_TICKET_RESOLVE, id, "resolution", "rebooted", NULL), 0);
    s_new(fx, txn, id, "eve", "2", "2");
    assert_string_equal(id, "HQ-000007");
    assert_int_equal(sd_store_commit(&txn), 0);
}

static void test_list_queue_order(void **state)
{
    fx_t *fx = *state;
    s_seed_queue(fx);
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    sd_store_filter_t f = s_all();
    s_assert_list(txn, &f, false, "HQ-000002", "HQ-000003", "HQ-000001", "HQ-000007", "HQ-000005",
                  "HQ-000004", "HQ-000006", NULL);
    sd_store_abort(&txn);

    /* Raising ticket 7 to P1 moves it up; its resolve_due (T0+4h) ties with 2's. */
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    fx->now = T0 + 60 * MINUTE;
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_UPDATE, "HQ-000007", "impact", "1",
                          "urgency", "1", NULL),
                     0);
    s_assert_list(txn, &f, false, "HQ-000002", "HQ-000007", "HQ-000003", "HQ-000001", "HQ-000005",
                  "HQ-000004", "HQ-000006", NULL);

    /* The callback can stop the walk; its value is returned. */
    s_ids_t got = {.stop_after = 2};
    bool more;
    assert_int_equal(sd_store_list(txn, &f, s_collect, &got, &more), 7);
    assert_int_equal(got.n, 2);
    sd_store_abort(&txn);
}

static void test_list_filters(void **state)
{
    fx_t *fx = *state;
    s_seed_queue(fx);
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);

    sd_store_filter_t f = s_all();
    f.status = SD_STATUS_RESOLVED;
    s_assert_list(txn, &f, false, "HQ-000006", NULL);
    f.status = SD_STATUS_NEW;
    s_assert_list(txn, &f, false, "HQ-000003", "HQ-000007", NULL);

    f = s_all();
    f.priority = SD_P3;
    s_assert_list(txn, &f, false, "HQ-000003", "HQ-000001", "HQ-000007", NULL);
    f.priority = SD_P1;
    s_assert_list(txn, &f, false, "HQ-000002", "HQ-000004", NULL);
    f.status = SD_STATUS_ASSIGNED;
    s_assert_list(txn, &f, false, "HQ-000002", NULL);

    f = s_all();
    f.open_only = true;
    s_assert_list(txn, &f, false, "HQ-000002", "HQ-000003", "HQ-000001", "HQ-000007", "HQ-000005",
                  NULL);

    f = s_all();
    f.assignee = "carol";
    s_assert_list(txn, &f, false, "HQ-000001", "HQ-000005", NULL);
    f.assignee = "dave";
    s_assert_list(txn, &f, false, "HQ-000002", "HQ-000006", NULL);
    f.open_only = true;
    s_assert_list(txn, &f, false, "HQ-000002", NULL);

    f = s_all();
    f.requester = "bob";
    s_assert_list(txn, &f, false, "HQ-000002", "HQ-000001", "HQ-000004", NULL);
    f.requester = "eve";
    f.priority = SD_P3;
    s_assert_list(txn, &f, false, "HQ-000003", "HQ-000007", NULL);

    /* limit, with `more` saying whether matching tickets were left. */
    f = s_all();
    f.limit = 2;
    s_assert_list(txn, &f, true, "HQ-000002", "HQ-000003", NULL);
    f.limit = 7;
    s_assert_list(txn, &f, false, "HQ-000002", "HQ-000003", "HQ-000001", "HQ-000007", "HQ-000005",
                  "HQ-000004", "HQ-000006", NULL);
    f.limit = 5;
    f.open_only = true;
    s_assert_list(txn, &f, false, "HQ-000002", "HQ-000003", "HQ-000001", "HQ-000007", "HQ-000005",
                  NULL);

    /* Paging: each page resumes after the last id of the previous one. */
    f = s_all();
    f.limit = 3;
    s_assert_list(txn, &f, true, "HQ-000002", "HQ-000003", "HQ-000001", NULL);
    f.after = "HQ-000001";
    s_assert_list(txn, &f, true, "HQ-000007", "HQ-000005", "HQ-000004", NULL);
    f.after = "HQ-000004";
    s_assert_list(txn, &f, false, "HQ-000006", NULL);
    f.after = "HQ-000006";
    s_assert_list(txn, &f, false, NULL);

    /* Paging through an index (requester) works the same way. */
    f = s_all();
    f.requester = "bob";
    f.limit = 1;
    s_assert_list(txn, &f, true, "HQ-000002", NULL);
    f.after = "HQ-000002";
    s_assert_list(txn, &f, true, "HQ-000001", NULL);
    f.after = "HQ-000001";
    s_assert_list(txn, &f, false, "HQ-000004", NULL);
    sd_store_abort(&txn);
}

/* Lists with filter f in a child process (the store is closed here and
 * reopened there, as LMDB environments must not cross a fork). Returns the
 * child's wait status: exit 0 when the list was empty and complete. */
static int s_list_in_child(fx_t *fx, const sd_store_filter_t *f)
{
    sd_store_close(&fx->store);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sd_store_t *store = NULL;
        sd_store_txn_t *txn = NULL;
        s_ids_t got = {.n = 0};
        bool more = true;
        int rc = sd_store_open(fx->dir, "HQ", &store) ?: sd_store_begin(store, false, &txn);
        rc = rc ?: sd_store_list(txn, f, s_collect, &got, &more);
        _exit(rc == 0 && got.n == 0 && !more ? 0 : 2);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(sd_store_open(fx->dir, "HQ", &fx->store), 0);
    return status;
}

static void test_list_no_match(void **state)
{
    fx_t *fx = *state;
    s_seed_queue(fx);
    /* Regression (fixed): when no ticket has the requester or assignee, sd_store_list calls
     * qsort(NULL, 0, ...) (node/store.c, sd_store_list: set.items is still
     * NULL). glibc declares qsort's base nonnull, so this is undefined
     * behaviour: the SD_SANITIZE build dies with "null pointer passed as
     * argument 1" - a node built that way exits on "list --assignee nobody".
     * Run in a child so the failure does not take the other tests along. */
    sd_store_filter_t f = s_all();
    f.assignee = "nobody";
    int status = s_list_in_child(fx, &f);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("list --assignee nobody: child died (wait status %#x)", (unsigned)status);
    f = s_all();
    f.requester = "bo"; /* exact match only, not a prefix of "bob" */
    status = s_list_in_child(fx, &f);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("list --requester bo: child died (wait status %#x)", (unsigned)status);
}

/* ---- history and counts ------------------------------------------------- */

typedef struct {
    uint64_t hlc[16];                 /* stamps, in the order given */
    char origin[16][SD_SITE_MAX + 1]; /* origins */
    int op[16];                       /* ops */
    int n;                            /* how many */
} s_hist_t;

static int s_hist(const void *bytes, size_t len, void *arg)
{
    s_hist_t *h = arg;
    sd_event_t ev = {0};
    sd_fault_t fault;
    int rc = sd_event_decode(bytes, len, &ev, &fault);
    if (rc)
        return rc;
    if (h->n < 16) {
        h->hlc[h->n] = ev.hlc;
        strcpy(h->origin[h->n], ev.origin);
        h->op[h->n++] = ev.op;
    }
    sd_event_clear(&ev);
    return 0;
}

static void test_history_clock_order(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1], other[SD_ID_MAX + 1];
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);

    /* HQ records the ticket at t0 and acknowledges it at t0+30min; EU's
     * comment, made at t0+10min, arrives after the ack. */
    fx->now = T0;
    s_new(fx, txn, id, "bob", "2", "2");
    s_new(fx, txn, other, "eve", "2", "2");
    fx->now = T0 + 30 * MINUTE;
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_ACK, id, NULL), 0);
    fx->now = T0 + 10 * MINUTE;
    assert_int_equal(
        s_do(fx, txn, "EU", "jan", SD_REQ_TICKET_COMMENT, id, "body", "seen from Dublin", NULL), 0);
    fx->now = T0 + 40 * MINUTE;
    assert_int_equal(
        s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_COMMENT, other, "body", "other ticket", NULL), 0);

    s_hist_t h = {.n = 0};
    assert_int_equal(sd_store_history(txn, id, s_hist, &h), 0);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.op[0], SD_OP_CREATE);
    assert_int_equal(h.op[1], SD_OP_COMMENT);
    assert_string_equal(h.origin[1], "EU");
    assert_int_equal(h.op[2], SD_OP_ACK);
    for (int i = 1; i < h.n; i++)
        assert_true(h.hlc[i - 1] < h.hlc[i]);

    memset(&h, 0, sizeof h);
    assert_int_equal(sd_store_history(txn, other, s_hist, &h), 0);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.op[1], SD_OP_COMMENT);

    assert_int_equal(sd_store_history(txn, "HQ-000099", s_hist, &h), SD_ENOTFOUND);
    assert_int_equal(sd_store_history(txn, "HQ-00000", s_hist, &h), SD_ENOTFOUND);
    sd_store_abort(&txn);
}

static int s_count_event(const void *event, size_t len, void *arg)
{
    (void)event, (void)len;
    ++*(int *)arg;
    return 0;
}

/* Handovers since a time: at or after it; a time past what a clock stamp can
 * hold (its ms are 48 bits) finds none, rather than wrapping to the start. */
static void test_handovers_since(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    fx->now = T0;
    s_new(fx, txn, id, "bob", "2", "2");
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_HANDOVER, id, "site", "EU", "note",
                          "night shift", NULL),
                     0);
    const uint64_t max_ms = (1ull << 48) - 1;
    const struct {
        uint64_t since; /* the report's since, Unix ms */
        int want;       /* handovers found */
    } cases[] = {{0, 1},          {T0, 1},
                 {T0 + 1, 0},     {max_ms, 0},
                 {max_ms + 1, 0}, {(1ull << 48) + T0, 0},
                 {UINT64_MAX, 0}, {UINT64_MAX >> 16, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int n = 0;
        assert_int_equal(sd_store_handovers(txn, cases[i].since, s_count_event, &n), 0);
        if (n != cases[i].want)
            fail_msg("since %" PRIu64 ": %d handovers, want %d", cases[i].since, n, cases[i].want);
    }
    sd_store_abort(&txn);
}

static void test_counts_follow_transitions(void **state)
{
    fx_t *fx = *state;
    char a[SD_ID_MAX + 1], b[SD_ID_MAX + 1];
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    s_new(fx, txn, a, "bob", "2", "2");
    s_new(fx, txn, b, "eve", "2", "2");
    s_assert_counts(txn, SD_STATUS_NEW, 2, -1);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_ACK, a, NULL), 0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_ACKNOWLEDGED, 1, -1);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_ASSIGN, a, "assignee", "carol", NULL),
                     0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_ASSIGNED, 1, -1);
    assert_int_equal(s_do(fx, txn, "HQ", "carol", SD_REQ_TICKET_START, a, NULL), 0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_IN_PROGRESS, 1, -1);
    assert_int_equal(
        s_do(fx, txn, "HQ", "carol", SD_REQ_TICKET_PENDING, a, "waiting_on", "customer", NULL), 0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_PENDING, 1, -1);
    /* A comment or an update does not move the count. */
    assert_int_equal(
        s_do(fx, txn, "HQ", "carol", SD_REQ_TICKET_COMMENT, a, "body", "any news?", NULL), 0);
    assert_int_equal(s_do(fx, txn, "HQ", "carol", SD_REQ_TICKET_UPDATE, a, "impact", "1", NULL), 0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_PENDING, 1, -1);
    assert_int_equal(s_do(fx, txn, "HQ", "carol", SD_REQ_TICKET_RESOLVE, a, "resolution",
                          "replaced toner", NULL),
                     0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_RESOLVED, 1, -1);
    assert_int_equal(
        s_do(fx, txn, "HQ", "carol", SD_REQ_TICKET_CLOSE, a, "satisfaction", "5", NULL), 0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_CLOSED, 1, -1);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_REOPEN, a, "reason", "again", NULL),
                     0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_IN_PROGRESS, 1, -1);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_CANCEL, b, "reason", "dup", NULL), 0);
    s_assert_counts(txn, SD_STATUS_CANCELLED, 1, SD_STATUS_IN_PROGRESS, 1, -1);
    assert_int_equal(sd_store_commit(&txn), 0);

    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    s_assert_counts(txn, SD_STATUS_CANCELLED, 1, SD_STATUS_IN_PROGRESS, 1, -1);
    sd_store_abort(&txn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_queue_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_no_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_clock_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handovers_since, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_follow_transitions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
