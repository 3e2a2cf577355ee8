/* calendar_impl.h - calendar internals: zone tables, civil dates, interval lists.
 *
 * A zone is a table of UTC offsets between transitions, read once from the
 * tzdata and immutable afterwards, so lookups need no lock. Local wall time
 * is handled as "local ms": ms since 1970-01-01 00:00 of the wall clock, as
 * if the site were at UTC. A span occurring on local day D is the local
 * interval [D + start, D + end); calendar.c maps it to UTC with
 * sd_zone_start_utc / sd_zone_end_utc, which implement the DST rule of
 * calendar.h. calendar_duty.c walks those intervals window by window. */
#ifndef SD_CALENDAR_IMPL_H
#define SD_CALENDAR_IMPL_H

#include "calendar.h"
#include "sizes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_CAL_MINUTE_MS (60ll * 1000)
#define SD_CAL_HOUR_MS   (3600ll * 1000)
#define SD_ZONE_SHIFT_MS (26 * SD_CAL_HOUR_MS) /* offsets lie strictly inside +-26 h (RFC 8536) */
#define SD_YEAR_MIN      1970
#define SD_YEAR_MAX      2199

/* UTC offsets of one IANA zone. Offset k is in force from at[k-1] (or the
 * beginning of time) until at[k] (or forever). */
typedef struct {
    int64_t *at;     /* UTC ms of each transition, ascending; n entries */
    int32_t *offset; /* seconds east of UTC; n + 1 entries */
    size_t n;        /* number of transitions */
} sd_zone_t;

/* Reads zone name from $TZDIR or /usr/share/zoneinfo into zone (zeroed).
 * Returns 0, SD_EINVAL (bad name, unknown zone, not a TZif file), SD_EIO,
 * SD_ECORRUPT, SD_ENOMEM; on error zone holds nothing. */
int sd_zone_load(sd_zone_t *zone, const char *name);

/* Frees the tables; zone can be loaded again. */
void sd_zone_clear(sd_zone_t *zone);

/* Offset in seconds at UTC instant t. */
int32_t sd_zone_offset(const sd_zone_t *zone, int64_t t);

/* First UTC instant whose local time is at or after local ms s. */
int64_t sd_zone_start_utc(const sd_zone_t *zone, int64_t s);

/* Last UTC instant whose local time is before local ms e (as a half-open
 * end: the supremum of those instants). */
int64_t sd_zone_end_utc(const sd_zone_t *zone, int64_t e);

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12, d 1..31). */
int64_t sd_days_from_civil(int64_t y, int m, int d);

/* The date of days since 1970-01-01. */
void sd_civil_from_days(int64_t day, int64_t *y, int *m, int *d);

/* Days in month m of year y. */
int sd_month_days(int64_t y, int m);

/* Weekday of a day since 1970-01-01: 0 = Monday .. 6 = Sunday. */
int sd_weekday(int64_t day);

/* Floor division, for instants before an epoch. */
int64_t sd_floor_div(int64_t a, int64_t b);

/* A growable list of intervals. */
typedef struct {
    sd_interval_t *v; /* the intervals; NULL while cap is 0 */
    size_t n;         /* how many are used */
    size_t cap;       /* how many fit */
} sd_ivec_t;

/* Makes room for need elements of size bytes in v (capacity *cap), doubling.
 * Returns the array, perhaps moved, or NULL when out of memory (v still valid). */
void *sd_cal_room(void *v, size_t *cap, size_t need, size_t size);

/* Appends [start, end). Returns 0 or SD_ENOMEM. */
int sd_ivec_push(sd_ivec_t *vec, int64_t start, int64_t end);

/* Sorts and merges overlapping or touching intervals. */
void sd_ivec_merge(sd_ivec_t *vec);

/* Frees the storage and empties the list. */
void sd_ivec_free(sd_ivec_t *vec);

struct sd_calendar {
    char site[SD_SITE_MAX + 1];        /* site id */
    char zone_name[SD_CAL_ZONE_MAX];   /* IANA name, as given */
    sd_zone_t zone;                    /* its offsets */
    sd_span_t spans[SD_CAL_SPANS_MAX]; /* weekly working hours */
    size_t nspans;                     /* how many */
    int32_t *holidays;                 /* local dates, ascending, unique */
    size_t nholidays;                  /* how many */
};

struct sd_calset {
    sd_calendar_t *cals[SD_CALSET_MAX]; /* owned members, in the order added */
    size_t n;                           /* how many */
};

/* Appends the on-duty intervals of cal that overlap [from, to), cut to it,
 * unsorted and unmerged. Returns 0 or SD_ENOMEM. */
int sd_calendar_window(const sd_calendar_t *cal, int64_t from, int64_t to, sd_ivec_t *out);

/* Sorts days and drops repeats; returns how many are left. */
size_t sd_days_unique(int32_t *days, size_t n);

/* Adds n holiday dates (any order, repeats allowed), all or none.
 * Returns 0, SD_ERANGE, SD_ETOOBIG or SD_ENOMEM. */
int sd_calendar_add_days(sd_calendar_t *cal, const int32_t *days, size_t n);

#endif
