/* test_calendar.c - site calendars: config, zones and DST, holidays, coverage, business time. */
#include "calendar.h"
#include "error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define MIN_MS  (60ll * 1000)
#define HOUR_MS (60 * MIN_MS)

/* UTC instant of a date and time, e.g. U(2026, 3, 29, 1, 0). */
static int64_t U(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {
        .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return (int64_t)timegm(&tm) * 1000;
}

/* A local date as days since 1970-01-01. */
static int32_t D(int y, int mo, int d)
{
    return (int32_t)(U(y, mo, d, 0, 0) / SD_DAY_MS);
}

/* A calendar for site in zone with working hours and holidays (NULL: none). */
static sd_calendar_t *s_cal(const char *site, const char *zone, const char *hours,
                            const char *holidays)
{
    sd_calendar_t *cal = NULL;
    assert_int_equal(sd_calendar_new(site, zone, &cal), 0);
    if (hours)
        assert_int_equal(sd_calendar_add_hours(cal, hours), 0);
    if (holidays)
        assert_int_equal(sd_calendar_add_holidays(cal, holidays), 0);
    return cal;
}

/* Asserts that src's on-duty intervals in [from, to) are exactly want[0..n). */
static void s_expect(sd_duty_t src, int64_t from, int64_t to, const sd_interval_t *want, size_t n)
{
    sd_interval_t *got;
    size_t count;
    assert_int_equal(sd_duty_intervals(src, from, to, &got, &count), 0);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i].start, want[i].start);
        assert_int_equal(got[i].end, want[i].end);
    }
    free(got);
}

/* The same span, start_h to end_h UTC, on each of the n days from day0. */
static void s_expect_daily(sd_duty_t src, int64_t day0, int n, int start_h, int end_h)
{
    sd_interval_t want[8];
    for (int i = 0; i < n; i++)
        want[i] = (sd_interval_t){day0 + i * SD_DAY_MS + start_h * HOUR_MS,
                                  day0 + i * SD_DAY_MS + end_h * HOUR_MS};
    s_expect(src, day0, day0 + n * SD_DAY_MS, want, (size_t)n);
}

static int64_t s_add(sd_duty_t src, int64_t start, int64_t duration)
{
    int64_t due = -1;
    assert_int_equal(sd_duty_add(src, start, duration, &due), 0);
    return due;
}

static int64_t s_elapsed(sd_duty_t src, int64_t a, int64_t b)
{
    int64_t ms = -1;
    assert_int_equal(sd_duty_elapsed(src, a, b, &ms), 0);
    return ms;
}

/* ---- config values ---------------------------------------------------------- */

static void test_hours_parse(void **state)
{
    (void)state;
    sd_span_t s[8];
    size_t n;
    assert_int_equal(sd_hours_parse("mon-fri 09:00-12:00 13:00-18:00", s, 8, &n), 0);
    assert_int_equal(n, 2);
    assert_true(s[0].days == 0x1f && s[0].start == 540 && s[0].end == 720);
    assert_true(s[1].days == 0x1f && s[1].start == 780 && s[1].end == 1080);
    assert_int_equal(sd_hours_parse("sat 22:00-06:00; SUN 9:30-10:00,11:00-12:00", s, 8, &n), 0);
    assert_int_equal(n, 3);
    assert_true(s[0].days == 0x20 && s[0].start == 1320 && s[0].end == 360); /* crosses midnight */
    assert_true(s[2].days == 0x40 && s[2].start == 660 && s[2].end == 720);
    assert_int_equal(sd_hours_parse("fri-mon 00:00-24:00", s, 8, &n), 0);
    assert_true(n == 1 && s[0].days == 0x71 && s[0].start == 0 && s[0].end == 1440);
    assert_int_equal(sd_hours_parse("mon,wed 22:00-00:00", s, 8, &n), 0);
    assert_true(n == 1 && s[0].days == 0x05 && s[0].end == 1440); /* to midnight */

    static const char *const bad[] = {
        "mon 25:00-26:00",
        "xyz 09:00-10:00",
        "mon 09:00",
        "",
        "mon",
        "09:00-10:00",
        "mon 09:00-09:00",
        "mon 24:00-10:00",
        "mon 09:00-24:01",
        "mon 09:60-10:00",
        "mon 09:00-10:00;",
        "mon 09:00-10:00 x",
        "monday 09:00-10:00",
        "mon- 09:00-10:00",
        "mon 009:00-10:00",
        "mon 9:0-10:00",
        "mon 09:00 - 10:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sd_hours_parse(bad[i], s, 8, &n), SD_EINVAL);
    assert_int_equal(sd_hours_parse(NULL, s, 8, &n), SD_EINVAL);
    assert_int_equal(sd_hours_parse("mon 09:00-10:00 11:00-12:00", s, 1, &n), SD_ETOOBIG);

    /* All or none: a bad group adds nothing. */
    sd_calendar_t *cal = s_cal("HQ", "UTC", NULL, NULL);
    assert_int_equal(sd_calendar_add_hours(cal, "mon 09:00-10:00; xyz 10:00-11:00"), SD_EINVAL);
    assert_int_equal(sd_duty_on(sd_duty_calendar(cal), U(2026, 1, 5, 9, 30)), 0);
    sd_span_t none = {.days = 0, .start = 0, .end = 60}, same = {.days = 1, .start = 60, .end = 60};
    assert_int_equal(sd_calendar_add_span(cal, &none), SD_EINVAL);
    assert_int_equal(sd_calendar_add_span(cal, &same), SD_EINVAL);
    sd_calendar_destroy(&cal);
    assert_null(cal);
}

static void test_dates(void **state)
{
    (void)state;
    int32_t day;
    assert_int_equal(sd_date_parse("2026-12-25", &day), 0);
    assert_int_equal(day, D(2026, 12, 25));
    assert_int_equal(sd_date_parse("1970-01-01", &day), 0);
    assert_int_equal(day, 0);
    static const char *const bad[] = {"2026-02-29",  "2026-13-01", "2026-00-10", "26-12-25",
                                      "2026-12-25x", "2026/12/25", "",           "2026-1-05"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sd_date_parse(bad[i], &day), SD_EINVAL);
    assert_int_equal(sd_date_parse("1969-12-31", &day), SD_ERANGE);
    assert_int_equal(sd_date_parse("2200-01-01", &day), SD_ERANGE);

    sd_calendar_t *cal = s_cal("HQ", "UTC", NULL, "2026-12-25, 2026-12-28 2026-12-25");
    assert_true(sd_calendar_is_holiday(cal, D(2026, 12, 25)));
    assert_true(sd_calendar_is_holiday(cal, D(2026, 12, 28)));
    assert_false(sd_calendar_is_holiday(cal, D(2026, 12, 26)));
    assert_int_equal(sd_calendar_add_holidays(cal, "2027-01-01 2027-02-30"), SD_EINVAL);
    assert_false(sd_calendar_is_holiday(cal, D(2027, 1, 1))); /* all or none */
    assert_int_equal(sd_calendar_add_holidays(cal, ""), 0);
    sd_calendar_destroy(&cal);
}

/* ---- time zones ------------------------------------------------------------------ */

static void test_zone_errors(void **state)
{
    (void)state;
    sd_calendar_t *cal = (sd_calendar_t *)1;
    static const char *const unknown[] = {
        "Mars/Olympus", "../etc/passwd", "/etc/passwd",     "",
        "Europe",       "zone.tab",      "Europe/./London", "leapseconds"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_int_equal(sd_calendar_new("HQ", unknown[i], &cal), SD_EINVAL);
        assert_null(cal);
    }
    if (access("/usr/share/zoneinfo/right/UTC", R_OK) == 0) /* leap seconds: not UTC ms */
        assert_int_equal(sd_calendar_new("HQ", "right/UTC", &cal), SD_ECORRUPT);
    assert_int_equal(sd_calendar_new("apac", "UTC", &cal), SD_EINVAL); /* not a site id */
}

/* Offsets at hand-checked instants, around the 2026 changes. */
static void test_offsets(void **state)
{
    (void)state;
    const struct {
        const char *zone;
        int64_t at;
        int32_t offset;
    } cases[] = {
        {"Europe/London", U(2026, 3, 29, 0, 59), 0},     /* 00:59 GMT */
        {"Europe/London", U(2026, 3, 29, 1, 0), 3600},   /* 02:00 BST: clocks forward */
        {"Europe/London", U(2026, 10, 25, 0, 59), 3600}, /* 01:59 BST */
        {"Europe/London", U(2026, 10, 25, 1, 0), 0},     /* 01:00 GMT again */
        {"America/New_York", U(2026, 3, 8, 6, 59), -18000},
        {"America/New_York", U(2026, 3, 8, 7, 0), -14400}, /* 02:00 EST -> 03:00 EDT */
        {"America/New_York", U(2026, 11, 1, 5, 59), -14400},
        {"America/New_York", U(2026, 11, 1, 6, 0), -18000}, /* 02:00 EDT -> 01:00 EST */
        {"Asia/Shanghai", U(2026, 1, 1, 0, 0), 28800},
        {"Asia/Shanghai", U(2026, 7, 1, 0, 0), 28800},
        {"America/St_Johns", U(2026, 1, 15, 0, 0), -12600}, /* libical 3.0 gets these wrong */
        {"America/St_Johns", U(2026, 7, 15, 0, 0), -9000},
        {"Australia/Lord_Howe", U(2026, 1, 15, 0, 0), 39600},
        {"Australia/Lord_Howe", U(2026, 7, 15, 0, 0), 37800}, /* a half-hour DST */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sd_calendar_t *cal = s_cal("HQ", cases[i].zone, NULL, NULL);
        int32_t offset;
        assert_int_equal(sd_calendar_utc_offset(cal, cases[i].at, &offset), 0);
        assert_int_equal(offset, cases[i].offset);
        assert_string_equal(sd_calendar_zone(cal), cases[i].zone);
        assert_int_equal(sd_calendar_utc_offset(cal, SD_TIME_MAX, &offset), SD_ERANGE);
        sd_calendar_destroy(&cal);
    }
}

/* Our reader of the tzdata against glibc's (TZ set in this single thread):
 * daily over the supported years, hourly through 2026. */
static void test_offsets_match_glibc(void **state)
{
    (void)state;
    static const char *const zones[] = {
        "Europe/London",       "America/New_York", "Asia/Shanghai",    "America/St_Johns",
        "Australia/Lord_Howe", "Pacific/Chatham",  "America/Santiago", "Africa/Casablanca",
        "Asia/Gaza",           "Pacific/Easter"};
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        sd_calendar_t *cal = s_cal("HQ", zones[z], NULL, NULL);
        setenv("TZ", zones[z], 1);
        tzset();
        for (int64_t t = 0; t < SD_TIME_MAX;
             t += t >= U(2026, 1, 1, 0, 0) && t < U(2027, 1, 1, 0, 0)
                      ? HOUR_MS
                      : SD_DAY_MS + 7 * HOUR_MS / 3) {
            time_t secs = (time_t)(t / 1000);
            struct tm tm;
            int32_t offset;
            localtime_r(&secs, &tm);
            assert_int_equal(sd_calendar_utc_offset(cal, t, &offset), 0);
            if (offset != tm.tm_gmtoff)
                fail_msg("%s at %lld: ours %d, glibc %ld", zones[z], (long long)t, offset,
                         tm.tm_gmtoff);
        }
        sd_calendar_destroy(&cal);
    }
    unsetenv("TZ");
    tzset();
}

/* ---- one calendar --------------------------------------------------------------- */

static void test_on_duty_three_zones(void **state)
{
    (void)state;
    /* mon-fri 09:00-18:00 local, as UTC hours on Wed 2026-01-14 and Wed 2026-07-15. */
    static const struct {
        const char *zone;
        int winter_start, winter_end, summer_start, summer_end;
    } sites[] = {
        {"Asia/Shanghai", 1, 10, 1, 10}, /* +8 all year */
        {"Europe/London", 9, 18, 8, 17}, /* GMT, BST */
        {"America/New_York", 14, 23, 13, 22},
    };
    for (size_t i = 0; i < 3; i++) {
        sd_calendar_t *cal = s_cal("HQ", sites[i].zone, "mon-fri 09:00-18:00", NULL);
        sd_duty_t d = sd_duty_calendar(cal);
        for (int summer = 0; summer < 2; summer++) {
            int64_t day = summer ? U(2026, 7, 15, 0, 0) : U(2026, 1, 14, 0, 0);
            int64_t on = day + (summer ? sites[i].summer_start : sites[i].winter_start) * HOUR_MS;
            int64_t off = day + (summer ? sites[i].summer_end : sites[i].winter_end) * HOUR_MS;
            assert_int_equal(sd_duty_on(d, on - 1), 0);
            assert_int_equal(sd_duty_on(d, on), 1);
            assert_int_equal(sd_duty_on(d, off - 1), 1);
            assert_int_equal(sd_duty_on(d, off), 0);
            int64_t at;
            assert_int_equal(sd_duty_next_change(d, on - HOUR_MS, &at), 0);
            assert_int_equal(at, on);
            assert_int_equal(sd_duty_next_change(d, on, &at), 0);
            assert_int_equal(at, off);
        }
        assert_int_equal(sd_duty_on(d, U(2026, 1, 17, 12, 0)), 0); /* Saturday */
        sd_calendar_destroy(&cal);
    }
}

/* London 09:00-17:00 is 09:00-17:00Z in winter, 08:00-16:00Z in summer;
 * New York's is 14:00-22:00Z and 13:00-21:00Z; each changes on its own date. */
static void test_dst_weeks(void **state)
{
    (void)state;
    sd_calendar_t *lon = s_cal("EMEA", "Europe/London", "mon-fri 09:00-17:00", NULL);
    sd_calendar_t *nyc = s_cal("AMER", "America/New_York", "mon-fri 09:00-17:00", NULL);
    s_expect_daily(sd_duty_calendar(lon), U(2026, 3, 23, 0, 0), 5, 9, 17);
    s_expect_daily(sd_duty_calendar(lon), U(2026, 3, 30, 0, 0), 5, 8, 16);
    s_expect_daily(sd_duty_calendar(lon), U(2026, 10, 19, 0, 0), 5, 8, 16);
    s_expect_daily(sd_duty_calendar(lon), U(2026, 10, 26, 0, 0), 5, 9, 17);
    s_expect_daily(sd_duty_calendar(nyc), U(2026, 3, 2, 0, 0), 5, 14, 22);
    s_expect_daily(sd_duty_calendar(nyc), U(2026, 3, 9, 0, 0), 5, 13, 21);
    s_expect_daily(sd_duty_calendar(nyc), U(2026, 10, 26, 0, 0), 5, 13, 21);
    s_expect_daily(sd_duty_calendar(nyc), U(2026, 11, 2, 0, 0), 5, 14, 22);
    /* Between Mar 8 and Mar 29 London is 4 hours ahead of New York, not 5. */
    s_expect_daily(sd_duty_calendar(lon), U(2026, 3, 16, 0, 0), 1, 9, 17);
    s_expect_daily(sd_duty_calendar(nyc), U(2026, 3, 16, 0, 0), 1, 13, 21);
    sd_calendar_destroy(&lon);
    sd_calendar_destroy(&nyc);
}

/* Spans that touch the skipped or the repeated hour (the rule in calendar.h). */
static void test_dst_gap_and_overlap(void **state)
{
    (void)state;
    const struct {
        const char *zone, *hours;
        int64_t from, to;   /* where to look */
        sd_interval_t want; /* {0, 0}: nothing */
    } cases[] = {
        /* London 2026-03-29: 01:00 GMT jumps to 02:00 BST at 01:00Z. */
        {"Europe/London",
         "sun 00:30-02:30",
         U(2026, 3, 29, 0, 0),
         U(2026, 3, 30, 0, 0),
         {U(2026, 3, 29, 0, 30), U(2026, 3, 29, 1, 30)}},
        {"Europe/London", "sun 01:15-01:45", U(2026, 3, 28, 12, 0), U(2026, 3, 30, 0, 0), {0, 0}},
        {"Europe/London",
         "sat 22:00-06:00",
         U(2026, 3, 28, 0, 0),
         U(2026, 3, 30, 0, 0),
         {U(2026, 3, 28, 22, 0), U(2026, 3, 29, 5, 0)}}, /* a 7-hour night */
        /* London 2026-10-25: 02:00 BST falls back to 01:00 GMT at 01:00Z. */
        {"Europe/London",
         "sun 01:30-02:30",
         U(2026, 10, 25, 0, 0),
         U(2026, 10, 26, 0, 0),
         {U(2026, 10, 25, 0, 30), U(2026, 10, 25, 2, 30)}},
        {"Europe/London",
         "sat 22:00-01:30",
         U(2026, 10, 24, 0, 0),
         U(2026, 10, 26, 0, 0),
         {U(2026, 10, 24, 21, 0), U(2026, 10, 25, 1, 30)}},
        {"Europe/London",
         "sat 22:00-06:00",
         U(2026, 10, 24, 0, 0),
         U(2026, 10, 26, 0, 0),
         {U(2026, 10, 24, 21, 0), U(2026, 10, 25, 6, 0)}}, /* a 9-hour night */
        /* New York 2026-03-08: 02:00 EST jumps to 03:00 EDT at 07:00Z. */
        {"America/New_York", "sun 02:00-03:00", U(2026, 3, 8, 0, 0), U(2026, 3, 9, 0, 0), {0, 0}},
        {"America/New_York",
         "sun 01:30-03:30",
         U(2026, 3, 8, 0, 0),
         U(2026, 3, 9, 0, 0),
         {U(2026, 3, 8, 6, 30), U(2026, 3, 8, 7, 30)}},
        /* New York 2026-11-01: 02:00 EDT falls back to 01:00 EST at 06:00Z. */
        {"America/New_York",
         "sun 01:30-01:45",
         U(2026, 11, 1, 0, 0),
         U(2026, 11, 2, 0, 0),
         {U(2026, 11, 1, 5, 30), U(2026, 11, 1, 6, 45)}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sd_calendar_t *cal = s_cal("HQ", cases[i].zone, cases[i].hours, NULL);
        s_expect(sd_duty_calendar(cal), cases[i].from, cases[i].to, &cases[i].want,
                 cases[i].want.end > 0);
        sd_calendar_destroy(&cal);
    }
}

/* A night shift belongs to the day it starts on, holidays included. */
static void test_midnight_shift(void **state)
{
    (void)state;
    sd_calendar_t *cal = s_cal("HQ", "Europe/London", "fri 22:00-06:00", "2026-01-16, 2026-01-24");
    sd_duty_t d = sd_duty_calendar(cal);
    int64_t at;
    assert_int_equal(sd_duty_on(d, U(2026, 1, 9, 21, 59)), 0);
    assert_int_equal(sd_duty_on(d, U(2026, 1, 9, 22, 0)), 1);
    assert_int_equal(sd_duty_on(d, U(2026, 1, 10, 5, 59)), 1);
    assert_int_equal(sd_duty_on(d, U(2026, 1, 10, 6, 0)), 0);
    assert_int_equal(sd_duty_next_change(d, U(2026, 1, 9, 23, 0), &at), 0);
    assert_int_equal(at, U(2026, 1, 10, 6, 0));
    /* Friday 16th is a holiday: no shift that night, Saturday morning included. */
    s_expect(d, U(2026, 1, 16, 0, 0), U(2026, 1, 18, 0, 0), NULL, 0);
    assert_int_equal(sd_duty_next_change(d, U(2026, 1, 10, 6, 0), &at), 0);
    assert_int_equal(at, U(2026, 1, 23, 22, 0));
    /* Saturday 24th is a holiday, but the shift started on Friday 23rd. */
    sd_interval_t fri23 = {U(2026, 1, 23, 22, 0), U(2026, 1, 24, 6, 0)};
    s_expect(d, U(2026, 1, 23, 0, 0), U(2026, 1, 25, 0, 0), &fri23, 1);
    sd_calendar_destroy(&cal);
}

/* ---- holidays from .ics --------------------------------------------------------- */

static void test_ics_import(void **state)
{
    (void)state;
    const char *path = SD_TEST_DATA "/holidays.ics";
    sd_calendar_t *ics = s_cal("EMEA", "Europe/London", "mon-fri 09:00-18:00", NULL);
    char err[200];
    size_t added;
    assert_int_equal(sd_calendar_import_ics(ics, path, 2025, 2028, &added, err, sizeof err), 0);
    assert_int_equal(added, 16);
    static const int holidays[][3] = {
        {2025, 12, 25}, {2026, 12, 25}, {2028, 12, 25}, /* yearly RRULE since 2020 */
        {2026, 1, 1},                                   /* no DTEND: one day */
        {2026, 4, 3},   {2026, 4, 6},                   /* DTSTART and an RDATE */
        {2026, 2, 16},  {2026, 2, 20},                  /* five days to DTEND 02-21 */
        {2026, 12, 28},                                 /* DURATION:P1D */
        {2025, 6, 5},   {2027, 6, 7},   {2028, 6, 5},   /* COUNT=4, one moved */
    };
    for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++)
        assert_true(sd_calendar_is_holiday(ics, D(holidays[i][0], holidays[i][1], holidays[i][2])));
    static const int workdays[][3] = {
        {2024, 12, 25}, {2026, 2, 21}, {2026, 6, 5}, /* outside the years; DTEND; EXDATE */
        {2027, 6, 5},   {2026, 3, 10}, {2026, 5, 12} /* moved away; timed; cancelled */
    };
    for (size_t i = 0; i < sizeof workdays / sizeof workdays[0]; i++)
        assert_false(
            sd_calendar_is_holiday(ics, D(workdays[i][0], workdays[i][1], workdays[i][2])));

    /* The same holidays from config give the same hours over 2026. */
    sd_calendar_t *cfg = s_cal("EMEA", "Europe/London", "mon-fri 09:00-18:00",
                               "2026-01-01 2026-02-16 2026-02-17 2026-02-18 2026-02-19 "
                               "2026-02-20 2026-04-03 2026-04-06 2026-12-25 2026-12-28");
    sd_interval_t *a, *b;
    size_t na, nb;
    int64_t from = U(2026, 1, 1, 0, 0), to = U(2027, 1, 1, 0, 0);
    assert_int_equal(sd_duty_intervals(sd_duty_calendar(ics), from, to, &a, &na), 0);
    assert_int_equal(sd_duty_intervals(sd_duty_calendar(cfg), from, to, &b, &nb), 0);
    assert_int_equal(na, 261 - 10); /* weekdays of 2026 less ten holidays */
    assert_int_equal(nb, na);
    assert_memory_equal(a, b, na * sizeof *a);
    free(a);
    free(b);
    assert_int_equal(sd_calendar_import_ics(cfg, path, 2026, 2026, &added, err, sizeof err), 0);
    assert_int_equal(added, 10);
    sd_calendar_destroy(&ics);
    sd_calendar_destroy(&cfg);
}

static void test_ics_errors(void **state)
{
    (void)state;
    static const struct {
        bool event;       /* body goes between BEGIN:VEVENT and END:VEVENT; else it is the file */
        const char *body; /* what is wrong */
        int rc;           /* the error it gives */
    } cases[] = {
        {false, "hello, world\n", SD_EINVAL},
        {false, "", SD_EINVAL},
        {false, "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261225\n", SD_EINVAL},
        {true, "UID:x\nSUMMARY:no start\n", SD_EINVAL},
        {true, "UID:x\nDTSTART;VALUE=DATE:20261225\nDTEND;VALUE=DATE:20261224\n", SD_EINVAL},
        {true, "UID:x\nDTSTART;VALUE=DATE:2026-13-45\n", SD_EINVAL},
        {true, "UID:x\nDTSTART;VALUE=DATE:20261225\nRRULE:FREQ=SOMETIMES\n", SD_EINVAL},
        {true, "UID:x\nDTSTART;VALUE=DATE:20261225\nDURATION:PT4H\n", SD_EINVAL},
        {true, "UID:x\nDTSTART;VALUE=DATE:20261225\nEXDATE;VALUE=DATE:2026-12-40\n", SD_EINVAL},
        {true, "UID:x\nDTSTART;VALUE=DATE:19700101\nRRULE:FREQ=DAILY\n", SD_ETOOBIG},
    };
    char path[] = "/tmp/sd-test-ics-XXXXXX", err[200];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sd_calendar_t *cal = s_cal("HQ", "UTC", NULL, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        if (cases[i].event)
            fprintf(f, "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\n%sEND:VEVENT\nEND:VCALENDAR\n",
                    cases[i].body);
        else
            fputs(cases[i].body, f);
        fclose(f);
        err[0] = 0;
        int rc = sd_calendar_import_ics(cal, path, 1970, 2199, NULL, err, sizeof err);
        if (rc != cases[i].rc)
            fail_msg("case %zu: %s, want %s (%s)", i, sd_strerror(rc), sd_strerror(cases[i].rc),
                     err);
        assert_true(err[0] != 0);
        assert_false(sd_calendar_is_holiday(cal, D(2026, 12, 25)));
    }
    unlink(path);
    assert_int_equal(sd_calendar_import_ics(cal, path, 2026, 2026, NULL, err, sizeof err), SD_EIO);
    assert_int_equal(sd_calendar_import_ics(cal, SD_TEST_DATA "/holidays.ics", 2027, 2026, NULL,
                                            err, sizeof err),
                     SD_EINVAL);
    sd_calendar_destroy(&cal);
}

/* ---- sets: coverage and handover ------------------------------------------------ */

/* The three default sites, in config order. */
static sd_calset_t *s_default_sites(void)
{
    sd_calset_t *set = sd_calset_new();
    assert_non_null(set);
    static const char *const sites[3][2] = {
        {"APAC", "Asia/Shanghai"}, {"EMEA", "Europe/London"}, {"AMER", "America/New_York"}};
    for (int i = 0; i < 3; i++) {
        sd_calendar_t *cal = s_cal(sites[i][0], sites[i][1], "mon-fri 09:00-18:00", NULL);
        assert_int_equal(sd_calset_add(set, &cal), 0);
        assert_null(cal);
    }
    sd_calendar_t *again = s_cal("EMEA", "UTC", NULL, NULL);
    assert_int_equal(sd_calset_add(set, &again), SD_EDUPLICATE);
    sd_calendar_destroy(&again);
    assert_int_equal(sd_calset_find(set, "AMER"), 2);
    assert_int_equal(sd_calset_find(set, "LOCAL"), SD_ENOTFOUND);
    return set;
}

#define APAC 1u
#define EMEA 2u
#define AMER 4u

/* Winter week of 2026-01-12, UTC: APAC 01-10, EMEA 09-18, AMER 14-23, Mon-Fri. */
static void test_coverage_week(void **state)
{
    (void)state;
    sd_calset_t *set = s_default_sites();
    sd_coverage_t want[32], *got;
    size_t n = 0, count;
    int64_t mon = U(2026, 1, 12, 0, 0);
    want[n++] = (sd_coverage_t){mon, mon + HOUR_MS, 0}; /* Monday before APAC opens */
    static const struct {
        int from, to;
        uint64_t sites;
    } day[] = {{1, 9, APAC},          {9, 10, APAC | EMEA}, {10, 14, EMEA},
               {14, 18, EMEA | AMER}, {18, 23, AMER},       {23, 25, 0}};
    for (int d = 0; d < 5; d++)
        for (int k = 0; k < 6; k++)
            want[n++] = (sd_coverage_t){mon + d * SD_DAY_MS + day[k].from * HOUR_MS,
                                        mon + d * SD_DAY_MS + day[k].to * HOUR_MS, day[k].sites};
    want[n - 1].end = mon + 7 * SD_DAY_MS; /* Friday 23:00Z: nobody until next Monday */
    assert_int_equal(sd_calset_coverage(set, mon, mon + 7 * SD_DAY_MS, &got, &count), 0);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i].start, want[i].start);
        assert_int_equal(got[i].end, want[i].end);
        assert_int_equal(got[i].sites, want[i].sites);
    }
    free(got);
    /* In July London and New York are an hour earlier: the nightly gap is 22:00-01:00Z. */
    int64_t wed = U(2026, 7, 15, 0, 0);
    assert_int_equal(sd_calset_coverage(set, wed + 20 * HOUR_MS, wed + 26 * HOUR_MS, &got, &count),
                     0);
    assert_int_equal(count, 3);
    assert_true(got[0].end == wed + 22 * HOUR_MS && got[0].sites == AMER);
    assert_true(got[1].end == wed + 25 * HOUR_MS && got[1].sites == 0);
    assert_true(got[2].sites == APAC);
    free(got);
    uint64_t on;
    assert_int_equal(sd_calset_on_duty(set, mon + 9 * HOUR_MS + 30 * MIN_MS, &on), 0);
    assert_int_equal(on, APAC | EMEA);
    sd_calset_destroy(&set);
    assert_null(set);
}

static void test_handover_pick(void **state)
{
    (void)state;
    sd_calset_t *set = s_default_sites();
    int64_t mon = U(2026, 1, 12, 0, 0), start;
    int who;
    /* 09:30Z: APAC (until 10:00) and EMEA (until 18:00) on duty: EMEA stays longer. */
    assert_int_equal(sd_calset_pick(set, mon + 9 * HOUR_MS + 30 * MIN_MS, 0, &who, &start), 0);
    assert_int_equal(who, 1);
    assert_int_equal(start, mon + 9 * HOUR_MS + 30 * MIN_MS);
    /* APAC hands over at 10:00Z: not to itself. */
    assert_int_equal(sd_calset_pick(set, mon + 10 * HOUR_MS, APAC, &who, &start), 0);
    assert_int_equal(who, 1);
    /* 23:30Z: nobody; APAC opens first, Tuesday 01:00Z. */
    assert_int_equal(sd_calset_pick(set, mon + 23 * HOUR_MS + 30 * MIN_MS, 0, &who, &start), 0);
    assert_int_equal(who, 0);
    assert_int_equal(start, mon + SD_DAY_MS + HOUR_MS);
    /* Friday 23:00Z, AMER closing: APAC on Monday 01:00Z. */
    assert_int_equal(sd_calset_pick(set, mon + 4 * SD_DAY_MS + 23 * HOUR_MS, AMER, &who, &start),
                     0);
    assert_true(who == 0 && start == mon + 7 * SD_DAY_MS + HOUR_MS);
    assert_int_equal(sd_calset_pick(set, mon, APAC | EMEA | AMER, &who, &start), SD_ERANGE);
    sd_calset_destroy(&set);
}

/* ---- business time --------------------------------------------------------------- */

static void test_add_and_elapsed(void **state)
{
    (void)state;
    sd_calendar_t *lon =
        s_cal("EMEA", "Europe/London", "mon-fri 09:00-18:00", "2026-01-19 2027-01-01");
    sd_duty_t d = sd_duty_calendar(lon);
    /* Friday 17:00 + 2 h: one hour on Friday, one on Tuesday (Monday is a holiday). */
    assert_int_equal(s_add(d, U(2026, 1, 16, 17, 0), 2 * HOUR_MS), U(2026, 1, 20, 10, 0));
    assert_int_equal(s_add(d, U(2026, 1, 9, 17, 0), 2 * HOUR_MS), U(2026, 1, 12, 10, 0));
    /* Off duty the clock waits; a duration ending with the day ends at 18:00. */
    assert_int_equal(s_add(d, U(2026, 1, 10, 12, 0), 0), U(2026, 1, 12, 9, 0));
    assert_int_equal(s_add(d, U(2026, 1, 12, 9, 0), 9 * HOUR_MS), U(2026, 1, 12, 18, 0));
    /* Across the spring change: Friday 17:00Z + 2 h = Monday 08:00Z + 1 h. */
    assert_int_equal(s_add(d, U(2026, 3, 27, 17, 0), 2 * HOUR_MS), U(2026, 3, 30, 9, 0));
    /* Across the new year and a holiday on Friday 2027-01-01. */
    assert_int_equal(s_add(d, U(2026, 12, 31, 17, 0), 2 * HOUR_MS), U(2027, 1, 4, 10, 0));
    /* 120 business hours from Monday 2026-01-05 09:00: 13 days (one a holiday
     * skipped) and 3 hours, so Friday 23rd at 12:00. */
    int64_t due = s_add(d, U(2026, 1, 5, 9, 0), 120 * HOUR_MS);
    assert_int_equal(due, U(2026, 1, 23, 12, 0));
    assert_int_equal(s_elapsed(d, U(2026, 1, 5, 9, 0), due), 120 * HOUR_MS);
    assert_int_equal(s_elapsed(d, due, U(2026, 1, 5, 9, 0)), -120 * HOUR_MS);
    assert_int_equal(s_elapsed(d, U(2026, 1, 9, 18, 0), U(2026, 1, 12, 9, 0)), 0); /* weekend */
    assert_int_equal(s_elapsed(d, U(2026, 1, 1, 0, 0), U(2027, 1, 1, 0, 0)), 260 * 9 * HOUR_MS);

    /* A night shift: Friday 23:00 + 7 h ends with it; + 8 h needs next Friday. */
    sd_calendar_t *night = s_cal("HQ", "UTC", "fri 22:00-06:00", NULL);
    assert_int_equal(s_add(sd_duty_calendar(night), U(2026, 1, 9, 23, 0), 7 * HOUR_MS),
                     U(2026, 1, 10, 6, 0));
    assert_int_equal(s_add(sd_duty_calendar(night), U(2026, 1, 9, 23, 0), 8 * HOUR_MS),
                     U(2026, 1, 16, 23, 0));
    sd_calendar_destroy(&night);
    sd_calendar_destroy(&lon);

    /* The union of the default sites: Monday 22:00Z + 2 h crosses the gap 23:00-01:00Z. */
    sd_calset_t *set = s_default_sites();
    assert_int_equal(s_add(sd_duty_union(set), U(2026, 1, 12, 22, 0), 2 * HOUR_MS),
                     U(2026, 1, 13, 2, 0));
    assert_int_equal(s_elapsed(sd_duty_union(set), U(2026, 1, 12, 0, 0), U(2026, 1, 19, 0, 0)),
                     5 * 22 * HOUR_MS);
    sd_calset_destroy(&set);
}

static void test_always_and_errors(void **state)
{
    (void)state;
    sd_duty_t always = sd_duty_always();
    int64_t t = U(2026, 2, 1, 3, 0), at, ms;
    assert_int_equal(s_add(always, t, 120 * HOUR_MS), t + 120 * HOUR_MS);
    assert_int_equal(s_elapsed(always, t, t + 5 * SD_DAY_MS), 5 * SD_DAY_MS);
    assert_int_equal(sd_duty_on(always, t), 1);
    assert_int_equal(sd_duty_next_change(always, t, &at), 0);
    assert_int_equal(at, SD_TIME_NEVER);

    /* No working hours: an error at the horizon, not a loop. */
    sd_calendar_t *empty = s_cal("HQ", "UTC", NULL, NULL);
    sd_duty_t none = sd_duty_calendar(empty);
    assert_int_equal(sd_duty_add(none, t, 1, &at), SD_ERANGE);
    assert_int_equal(sd_duty_next_change(none, t, &at), 0);
    assert_int_equal(at, SD_TIME_NEVER);
    /* Every day a holiday for three years: the same. */
    sd_calendar_t *closed = s_cal("HQ", "UTC", "mon-sun 00:00-24:00", NULL);
    for (int32_t day = D(2026, 1, 1); day < D(2029, 1, 1); day++)
        assert_int_equal(sd_calendar_add_holiday(closed, day), 0);
    assert_int_equal(sd_duty_add(sd_duty_calendar(closed), t, 1, &at), SD_ERANGE);
    assert_int_equal(sd_duty_add(always, t, -1, &at), SD_EINVAL);
    assert_int_equal(sd_duty_add(always, -1, 1, &at), SD_ERANGE);
    assert_int_equal(sd_duty_elapsed(none, t, SD_TIME_MAX + 1, &ms), SD_ERANGE);
    assert_int_equal(sd_duty_on(sd_duty_calendar(NULL), t), SD_EINVAL);
    sd_interval_t *iv;
    size_t n;
    assert_int_equal(sd_duty_intervals(always, t, t - 1, &iv, &n), SD_EINVAL);
    assert_int_equal(sd_duty_intervals(always, t, t + 3 * 365 * SD_DAY_MS, &iv, &n), SD_ERANGE);
    assert_int_equal(sd_duty_intervals(none, t, t + SD_DAY_MS, &iv, &n), 0);
    assert_true(n == 0 && iv == NULL);
    sd_calendar_destroy(&closed);
    sd_calendar_destroy(&empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hours_parse),         cmocka_unit_test(test_dates),
        cmocka_unit_test(test_zone_errors),         cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_offsets_match_glibc), cmocka_unit_test(test_on_duty_three_zones),
        cmocka_unit_test(test_dst_weeks),           cmocka_unit_test(test_dst_gap_and_overlap),
        cmocka_unit_test(test_midnight_shift),      cmocka_unit_test(test_ics_import),
        cmocka_unit_test(test_ics_errors),          cmocka_unit_test(test_coverage_week),
        cmocka_unit_test(test_handover_pick),       cmocka_unit_test(test_add_and_elapsed),
        cmocka_unit_test(test_always_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
