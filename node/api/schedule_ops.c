/* schedule_ops.c - schedule.now, schedule.coverage and handover.report. */
#include "schedule_ops.h"

#include "error.h"
#include "event.h"
#include "ticket_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Handovers in one report when the request gives no limit. */
#define REPORT_DEFAULT 100

/* Site-local wall time of t: "2026-03-02 16:00 Mon". */
static void s_local(const sd_calendar_t *cal, int64_t t, char *out, size_t cap)
{
    int32_t off = 0;
    sd_calendar_utc_offset(cal, t, &off);
    time_t s = (time_t)(t / 1000 + off);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M %a", &tm);
}

/* 0 when the desk has calendars, else SD_EUNAVAILABLE with the fault set. */
static int s_need_calendars(const sd_schedule_t *sched, sd_fault_t *fault)
{
    if (sched->sites && sd_calset_size(sched->sites) > 0)
        return 0;
    return sd_fault_set(fault, SD_EUNAVAILABLE,
                        "no site calendars configured (schedule/site in the config): the desk "
                        "runs 7x24 on the wall clock");
}

int sd_api_schedule_now(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault)
{
    const sd_schedule_t *sched = &ctx->cfg->sched;
    uint64_t now = ctx->now_ms;
    int rc = s_need_calendars(sched, fault);
    if (rc)
        return rc;
    size_t n = sd_calset_size(sched->sites);
    sd_reply_ok_begin(w, req->id);
    sd_mp_map(w, 2);
    sd_mp_str(w, "now"), sd_mp_u64(w, now);
    sd_mp_str(w, "sites"), sd_mp_array(w, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        const sd_calendar_t *cal = sd_calset_at(sched->sites, i);
        sd_duty_t duty = sd_duty_calendar(cal);
        int64_t change = SD_TIME_NEVER;
        int on = sd_duty_on(duty, (int64_t)now);
        sd_duty_next_change(duty, (int64_t)now, &change);
        char local[40];
        s_local(cal, (int64_t)now, local, sizeof local);
        sd_mp_map(w, 5);
        sd_mp_str(w, "site"), sd_mp_str(w, sd_calendar_site(cal));
        sd_mp_str(w, "zone"), sd_mp_str(w, sd_calendar_zone(cal));
        sd_mp_str(w, "local_time"), sd_mp_str(w, local);
        sd_mp_str(w, "on_duty"), sd_mp_bool(w, on == 1);
        sd_mp_str(w, "until");
        change == SD_TIME_NEVER ? sd_mp_nil(w) : sd_mp_u64(w, (uint64_t)change);
    }
    return 0;
}

/* Writes the names of the members in bit set sites. */
static void s_sites(const sd_calset_t *set, uint64_t sites, sd_mp_writer_t *w)
{
    uint32_t count = (uint32_t)__builtin_popcountll(sites);
    sd_mp_array(w, count);
    for (size_t i = 0; i < sd_calset_size(set); i++)
        if (sites & (1ull << i))
            sd_mp_str(w, sd_calendar_site(sd_calset_at(set, i)));
}

int sd_api_schedule_coverage(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                             sd_fault_t *fault)
{
    const sd_schedule_t *sched = &ctx->cfg->sched;
    const sd_schedule_args_t *a = &req->args.schedule;
    int rc = s_need_calendars(sched, fault);
    if (rc)
        return rc;
    const sd_calset_t *set = sched->sites;
    int days = sd_request_has(req, SD_ARG_SCHEDULE_DAYS) ? a->days : 7;
    uint64_t from = sd_request_has(req, SD_ARG_SCHEDULE_FROM) ? a->from : ctx->now_ms;
    uint64_t to = from + (uint64_t)days * SD_DAY_MS;
    sd_coverage_t *cov = NULL;
    size_t n = 0;
    rc = sd_calset_coverage(set, (int64_t)from, (int64_t)to, &cov, &n);
    if (rc)
        return sd_fault_set(fault, rc == SD_ENOMEM ? rc : SD_ERANGE,
                            "args.from: outside the calendars' range (1970-2199)");
    uint64_t gap_ms = 0;
    uint32_t gaps = 0;
    for (size_t i = 0; i < n; i++)
        if (!cov[i].sites)
            gap_ms += (uint64_t)(cov[i].end - cov[i].start), gaps++;
    sd_reply_ok_begin(w, req->id);
    sd_mp_map(w, 5);
    sd_mp_str(w, "from"), sd_mp_u64(w, from);
    sd_mp_str(w, "to"), sd_mp_u64(w, to);
    sd_mp_str(w, "gaps"), sd_mp_u64(w, gaps);
    sd_mp_str(w, "gap_ms"), sd_mp_u64(w, gap_ms);
    sd_mp_str(w, "intervals"), sd_mp_array(w, (uint32_t)n);
    size_t members = sd_calset_size(set);
    for (size_t i = 0; i < n; i++) {
        sd_mp_map(w, 4);
        sd_mp_str(w, "start"), sd_mp_u64(w, (uint64_t)cov[i].start);
        sd_mp_str(w, "end"), sd_mp_u64(w, (uint64_t)cov[i].end);
        sd_mp_str(w, "sites"), s_sites(set, cov[i].sites, w);
        /* Every site's wall clock, so a manager sees the gap in local terms. */
        sd_mp_str(w, "local"), sd_mp_map(w, (uint32_t)members);
        for (size_t k = 0; k < members; k++) {
            const sd_calendar_t *cal = sd_calset_at(set, k);
            char a[40], b[40], both[96];
            s_local(cal, cov[i].start, a, sizeof a);
            s_local(cal, cov[i].end, b, sizeof b);
            snprintf(both, sizeof both, "%s - %s", a, b);
            sd_mp_str(w, sd_calendar_site(cal)), sd_mp_str(w, both);
        }
    }
    free(cov);
    return 0;
}

/* Who received a handover: the first scheduler@TO assignment after it, before the next move. */
typedef struct {
    uint64_t after;               /* the handover's hlc */
    char author[SD_NAME_MAX + 1]; /* scheduler@TO */
    char who[SD_NAME_MAX + 1];    /* the agent, "" for the team queue */
    bool found;                   /* received */
} s_receiver_t;

static int s_receiver_item(const void *bytes, size_t len, void *arg)
{
    s_receiver_t *r = arg;
    sd_event_t ev = {0};
    if (sd_event_decode(bytes, len, &ev, NULL) != 0)
        return SD_ECORRUPT;
    int rc = 0;
    if (ev.hlc > r->after && ev.op == SD_OP_HANDOVER)
        rc = 1;
    else if (ev.hlc > r->after && ev.op == SD_OP_ASSIGN && strcmp(ev.author, r->author) == 0) {
        const char *who = sd_event_ticket(&ev)->assignee;
        snprintf(r->who, sizeof r->who, "%s", who ? who : "");
        r->found = true;
        rc = 1;
    }
    sd_event_clear(&ev);
    return rc;
}

/* The person who got the ticket of handover ev (f its fields): the person on call the hub
 * took it for, or the agent the receiving site's node gave it to; NULL when nobody (yet). */
static const char *s_receiver(sd_store_txn_t *txn, const sd_event_t *ev, const sd_ticket_t *f,
                              s_receiver_t *r)
{
    if (f->owner && f->owner_site && strcmp(f->owner_site, ev->origin) == 0 && ev->author[0] &&
        strncmp(ev->author, "scheduler@", 10) == 0)
        return f->owner; /* the hub's takeover for the person on call */
    *r = (s_receiver_t){.after = ev->hlc};
    snprintf(r->author, sizeof r->author, "scheduler@%s", f->owner_site ? f->owner_site : "");
    int rc = sd_store_history(txn, ev->key, s_receiver_item, r);
    return (rc == 0 || rc == 1) && r->found && r->who[0] ? r->who : NULL;
}

typedef struct {
    sd_store_txn_t *txn;     /* for the receivers */
    const sd_request_t *req; /* filters */
    sd_mp_writer_t *items;   /* encoded entries */
    uint32_t count, limit;   /* written, most */
    bool more;               /* some left out */
} s_report_t;

static int s_report_item(const void *bytes, size_t len, void *arg)
{
    s_report_t *r = arg;
    sd_event_t ev = {0};
    if (sd_event_decode(bytes, len, &ev, NULL) != 0)
        return SD_ECORRUPT;
    const sd_ticket_t *f = sd_event_ticket(&ev);
    const char *site = r->req->args.report.site;
    const char *from = f->handover_from ? f->handover_from : "";
    const char *to = f->owner_site ? f->owner_site : "";
    if (!site || !strcmp(site, from) || !strcmp(site, to)) {
        if (r->count == r->limit) {
            r->more = true;
            sd_event_clear(&ev);
            return 1;
        }
        /* Taken: moved by the scheduler of a node that did not own it (the hub, from a
         * silent site). */
        bool taken = strncmp(ev.author, "scheduler@", 10) == 0 && strcmp(ev.origin, from) != 0;
        s_receiver_t scratch;
        const char *receiver = s_receiver(r->txn, &ev, f, &scratch);
        sd_mp_map(r->items, 9);
        sd_mp_str(r->items, "id"), sd_mp_str(r->items, ev.key);
        sd_mp_str(r->items, "at"), sd_mp_u64(r->items, f->handover_at);
        sd_mp_str(r->items, "from"), sd_mp_str(r->items, from);
        sd_mp_str(r->items, "to"), sd_mp_str(r->items, to);
        sd_mp_str(r->items, "by"), sd_mp_str(r->items, ev.author);
        sd_mp_str(r->items, "origin"), sd_mp_str(r->items, ev.origin);
        sd_mp_str(r->items, "note"), sd_mp_str(r->items, f->handover_note ? f->handover_note : "");
        sd_mp_str(r->items, "taken"), sd_mp_bool(r->items, taken);
        sd_mp_str(r->items, "receiver");
        if (receiver)
            sd_mp_str(r->items, receiver);
        else
            sd_mp_nil(r->items);
        r->count++;
    }
    sd_event_clear(&ev);
    return 0;
}

int sd_api_handover_report(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                           sd_fault_t *fault)
{
    const sd_report_args_t *a = &req->args.report;
    s_report_t r = {.txn = ctx->txn,
                    .req = req,
                    .items = sd_mp_writer_new(),
                    .limit = sd_request_has(req, SD_ARG_REPORT_LIMIT) ? (uint32_t)a->limit
                                                                      : REPORT_DEFAULT};
    if (!r.items)
        return sd_fault_set(fault, SD_ENOMEM, "out of memory");
    int rc = sd_store_handovers(ctx->txn, a->since, s_report_item, &r);
    if (rc == 1)
        rc = 0;
    if (!rc)
        rc = sd_api_reply_items(w, req->id, "handovers", r.items, r.count, &r.more);
    sd_mp_writer_destroy(&r.items);
    return rc;
}
