/* test_malformed.c - malformed requests sent raw to a real node get error replies; it keeps
 * serving. */
#include "harness.h"

#include "error.h"

#include <czmq.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct {
    char dir[64];        /* temp dir */
    sd_test_node_t node; /* the node under test */
    sd_client_t *client; /* a client of it */
} s_fixture_t;

static int s_setup(void **state)
{
    s_fixture_t *f = calloc(1, sizeof *f);
    char data[96];
    if (!f || !sd_test_tempdir(f->dir, sizeof f->dir))
        return -1;
    snprintf(data, sizeof data, "%s/node", f->dir);
    if (!sd_test_node_start(&f->node, data) || !(f->client = sd_test_client(&f->node, 5000)))
        return -1;
    *state = f;
    return 0;
}

static int s_teardown(void **state)
{
    s_fixture_t *f = *state;
    sd_client_destroy(&f->client);
    int rc = sd_test_node_stop(&f->node, SIGTERM);
    sd_test_rmtree(f->dir);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* A string literal's bytes without its terminating NUL. */
#define RAW(lit) (lit), (sizeof(lit) - 1)

/* Sends raw bytes; asserts an error reply with the wire name `code`. */
static void s_expect_error(s_fixture_t *f, const void *data, size_t len, int code)
{
    void *out = NULL;
    size_t out_len = 0;
    assert_int_equal(sd_client_call_raw(f->client, data, len, &out, &out_len), 0);
    sd_reply_t reply;
    assert_int_equal(sd_reply_decode(out, out_len, &reply), 0);
    assert_false(reply.ok);
    if (reply.code != code)
        fail_msg("wanted %s, got %s: %s", sd_error_name(code), sd_error_name(reply.code),
                 reply.message);
    assert_true(strlen(reply.message) > 0);
    sd_reply_clear(&reply);
    free(out);
}

static void s_expect_serving(s_fixture_t *f)
{
    sd_request_t req = {.op = SD_REQ_NODE_PING};
    sd_reply_t reply;
    assert_int_equal(sd_client_call(f->client, &req, &reply), 0);
    assert_true(reply.ok);
    sd_reply_clear(&reply);
}

/* A request map {"v":1,"op":OP,"args":{NAME: <raw value bytes>}} built by hand. */
static size_t s_request(uint8_t *buf, const char *op, const char *arg, const uint8_t *value,
                        size_t vlen)
{
    size_t n = 0;
    buf[n++] = 0x83;
    buf[n++] = 0xa1, buf[n++] = 'v', buf[n++] = 0x01;
    buf[n++] = 0xa2, buf[n++] = 'o', buf[n++] = 'p';
    buf[n++] = (uint8_t)(0xa0 | strlen(op));
    memcpy(buf + n, op, strlen(op)), n += strlen(op);
    buf[n++] = 0xa4, memcpy(buf + n, "args", 4), n += 4;
    buf[n++] = 0x81;
    buf[n++] = (uint8_t)(0xa0 | strlen(arg));
    memcpy(buf + n, arg, strlen(arg)), n += strlen(arg);
    memcpy(buf + n, value, vlen);
    return n + vlen;
}

static void test_not_msgpack(void **state)
{
    s_fixture_t *f = *state;
    s_expect_error(f, RAW("hello"), SD_ETRAILING);  /* 0x68 is the integer 104 */
    s_expect_error(f, RAW("\xa5hel"), SD_EMSGPACK); /* truncated string */
    s_expect_error(f, "", 0, SD_EMSGPACK);
    s_expect_error(f, RAW("\xc1"), SD_EMSGPACK);
    s_expect_error(f, RAW("\x82\xa1v"), SD_EMSGPACK); /* truncated */
    s_expect_serving(f);
}

static void test_size_and_nesting_bombs(void **state)
{
    s_fixture_t *f = *state;
    s_expect_error(f, RAW("\xdd\xff\xff\xff\xff"), SD_EMSGPACK); /* array of 4 G elements */
    s_expect_error(f, RAW("\xdf\xff\xff\xff\xff"), SD_EMSGPACK); /* map of 4 G pairs */
    uint8_t deep[64];
    memset(deep, 0x91, sizeof deep); /* [[[[...]]]] */
    deep[63] = 0x01;
    s_expect_error(f, deep, sizeof deep, SD_ETOOBIG);
    size_t big = SD_MESSAGE_MAX + 1;
    char *huge = calloc(1, big);
    s_expect_error(f, huge, big, SD_ETOOBIG);
    free(huge);
    s_expect_serving(f);
}

static void test_wrong_shape(void **state)
{
    s_fixture_t *f = *state;
    s_expect_error(f, RAW("\x93\x01\x02\x03"), SD_ETYPE);           /* not a map */
    s_expect_error(f, RAW("\x81\xa2op\xa9node.ping"), SD_EMISSING); /* no v */
    s_expect_error(f, RAW("\x82\xa1v\x02\xa2op\xa9node.ping"), SD_EVERSION);
    s_expect_error(f, RAW("\x82\xa1v\x01\xa2op\xa4nope"), SD_EUNKNOWN_OP);
    s_expect_error(f, RAW("\x83\xa1v\x01\xa2op\xa9node.ping\xa1x\x01"), SD_EUNKNOWN_FIELD);
    s_expect_error(f, RAW("\x82\xa1v\x01\xa2op\xa9node.ping\x01"), SD_ETRAILING);
    /* "auth" is a token string; a wrong one is refused, though the ipc peer could act alone. */
    s_expect_error(f,
                   RAW("\x83\xa1v\x01\xa2op\xab"
                       "ticket.list\xa4"
                       "auth\x2a"),
                   SD_ETYPE);
    s_expect_error(f,
                   RAW("\x83\xa1v\x01\xa2op\xab"
                       "ticket.list\xa4"
                       "auth\xa7"
                       "sdt_bad"),
                   SD_EUNAUTHENTICATED);
    s_expect_serving(f);
}

static void test_bad_arguments(void **state)
{
    s_fixture_t *f = *state;
    uint8_t buf[512];
    s_expect_error(f, buf, s_request(buf, "ticket.get", "id", (const uint8_t *)"\x2a", 1),
                   SD_ETYPE);
    s_expect_error(f, buf, s_request(buf, "ticket.get", "colour", (const uint8_t *)"\xa1x", 2),
                   SD_EUNKNOWN_FIELD);
    s_expect_error(f, buf, s_request(buf, "ticket.get", "title", (const uint8_t *)"\xa1x", 2),
                   SD_EUNKNOWN_FIELD); /* an argument of another op */
    s_expect_error(f, buf, s_request(buf, "ticket.get", "id", (const uint8_t *)"\xa2\xc3\x28", 3),
                   SD_EUTF8);
    s_expect_error(f, buf, s_request(buf, "ticket.get", "id", (const uint8_t *)"\xa2\x41\x00", 3),
                   SD_EUTF8);
    uint8_t long_id[2 + SD_ID_MAX + 1] = {0xd9, SD_ID_MAX + 1}; /* str8 of 33 bytes */
    memset(long_id + 2, 'A', SD_ID_MAX + 1);
    s_expect_error(f, buf, s_request(buf, "ticket.get", "id", long_id, sizeof long_id),
                   SD_ETOOLONG);
    s_expect_error(f, buf, s_request(buf, "ticket.assign", "id", (const uint8_t *)"\xa1x", 2),
                   SD_EMISSING); /* assignee missing */
    s_expect_error(f, buf, s_request(buf, "ticket.ack", "author", (const uint8_t *)"\xa1x", 2),
                   SD_EUNKNOWN_FIELD); /* the node names the author, never the client */
    s_expect_error(f, buf, s_request(buf, "ticket.get", "id", (const uint8_t *)"\xa4X-99", 5),
                   SD_ENOTFOUND);
    s_expect_serving(f);
}

static void test_bad_framing(void **state)
{
    s_fixture_t *f = *state;
    zsock_t *dealer = zsock_new_dealer(f->node.endpoint);
    assert_non_null(dealer);
    zsock_set_rcvtimeo(dealer, 5000);
    zstr_sendm(dealer, "one");
    zstr_sendm(dealer, "two");
    zstr_send(dealer, "three");
    zmsg_t *msg = zmsg_recv(dealer);
    assert_non_null(msg);
    zframe_t *body = zmsg_last(msg);
    sd_reply_t reply;
    assert_int_equal(sd_reply_decode(zframe_data(body), zframe_size(body), &reply), 0);
    assert_false(reply.ok);
    assert_int_equal(reply.code, SD_EFRAMING);
    sd_reply_clear(&reply);
    zmsg_destroy(&msg);
    zsock_destroy(&dealer);

    /* A REQ socket (empty delimiter frame) is served too. */
    zsock_t *req = zsock_new_req(f->node.endpoint);
    zsock_set_rcvtimeo(req, 5000);
    zsock_send(req, "b", RAW("\x82\xa1v\x01\xa2op\xa9node.ping"));
    msg = zmsg_recv(req);
    assert_non_null(msg);
    assert_int_equal(zmsg_size(msg), 1);
    body = zmsg_first(msg);
    assert_int_equal(sd_reply_decode(zframe_data(body), zframe_size(body), &reply), 0);
    assert_true(reply.ok);
    sd_reply_clear(&reply);
    zmsg_destroy(&msg);
    zsock_destroy(&req);
    s_expect_serving(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_msgpack), cmocka_unit_test(test_size_and_nesting_bombs),
        cmocka_unit_test(test_wrong_shape), cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_bad_framing),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
