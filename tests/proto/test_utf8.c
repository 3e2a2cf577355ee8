/* test_utf8.c - strict UTF-8 validation and control-character rules (proto/utf8.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "utf8.h"

/* A string literal with its exact length, so embedded NULs count. */
#define VALID(lit)         sd_utf8_valid(lit, sizeof(lit) - 1)
#define CONTROL(lit, line) sd_utf8_has_control(lit, sizeof(lit) - 1, line)

static void test_utf8_ascii_valid(void **state)
{
    (void)state;
    assert_true(VALID(""));
    assert_true(VALID("hello, world"));
    assert_true(VALID(" ~!\x7f")); /* DEL is valid UTF-8; it is a control character */
}

static void test_utf8_two_byte_valid(void **state)
{
    (void)state;
    assert_true(VALID("\xC2\x80"));    /* U+0080, smallest 2-byte */
    assert_true(VALID("caf\xC3\xA9")); /* "café" */
    assert_true(VALID("\xDF\xBF"));    /* U+07FF, largest 2-byte */
}

static void test_utf8_three_byte_valid(void **state)
{
    (void)state;
    assert_true(VALID("\xE0\xA0\x80")); /* U+0800, smallest 3-byte */
    assert_true(VALID("\xE2\x82\xAC")); /* euro sign */
    assert_true(VALID("\xED\x9F\xBF")); /* U+D7FF, just below the surrogates */
    assert_true(VALID("\xEE\x80\x80")); /* U+E000, just above them */
    assert_true(VALID("\xEF\xBF\xBF")); /* U+FFFF */
}

static void test_utf8_four_byte_valid(void **state)
{
    (void)state;
    assert_true(VALID("\xF0\x90\x80\x80"));     /* U+10000, smallest 4-byte */
    assert_true(VALID("ok \xF0\x9F\x98\x80!")); /* emoji amid ASCII */
    assert_true(VALID("\xF4\x8F\xBF\xBF"));     /* U+10FFFF, the last code point */
}

static void test_utf8_overlong_rejected(void **state)
{
    (void)state;
    assert_false(VALID("\xC0\x80"));         /* NUL in 2 bytes */
    assert_false(VALID("\xC1\xBF"));         /* U+007F in 2 bytes */
    assert_false(VALID("\xE0\x80\x80"));     /* NUL in 3 bytes */
    assert_false(VALID("\xE0\x9F\xBF"));     /* U+07FF in 3 bytes */
    assert_false(VALID("\xF0\x80\x80\x80")); /* NUL in 4 bytes */
    assert_false(VALID("\xF0\x8F\xBF\xBF")); /* U+FFFF in 4 bytes */
    assert_false(VALID("a\xC0\xAF"));        /* overlong '/' after valid text */
}

static void test_utf8_surrogates_rejected(void **state)
{
    (void)state;
    assert_false(VALID("\xED\xA0\x80"));             /* U+D800 */
    assert_false(VALID("\xED\xAF\xBF"));             /* U+DBFF */
    assert_false(VALID("\xED\xB0\x80"));             /* U+DC00 */
    assert_false(VALID("\xED\xBF\xBF"));             /* U+DFFF */
    assert_false(VALID("\xED\xA0\xBD\xED\xB8\x80")); /* CESU-8 pair */
}

static void test_utf8_above_max_rejected(void **state)
{
    (void)state;
    assert_false(VALID("\xF4\x90\x80\x80"));     /* U+110000 */
    assert_false(VALID("\xF5\x80\x80\x80"));     /* lead F5 */
    assert_false(VALID("\xF7\xBF\xBF\xBF"));     /* lead F7 */
    assert_false(VALID("\xF8\x88\x80\x80\x80")); /* old 5-byte form */
    assert_false(VALID("\xFC\x84\x80\x80\x80\x80"));
    assert_false(VALID("\xFE"));
    assert_false(VALID("\xFF"));
}

static void test_utf8_truncated_rejected(void **state)
{
    (void)state;
    assert_false(VALID("\xC3"));
    assert_false(VALID("\xE2\x82"));
    assert_false(VALID("\xF0\x9F\x98"));
    assert_false(VALID("title \xE2\x82"));   /* cut at the end of the text */
    assert_false(VALID("\xE2\x82x"));        /* continuation replaced by ASCII */
    assert_false(VALID("\xF0\x9F\x98 end")); /* followed by more text */
    /* Only len bytes are read: a valid prefix of a longer buffer is fine, a cut one not. */
    assert_true(sd_utf8_valid("ab\xE2\x82\xAC", 2));
    assert_false(sd_utf8_valid("ab\xE2\x82\xAC", 4));
}

static void test_utf8_stray_continuation_rejected(void **state)
{
    (void)state;
    assert_false(VALID("\x80"));
    assert_false(VALID("\xBF"));
    assert_false(VALID("a\x80z"));
    assert_false(VALID("caf\xC3\xA9\xA9")); /* one continuation too many */
    assert_false(VALID("\x80\x80\x80\x80"));
}

static void test_utf8_nul_rejected(void **state)
{
    (void)state;
    assert_false(VALID("\0"));
    assert_false(VALID("ab\0cd"));
    assert_false(VALID("\xC3\xA9\0"));
    assert_false(sd_utf8_valid("\xE2\0\xAC", 3)); /* NUL where a continuation should be */
}

static void test_utf8_control_single_line(void **state)
{
    (void)state;
    assert_false(CONTROL("Printer on floor 3 is jammed", true));
    assert_false(CONTROL("caf\xC3\xA9 \xE2\x82\xAC", true)); /* non-ASCII is not control */
    assert_true(CONTROL("a\tb", true));
    assert_true(CONTROL("line one\n", true));
    assert_true(CONTROL("cr\r", true));
    assert_true(CONTROL("\x01", true));
    assert_true(CONTROL("esc\x1b[31m", true));
    assert_true(CONTROL("\x1f", true));
    assert_true(CONTROL("del\x7f", true));
}

static void test_utf8_control_multi_line(void **state)
{
    (void)state;
    assert_false(CONTROL("Steps:\n\t1. reboot\r\n\t2. retry", false));
    assert_false(CONTROL("", false));
    assert_true(CONTROL("bell\a", false));
    assert_true(CONTROL("esc\x1b[31m", false));
    assert_true(CONTROL("back\bspace", false));
    assert_true(CONTROL("form\ffeed", false));
    assert_true(CONTROL("del\x7f", false));
    assert_true(sd_utf8_has_control("a\0b", 3, false)); /* NUL is a control character */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_ascii_valid),
        cmocka_unit_test(test_utf8_two_byte_valid),
        cmocka_unit_test(test_utf8_three_byte_valid),
        cmocka_unit_test(test_utf8_four_byte_valid),
        cmocka_unit_test(test_utf8_overlong_rejected),
        cmocka_unit_test(test_utf8_surrogates_rejected),
        cmocka_unit_test(test_utf8_above_max_rejected),
        cmocka_unit_test(test_utf8_truncated_rejected),
        cmocka_unit_test(test_utf8_stray_continuation_rejected),
        cmocka_unit_test(test_utf8_nul_rejected),
        cmocka_unit_test(test_utf8_control_single_line),
        cmocka_unit_test(test_utf8_control_multi_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
