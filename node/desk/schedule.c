/* schedule.c - defaults of the schedule, and business time on a ticket's duty source. */
#include "schedule.h"

#include <stdlib.h>
#include <string.h>

void sd_schedule_default(sd_schedule_t *sched)
{
    *sched = (sd_schedule_t){.warn_percent = 75,
                             .escalate_minutes = {20, 60, 240},
                             .takeover_grace_ms = 30000,
                             .tick_ms = 1000,
                             .clock = sd_clock_real()};
    sched->follow_sun[SD_P1] = true;
}

void sd_schedule_clear(sd_schedule_t *sched)
{
    if (!sched)
        return;
    sd_calset_destroy(&sched->sites);
    for (size_t i = 0; i < SD_CALSET_MAX; i++) {
        free(sched->handover_team[i]);
        sched->handover_team[i] = NULL;
    }
    for (size_t i = 0; i < sched->noncall; i++) {
        sd_oncall_roster_t *r = sched->oncall[i];
        sd_calendar_destroy(&r->cal);
        for (size_t m = 0; m < r->nmembers; m++)
            free(r->members[m]);
        free(r);
        sched->oncall[i] = NULL;
    }
    sched->noncall = 0;
    sched->oncall_always = false;
    sd_calset_destroy(&sched->cover);
}

const char *sd_schedule_handover_team(const sd_schedule_t *sched, const char *site)
{
    int i = sched && sched->sites && site ? sd_calset_find(sched->sites, site) : -1;
    return i < 0 ? NULL : sched->handover_team[i];
}

sd_duty_t sd_schedule_duty(const sd_schedule_t *sched, const sd_ticket_t *t)
{
    if (!sched || !sched->sites || sd_calset_size(sched->sites) == 0)
        return sd_duty_always();
    if (t->follow_sun && sched->oncall_always)
        return sd_duty_always();
    if (t->follow_sun)
        return sd_duty_union(sched->cover ? sched->cover : sched->sites);
    int i = t->owner_site ? sd_calset_find(sched->sites, t->owner_site) : -1;
    return i < 0 ? sd_duty_always() : sd_duty_calendar(sd_calset_at(sched->sites, (size_t)i));
}

uint64_t sd_schedule_add(const sd_schedule_t *sched, const sd_ticket_t *t, uint64_t start,
                         uint64_t duration_ms)
{
    int64_t due;
    if (sd_duty_add(sd_schedule_duty(sched, t), (int64_t)start, (int64_t)duration_ms, &due) != 0)
        return start + duration_ms;
    return (uint64_t)due;
}

int64_t sd_schedule_elapsed(const sd_schedule_t *sched, const sd_ticket_t *t, uint64_t a,
                            uint64_t b)
{
    int64_t ms;
    if (sd_duty_elapsed(sd_schedule_duty(sched, t), (int64_t)a, (int64_t)b, &ms) != 0)
        return (int64_t)b - (int64_t)a;
    return ms;
}
