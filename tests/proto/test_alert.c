/* test_alert.c - the alert kind (proto/alert.h): its ids (BLAKE2b-128 of source and key, the
 * same at every site and in every tool), its states, its arguments' refusals, and a record's
 * round trip through the store's encoding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "alert.h"
#include "error.h"
#include "record.h"
#include "request.h"

#include <stdlib.h>
#include <string.h>

static void test_id(void **state)
{
    (void)state;
    char id[SD_ID_MAX + 1], other[SD_ID_MAX + 1];
    /* python3: hashlib.blake2b(b"prom\nfp-1", digest_size=16).hexdigest()[:29] */
    assert_int_equal(sd_alert_id_for("prom", "fp-1", id), 0);
    assert_string_equal(id, "AL-49576a25b50e69648ec0cc88eb3f8");
    assert_int_equal(strlen(id), 32);
    assert_int_equal(sd_alert_id_for("pd", "srv01/disk", other), 0);
    assert_string_equal(other, "AL-a4f85fe830ebcdc4d33fb4dbad15e");
    /* The same key of another source is another alert. */
    assert_int_equal(sd_alert_id_for("prom2", "fp-1", other), 0);
    assert_string_not_equal(id, other);
    assert_int_equal(sd_alert_id_for("", "fp-1", other), SD_EINVAL);
    assert_int_equal(sd_alert_id_for("prom", "", other), SD_EINVAL);
    assert_int_equal(sd_alert_id_for(NULL, "fp-1", other), SD_EINVAL);
}

static void test_states(void **state)
{
    (void)state;
    assert_int_equal(sd_alert_state_value("firing"), SD_ALERT_FIRING);
    assert_int_equal(sd_alert_state_value("acknowledged"), SD_ALERT_ACKNOWLEDGED);
    assert_int_equal(sd_alert_state_value("resolved"), SD_ALERT_RESOLVED);
    assert_int_equal(sd_alert_state_value("inactive"), -1);
    assert_int_equal(sd_alert_state_value(NULL), -1);
}

static void test_args(void **state)
{
    (void)state;
    sd_request_t req = {.op = SD_REQ_ALERT_INGEST};
    sd_fault_t fault = {0};
    assert_int_equal(sd_request_set(&req, SD_ARG_ALERT_STATUS, "pending", &fault), SD_ERANGE);
    assert_int_equal(sd_request_set(&req, SD_ARG_ALERT_STATUS, "resolved", &fault), 0);
    assert_int_equal(req.args.alert.status, SD_ALERT_RESOLVED);
    char key[SD_ALERT_KEY_MAX + 2];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = 0;
    assert_int_equal(sd_request_set(&req, SD_ARG_ALERT_KEY, key, &fault), SD_ETOOLONG);
    key[SD_ALERT_KEY_MAX] = 0;
    assert_int_equal(sd_request_set(&req, SD_ARG_ALERT_KEY, key, &fault), 0);
    assert_int_equal(sd_request_set(&req, SD_ARG_ALERT_IMPACT, "4", &fault), SD_ERANGE);
    assert_int_equal(sd_request_set(&req, SD_ARG_ALERT_FLAP_WINDOW, "604801", &fault), SD_ERANGE);
    assert_int_equal(sd_request_set(&req, SD_ARG_ALERT_TITLE, "two\nlines", &fault), SD_EUTF8);
    /* An id of 32 bytes fits (SD_ID_MAX). */
    assert_int_equal(
        sd_request_set(&req, SD_ARG_ALERT_ID, "AL-49576a25b50e69648ec0cc88eb3f8", &fault), 0);
    sd_request_clear(&req);
}

static void test_record_round_trip(void **state)
{
    (void)state;
    sd_alert_t a = {.created_at = 1767225600000ull, .state = SD_ALERT_ACKNOWLEDGED, .fires = 3};
    strcpy(a.id, "AL-49576a25b50e69648ec0cc88eb3f8");
    a.source = strdup("prom");
    a.key = strdup("fp-1");
    a.title = strdup("磁盘已满 on db1");
    a.labels = strdup("alertname=DiskFull\ninstance=db1\n");
    a.ticket = strdup("APAC-000042");
    for (int r = 0; r < SD_ALREG_COUNT_; r++) /* every register written */
        a.stamps[r].hlc = 1;
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_record_encode(&sd_kind_alert, &a, true, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_mp_doc_t *doc = NULL;
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    sd_alert_t b = {0};
    sd_fault_t fault = {0};
    assert_int_equal(sd_record_decode(&sd_kind_alert, sd_mp_doc_root(doc), &b, &fault), 0);
    assert_string_equal(b.title, a.title);
    assert_string_equal(b.labels, a.labels);
    assert_string_equal(b.ticket, "APAC-000042");
    assert_int_equal(b.state, SD_ALERT_ACKNOWLEDGED);
    assert_int_equal(b.fires, 3);
    sd_mp_doc_destroy(&doc);
    sd_mp_writer_destroy(&w);
    sd_record_clear(&sd_kind_alert, &a);
    sd_record_clear(&sd_kind_alert, &b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_args),
        cmocka_unit_test(test_record_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
