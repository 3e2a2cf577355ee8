/* scheduler.c - per-ticket decisions and the scheduler's tick over the store. */
#include "scheduler.h"

#include "error.h"
#include "handover.h"
#include "log.h"
#include "oncall.h"
#include "sla.h"
#include "takeover.h"
#include "ticket_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most tickets acted on in one tick: bounds the write transaction; the rest
 * wait for the next tick. */
#define TICK_EVENTS_MAX 1024

/* 1 when member i of the schedule is on duty now, 0 when not (or on error). */
static bool s_on_duty(const sd_calset_t *set, int i, int64_t now)
{
    return i >= 0 && sd_duty_on(sd_duty_calendar(sd_calset_at(set, (size_t)i)), now) == 1;
}

/* Follow-the-sun handover, when due: who acts and to whom. */
static int s_handover(const sd_sched_ctx_t *ctx, const sd_ticket_t *t, bool mine, sd_event_t *ev)
{
    const sd_workflow_ctx_t *wf = ctx->wf;
    const sd_calset_t *set = wf->sched->sites;
    int64_t now = (int64_t)wf->now_ms;
    int owner = t->owner_site ? sd_calset_find(set, t->owner_site) : -1;
    bool takeover = !mine && ctx->hub && sd_takeover_silent(ctx, t->owner_site);
    if (!(mine && !s_on_duty(set, owner, now)) && !takeover)
        return 0;
    uint64_t exclude = sd_takeover_exclude(ctx, t, owner);
    int to;
    int64_t start;
    if (sd_calset_pick(set, now, exclude, &to, &start) != 0 || start > now)
        /* nobody else on duty: the hub gives a silent site's ticket to the
         * person on call; otherwise it stays until someone is on duty */
        return takeover ? sd_takeover_oncall(ctx, t, ev) : 0;
    const char *to_site = sd_calendar_site(sd_calset_at(set, (size_t)to));
    char why[128], note[SD_NOTE_MAX];
    if (takeover)
        snprintf(why, sizeof why, "%s unreachable, the hub hands it over",
                 t->owner_site ? t->owner_site : "the owner site");
    else
        snprintf(why, sizeof why,
                 mine && ctx->hub && t->handover_from ? "%s held it for the person on call"
                                                      : "%s off duty",
                 t->owner_site);
    sd_handover_note(wf, t, to_site, why, NULL, note, sizeof note);
    char author[SD_NAME_MAX + 1];
    snprintf(author, sizeof author, "scheduler@%s", wf->site);
    sd_fault_t fault = {0};
    int rc = sd_workflow_handover(wf, t, to_site, note, author, ev, &fault);
    return rc == 0 ? 1 : rc == SD_ENOMEM ? rc : 0;
}

/* Functional escalation: business time in the tier against its limit. */
static int s_escalate(const sd_sched_ctx_t *ctx, const sd_ticket_t *t, const char *author,
                      sd_event_t *ev)
{
    const sd_workflow_ctx_t *wf = ctx->wf;
    if (t->tier >= SD_TIER_L3 || t->status > SD_STATUS_IN_PROGRESS)
        return 0;
    int limit = wf->sched->escalate_minutes[t->tier];
    uint64_t since = t->tier_since ? t->tier_since : t->created_at;
    if (limit <= 0 || sd_schedule_elapsed(wf->sched, t, since, wf->now_ms) < limit * 60000ll)
        return 0;
    char reason[160];
    snprintf(reason, sizeof reason,
             "%s for %d business minutes without resolution: escalated to %s",
             sd_tier_name(t->tier), limit, sd_tier_name(t->tier + 1));
    uint64_t at = sd_schedule_add(wf->sched, t, since, (uint64_t)limit * 60000);
    int rc = sd_workflow_escalate(wf, t, reason, at, author, ev);
    return rc ? rc : 1;
}

int sd_sched_decide(const sd_sched_ctx_t *ctx, const sd_ticket_t *t, sd_event_t *ev)
{
    const sd_workflow_ctx_t *wf = ctx->wf;
    if (!sd_ticket_exists(t) || t->status > SD_STATUS_PENDING || !wf->sched)
        return 0;
    bool mine = t->owner_site && strcmp(t->owner_site, wf->site) == 0;
    int rc = 0;
    if (t->follow_sun && wf->sched->sites && (rc = s_handover(ctx, t, mine, ev)) != 0)
        return rc;
    /* The owner decides; the hub for a silent owner site (takeover.h). */
    if (!mine && !(ctx->hub && sd_takeover_silent(ctx, t->owner_site)))
        return 0;
    char author[SD_NAME_MAX + 1], reason[SD_NOTE_MAX / 2];
    snprintf(author, sizeof author, "scheduler@%s", wf->site);
    if (mine && sd_receive_due(wf->sched, t, wf->site)) {
        rc = sd_workflow_receive(wf, t, sd_schedule_handover_team(wf->sched, wf->site),
                                 sd_roster_pick(ctx->roster), author, ev);
        return rc ? rc : 1;
    }
    if (sd_oncall_page_due(wf->sched, t, wf->now_ms)) {
        char login[SD_NAME_MAX + 1];
        rc = sd_oncall_who(wf->sched, ctx->txn, t->owner_site, wf->now_ms, login);
        if (rc == 0)
            rc = sd_oncall_page(t, login, wf->now_ms, author, ev) ?: 1;
        if (rc != SD_ENOTFOUND)
            return rc;
    }
    uint64_t at;
    int state = sd_sla_assess(wf->sched, wf->policy, t, wf->now_ms, reason, sizeof reason, &at);
    if (state != t->sla_state) {
        if (state == SD_SLA_BREACHED) {
            size_t n = strlen(reason);
            snprintf(reason + n, sizeof reason - n, "; manager notified");
        }
        rc = sd_workflow_sla(wf, t, state, reason, at, author, ev);
        return rc ? rc : 1;
    }
    return s_escalate(ctx, t, author, ev);
}

/* ---- the tick ------------------------------------------------------------ */

typedef struct {
    const sd_sched_ctx_t *ctx;  /* for deciding */
    char last[SD_ID_MAX + 1];   /* the last ticket looked at */
    char (*ids)[SD_ID_MAX + 1]; /* tickets that have something due */
    size_t n;                   /* how many */
    bool receive;               /* one of them is a ticket to receive (needs the roster) */
    int rc;                     /* first error */
} s_due_t;

static int s_collect(const sd_ticket_t *t, void *arg)
{
    s_due_t *due = arg;
    sd_event_t ev = {0};
    int rc = sd_sched_decide(due->ctx, t, &ev);
    due->receive |=
        rc == 1 && ev.op == SD_OP_ASSIGN; /* the scheduler assigns only when receiving */
    sd_event_clear(&ev);
    if (rc < 0)
        return due->rc = rc;
    if (rc == 1)
        strcpy(due->ids[due->n++], t->id);
    strcpy(due->last, t->id);
    return due->n == TICK_EVENTS_MAX;
}

/* What the tick's write does: the tickets that had something due. */
typedef struct {
    sd_sched_ctx_t *ctx; /* for deciding again, on the state in the write transaction */
    const s_due_t *due;  /* whom to look at */
} s_apply_t;

/* Fills the journal's batch with the events for the tickets of due, decided
 * again on the current state (a client may have changed a ticket since the
 * scan). Runs again after a map growth, so it logs nothing: s_log_made does,
 * after the commit. */
static int s_apply_due(sd_journal_batch_t *batch, void *arg)
{
    const s_apply_t *a = arg;
    sd_sched_ctx_t ctx = *a->ctx;
    ctx.txn = sd_journal_txn(batch); /* overrides as they stand in the write */
    int rc = 0;
    sd_roster_rewind(a->ctx->roster); /* runs again after a map growth */
    for (size_t i = 0; i < a->due->n && !rc; i++) {
        sd_ticket_t t = {0};
        sd_event_t ev = {0};
        rc = sd_store_get_ticket(sd_journal_txn(batch), a->due->ids[i], &t);
        int decided = rc ? 0 : sd_sched_decide(&ctx, &t, &ev);
        rc = rc ?: decided < 0 ? decided : 0;
        if (!rc && decided == 1) {
            strcpy(ev.key, t.id);
            rc = sd_journal_append(batch, &ev, NULL);
            if (!rc && ev.op == SD_OP_ASSIGN) /* the scheduler assigns only when receiving */
                sd_roster_gave(a->ctx->roster, sd_event_ticket(&ev)->assignee);
        }
        sd_event_clear(&ev);
        sd_ticket_clear(&t);
    }
    return rc;
}

/* One line per committed scheduler event, read back from the log: a breach is a warning. */
static int s_log_one(const void *bytes, size_t len, void *arg)
{
    (void)arg;
    sd_event_t ev = {0};
    if (sd_event_decode(bytes, len, &ev, NULL) != 0 || ev.kind != &sd_kind_ticket) {
        sd_event_clear(&ev);
        return 0;
    }
    const sd_ticket_t *f = sd_event_ticket(&ev);
    bool handover = ev.op == SD_OP_HANDOVER, received = ev.op == SD_OP_ASSIGN;
    if (ev.op == SD_OP_PAGE) {
        sd_log(SD_LOG_INFO, "scheduler: id=%s op=page to=\"%s\" seq=%llu", ev.key,
               f->oncall ? f->oncall : "", (unsigned long long)ev.seq);
        sd_event_clear(&ev);
        return 0;
    }
    const char *what = handover   ? f->owner_site
                       : received ? (f->assignee ? f->assignee : "queue")
                                  : f->sla_reason;
    /* The hub taking a ticket for the person on call: the handover to itself names them. */
    bool oncall = handover && f->owner && strcmp(f->owner_site, ev.origin) == 0;
    sd_log(ev.op == SD_OP_SLA && f->sla_state == SD_SLA_BREACHED ? SD_LOG_WARNING : SD_LOG_INFO,
           "scheduler: id=%s op=%s seq=%llu %s=\"%s\"%s%s%s%s", ev.key, sd_event_op_name(&ev),
           (unsigned long long)ev.seq, handover || received ? "to" : "reason", what,
           received ? " team=" : "", received && f->team ? f->team : "", oncall ? " oncall=" : "",
           oncall ? f->owner : "");
    sd_event_clear(&ev);
    return 0;
}

static void s_log_made(sd_journal_t *journal, const sd_journal_result_t *made)
{
    sd_store_txn_t *txn;
    if (!made->appended || sd_store_begin(sd_journal_store(journal), false, &txn) != 0)
        return;
    sd_store_events_from(txn, sd_journal_site(journal), made->first_seq,
                         (size_t)(made->last_seq - made->first_seq + 1), s_log_one, NULL);
    sd_store_abort(&txn);
}

int sd_sched_tick(const sd_sched_ctx_t *ctx, sd_journal_t *journal, char cursor[SD_ID_MAX + 1],
                  uint64_t *first, uint64_t *last)
{
    *first = *last = 0;
    if (!ctx->hub && ctx->settled && !ctx->settled(ctx->silent_arg))
        return 0;
    /* Whom to give received tickets to (read below) and the transaction a
     * decision reads the on-call roster in. */
    sd_roster_t roster = {0};
    sd_sched_ctx_t local = *ctx;
    local.roster = &roster;
    s_due_t due = {.ctx = &local, .ids = malloc(TICK_EVENTS_MAX * sizeof *due.ids)};
    if (!due.ids)
        return SD_ENOMEM;
    sd_store_txn_t *txn = NULL;
    sd_store_filter_t slice = {.status = -1,
                               .priority = -1,
                               .sla = -1,
                               .open_only = true,
                               .after = cursor[0] ? cursor : NULL,
                               .limit = SD_SCHED_SCAN_MAX};
    bool more = false;
    int rc = sd_store_begin(sd_journal_store(journal), false, &txn);
    local.txn = txn;
    if (!rc)
        rc = sd_store_list(txn, &slice, s_collect, &due, &more);
    sd_store_abort(&txn);
    local.txn = NULL;
    rc = rc < 0 ? rc : due.rc;
    /* Stopped early (events cap) or tickets left: the next tick goes on
     * from here; otherwise it starts again at the top of the queue. */
    strcpy(cursor, (rc == 1 || more) ? due.last : "");
    rc = rc == 1 ? 0 : rc;
    sd_journal_result_t made = {0};
    /* The receiving roster: read only when a ticket waits to be received
     * (it reads every user and every open ticket for the load). */
    if (!rc && due.receive && (rc = sd_store_begin(sd_journal_store(journal), false, &txn)) == 0) {
        rc = sd_roster_read(txn, ctx->wf->sched, ctx->wf->site, ctx->wf->now_ms, &roster);
        sd_store_abort(&txn);
    }
    s_apply_t apply = {.ctx = &local, .due = &due};
    if (!rc && due.n)
        rc = sd_journal_write(journal, ctx->wf->now_ms, s_apply_due, &apply, &made);
    sd_roster_clear(&roster);
    free(due.ids);
    if (rc)
        return rc;
    s_log_made(journal, &made);
    *first = made.first_seq;
    *last = made.last_seq;
    return (int)made.appended;
}
