/* test_calendar_random.c - random calendars against a naive minute-by-minute model.
 *
 * Each round makes 1-3 random calendars (zone, spans that may cross
 * midnight or touch DST changes, holidays on DST dates) and checks every
 * minute of 2026 for each calendar and for their union: intervals, on duty,
 * next change, add, elapsed, coverage. The model converts time with glibc
 * (TZ set in this single thread), not with the module's tzdata reader, and
 * decides duty per minute. The seed is printed; SD_SEED=N re-runs one. */
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

/* The model covers WIN_MIN minutes from 2025-12-20T00:00Z to 2027-01-20. */
#define MIN_MS   (60ll * 1000)
#define WIN_FROM 1766188800000ll
#define WIN_MIN  (396 * 1440)
#define ROUNDS   24 /* random sets of 1-3 calendars */
#define QUERIES  40 /* random queries per source */

static const char *const s_zones[] = {
    "Europe/London",    "America/New_York",    "Asia/Shanghai",    "Australia/Sydney",
    "Asia/Kathmandu",   "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham",
    "America/Santiago", "Africa/Casablanca",   "Europe/Berlin",    "UTC"};
#define NZONES (int)(sizeof s_zones / sizeof s_zones[0])

/* 2026 change dates of the zones above, as days since 1970: holidays there
 * cancel shifts that the change cuts or stretches. */
static const int32_t s_change_days[] = {20499, 20520, 20534, 20541, 20547, 20548,
                                        20701, 20702, 20723, 20730, 20751, 20758};
#define NCHANGES (int)(sizeof s_change_days / sizeof s_change_days[0])

static uint64_t s_state; /* splitmix64 */

static uint64_t s_next(void)
{
    uint64_t z = (s_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int s_below(int n)
{
    return (int)(s_next() % (uint64_t)n);
}

/* A random calendar as the model sees it. */
typedef struct {
    int zone;            /* index in s_zones */
    sd_span_t spans[4];  /* weekly spans */
    int nspans;          /* 1..4 */
    int32_t holidays[6]; /* local dates */
    int nholidays;       /* 0..6 */
} s_model_t;

static void s_random_model(s_model_t *m)
{
    memset(m, 0, sizeof *m);
    m->zone = s_below(NZONES);
    m->nspans = 1 + s_below(4);
    for (int i = 0; i < m->nspans; i++) {
        sd_span_t *sp = &m->spans[i];
        sp->days = s_below(2) ? 0x1f : (uint8_t)(1 + s_below(127));
        if (!s_below(10)) {
            sp->start = 0, sp->end = 1440;
            continue;
        }
        /* Starts often in the small hours, where clocks change. */
        int start = s_below(2) ? s_below(240) : s_below(1440);
        int len = s_below(2) ? 15 * (1 + s_below(48)) : 1 + s_below(1439);
        sp->start = (int16_t)start;
        sp->end = (int16_t)(start + len > 1440 ? start + len - 1440 : start + len);
    }
    m->nholidays = s_below(7);
    for (int i = 0; i < m->nholidays; i++)
        m->holidays[i] = s_below(2) ? s_change_days[s_below(NCHANGES)] : 20454 + s_below(365);
}

static void s_describe(const s_model_t *m)
{
    fprintf(stderr, "calendar %s:", s_zones[m->zone]);
    for (int i = 0; i < m->nspans; i++)
        fprintf(stderr, " days 0x%02x %d-%d;", m->spans[i].days, m->spans[i].start,
                m->spans[i].end);
    for (int i = 0; i < m->nholidays; i++)
        fprintf(stderr, " holiday %d", m->holidays[i]);
    fprintf(stderr, "\n");
}

static sd_calendar_t *s_build(const s_model_t *m, int index)
{
    char site[8];
    snprintf(site, sizeof site, "S%d", index);
    sd_calendar_t *cal = NULL;
    assert_int_equal(sd_calendar_new(site, s_zones[m->zone], &cal), 0);
    for (int i = 0; i < m->nspans; i++)
        assert_int_equal(sd_calendar_add_span(cal, &m->spans[i]), 0);
    for (int i = 0; i < m->nholidays; i++)
        assert_int_equal(sd_calendar_add_holiday(cal, m->holidays[i]), 0);
    return cal;
}

/* Per zone: its UTC offset in minutes at each minute of the window (glibc). */
static int16_t *s_offsets[NZONES];

static const int16_t *s_zone_offsets(int z)
{
    if (s_offsets[z])
        return s_offsets[z];
    int16_t *off = malloc(WIN_MIN * sizeof *off);
    assert_non_null(off);
    setenv("TZ", s_zones[z], 1);
    tzset();
    for (int m = 0; m < WIN_MIN; m++) {
        time_t t = (time_t)(WIN_FROM / 1000) + 60 * (time_t)m;
        struct tm tm;
        localtime_r(&t, &tm);
        off[m] = (int16_t)(tm.tm_gmtoff / 60);
    }
    return s_offsets[z] = off;
}

static int64_t s_floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The model's duty at each minute. A span occurrence [s, e) in wall minutes
 * covers minute m when the wall clock has shown s or later by m (running
 * maximum) and shows a time before e at m or later (running minimum): the
 * rule of calendar.h, decided minute by minute. */
static void s_model_duty(const s_model_t *m, uint8_t *on)
{
    const int16_t *off = s_zone_offsets(m->zone);
    int32_t *lo = malloc(WIN_MIN * sizeof *lo), hi = INT32_MIN;
    assert_non_null(lo);
    int32_t base = (int32_t)(WIN_FROM / MIN_MS);
    for (int t = WIN_MIN - 1; t >= 0; t--) {
        int32_t wall = base + t + off[t];
        lo[t] = t == WIN_MIN - 1 || wall < lo[t + 1] ? wall : lo[t + 1];
    }
    for (int t = 0; t < WIN_MIN; t++) {
        int32_t wall = base + t + off[t];
        hi = wall > hi ? wall : hi;
        on[t] = 0;
        for (int64_t day = s_floor_div(lo[t], 1440) - 1; day <= s_floor_div(hi, 1440); day++) {
            bool holiday = false;
            for (int h = 0; h < m->nholidays; h++)
                holiday |= m->holidays[h] == day;
            int weekday = (int)((day % 7 + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
            for (int i = 0; i < m->nspans && !holiday; i++) {
                const sd_span_t *sp = &m->spans[i];
                int64_t s = day * 1440 + sp->start;
                int64_t e = s + (sp->end > sp->start ? sp->end : sp->end + 1440) - sp->start;
                if ((sp->days >> weekday & 1) && hi >= s && lo[t] < e)
                    on[t] = 1;
            }
        }
    }
    free(lo);
}

#define AT(minute) (WIN_FROM + (int64_t)(minute)*MIN_MS)

/* Smallest minute b > a with cnt[b] - cnt[a] == k (k > 0), or -1. */
static int s_model_due(const int32_t *cnt, int a, int k)
{
    int lo = a + 1, hi = WIN_MIN;
    if (cnt[hi] - cnt[a] < k)
        return -1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (cnt[mid] - cnt[a] >= k)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* First minute at or after a on duty, or -1. */
static int s_model_first_on(const uint8_t *on, int a)
{
    const uint8_t *hit = memchr(on + a, 1, (size_t)(WIN_MIN - a));
    return hit ? (int)(hit - on) : -1;
}

static void s_mismatch(const s_model_t *models, int n, const char *what, int minute, int64_t got,
                       int64_t want)
{
    for (int i = 0; i < n; i++)
        s_describe(&models[i]);
    fail_msg("%s at minute %d (%lld): got %lld, model %lld", what, minute, (long long)AT(minute),
             (long long)got, (long long)want);
}

/* Checks src against the model's minutes on[]. */
static void s_check(sd_duty_t src, const uint8_t *on, const s_model_t *models, int nmodels)
{
    int32_t *cnt = malloc((WIN_MIN + 1) * sizeof *cnt);
    uint8_t *got = calloc(WIN_MIN, 1);
    assert_true(cnt && got);
    cnt[0] = 0;
    for (int t = 0; t < WIN_MIN; t++)
        cnt[t + 1] = cnt[t] + on[t];
    /* Every minute of 2026 and some days around it. */
    int first = 3 * 1440, last = WIN_MIN - 3 * 1440;
    sd_interval_t *iv;
    size_t n;
    assert_int_equal(sd_duty_intervals(src, AT(first), AT(last), &iv, &n), 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(iv[i].start % MIN_MS == 0 && iv[i].end % MIN_MS == 0);
        assert_true(i == 0 || iv[i].start > iv[i - 1].end); /* merged */
        for (int64_t t = iv[i].start; t < iv[i].end; t += MIN_MS)
            got[(t - WIN_FROM) / MIN_MS] = 1;
    }
    free(iv);
    for (int t = first; t < last; t++)
        if (got[t] != on[t])
            s_mismatch(models, nmodels, "on duty", t, got[t], on[t]);
    for (int q = 0; q < QUERIES; q++) {
        int a = 12 * 1440 + s_below(340 * 1440), k = s_below(2) ? s_below(150 * 60) : s_below(600);
        int b = a + s_below(30 * 1440);
        int64_t due = 0, ms = 0, at = 0;
        assert_int_equal(sd_duty_on(src, AT(a)), on[a]);
        assert_int_equal(sd_duty_elapsed(src, AT(a), AT(b), &ms), 0);
        if (ms != (int64_t)(cnt[b] - cnt[a]) * MIN_MS)
            s_mismatch(models, nmodels, "elapsed to b", a, ms, (cnt[b] - cnt[a]) * MIN_MS);
        assert_int_equal(sd_duty_elapsed(src, AT(b), AT(a), &ms), 0);
        assert_int_equal(ms, -(int64_t)(cnt[b] - cnt[a]) * MIN_MS);
        int change = a + 1;
        while (change < WIN_MIN && on[change] == on[a])
            change++;
        assert_int_equal(sd_duty_next_change(src, AT(a), &at), 0);
        if (change < WIN_MIN ? at != AT(change) : at < AT(WIN_MIN))
            s_mismatch(models, nmodels, "next change", a, at, AT(change));
        int want = k ? s_model_due(cnt, a, k) : s_model_first_on(on, a);
        int rc = sd_duty_add(src, AT(a), k * MIN_MS, &due);
        if (want < 0) { /* beyond the model: only sanity */
            assert_true(rc == SD_ERANGE || (rc == 0 && due >= AT(WIN_MIN)));
            continue;
        }
        assert_int_equal(rc, 0);
        if (due != AT(want))
            s_mismatch(models, nmodels, "add", a, due, AT(want));
        assert_int_equal(sd_duty_elapsed(src, AT(a), due, &ms), 0);
        assert_int_equal(ms, k * MIN_MS);
    }
    free(got);
    free(cnt);
}

/* Coverage of the set over three random weeks against the members' minutes. */
static void s_check_coverage(const sd_calset_t *set, uint8_t *const *on, int n)
{
    int from = 12 * 1440 + s_below(340 * 1440), to = from + 21 * 1440;
    sd_coverage_t *cov;
    size_t count;
    assert_int_equal(sd_calset_coverage(set, AT(from), AT(to), &cov, &count), 0);
    assert_true(count > 0 && cov[0].start == AT(from) && cov[count - 1].end == AT(to));
    for (size_t i = 0; i < count; i++) {
        assert_true(i == 0 || (cov[i].start == cov[i - 1].end && cov[i].sites != cov[i - 1].sites));
        for (int64_t t = cov[i].start; t < cov[i].end; t += MIN_MS) {
            uint64_t want = 0;
            for (int k = 0; k < n; k++)
                want |= (uint64_t)on[k][(t - WIN_FROM) / MIN_MS] << k;
            assert_int_equal(cov[i].sites, want);
        }
    }
    free(cov);
}

static void test_random_against_minutes(void **state)
{
    (void)state;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int sources = 0;
    for (int round = 0; round < ROUNDS; round++) {
        s_model_t models[3];
        uint8_t *on[3], *any = calloc(WIN_MIN, 1);
        int n = 1 + s_below(3);
        sd_calset_t *set = sd_calset_new();
        assert_true(set && any);
        for (int k = 0; k < n; k++) {
            s_random_model(&models[k]);
            on[k] = malloc(WIN_MIN);
            assert_non_null(on[k]);
            s_model_duty(&models[k], on[k]);
            for (int t = 0; t < WIN_MIN; t++)
                any[t] |= on[k][t];
            sd_calendar_t *cal = s_build(&models[k], k);
            s_check(sd_duty_calendar(cal), on[k], &models[k], 1);
            assert_int_equal(sd_calset_add(set, &cal), 0);
            sources++;
        }
        s_check(sd_duty_union(set), any, models, n);
        s_check_coverage(set, on, n);
        sources++;
        for (int k = 0; k < n; k++)
            free(on[k]);
        free(any);
        sd_calset_destroy(&set);
    }
    for (int z = 0; z < NZONES; z++)
        free(s_offsets[z]);
    unsetenv("TZ");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("test_calendar_random: %d rounds, %d sources, %d queries each, %.2f s\n", ROUNDS,
           sources, QUERIES, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
}

/* Truncated and randomly damaged copies of a real zone file (via $TZDIR):
 * each is refused with an error or, when it still parses, answers queries;
 * none crashes (the ASan build checks every read). */
static void test_damaged_zone_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/sd-test-tz-XXXXXX", path[64];
    uint8_t good[8192], bad[8192];
    FILE *f = fopen("/usr/share/zoneinfo/America/New_York", "rb");
    assert_non_null(f);
    size_t len = fread(good, 1, sizeof good, f);
    fclose(f);
    assert_true(len > 100 && len < sizeof good);
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/Damaged", dir);
    setenv("TZDIR", dir, 1);
    int parsed = 0;
    for (size_t i = 0; i < len + 2000; i++) {
        size_t n = i < len ? i : len;
        memcpy(bad, good, len);
        for (int k = 0; i >= len && k < 1 + s_below(4); k++)
            bad[s_below((int)len)] = (uint8_t)s_next();
        f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(bad, 1, n, f), n);
        fclose(f);
        sd_calendar_t *cal = NULL;
        int rc = sd_calendar_new("HQ", "Damaged", &cal);
        if (i < len)
            assert_true(rc == SD_EINVAL || rc == SD_ECORRUPT);
        if (rc) {
            assert_true(rc == SD_EINVAL || rc == SD_ECORRUPT);
            continue;
        }
        parsed++;
        assert_int_equal(sd_calendar_add_hours(cal, "mon-fri 01:30-02:30 22:00-06:00"), 0);
        int64_t due, ms;
        rc = sd_duty_add(sd_duty_calendar(cal), AT(s_below(WIN_MIN)), 100 * 60 * MIN_MS, &due);
        assert_true(rc == 0 || rc == SD_ERANGE);
        assert_int_equal(sd_duty_elapsed(sd_duty_calendar(cal), AT(0), AT(WIN_MIN), &ms), 0);
        sd_calendar_destroy(&cal);
    }
    printf("test_calendar_random: %zu damaged zone files, %d still parsed\n", len + 2000, parsed);
    unsetenv("TZDIR");
    unlink(path);
    rmdir(dir);
}

/* Seeds the generator: SD_SEED, or the clock. */
static int s_seed(void **state)
{
    (void)state;
    const char *env = getenv("SD_SEED");
    uint64_t seed =
        env && *env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    printf("test_calendar_random: seed %llu (re-run with SD_SEED=%llu)\n", (unsigned long long)seed,
           (unsigned long long)seed);
    fflush(stdout);
    s_state = seed;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_against_minutes),
        cmocka_unit_test(test_damaged_zone_files),
    };
    return cmocka_run_group_tests(tests, s_seed, NULL);
}
