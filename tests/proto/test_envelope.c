/* test_envelope.c - what the HTTP API needs of the envelope: record versions (digest.h), the
 * if_match and idempotency_key keys, and the "allowed" of a bad_transition reply (request.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "digest.h"
#include "error.h"
#include "request.h"
#include "proto_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    sd_mp_writer_t *w;
    sd_request_t req;
    sd_reply_t reply;
    sd_fault_t fault;
} s_fix_t;

SD_TEST_FIXTURE_SETUP(s_setup, s_fix_t)

static int s_teardown(void **state)
{
    s_fix_t *f = *state;
    sd_request_clear(&f->req);
    sd_reply_clear(&f->reply);
    sd_mp_writer_destroy(&f->w);
    free(f);
    return 0;
}

/* The version of the object in bytes[0..len). */
static int s_version_of(const void *bytes, size_t len, char hex[SD_VERSION_HEX + 1])
{
    sd_mp_doc_t *doc = NULL;
    int rc = sd_mp_doc_parse(bytes, len, &doc) ?: sd_mp_node_version(sd_mp_doc_root(doc), hex);
    sd_mp_doc_destroy(&doc);
    return rc;
}

static void test_version_known_value(void **state)
{
    (void)state;
    char hex[SD_VERSION_HEX + 1];
    /* {"a": 1}: 81 a1 61 01; BLAKE2b-256 of it (Python: hashlib.blake2b(b, digest_size=32)). */
    assert_int_equal(s_version_of("\x81\xa1\x61\x01", 4, hex), 0);
    assert_string_equal(hex, "8127911aa0f933b977bbc44db495588e");
}

static void test_version_is_canonical(void **state)
{
    (void)state;
    char a[SD_VERSION_HEX + 1], b[SD_VERSION_HEX + 1];
    /* The same value in long forms: map 16, str 8, uint 64. */
    static const uint8_t longer[] = {0xde, 0x00, 0x01, 0xd9, 0x01, 0x61, 0xcf, 0,
                                     0,    0,    0,    0,    0,    0,    0x01};
    assert_int_equal(s_version_of("\x81\xa1\x61\x01", 4, a), 0);
    assert_int_equal(s_version_of(longer, sizeof longer, b), 0);
    assert_string_equal(a, b);
    /* Order counts: {"a":1,"b":2} and {"b":2,"a":1} are other bytes on the wire. */
    assert_int_equal(s_version_of("\x82\xa1\x61\x01\xa1\x62\x02", 7, a), 0);
    assert_int_equal(s_version_of("\x82\xa1\x62\x02\xa1\x61\x01", 7, b), 0);
    assert_string_not_equal(a, b);
    /* Another value, another version; negative ints, nil, bool, bin, arrays all hash. */
    assert_int_equal(s_version_of("\x81\xa1\x61\x01", 4, a), 0);
    assert_int_equal(s_version_of("\x81\xa1\x61\x02", 4, b), 0);
    assert_string_not_equal(a, b);
    assert_int_equal(s_version_of("\x94\xff\xc0\xc3\xc4\x01\x00", 7, a), 0);
    assert_int_equal(strspn(a, "0123456789abcdef"), SD_VERSION_HEX);
    /* A float has no place in a record. */
    assert_int_equal(s_version_of("\x91\xcb\x3f\xf0\0\0\0\0\0\0", 10, a), SD_ETYPE);
}

/* Writes {v:1, id:7, key: value, op, args: {arg: "APAC-000001"}} (no arg: empty args; no key:
 * four keys; value NULL: the uint 5) and decodes it into f->req. */
static int s_decode_with(s_fix_t *f, const char *op, const char *arg, const char *key,
                         const char *value)
{
    sd_request_clear(&f->req);
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, key ? 5 : 4);
    sd_mp_str(f->w, "v");
    sd_mp_u64(f->w, 1);
    sd_mp_str(f->w, "id");
    sd_mp_u64(f->w, 7);
    if (key) {
        sd_mp_str(f->w, key);
        if (value)
            sd_mp_str(f->w, value);
        else
            sd_mp_u64(f->w, 5);
    }
    sd_mp_str(f->w, "op");
    sd_mp_str(f->w, op);
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, arg ? 1 : 0);
    if (arg) {
        sd_mp_str(f->w, arg);
        sd_mp_str(f->w, "APAC-000001");
    }
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    f->fault = (sd_fault_t){0};
    return sd_request_decode(data, len, &f->req, &f->fault);
}

#define V32 "0123456789abcdef0123456789abcdef"

static void test_if_match(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(s_decode_with(f, "ticket.ack", "id", "if_match", V32), 0);
    assert_string_equal(f->req.if_match, V32);
    assert_int_equal(s_decode_with(f, "ticket.ack", "id", "if_match", NULL), SD_ETYPE);
    assert_int_equal(s_decode_with(f, "ticket.ack", "id", "if_match", "0123"), SD_ERANGE);
    assert_int_equal(
        s_decode_with(f, "ticket.ack", "id", "if_match", "0123456789ABCDEF0123456789abcdef"),
        SD_ERANGE);
    assert_int_equal(s_decode_with(f, "ticket.ack", "id", "if_match", V32 "0"), SD_ETOOLONG);
    assert_int_equal(s_decode_with(f, "ticket.ack", "id", "if_match", ""), SD_ERANGE);
    /* Creates and reads name no version. */
    assert_int_equal(s_decode_with(f, "ticket.new", "title", "if_match", V32), SD_EINVAL);
    assert_string_equal(f->fault.text,
                        "request.if_match: only on a write to an existing record (ticket.new "
                        "creates one)");
    assert_int_equal(s_decode_with(f, "ticket.get", "id", "if_match", V32), SD_EINVAL);
    /* Argument errors come first (section 3, step 5). */
    assert_int_equal(s_decode_with(f, "ticket.get", NULL, "if_match", V32), SD_EMISSING);
    assert_int_equal(s_decode_with(f, "node.ping", NULL, "if_match", V32), SD_EINVAL);
    assert_int_equal(f->req.id, 7);
}

static void test_idempotency_key(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(s_decode_with(f, "ticket.new", "title", "idempotency_key", "retry 1/a~"), 0);
    assert_string_equal(f->req.idempotency_key, "retry 1/a~");
    assert_int_equal(s_decode_with(f, "user.new", NULL, "idempotency_key", "k"), SD_EMISSING);
    assert_int_equal(s_decode_with(f, "token.new", NULL, "idempotency_key", "k"), 0);
    assert_int_equal(s_decode_with(f, "ticket.ack", "id", "idempotency_key", "k"), SD_EINVAL);
    assert_int_equal(s_decode_with(f, "ticket.list", NULL, "idempotency_key", "k"), SD_EINVAL);
    assert_int_equal(s_decode_with(f, "ticket.new", "title", "idempotency_key", "cl\xc3\xa9"),
                     SD_ERANGE);
    assert_int_equal(s_decode_with(f, "ticket.new", "title", "idempotency_key", "a\tb"), SD_EUTF8);
    assert_int_equal(s_decode_with(f, "ticket.new", "title", "idempotency_key", ""), SD_ERANGE);
    assert_int_equal(s_decode_with(f, "ticket.new", "title", "idempotency_key", NULL), SD_ETYPE);
    char key[SD_IDEMPOTENCY_KEY_MAX + 2];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = 0;
    assert_int_equal(s_decode_with(f, "ticket.new", "title", "idempotency_key", key), SD_ETOOLONG);
    key[SD_IDEMPOTENCY_KEY_MAX] = 0;
    assert_int_equal(s_decode_with(f, "ticket.new", "title", "idempotency_key", key), 0);
}

/* What a client sets is sent: encode, then decode gives the same keys. */
static void test_envelope_round_trip(void **state)
{
    s_fix_t *f = *state;
    sd_request_t req = {.op = SD_REQ_TICKET_ACK, .id = 9};
    assert_int_equal(sd_request_set(&req, SD_ARG_TICKET_ID, "APAC-000002", NULL), 0);
    req.if_match = strdup(V32);
    sd_mp_writer_reset(f->w);
    sd_request_encode(&req, f->w);
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    assert_int_equal(sd_request_decode(data, len, &f->req, &f->fault), 0);
    assert_string_equal(f->req.if_match, V32);
    assert_null(f->req.idempotency_key);
    sd_request_clear(&req);
    sd_request_clear(&f->req);

    req = (sd_request_t){.op = SD_REQ_TICKET_NEW};
    assert_int_equal(sd_request_set(&req, SD_ARG_TICKET_TITLE, "Printer", NULL), 0);
    req.idempotency_key = strdup("form-42");
    req.token = strdup("sdt_x");
    sd_mp_writer_reset(f->w);
    sd_request_encode(&req, f->w);
    data = sd_mp_writer_data(f->w, &len);
    assert_int_equal(sd_request_decode(data, len, &f->req, &f->fault), 0);
    assert_string_equal(f->req.idempotency_key, "form-42");
    assert_string_equal(f->req.token, "sdt_x");
    sd_request_clear(&req);
}

static int s_reply(s_fix_t *f)
{
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    sd_reply_clear(&f->reply);
    return sd_reply_decode(data, len, &f->reply);
}

static void test_reply_allowed(void **state)
{
    s_fix_t *f = *state;
    sd_reply_error_allowed(f->w, 4, SD_ETRANSITION, "ticket X is new", "ack, cancel, comment");
    assert_int_equal(s_reply(f), 0);
    assert_int_equal(f->reply.code, SD_ETRANSITION);
    assert_true(f->reply.has_allowed);
    assert_string_equal(f->reply.allowed, "ack, cancel, comment");
    assert_string_equal(f->reply.message, "ticket X is new");
    /* The error map's keys, in order. */
    sd_mp_doc_t *doc = f->reply.doc;
    const sd_mp_node_t *err = sd_mp_get(sd_mp_doc_root(doc), "error");
    assert_int_equal(sd_mp_len(err), 3);
    assert_true(sd_mp_str_eq(sd_mp_key(err, 2), "allowed"));
    assert_int_equal(sd_mp_len(sd_mp_val(err, 2)), 3);

    sd_mp_writer_reset(f->w);
    sd_reply_error_allowed(f->w, 4, SD_ETRANSITION, "final", "nothing (the ticket is final)");
    assert_int_equal(s_reply(f), 0);
    assert_true(f->reply.has_allowed);
    assert_string_equal(f->reply.allowed, "");
    assert_int_equal(sd_mp_len(sd_mp_val(sd_mp_get(sd_mp_doc_root(f->reply.doc), "error"), 2)), 0);

    sd_mp_writer_reset(f->w);
    sd_reply_error(f->w, 4, SD_ETRANSITION, "user x is already active");
    assert_int_equal(s_reply(f), 0);
    assert_false(f->reply.has_allowed);

    /* "allowed" that is not an array of str is a malformed reply. */
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 4);
    sd_mp_str(f->w, "v");
    sd_mp_u64(f->w, 1);
    sd_mp_str(f->w, "id");
    sd_mp_u64(f->w, 4);
    sd_mp_str(f->w, "ok");
    sd_mp_bool(f->w, false);
    sd_mp_str(f->w, "error");
    sd_mp_map(f->w, 3);
    sd_mp_str(f->w, "code");
    sd_mp_str(f->w, "bad_transition");
    sd_mp_str(f->w, "message");
    sd_mp_str(f->w, "m");
    sd_mp_str(f->w, "allowed");
    sd_mp_str(f->w, "ack");
    assert_int_equal(s_reply(f), SD_EMSGPACK);
}

static void test_precondition_code(void **state)
{
    (void)state;
    assert_string_equal(sd_error_name(SD_EPRECONDITION), "precondition_failed");
    assert_int_equal(sd_error_from_name("precondition_failed"), SD_EPRECONDITION);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        T(test_version_known_value), T(test_version_is_canonical), T(test_if_match),
        T(test_idempotency_key),     T(test_envelope_round_trip),  T(test_reply_allowed),
        T(test_precondition_code),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
