/* test_takeover.c - the hub and a silent site (node/desk/takeover.h), on simulated time.
 *
 * One store holds the desk; each site writes through its own journal, and
 * what the hub hears of each site is a number the test sets. Monday
 * 2026-03-02: APAC (Asia/Shanghai, mon-fri 07:00-16:00 = 23:00-08:00Z) is the
 * only site on duty until EMEA (Europe/London 08:00-17:00Z) starts at 08:00Z.
 * APAC's node goes silent at 05:10Z while its P1 (response due 06:00Z) waits:
 *   - the hub records the warning and the breach at the times they happen,
 *     and escalates APAC's P3 when its L1 time is up (nobody on call);
 *   - the hub and the returning APAC both record one breach: in either order
 *     the record, the digest and the breach count agree, the history shows
 *     the breach once;
 *   - with somebody on call, the hub gives the P1 to that person at once,
 *     keeps it when APAC returns, and hands it on when EMEA's shift begins. */
#include "node_test.h"

#include "config.h"
#include "desk_test.h"
#include "dispatch.h"
#include "error.h"
#include "event.h"
#include "hlc.h"
#include "op_ticket.h"
#include "permission.h"
#include "schedule.h"
#include "scheduler.h"
#include "store.h"
#include "ticket_store.h"
#include "workflow.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#define MINUTE (60ull * 1000)

enum { APAC, EMEA, HUB, NODES };
static const char *const s_node[NODES] = {"APAC", "EMEA", "HUB"};

static uint64_t at(int d, int h, int mi) /* 2026-03-d h:mi Z */
{
    struct tm tm = {.tm_year = 126, .tm_mon = 2, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return (uint64_t)timegm(&tm) * 1000;
}

typedef struct {
    char dir[256];
    sd_store_t *store;
    sd_journal_t *journal[NODES];
    sd_config_t cfg;            /* the desk's schedule and policy, as a node loads them */
    const sd_schedule_t *sched; /* &cfg.sched */
    uint64_t now;
    int64_t heard[NODES];     /* ms since the hub heard the node */
    int made;                 /* tickets created */
    char last[SD_ID_MAX + 1]; /* the newest one */
    sd_request_t req;
} fx_t;

#define SITES                                                                                      \
    "    site\n        name = APAC\n        zone = Asia/Shanghai\n"                                \
    "        hours = \"mon-fri 07:00-16:00\"\n"                                                    \
    "    site\n        name = EMEA\n        zone = Europe/London\n"                                \
    "        hours = \"mon-fri 08:00-17:00\"\n"

/* lee is on call in the gaps, every week, for every site. */
#define ROSTER                                                                                     \
    "    oncall\n        name = desk\n        zone = Europe/London\n"                              \
    "        members = lee\n        handoff = \"mon 09:00\"\n        start = 2026-01-05\n"

/* Loads the node config with schedule section schedule into fx->cfg. */
static void s_config(fx_t *fx, const char *schedule)
{
    char err[512] = "";
    sd_config_clear(&fx->cfg);
    if (sd_test_load_config(&fx->cfg, fx->dir, schedule, err, sizeof err) != 0)
        fail_msg("%s", err);
    fx->sched = &fx->cfg.sched;
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-takeover") != 0 ||
        sd_store_open(fx->dir, "HUB", &fx->store) != 0)
        return -1;
    for (int i = 0; i < NODES; i++)
        if (sd_journal_open(fx->store, s_node[i], &fx->journal[i]) != 0)
            return -1;
    *state = fx;
    s_config(fx, SITES);
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    for (int i = 0; i < NODES; i++)
        sd_journal_close(&fx->journal[i]);
    sd_store_close(&fx->store);
    sd_config_clear(&fx->cfg);
    sd_request_clear(&fx->req);
    sd_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

static sd_workflow_ctx_t s_wf(const fx_t *fx, int node)
{
    return (sd_workflow_ctx_t){.site = s_node[node],
                               .policy = &fx->cfg.policy,
                               .sched = fx->sched,
                               .now_ms = fx->now,
                               .hub = node == HUB,
                               .author = "li"};
}

static int64_t s_silent(void *arg, const char *site)
{
    const fx_t *fx = arg;
    for (int i = 0; i < NODES; i++)
        if (strcmp(site, s_node[i]) == 0)
            return fx->heard[i];
    return -1;
}

static sd_sched_ctx_t s_ctx(fx_t *fx, const sd_workflow_ctx_t *wf, int node)
{
    return (sd_sched_ctx_t){.wf = wf, .hub = node == HUB, .silent_ms = s_silent, .silent_arg = fx};
}

static int s_tick(fx_t *fx, int node)
{
    sd_workflow_ctx_t wf = s_wf(fx, node);
    sd_sched_ctx_t ctx = s_ctx(fx, &wf, node);
    char cursor[SD_ID_MAX + 1] = "";
    uint64_t first, last;
    int made = sd_sched_tick(&ctx, fx->journal[node], cursor, &first, &last);
    assert_true(made >= 0);
    return made;
}

static int s_fill(sd_journal_batch_t *batch, void *arg)
{
    fx_t *fx = arg;
    sd_workflow_ctx_t wf = s_wf(fx, APAC);
    sd_event_t ev = {0};
    sd_fault_t fault = {0};
    assert_int_equal(sd_workflow_build(&wf, NULL, &fx->req, &ev, &fault), 0);
    snprintf(ev.key, sizeof ev.key, "APAC-%06d", ++fx->made);
    strcpy(fx->last, ev.key);
    int rc = sd_journal_append(batch, &ev, NULL);
    sd_event_clear(&ev);
    return rc;
}

/* A new ticket at APAC, impact and urgency 1..3; its id into id. */
static void s_new(fx_t *fx, const char *impact, char id[SD_ID_MAX + 1])
{
    assert_int_equal(sd_test_request(&fx->req, SD_REQ_TICKET_NEW, "title", "Core router down",
                                     "requester", "noc@example.com", "impact", impact, "urgency",
                                     impact, NULL),
                     0);
    assert_int_equal(sd_journal_write(fx->journal[APAC], fx->now, s_fill, fx, NULL), 0);
    snprintf(id, SD_ID_MAX + 1, "%s", fx->last);
}

static void s_get(fx_t *fx, const char *id, sd_ticket_t *t)
{
    assert_int_equal(sd_test_get_ticket(fx->store, id, t), 0);
}

/* ---- the hub keeps the clocks of a silent site ------------------------------ */

static void test_hub_keeps_silent_sites_clocks(void **state)
{
    fx_t *fx = *state;
    char p1[SD_ID_MAX + 1], p3[SD_ID_MAX + 1];
    sd_ticket_t t = {0};
    fx->now = at(2, 5, 0);
    s_new(fx, "1", p1);
    s_new(fx, "3", p3); /* P3: L1 for 20 business minutes, then L1.5 */
    s_get(fx, p1, &t);
    assert_int_equal(t.response_due, at(2, 6, 0));
    /* APAC's node ticks until 05:10Z, then nobody hears it. */
    for (; fx->now < at(2, 5, 10); fx->now += MINUTE)
        s_tick(fx, APAC);
    for (; fx->now <= at(2, 6, 5); fx->now += MINUTE) {
        fx->heard[APAC] = (int64_t)(fx->now - at(2, 5, 10));
        s_tick(fx, HUB);
    }
    /* Grace 30 s: the hub acted from 05:11Z. The times are the decisions' own. */
    s_get(fx, p1, &t);
    assert_int_equal(t.sla_state, SD_SLA_BREACHED);
    assert_int_equal(t.sla_at, at(2, 6, 0));
    assert_string_equal(t.stamps[SD_REG_SLA].origin, "HUB");
    assert_true(t.escalated);
    assert_string_equal(t.owner_site, "APAC"); /* nobody else on duty, nobody on call */
    assert_non_null(strstr(t.sla_reason, "response target missed: due 2026-03-02 06:00Z"));
    s_get(fx, p3, &t);
    assert_int_equal(t.tier, SD_TIER_L1_5);
    assert_int_equal(t.tier_since, at(2, 5, 20));
    assert_string_equal(t.stamps[SD_REG_ASSIGN].origin, "HUB");
    /* APAC heard again: the hub leaves its tickets alone. */
    fx->heard[APAC] = 0;
    fx->now = at(2, 7, 40);
    assert_int_equal(s_tick(fx, HUB), 0);
    uint64_t n = 0;
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_sla_breaches(txn, &n), 0);
    sd_store_abort(&txn);
    assert_int_equal(n, 1);
    sd_ticket_clear(&t);
}

/* ---- both record the breach: one state, one breach -------------------------- */

static int s_raw(const void *bytes, size_t len, void *arg)
{
    sd_mp_writer_t **out = arg;
    while (*out)
        out++;
    *out = sd_mp_writer_new();
    sd_mp_raw(*out, bytes, len);
    return 0;
}

static void s_stamp(sd_event_t *ev, const char *origin, uint64_t seq, uint64_t ms, const char *id)
{
    strcpy(ev->origin, origin);
    strcpy(ev->key, id);
    ev->seq = seq;
    ev->hlc = ms << 16;
}

/* Breach events shown by ticket.history, as a client gets it. */
static int s_shown_breaches(sd_store_txn_t *txn, const char *id)
{
    sd_request_t req = {0};
    assert_int_equal(sd_test_request(&req, SD_REQ_TICKET_HISTORY, "id", id, NULL), 0);
    sd_api_ctx_t ctx = {.txn = txn, .scope = SD_SCOPE_ANY};
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_fault_t fault = {0};
    assert_int_equal(sd_api_ticket_history(&ctx, &req, w, &fault), 0);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_mp_doc_t *doc = NULL;
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    const sd_mp_node_t *events = sd_mp_get(sd_mp_get(sd_mp_doc_root(doc), "result"), "events");
    assert_non_null(events);
    int n = 0;
    for (size_t i = 0; i < sd_mp_len(events); i++) {
        const sd_mp_node_t *e = sd_mp_at(events, i), *f = sd_mp_get(e, "fields");
        n += sd_mp_str_eq(sd_mp_get(e, "op"), "sla") &&
             sd_mp_str_eq(sd_mp_get(f, "sla_state"), "breached");
    }
    sd_mp_doc_destroy(&doc);
    sd_mp_writer_destroy(&w);
    sd_request_clear(&req);
    return n;
}

static void test_hub_and_returning_site_record_one_breach(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    sd_ticket_t t = {0};
    fx->now = at(2, 5, 0);
    s_new(fx, "1", id);
    fx->now = at(2, 5, 50);
    assert_int_equal(s_tick(fx, APAC), 1); /* at risk, recorded by APAC */
    /* APAC silent; at 06:01Z the hub decides the breach, at 06:03Z APAC,
     * back and not yet caught up, decides it too on the same state. */
    s_get(fx, id, &t);
    assert_int_equal(t.sla_state, SD_SLA_AT_RISK);
    assert_int_equal(t.sla_at, at(2, 5, 45));
    fx->heard[APAC] = 60000;
    sd_event_t ev[2];
    memset(ev, 0, sizeof ev);
    for (int i = 0; i < 2; i++) {
        int node = i == 0 ? HUB : APAC;
        fx->now = i == 0 ? at(2, 6, 1) : at(2, 6, 3);
        sd_workflow_ctx_t wf = s_wf(fx, node);
        sd_sched_ctx_t ctx = s_ctx(fx, &wf, node);
        assert_int_equal(sd_sched_decide(&ctx, &t, &ev[i]), 1);
        assert_int_equal(ev[i].op, SD_OP_SLA);
    }
    s_stamp(&ev[0], "HUB", 1, at(2, 6, 1), id);
    s_stamp(&ev[1], "APAC", 3, at(2, 6, 3), id);

    /* The ticket's events: create, at risk, then the two breaches. */
    sd_mp_writer_t *raw[5] = {0};
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_history(txn, id, s_raw, raw), 0);
    sd_store_abort(&txn);
    assert_non_null(raw[1]);
    for (int i = 0; i < 2; i++) {
        raw[2 + i] = sd_mp_writer_new();
        sd_event_encode(&ev[i], raw[2 + i]);
    }
    static const int orders[2][4] = {{0, 1, 2, 3}, {0, 1, 3, 2}};
    char digest[2][SD_DIGEST_BYTES * 2 + 1];
    sd_ticket_t got[2];
    memset(got, 0, sizeof got);
    for (int o = 0; o < 2; o++) {
        char dir[256];
        sd_store_t *store;
        assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-takeover-conv"), 0);
        assert_int_equal(sd_store_open(dir, "EMEA", &store), 0);
        assert_int_equal(sd_store_begin(store, true, &txn), 0);
        for (int i = 0; i < 4; i++) {
            size_t len;
            const void *data = sd_mp_writer_data(raw[orders[o][i]], &len);
            sd_event_t e = {0};
            assert_int_equal(sd_event_decode(data, len, &e, NULL), 0);
            assert_int_equal(sd_store_apply(txn, &e), 0);
            sd_event_clear(&e);
        }
        assert_int_equal(sd_store_get_ticket(txn, id, &got[o]), 0);
        assert_int_equal(sd_store_digest(txn, digest[o]), 0);
        uint64_t n = 0;
        assert_int_equal(sd_store_sla_breaches(txn, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(s_shown_breaches(txn, id), 1);
        assert_int_equal(sd_store_commit(&txn), 0);
        sd_store_close(&store);
        sd_test_rmtree(dir);
    }
    assert_string_equal(digest[0], digest[1]);
    assert_string_equal(got[0].sla_reason, got[1].sla_reason);
    for (int o = 0; o < 2; o++) {
        assert_int_equal(got[o].sla_state, SD_SLA_BREACHED);
        assert_int_equal(got[o].sla_at, at(2, 6, 0));
        assert_true(got[o].escalated);
        sd_ticket_clear(&got[o]);
    }
    for (int i = 0; i < 5; i++)
        sd_mp_writer_destroy(&raw[i]);
    sd_event_clear(&ev[0]);
    sd_event_clear(&ev[1]);
    sd_ticket_clear(&t);
}

/* ---- nobody else on duty: the person on call -------------------------------- */

static void test_taken_for_the_person_on_call(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    sd_ticket_t t = {0};
    s_config(fx, SITES ROSTER);
    fx->now = at(2, 5, 0);
    s_new(fx, "1", id);
    assert_int_equal(s_tick(fx, HUB), 0); /* APAC heard: not the hub's */
    fx->now = at(2, 5, 30);
    fx->heard[APAC] = fx->sched->takeover_grace_ms + 1;
    assert_int_equal(s_tick(fx, HUB), 1);
    s_get(fx, id, &t);
    assert_string_equal(t.owner_site, "HUB");
    assert_string_equal(t.owner, "lee");
    assert_string_equal(t.handover_from, "APAC");
    assert_int_equal(t.handover_at, at(2, 5, 30));
    assert_string_equal(t.oncall, "lee"); /* paged by the same event */
    assert_int_equal(t.paged_at, at(2, 5, 30));
    assert_non_null(strstr(t.handover_note,
                           "APAC unreachable and no other site on duty: the hub gives it to "
                           "lee, on call"));
    assert_int_equal(t.response_due, at(2, 6, 0)); /* follows the sun: due times kept */
    /* APAC back within its shift: the ticket stays with lee, the hub keeps its clocks. */
    fx->heard[APAC] = 0;
    for (fx->now = at(2, 5, 31); fx->now < at(2, 8, 0); fx->now += MINUTE) {
        assert_int_equal(s_tick(fx, APAC), 0);
        s_tick(fx, HUB);
        s_get(fx, id, &t);
        assert_string_equal(t.owner_site, "HUB");
        assert_string_equal(t.owner, "lee");
    }
    assert_int_equal(t.sla_state, SD_SLA_BREACHED);
    assert_true(t.escalated);
    assert_string_equal(t.stamps[SD_REG_SLA].origin, "HUB");
    /* EMEA's shift begins at 08:00Z: the hub hands it on. */
    assert_int_equal(s_tick(fx, HUB), 1);
    s_get(fx, id, &t);
    assert_string_equal(t.owner_site, "EMEA");
    assert_string_equal(t.handover_from, "HUB");
    assert_non_null(strstr(t.handover_note, "HUB held it for the person on call"));
    sd_ticket_clear(&t);
}

/* Nobody on call: the hub leaves the ticket with the silent site (it keeps its clocks). */
static void test_nobody_on_call_leaves_it(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    sd_ticket_t t = {0};
    fx->now = at(2, 5, 0);
    s_new(fx, "1", id);
    fx->now = at(2, 5, 30);
    fx->heard[APAC] = fx->sched->takeover_grace_ms + 1;
    assert_int_equal(s_tick(fx, HUB), 1); /* its L1 time is up: the hub escalates */
    s_get(fx, id, &t);
    assert_string_equal(t.owner_site, "APAC");
    assert_int_equal(t.tier, SD_TIER_L1_5);
    sd_ticket_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hub_keeps_silent_sites_clocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hub_and_returning_site_record_one_breach, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_taken_for_the_person_on_call, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nobody_on_call_leaves_it, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
