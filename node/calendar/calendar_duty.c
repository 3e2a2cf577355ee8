/* calendar_duty.c - business time over duty sources; coverage and handover of calendar sets. */
#include "calendar_impl.h"

#include "error.h"

#include <stdlib.h>
#include <string.h>

/* Intervals are made a week at a time: a few dozen per calendar, and a long
 * search never holds more than one week in memory. */
#define WINDOW_MS (7 * SD_DAY_MS)

sd_duty_t sd_duty_always(void)
{
    return (sd_duty_t){.kind = SD_DUTY_ALWAYS};
}

sd_duty_t sd_duty_calendar(const sd_calendar_t *cal)
{
    return (sd_duty_t){.kind = SD_DUTY_CALENDAR, .cal = cal};
}

sd_duty_t sd_duty_union(const sd_calset_t *set)
{
    uint64_t all = !set ? 0 : set->n < 64 ? ((uint64_t)1 << set->n) - 1 : UINT64_MAX;
    return (sd_duty_t){.kind = SD_DUTY_UNION, .set = set, .members = all};
}

/* Member i of a set alone. */
static sd_duty_t s_member(const sd_calset_t *set, size_t i)
{
    return (sd_duty_t){.kind = SD_DUTY_UNION, .set = set, .members = (uint64_t)1 << i};
}

static int s_check(const sd_duty_t *src)
{
    switch (src->kind) {
    case SD_DUTY_ALWAYS:
        return 0;
    case SD_DUTY_CALENDAR:
        return src->cal ? 0 : SD_EINVAL;
    case SD_DUTY_UNION:
        return src->set ? 0 : SD_EINVAL;
    }
    return SD_EINVAL;
}

/* Checks an instant (end false: in [MIN, MAX)) or a range end (in [MIN, MAX]). */
static bool s_supported(int64_t t, bool end)
{
    return t >= SD_TIME_MIN && (end ? t <= SD_TIME_MAX : t < SD_TIME_MAX);
}

/* Where a search that starts at t gives up. */
static int64_t s_limit(int64_t t)
{
    return t > SD_TIME_MAX - SD_DUTY_HORIZON_MS ? SD_TIME_MAX : t + SD_DUTY_HORIZON_MS;
}

/* Checks a query over [from, to) no longer than the horizon. */
static int s_check_range(const sd_duty_t *src, int64_t from, int64_t to)
{
    int rc = s_check(src);
    if (!rc && from > to)
        rc = SD_EINVAL;
    if (!rc &&
        (!s_supported(from, false) || !s_supported(to, true) || to - from > SD_DUTY_HORIZON_MS))
        rc = SD_ERANGE;
    return rc;
}

/* The merged on-duty intervals of src in [from, to), into out (emptied first). */
static int s_load(const sd_duty_t *src, int64_t from, int64_t to, sd_ivec_t *out)
{
    int rc = 0;
    out->n = 0;
    if (src->kind == SD_DUTY_ALWAYS)
        rc = sd_ivec_push(out, from, to);
    else if (src->kind == SD_DUTY_CALENDAR)
        rc = sd_calendar_window(src->cal, from, to, out);
    else
        for (size_t i = 0; !rc && i < src->set->n; i++)
            if (src->members >> i & 1)
                rc = sd_calendar_window(src->set->cals[i], from, to, out);
    if (!rc)
        sd_ivec_merge(out);
    return rc;
}

/* Hands out the maximal on-duty intervals of a source from a start to a
 * limit, in order, gluing the pieces that window edges cut apart. */
typedef struct {
    sd_duty_t src;  /* what is on duty */
    int64_t limit;  /* nothing at or after it is looked at */
    int64_t loaded; /* end of the window in win */
    sd_ivec_t win;  /* the window's merged intervals */
    size_t pos;     /* the next of them to hand out */
} s_walk_t;

static void s_walk_init(s_walk_t *w, sd_duty_t src, int64_t from, int64_t limit)
{
    memset(w, 0, sizeof *w);
    w->src = src;
    w->loaded = from;
    w->limit = limit;
}

static int s_walk_load(s_walk_t *w)
{
    int64_t from = w->loaded;
    bool last = w->src.kind == SD_DUTY_ALWAYS || w->limit - from <= WINDOW_MS;
    w->loaded = last ? w->limit : from + WINDOW_MS;
    w->pos = 0;
    return s_load(&w->src, from, w->loaded, &w->win);
}

/* Returns 1 and the next interval (cut at the limit), 0 at the limit, or an
 * error. */
static int s_walk_next(s_walk_t *w, sd_interval_t *iv)
{
    int rc;
    while (w->pos == w->win.n) {
        if (w->loaded >= w->limit)
            return 0;
        if ((rc = s_walk_load(w)))
            return rc;
    }
    *iv = w->win.v[w->pos++];
    while (iv->end == w->loaded && w->pos == w->win.n && w->loaded < w->limit) {
        if ((rc = s_walk_load(w)))
            return rc;
        if (!w->win.n || w->win.v[0].start != iv->end)
            break;
        iv->end = w->win.v[0].end;
        w->pos = 1;
    }
    return 1;
}

static void s_walk_done(s_walk_t *w)
{
    sd_ivec_free(&w->win);
}

/* The first on-duty interval of src at or after t, within the horizon:
 * returns 1 and *iv (iv->start == t when on duty at t), 0 when none, or an
 * error. */
static int s_first(sd_duty_t src, int64_t t, sd_interval_t *iv)
{
    s_walk_t w;
    s_walk_init(&w, src, t, s_limit(t));
    int rc = s_walk_next(&w, iv);
    s_walk_done(&w);
    return rc;
}

int sd_duty_on(sd_duty_t src, int64_t t)
{
    int rc = s_check(&src);
    if (rc)
        return rc;
    if (!s_supported(t, false))
        return SD_ERANGE;
    sd_ivec_t v = {0};
    rc = s_load(&src, t, t + 1, &v);
    rc = rc ? rc : v.n > 0;
    sd_ivec_free(&v);
    return rc;
}

int sd_duty_next_change(sd_duty_t src, int64_t t, int64_t *at)
{
    int rc = s_check(&src);
    if (rc)
        return rc;
    if (!s_supported(t, false))
        return SD_ERANGE;
    sd_interval_t iv;
    if ((rc = s_first(src, t, &iv)) < 0)
        return rc;
    *at = SD_TIME_NEVER;
    if (rc && iv.start > t)
        *at = iv.start;
    else if (rc && iv.end < s_limit(t))
        *at = iv.end;
    return 0;
}

int sd_duty_intervals(sd_duty_t src, int64_t from, int64_t to, sd_interval_t **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    int rc = s_check_range(&src, from, to);
    if (rc)
        return rc;
    s_walk_t w;
    sd_ivec_t found = {0};
    sd_interval_t iv;
    s_walk_init(&w, src, from, to);
    while ((rc = s_walk_next(&w, &iv)) == 1 && !(rc = sd_ivec_push(&found, iv.start, iv.end)))
        ;
    s_walk_done(&w);
    if (rc || !found.n) {
        sd_ivec_free(&found);
        return rc;
    }
    *out = found.v;
    *count = found.n;
    return 0;
}

int sd_duty_add(sd_duty_t src, int64_t start, int64_t duration_ms, int64_t *due)
{
    int rc = s_check(&src);
    if (rc || duration_ms < 0)
        return rc ? rc : SD_EINVAL;
    if (!s_supported(start, false))
        return SD_ERANGE;
    s_walk_t w;
    sd_interval_t iv;
    int64_t left = duration_ms;
    s_walk_init(&w, src, start, s_limit(start));
    while ((rc = s_walk_next(&w, &iv)) == 1) {
        if (left <= iv.end - iv.start) {
            *due = iv.start + left;
            break;
        }
        left -= iv.end - iv.start;
    }
    s_walk_done(&w);
    return rc == 1 ? 0 : rc == 0 ? SD_ERANGE : rc;
}

int sd_duty_elapsed(sd_duty_t src, int64_t a, int64_t b, int64_t *ms)
{
    int rc = s_check(&src);
    if (rc)
        return rc;
    if (!s_supported(a, true) || !s_supported(b, true))
        return SD_ERANGE;
    s_walk_t w;
    sd_interval_t iv;
    int64_t sum = 0;
    s_walk_init(&w, src, a < b ? a : b, a < b ? b : a);
    while ((rc = s_walk_next(&w, &iv)) == 1)
        sum += iv.end - iv.start;
    s_walk_done(&w);
    if (!rc)
        *ms = a <= b ? sum : -sum;
    return rc;
}

/* ---- Sets ------------------------------------------------------------------ */

int sd_calset_on_duty(const sd_calset_t *set, int64_t t, uint64_t *sites)
{
    *sites = 0;
    for (size_t i = 0; i < set->n; i++) {
        int rc = sd_duty_on(s_member(set, i), t);
        if (rc < 0)
            return rc;
        *sites |= (uint64_t)rc << i;
    }
    return 0;
}

/* A member going on or off duty. */
typedef struct {
    int64_t at;   /* when */
    uint64_t bit; /* the member's bit */
    bool on;      /* going on duty */
} s_edge_t;

static int s_edge_cmp(const void *a, const void *b)
{
    int64_t x = ((const s_edge_t *)a)->at, y = ((const s_edge_t *)b)->at;
    return (x > y) - (x < y);
}

/* Every member's duty starts and ends in [from, to], sorted by time. */
static int s_edges(const sd_calset_t *set, int64_t from, int64_t to, s_edge_t **edges, size_t *n)
{
    size_t cap = 0;
    int rc = 0;
    for (size_t i = 0; !rc && i < set->n; i++) {
        s_walk_t w;
        sd_interval_t iv;
        s_walk_init(&w, s_member(set, i), from, to);
        while ((rc = s_walk_next(&w, &iv)) == 1) {
            s_edge_t *more = sd_cal_room(*edges, &cap, *n + 2, sizeof **edges);
            if (!more) {
                rc = SD_ENOMEM;
                break;
            }
            *edges = more;
            more[(*n)++] = (s_edge_t){iv.start, (uint64_t)1 << i, true};
            more[(*n)++] = (s_edge_t){iv.end, (uint64_t)1 << i, false};
        }
        s_walk_done(&w);
    }
    if (!rc && *n)
        qsort(*edges, *n, sizeof **edges, s_edge_cmp);
    return rc;
}

/* Turns sorted edges into stretches of [from, to) with the same members on. */
static int s_sweep(const s_edge_t *edges, size_t nedges, int64_t from, int64_t to,
                   sd_coverage_t **out, size_t *count)
{
    uint64_t sites = 0;
    size_t cap = 0;
    int64_t cur = from;
    for (size_t k = 0;;) {
        int64_t at = k < nedges ? edges[k].at : to;
        if (at > cur && *count && (*out)[*count - 1].sites == sites) {
            (*out)[*count - 1].end = at;
        } else if (at > cur) {
            sd_coverage_t *more = sd_cal_room(*out, &cap, *count + 1, sizeof **out);
            if (!more)
                return SD_ENOMEM;
            *out = more;
            more[(*count)++] = (sd_coverage_t){cur, at, sites};
        }
        cur = at;
        if (k == nedges)
            return 0;
        for (; k < nedges && edges[k].at == at; k++)
            sites = edges[k].on ? sites | edges[k].bit : sites & ~edges[k].bit;
    }
}

int sd_calset_coverage(const sd_calset_t *set, int64_t from, int64_t to, sd_coverage_t **out,
                       size_t *count)
{
    *out = NULL;
    *count = 0;
    sd_duty_t all = sd_duty_union(set);
    s_edge_t *edges = NULL;
    size_t nedges = 0;
    int rc = s_check_range(&all, from, to);
    if (!rc)
        rc = s_edges(set, from, to, &edges, &nedges);
    if (!rc)
        rc = s_sweep(edges, nedges, from, to, out, count);
    free(edges);
    if (rc) {
        free(*out);
        *out = NULL;
        *count = 0;
    }
    return rc;
}

int sd_calset_pick(const sd_calset_t *set, int64_t t, uint64_t exclude, int *index, int64_t *start)
{
    if (!s_supported(t, false))
        return SD_ERANGE;
    int best = -1;
    sd_interval_t best_iv = {0, 0}, iv;
    for (size_t i = 0; i < set->n; i++) {
        if (exclude >> i & 1)
            continue;
        int rc = s_first(s_member(set, i), t, &iv);
        if (rc < 0)
            return rc;
        /* On duty now means iv.start == t, the earliest possible start; so
         * "on now, longest remaining" and "starts soonest" are one order. */
        if (rc && (best < 0 || iv.start < best_iv.start ||
                   (iv.start == best_iv.start && iv.end > best_iv.end))) {
            best = (int)i;
            best_iv = iv;
        }
    }
    if (best < 0)
        return SD_ERANGE;
    *index = best;
    *start = best_iv.start;
    return 0;
}
