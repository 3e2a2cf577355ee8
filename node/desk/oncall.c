/* oncall.c - on-call rosters: rotation, holiday swaps, overrides, shifts (oncall.h). */
#include "oncall.h"

#include "error.h"
#include "oncall_kind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEEK_MS (7 * SD_DAY_MS)

static int64_t s_floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Local ms of handoff 0: the handoff weekday on or after start, at the handoff time. */
static int64_t s_first_local(const sd_oncall_roster_t *r)
{
    int wd = (int)(((r->start_day % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday (3) */
    int64_t day = r->start_day + (r->handoff_day - wd + 7) % 7;
    return day * SD_DAY_MS + r->handoff_min * 60000ll;
}

int64_t sd_oncall_handoff(const sd_oncall_roster_t *r, int64_t k)
{
    return sd_calendar_local_start(r->cal, s_first_local(r) + k * WEEK_MS);
}

/* The week of the rotation at t: the greatest k with handoff k <= t. */
static int s_week(const sd_oncall_roster_t *r, int64_t t, int64_t *week, int64_t *local)
{
    int32_t off;
    if (sd_calendar_utc_offset(r->cal, t, &off) != 0)
        return SD_ERANGE;
    *local = t + off * 1000ll;
    int64_t k = s_floor_div(*local - s_first_local(r), WEEK_MS);
    if (sd_oncall_handoff(r, k) > t)
        k--;
    else if (sd_oncall_handoff(r, k + 1) <= t)
        k++;
    *week = k;
    return 0;
}

static bool s_holiday(const sd_oncall_roster_t *r, int64_t day)
{
    for (size_t i = 0; i < r->nholidays; i++)
        if (r->holidays[i] == day)
            return true;
    return false;
}

int sd_oncall_rotation(const sd_oncall_roster_t *r, int64_t t)
{
    int64_t k, local;
    if (!r->nmembers || s_week(r, t, &k, &local) != 0)
        return -1;
    int64_t n = (int64_t)r->nmembers, m = ((k % n) + n) % n;
    if (s_holiday(r, s_floor_div(local, SD_DAY_MS)))
        m = (m + 1) % n;
    return (int)m;
}

int sd_oncall_find(const sd_schedule_t *sched, const char *name)
{
    for (size_t i = 0; sched && name && i < sched->noncall; i++)
        if (!strcmp(sched->oncall[i]->name, name))
            return (int)i;
    return SD_ENOTFOUND;
}

bool sd_oncall_in_hours(const sd_schedule_t *sched, const sd_oncall_roster_t *r, int64_t t)
{
    if (!r->gaps)
        return sd_duty_on(sd_duty_calendar(r->cal), t) == 1;
    uint64_t on = 0;
    if (sched->sites && sd_calset_on_duty(sched->sites, t, &on) != 0)
        return false;
    return on == 0;
}

/* ---- overrides ----------------------------------------------------------- */

typedef struct {
    char id[SD_ID_MAX + 1];
    char login[SD_NAME_MAX + 1];
    int64_t from, until;
    sd_stamp_t stamp; /* of the span register: the last written wins */
} s_override_t;

typedef struct {
    const char *roster;
    s_override_t *v;
    size_t n, cap;
    int rc;
} s_overrides_t;

static int s_collect(const void *record, void *arg)
{
    const sd_oncall_t *o = record;
    s_overrides_t *all = arg;
    if (o->cancelled || !o->roster || !o->login || strcmp(o->roster, all->roster) != 0 ||
        o->until_at <= o->from_at)
        return 0;
    if (all->n == all->cap) {
        size_t cap = all->cap ? 2 * all->cap : 8;
        s_override_t *v = realloc(all->v, cap * sizeof *v);
        if (!v)
            return all->rc = SD_ENOMEM;
        all->v = v;
        all->cap = cap;
    }
    s_override_t *e = &all->v[all->n++];
    snprintf(e->id, sizeof e->id, "%s", o->id);
    snprintf(e->login, sizeof e->login, "%s", o->login);
    e->from = (int64_t)o->from_at;
    e->until = (int64_t)o->until_at;
    e->stamp = o->stamps[SD_OREG_SPAN];
    return 0;
}

/* The overrides in force of roster (not cancelled), from the store; none without txn. */
static int s_overrides(sd_store_txn_t *txn, const char *roster, s_overrides_t *all)
{
    *all = (s_overrides_t){.roster = roster};
    if (!txn)
        return 0;
    int rc = sd_store_records(txn, &sd_kind_oncall, NULL, s_collect, all);
    return all->rc ? all->rc : rc;
}

static bool s_later(const sd_stamp_t *a, const sd_stamp_t *b)
{
    return a->hlc != b->hlc ? a->hlc > b->hlc : strcmp(a->origin, b->origin) > 0;
}

static const s_override_t *s_override_at(const s_overrides_t *all, int64_t t)
{
    const s_override_t *best = NULL;
    for (size_t i = 0; i < all->n; i++) {
        const s_override_t *e = &all->v[i];
        if (e->from <= t && t < e->until && (!best || s_later(&e->stamp, &best->stamp)))
            best = e;
    }
    return best;
}

static int s_who(const sd_oncall_roster_t *r, const s_overrides_t *all, int64_t t,
                 char login[SD_NAME_MAX + 1], char *override_id)
{
    const s_override_t *o = s_override_at(all, t);
    if (override_id)
        snprintf(override_id, SD_ID_MAX + 1, "%s", o ? o->id : "");
    if (o) {
        snprintf(login, SD_NAME_MAX + 1, "%s", o->login);
        return 0;
    }
    int m = sd_oncall_rotation(r, t);
    if (m < 0)
        return SD_ENOTFOUND;
    snprintf(login, SD_NAME_MAX + 1, "%s", r->members[m]);
    return 0;
}

int sd_oncall_roster_who(const sd_schedule_t *sched, sd_store_txn_t *txn, size_t i, int64_t t,
                         char login[SD_NAME_MAX + 1], char override_id[SD_ID_MAX + 1])
{
    if (!sched || i >= sched->noncall)
        return SD_ENOTFOUND;
    s_overrides_t all;
    int rc = s_overrides(txn, sched->oncall[i]->name, &all);
    if (!rc)
        rc = s_who(sched->oncall[i], &all, t, login, override_id);
    free(all.v);
    return rc;
}

/* True when roster r answers for the site at index site (-1: a site not in the schedule,
 * -2: any site). */
static bool s_answers(const sd_oncall_roster_t *r, int site)
{
    return site == -2 || r->sites == 0 || (site >= 0 && (r->sites >> site & 1));
}

int sd_oncall_who(const sd_schedule_t *sched, sd_store_txn_t *txn, const char *site, uint64_t t_ms,
                  char login[SD_NAME_MAX + 1])
{
    int at = -2; /* any site */
    if (site) {
        int i = sched && sched->sites ? sd_calset_find(sched->sites, site) : -1;
        at = i >= 0 ? i : -1;
    }
    for (size_t i = 0; sched && i < sched->noncall; i++) {
        const sd_oncall_roster_t *r = sched->oncall[i];
        if (!s_answers(r, at) || !sd_oncall_in_hours(sched, r, (int64_t)t_ms))
            continue;
        int rc = sd_oncall_roster_who(sched, txn, i, (int64_t)t_ms, login, NULL);
        if (rc != SD_ENOTFOUND)
            return rc;
    }
    return SD_ENOTFOUND;
}

bool sd_oncall_covers(const sd_schedule_t *sched, sd_store_txn_t *txn, uint64_t t_ms)
{
    char login[SD_NAME_MAX + 1];
    return sd_oncall_who(sched, txn, NULL, t_ms, login) == 0;
}

/* ---- shifts -------------------------------------------------------------- */

static int s_cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The roster's on-call hours within [from, to). */
static int s_hours(const sd_schedule_t *sched, const sd_oncall_roster_t *r, int64_t from,
                   int64_t to, sd_interval_t **out, size_t *n)
{
    if (!r->gaps)
        return sd_duty_intervals(sd_duty_calendar(r->cal), from, to, out, n);
    *out = NULL;
    *n = 0;
    if (!sched->sites) {
        if (from == to)
            return 0;
        if (!(*out = malloc(sizeof **out)))
            return SD_ENOMEM;
        (*out)[0] = (sd_interval_t){from, to};
        *n = 1;
        return 0;
    }
    sd_coverage_t *cov = NULL;
    size_t ncov = 0;
    int rc = sd_calset_coverage(sched->sites, from, to, &cov, &ncov);
    if (!rc && ncov && !(*out = malloc(ncov * sizeof **out)))
        rc = SD_ENOMEM;
    for (size_t i = 0; !rc && i < ncov; i++)
        if (cov[i].sites == 0)
            (*out)[(*n)++] = (sd_interval_t){cov[i].start, cov[i].end};
    free(cov);
    return rc;
}

/* The instants in (from, to) at which the person may change: handoffs, holiday midnights,
 * override ends. */
static int s_cuts(const sd_oncall_roster_t *r, const s_overrides_t *all, int64_t from, int64_t to,
                  int64_t **out, size_t *n)
{
    int64_t k0, local;
    if (s_week(r, from, &k0, &local) != 0)
        return SD_ERANGE;
    size_t cap = (size_t)((to - from) / WEEK_MS + 2) + 2 * r->nholidays + 2 * all->n;
    int64_t *v = malloc(cap * sizeof *v);
    if (!v)
        return SD_ENOMEM;
    size_t m = 0;
    for (int64_t k = k0 + 1; m < cap; k++) {
        int64_t h = sd_oncall_handoff(r, k);
        if (h >= to)
            break;
        v[m++] = h;
    }
    for (size_t i = 0; i < r->nholidays && m + 2 <= cap; i++) {
        v[m++] = sd_calendar_local_start(r->cal, r->holidays[i] * SD_DAY_MS);
        v[m++] = sd_calendar_local_start(r->cal, (r->holidays[i] + 1) * SD_DAY_MS);
    }
    for (size_t i = 0; i < all->n && m + 2 <= cap; i++) {
        v[m++] = all->v[i].from;
        v[m++] = all->v[i].until;
    }
    qsort(v, m, sizeof *v, s_cmp64);
    *out = v;
    *n = m;
    return 0;
}

static int s_push(sd_oncall_shift_t **v, size_t *n, size_t *cap, int64_t a, int64_t b,
                  const char *login, const char *override)
{
    if (*n && (*v)[*n - 1].end == a && !strcmp((*v)[*n - 1].login, login) &&
        !strcmp((*v)[*n - 1].override, override)) {
        (*v)[*n - 1].end = b;
        return 0;
    }
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        sd_oncall_shift_t *w = realloc(*v, c * sizeof *w);
        if (!w)
            return SD_ENOMEM;
        *v = w;
        *cap = c;
    }
    sd_oncall_shift_t *s = &(*v)[(*n)++];
    *s = (sd_oncall_shift_t){.start = a, .end = b};
    snprintf(s->login, sizeof s->login, "%s", login);
    snprintf(s->override, sizeof s->override, "%s", override);
    return 0;
}

int sd_oncall_shifts(const sd_schedule_t *sched, sd_store_txn_t *txn, size_t i, int64_t from,
                     int64_t to, sd_oncall_shift_t **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!sched || i >= sched->noncall)
        return SD_ENOTFOUND;
    if (from > to)
        return SD_EINVAL;
    const sd_oncall_roster_t *r = sched->oncall[i];
    s_overrides_t all;
    sd_interval_t *hours = NULL;
    int64_t *cuts = NULL;
    size_t nhours = 0, ncuts = 0, cap = 0;
    int rc = s_overrides(txn, r->name, &all) ?: s_hours(sched, r, from, to, &hours, &nhours);
    if (!rc && nhours)
        rc = s_cuts(r, &all, from, to, &cuts, &ncuts);
    size_t c = 0;
    for (size_t h = 0; !rc && h < nhours; h++) {
        int64_t a = hours[h].start;
        while (!rc && a < hours[h].end) {
            while (c < ncuts && cuts[c] <= a)
                c++;
            int64_t b = c < ncuts && cuts[c] < hours[h].end ? cuts[c] : hours[h].end;
            char login[SD_NAME_MAX + 1], id[SD_ID_MAX + 1];
            if (s_who(r, &all, a, login, id) == 0)
                rc = s_push(out, count, &cap, a, b, login, id);
            a = b;
        }
    }
    free(cuts);
    free(hours);
    free(all.v);
    if (rc) {
        free(*out);
        *out = NULL;
        *count = 0;
    }
    return rc;
}

/* ---- paging -------------------------------------------------------------- */

bool sd_oncall_page_due(const sd_schedule_t *sched, const sd_ticket_t *t, uint64_t now)
{
    uint64_t on = 0;
    if (!sched || !sched->sites || !t->follow_sun || t->status >= SD_STATUS_PENDING ||
        sd_calset_on_duty(sched->sites, (int64_t)now, &on) != 0 || on != 0)
        return false;
    if (!t->paged_at || t->paged_at > now)
        return !t->paged_at;
    /* Paged before: again only when the duty changed since, i.e. a site came on duty after a
     * page in an earlier gap, or the page was made while a site was on duty. */
    int64_t change;
    return sd_duty_next_change(sd_duty_union(sched->sites), (int64_t)t->paged_at, &change) == 0 &&
           change <= (int64_t)now;
}

int sd_oncall_page_into(sd_event_t *ev, const char *login, uint64_t now)
{
    sd_ticket_t *f = sd_event_ticket(ev);
    char *copy = strdup(login);
    if (!copy)
        return SD_ENOMEM;
    ev->mask |= sd_ticket_register_mask(SD_REG_PAGE);
    free(f->oncall);
    f->oncall = copy;
    f->paged_at = now;
    return 0;
}

int sd_oncall_page(const sd_ticket_t *cur, const char *login, uint64_t now, const char *author,
                   sd_event_t *ev)
{
    (void)cur;
    int rc = sd_event_start(ev, &sd_kind_ticket, SD_OP_PAGE);
    if (rc)
        return rc;
    snprintf(ev->author, sizeof ev->author, "%s", author);
    if ((rc = sd_oncall_page_into(ev, login, now)) != 0)
        sd_event_clear(ev);
    return rc;
}
