/* sla.c - priorities, due times on business time, pause and resume, SLA state. */
#include "sla.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int sd_sla_priority(const sd_policy_t *policy, int impact, int urgency, const char *requester)
{
    int prio = policy->matrix[impact - 1][urgency - 1];
    if (!requester || !requester[0] || prio == SD_P1)
        return prio;
    size_t len = strlen(requester);
    for (const char *p = policy->vip; *p; p += strspn(p, " ,")) {
        size_t n = strcspn(p, " ,");
        if (n == len && memcmp(p, requester, n) == 0)
            return prio - 1;
        p += n;
    }
    return prio;
}

bool sd_sla_follows_sun(const sd_schedule_t *sched, int priority)
{
    return sched && priority >= 0 && priority < SD_PRIORITY_COUNT_ && sched->follow_sun[priority];
}

void sd_sla_start(const sd_schedule_t *sched, const sd_policy_t *policy, sd_ticket_t *f,
                  uint64_t start)
{
    f->response_due = sd_schedule_add(sched, f, start, policy->response_ms[f->priority]);
    f->resolve_due = sd_schedule_add(sched, f, start, policy->resolve_ms[f->priority]);
}

/* One clock: business time left at ref on before's source, plus the change
 * of target, counted again from ref on after's source. Nothing left: the
 * target was missed that long before ref (on the wall clock: the moment is
 * past either way, and a breach is reported at once). */
static uint64_t s_move(const sd_schedule_t *sched, const sd_ticket_t *before,
                       const sd_ticket_t *after, uint64_t ref, uint64_t due, int64_t delta)
{
    if (delta == 0 && due <= ref)
        return due;
    int64_t left = sd_schedule_elapsed(sched, before, ref, due) + delta;
    if (left <= 0)
        return ref + (uint64_t)left;
    return sd_schedule_add(sched, after, ref, (uint64_t)left);
}

void sd_sla_retarget(const sd_schedule_t *sched, const sd_policy_t *policy,
                     const sd_ticket_t *before, const sd_ticket_t *after, uint64_t now,
                     uint64_t *response_due, uint64_t *resolve_due)
{
    uint64_t ref = before->sla_paused_at ? before->sla_paused_at : now;
    int64_t d_resp = (int64_t)policy->response_ms[after->priority] -
                     (int64_t)policy->response_ms[before->priority];
    int64_t d_res = (int64_t)policy->resolve_ms[after->priority] -
                    (int64_t)policy->resolve_ms[before->priority];
    bool responded = before->acknowledged_at || before->first_response_at;
    *response_due = responded ? before->response_due
                              : s_move(sched, before, after, ref, before->response_due, d_resp);
    *resolve_due = s_move(sched, before, after, ref, before->resolve_due, d_res);
}

void sd_sla_resume(const sd_schedule_t *sched, const sd_ticket_t *t, uint64_t now,
                   uint64_t *response_due, uint64_t *resolve_due)
{
    uint64_t paused = t->sla_paused_at;
    *response_due = t->response_due;
    *resolve_due = t->resolve_due;
    if (!paused || now <= paused)
        return;
    /* The response clock stopped for good at the first response (section 8:
     * it runs until acknowledged_at or first_response_at is set); only a
     * response still owed waited and moves. */
    bool owed = !t->acknowledged_at && !t->first_response_at;
    uint64_t *dues[] = {owed ? response_due : NULL, resolve_due};
    for (int i = 0; i < 2; i++)
        if (dues[i] && *dues[i] > paused)
            *dues[i] = sd_schedule_add(sched, t, now,
                                       (uint64_t)sd_schedule_elapsed(sched, t, paused, *dues[i]));
}

void sd_sla_time(uint64_t t, char *out, size_t cap)
{
    time_t s = (time_t)(t / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%MZ", &tm);
}

void sd_sla_span(int64_t ms, char *out, size_t cap)
{
    int64_t m = (ms < 0 ? -ms : ms) / 60000;
    snprintf(out, cap, "%s%lldh %02lldm", ms < 0 ? "-" : "", (long long)(m / 60),
             (long long)(m % 60));
}

/* When the warning of a clock due at `due` with business target `target` is
 * reached: the first moment whose business time left is at most left_max.
 * Counted from the ticket's creation, so every node finds the same moment. */
static uint64_t s_warned_at(const sd_schedule_t *sched, const sd_ticket_t *t, uint64_t due,
                            int64_t left_max)
{
    uint64_t from = t->created_at && t->created_at < due ? t->created_at : due;
    int64_t all = sd_schedule_elapsed(sched, t, from, due);
    return all <= left_max ? from : sd_schedule_add(sched, t, from, (uint64_t)(all - left_max));
}

/* Where one clock stands: 2 breached, 1 at risk, 0 ok; reason and *at (when
 * that state was reached) written for 1 and 2. Both depend only on the
 * ticket and the schedule, never on when the check runs. */
static int s_clock(const sd_schedule_t *sched, const sd_ticket_t *t, uint64_t now, uint64_t due,
                   uint64_t target, const char *what, char *reason, size_t cap, uint64_t *at)
{
    char due_s[32], left_s[32];
    sd_sla_time(due, due_s, sizeof due_s);
    if (now >= due) {
        snprintf(reason, cap, "%s target missed: due %s (%s)", what, due_s,
                 sd_priority_name(t->priority));
        *at = due;
        return SD_SLA_BREACHED;
    }
    int64_t left = sd_schedule_elapsed(sched, t, now, due);
    int warn = sched ? sched->warn_percent : 75;
    int64_t left_max = (int64_t)(target * (uint64_t)(100 - warn) / 100);
    if ((uint64_t)left * 100 <= target * (uint64_t)(100 - warn)) {
        sd_sla_span(left_max, left_s, sizeof left_s);
        snprintf(reason, cap, "%s target %d%% used: %s business time left, due %s", what, warn,
                 left_s, due_s);
        *at = s_warned_at(sched, t, due, left_max);
        return SD_SLA_AT_RISK;
    }
    return SD_SLA_OK;
}

int sd_sla_assess(const sd_schedule_t *sched, const sd_policy_t *policy, const sd_ticket_t *t,
                  uint64_t now, char *reason, size_t cap, uint64_t *at)
{
    reason[0] = 0;
    *at = now;
    bool open = t->status <= SD_STATUS_IN_PROGRESS;
    if (t->sla_state == SD_SLA_BREACHED || !open || !t->resolve_due)
        return t->sla_state;
    char why[2][SD_NOTE_MAX / 4];
    uint64_t when[2] = {now, now};
    int state = s_clock(sched, t, now, t->resolve_due, policy->resolve_ms[t->priority],
                        "resolution", why[0], sizeof why[0], &when[0]);
    bool responded = t->acknowledged_at || t->first_response_at;
    int resp = responded ? SD_SLA_OK
                         : s_clock(sched, t, now, t->response_due, policy->response_ms[t->priority],
                                   "response", why[1], sizeof why[1], &when[1]);
    int worst = resp > state ? 1 : 0;
    if (worst)
        state = resp;
    if (state != t->sla_state) {
        snprintf(reason, cap, "%s",
                 state == SD_SLA_OK ? "due times moved: back within target" : why[worst]);
        *at = state == SD_SLA_OK ? now : when[worst];
    }
    return state;
}
