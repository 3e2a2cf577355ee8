/* test_request.c - client requests and replies: round trips per operation and strict checks
 * (proto/request.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "request.h"
#include "proto_test.h"
#include "request_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    sd_mp_writer_t *w;
    sd_request_t req; /* what the client sends */
    sd_request_t out; /* what the node decodes */
    sd_reply_t reply;
    sd_fault_t fault;
} s_fix_t;

SD_TEST_FIXTURE_SETUP(s_setup, s_fix_t)

static int s_teardown(void **state)
{
    s_fix_t *f = *state;
    sd_request_clear(&f->req);
    sd_request_clear(&f->out); /* also after a failed decode */
    sd_reply_clear(&f->reply);
    sd_mp_writer_destroy(&f->w);
    free(f);
    return 0;
}

/* Gives argument `name` of req->op's group its sample value, the way the CLI does. */
static void s_give(sd_request_t *req, const char *name)
{
    int i = sd_req_arg_find(req->op, name);
    if (i < 0)
        fail_msg("no argument %s in the group of %s", name, sd_req_op_name(req->op));
    sd_fault_t fault = {0};
    bool found = false;
    for (size_t k = 0; k < sizeof s_samples / sizeof s_samples[0]; k++) {
        if (strcmp(s_samples[k].name, name) == 0) {
            found = true;
            if (sd_request_set(req, i, s_samples[k].text, &fault) == 0)
                return;
        }
    }
    if (found)
        fail_msg("%s: %s", name, fault.text);
    fail_msg("no sample for %s", name);
}

/* Gives every argument of a space-separated list. */
static void s_give_all(sd_request_t *req, const char *names)
{
    char copy[256], *save = NULL;
    snprintf(copy, sizeof copy, "%s", names);
    for (char *n = strtok_r(copy, " ", &save); n; n = strtok_r(NULL, " ", &save))
        s_give(req, n);
}

#define OP_COUNT (sizeof s_ops / sizeof s_ops[0])

/* Decodes what was written by hand into f->out (cleared first). */
static int s_decode_written(s_fix_t *f)
{
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    sd_request_clear(&f->out);
    memset(&f->fault, 0, sizeof f->fault);
    int rc = sd_request_decode(data, len, &f->out, &f->fault);
    if (rc)
        assert_int_equal(f->fault.code, rc);
    return rc;
}

/* Encodes f->req and decodes it into f->out, as the node would. */
static int s_send(s_fix_t *f)
{
    sd_mp_writer_reset(f->w);
    sd_request_encode(&f->req, f->w);
    assert_int_equal(sd_mp_writer_error(f->w), 0);
    return s_decode_written(f);
}

/* Decodes what was written by hand into f->reply. */
static int s_decode_reply(s_fix_t *f)
{
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    return sd_reply_decode(data, len, &f->reply);
}

/* The start of a hand-written request: a map of pairs pairs, the first two
 * "v": SD_PROTO_VERSION and "op": op; the caller writes the other pairs. */
static void s_write_head(sd_mp_writer_t *w, uint32_t pairs, const char *op)
{
    sd_mp_map(w, pairs);
    sd_mp_str(w, "v");
    sd_mp_u64(w, SD_PROTO_VERSION);
    sd_mp_str(w, "op");
    sd_mp_str(w, op);
}

/* {"v": v, "id": id, "op": op, "args": {}} */
static void s_write_request(sd_mp_writer_t *w, uint64_t v, uint64_t id, const char *op)
{
    sd_mp_map(w, 4);
    sd_mp_str(w, "v");
    sd_mp_u64(w, v);
    sd_mp_str(w, "id");
    sd_mp_u64(w, id);
    sd_mp_str(w, "op");
    sd_mp_str(w, op);
    sd_mp_str(w, "args");
    sd_mp_map(w, 0);
}

static void s_assert_round_trip(s_fix_t *f)
{
    assert_int_equal(s_send(f), 0);
    assert_int_equal(f->out.op, f->req.op);
    assert_int_equal(f->out.id, f->req.id);
    assert_int_equal(f->out.present, f->req.present);
    const sd_field_t *fields;
    size_t n = sd_req_op_fields(f->req.op, &fields);
    assert_true(n == 0 || sd_fields_equal(fields, n, &f->req.args, &f->out.args, f->req.present));
}

/* ---- round trips ------------------------------------------------------------- */

static void test_request_op_names(void **state)
{
    (void)state;
    assert_int_equal(OP_COUNT, SD_REQ_COUNT_);
    for (size_t i = 0; i < OP_COUNT; i++) {
        assert_string_equal(sd_req_op_name(s_ops[i].op), s_ops[i].name);
        assert_int_equal(sd_req_op_value(s_ops[i].name), s_ops[i].op);
        assert_int_equal(sd_req_op_writes(s_ops[i].op), s_ops[i].writes);
    }
    assert_string_equal(sd_req_op_name(SD_REQ_COUNT_), "?");
    assert_int_equal(sd_req_op_value("ticket.delete"), -1);
    assert_false(sd_req_op_writes(-1));
}

static void test_request_round_trip_each_op_required_args(void **state)
{
    s_fix_t *f = *state;
    for (size_t i = 0; i < OP_COUNT; i++) {
        sd_request_clear(&f->req);
        f->req.id = 1000 + i;
        f->req.op = s_ops[i].op;
        s_give_all(&f->req, s_ops[i].required);
        s_assert_round_trip(f);
    }
}

static void test_request_round_trip_each_op_all_args(void **state)
{
    s_fix_t *f = *state;
    for (size_t i = 0; i < OP_COUNT; i++) {
        sd_request_clear(&f->req);
        f->req.id = UINT64_MAX - i;
        f->req.op = s_ops[i].op;
        s_give_all(&f->req, s_ops[i].required);
        s_give_all(&f->req, s_ops[i].optional);
        s_assert_round_trip(f);
    }
}

static void test_request_new_ticket_values(void **state)
{
    s_fix_t *f = *state;
    f->req.id = 1;
    f->req.op = SD_REQ_TICKET_NEW;
    s_give_all(&f->req, "title requester impact tier major");
    assert_int_equal(s_send(f), 0);
    assert_string_equal(f->out.args.ticket.title, "Laptop will not boot");
    assert_int_equal(f->out.args.ticket.impact, 2);
    assert_int_equal(f->out.args.ticket.tier, 1); /* "L1.5" */
    assert_true(f->out.args.ticket.major);
    assert_true(sd_request_has(&f->out, SD_ARG_TICKET_REQUESTER));
    assert_false(sd_request_has(&f->out, SD_ARG_TICKET_URGENCY));
    assert_false(sd_request_has(&f->out, -1)); /* what sd_req_arg_find says of an unknown name */
    assert_int_equal(sd_req_arg_find(SD_REQ_TICKET_NEW, "no-such-argument"), -1);
}

static void test_request_minimal_envelope(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 2); /* no id, no args */
    sd_mp_str(f->w, "op");
    sd_mp_str(f->w, "node.ping");
    sd_mp_str(f->w, "v");
    sd_mp_u64(f->w, SD_PROTO_VERSION);
    assert_int_equal(s_decode_written(f), 0);
    assert_int_equal(f->out.op, SD_REQ_NODE_PING);
    assert_int_equal(f->out.id, 0);
    assert_int_equal(f->out.present, 0);
}

/* ---- rejections ----------------------------------------------------------------- */

static void test_request_unknown_op(void **state)
{
    s_fix_t *f = *state;
    s_write_request(f->w, SD_PROTO_VERSION, 77, "ticket.explode");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_OP);
    assert_int_equal(f->out.id, 77); /* kept so that the error reply can echo it */
    assert_fault_says(&f->fault, "request.op");
    /* Not a string either. */
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "v");
    sd_mp_u64(f->w, SD_PROTO_VERSION);
    sd_mp_str(f->w, "op");
    sd_mp_u64(f->w, SD_REQ_TICKET_GET);
    assert_int_equal(s_decode_written(f), SD_ETYPE);
}

static void test_request_arg_not_taken_by_op(void **state)
{
    s_fix_t *f = *state;
    f->req.id = 5;
    f->req.op = SD_REQ_TICKET_GET;
    s_give_all(&f->req, "id title"); /* title is an argument, but not of ticket.get */
    assert_int_equal(s_send(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "args.title");
    assert_fault_says(&f->fault, "ticket.get");
    assert_int_equal(f->out.id, 5);

    /* An argument of another op's group: node.ping has none. */
    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "node.ping");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "id");
    sd_mp_str(f->w, "APAC-000001");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "args.id: not an argument of node.ping");

    /* ... checked as its own group would, before it is refused. */
    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "schedule.coverage");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "title");
    sd_mp_u64(f->w, 5);
    assert_int_equal(s_decode_written(f), SD_ETYPE);
    assert_fault_says(&f->fault, "args.title: expected a string");

    /* A misplaced argument is reported as such, not as the one it stands in for. */
    sd_request_clear(&f->req);
    f->req.op = SD_REQ_TICKET_RESOLVE;
    s_give_all(&f->req, "id reason"); /* reason is for pending, reopen, cancel */
    assert_int_equal(s_send(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "args.reason: not an argument of ticket.resolve");

    /* A name no operation knows. */
    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "ticket.get");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "id");
    sd_mp_str(f->w, "APAC-000001");
    sd_mp_str(f->w, "verbose");
    sd_mp_bool(f->w, true);
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "'verbose'");
}

static void test_request_missing_each_required_arg(void **state)
{
    s_fix_t *f = *state;
    for (size_t i = 0; i < OP_COUNT; i++) {
        char names[128], *save = NULL;
        snprintf(names, sizeof names, "%s", s_ops[i].required);
        for (char *drop = strtok_r(names, " ", &save); drop; drop = strtok_r(NULL, " ", &save)) {
            sd_request_clear(&f->req);
            f->req.op = s_ops[i].op;
            s_give_all(&f->req, s_ops[i].required);
            s_give_all(&f->req, s_ops[i].optional);
            const sd_field_t *fields;
            size_t n = sd_req_op_fields(s_ops[i].op, &fields);
            int bit = sd_req_arg_find(s_ops[i].op, drop);
            sd_fields_free(fields, n, &f->req.args, 1ull << bit);
            f->req.present &= ~(1ull << bit);
            assert_int_equal(s_send(f), SD_EMISSING);
            char want[64];
            snprintf(want, sizeof want, "args.%s: required by %s", drop, s_ops[i].name);
            assert_fault_says(&f->fault, want);
        }
    }
}

/* Regression (fixed): a required argument given as nil passes. The args table has no
 * SD_F_REQUIRED flags (requirement is per op), so sd_field_decode takes nil as
 * NULL and sets the present bit, and the op's "required" check is satisfied:
 * {"v":1,"op":"ticket.get","args":{"id":nil}} decodes with args.id == NULL,
 * which node/server.c then passes to sd_store_get_ticket (strlen(NULL)), and
 * a nil "author" reaches strcpy in node/workflow.c. Same for NONEMPTY strings
 * such as title in ticket.update, which nil sets to NULL. */
static void test_request_nil_for_required_arg(void **state)
{
    s_fix_t *f = *state;
    s_write_head(f->w, 3, "ticket.get");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "id");
    sd_mp_nil(f->w);
    int rc = s_decode_written(f);
    if (rc != SD_EMISSING && rc != SD_ETYPE)
        fail_msg("ticket.get with id nil: rc %d, args.id %s", rc,
                 f->out.args.ticket.id ? "set" : "NULL");
}

static void test_request_bad_arg_value_names_it(void **state)
{
    s_fix_t *f = *state;
    s_write_head(f->w, 3, "ticket.list");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "limit");
    sd_mp_u64(f->w, SD_LIST_MAX + 1);
    assert_int_equal(s_decode_written(f), SD_ERANGE);
    assert_fault_says(&f->fault, "args.limit");

    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "ticket.list");
    sd_mp_str(f->w, "args");
    sd_mp_array(f->w, 0); /* args must be a map */
    assert_int_equal(s_decode_written(f), SD_ETYPE);
    assert_fault_says(&f->fault, "args");
}

static void test_request_wrong_version(void **state)
{
    s_fix_t *f = *state;
    s_write_request(f->w, 2, 9, "node.ping");
    assert_int_equal(s_decode_written(f), SD_EVERSION);
    assert_fault_says(&f->fault, "request.v");
    assert_int_equal(f->out.id, 9);

    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "op");
    sd_mp_str(f->w, "node.ping");
    assert_int_equal(s_decode_written(f), SD_EMISSING); /* no v */

    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "v");
    sd_mp_str(f->w, "1");
    sd_mp_str(f->w, "op");
    sd_mp_str(f->w, "node.ping");
    assert_int_equal(s_decode_written(f), SD_ETYPE); /* v is an integer */
}

static void test_request_envelope_strict(void **state)
{
    s_fix_t *f = *state;
    s_write_head(f->w, 3, "node.ping");
    sd_mp_str(f->w, "token");
    sd_mp_str(f->w, "secret");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    /* Top-level errors name the key. */
    assert_string_equal(f->fault.text,
                        "request: unknown field 'token' (allowed: v, id, op, args, auth, "
                        "if_match, idempotency_key)");

    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "node.ping");
    sd_mp_str(f->w, "op");
    sd_mp_str(f->w, "ticket.new");
    assert_int_equal(s_decode_written(f), SD_EDUPLICATE);
    assert_string_equal(f->fault.text, "request.op: given twice");

    sd_mp_writer_reset(f->w);
    sd_mp_str(f->w, "node.ping"); /* not a map */
    assert_int_equal(s_decode_written(f), SD_ETYPE);

    assert_int_equal(sd_request_decode("\x80\x00", 2, &f->out, &f->fault), SD_ETRAILING);
    assert_int_equal(f->fault.code, SD_ETRAILING);
}

/* A client off the node's ipc socket proves who it is with "auth": a token, one line. */
static void test_request_auth_token(void **state)
{
    s_fix_t *f = *state;
    f->req.id = 8;
    f->req.op = SD_REQ_AUTH_WHOAMI;
    f->req.token = strdup("sdt_0123456789abcdef");
    assert_non_null(f->req.token);
    assert_int_equal(s_send(f), 0);
    assert_string_equal(f->out.token, "sdt_0123456789abcdef");

    /* Without it the request carries no token (the ipc peer's account speaks). */
    free(f->req.token);
    f->req.token = NULL;
    assert_int_equal(s_send(f), 0);
    assert_null(f->out.token);

    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "auth.whoami");
    sd_mp_str(f->w, "auth");
    sd_mp_u64(f->w, 42);
    assert_int_equal(s_decode_written(f), SD_ETYPE);
    assert_fault_says(&f->fault, "auth");

    sd_mp_writer_reset(f->w);
    s_write_head(f->w, 3, "auth.whoami");
    sd_mp_str(f->w, "auth");
    sd_mp_str(f->w, "sdt_a\nsdt_b");
    assert_int_not_equal(s_decode_written(f), 0);
    assert_fault_says(&f->fault, "auth");
}

/* The node records the authenticated caller as the author: a client cannot name one. */
static void test_request_author_refused(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(sd_req_arg_find(SD_REQ_TICKET_ACK, "author"), -1);
    s_write_head(f->w, 3, "ticket.ack");
    sd_mp_str(f->w, "args");
    sd_mp_map(f->w, 1); /* refused before the missing id is noticed */
    sd_mp_str(f->w, "author");
    sd_mp_str(f->w, "mallory");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    assert_string_equal(f->fault.text, "args.author: not accepted; the node records the "
                                       "authenticated caller as the author");
}

/* ---- replies ---------------------------------------------------------------------- */

static void test_reply_ok_echoes_request_id(void **state)
{
    s_fix_t *f = *state;
    f->req.id = 123456789;
    f->req.op = SD_REQ_TICKET_GET;
    s_give(&f->req, "id");
    assert_int_equal(s_send(f), 0);

    sd_mp_writer_reset(f->w); /* the node answers */
    sd_reply_ok_begin(f->w, f->out.id);
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "id");
    sd_mp_str(f->w, f->out.args.ticket.id);
    assert_int_equal(s_decode_reply(f), 0);
    assert_true(f->reply.ok);
    assert_int_equal(f->reply.id, 123456789);
    assert_non_null(f->reply.result);
    assert_true(sd_mp_str_eq(sd_mp_get(f->reply.result, "id"), "APAC-000042"));
}

static void test_reply_error_gives_code_and_message(void **state)
{
    s_fix_t *f = *state;
    sd_reply_error(f->w, 41, SD_ENOTFOUND, "no ticket APAC-000099");
    assert_int_equal(s_decode_reply(f), 0);
    assert_false(f->reply.ok);
    assert_int_equal(f->reply.id, 41);
    assert_int_equal(f->reply.code, SD_ENOTFOUND);
    assert_string_equal(f->reply.message, "no ticket APAC-000099");
    assert_null(f->reply.result);
    sd_reply_clear(&f->reply);

    /* Without a message, the code's text is sent. */
    sd_mp_writer_reset(f->w);
    sd_reply_error(f->w, 42, SD_ETRANSITION, NULL);
    assert_int_equal(s_decode_reply(f), 0);
    assert_int_equal(f->reply.code, SD_ETRANSITION);
    assert_string_equal(f->reply.message, sd_strerror(SD_ETRANSITION));
}

static void test_reply_every_error_code_survives(void **state)
{
    s_fix_t *f = *state;
    for (int code = -1; code > -SD_ERROR_COUNT_; code--) {
        sd_mp_writer_reset(f->w);
        sd_reply_error(f->w, (uint64_t)-code, code, "why");
        sd_reply_clear(&f->reply);
        assert_int_equal(s_decode_reply(f), 0);
        assert_int_equal(f->reply.code, code);
        assert_int_equal(sd_error_from_name(sd_error_name(code)), code);
    }
    assert_string_equal(sd_error_name(1), "unknown");
    assert_string_equal(sd_strerror(-SD_ERROR_COUNT_), "unknown error");
    assert_int_equal(sd_error_from_name("no_such_error"), SD_EINVAL);
}

static void test_reply_decode_rejects_malformed(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(sd_reply_decode("\xc1", 1, &f->reply), SD_EMSGPACK);
    assert_null(f->reply.doc);

    sd_mp_map(f->w, 2); /* no "ok" */
    sd_mp_str(f->w, "v");
    sd_mp_u64(f->w, 1);
    sd_mp_str(f->w, "id");
    sd_mp_u64(f->w, 1);
    assert_int_equal(s_decode_reply(f), SD_EMSGPACK);
    assert_null(f->reply.doc);

    sd_mp_writer_reset(f->w); /* ok: true without a result */
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "ok");
    sd_mp_bool(f->w, true);
    sd_mp_str(f->w, "id");
    sd_mp_u64(f->w, 1);
    assert_int_equal(s_decode_reply(f), SD_EMSGPACK);

    sd_mp_writer_reset(f->w); /* an error without a message */
    sd_mp_map(f->w, 3);
    sd_mp_str(f->w, "ok");
    sd_mp_bool(f->w, false);
    sd_mp_str(f->w, "id");
    sd_mp_u64(f->w, 1);
    sd_mp_str(f->w, "error");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "code");
    sd_mp_str(f->w, "not_found");
    assert_int_equal(s_decode_reply(f), SD_EMSGPACK);
    assert_null(f->reply.doc);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        T(test_request_op_names),
        T(test_request_round_trip_each_op_required_args),
        T(test_request_round_trip_each_op_all_args),
        T(test_request_new_ticket_values),
        T(test_request_minimal_envelope),
        T(test_request_unknown_op),
        T(test_request_arg_not_taken_by_op),
        T(test_request_missing_each_required_arg),
        T(test_request_nil_for_required_arg),
        T(test_request_bad_arg_value_names_it),
        T(test_request_wrong_version),
        T(test_request_envelope_strict),
        T(test_request_auth_token),
        T(test_request_author_refused),
        T(test_reply_ok_echoes_request_id),
        T(test_reply_error_gives_code_and_message),
        T(test_reply_every_error_code_survives),
        T(test_reply_decode_rejects_malformed),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
