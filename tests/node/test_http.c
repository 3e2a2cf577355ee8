/* test_http.c - the HTTP layer's pure parts: JSON <-> msgpack, record versions (ETags), problem
 * statuses and field pointers, and the http config section and --http option. The routes
 * against a real node are tests/http (Node.js) and tests/integration/test_http.sh. */
#include "config.h"
#include "digest.h"
#include "error.h"
#include "json_mp.h"
#include "problem.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* JSON text -> msgpack -> sd_mp node -> JSON text. */
static char *s_round_trip(const char *text)
{
    json_error_t err;
    json_t *in = json_loads(text, 0, &err);
    assert_non_null(in);
    sd_mp_writer_t *w = sd_mp_writer_new();
    char pointer[64];
    assert_int_equal(sd_json_to_mp(in, w, pointer, sizeof pointer), 0);
    size_t len;
    const void *bytes = sd_mp_writer_data(w, &len);
    sd_mp_doc_t *doc;
    assert_int_equal(sd_mp_doc_parse(bytes, len, &doc), 0);
    json_t *out = sd_mp_to_json(sd_mp_doc_root(doc));
    assert_non_null(out);
    char *dump = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(out);
    json_decref(in);
    sd_mp_doc_destroy(&doc);
    sd_mp_writer_destroy(&w);
    return dump;
}

static void test_round_trip(void **state)
{
    (void)state;
    const char *cases[] = {
        "{\"a\":1,\"b\":\"x\",\"c\":null,\"d\":true,\"e\":false}",
        "{\"list\":[1,-2,9007199254740993,\"打印机\"],\"nested\":{\"k\":[]}}",
        "{\"big\":4611686018427387904,\"neg\":-9223372036854775807}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_error_t err;
        json_t *want = json_loads(cases[i], 0, &err);
        char *expect = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS);
        char *got = s_round_trip(cases[i]);
        assert_string_equal(got, expect);
        free(got);
        free(expect);
        json_decref(want);
    }
}

static void test_real_refused_with_pointer(void **state)
{
    (void)state;
    json_error_t err;
    json_t *in = json_loads("{\"ok\":1,\"a/b\":[0,{\"x~\":1.5}]}", 0, &err);
    sd_mp_writer_t *w = sd_mp_writer_new();
    char pointer[64];
    assert_int_equal(sd_json_to_mp(in, w, pointer, sizeof pointer), SD_ETYPE);
    /* RFC 6901: "/" is ~1 and "~" is ~0 */
    assert_string_equal(pointer, "#/a~1b/1/x~0");
    json_decref(in);
    sd_mp_writer_destroy(&w);
}

static void test_bin_is_hex(void **state)
{
    (void)state;
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_mp_map(w, 1);
    sd_mp_str(w, "sig");
    const uint8_t bin[] = {0xc4, 3, 0x00, 0xab, 0xff}; /* bin 8 of 3 bytes */
    sd_mp_raw(w, bin, sizeof bin);
    size_t len;
    const void *bytes = sd_mp_writer_data(w, &len);
    sd_mp_doc_t *doc;
    assert_int_equal(sd_mp_doc_parse(bytes, len, &doc), 0);
    json_t *out = sd_mp_to_json(sd_mp_doc_root(doc));
    assert_string_equal(json_string_value(json_object_get(out, "sig")), "00abff");
    json_decref(out);
    sd_mp_doc_destroy(&doc);
    sd_mp_writer_destroy(&w);
}

/* The version of raw msgpack bytes. */
static void s_version(const uint8_t *bytes, size_t len, char hex[33])
{
    sd_mp_doc_t *doc;
    assert_int_equal(sd_mp_doc_parse(bytes, len, &doc), 0);
    assert_int_equal(sd_mp_node_version(sd_mp_doc_root(doc), hex), 0);
    sd_mp_doc_destroy(&doc);
}

static void test_version(void **state)
{
    (void)state;
    /* {"n": 5} with 5 as a fixint and as a uint16: the same object, the same version */
    const uint8_t fix[] = {0x81, 0xa1, 'n', 0x05};
    const uint8_t wide[] = {0x81, 0xa1, 'n', 0xcd, 0x00, 0x05};
    const uint8_t other[] = {0x81, 0xa1, 'n', 0x06};
    const uint8_t str[] = {0x81, 0xa1, 'n', 0xa1, '5'};
    char a[33], b[33], c[33], d[33];
    s_version(fix, sizeof fix, a);
    s_version(wide, sizeof wide, b);
    s_version(other, sizeof other, c);
    s_version(str, sizeof str, d);
    assert_int_equal(strlen(a), 32);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_string_not_equal(a, d);
}

static void test_problem_status(void **state)
{
    (void)state;
    assert_int_equal(sd_problem_status(SD_EUNAUTHENTICATED), 401);
    assert_int_equal(sd_problem_status(SD_EFORBIDDEN), 403);
    assert_int_equal(sd_problem_status(SD_ENOTFOUND), 404);
    assert_int_equal(sd_problem_status(SD_ETRANSITION), 409);
    assert_int_equal(sd_problem_status(SD_EDUPLICATE), 409);
    assert_int_equal(sd_problem_status(SD_ETOOLONG), 422);
    assert_int_equal(sd_problem_status(SD_ERANGE), 422);
    assert_int_equal(sd_problem_status(SD_EUTF8), 422);
    assert_int_equal(sd_problem_status(SD_ETOOBIG), 413);
    assert_int_equal(sd_problem_status(SD_EPRECONDITION), 412);
    assert_int_equal(sd_problem_status(SD_EBUSY), 429);
    assert_int_equal(sd_problem_status(SD_EUNAVAILABLE), 503);
    assert_int_equal(sd_problem_status(SD_EFULL), 507);
    assert_int_equal(sd_problem_status(SD_ESTORE), 500);
}

static void test_http_option(void **state)
{
    (void)state;
    sd_config_t cfg;
    char err[256];
    assert_int_equal(sd_config_defaults(&cfg, "/tmp/sd-test-http", err, sizeof err), 0);
    assert_int_equal(cfg.http.port, SD_HTTP_DEFAULT_PORT);
    assert_string_equal(cfg.http.address, "127.0.0.1");
    assert_false(cfg.http.port_set);
    assert_int_equal(sd_config_http_option(&cfg.http, "127.0.0.1:8123", err, sizeof err), 0);
    assert_int_equal(cfg.http.port, 8123);
    assert_true(cfg.http.port_set);
    assert_int_equal(sd_config_http_option(&cfg.http, "9000", err, sizeof err), 0);
    assert_int_equal(cfg.http.port, 9000);
    assert_int_equal(sd_config_http_option(&cfg.http, "[::1]:9001", err, sizeof err), 0);
    assert_string_equal(cfg.http.address, "::1");
    assert_int_equal(cfg.http.port, 9001);
    assert_int_equal(sd_config_http_option(&cfg.http, "off", err, sizeof err), 0);
    assert_int_equal(cfg.http.port, 0);
    const char *bad[] = {"", "0", "70000", "12x", "localhost:80", ":80", "1.2.3.4.5:80"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(sd_config_http_option(&cfg.http, bad[i], err, sizeof err), SD_ECONFIG);
    /* Passwords and tokens in clear beyond loopback: refused until TLS is configured. */
    assert_int_equal(sd_config_http_option(&cfg.http, "0.0.0.0:8443", err, sizeof err), SD_ECONFIG);
    assert_non_null(strstr(err, "not loopback"));
    strcpy(cfg.http.tls_cert, "/etc/ssl/c.pem");
    strcpy(cfg.http.tls_key, "/etc/ssl/k.pem");
    assert_int_equal(sd_config_http_option(&cfg.http, "0.0.0.0:8443", err, sizeof err), 0);
    cfg.http.tls_key[0] = 0;
    assert_int_equal(sd_config_http_check(&cfg.http, err, sizeof err), SD_ECONFIG);
    assert_non_null(strstr(err, "go together"));
    sd_config_clear(&cfg);
}

static void test_http_keys(void **state)
{
    (void)state;
    sd_config_t cfg;
    char err[256];
    assert_int_equal(sd_config_defaults(&cfg, "/tmp/sd-test-http", err, sizeof err), 0);
    assert_int_equal(sd_config_http_key(&cfg, "port", "0", err, sizeof err), 0);
    assert_int_equal(cfg.http.port, 0);
    assert_int_equal(sd_config_http_key(&cfg, "port", "65536", err, sizeof err), SD_ECONFIG);
    assert_int_equal(sd_config_http_key(&cfg, "address", "example.org", err, sizeof err),
                     SD_ECONFIG);
    assert_int_equal(sd_config_http_key(&cfg, "console", "/srv/console", err, sizeof err), 0);
    assert_string_equal(cfg.http.console, "/srv/console");
    assert_int_equal(sd_config_http_key(&cfg, "tls", "yes", err, sizeof err), SD_ECONFIG);
    assert_non_null(strstr(err, "known:"));
    sd_config_clear(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_real_refused_with_pointer),
        cmocka_unit_test(test_bin_is_hex),     cmocka_unit_test(test_version),
        cmocka_unit_test(test_problem_status), cmocka_unit_test(test_http_option),
        cmocka_unit_test(test_http_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
