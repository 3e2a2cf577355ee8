/* calendar.c - site calendars: config parsing, holidays, and their on-duty intervals in UTC. */
#include "calendar_impl.h"

#include "error.h"
#include "event.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DAY_FIRST 0     /* 1970-01-01 */
#define DAY_LAST  84005 /* 2199-12-31 */

/* ---- Parsing ---------------------------------------------------------------- */

static const char *const s_day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static const char *s_blank(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static const char *s_day(const char *s, int *day)
{
    for (int d = 0; d < 7; d++) {
        if (strncasecmp(s, s_day_names[d], 3) == 0 && !isalpha((unsigned char)s[3])) {
            *day = d;
            return s + 3;
        }
    }
    return NULL;
}

/* "mon", "mon-fri", "sat,sun", "fri-mon" (wraps) into a weekday bit set. */
static const char *s_days(const char *s, uint8_t *days)
{
    *days = 0;
    for (;;) {
        int first, last;
        if (!(s = s_day(s, &first)))
            return NULL;
        last = first;
        if (*s == '-' && !(s = s_day(s + 1, &last)))
            return NULL;
        for (int d = first;; d = (d + 1) % 7) {
            *days |= (uint8_t)(1u << d);
            if (d == last)
                break;
        }
        if (*s != ',')
            return s;
        s++;
    }
}

/* "9:30" or "09:30" into minutes after midnight, 0..1440 (24:00 included). */
static const char *s_clock(const char *s, int *minutes)
{
    int h = 0, digits = 0;
    while (isdigit((unsigned char)*s) && digits < 2)
        h = h * 10 + (*s++ - '0'), digits++;
    if (!digits || *s != ':' || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
        isdigit((unsigned char)s[3]))
        return NULL;
    int m = (s[1] - '0') * 10 + (s[2] - '0');
    if (h > 24 || m > 59 || (h == 24 && m))
        return NULL;
    *minutes = h * 60 + m;
    return s + 3;
}

/* "09:00-18:00" into a span of the given days. */
static const char *s_range(const char *s, uint8_t days, sd_span_t *span)
{
    int start, end;
    if (!(s = s_clock(s, &start)) || *s != '-' || !(s = s_clock(s + 1, &end)))
        return NULL;
    if (start == 1440 || start == end)
        return NULL;
    *span = (sd_span_t){.days = days, .start = (int16_t)start, .end = (int16_t)(end ? end : 1440)};
    return s;
}

int sd_hours_parse(const char *text, sd_span_t *spans, size_t cap, size_t *count)
{
    if (!text || !spans || !count)
        return SD_EINVAL;
    *count = 0;
    for (const char *s = text;;) {
        uint8_t days;
        if (!(s = s_days(s_blank(s), &days)) || (*s != ' ' && *s != '\t'))
            return SD_EINVAL;
        s = s_blank(s);
        do {
            sd_span_t span;
            if (!(s = s_range(s, days, &span)))
                return SD_EINVAL;
            if (*count == cap)
                return SD_ETOOBIG;
            spans[(*count)++] = span;
            s = s_blank(s);
            if (*s == ',')
                s = s_blank(s + 1);
        } while (isdigit((unsigned char)*s));
        if (!*s)
            return 0;
        if (*s++ != ';')
            return SD_EINVAL;
    }
}

int sd_date_parse(const char *text, int32_t *day)
{
    static const char form[] = "dddd-dd-dd";
    if (!text || strlen(text) != sizeof form - 1)
        return SD_EINVAL;
    for (size_t i = 0; form[i]; i++)
        if (form[i] == 'd' ? !isdigit((unsigned char)text[i]) : text[i] != form[i])
            return SD_EINVAL;
    int y = atoi(text), m = atoi(text + 5), d = atoi(text + 8);
    if (m < 1 || m > 12 || d < 1 || d > sd_month_days(y, m))
        return SD_EINVAL;
    if (y < SD_YEAR_MIN || y > SD_YEAR_MAX)
        return SD_ERANGE;
    *day = (int32_t)sd_days_from_civil(y, m, d);
    return 0;
}

/* ---- Calendars ---------------------------------------------------------- */

int sd_calendar_new(const char *site, const char *zone, sd_calendar_t **cal)
{
    *cal = NULL;
    if (!site || !zone || !sd_site_valid(site) || strlen(zone) >= SD_CAL_ZONE_MAX)
        return SD_EINVAL;
    sd_calendar_t *c = calloc(1, sizeof *c);
    if (!c)
        return SD_ENOMEM;
    int rc = sd_zone_load(&c->zone, zone);
    if (rc) {
        free(c);
        return rc;
    }
    strcpy(c->site, site);
    strcpy(c->zone_name, zone);
    *cal = c;
    return 0;
}

void sd_calendar_destroy(sd_calendar_t **cal)
{
    if (!cal || !*cal)
        return;
    sd_zone_clear(&(*cal)->zone);
    free((*cal)->holidays);
    free(*cal);
    *cal = NULL;
}

const char *sd_calendar_site(const sd_calendar_t *cal)
{
    return cal->site;
}

const char *sd_calendar_zone(const sd_calendar_t *cal)
{
    return cal->zone_name;
}

int sd_calendar_add_span(sd_calendar_t *cal, const sd_span_t *span)
{
    if (!span->days || span->days >= 1u << 7 || span->start < 0 || span->start > 1439 ||
        span->end < 1 || span->end > 1440 || span->start == span->end)
        return SD_EINVAL;
    if (cal->nspans == SD_CAL_SPANS_MAX)
        return SD_ETOOBIG;
    cal->spans[cal->nspans++] = *span;
    return 0;
}

int sd_calendar_add_hours(sd_calendar_t *cal, const char *text)
{
    sd_span_t spans[SD_CAL_SPANS_MAX];
    size_t n;
    int rc = sd_hours_parse(text, spans, SD_CAL_SPANS_MAX - cal->nspans, &n);
    for (size_t i = 0; !rc && i < n; i++)
        rc = sd_calendar_add_span(cal, &spans[i]);
    return rc;
}

static int s_day_cmp(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

size_t sd_days_unique(int32_t *days, size_t n)
{
    size_t kept = 0;
    if (n)
        qsort(days, n, sizeof *days, s_day_cmp);
    for (size_t i = 0; i < n; i++)
        if (!kept || days[kept - 1] != days[i])
            days[kept++] = days[i];
    return kept;
}

int sd_calendar_add_days(sd_calendar_t *cal, const int32_t *days, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (days[i] < DAY_FIRST || days[i] > DAY_LAST)
            return SD_ERANGE;
    if (n > SD_CAL_HOLIDAYS_MAX) /* checked again after repeats go */
        return SD_ETOOBIG;
    /* Built aside, so an error leaves the calendar as it was. */
    int32_t *all = malloc((cal->nholidays + n + 1) * sizeof *all);
    if (!all)
        return SD_ENOMEM;
    if (cal->nholidays)
        memcpy(all, cal->holidays, cal->nholidays * sizeof *all);
    if (n)
        memcpy(all + cal->nholidays, days, n * sizeof *all);
    size_t kept = sd_days_unique(all, cal->nholidays + n);
    if (kept > SD_CAL_HOLIDAYS_MAX) {
        free(all);
        return SD_ETOOBIG;
    }
    free(cal->holidays);
    cal->holidays = all;
    cal->nholidays = kept;
    return 0;
}

int sd_calendar_add_holiday(sd_calendar_t *cal, int32_t day)
{
    return sd_calendar_add_days(cal, &day, 1);
}

int sd_calendar_add_holidays(sd_calendar_t *cal, const char *text)
{
    if (!text)
        return SD_EINVAL;
    int32_t *days = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (const char *s = text; !rc;) {
        s += strspn(s, " \t,");
        size_t len = strcspn(s, " \t,");
        if (!len)
            break;
        char date[16];
        if (len >= sizeof date)
            rc = SD_EINVAL;
        else if (n == SD_CAL_HOLIDAYS_MAX)
            rc = SD_ETOOBIG;
        else {
            int32_t *more = sd_cal_room(days, &cap, n + 1, sizeof *days);
            rc = more ? 0 : SD_ENOMEM;
            days = more ? more : days;
        }
        if (!rc) {
            memcpy(date, s, len);
            date[len] = 0;
            rc = sd_date_parse(date, &days[n++]);
        }
        s += len;
    }
    if (!rc)
        rc = sd_calendar_add_days(cal, days, n);
    free(days);
    return rc;
}

bool sd_calendar_is_holiday(const sd_calendar_t *cal, int32_t day)
{
    return cal->nholidays && bsearch(&day, cal->holidays, cal->nholidays, sizeof day, s_day_cmp);
}

int sd_calendar_utc_offset(const sd_calendar_t *cal, int64_t t, int32_t *seconds)
{
    if (t < SD_TIME_MIN || t >= SD_TIME_MAX)
        return SD_ERANGE;
    *seconds = sd_zone_offset(&cal->zone, t);
    return 0;
}

int64_t sd_calendar_local_start(const sd_calendar_t *cal, int64_t local_ms)
{
    return sd_zone_start_utc(&cal->zone, local_ms);
}

int sd_calendar_copy(const sd_calendar_t *cal, const char *site, sd_calendar_t **out)
{
    *out = NULL;
    if (!site || !sd_site_valid(site))
        return SD_EINVAL;
    sd_calendar_t *c = calloc(1, sizeof *c);
    if (!c)
        return SD_ENOMEM;
    *c = *cal;
    snprintf(c->site, sizeof c->site, "%s", site);
    c->zone.at = malloc((cal->zone.n ? cal->zone.n : 1) * sizeof *c->zone.at);
    c->zone.offset = malloc((cal->zone.n + 1) * sizeof *c->zone.offset);
    c->holidays = cal->nholidays ? malloc(cal->nholidays * sizeof *c->holidays) : NULL;
    if (!c->zone.at || !c->zone.offset || (cal->nholidays && !c->holidays)) {
        sd_calendar_destroy(&c);
        return SD_ENOMEM;
    }
    memcpy(c->zone.at, cal->zone.at, cal->zone.n * sizeof *c->zone.at);
    memcpy(c->zone.offset, cal->zone.offset, (cal->zone.n + 1) * sizeof *c->zone.offset);
    if (cal->nholidays)
        memcpy(c->holidays, cal->holidays, cal->nholidays * sizeof *c->holidays);
    *out = c;
    return 0;
}

int sd_calendar_window(const sd_calendar_t *cal, int64_t from, int64_t to, sd_ivec_t *out)
{
    if (!cal->nspans)
        return 0;
    /* A span that starts on local day D lies in local [D, D + 2 days), which
     * is within SD_ZONE_SHIFT_MS of the same UTC stretch. */
    int64_t first = sd_floor_div(from - SD_ZONE_SHIFT_MS, SD_DAY_MS) - 2;
    int64_t last = sd_floor_div(to + SD_ZONE_SHIFT_MS, SD_DAY_MS);
    for (int64_t day = first; day <= last; day++) {
        if (sd_calendar_is_holiday(cal, (int32_t)day))
            continue;
        unsigned weekday = 1u << sd_weekday(day);
        for (size_t i = 0; i < cal->nspans; i++) {
            const sd_span_t *sp = &cal->spans[i];
            if (!(sp->days & weekday))
                continue;
            int64_t end = sp->end > sp->start ? sp->end : sp->end + 1440;
            int64_t a =
                sd_zone_start_utc(&cal->zone, day * SD_DAY_MS + sp->start * SD_CAL_MINUTE_MS);
            int64_t b = sd_zone_end_utc(&cal->zone, day * SD_DAY_MS + end * SD_CAL_MINUTE_MS);
            a = a < from ? from : a;
            b = b > to ? to : b;
            int rc = a < b ? sd_ivec_push(out, a, b) : 0;
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* ---- Interval lists ----------------------------------------------------- */

/* Makes room for need elements of size bytes in v (capacity *cap). Returns
 * the array, perhaps moved, or NULL when out of memory (v is still valid). */
void *sd_cal_room(void *v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return v;
    size_t more = *cap ? 2 * *cap : 64;
    void *p = realloc(v, (more < need ? need : more) * size);
    if (p)
        *cap = more < need ? need : more;
    return p;
}

int sd_ivec_push(sd_ivec_t *vec, int64_t start, int64_t end)
{
    sd_interval_t *v = sd_cal_room(vec->v, &vec->cap, vec->n + 1, sizeof *v);
    if (!v)
        return SD_ENOMEM;
    vec->v = v;
    vec->v[vec->n++] = (sd_interval_t){start, end};
    return 0;
}

static int s_interval_cmp(const void *a, const void *b)
{
    int64_t x = ((const sd_interval_t *)a)->start, y = ((const sd_interval_t *)b)->start;
    return (x > y) - (x < y);
}

void sd_ivec_merge(sd_ivec_t *vec)
{
    if (vec->n < 2)
        return;
    qsort(vec->v, vec->n, sizeof *vec->v, s_interval_cmp);
    size_t kept = 0;
    for (size_t i = 1; i < vec->n; i++) {
        sd_interval_t *last = &vec->v[kept];
        if (vec->v[i].start <= last->end) {
            if (vec->v[i].end > last->end)
                last->end = vec->v[i].end;
        } else {
            vec->v[++kept] = vec->v[i];
        }
    }
    vec->n = kept + 1;
}

void sd_ivec_free(sd_ivec_t *vec)
{
    free(vec->v);
    memset(vec, 0, sizeof *vec);
}

/* ---- Sets ---------------------------------------------------------------- */

sd_calset_t *sd_calset_new(void)
{
    return calloc(1, sizeof(sd_calset_t));
}

void sd_calset_destroy(sd_calset_t **set)
{
    if (!set || !*set)
        return;
    for (size_t i = 0; i < (*set)->n; i++)
        sd_calendar_destroy(&(*set)->cals[i]);
    free(*set);
    *set = NULL;
}

int sd_calset_add(sd_calset_t *set, sd_calendar_t **cal)
{
    if (sd_calset_find(set, (*cal)->site) >= 0)
        return SD_EDUPLICATE;
    if (set->n == SD_CALSET_MAX)
        return SD_ETOOBIG;
    set->cals[set->n++] = *cal;
    *cal = NULL;
    return 0;
}

size_t sd_calset_size(const sd_calset_t *set)
{
    return set->n;
}

const sd_calendar_t *sd_calset_at(const sd_calset_t *set, size_t i)
{
    return i < set->n ? set->cals[i] : NULL;
}

int sd_calset_find(const sd_calset_t *set, const char *site)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->cals[i]->site, site) == 0)
            return (int)i;
    return SD_ENOTFOUND;
}
