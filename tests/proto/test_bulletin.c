/* test_bulletin.c - the bulletin kind (proto/bulletin.h): the "current" rule (window edges,
 * state, sites, the major incident), its arguments' refusals, and the client view's `current`
 * only once a reader judged it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "bulletin.h"
#include "error.h"
#include "record.h"
#include "request.h"

#include <stdlib.h>
#include <string.h>

#define T0 1767225600000ull

static void test_current_rule(void **state)
{
    (void)state;
    sd_bulletin_t b = {.valid_from = T0, .valid_until = T0 + 1000};
    assert_false(sd_bulletin_current(&b, T0 - 1, NULL, false));
    assert_true(sd_bulletin_current(&b, T0, NULL, false));
    assert_true(sd_bulletin_current(&b, T0 + 999, NULL, false));
    assert_false(sd_bulletin_current(&b, T0 + 1000, NULL, false));
    b.state = SD_BSTATE_WITHDRAWN;
    assert_false(sd_bulletin_current(&b, T0, NULL, false));
    b.state = SD_BSTATE_ACTIVE;
    /* Sites: listed ones only (blanks around entries are fine); none listed: every site. */
    b.sites = "APAC, EMEA";
    assert_true(sd_bulletin_current(&b, T0, "EMEA", false));
    assert_true(sd_bulletin_current(&b, T0, "APAC", false));
    assert_false(sd_bulletin_current(&b, T0, "AMER", false));
    assert_false(sd_bulletin_current(&b, T0, "EME", false));
    assert_true(sd_bulletin_current(&b, T0, NULL, false));
    b.sites = "";
    assert_true(sd_bulletin_current(&b, T0, "AMER", false));
    /* A major incident: over means not current; without one the flag is ignored. */
    assert_true(sd_bulletin_current(&b, T0, "AMER", true));
    b.major = "HUB-000042";
    assert_true(sd_bulletin_current(&b, T0, "AMER", false));
    assert_false(sd_bulletin_current(&b, T0, "AMER", true));
}

static void test_args_refused(void **state)
{
    (void)state;
    sd_request_t req = {0};
    sd_fault_t fault = {0};
    req.op = SD_REQ_BULLETIN_NEW;
    assert_int_equal(sd_request_set(&req, SD_ARG_BULLETIN_SEVERITY, "catastrophe", &fault),
                     SD_ERANGE);
    assert_int_equal(sd_request_set(&req, SD_ARG_BULLETIN_TITLE, "two\nlines", &fault), SD_EUTF8);
    assert_int_equal(sd_request_set(&req, SD_ARG_BULLETIN_SEVERITY, "outage", &fault), 0);
    assert_int_equal(req.args.bulletin.severity, SD_SEVERITY_OUTAGE);
    assert_int_equal(sd_request_set(&req, SD_ARG_BULLETIN_VALID_UNTIL, "soon", &fault), SD_ETYPE);
    sd_request_clear(&req);
}

static void test_view_shows_current_once_judged(void **state)
{
    (void)state;
    sd_bulletin_t *b = sd_record_new(&sd_kind_bulletin);
    strcpy(b->id, "HUB-BL-000001");
    b->title = strdup("Mail slow");
    b->stamps[SD_BLREG_CREATED].hlc = T0 << 16;
    b->stamps[SD_BLREG_TITLE].hlc = T0 << 16;
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_record_encode(&sd_kind_bulletin, b, false, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_mp_doc_t *doc = NULL;
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    assert_null(sd_mp_get(sd_mp_doc_root(doc), "current"));
    sd_mp_doc_destroy(&doc);
    b->judged = b->current = true;
    sd_mp_writer_reset(w);
    sd_record_encode(&sd_kind_bulletin, b, false, w);
    data = sd_mp_writer_data(w, &len);
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    bool current = false;
    assert_int_equal(sd_mp_boolean(sd_mp_get(sd_mp_doc_root(doc), "current"), &current), 0);
    assert_true(current);
    sd_mp_doc_destroy(&doc);
    /* The stored form never holds it. */
    sd_mp_writer_reset(w);
    sd_record_encode(&sd_kind_bulletin, b, true, w);
    data = sd_mp_writer_data(w, &len);
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    assert_null(sd_mp_get(sd_mp_doc_root(doc), "current"));
    sd_mp_doc_destroy(&doc);
    sd_mp_writer_destroy(&w);
    sd_record_destroy(&sd_kind_bulletin, (void **)&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_current_rule),
        cmocka_unit_test(test_args_refused),
        cmocka_unit_test(test_view_shows_current_once_judged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
