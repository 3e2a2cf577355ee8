/* calendar_ics.c - holidays from iCalendar files (RFC 5545), parsed and expanded by libical. */
#include "calendar_impl.h"

#include "error.h"

#include <errno.h>
#include <libical/ical.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ICS_FILE_MAX   (4 * 1024 * 1024)
#define ICS_STEPS_MAX  200000                    /* recurrence instances looked at per file */
#define ICS_DATES_MAX  (2 * SD_CAL_HOLIDAYS_MAX) /* dates collected, repeats included */
#define ICS_EVENT_DAYS 366                       /* longest event taken as a holiday */
#define ICS_EXDATES    64                        /* EXDATEs honoured per event */

/* An instance that a RECURRENCE-ID event replaces. */
typedef struct {
    const char *uid; /* the series (borrowed from the parsed file) */
    int64_t day;     /* the date it had */
} s_moved_t;

/* What an import collects before it touches the calendar. */
typedef struct {
    int64_t first, last; /* dates kept: [first, last] */
    int32_t *days;       /* dates found, unsorted, with repeats */
    size_t n, cap;       /* used and allocated */
    s_moved_t *moved;    /* replaced instances */
    size_t nmoved;       /* how many */
    size_t steps;        /* recurrence instances looked at */
    char *err;           /* the caller's message buffer */
    size_t errcap;       /* its size */
} s_import_t;

static int s_fail(s_import_t *im, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (im->err && im->errcap)
        vsnprintf(im->err, im->errcap, fmt, ap);
    va_end(ap);
    return rc;
}

/* Reads the whole file as a string. */
static int s_slurp(s_import_t *im, const char *path, char **text)
{
    char why[128];
    FILE *f = fopen(path, "rb");
    if (!f)
        return s_fail(im, SD_EIO, "cannot open: %s", strerror_r(errno, why, sizeof why));
    char *buf = malloc(ICS_FILE_MAX + 1);
    size_t len = buf ? fread(buf, 1, ICS_FILE_MAX + 1, f) : 0;
    int rc = !buf ? SD_ENOMEM : ferror(f) ? SD_EIO : len > ICS_FILE_MAX ? SD_ETOOBIG : 0;
    fclose(f);
    if (rc) {
        free(buf);
        return s_fail(im, rc, rc == SD_ETOOBIG ? "larger than 4 MiB" : "cannot read");
    }
    buf[len] = 0;
    *text = buf;
    return 0;
}

/* Date of an iCalendar time (its date part for a DATE-TIME). */
static bool s_day_of(struct icaltimetype t, int64_t *day)
{
    if (icaltime_is_null_time(t) || t.month < 1 || t.month > 12 || t.day < 1 ||
        t.day > sd_month_days(t.year, t.month))
        return false;
    *day = sd_days_from_civil(t.year, t.month, t.day);
    return true;
}

/* Collects the days [start, start + len) that fall in the years kept. */
static int s_cover(s_import_t *im, int64_t start, int64_t len)
{
    for (int64_t day = start; day < start + len; day++) {
        if (day < im->first || day > im->last)
            continue;
        if (im->n == ICS_DATES_MAX)
            return s_fail(im, SD_ETOOBIG, "more than %d holiday dates", SD_CAL_HOLIDAYS_MAX);
        int32_t *more = sd_cal_room(im->days, &im->cap, im->n + 1, sizeof *more);
        if (!more)
            return SD_ENOMEM;
        im->days = more;
        im->days[im->n++] = (int32_t)day;
    }
    return 0;
}

/* Length in days of an all-day event starting on day start. */
static int s_length(s_import_t *im, icalcomponent *ev, const char *uid, int64_t start, int64_t *len)
{
    icalproperty *p = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
    int64_t end;
    *len = 1;
    if (p) {
        if (!s_day_of(icalproperty_get_dtend(p), &end) || end <= start)
            return s_fail(im, SD_EINVAL, "event %.60s: DTEND is not a date after DTSTART", uid);
        *len = end - start;
    } else if ((p = icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY))) {
        struct icaldurationtype d = icalproperty_get_duration(p);
        *len = (int64_t)d.weeks * 7 + d.days;
        if (d.is_neg || d.hours || d.minutes || d.seconds || *len < 1)
            return s_fail(im, SD_EINVAL, "event %.60s: DURATION is not whole days", uid);
    }
    if (*len > ICS_EVENT_DAYS)
        return s_fail(im, SD_EINVAL, "event %.60s: longer than %d days", uid, ICS_EVENT_DAYS);
    return 0;
}

/* The EXDATEs of an event into days[0..*n), at most ICS_EXDATES. */
static int s_exdates(s_import_t *im, icalcomponent *ev, const char *uid, int64_t *days, size_t *n)
{
    *n = 0;
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
        if (*n == ICS_EXDATES)
            return s_fail(im, SD_ETOOBIG, "event %.60s: more than %d EXDATEs", uid, ICS_EXDATES);
        if (!s_day_of(icalproperty_get_exdate(p), &days[*n]))
            return s_fail(im, SD_EINVAL, "event %.60s: bad EXDATE", uid);
        (*n)++;
    }
    return 0;
}

/* One instance of a series, unless excluded or replaced. */
static int s_instance(s_import_t *im, const char *uid, int64_t day, int64_t len,
                      const int64_t *exdates, size_t nex)
{
    for (size_t i = 0; i < nex; i++)
        if (exdates[i] == day)
            return 0;
    for (size_t i = 0; i < im->nmoved; i++)
        if (im->moved[i].day == day && strcmp(im->moved[i].uid, uid) == 0)
            return 0;
    return s_cover(im, day, len);
}

/* A series: DTSTART, its RDATEs and the instances of its RRULEs. */
static int s_series(s_import_t *im, icalcomponent *ev, const char *uid, struct icaltimetype dtstart,
                    int64_t start, int64_t len)
{
    int64_t exdates[ICS_EXDATES], day;
    size_t nex;
    int rc = s_exdates(im, ev, uid, exdates, &nex);
    if (!rc)
        rc = s_instance(im, uid, start, len, exdates, nex);
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY); p && !rc;
         p = icalcomponent_get_next_property(ev, ICAL_RDATE_PROPERTY)) {
        struct icaldatetimeperiodtype r = icalproperty_get_rdate(p);
        if (!s_day_of(icaltime_is_null_time(r.time) ? r.period.start : r.time, &day))
            return s_fail(im, SD_EINVAL, "event %.60s: bad RDATE", uid);
        rc = s_instance(im, uid, day, len, exdates, nex);
    }
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); p && !rc;
         p = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
        struct icalrecurrencetype rule = icalproperty_get_rrule(p);
        icalrecur_iterator *it =
            rule.freq == ICAL_NO_RECURRENCE ? NULL : icalrecur_iterator_new(rule, dtstart);
        if (!it)
            return s_fail(im, SD_EINVAL, "event %.60s: bad or unsupported RRULE", uid);
        for (struct icaltimetype t = icalrecur_iterator_next(it); !rc && !icaltime_is_null_time(t);
             t = icalrecur_iterator_next(it)) {
            if (++im->steps > ICS_STEPS_MAX)
                rc = s_fail(im, SD_ETOOBIG, "event %.60s: recurrence too long", uid);
            else if (!s_day_of(t, &day) || day > im->last)
                break;
            else
                rc = s_instance(im, uid, day, len, exdates, nex);
        }
        icalrecur_iterator_free(it);
    }
    return rc;
}

static int s_event(s_import_t *im, icalcomponent *ev)
{
    const char *uid = icalcomponent_get_uid(ev);
    uid = uid ? uid : "(no UID)";
    if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
        return 0;
    icalproperty *p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    if (!p)
        return s_fail(im, SD_EINVAL, "event %.60s: no DTSTART", uid);
    struct icaltimetype dtstart = icalproperty_get_dtstart(p);
    int64_t start, len;
    if (!icaltime_is_null_time(dtstart) && !dtstart.is_date)
        return 0; /* a timed event is not a holiday */
    if (!s_day_of(dtstart, &start))
        return s_fail(im, SD_EINVAL, "event %.60s: bad DTSTART", uid);
    int rc = s_length(im, ev, uid, start, &len);
    if (rc)
        return rc;
    if (icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY))
        return s_cover(im, start, len); /* a moved instance: only its own date */
    return s_series(im, ev, uid, dtstart, start, len);
}

/* The first X-LIC-ERROR libical left in the tree, or NULL. */
static const char *s_parse_error(icalcomponent *c)
{
    icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
    if (p)
        return icalproperty_get_xlicerror(p);
    for (icalcomponent *k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
         k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
        const char *why = s_parse_error(k);
        if (why)
            return why;
    }
    return NULL;
}

/* Notes the instances that RECURRENCE-ID events replace, then reads every
 * event of one VCALENDAR. */
static int s_vcalendar(s_import_t *im, icalcomponent *vcal)
{
    size_t cap = 0;
    for (icalcomponent *ev = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT)) {
        icalproperty *p = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY);
        const char *uid = icalcomponent_get_uid(ev);
        int64_t day;
        if (!p || !uid || !s_day_of(icalproperty_get_recurrenceid(p), &day))
            continue;
        s_moved_t *more = sd_cal_room(im->moved, &cap, im->nmoved + 1, sizeof *more);
        if (!more)
            return SD_ENOMEM;
        im->moved = more;
        im->moved[im->nmoved++] = (s_moved_t){uid, day};
    }
    int rc = 0;
    for (icalcomponent *ev = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT);
         ev && !rc; ev = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT))
        rc = s_event(im, ev);
    return rc;
}

/* Reads the parsed tree: one VCALENDAR, or several under an XROOT. */
static int s_tree(s_import_t *im, icalcomponent *root)
{
    const char *why = root ? s_parse_error(root) : NULL;
    if (why)
        return s_fail(im, SD_EINVAL, "malformed: %.100s", why);
    icalcomponent_kind kind = root ? icalcomponent_isa(root) : ICAL_NO_COMPONENT;
    if (kind == ICAL_VCALENDAR_COMPONENT)
        return s_vcalendar(im, root);
    icalcomponent *c = kind == ICAL_XROOT_COMPONENT
                           ? icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT)
                           : NULL;
    if (!c)
        return s_fail(im, SD_EINVAL, "not an iCalendar file (no complete VCALENDAR)");
    int rc = 0;
    for (; c && !rc; c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT))
        rc = s_vcalendar(im, c);
    return rc;
}

int sd_calendar_import_ics(sd_calendar_t *cal, const char *path, int first_year, int last_year,
                           size_t *added, char *err, size_t cap)
{
    s_import_t im = {.err = err, .errcap = cap};
    if (err && cap)
        err[0] = 0;
    if (first_year < SD_YEAR_MIN || last_year > SD_YEAR_MAX || first_year > last_year)
        return s_fail(&im, SD_EINVAL, "years must be within %d..%d", SD_YEAR_MIN, SD_YEAR_MAX);
    im.first = sd_days_from_civil(first_year, 1, 1);
    im.last = sd_days_from_civil(last_year, 12, 31);
    char *text = NULL;
    int rc = s_slurp(&im, path, &text);
    if (rc)
        return rc;
    /* libical's parser state and error number are per call and per thread. */
    icalcomponent *root = icalparser_parse_string(text);
    free(text);
    rc = s_tree(&im, root);
    if (root)
        icalcomponent_free(root);
    if (!rc) {
        im.n = sd_days_unique(im.days, im.n);
        if ((rc = sd_calendar_add_days(cal, im.days, im.n)) == SD_ETOOBIG)
            s_fail(&im, rc, "more than %d holiday dates", SD_CAL_HOLIDAYS_MAX);
    }
    if (!rc && added)
        *added = im.n;
    if (rc == SD_ENOMEM)
        s_fail(&im, rc, "out of memory");
    free(im.days);
    free(im.moved);
    return rc;
}
