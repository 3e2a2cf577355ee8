/* test_scheduler.c - the follow-the-sun scheduler over a simulated week, minute by minute.
 *
 * One store stands for the whole desk with replication taken as instant:
 * every simulated minute the scheduler of each site (APAC, EMEA, AMER) ticks
 * on it, acting on the tickets it owns, exactly as sundeskd does each tick.
 * The week is Monday 2026-03-02 to Monday 2026-03-09, across the United
 * States' change to daylight-saving time (Sunday 2026-03-08), with
 *   APAC Asia/Shanghai    mon-fri 07:00-16:00  (23:00Z-08:00Z)
 *   EMEA Europe/London    mon-fri 08:00-17:00  (08:00Z-17:00Z)
 *   AMER America/New_York mon-fri 08:00-18:00  (13:00Z-23:00Z, 12:00Z-22:00Z from 8 March)
 * Time comes only from the manual clock: a week plays in seconds. */
#include "node_test.h"

#include "error.h"
#include "event.h"
#include "fold.h"
#include "hlc.h"
#include "request.h"
#include "schedule.h"
#include "scheduler.h"
#include "sla.h"
#include "store.h"
#include "ticket_store.h"
#include "user.h"
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

#define MINUTE (60ll * 1000)
#define HOUR   (60 * MINUTE)
#define NSITES 3

static const char *const s_sites[NSITES] = {"APAC", "EMEA", "AMER"};

/* UTC instant of a date and time. */
static uint64_t U(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {
        .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return (uint64_t)timegm(&tm) * 1000;
}

typedef struct {
    char dir[256];                      /* temporary directory of the store */
    sd_store_t *store;                  /* the desk's events, all sites */
    sd_schedule_t sched;                /* three calendars, P1 follows the sun */
    sd_policy_t policy;                 /* business-hour targets, as config gives with calendars */
    sd_journal_t *journals[NSITES + 1]; /* each site's writer (clock, seqs); the hub's last */
    uint64_t now;                       /* the simulated time */
    sd_request_t req;                   /* scratch */
    int64_t silent[NSITES]; /* what the hub's heartbeats say: ms since heard, -1 unknown */
} fx_t;

static void s_calendar(fx_t *fx, const char *site, const char *zone, const char *hours)
{
    sd_calendar_t *cal = NULL;
    assert_int_equal(sd_calendar_new(site, zone, &cal), 0);
    assert_int_equal(sd_calendar_add_hours(cal, hours), 0);
    assert_int_equal(sd_calset_add(fx->sched.sites, &cal), 0);
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-sched") != 0)
        return -1;
    if (sd_store_open(fx->dir, "HUB", &fx->store) != 0)
        return -1;
    /* One store plays every site: each site writes through its own journal. */
    for (int i = 0; i <= NSITES; i++)
        if (sd_journal_open(fx->store, i < NSITES ? s_sites[i] : "HUB", &fx->journals[i]) != 0)
            return -1;
    sd_schedule_default(&fx->sched);
    fx->sched.sites = sd_calset_new();
    s_calendar(fx, "APAC", "Asia/Shanghai", "mon-fri 07:00-16:00");
    s_calendar(fx, "EMEA", "Europe/London", "mon-fri 08:00-17:00");
    s_calendar(fx, "AMER", "America/New_York", "mon-fri 08:00-18:00");
    sd_policy_default(&fx->policy);
    const uint64_t response[] = {1, 1, 9, 9}, resolve[] = {4, 8, 27, 45};
    for (int i = 0; i < SD_PRIORITY_COUNT_; i++) {
        fx->policy.response_ms[i] = response[i] * HOUR;
        fx->policy.resolve_ms[i] = resolve[i] * HOUR;
    }
    for (int i = 0; i < NSITES; i++)
        fx->silent[i] = 0;
    fx->now = U(2026, 3, 2, 0, 0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    for (int i = 0; i <= NSITES; i++)
        sd_journal_close(&fx->journals[i]);
    sd_store_close(&fx->store);
    sd_schedule_clear(&fx->sched);
    sd_request_clear(&fx->req);
    sd_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

static int s_site_index(const char *site)
{
    for (int i = 0; i < NSITES; i++)
        if (strcmp(s_sites[i], site) == 0)
            return i;
    return NSITES; /* the hub */
}

static sd_workflow_ctx_t s_wf(fx_t *fx, const char *site)
{
    return (sd_workflow_ctx_t){.site = site,
                               .policy = &fx->policy,
                               .sched = &fx->sched,
                               .now_ms = fx->now,
                               .hub = strcmp(site, "HUB") == 0};
}

/* One client request being written. */
typedef struct {
    fx_t *fx;           /* the fixture (its request) */
    const char *site;   /* where it is made */
    const char *author; /* who makes it: the caller the node authenticated */
    int op;             /* sd_req_op_t */
    char *id;           /* the ticket; set for a new one */
} s_write_t;

static int s_fill(sd_journal_batch_t *batch, void *arg)
{
    s_write_t *w = arg;
    sd_ticket_t cur = {0};
    sd_event_t ev = {0};
    sd_fault_t fault = {0};
    if (w->op != SD_REQ_TICKET_NEW)
        assert_int_equal(sd_store_get_ticket(sd_journal_txn(batch), w->id, &cur), 0);
    sd_workflow_ctx_t wf = s_wf(w->fx, w->site);
    wf.author = w->author;
    int rc =
        sd_workflow_build(&wf, w->op == SD_REQ_TICKET_NEW ? NULL : &cur, &w->fx->req, &ev, &fault);
    if (rc)
        fail_msg("%s: %s", sd_req_op_name(w->op), fault.text);
    strcpy(ev.key, w->id);
    rc = sd_journal_append(batch, &ev, NULL);
    sd_ticket_clear(&cur);
    sd_event_clear(&ev);
    return rc;
}

/* A client request by author at site, as the server handles it; id in/out (new). */
static void s_do(fx_t *fx, const char *site, const char *author, int op, char *id, ...)
{
    va_list ap;
    va_start(ap, id);
    assert_int_equal(sd_test_request_v(&fx->req, op, ap), 0);
    va_end(ap);
    static int counter;
    if (op == SD_REQ_TICKET_NEW)
        snprintf(id, SD_ID_MAX + 1, "%s-%06d", site, ++counter);
    s_write_t w = {.fx = fx, .site = site, .author = author, .op = op, .id = id};
    assert_int_equal(sd_journal_write(fx->journals[s_site_index(site)], fx->now, s_fill, &w, NULL),
                     0);
}

static void s_get(fx_t *fx, const char *id, sd_ticket_t *t)
{
    sd_store_txn_t *txn;
    sd_ticket_clear(t);
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_get_ticket(txn, id, t), 0);
    sd_store_abort(&txn);
}

static int64_t s_silent(void *arg, const char *site)
{
    fx_t *fx = arg;
    int i = s_site_index(site);
    return i < NSITES ? fx->silent[i] : -1;
}

/* One tick of site's scheduler (the hub when site is "HUB"); events made. */
static int s_tick(fx_t *fx, const char *site)
{
    sd_workflow_ctx_t wf = s_wf(fx, site);
    sd_sched_ctx_t ctx = {
        .wf = &wf, .hub = strcmp(site, "HUB") == 0, .silent_ms = s_silent, .silent_arg = fx};
    uint64_t first, last;
    char cursor[SD_ID_MAX + 1] = "";
    int i = s_site_index(site);
    int made = sd_sched_tick(&ctx, fx->journals[i], cursor, &first, &last);
    assert_true(made >= 0);
    return made;
}

static bool s_on_duty(fx_t *fx, const char *site, uint64_t t)
{
    int i = sd_calset_find(fx->sched.sites, site);
    return i >= 0 &&
           sd_duty_on(sd_duty_calendar(sd_calset_at(fx->sched.sites, (size_t)i)), (int64_t)t) == 1;
}

/* ---- what happened to a ticket: its events, in clock order ---------------- */

typedef struct {
    int op;                   /* sd_op_t */
    uint64_t at;              /* event time (hlc ms) */
    char to[SD_SITE_MAX + 1]; /* handover: new owner */
    char from[SD_SITE_MAX + 1];
    int sla_state;          /* sla */
    bool escalated;         /* sla */
    int tier;               /* escalate */
    char text[SD_NOTE_MAX]; /* handover note, or the sla/escalation reason */
} s_step_t;

typedef struct {
    s_step_t *steps;
    size_t n, cap;
} s_log_t;

static int s_log_event(const void *bytes, size_t len, void *arg)
{
    s_log_t *log = arg;
    sd_event_t ev = {0};
    assert_int_equal(sd_event_decode(bytes, len, &ev, NULL), 0);
    if (log->n == log->cap) {
        log->cap = log->cap ? 2 * log->cap : 64;
        log->steps = realloc(log->steps, log->cap * sizeof *log->steps);
        assert_non_null(log->steps);
    }
    s_step_t *s = &log->steps[log->n++];
    memset(s, 0, sizeof *s);
    s->op = ev.op;
    s->at = sd_hlc_ms(ev.hlc);
    const sd_ticket_t *f = sd_event_ticket(&ev);
    if (ev.op == SD_OP_HANDOVER) {
        snprintf(s->to, sizeof s->to, "%s", f->owner_site);
        snprintf(s->from, sizeof s->from, "%s", f->handover_from ? f->handover_from : "");
        snprintf(s->text, sizeof s->text, "%s", f->handover_note ? f->handover_note : "");
    } else if (ev.op == SD_OP_SLA || ev.op == SD_OP_ESCALATE) {
        s->sla_state = f->sla_state;
        s->escalated = f->escalated;
        s->tier = f->tier;
        snprintf(s->text, sizeof s->text, "%s", f->sla_reason ? f->sla_reason : "");
    }
    sd_event_clear(&ev);
    return 0;
}

static s_log_t s_history(fx_t *fx, const char *id)
{
    s_log_t log = {0};
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_history(txn, id, s_log_event, &log), 0);
    sd_store_abort(&txn);
    return log;
}

/* The first step of op (and, for sla, state) at or after index *from. */
static const s_step_t *s_find(const s_log_t *log, int op, int state)
{
    for (size_t i = 0; i < log->n; i++)
        if (log->steps[i].op == op && (op != SD_OP_SLA || log->steps[i].sla_state == state))
            return &log->steps[i];
    return NULL;
}

/* ---- the week ------------------------------------------------------------ */

static void test_simulated_week(void **state)
{
    fx_t *fx = *state;
    char p1[SD_ID_MAX + 1], p3[SD_ID_MAX + 1], p2[SD_ID_MAX + 1], paused[SD_ID_MAX + 1];
    sd_ticket_t t = {0};
    const uint64_t start = U(2026, 3, 2, 0, 0), end = U(2026, 3, 9, 12, 0);
    uint64_t created_p1 = U(2026, 3, 2, 2, 0), created_p3 = U(2026, 3, 2, 9, 0);
    uint64_t created_p2 = U(2026, 3, 3, 9, 0), created_paused = U(2026, 3, 4, 9, 0);
    uint64_t pause_at = U(2026, 3, 4, 10, 0), resume_at = U(2026, 3, 5, 10, 0);
    uint64_t due_before_pause = 0;
    int handovers_seen = 0;

    for (fx->now = start; fx->now < end; fx->now += MINUTE) {
        if (fx->now == created_p1) /* a P1: follows the sun */
            s_do(fx, "APAC", "li", SD_REQ_TICKET_NEW, p1, "title", "Core router down", "requester",
                 "noc@example.com", "impact", "1", "urgency", "1", NULL);
        if (fx->now == created_p3) /* a P3 in London hours: L1 -> L1.5 after 20 minutes */
            s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, p3, "title", "Printer jam", "requester",
                 "ann@example.com", NULL);
        if (fx->now == created_p2) { /* a P2, answered in time, never resolved */
            s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, p2, "title", "VPN slow", "requester",
                 "bob@example.com", "impact", "1", "urgency", "2", NULL);
        }
        if (fx->now == created_p2 + 30 * MINUTE)
            s_do(fx, "EMEA", "tom", SD_REQ_TICKET_ACK, p2, NULL);
        if (fx->now == created_paused) {
            s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, paused, "title", "Laptop order", "requester",
                 "eve@example.com", "impact", "1", "urgency", "2", NULL);
            s_do(fx, "EMEA", "tom", SD_REQ_TICKET_ACK, paused, NULL);
            s_do(fx, "EMEA", "tom", SD_REQ_TICKET_ASSIGN, paused, "assignee", "kim", NULL);
            s_do(fx, "EMEA", "kim", SD_REQ_TICKET_START, paused, NULL);
        }
        if (fx->now == pause_at) {
            s_get(fx, paused, &t);
            due_before_pause = t.resolve_due;
            s_do(fx, "EMEA", "kim", SD_REQ_TICKET_PENDING, paused, "waiting_on", "vendor", "reason",
                 "waiting for the supplier's quote", NULL);
        }
        if (fx->now == resume_at)
            s_do(fx, "EMEA", "kim", SD_REQ_TICKET_START, paused, NULL);

        for (int i = 0; i < NSITES; i++)
            handovers_seen += s_tick(fx, s_sites[i]) > 0;

        /* No follow-the-sun ticket stays with an off-duty site while
         * another is on duty: checked after every minute's ticks. */
        if (fx->now >= created_p1) {
            s_get(fx, p1, &t);
            bool anyone = false;
            for (int i = 0; i < NSITES; i++)
                anyone |= s_on_duty(fx, s_sites[i], fx->now);
            if (anyone && !s_on_duty(fx, t.owner_site, fx->now))
                fail_msg("%s owned by off-duty %s at minute %llu", p1, t.owner_site,
                         (unsigned long long)((fx->now - start) / MINUTE));
        }
        /* While pending, no SLA event and no escalation. */
        if (fx->now > pause_at && fx->now < resume_at) {
            s_get(fx, paused, &t);
            assert_int_equal(t.status, SD_STATUS_PENDING);
            assert_int_equal(t.sla_paused_at, pause_at);
        }
    }
    assert_true(handovers_seen > 0);

    /* The P1's handovers: APAC -> EMEA 08:00Z, EMEA -> AMER 17:00Z, AMER ->
     * APAC 23:00Z each weekday; Friday 23:00Z nobody is on duty, so AMER
     * keeps it over the weekend and hands it to APAC at Sunday 23:00Z
     * (Monday 07:00 in Shanghai), then APAC to EMEA at 08:00Z. */
    s_log_t log = s_history(fx, p1);
    static const struct {
        int d, h;
        const char *from, *to;
    } want[] = {{2, 8, "APAC", "EMEA"}, {2, 17, "EMEA", "AMER"}, {2, 23, "AMER", "APAC"},
                {3, 8, "APAC", "EMEA"}, {3, 17, "EMEA", "AMER"}, {3, 23, "AMER", "APAC"},
                {4, 8, "APAC", "EMEA"}, {4, 17, "EMEA", "AMER"}, {4, 23, "AMER", "APAC"},
                {5, 8, "APAC", "EMEA"}, {5, 17, "EMEA", "AMER"}, {5, 23, "AMER", "APAC"},
                {6, 8, "APAC", "EMEA"}, {6, 17, "EMEA", "AMER"}, {8, 23, "AMER", "APAC"},
                {9, 8, "APAC", "EMEA"}};
    size_t k = 0;
    for (size_t i = 0; i < log.n; i++) {
        const s_step_t *s = &log.steps[i];
        if (s->op != SD_OP_HANDOVER)
            continue;
        assert_true(k < sizeof want / sizeof want[0]);
        assert_string_equal(s->from, want[k].from);
        assert_string_equal(s->to, want[k].to);
        assert_int_equal(s->at, U(2026, 3, want[k].d, want[k].h, 0));
        /* Every handover carries its note: who, why, status and SLA left. */
        char head[64];
        snprintf(head, sizeof head, "Handover %s -> %s at", s->from, s->to);
        assert_non_null(strstr(s->text, head));
        assert_non_null(strstr(s->text, "off duty"));
        assert_non_null(strstr(s->text, "Status: "));
        assert_non_null(strstr(s->text, "SLA ("));
        k++;
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    /* Nobody answered it: the P1 response target (1 business hour on the
     * union of the sites' hours, from 02:00Z) warns at 02:45Z and breaches
     * at 03:00Z, telling the manager; it escalated through the tiers. */
    const s_step_t *risk = s_find(&log, SD_OP_SLA, SD_SLA_AT_RISK);
    const s_step_t *breach = s_find(&log, SD_OP_SLA, SD_SLA_BREACHED);
    assert_non_null(risk);
    assert_non_null(breach);
    assert_true(risk < breach);
    assert_int_equal(risk->at, U(2026, 3, 2, 2, 45));
    assert_int_equal(breach->at, U(2026, 3, 2, 3, 0));
    assert_true(breach->escalated);
    assert_non_null(strstr(breach->text, "response target missed"));
    assert_non_null(strstr(breach->text, "manager notified"));
    free(log.steps);
    s_get(fx, p1, &t);
    assert_int_equal(t.tier, SD_TIER_L3);
    assert_int_equal(t.sla_state, SD_SLA_BREACHED);

    /* The P3: L1 -> L1.5 after 20 business minutes, with the reason. */
    log = s_history(fx, p3);
    const s_step_t *esc = s_find(&log, SD_OP_ESCALATE, 0);
    assert_non_null(esc);
    assert_int_equal(esc->at, created_p3 + 20 * MINUTE);
    assert_int_equal(esc->tier, SD_TIER_L1_5);
    assert_non_null(strstr(esc->text, "L1 for 20 business minutes"));
    free(log.steps);

    /* The P2 in London hours: 8 business hours from 09:00Z Tuesday is 17:00Z;
     * the warning at 75 % (6 h) is 15:00Z; the breach at 17:00Z. */
    log = s_history(fx, p2);
    risk = s_find(&log, SD_OP_SLA, SD_SLA_AT_RISK);
    breach = s_find(&log, SD_OP_SLA, SD_SLA_BREACHED);
    assert_non_null(risk);
    assert_non_null(breach);
    assert_int_equal(risk->at, U(2026, 3, 3, 15, 0));
    assert_int_equal(breach->at, U(2026, 3, 3, 17, 0));
    assert_non_null(strstr(breach->text, "resolution target missed"));
    free(log.steps);

    /* The paused P2: due Wednesday 17:00Z; paused at 10:00Z with 7 business
     * hours left, resumed Thursday 10:00Z: due Thursday 17:00Z. */
    assert_int_equal(due_before_pause, U(2026, 3, 4, 17, 0));
    s_get(fx, paused, &t);
    assert_int_equal(t.resolve_due, U(2026, 3, 5, 17, 0));
    assert_int_equal(t.sla_paused_at, 0);
    log = s_history(fx, paused);
    risk = s_find(&log, SD_OP_SLA, SD_SLA_AT_RISK);
    assert_non_null(risk);
    assert_int_equal(risk->at, U(2026, 3, 5, 15, 0)); /* 75 % counted without the pause */
    free(log.steps);
    sd_ticket_clear(&t);
}

/* ---- the hub takes over from a silent site -------------------------------- */

static void test_hub_takes_over_from_silent_owner(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    sd_ticket_t t = {0};
    fx->now = U(2026, 3, 3, 14, 0); /* EMEA and AMER on duty */
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, id, "title", "Mail down", "requester",
         "ceo@example.com", "impact", "1", "urgency", "1", NULL);
    /* EMEA heard a moment ago: the hub leaves the ticket alone. */
    assert_int_equal(s_tick(fx, "HUB"), 0);
    /* EMEA silent for longer than the grace: the hub hands it to AMER. */
    fx->silent[1] = fx->sched.takeover_grace_ms + 1;
    fx->now += MINUTE;
    assert_int_equal(s_tick(fx, "HUB"), 1);
    s_get(fx, id, &t);
    assert_string_equal(t.owner_site, "AMER");
    assert_string_equal(t.handover_from, "EMEA");
    assert_non_null(strstr(t.handover_note, "EMEA unreachable, the hub hands it over"));
    /* Nothing more for the hub to do: AMER owns it and is heard. */
    assert_int_equal(s_tick(fx, "HUB"), 0);
    sd_ticket_clear(&t);
}

/* A note longer than a note may be, in a multibyte script, is cut at a
 * character boundary: the ticket stays readable. */
static void test_long_multibyte_note_is_cut_cleanly(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1], note[4001 * 2 + 1] = "";
    sd_ticket_t t = {0};
    for (int i = 0; i < 4001; i++)
        strcat(note, "\xc3\xa9"); /* e acute */
    fx->now = U(2026, 3, 3, 14, 0);
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, id, "title", "Mail down", "requester",
         "ann@example.com", NULL);
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_HANDOVER, id, "site", "AMER", "note", note, NULL);
    s_get(fx, id, &t);
    assert_string_equal(t.owner_site, "AMER");
    assert_true(strlen(t.handover_note) < SD_NOTE_MAX);
    assert_true(strlen(t.handover_note) % 2 == 0); /* whole characters only */
    sd_ticket_clear(&t);
}

/* A ticket that does not follow the sun takes the new owner's hours at a
 * handover: the note's due times are the ticket's after the move, and the
 * last action is the agents' work, not "none recorded". */
static void test_handover_note_due_after_move_and_last_action(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1], due[32], want[64];
    sd_ticket_t t = {0};
    fx->now = U(2026, 3, 3, 14, 0); /* EMEA and AMER on duty */
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, id, "title", "Printer jam", "requester",
         "ann@example.com", "follow_sun", "false", NULL);
    fx->now += MINUTE;
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_ACK, id, NULL);
    fx->now += MINUTE;
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_ASSIGN, id, "assignee", "kim", NULL);
    fx->now += MINUTE;
    s_do(fx, "EMEA", "kim", SD_REQ_TICKET_START, id, NULL);
    s_get(fx, id, &t);
    uint64_t before = t.resolve_due;
    sd_ticket_clear(&t);
    fx->now += MINUTE;
    s_do(fx, "EMEA", "kim", SD_REQ_TICKET_HANDOVER, id, "site", "AMER", NULL);
    s_get(fx, id, &t);
    assert_string_equal(t.owner_site, "AMER");
    assert_int_not_equal(t.resolve_due, before); /* AMER's hours, not EMEA's */
    sd_sla_time(t.resolve_due, due, sizeof due);
    snprintf(want, sizeof want, "resolution due %s,", due);
    if (!strstr(t.handover_note, want))
        fail_msg("note without \"%s\":\n%s", want, t.handover_note);
    assert_null(strstr(t.handover_note, "none recorded"));
    assert_non_null(strstr(t.handover_note, "Last action: 2026-03-03 14:03Z work started"));
    sd_ticket_clear(&t);
}

/* ---- the receiving site gives the ticket to a person ----------------------- */

/* A user made at the hub: active, an agent when agent, of home site and teams. */
static int s_user_fill(sd_journal_batch_t *batch, void *arg)
{
    const char *const *u = arg; /* login, home site, teams, "agent" or "" */
    static const sd_user_t none;
    sd_event_t ev = {0};
    assert_int_equal(sd_event_start(&ev, &sd_kind_user, SD_UOP_CREATE), 0);
    snprintf(ev.key, sizeof ev.key, "%s", u[0]);
    snprintf(ev.author, sizeof ev.author, "admin");
    sd_user_t *f = sd_event_user(&ev);
    ev.mask |= sd_kind_register_mask(&sd_kind_user, SD_UREG_GRANTS) |
               sd_kind_register_mask(&sd_kind_user, SD_UREG_CREATED) |
               sd_kind_register_mask(&sd_kind_user, SD_UREG_HOME_SITE) |
               sd_kind_register_mask(&sd_kind_user, SD_UREG_TEAMS);
    sd_user_grant_event(&none, SD_USER_ACTIVE, true, f);
    if (strcmp(u[3], "agent") == 0)
        sd_user_grant_event(&none, SD_ROLE_AGENT, true, f);
    f->created_at = sd_journal_now(batch);
    f->origin_site = strdup("HUB");
    f->home_site = strdup(u[1]);
    f->teams = strdup(u[2]);
    int rc = sd_journal_append(batch, &ev, NULL);
    sd_event_clear(&ev);
    return rc;
}

static void s_user(fx_t *fx, const char *login, const char *home, const char *teams,
                   const char *agent)
{
    const char *u[] = {login, home, teams, agent};
    assert_int_equal(sd_journal_write(fx->journals[NSITES], fx->now, s_user_fill, u, NULL), 0);
}

/* AMER names team amer-desk: its on-duty agents of that team, least load first.
 * The logins that must never be picked sort before amy: picked, they would win ties. */
static void s_receiving_desk(fx_t *fx)
{
    fx->sched.handover_team[sd_calset_find(fx->sched.sites, "AMER")] = strdup("amer-desk");
    s_user(fx, "bob", "AMER", "amer-desk", "agent");
    s_user(fx, "amy", "AMER", "network,amer-desk", "agent");
    s_user(fx, "abe", "EMEA", "amer-desk", "agent");   /* another site's: never */
    s_user(fx, "ada", "AMER", "amer-desk", "");        /* not an agent: never */
    s_user(fx, "aki", "AMER", "amer-desk-2", "agent"); /* another team: never */
}

/* EMEA goes off duty at 17:00Z: AMER's node gives each P1 to an on-duty
 * agent of its team, least load first (ties to the smaller login), once. */
static void test_handover_goes_to_a_person(void **state)
{
    fx_t *fx = *state;
    char a[SD_ID_MAX + 1], b[SD_ID_MAX + 1], c[SD_ID_MAX + 1];
    sd_ticket_t t = {0};
    s_receiving_desk(fx);
    fx->now = U(2026, 3, 3, 16, 0);
    const char *p1[] = {"title",  "Mail down", "requester", "ann@example.com",
                        "impact", "1",         "urgency",   "1"};
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, a, p1[0], p1[1], p1[2], p1[3], p1[4], p1[5], p1[6],
         p1[7], NULL);
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, b, p1[0], p1[1], p1[2], p1[3], p1[4], p1[5], p1[6],
         p1[7], NULL);
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_ACK, a, NULL);
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_ASSIGN, a, "assignee", "tom", NULL);
    fx->now = U(2026, 3, 3, 17, 0);
    assert_int_equal(s_tick(fx, "EMEA"), 2); /* both handed to AMER */
    fx->now += MINUTE; /* one store plays all sites: AMER's clock must pass EMEA's events */
    assert_int_equal(s_tick(fx, "AMER"), 2); /* both received, in one tick */
    s_get(fx, a, &t);
    assert_string_equal(t.owner_site, "AMER");
    assert_string_equal(t.team, "amer-desk");
    const char *first = t.assignee;
    assert_true(strcmp(first, "amy") == 0 || strcmp(first, "bob") == 0);
    assert_string_equal(t.owner, first);
    char given[SD_ID_MAX + 1];
    snprintf(given, sizeof given, "%s", first);
    s_get(fx, b, &t);
    assert_string_equal(t.team, "amer-desk");
    assert_non_null(t.assignee);
    assert_string_not_equal(t.assignee, given); /* the other one: least load */
    assert_string_equal(t.owner, t.assignee);
    /* Taken: never given again, however often AMER ticks (SLA and escalation go on). */
    for (int i = 0; i < 5; i++) {
        fx->now += MINUTE;
        s_tick(fx, "AMER");
    }
    s_get(fx, b, &t);
    assert_string_not_equal(t.assignee, given);
    assert_string_equal(t.owner, t.assignee);
    s_get(fx, a, &t);
    assert_string_equal(t.assignee, given);
    /* A third ticket: both hold one; the smaller login wins the tie. */
    fx->now = U(2026, 3, 4, 16, 0);
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, c, p1[0], p1[1], p1[2], p1[3], p1[4], p1[5], p1[6],
         p1[7], NULL);
    fx->now = U(2026, 3, 4, 17, 0);
    s_tick(fx, "EMEA");
    fx->now += MINUTE;
    s_tick(fx, "AMER");
    s_get(fx, c, &t);
    assert_string_equal(t.assignee, "amy");
    sd_ticket_clear(&t);
}

/* A ticket handed to AMER while AMER is off duty stays in the team queue:
 * never an off-duty agent. */
static void test_handover_off_duty_goes_to_the_queue(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    sd_ticket_t t = {0};
    s_receiving_desk(fx);
    fx->now = U(2026, 3, 3, 9, 0); /* EMEA on duty, AMER not (13:00Z-23:00Z) */
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, id, "title", "Printer jam", "requester",
         "ann@example.com", "follow_sun", "false", NULL);
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_HANDOVER, id, "site", "AMER", NULL);
    fx->now += MINUTE;
    assert_int_equal(s_tick(fx, "AMER"), 1);
    s_get(fx, id, &t);
    assert_string_equal(t.team, "amer-desk");
    assert_null(t.assignee);
    assert_string_equal(t.owner, "tom"); /* no person took it */
    /* With AMER on duty later, it stays in the queue: a person takes it from there. */
    fx->now = U(2026, 3, 3, 14, 0);
    s_tick(fx, "AMER");
    s_get(fx, id, &t);
    assert_null(t.assignee);
    sd_ticket_clear(&t);
}

/* ---- concurrent handovers converge ----------------------------------------- */

/* Applies bytes of events in the given order to a fresh store; returns its digest. */
static void s_replay(const char *dir, const char *id, unsigned char *const *ev, const size_t *len,
                     const int *order, int n, char *owner, char digest[SD_DIGEST_BYTES * 2 + 1])
{
    sd_store_t *store;
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_open(dir, "HUB", &store), 0);
    assert_int_equal(sd_store_begin(store, true, &txn), 0);
    for (int i = 0; i < n; i++) {
        sd_event_t e = {0};
        assert_int_equal(sd_event_decode(ev[order[i]], len[order[i]], &e, NULL), 0);
        assert_true(sd_store_apply(txn, &e) >= 0);
        sd_event_clear(&e);
    }
    sd_ticket_t t = {0};
    assert_int_equal(sd_store_get_ticket(txn, id, &t), 0);
    strcpy(owner, t.owner_site);
    sd_ticket_clear(&t);
    assert_int_equal(sd_store_digest(txn, digest), 0);
    assert_int_equal(sd_store_commit(&txn), 0);
    sd_store_close(&store);
}

static int s_collect_events(const void *bytes, size_t len, void *arg)
{
    unsigned char **out = arg;
    for (int i = 0; i < 4; i++)
        if (!out[i]) {
            out[i] = malloc(len + sizeof(size_t));
            memcpy(out[i], &len, sizeof len);
            memcpy(out[i] + sizeof len, bytes, len);
            return 0;
        }
    return 1;
}

static void test_concurrent_handovers_converge(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    /* EMEA goes off duty at 17:00Z; its node and the hub (which thinks EMEA
     * silent) both hand the ticket over at the same minute, unaware of each
     * other: one event from EMEA, one from the hub. */
    fx->now = U(2026, 3, 3, 16, 0);
    s_do(fx, "EMEA", "tom", SD_REQ_TICKET_NEW, id, "title", "Mail down", "requester",
         "ann@example.com", "impact", "1", "urgency", "1", NULL);
    fx->now = U(2026, 3, 3, 17, 0);
    fx->silent[1] = fx->sched.takeover_grace_ms + 1;
    sd_store_txn_t *txn;
    sd_ticket_t t = {0};
    sd_event_t a = {0}, b = {0};
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_get_ticket(txn, id, &t), 0);
    sd_store_abort(&txn);
    sd_workflow_ctx_t emea = s_wf(fx, "EMEA"), hub = s_wf(fx, "HUB");
    sd_sched_ctx_t ce = {.wf = &emea},
                   ch = {.wf = &hub, .hub = true, .silent_ms = s_silent, .silent_arg = fx};
    assert_int_equal(sd_sched_decide(&ce, &t, &a), 1);
    assert_int_equal(sd_sched_decide(&ch, &t, &b), 1);
    assert_int_equal(a.op, SD_OP_HANDOVER);
    assert_int_equal(b.op, SD_OP_HANDOVER);
    /* Stamp both as their nodes would: same millisecond, different origins. */
    strcpy(a.origin, "EMEA"), strcpy(b.origin, "HUB");
    strcpy(a.key, id), strcpy(b.key, id);
    a.seq = 2, b.seq = 1;
    a.hlc = b.hlc = fx->now << 16;

    /* The events of the ticket: its create, then the two handovers. */
    unsigned char *raw[4] = {0};
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_history(txn, id, s_collect_events, raw), 0);
    sd_store_abort(&txn);
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_event_t *mine[2] = {&a, &b};
    for (int i = 0; i < 2; i++) {
        sd_mp_writer_reset(w);
        sd_event_encode(mine[i], w);
        size_t len;
        const void *data = sd_mp_writer_data(w, &len);
        s_collect_events(data, len, raw);
    }
    sd_mp_writer_destroy(&w);
    unsigned char *ev[3];
    size_t len[3];
    for (int i = 0; i < 3; i++) {
        memcpy(&len[i], raw[i], sizeof len[i]);
        ev[i] = raw[i] + sizeof len[i];
    }
    static const int orders[2][3] = {{0, 1, 2}, {0, 2, 1}};
    char owners[2][SD_SITE_MAX + 1], digests[2][SD_DIGEST_BYTES * 2 + 1];
    for (int o = 0; o < 2; o++) {
        char dir[256];
        assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-sched-conv"), 0);
        s_replay(dir, id, ev, len, orders[o], 3, owners[o], digests[o]);
        sd_test_rmtree(dir);
    }
    assert_string_equal(owners[0], owners[1]);
    assert_string_equal(digests[0], digests[1]);
    assert_string_not_equal(owners[0], "EMEA");
    for (int i = 0; i < 4; i++)
        free(raw[i]);
    sd_event_clear(&a);
    sd_event_clear(&b);
    sd_ticket_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_simulated_week, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hub_takes_over_from_silent_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_handovers_converge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_multibyte_note_is_cut_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover_note_due_after_move_and_last_action, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_handover_goes_to_a_person, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover_off_duty_goes_to_the_queue, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
