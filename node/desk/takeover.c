/* takeover.c - the hub's takeover from silent sites (takeover.h). */
#include "takeover.h"

#include "error.h"
#include "handover.h"
#include "oncall.h"

#include <stdio.h>
#include <string.h>

bool sd_takeover_silent(const sd_sched_ctx_t *ctx, const char *site)
{
    if (!ctx->silent_ms || !site)
        return false;
    int64_t ms = ctx->silent_ms(ctx->silent_arg, site);
    return ms >= 0 && ms > ctx->wf->sched->takeover_grace_ms;
}

/* True when calendar member i has been on duty without a break from `since` to now. */
static bool s_same_shift(const sd_calset_t *set, size_t i, int64_t since, int64_t now)
{
    sd_duty_t d = sd_duty_calendar(sd_calset_at(set, i));
    int64_t change;
    return sd_duty_on(d, since) == 1 && sd_duty_next_change(d, since, &change) == 0 && change > now;
}

uint64_t sd_takeover_exclude(const sd_sched_ctx_t *ctx, const sd_ticket_t *t, int owner)
{
    const sd_workflow_ctx_t *wf = ctx->wf;
    const sd_calset_t *set = wf->sched->sites;
    uint64_t exclude = owner >= 0 ? 1ull << owner : 0;
    if (!ctx->hub)
        return exclude;
    bool taken =
        t->owner_site && strcmp(t->owner_site, wf->site) == 0 && t->handover_from && t->handover_at;
    for (size_t i = 0; i < sd_calset_size(set); i++)
        if (sd_takeover_silent(ctx, sd_calendar_site(sd_calset_at(set, i))) ||
            (taken && s_same_shift(set, i, (int64_t)t->handover_at, (int64_t)wf->now_ms)))
            exclude |= 1ull << i;
    return exclude;
}

/* Who is called in for site at now: the person on call (sd_oncall_who); when
 * the rosters' hours do not cover now (a "gaps" roster is off while the
 * silent site's calendar is on duty), the person the first roster answering
 * for site has in its rotation (or override) now. */
static int s_who(const sd_sched_ctx_t *ctx, const char *site, char who[SD_NAME_MAX + 1])
{
    const sd_schedule_t *sched = ctx->wf->sched;
    uint64_t now = ctx->wf->now_ms;
    int rc = sd_oncall_who(sched, ctx->txn, site, now, who);
    if (rc != SD_ENOTFOUND)
        return rc;
    int i = sd_calset_find(sched->sites, site);
    for (size_t r = 0; r < sched->noncall; r++) {
        uint64_t sites = sched->oncall[r]->sites;
        if ((sites == 0 || (i >= 0 && (sites >> i & 1))) &&
            sd_oncall_roster_who(sched, ctx->txn, r, (int64_t)now, who, NULL) == 0)
            return 0;
    }
    return SD_ENOTFOUND;
}

int sd_takeover_oncall(const sd_sched_ctx_t *ctx, const sd_ticket_t *t, sd_event_t *ev)
{
    const sd_workflow_ctx_t *wf = ctx->wf;
    char who[SD_NAME_MAX + 1];
    if (!ctx->hub || s_who(ctx, t->owner_site, who) != 0)
        return 0;
    char why[SD_NAME_MAX + SD_SITE_MAX + 96], note[SD_NOTE_MAX], author[SD_NAME_MAX + 1];
    snprintf(why, sizeof why,
             "%s unreachable and no other site on duty: the hub gives it to %s, on call",
             t->owner_site, who);
    sd_handover_note(wf, t, wf->site, why, NULL, note, sizeof note);
    snprintf(author, sizeof author, "scheduler@%s", wf->site);
    int rc = sd_workflow_take(wf, t, who, note, author, ev);
    /* The person is paged by the same event (oncall.h: registers oncall, paged_at). */
    if (rc == 0 && (rc = sd_oncall_page_into(ev, who, wf->now_ms)) != 0)
        sd_event_clear(ev);
    return rc == 0 ? 1 : rc == SD_ENOMEM ? rc : 0;
}
