/* test_store.c - the LMDB store: durability, apply, ids, nested txns, queries, growth, digest. */
#include "node_test.h"

#include "error.h"
#include "event.h"
#include "fold.h"
#include "hlc.h"
#include "request.h"
#include "store.h"
#include "workflow.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define T0       1700000000000ull /* a wall clock, Unix ms */
#define MINUTE   (60ull * 1000)
#define MAX_IDS  32
#define MAX_SITE 4

/* One test's world: a store in a temporary directory, the policy and a clock per site. */
typedef struct {
    char dir[256];                         /* temporary directory holding the store */
    sd_store_t *store;                     /* the store of site HQ */
    sd_policy_t policy;                    /* default priorities and due times */
    uint64_t now;                          /* wall clock of the next request */
    char sites[MAX_SITE][SD_SITE_MAX + 1]; /* sites that made events so far */
    sd_hlc_t clocks[MAX_SITE];             /* and their clocks */
    sd_request_t req;                      /* scratch request */
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-store") != 0)
        return -1;
    sd_policy_default(&fx->policy);
    fx->now = T0;
    if (sd_store_open(fx->dir, "HQ", &fx->store) != 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_store_close(&fx->store);
    sd_request_clear(&fx->req);
    sd_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

/* The hybrid clock of a site (each site stamps its own events). */
static sd_hlc_t *s_clock(fx_t *fx, const char *site)
{
    for (int i = 0; i < MAX_SITE; i++) {
        if (!fx->sites[i][0])
            strcpy(fx->sites[i], site);
        if (strcmp(fx->sites[i], site) == 0)
            return &fx->clocks[i];
    }
    fail_msg("too many sites");
    return NULL;
}

/* Does what the node does for one writing request (node/server.c): read the
 * ticket, let the workflow build the event, stamp it with origin, seq, hlc
 * and key, and apply it, all inside txn. `origin` is the site making the
 * event. For ticket.new the new id is written to id; otherwise id names the
 * ticket. The arguments are name/value pairs ending with NULL. */
static int s_do(fx_t *fx, sd_store_txn_t *txn, const char *origin, int op, char *id, ...)
{
    va_list ap;
    va_start(ap, id);
    int rc = sd_test_request_v(&fx->req, op, ap);
    va_end(ap);
    assert_int_equal(rc, 0);
    sd_ticket_t cur = {0};
    sd_event_t ev = {0};
    sd_fault_t fault = {0};
    bool have = false;
    if (op == SD_REQ_TICKET_NEW) {
        rc = sd_store_next_ticket_id(txn, id);
    } else {
        assert_int_equal(sd_test_arg(&fx->req, "id", id), 0);
        rc = sd_store_get_ticket(txn, id, &cur);
        have = rc == 0;
        if (rc == SD_ENOTFOUND)
            rc = 0;
    }
    sd_workflow_ctx_t ctx = {.site = origin, .policy = &fx->policy, .now_ms = fx->now};
    rc = rc ?: sd_workflow_build(&ctx, have ? &cur : NULL, &fx->req, &ev, &fault);
    if (!rc) {
        strcpy(ev.origin, origin);
        strcpy(ev.key, id);
        ev.hlc = sd_hlc_tick(s_clock(fx, origin), fx->now);
        rc = sd_store_next_seq(txn, origin, &ev.seq) ?: sd_store_apply(txn, &ev);
    }
    sd_ticket_clear(&cur);
    sd_event_clear(&ev);
    return rc;
}

/* Creates a ticket at HQ with the given requester, impact and urgency. */
static void s_new(fx_t *fx, sd_store_txn_t *txn, char *id, const char *requester,
                  const char *impact, const char *urgency)
{
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_NEW, id, "author", "ann", "title",
                          "Printer on fire", "requester", requester, "impact", impact, "urgency",
                          urgency, NULL),
                     0);
}

/* Ticket id acknowledged by ann, who assigns it to assignee. */
static void s_ack_assign(fx_t *fx, sd_store_txn_t *txn, char *id, const char *assignee)
{
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_ACK, id, "author", "ann", NULL), 0);
    assert_int_equal(
        s_do(fx, txn, "HQ", SD_REQ_TICKET_ASSIGN, id, "author", "ann", "assignee", assignee, NULL),
        0);
}

/* Status of ticket id as the store holds it. */
static int s_status(sd_store_txn_t *txn, const char *id)
{
    sd_ticket_t t = {0};
    assert_int_equal(sd_store_get_ticket(txn, id, &t), 0);
    int status = t.status;
    sd_ticket_clear(&t);
    return status;
}

static void s_digest(sd_store_t *store, char hex[SD_DIGEST_BYTES * 2 + 1])
{
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(store, false, &txn), 0);
    assert_int_equal(sd_store_digest(txn, hex), 0);
    sd_store_abort(&txn);
}

/* ---- open, reopen, identity -------------------------------------------- */

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
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_ACK, id, "author", "ann", NULL), 0);
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_COMMENT, id, "author", "ann", "body",
                          "We are on it", "public", "true", NULL),
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
    assert_int_equal(s_do(fx, request, "HQ", SD_REQ_TICKET_ACK, one, "author", "ann", NULL), 0);
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
    assert_int_equal(s_do(fx, request, "HQ", SD_REQ_TICKET_ACK, one, "author", "ann", NULL), 0);
    assert_int_equal(sd_store_commit(&request), 0);
    assert_int_equal(sd_store_commit(&batch), 0);

    assert_int_equal(sd_store_begin(fx->store, false, &batch), 0);
    assert_int_equal(s_status(batch, one), SD_STATUS_ACKNOWLEDGED);
    assert_int_equal(sd_store_applied(batch, "HQ", &applied), 0);
    assert_int_equal(applied, 2);
    sd_store_abort(&batch);
}

/* ---- list: queue order and filters -------------------------------------- */

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
    return (sd_store_filter_t){.status = -1, .priority = -1, .limit = 100};
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
        s_do(fx, txn, "HQ", SD_REQ_TICKET_CANCEL, id, "author", "ann", "reason", "duplicate", NULL),
        0);
    s_new(fx, txn, id, "eve", "3", "3");
    s_ack_assign(fx, txn, id, "carol");
    s_new(fx, txn, id, "eve", "1", "2");
    s_ack_assign(fx, txn, id, "dave");
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_START, id, "author", "dave", NULL), 0);
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_RESOLVE, id, "author", "dave", "resolution",
                          "rebooted", NULL),
                     0);
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
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_UPDATE, "HQ-000007", "author", "ann",
                          "impact", "1", "urgency", "1", NULL),
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
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_ACK, id, "author", "ann", NULL), 0);
    fx->now = T0 + 10 * MINUTE;
    assert_int_equal(s_do(fx, txn, "EU", SD_REQ_TICKET_COMMENT, id, "author", "jan", "body",
                          "seen from Dublin", NULL),
                     0);
    fx->now = T0 + 40 * MINUTE;
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_COMMENT, other, "author", "ann", "body",
                          "other ticket", NULL),
                     0);

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

/* Asserts the status counts: the (status, count) pairs given, ending with -1;
 * every status not listed must count 0. */
static void s_assert_counts(sd_store_txn_t *txn, ...)
{
    uint64_t counts[SD_STATUS_COUNT_], want[SD_STATUS_COUNT_] = {0};
    va_list ap;
    va_start(ap, txn);
    int s;
    while ((s = va_arg(ap, int)) >= 0)
        want[s] = (uint64_t)va_arg(ap, int);
    va_end(ap);
    assert_int_equal(sd_store_count(txn, counts), 0);
    for (s = 0; s < SD_STATUS_COUNT_; s++)
        if (counts[s] != want[s])
            fail_msg("count %s: %llu, want %llu", sd_status_name(s), (unsigned long long)counts[s],
                     (unsigned long long)want[s]);
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
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_ACK, a, "author", "ann", NULL), 0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_ACKNOWLEDGED, 1, -1);
    assert_int_equal(
        s_do(fx, txn, "HQ", SD_REQ_TICKET_ASSIGN, a, "author", "ann", "assignee", "carol", NULL),
        0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_ASSIGNED, 1, -1);
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_START, a, "author", "carol", NULL), 0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_IN_PROGRESS, 1, -1);
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_PENDING, a, "author", "carol", "waiting_on",
                          "customer", NULL),
                     0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_PENDING, 1, -1);
    /* A comment or an update does not move the count. */
    assert_int_equal(
        s_do(fx, txn, "HQ", SD_REQ_TICKET_COMMENT, a, "author", "carol", "body", "any news?", NULL),
        0);
    assert_int_equal(
        s_do(fx, txn, "HQ", SD_REQ_TICKET_UPDATE, a, "author", "carol", "impact", "1", NULL), 0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_PENDING, 1, -1);
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_RESOLVE, a, "author", "carol", "resolution",
                          "replaced toner", NULL),
                     0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_RESOLVED, 1, -1);
    assert_int_equal(
        s_do(fx, txn, "HQ", SD_REQ_TICKET_CLOSE, a, "author", "carol", "satisfaction", "5", NULL),
        0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_CLOSED, 1, -1);
    assert_int_equal(
        s_do(fx, txn, "HQ", SD_REQ_TICKET_REOPEN, a, "author", "ann", "reason", "again", NULL), 0);
    s_assert_counts(txn, SD_STATUS_NEW, 1, SD_STATUS_IN_PROGRESS, 1, -1);
    assert_int_equal(
        s_do(fx, txn, "HQ", SD_REQ_TICKET_CANCEL, b, "author", "ann", "reason", "dup", NULL), 0);
    s_assert_counts(txn, SD_STATUS_CANCELLED, 1, SD_STATUS_IN_PROGRESS, 1, -1);
    assert_int_equal(sd_store_commit(&txn), 0);

    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    s_assert_counts(txn, SD_STATUS_CANCELLED, 1, SD_STATUS_IN_PROGRESS, 1, -1);
    sd_store_abort(&txn);
}

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
        rc = s_do(fx, txn, "HQ", SD_REQ_TICKET_NEW, id, "author", "ann", "title", title,
                  "requester", "bob", "description", description, NULL);
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
    assert_int_equal(s_do(fx, txn, "HQ", SD_REQ_TICKET_ACK, a, "author", "ann", NULL), 0);
    assert_int_equal(
        s_do(fx, txn, "HQ", SD_REQ_TICKET_COMMENT, b, "author", "ann", "body", "hello", NULL), 0);
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
    assert_int_equal(
        s_do(fx, txn, "EU", SD_REQ_TICKET_COMMENT, a, "author", "jan", "body", "hi", NULL), 0);
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
        cmocka_unit_test_setup_teardown(test_list_queue_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_no_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_clock_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_follow_transitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_growth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
