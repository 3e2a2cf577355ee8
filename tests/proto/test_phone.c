/* test_phone.c - E.164 normalisation (proto/phone.h): CN, UK and US numbers as people write
 * them, with noise and extensions, and what is refused rather than matched partially. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "phone.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *in;   /* as written */
    const char *cc;   /* default country */
    const char *e164; /* expected, or NULL: refused */
} s_case_t;

static const s_case_t s_cases[] = {
    /* China */
    {"+86 21 5555 0101", "86", "+862155550101"},
    {"+86 (21) 5555-0101", "86", "+862155550101"},
    {"0086 21 5555 0101", "86", "+862155550101"},
    {"0086-21-5555-0101", "44", "+862155550101"},
    {"021 5555 0101", "86", "+862155550101"},
    {"021/5555.0101", "86", "+862155550101"},
    {"138 0013 8000", "86", "+8613800138000"},
    {"021 5555 0101 转 8012", "86", "+862155550101"},
    {"021-5555-0101分机12", "86", "+862155550101"},
    /* United Kingdom */
    {"020 7946 0018", "44", "+442079460018"},
    {"+44 (0)20 7946 0018", "86", "+442079460018"},
    {"+44 20 7946 0018 ext. 4", "44", "+442079460018"},
    {"00 44 20 7946 0018", "1", "+442079460018"},
    /* United States */
    {"(212) 555-0100", "1", "+12125550100"},
    {"212.555.0100 x12", "1", "+12125550100"},
    {"212-555-0100 #12", "1", "+12125550100"},
    {"+1 212 555 0100;ext=12", "86", "+12125550100"},
    {"1 (212) 555-0100", "1", "+12125550100"},
    {"011 86 21 5555 0101", "1", "+862155550101"},
    {"212 555 0100 EXT 7", "1", "+12125550100"},
    /* refused: letters, too short, too long, no digits, a misplaced "+", nothing after a
     * marker, a national number without a default country */
    {"call me", "86", NULL},
    {"021 5555 O101", "86", NULL},
    {"55-01", "1", NULL},
    {"12345", "86", NULL},
    {"+86 21 5555 0101 0101 01", "86", NULL},
    {"", "86", NULL},
    {"21 + 5555", "86", NULL},
    {"021 5555 0101 ext", "86", NULL},
    {"021 5555 0101 ext 12a", "86", NULL},
    {"021 5555 0101", NULL, NULL},
    {"021 5555 0101", "", NULL},
    {"+0 21 5555 0101", "86", NULL},
    {"x12", "86", NULL},
};

static void test_phone_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof s_cases / sizeof s_cases[0]; i++) {
        const s_case_t *c = &s_cases[i];
        char out[SD_E164_MAX + 1] = "junk";
        int rc = sd_phone_e164(c->in, c->cc, out, sizeof out);
        if (c->e164) {
            if (rc != 0 || strcmp(out, c->e164) != 0)
                fail_msg("'%s' (cc %s): got %d '%s', want '%s'", c->in, c->cc, rc, out, c->e164);
        } else if (rc != SD_ERANGE || out[0]) {
            fail_msg("'%s' (cc %s): got %d '%s', want a refusal", c->in, c->cc ? c->cc : "-", rc,
                     out);
        }
    }
}

static void test_phone_small_buffer_and_country_codes(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(sd_phone_e164("021 5555 0101", "86", out, sizeof out), SD_EINVAL);
    assert_true(sd_phone_cc_valid("86"));
    assert_true(sd_phone_cc_valid("1"));
    assert_true(sd_phone_cc_valid("358"));
    assert_false(sd_phone_cc_valid("0"));
    assert_false(sd_phone_cc_valid("1234"));
    assert_false(sd_phone_cc_valid("+86"));
    assert_false(sd_phone_cc_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_table),
        cmocka_unit_test(test_phone_small_buffer_and_country_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
