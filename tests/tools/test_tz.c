/* test_tz.c - the CLI's display zone (tools/tz.h): --tz names checked against zoneinfo, $TZ
 * taken when no zone is given, and times in London on both sides of the 2027 DST changes, in
 * Shanghai, in Kolkata (a half-hour offset), and in UTC with "Z". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "tz.h"

#include <stdlib.h>

#define SPRING_BEFORE 1806195540000ULL /* 2027-03-28 00:59Z: London still on GMT */
#define SPRING_AFTER  1806195600000ULL /* 2027-03-28 01:00Z: 02:00 BST, 01:00-01:59 skipped */
#define AUTUMN_FIRST  1824942600000ULL /* 2027-10-31 00:30Z: 01:30 BST */
#define AUTUMN_SECOND 1824946200000ULL /* 2027-10-31 01:30Z: 01:30 GMT, the repeated hour */
#define MONDAY_8Z     1796025600000ULL /* 2026-11-30 08:00Z */
#define SECONDS       1800014405000ULL /* 2027-01-15 12:00:05Z */

static char s_buf[SD_TZ_TIME_MAX];

static const char *s_at(uint64_t ms)
{
    return sd_tz_format(ms, false, s_buf, sizeof s_buf);
}

static int teardown(void **state)
{
    (void)state;
    unsetenv("TZ");
    return sd_tz_use(NULL);
}

static void test_known_zones(void **state)
{
    (void)state;
    assert_true(sd_tz_known("UTC"));
    assert_true(sd_tz_known("Europe/London"));
    assert_true(sd_tz_known("America/New_York"));
    assert_false(sd_tz_known("Mars/Olympus_Mons"));
    assert_false(sd_tz_known("Europe"));           /* a directory, not a zone */
    assert_false(sd_tz_known("../../etc/passwd")); /* never outside zoneinfo */
    assert_false(sd_tz_known("/etc/localtime"));
    assert_false(sd_tz_known(""));
    assert_int_equal(sd_tz_use("Mars/Olympus_Mons"), SD_EINVAL);
    assert_string_equal(sd_tz_name(), "UTC"); /* a refused zone changes nothing */
}

static void test_london_across_dst(void **state)
{
    (void)state;
    assert_int_equal(sd_tz_use("Europe/London"), 0);
    assert_string_equal(sd_tz_name(), "Europe/London");
    assert_false(sd_tz_is_utc());
    assert_string_equal(s_at(SPRING_BEFORE), "2027-03-28 00:59+00");
    assert_string_equal(s_at(SPRING_AFTER), "2027-03-28 02:00+01");
    assert_string_equal(s_at(AUTUMN_FIRST), "2027-10-31 01:30+01");
    assert_string_equal(s_at(AUTUMN_SECOND), "2027-10-31 01:30+00"); /* told apart by offset */
}

static void test_other_zones_and_utc(void **state)
{
    (void)state;
    assert_int_equal(sd_tz_use("Asia/Shanghai"), 0);
    assert_string_equal(s_at(MONDAY_8Z), "2026-11-30 16:00+08");
    assert_int_equal(sd_tz_use("America/New_York"), 0);
    assert_string_equal(s_at(MONDAY_8Z), "2026-11-30 03:00-05");
    assert_int_equal(sd_tz_use("Asia/Kolkata"), 0);
    assert_string_equal(s_at(MONDAY_8Z), "2026-11-30 13:30+0530");
    assert_string_equal(sd_tz_format(SECONDS, true, s_buf, sizeof s_buf),
                        "2027-01-15 17:30:05+0530");
    assert_string_equal(s_at(0), "-");
    assert_int_equal(sd_tz_use("UTC"), 0);
    assert_true(sd_tz_is_utc());
    assert_string_equal(s_at(MONDAY_8Z), "2026-11-30 08:00Z");
}

static void test_site_zone_beside(void **state)
{
    (void)state;
    char site[SD_TZ_TIME_MAX];
    assert_int_equal(sd_tz_use("Asia/Shanghai"), 0);
    assert_string_equal(sd_tz_format_in("Europe/London", SPRING_AFTER, site, sizeof site),
                        "2027-03-28 02:00+01");
    assert_null(sd_tz_format_in("Nowhere/Else", SPRING_AFTER, site, sizeof site));
    assert_string_equal(s_at(SPRING_AFTER), "2027-03-28 09:00+08"); /* own zone kept */
}

static void test_env_tz(void **state)
{
    (void)state;
    setenv("TZ", ":Europe/London", 1);
    assert_int_equal(sd_tz_use(NULL), 0);
    assert_string_equal(sd_tz_name(), "Europe/London");
    assert_string_equal(s_at(AUTUMN_FIRST), "2027-10-31 01:30+01");
    setenv("TZ", "Asia/Shanghai", 1);
    assert_int_equal(sd_tz_use("Europe/London"), 0); /* --tz wins over $TZ */
    assert_string_equal(sd_tz_name(), "Europe/London");
    unsetenv("TZ");
    assert_int_equal(sd_tz_use(NULL), 0);
    assert_string_equal(sd_tz_name(), "UTC");
    assert_string_equal(s_at(AUTUMN_FIRST), "2027-10-31 00:30Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_known_zones, teardown),
        cmocka_unit_test_teardown(test_london_across_dst, teardown),
        cmocka_unit_test_teardown(test_other_zones_and_utc, teardown),
        cmocka_unit_test_teardown(test_site_zone_beside, teardown),
        cmocka_unit_test_teardown(test_env_tz, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
