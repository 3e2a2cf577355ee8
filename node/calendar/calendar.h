/* calendar.h - site calendars (time zone, weekly hours, holidays) and exact business-time
 * arithmetic.
 *
 * The follow-the-sun scheduler asks three things of a site: is it on duty now,
 * when does that change, and when is a deadline that counts only on-duty time.
 * Time is always int64_t milliseconds since the Unix epoch, UTC.
 *
 * A calendar is a site id, an IANA time zone read from the system tzdata
 * (/usr/share/zoneinfo, or $TZDIR), weekly spans of working hours in the
 * site's wall-clock time, and holiday dates. A span starts on a weekday and
 * may run past midnight ("fri 22:00-06:00" ends Saturday 06:00); a holiday
 * cancels every span that starts on that local date, including the part of a
 * night shift that falls on the next day.
 *
 * Daylight-saving changes, the rule: a span from wall time s to wall time e
 * is on duty from the first instant the site's clock shows s or later, to the
 * last instant it shows a time before e. So
 *   - a span that starts or ends in a skipped hour (spring forward) starts or
 *     ends when the clock jumps: "sun 00:30-02:30" in London on 2026-03-29
 *     lasts one hour, a span wholly inside the skipped hour is empty;
 *   - in a repeated hour (fall back), a start means its first occurrence and
 *     an end its last: "sun 01:30-02:30" in London on 2026-10-25 lasts two
 *     hours, 00:30Z to 02:30Z, in one piece.
 * A shift is always one contiguous interval, and lasts exactly what the
 * people working it see on the clock.
 *
 * Offsets come from our own reader of the TZif files and their POSIX TZ
 * footer, not from libical or setenv("TZ"): TZ is process-wide, and libical
 * 3.0's converted zones disagree with the tzdata for several zones
 * (St_Johns, Lord_Howe, Easter, ...). libical is used for .ics files only.
 *
 * Supported instants are [SD_TIME_MIN, SD_TIME_MAX): 1970 to 2199. Searches
 * (a deadline, the next change of duty) look at most SD_DUTY_HORIZON_MS
 * ahead, so a calendar without working hours gives an error, not a loop.
 *
 * Threads: building a calendar or set (new, add_*, import) must not overlap
 * any other call on it. Once built, every query is read-only, takes no lock
 * and may run from any number of threads at once.
 *
 * Errors are negative SD_E* codes from error.h; each call lists its own. */
#ifndef SD_CALENDAR_H
#define SD_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_DAY_MS           (24ll * 3600 * 1000)
#define SD_TIME_MIN         0ll               /* 1970-01-01T00:00Z */
#define SD_TIME_MAX         7258118400000ll   /* 2200-01-01T00:00Z, excluded */
#define SD_TIME_NEVER       INT64_MAX         /* "no such instant within the horizon" */
#define SD_DUTY_HORIZON_MS  (732 * SD_DAY_MS) /* two years: how far searches look */
#define SD_CAL_SPANS_MAX    32                /* weekly spans per calendar */
#define SD_CAL_HOLIDAYS_MAX 20000             /* holiday dates per calendar */
#define SD_CAL_ZONE_MAX     64                /* bytes of a time zone name */
#define SD_CALSET_MAX       64                /* calendars per set: one bit each in a uint64_t */

/* ---- Parsing config values ------------------------------------------------ */

/* One weekly span of working hours, in the calendar's wall-clock time. */
typedef struct {
    uint8_t days;  /* bit d: the span starts on weekday d, 0 = Monday .. 6 = Sunday */
    int16_t start; /* minutes after midnight it starts, 0..1439 */
    int16_t end;   /* minutes after midnight it ends, 1..1440; <= start: on the next day */
} sd_span_t;

/* Parses working hours: groups separated by ';', each a day list and one or
 * more time ranges, e.g. "mon-fri 09:00-12:00 13:00-18:00; sat 22:00-06:00".
 * Days are mon..sun (any case), lists "mon,wed" and ranges "mon-fri" ("fri-mon"
 * wraps). Times are H:MM or HH:MM; 24:00 only as an end; an end at or before
 * the start is on the next day; start == end is refused (write 00:00-24:00).
 * Writes the spans to spans[0..*count).
 * Returns 0, SD_EINVAL (bad syntax or value; *count undefined) or SD_ETOOBIG
 * (more than cap spans). */
int sd_hours_parse(const char *text, sd_span_t *spans, size_t cap, size_t *count);

/* Parses a local date "YYYY-MM-DD" into *day, days since 1970-01-01.
 * Returns 0, SD_EINVAL (not that form, or no such date) or SD_ERANGE (year
 * outside 1970..2199). */
int sd_date_parse(const char *text, int32_t *day);

/* ---- A site's calendar ---------------------------------------------------- */

typedef struct sd_calendar sd_calendar_t;

/* Makes a calendar for site (sd_site_valid) in IANA time zone zone, e.g.
 * "Asia/Shanghai", with no working hours and no holidays (never on duty).
 * Reads the zone's tzdata file once; nothing is read later.
 * Returns 0 and an owned *cal, or SD_EINVAL (bad site, unknown zone or not a
 * zone file), SD_EIO (zone file unreadable), SD_ECORRUPT (zone file
 * malformed or using leap seconds), SD_ENOMEM. */
int sd_calendar_new(const char *site, const char *zone, sd_calendar_t **cal);

/* Frees the calendar and sets *cal to NULL; NULL-safe. */
void sd_calendar_destroy(sd_calendar_t **cal);

/* The site id and zone name; borrowed, live as long as the calendar. */
const char *sd_calendar_site(const sd_calendar_t *cal);
const char *sd_calendar_zone(const sd_calendar_t *cal);

/* Adds one weekly span. Returns 0, SD_EINVAL (no days, times out of range,
 * start == end) or SD_ETOOBIG (SD_CAL_SPANS_MAX reached). */
int sd_calendar_add_span(sd_calendar_t *cal, const sd_span_t *span);

/* Adds the spans of a working-hours text (sd_hours_parse), all or none.
 * Returns 0, SD_EINVAL or SD_ETOOBIG. */
int sd_calendar_add_hours(sd_calendar_t *cal, const char *text);

/* Adds a holiday, days since 1970-01-01 (sd_date_parse); adding one twice is
 * harmless. Returns 0, SD_ERANGE (not in 1970..2199), SD_ETOOBIG
 * (SD_CAL_HOLIDAYS_MAX reached) or SD_ENOMEM. */
int sd_calendar_add_holiday(sd_calendar_t *cal, int32_t day);

/* Adds the dates of a list separated by spaces or commas, e.g.
 * "2026-12-25, 2026-12-28", all or none; an empty list adds nothing.
 * Returns 0, the sd_date_parse error of the first bad date, SD_ETOOBIG or
 * SD_ENOMEM. */
int sd_calendar_add_holidays(sd_calendar_t *cal, const char *text);

/* Adds the holidays of an iCalendar file (RFC 5545) as published by calendar
 * services: every all-day VEVENT (DTSTART;VALUE=DATE) covers its days
 * [DTSTART, DTEND), or DURATION whole days, or one day. RRULE, RDATE and
 * EXDATE are expanded, RECURRENCE-ID instances replace the ones they name,
 * STATUS:CANCELLED events are skipped, and timed events are ignored (they
 * are not holidays). Only dates in the years first_year..last_year are kept.
 * All or none: on error the calendar is unchanged.
 * *added (may be NULL) gets the number of distinct dates read.
 * Returns 0, SD_EINVAL (bad years; not iCalendar; a malformed line or event:
 * err says which), SD_EIO (cannot read path), SD_ETOOBIG (file over 4 MiB,
 * or too many dates or recurrences), SD_ENOMEM. err gets one line on error. */
int sd_calendar_import_ics(sd_calendar_t *cal, const char *path, int first_year, int last_year,
                           size_t *added, char *err, size_t cap);

/* True when local date day is a holiday. */
bool sd_calendar_is_holiday(const sd_calendar_t *cal, int32_t day);

/* The site's offset from UTC at instant t, in seconds (east positive): local
 * wall time = t + offset. Returns 0 or SD_ERANGE (t not supported). */
int sd_calendar_utc_offset(const sd_calendar_t *cal, int64_t t, int32_t *seconds);

/* The first UTC instant at which the calendar's clock shows local wall time
 * local_ms (ms since 1970-01-01 00:00 of the wall clock) or later: the rule
 * of spans' starts above (a skipped time starts when the clock jumps, a
 * repeated one at its first occurrence). local_ms must be supported. */
int64_t sd_calendar_local_start(const sd_calendar_t *cal, int64_t local_ms);

/* A copy of cal (zone, hours, holidays) for another site id, owned by the
 * caller in *out. Returns 0, SD_EINVAL (bad site) or SD_ENOMEM. */
int sd_calendar_copy(const sd_calendar_t *cal, const char *site, sd_calendar_t **out);

/* One timed event of an iCalendar file being written. */
typedef struct {
    int64_t start, end;      /* UTC ms: DTSTART, DTEND (written in UTC, "Z") */
    const char *uid;         /* UID: stable across exports of the same event */
    const char *summary;     /* SUMMARY */
    const char *description; /* DESCRIPTION, or NULL */
} sd_ics_event_t;

/* Writes a VCALENDAR (VERSION 2.0, PRODID, X-WR-CALNAME name) with one VEVENT per event,
 * DTSTAMP stamp, into *out (malloc'd, the caller frees it; CRLF lines as RFC 5545 says).
 * Returns 0 or SD_ENOMEM. */
int sd_ics_write(const char *name, const sd_ics_event_t *events, size_t n, int64_t stamp,
                 char **out);

/* ---- A set of calendars, e.g. all sites ---------------------------------- */

typedef struct sd_calset sd_calset_t;

/* An empty set, owned by the caller; NULL when out of memory. */
sd_calset_t *sd_calset_new(void);

/* Frees the set and its calendars, sets *set to NULL; NULL-safe. */
void sd_calset_destroy(sd_calset_t **set);

/* Moves *cal into the set as member sd_calset_size() - 1 and sets *cal to
 * NULL. On error *cal is left with the caller. Returns 0, SD_EDUPLICATE (a
 * member has that site) or SD_ETOOBIG (SD_CALSET_MAX members). */
int sd_calset_add(sd_calset_t *set, sd_calendar_t **cal);

/* Number of members, and member i (borrowed, lives as long as the set;
 * NULL when i is out of range). */
size_t sd_calset_size(const sd_calset_t *set);
const sd_calendar_t *sd_calset_at(const sd_calset_t *set, size_t i);

/* Index of the member for site, or SD_ENOTFOUND. */
int sd_calset_find(const sd_calset_t *set, const char *site);

/* ---- Duty sources: what business time counts ----------------------------- */

typedef enum {
    SD_DUTY_ALWAYS,   /* 7x24 */
    SD_DUTY_CALENDAR, /* one calendar's hours */
    SD_DUTY_UNION     /* on duty when any of some members of a set is */
} sd_duty_kind_t;

/* A small value naming whose hours count; the calendar or set is borrowed and
 * must outlive every call that uses it. */
typedef struct {
    sd_duty_kind_t kind;      /* which of the below applies */
    const sd_calendar_t *cal; /* SD_DUTY_CALENDAR */
    const sd_calset_t *set;   /* SD_DUTY_UNION */
    uint64_t members;         /* SD_DUTY_UNION: bit i = member i counts */
} sd_duty_t;

sd_duty_t sd_duty_always(void);
sd_duty_t sd_duty_calendar(const sd_calendar_t *cal);
/* All members: the follow-the-sun calendar, for 7x24 tickets. */
sd_duty_t sd_duty_union(const sd_calset_t *set);

/* A half-open interval [start, end) of UTC ms. */
typedef struct {
    int64_t start; /* first instant in it */
    int64_t end;   /* first instant after it */
} sd_interval_t;

/* Returns 1 when src is on duty at t, 0 when not, or SD_EINVAL (src names
 * no calendar or set), SD_ERANGE (t not supported), SD_ENOMEM. */
int sd_duty_on(sd_duty_t src, int64_t t);

/* The first instant after t at which src goes on or off duty, into *at;
 * SD_TIME_NEVER when that does not happen within SD_DUTY_HORIZON_MS (7x24,
 * or no working hours). Returns 0, SD_EINVAL, SD_ERANGE or SD_ENOMEM. */
int sd_duty_next_change(sd_duty_t src, int64_t t, int64_t *at);

/* The on-duty intervals of src that overlap [from, to), cut to it, merged
 * and ascending, into *out (malloc'd, the caller frees it; NULL when
 * *count is 0). Returns 0, SD_EINVAL (src, or from > to), SD_ERANGE (outside
 * the supported instants, or to - from over SD_DUTY_HORIZON_MS), SD_ENOMEM. */
int sd_duty_intervals(sd_duty_t src, int64_t from, int64_t to, sd_interval_t **out, size_t *count);

/* The due time of a clock that runs only while src is on duty, started at
 * start for duration_ms, into *due: the first instant at which duration_ms of
 * on-duty time lie in [start, *due). Off duty at start, the clock waits for
 * the next on-duty instant, so a zero duration gives that instant; a
 * duration that ends with a shift gives the shift's end, not the next start.
 * Returns 0, SD_EINVAL (src, duration_ms < 0), SD_ERANGE (start not
 * supported, or due more than SD_DUTY_HORIZON_MS after start: e.g. no
 * working hours at all), SD_ENOMEM. */
int sd_duty_add(sd_duty_t src, int64_t start, int64_t duration_ms, int64_t *due);

/* On-duty milliseconds of src in [a, b) into *ms; for a > b the negative of
 * those in [b, a), so elapsed(now, due) is the business time left, negative
 * once breached. Returns 0, SD_EINVAL, SD_ERANGE (a or b not supported),
 * SD_ENOMEM. */
int sd_duty_elapsed(sd_duty_t src, int64_t a, int64_t b, int64_t *ms);

/* ---- Coverage and handover ------------------------------------------------ */

/* A stretch of time in which the same members of a set are on duty. */
typedef struct {
    int64_t start;  /* first instant of the stretch */
    int64_t end;    /* first instant after it */
    uint64_t sites; /* bit i = member i on duty; 0 = a gap nobody covers */
} sd_coverage_t;

/* Bit i set in *sites when member i is on duty at t.
 * Returns 0, SD_ERANGE (t not supported) or SD_ENOMEM. */
int sd_calset_on_duty(const sd_calset_t *set, int64_t t, uint64_t *sites);

/* Splits [from, to) into maximal stretches with a constant set of members on
 * duty, ascending and covering [from, to) without holes, into *out
 * (malloc'd, the caller frees it; NULL when *count is 0).
 * Returns 0, SD_EINVAL (from > to), SD_ERANGE (as sd_duty_intervals),
 * SD_ENOMEM. */
int sd_calset_coverage(const sd_calset_t *set, int64_t from, int64_t to, sd_coverage_t **out,
                       size_t *count);

/* The member to hand work to at t, not one of exclude (bit i = member i):
 * among members on duty at t, the one whose duty lasts longest after t (the
 * fewest further handovers); when none is on duty, the one whose duty starts
 * soonest, then the one that stays on longest. Remaining ties go to the lowest
 * index (config order). *index gets the member, *start when its duty starts
 * (t when on duty now). Returns 0, SD_ERANGE (t not supported, or no such
 * member on duty within SD_DUTY_HORIZON_MS) or SD_ENOMEM. */
int sd_calset_pick(const sd_calset_t *set, int64_t t, uint64_t exclude, int *index, int64_t *start);

#endif
