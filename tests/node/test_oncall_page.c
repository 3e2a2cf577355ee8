/* test_oncall_page.c - the scheduler pages the on-call person of a follow-the-sun ticket in a
 * gap (node/desk/oncall.h, scheduler.c step 2b), and the SLA clock of such a ticket counts the
 * on-call hours: a Saturday P1 is due within its 1 h target on Saturday. One site (EMEA,
 * London, mon-fri 08:00-17:00) and a gaps roster amy, bob (handoff Monday 09:00 London). */
#include "node_test.h"

#include "config.h"
#include "desk_test.h"
#include "error.h"
#include "journal.h"
#include "oncall.h"
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
#define HOUR   (60 * MINUTE)

static uint64_t U(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {
        .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return (uint64_t)timegm(&tm) * 1000;
}

typedef struct {
    char dir[256];
    sd_config_t cfg;
    sd_store_t *store;
    sd_journal_t *journal;
    uint64_t now;
    sd_request_t req;
} fx_t;

static const char s_schedule[] = "    site\n"
                                 "        name = EMEA\n"
                                 "        zone = Europe/London\n"
                                 "        hours = \"mon-fri 08:00-17:00\"\n"
                                 "    oncall\n"
                                 "        name = desk\n"
                                 "        zone = Europe/London\n"
                                 "        members = \"amy bob\"\n"
                                 "        handoff = \"mon 09:00\"\n"
                                 "        start = 2027-03-01\n";

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    char err[512] = "";
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-page") != 0)
        return -1;
    if (sd_test_load_config(&fx->cfg, fx->dir, s_schedule, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    if (sd_store_open(fx->dir, "EMEA", &fx->store) != 0 ||
        sd_journal_open(fx->store, "EMEA", &fx->journal) != 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_journal_close(&fx->journal);
    sd_store_close(&fx->store);
    sd_config_clear(&fx->cfg);
    sd_request_clear(&fx->req);
    sd_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

static sd_workflow_ctx_t s_wf(fx_t *fx)
{
    return (sd_workflow_ctx_t){.site = "EMEA",
                               .policy = &fx->cfg.policy,
                               .sched = &fx->cfg.sched,
                               .now_ms = fx->now,
                               .author = "tom"};
}

typedef struct {
    fx_t *fx;
    const char *id;
} s_new_t;

static int s_new_fill(sd_journal_batch_t *batch, void *arg)
{
    s_new_t *w = arg;
    sd_event_t ev = {0};
    sd_fault_t fault = {0};
    sd_workflow_ctx_t wf = s_wf(w->fx);
    if (sd_workflow_build(&wf, NULL, &w->fx->req, &ev, &fault) != 0)
        fail_msg("%s", fault.text);
    strcpy(ev.key, w->id);
    int rc = sd_journal_append(batch, &ev, NULL);
    sd_event_clear(&ev);
    return rc;
}

/* A P1 recorded at EMEA now. */
static void s_p1(fx_t *fx, const char *id)
{
    assert_int_equal(sd_test_request(&fx->req, SD_REQ_TICKET_NEW, "title", "Core router down",
                                     "requester", "noc@example.com", "impact", "1", "urgency", "1",
                                     NULL),
                     0);
    s_new_t w = {fx, id};
    assert_int_equal(sd_journal_write(fx->journal, fx->now, s_new_fill, &w, NULL), 0);
}

static int s_tick(fx_t *fx)
{
    sd_workflow_ctx_t wf = s_wf(fx);
    sd_sched_ctx_t ctx = {.wf = &wf};
    char cursor[SD_ID_MAX + 1] = "";
    uint64_t first, last;
    int made = sd_sched_tick(&ctx, fx->journal, cursor, &first, &last);
    assert_true(made >= 0);
    return made;
}

/* Ticks until nothing more is due (one event per ticket per tick). */
static void s_settle(fx_t *fx)
{
    for (int i = 0; i < 10 && s_tick(fx) > 0; i++)
        ;
}

static void s_get(fx_t *fx, const char *id, sd_ticket_t *t)
{
    assert_int_equal(sd_test_get_ticket(fx->store, id, t), 0);
}

/* Saturday 2027-03-27 10:00Z, week 3 (bob: week 0 from 2027-03-01 is amy's): the P1 is due
 * at 11:00Z the same day, not Monday; the first tick pages bob, later ticks in the same gap do not
 * page again. */
static void test_saturday_p1_pages_and_is_due_saturday(void **state)
{
    fx_t *fx = *state;
    sd_ticket_t t = {0};
    fx->now = U(2027, 3, 27, 10, 0);
    s_p1(fx, "EMEA-000001");
    s_get(fx, "EMEA-000001", &t);
    assert_true(t.follow_sun);
    assert_int_equal(t.response_due, U(2027, 3, 27, 11, 0));
    assert_int_equal(t.resolve_due, U(2027, 3, 27, 14, 0));
    assert_null(t.oncall);

    fx->now += MINUTE;
    assert_int_equal(s_tick(fx), 1);
    s_get(fx, "EMEA-000001", &t);
    assert_non_null(t.oncall);
    assert_string_equal(t.oncall, "bob");
    assert_int_equal(t.paged_at, fx->now);
    uint64_t paged = t.paged_at;
    for (int i = 0; i < 30; i++) { /* each minute of half an hour: no second page */
        fx->now += MINUTE;
        s_tick(fx);
    }
    s_get(fx, "EMEA-000001", &t);
    assert_int_equal(t.paged_at, paged);
    assert_int_equal(t.tier, SD_TIER_L1_5); /* 20 business minutes on Saturday: escalated */
    fx->now = U(2027, 3, 27, 23, 0);        /* later the same gap: SLA events, never a page */
    s_settle(fx);
    s_get(fx, "EMEA-000001", &t);
    assert_int_equal(t.paged_at, paged);
    assert_int_equal(t.sla_state, SD_SLA_BREACHED); /* 1 h target missed on Saturday */
    sd_ticket_clear(&t);
}

/* No page while a site is on duty; the next gap pages again, the person of that time. */
static void test_no_page_on_duty_one_page_per_gap(void **state)
{
    fx_t *fx = *state;
    sd_ticket_t t = {0};
    fx->now = U(2027, 3, 24, 12, 0); /* Wednesday noon, EMEA on duty */
    s_p1(fx, "EMEA-000002");
    s_settle(fx);
    s_get(fx, "EMEA-000002", &t);
    assert_null(t.oncall);
    assert_int_equal(t.paged_at, 0);
    fx->now = U(2027, 3, 24, 17, 0); /* EMEA goes home: the gap begins, bob is paged */
    s_settle(fx);
    s_get(fx, "EMEA-000002", &t);
    assert_string_equal(t.oncall, "bob");
    assert_int_equal(t.paged_at, U(2027, 3, 24, 17, 0));
    fx->now = U(2027, 3, 25, 7, 59); /* same gap */
    s_settle(fx);
    s_get(fx, "EMEA-000002", &t);
    assert_int_equal(t.paged_at, U(2027, 3, 24, 17, 0));
    fx->now = U(2027, 3, 25, 12, 0); /* on duty */
    s_settle(fx);
    s_get(fx, "EMEA-000002", &t);
    assert_int_equal(t.paged_at, U(2027, 3, 24, 17, 0));
    /* Monday 2027-03-29 16:00Z (17:00 BST): a new gap; week 4 is amy's since 08:00Z. */
    fx->now = U(2027, 3, 29, 16, 0);
    s_settle(fx);
    s_get(fx, "EMEA-000002", &t);
    assert_string_equal(t.oncall, "amy");
    assert_int_equal(t.paged_at, U(2027, 3, 29, 16, 0));
    sd_ticket_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_saturday_p1_pages_and_is_due_saturday, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_page_on_duty_one_page_per_gap, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
