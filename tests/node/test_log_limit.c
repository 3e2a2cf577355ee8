/* test_log_limit.c - refusal lines per subject: a few a minute, then one summary of the rest. */
#include "log.h"

#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define T0 5000 /* a monotonic ms */

/* Lines of the log so far that contain text. */
static int s_count(FILE *log, const char *text)
{
    char line[1024];
    int n = 0;
    fflush(log);
    rewind(log);
    while (fgets(line, sizeof line, log))
        n += strstr(line, text) != NULL;
    return n;
}

static void test_limits_lines_then_sums_up(void **state)
{
    (void)state;
    FILE *log = tmpfile();
    assert_non_null(log);
    zsys_set_logstream(log);
    sd_log_limit_t limit = {.subject = "event refused: peer=APAC"};
    for (int i = 0; i < 25; i++)
        sd_log_limited(&limit, T0 + i, "event refused: peer=APAC origin=EMEA n=%d", i);
    assert_int_equal(s_count(log, "origin=EMEA n="), SD_LOG_LIMIT_LINES);
    assert_int_equal(limit.held, 25 - SD_LOG_LIMIT_LINES);
    assert_int_equal(limit.dropped, 25 - SD_LOG_LIMIT_LINES);

    /* The summary comes when the minute is over, from the timer, once. */
    sd_log_limit_tick(&limit, T0 + SD_LOG_LIMIT_MS - 1);
    assert_int_equal(s_count(log, "more refused"), 0);
    sd_log_limit_tick(&limit, T0 + SD_LOG_LIMIT_MS);
    sd_log_limit_tick(&limit, T0 + SD_LOG_LIMIT_MS + 1);
    assert_int_equal(s_count(log, "event refused: peer=APAC ... and 15 more refused in the last "
                                  "minute"),
                     1);

    /* A new minute has its own lines; the total held back stays. */
    sd_log_limited(&limit, T0 + 2 * SD_LOG_LIMIT_MS, "event refused: peer=APAC origin=EMEA n=%d",
                   99);
    assert_int_equal(s_count(log, "origin=EMEA n=99"), 1);
    assert_int_equal(limit.held, 0);
    assert_int_equal(limit.dropped, 15);
    /* A minute with nothing held back ends without a summary. */
    sd_log_limit_tick(&limit, T0 + 4 * SD_LOG_LIMIT_MS);
    assert_int_equal(s_count(log, "more refused"), 1);
    zsys_set_logstream(stderr);
    fclose(log);
}

int main(void)
{
    zsys_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits_lines_then_sums_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
