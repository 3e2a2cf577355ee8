/* test_utc.c - UTC date-times as users write them (proto/utc.h) and a data directory's client
 * endpoint (proto/endpoint.h): the two rules the node and the sundesk CLI share. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "endpoint.h"
#include "error.h"
#include "utc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_utc_parses_minutes_and_seconds(void **state)
{
    (void)state;
    int64_t ms = 0;
    assert_int_equal(sd_utc_parse("1970-01-01T00:00Z", &ms), 0);
    assert_int_equal(ms, 0);
    assert_int_equal(sd_utc_parse("2026-03-02T09:30Z", &ms), 0);
    assert_int_equal(ms, 1772443800000LL);
    assert_int_equal(sd_utc_parse("2026-03-02T09:30:59Z", &ms), 0);
    assert_int_equal(ms, 1772443859000LL);
    /* A leap day exists in 2028. */
    assert_int_equal(sd_utc_parse("2028-02-29T23:59:59Z", &ms), 0);
    assert_int_equal(ms, 1835481599000LL);
}

static void test_utc_refuses_what_is_not_a_utc_time(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",                      /* nothing */
        "2026-03-02",            /* a date alone: the CLI adds the midnight itself */
        "2026-03-02T09:30",      /* no Z: not known to be UTC */
        "2026-03-02T09:30+01",   /* another zone */
        "2026-03-02T09:30:00ZZ", /* trailing bytes */
        "2026-03-02T09:30:Z",    /* a colon without seconds */
        "1969-12-31T23:59Z",     /* before Unix time */
        "2026-13-01T00:00Z",     /* month 13 */
        "2026-00-01T00:00Z",     /* month 0 */
        "2026-02-29T00:00Z",     /* not a leap year */
        "2026-04-31T00:00Z",     /* April has 30 days */
        "2026-03-02T24:00Z",     /* hour 24 */
        "2026-03-02T09:60Z",     /* minute 60 */
        "2026-03-02T09:30:60Z",  /* no leap seconds */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = 42;
        if (sd_utc_parse(bad[i], &ms) != SD_EINVAL)
            fail_msg("accepted '%s'", bad[i]);
        assert_int_equal(ms, 42); /* untouched on error */
    }
}

static void test_endpoint_is_the_socket_in_the_absolute_data_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/sd-test-endpoint.XXXXXX", cwd[PATH_MAX], out[SD_ENDPOINT_MAX];
    char want[SD_ENDPOINT_MAX + PATH_MAX];
    assert_non_null(mkdtemp(dir));
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    mkdir("d", 0700);
    /* A relative directory becomes absolute: the node and the CLI may run from elsewhere. */
    assert_int_equal(sd_endpoint_for_data("d", out, sizeof out), 0);
    char real[PATH_MAX]; /* /tmp may itself be a link */
    assert_non_null(realpath(dir, real));
    snprintf(want, sizeof want, "ipc://%s/d/" SD_SOCKET_NAME, real);
    assert_string_equal(out, want);
    assert_int_equal(sd_endpoint_for_data("./d/../d", out, sizeof out), 0);
    assert_string_equal(out, want);
    /* A directory not made yet is taken as given. */
    assert_int_equal(sd_endpoint_for_data("/nonexistent/x", out, sizeof out), 0);
    assert_string_equal(out, "ipc:///nonexistent/x/sundesk.sock");
    assert_int_equal(chdir(cwd), 0);
    snprintf(want, sizeof want, "%s/d", dir);
    rmdir(want);
    rmdir(dir);
}

static void test_endpoint_refuses_paths_too_long_for_a_socket(void **state)
{
    (void)state;
    char out[SD_ENDPOINT_MAX], longdir[200];
    /* "/" + 94 x's + "/sundesk.sock" is 108 bytes: one past sun_path. */
    longdir[0] = '/';
    memset(longdir + 1, 'x', 94);
    longdir[95] = 0;
    assert_int_equal(sd_endpoint_for_data(longdir, out, sizeof out), SD_ECONFIG);
    longdir[94] = 0; /* 107 bytes: fits */
    assert_int_equal(sd_endpoint_for_data(longdir, out, sizeof out), 0);
    assert_int_equal(strlen(out), strlen("ipc://") + SD_IPC_PATH_MAX);
    /* The caller's buffer bounds it too. */
    assert_int_equal(sd_endpoint_for_data("/srv/sundesk", out, 20), SD_ECONFIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utc_parses_minutes_and_seconds),
        cmocka_unit_test(test_utc_refuses_what_is_not_a_utc_time),
        cmocka_unit_test(test_endpoint_is_the_socket_in_the_absolute_data_dir),
        cmocka_unit_test(test_endpoint_refuses_paths_too_long_for_a_socket),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
