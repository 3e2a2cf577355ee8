/* test_alerts_json.c - the monitoring webhooks' bodies to alert.ingest's arguments
 * (node/http/alerts_json.h): Alertmanager's version 4 shape read strictly (the reason names the
 * field), each alert by its own status, the title's fallbacks, labels in name order, the
 * severity map, the source's team and category, texts made to fit visibly; PagerDuty's Events v2
 * checks (routing key, actions, dedup_key, payload) and its mapping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "alert.h"
#include "alerts_json.h"
#include "config.h"

#include <stdio.h>
#include <string.h>

static sd_alerts_config_t s_cfg = {
    .flap_window = 600, .impact = {1, 2, 2, 3}, .urgency = {1, 1, 2, 3}};
static const sd_alert_source_t s_prom = {.name = "prom",
                                         .kind = SD_ALERT_SRC_ALERTMANAGER,
                                         .user = "prom",
                                         .team = "ops",
                                         .category = "monitoring"};
static const sd_alert_source_t s_pd = {
    .name = "pd", .kind = SD_ALERT_SRC_PAGERDUTY, .user = "pd", .routing_key = "R1"};

static json_t *s_json(const char *text)
{
    json_error_t err;
    json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (!v)
        fail_msg("bad test JSON: %s: %s", err.text, text);
    return v;
}

/* sd_alerts_am_check of text fails with a reason holding want (NULL: it passes). */
static void s_am(const char *text, const char *want)
{
    json_t *body = s_json(text);
    char why[SD_ALERTS_WHY_MAX] = "";
    bool ok = sd_alerts_am_check(body, why);
    json_decref(body);
    if (!want) {
        if (!ok)
            fail_msg("refused (%s): %s", why, text);
        return;
    }
    if (ok || !strstr(why, want))
        fail_msg("wanted a refusal with '%s', got '%s': %s", want, why, text);
}

static const char *s_get(const json_t *args, const char *key)
{
    const char *v = json_string_value(json_object_get(args, key));
    return v ? v : "";
}

static void test_am_strict(void **state)
{
    (void)state;
    s_am("{\"version\":\"4\",\"alerts\":[]}", NULL);
    s_am("{\"version\":\"4\",\"alerts\":[],\"receiver\":\"r\",\"status\":\"firing\","
         "\"groupLabels\":{},"
         "\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"x\",\"groupKey\":\"k\","
         "\"truncatedAlerts\":0}",
         NULL);
    s_am("{\"version\":\"4\",\"alerts\":[],\"color\":1}", "body: unknown key 'color'");
    s_am("{\"alerts\":[]}", "body.version: missing");
    s_am("{\"version\":4,\"alerts\":[]}", "body.version: expected a non-empty string");
    s_am("{\"version\":\"3\",\"alerts\":[]}", "version 4");
    s_am("{\"version\":\"4\"}", "body.alerts: expected an array");
    s_am("{\"version\":\"4\",\"alerts\":[1]}", "alerts[0]: expected an object");
    s_am("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"a\"},"
         "{\"status\":\"firing\"}]}",
         "alerts[1].fingerprint: missing");
    s_am("{\"version\":\"4\",\"alerts\":[{\"status\":\"pending\",\"fingerprint\":\"a\"}]}",
         "alerts[0].status: expected firing or resolved");
    s_am("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"a\",\"x\":1}]}",
         "alerts[0]: unknown key 'x'");
    s_am("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"a\","
         "\"labels\":[]}]}",
         "labels and annotations are objects");
    char big[600];
    snprintf(big, sizeof big,
             "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"%0256d\"}]}",
             0);
    s_am(big, "longer than 255 bytes");
}

static void test_am_mapping(void **state)
{
    (void)state;
    json_t *a = s_json(
        "{\"status\":\"resolved\",\"fingerprint\":\"fp-1\",\"labels\":{\"severity\":\"critical\","
        "\"instance\":\"db1\",\"alertname\":\"DiskFull\"},\"annotations\":{\"summary\":\"磁盘满\\n"
        "on db1\",\"description\":\"95%\",\"runbook\":\"http://wiki/disk\"},"
        "\"generatorURL\":\"http://prom/graph\"}");
    char why[SD_ALERTS_WHY_MAX] = "", id[SD_ID_MAX + 1];
    json_t *args = sd_alerts_am_args(&s_cfg, &s_prom, a, why);
    assert_non_null(args);
    sd_alert_id_for("prom", "fp-1", id);
    assert_string_equal(s_get(args, "id"), id);
    assert_string_equal(s_get(args, "source"), "prom");
    assert_string_equal(s_get(args, "key"), "fp-1");
    assert_string_equal(s_get(args, "status"), "resolved");     /* its own, not the group's */
    assert_string_equal(s_get(args, "title"), "磁盘满 on db1"); /* one line */
    assert_string_equal(s_get(args, "description"), "95%\nrunbook=http://wiki/disk\n");
    assert_string_equal(s_get(args, "labels"),
                        "alertname=DiskFull\ninstance=db1\nseverity=critical\n");
    assert_string_equal(s_get(args, "severity"), "critical");
    assert_string_equal(s_get(args, "url"), "http://prom/graph");
    assert_string_equal(s_get(args, "team"), "ops");
    assert_string_equal(s_get(args, "category"), "monitoring");
    assert_int_equal(json_integer_value(json_object_get(args, "impact")), 1);
    assert_int_equal(json_integer_value(json_object_get(args, "urgency")), 1);
    assert_int_equal(json_integer_value(json_object_get(args, "flap_window")), 600);
    json_decref(args);
    json_decref(a);
    /* Without a summary the alertname, without either the fingerprint; an unknown severity
     * word counts as warning. */
    a = s_json("{\"status\":\"firing\",\"fingerprint\":\"fp-2\",\"labels\":{\"alertname\":\"Up\","
               "\"severity\":\"page-me-maybe\"}}");
    args = sd_alerts_am_args(&s_cfg, &s_prom, a, why);
    assert_string_equal(s_get(args, "title"), "Up");
    assert_int_equal(json_integer_value(json_object_get(args, "impact")), 2);
    assert_int_equal(json_integer_value(json_object_get(args, "urgency")), 2);
    json_decref(args);
    json_decref(a);
    a = s_json("{\"status\":\"firing\",\"fingerprint\":\"fp-3\"}");
    args = sd_alerts_am_args(&s_cfg, &s_prom, a, why);
    assert_string_equal(s_get(args, "title"), "fp-3");
    assert_null(json_object_get(args, "labels"));
    json_decref(args);
    json_decref(a);
    /* A label that is not a string is refused with its name. */
    a = s_json("{\"status\":\"firing\",\"fingerprint\":\"fp-4\",\"labels\":{\"n\":1}}");
    assert_null(sd_alerts_am_args(&s_cfg, &s_prom, a, why));
    assert_non_null(strstr(why, "labels.n: expected a string"));
    json_decref(a);
}

static void test_texts_fit_visibly(void **state)
{
    (void)state;
    char summary[700], desc[30000];
    for (size_t i = 0; i + 3 < sizeof summary; i += 3)
        memcpy(summary + i, "满", 3);
    summary[sizeof summary - 1 - (sizeof summary - 1) % 3] = 0;
    memset(desc, 'd', sizeof desc - 1);
    desc[sizeof desc - 1] = 0;
    json_t *a = json_pack("{s:s, s:s, s:{s:s, s:s}}", "status", "firing", "fingerprint", "fp",
                          "annotations", "summary", summary, "description", desc);
    char why[SD_ALERTS_WHY_MAX] = "";
    json_t *args = sd_alerts_am_args(&s_cfg, &s_prom, a, why);
    const char *title = s_get(args, "title"), *d = s_get(args, "description");
    assert_true(strlen(title) <= SD_TITLE_MAX);
    assert_string_equal(title + strlen(title) - 3, "…");
    assert_int_equal(strncmp(title, "满满满", 9), 0);
    assert_true(strlen(d) <= SD_TEXT_MAX);
    assert_string_equal(d + strlen(d) - 3, "…");
    json_decref(args);
    json_decref(a);
}

/* sd_alerts_pd_check of text fails with a reason holding want (NULL: it passes). */
static void s_pdc(const char *text, const char *want)
{
    json_t *body = s_json(text);
    char why[SD_ALERTS_WHY_MAX] = "";
    bool ok = sd_alerts_pd_check(&s_pd, body, why);
    json_decref(body);
    if (!want ? !ok : ok || !strstr(why, want))
        fail_msg("wanted %s%s, got '%s': %s", want ? "a refusal with " : "a pass", want ? want : "",
                 why, text);
}

#define PAYLOAD "\"payload\":{\"summary\":\"s\",\"source\":\"db1\",\"severity\":\"error\"}"

static void test_pd_strict(void **state)
{
    (void)state;
    s_pdc("{\"routing_key\":\"R1\",\"event_action\":\"trigger\"," PAYLOAD "}", NULL);
    s_pdc("{\"routing_key\":\"R1\",\"event_action\":\"resolve\",\"dedup_key\":\"k\"}", NULL);
    s_pdc(
        "{\"routing_key\":\"R1\",\"event_action\":\"trigger\",\"dedup_key\":\"k\",\"client\":\"c\","
        "\"client_url\":\"u\",\"images\":[],\"links\":[]," PAYLOAD "}",
        NULL);
    s_pdc("{\"routing_key\":\"R2\",\"event_action\":\"resolve\",\"dedup_key\":\"k\"}",
          "not the routing key of source pd");
    s_pdc("{\"event_action\":\"resolve\",\"dedup_key\":\"k\"}", "body.routing_key: missing");
    s_pdc("{\"routing_key\":\"R1\",\"event_action\":\"snooze\",\"dedup_key\":\"k\"}",
          "expected trigger, acknowledge or resolve");
    s_pdc("{\"routing_key\":\"R1\",\"event_action\":\"acknowledge\"}",
          "body.dedup_key: required by acknowledge");
    s_pdc("{\"routing_key\":\"R1\",\"event_action\":\"trigger\"}", "body.payload: missing");
    s_pdc("{\"routing_key\":\"R1\",\"event_action\":\"trigger\",\"payload\":{\"source\":\"a\","
          "\"severity\":\"info\"}}",
          "payload.summary: missing");
    s_pdc("{\"routing_key\":\"R1\",\"event_action\":\"trigger\",\"payload\":{\"summary\":\"s\","
          "\"source\":\"a\",\"severity\":\"fatal\"}}",
          "payload.severity: expected critical, error, warning or info");
    s_pdc("{\"routing_key\":\"R1\",\"event_action\":\"trigger\",\"payload\":{\"summary\":\"s\","
          "\"source\":\"a\",\"severity\":\"info\",\"mood\":\"bad\"}}",
          "payload: unknown key 'mood'");
    s_pdc("{\"routing_key\":\"R1\",\"event_action\":\"resolve\",\"dedup_key\":\"k\",\"x\":1}",
          "body: unknown key 'x'");
    s_pdc("{\"routing_key\":\"R1\",\"event_action\":\"resolve\",\"dedup_key\":\"k\",\"links\":{}}",
          "body.links: expected an array");
    char big[1400];
    snprintf(
        big, sizeof big,
        "{\"routing_key\":\"R1\",\"event_action\":\"trigger\",\"payload\":{\"summary\":\"%01025d\","
        "\"source\":\"a\",\"severity\":\"info\"}}",
        0);
    s_pdc(big, "payload.summary: longer than 1024 bytes");
}

static void test_pd_mapping(void **state)
{
    (void)state;
    json_t *body = s_json("{\"routing_key\":\"R1\",\"event_action\":\"trigger\",\"client_url\":"
                          "\"http://nagios/db1\",\"payload\":{\"summary\":\"Disk full\",\"source\":"
                          "\"db1\",\"severity\":\"info\",\"custom_details\":{\"free\":\"1%\"}}}");
    json_t *args = sd_alerts_pd_args(&s_cfg, &s_pd, body, "db1/disk");
    char id[SD_ID_MAX + 1];
    sd_alert_id_for("pd", "db1/disk", id);
    assert_string_equal(s_get(args, "id"), id);
    assert_string_equal(s_get(args, "status"), "firing");
    assert_string_equal(s_get(args, "title"), "Disk full");
    assert_string_equal(s_get(args, "url"), "http://nagios/db1");
    assert_string_equal(s_get(args, "severity"), "info");
    assert_non_null(strstr(s_get(args, "description"), "\"free\": \"1%\""));
    assert_int_equal(json_integer_value(json_object_get(args, "impact")), 3);
    assert_null(json_object_get(args, "team"));
    json_decref(args);
    json_decref(body);
    body = s_json("{\"routing_key\":\"R1\",\"event_action\":\"acknowledge\",\"dedup_key\":\"k\"}");
    args = sd_alerts_pd_args(&s_cfg, &s_pd, body, "k");
    assert_string_equal(s_get(args, "status"), "acknowledged");
    assert_null(json_object_get(args, "title"));
    json_decref(args);
    json_decref(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_am_strict),         cmocka_unit_test(test_am_mapping),
        cmocka_unit_test(test_texts_fit_visibly), cmocka_unit_test(test_pd_strict),
        cmocka_unit_test(test_pd_mapping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
