/* test_mailid.c - the desk's Message-IDs (proto/mailid.h): made and read back, the ticket found
 * in In-Reply-To and in References (newest first), and the ids that are not the desk's (another
 * mailer's, a malformed ticket id, upper-case hex, missing parts) found as none. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "mailid.h"

#include <string.h>

static void test_make_and_read(void **state)
{
    (void)state;
    char id[SD_MAILID_MAX + 1], t[SD_ID_MAX + 1];
    assert_int_equal(sd_mailid_make("APAC-000042", "7f3a09c2", "desk.example.com", id, sizeof id),
                     0);
    assert_string_equal(id, "<sundesk.APAC-000042.7f3a09c2@desk.example.com>");
    assert_true(sd_mailid_ticket(id, t));
    assert_string_equal(t, "APAC-000042");
    assert_true(sd_mailid_ticket(" sundesk.EU_WEST-1-7.0@x.invalid \r\n", t));
    assert_string_equal(t, "EU_WEST-1-7");
}

static void test_make_refuses(void **state)
{
    (void)state;
    char id[64];
    assert_int_equal(sd_mailid_make("apac-1", "ab", "d.example", id, sizeof id), SD_EINVAL);
    assert_int_equal(sd_mailid_make("APAC-1", "AB", "d.example", id, sizeof id), SD_EINVAL);
    assert_int_equal(sd_mailid_make("APAC-1", "", "d.example", id, sizeof id), SD_EINVAL);
    assert_int_equal(sd_mailid_make("APAC-1", "ab", "d example", id, sizeof id), SD_EINVAL);
    assert_int_equal(sd_mailid_make("APAC-KB-1", "ab", "d.example", id, 16), SD_ETOOLONG);
}

static void test_not_ours(void **state)
{
    (void)state;
    char t[SD_ID_MAX + 1];
    static const char *const others[] = {
        "<CAF=abc123@mail.gmail.com>",
        "<sundesk.APAC-000042@desk.example.com>",      /* no unique part */
        "<sundesk.APAC-000042.7F3A@desk.example.com>", /* upper-case hex */
        "<sundesk.apac-000042.7f3a@desk.example.com>", /* not a ticket id */
        "<sundesk.APAC-00004x.7f3a@desk.example.com>",
        "<sundesk.APAC-.7f3a@desk.example.com>",
        "<sundesk.APAC-000042.7f3a>",
        "<sundesk.APAC-1.7f3a@x> <b@c>",
        "",
    };
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        assert_false(sd_mailid_ticket(others[i], t));
    assert_false(sd_mailid_ticket(NULL, t));
}

static void test_references(void **state)
{
    (void)state;
    char t[SD_ID_MAX + 1];
    assert_true(sd_mailid_references_ticket(
        "<a@b> <sundesk.APAC-000001.01@x.invalid>\r\n <c@d> <sundesk.EMEA-000009.ff@y.example> "
        "<e@f>",
        t));
    assert_string_equal(t, "EMEA-000009"); /* the newest of the desk's */
    assert_false(sd_mailid_references_ticket("<a@b> <c@d>", t));
    assert_false(sd_mailid_references_ticket("no brackets at all", t));
    assert_false(sd_mailid_references_ticket(NULL, t));
    assert_true(sd_mailid_references_ticket("<sundesk.APAC-7.0@z>", t));
    assert_string_equal(t, "APAC-7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_make_and_read),
        cmocka_unit_test(test_make_refuses),
        cmocka_unit_test(test_not_ours),
        cmocka_unit_test(test_references),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
