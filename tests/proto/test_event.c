/* test_event.c - ticket events: encode/decode round trips and strict rejection (proto/event.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "event.h"
#include "ticket.h"
#include "hlc.h"
#include "proto_test.h"

#include <stdlib.h>
#include <string.h>

#define T0         1700000000000ull /* a wall time, Unix ms */
#define HLC(ms, n) (((uint64_t)(ms) << 16) | (n))

typedef struct {
    sd_mp_writer_t *w;
    sd_event_t ev;  /* what is sent */
    sd_event_t out; /* what is received */
    sd_fault_t fault;
} s_fix_t;

SD_TEST_FIXTURE_SETUP(s_setup, s_fix_t)

static int s_teardown(void **state)
{
    s_fix_t *f = *state;
    sd_event_clear(&f->ev);
    sd_event_clear(&f->out);
    sd_mp_writer_destroy(&f->w);
    free(f);
    return 0;
}

static void s_envelope(sd_event_t *ev, int op, uint64_t seq)
{
    strcpy(ev->origin, "APAC");
    ev->seq = seq;
    ev->hlc = HLC(T0 + seq, 3);
    strcpy(ev->key, "APAC-000001");
    assert_int_equal(sd_event_start(ev, &sd_kind_ticket, op), 0);
    strcpy(ev->author, "alice");
}

/* A create event carrying every register of a new ticket. */
static void s_fill_create(sd_event_t *ev)
{
    s_envelope(ev, SD_OP_CREATE, 1);
    sd_ticket_t *t = sd_event_ticket(ev);
    t->created_at = T0;
    t->origin_site = strdup("APAC");
    t->type = SD_TYPE_INCIDENT;
    t->major = true;
    t->title = strdup("VPN down in the Sydney office");
    t->description = strdup("Since 09:00 local time.\nAll users affected.");
    t->requester = strdup("bob@example.com");
    t->channel = SD_CHANNEL_PHONE;
    t->category = strdup("network/vpn");
    t->impact = 1;
    t->urgency = 2;
    t->priority = SD_P1;
    t->response_due = T0 + 15 * 60000;
    t->resolve_due = T0 + 4 * 3600000;
    t->tier = SD_TIER_L1_5;
    t->team = strdup("Network");
    t->assignee = strdup("carol");
    t->owner = strdup("alice");
    t->owner_site = strdup("APAC");
    t->handover_note = strdup("Follow the sun \xE2\x86\x92 EMEA");
    t->status = SD_STATUS_NEW;
    t->waiting_on = SD_WAIT_NONE;
    ev->mask = sd_ticket_all_fields();
}

/* A resolve: the whole status register, most of it unset. */
static void s_fill_resolve(sd_event_t *ev)
{
    s_envelope(ev, SD_OP_RESOLVE, 9);
    sd_event_ticket(ev)->status = SD_STATUS_RESOLVED;
    sd_event_ticket(ev)->acknowledged_at = T0 + 60000;
    sd_event_ticket(ev)->resolved_at = T0 + 3600000;
    sd_event_ticket(ev)->resolution = strdup("Restarted the VPN concentrator.");
    sd_event_ticket(ev)->reopen_count = 1;
    ev->mask = sd_ticket_register_mask(SD_REG_STATUS);
}

static void s_fill_comment(sd_event_t *ev)
{
    s_envelope(ev, SD_OP_COMMENT, 5);
    sd_event_comment(ev)->body = strdup("Called the user back;\nwaiting for a screenshot.");
    sd_event_comment(ev)->public_reply = true;
}

static int s_round_trip(s_fix_t *f)
{
    sd_mp_writer_reset(f->w);
    sd_event_encode(&f->ev, f->w);
    assert_int_equal(sd_mp_writer_error(f->w), 0);
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    return sd_event_decode(data, len, &f->out, &f->fault);
}

static void s_assert_same_event(const sd_event_t *a, const sd_event_t *b)
{
    assert_string_equal(a->origin, b->origin);
    assert_int_equal(a->seq, b->seq);
    assert_int_equal(a->hlc, b->hlc);
    assert_string_equal(a->key, b->key);
    assert_int_equal(a->op, b->op);
    assert_string_equal(a->author, b->author);
    assert_int_equal(a->mask, b->mask);
    assert_true(sd_fields_equal(sd_ticket_fields, sd_ticket_field_count, sd_event_ticket(a),
                                sd_event_ticket(b), a->mask));
    if (a->op == SD_OP_COMMENT) {
        assert_string_equal(sd_event_comment(a)->body, sd_event_comment(b)->body);
        assert_int_equal(sd_event_comment(a)->public_reply, sd_event_comment(b)->public_reply);
    }
}

/* ---- round trips ----------------------------------------------------------- */

static void test_event_create_round_trip(void **state)
{
    s_fix_t *f = *state;
    s_fill_create(&f->ev);
    assert_int_equal(s_round_trip(f), 0);
    s_assert_same_event(&f->ev, &f->out);
    assert_string_equal(sd_event_ticket(&f->out)->handover_note,
                        "Follow the sun \xE2\x86\x92 EMEA");
    assert_null(sd_event_ticket(&f->out)->resolution); /* carried as nil */
}

static void test_event_status_transition_round_trip(void **state)
{
    s_fix_t *f = *state;
    s_fill_resolve(&f->ev);
    assert_int_equal(s_round_trip(f), 0);
    s_assert_same_event(&f->ev, &f->out);
    assert_int_equal(sd_event_ticket(&f->out)->status, SD_STATUS_RESOLVED);
    assert_null(sd_event_ticket(&f->out)->title); /* not carried */
}

static void test_event_comment_round_trip(void **state)
{
    s_fix_t *f = *state;
    s_fill_comment(&f->ev);
    assert_int_equal(s_round_trip(f), 0);
    s_assert_same_event(&f->ev, &f->out);
    assert_int_equal(f->out.mask, 0);
}

static void test_event_assign_round_trip(void **state)
{
    s_fix_t *f = *state;
    s_envelope(&f->ev, SD_OP_ASSIGN, 3);
    sd_event_ticket(&f->ev)->tier = SD_TIER_VENDOR;
    sd_event_ticket(&f->ev)->team = strdup("Cisco TAC");
    sd_event_ticket(&f->ev)->assignee = NULL; /* unassigned from a person, given to a team */
    f->ev.mask = sd_ticket_register_mask(SD_REG_ASSIGN);
    assert_int_equal(s_round_trip(f), 0);
    s_assert_same_event(&f->ev, &f->out);
}

static void test_event_encode_is_deterministic(void **state)
{
    s_fix_t *f = *state;
    s_fill_create(&f->ev);
    assert_int_equal(s_round_trip(f), 0);
    size_t len1, len2;
    const void *d1 = sd_mp_writer_data(f->w, &len1);
    void *first = malloc(len1);
    assert_non_null(first);
    memcpy(first, d1, len1);
    sd_mp_writer_reset(f->w);
    sd_event_encode(&f->out, f->w); /* the decoded copy encodes to the same bytes */
    const void *d2 = sd_mp_writer_data(f->w, &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(first, d2, len1);
    free(first);
}

/* ---- hand-written events, to break one rule at a time --------------------------- */

typedef struct {
    uint64_t v;
    const char *origin;
    uint64_t seq;
    const char *op;
    const char *entity; /* NULL: "ticket" */
} s_env_t;

static const s_env_t s_good = {SD_PROTO_VERSION, "EMEA", 7, "comment", NULL};

/* Writes a map of `pairs` pairs and its 8 envelope pairs; the caller adds the rest. */
static void s_write_envelope(sd_mp_writer_t *w, uint32_t pairs, const s_env_t *e)
{
    sd_mp_map(w, pairs);
    sd_mp_str(w, "v");
    sd_mp_u64(w, e->v);
    sd_mp_str(w, "origin");
    sd_mp_str(w, e->origin);
    sd_mp_str(w, "seq");
    sd_mp_u64(w, e->seq);
    sd_mp_str(w, "hlc");
    sd_mp_u64(w, HLC(T0, 0));
    sd_mp_str(w, "entity");
    sd_mp_str(w, e->entity ? e->entity : "ticket");
    sd_mp_str(w, "key");
    sd_mp_str(w, "EMEA-000007");
    sd_mp_str(w, "op");
    sd_mp_str(w, e->op);
    sd_mp_str(w, "author");
    sd_mp_str(w, "dave");
}

static void s_write_comment_fields(sd_mp_writer_t *w)
{
    sd_mp_str(w, "fields");
    sd_mp_map(w, 2);
    sd_mp_str(w, "body");
    sd_mp_str(w, "Checked the logs.");
    sd_mp_str(w, "public");
    sd_mp_bool(w, false);
}

/* A comment event with envelope e. */
static void s_write_comment_event(sd_mp_writer_t *w, const s_env_t *e)
{
    s_write_envelope(w, 9, e);
    s_write_comment_fields(w);
}

static int s_decode_written(s_fix_t *f)
{
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    sd_event_clear(&f->out);
    memset(&f->fault, 0, sizeof f->fault);
    int rc = sd_event_decode(data, len, &f->out, &f->fault);
    if (rc)
        assert_int_equal(f->fault.code, rc);
    return rc;
}

static void test_event_decode_hand_written(void **state)
{
    s_fix_t *f = *state;
    s_write_comment_event(f->w, &s_good);
    assert_int_equal(s_decode_written(f), 0);
    assert_string_equal(f->out.origin, "EMEA");
    assert_int_equal(f->out.seq, 7);
    assert_int_equal(f->out.op, SD_OP_COMMENT);
    assert_string_equal(sd_event_comment(&f->out)->body, "Checked the logs.");
    assert_false(sd_event_comment(&f->out)->public_reply);
}

static void test_event_decode_bad_version(void **state)
{
    s_fix_t *f = *state;
    const uint64_t versions[] = {0, 2, 1000};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        s_env_t e = s_good;
        e.v = versions[i];
        sd_mp_writer_reset(f->w);
        s_write_comment_event(f->w, &e);
        assert_int_equal(s_decode_written(f), SD_EVERSION);
        assert_fault_says(&f->fault, "event.v");
    }
}

/* Regression (fixed): event.h documents SD_EUNKNOWN_OP for an unknown operation, but "op" is
 * decoded as a plain ENUM field, so sd_event_decode returns SD_ERANGE
 * ("event.op: unknown value, expected one of: ..."). */
static void test_event_decode_unknown_op(void **state)
{
    s_fix_t *f = *state;
    s_env_t e = s_good;
    e.op = "explode";
    s_write_comment_event(f->w, &e);
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_OP);
    assert_fault_says(&f->fault, "event.op");
}

static void test_event_decode_seq_zero(void **state)
{
    s_fix_t *f = *state;
    s_env_t e = s_good;
    e.seq = 0;
    s_write_comment_event(f->w, &e);
    assert_int_equal(s_decode_written(f), SD_ERANGE);
    assert_fault_says(&f->fault, "event.seq");
}

static void test_event_decode_invalid_origin(void **state)
{
    s_fix_t *f = *state;
    static const struct {
        const char *origin;
        int rc;
    } cases[] = {
        {"emea", SD_ERANGE},
        {"EM EA", SD_ERANGE},
        {"", SD_ERANGE},
        {"EMEA/2", SD_ERANGE},
        {"\xC3\x89MEA", SD_ERANGE}, /* "ÉMEA" */
        {"EMEA\t", SD_EUTF8},
        {"ABCDEFGHIJKLMNOPQ", SD_ETOOLONG},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s_env_t e = s_good;
        e.origin = cases[i].origin;
        sd_mp_writer_reset(f->w);
        s_write_comment_event(f->w, &e);
        assert_int_equal(s_decode_written(f), cases[i].rc);
        assert_fault_says(&f->fault, "event.origin");
    }
    /* The longest valid site id. */
    s_env_t e = s_good;
    e.origin = "ABCDEFGHIJ-_0123";
    sd_mp_writer_reset(f->w);
    s_write_comment_event(f->w, &e);
    assert_int_equal(s_decode_written(f), 0);
}

static void test_event_decode_partial_register(void **state)
{
    s_fix_t *f = *state;
    s_env_t e = s_good;
    e.op = "resolve";
    s_write_envelope(f->w, 9, &e);
    sd_mp_str(f->w, "fields");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "status");
    sd_mp_str(f->w, "resolved"); /* without resolved_at, resolution, ... */
    assert_int_equal(s_decode_written(f), SD_EMISSING);
    assert_fault_says(&f->fault, "event.fields.acknowledged_at");
    assert_int_equal(f->out.mask, 0); /* cleared on error */

    /* Impact and urgency without the priority they determine. */
    e.op = "update";
    sd_mp_writer_reset(f->w);
    s_write_envelope(f->w, 9, &e);
    sd_mp_str(f->w, "fields");
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "impact");
    sd_mp_u64(f->w, 1);
    sd_mp_str(f->w, "urgency");
    sd_mp_u64(f->w, 1);
    assert_int_equal(s_decode_written(f), SD_EMISSING);
    assert_fault_says(&f->fault, "event.fields.priority");

    /* The same through the encoder: a mask that cuts a register. */
    s_fill_resolve(&f->ev);
    f->ev.mask &= ~(1ull << sd_fields_find(sd_ticket_fields, sd_ticket_field_count, "closed_at"));
    assert_int_equal(s_round_trip(f), SD_EMISSING);
    assert_fault_says(&f->fault, "event.fields.closed_at");
}

static void test_event_decode_unknown_field_in_fields(void **state)
{
    s_fix_t *f = *state;
    s_env_t e = s_good;
    e.op = "update";
    s_write_envelope(f->w, 9, &e);
    sd_mp_str(f->w, "fields");
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "title");
    sd_mp_str(f->w, "Printer jams");
    sd_mp_str(f->w, "severity");
    sd_mp_str(f->w, "high");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "event.fields");
    assert_fault_says(&f->fault, "'severity'");
    assert_null(f->out.fields); /* freed on error */

    /* A comment's fields are body and public only. */
    sd_mp_writer_reset(f->w);
    s_write_envelope(f->w, 9, &s_good);
    sd_mp_str(f->w, "fields");
    sd_mp_map(f->w, 3);
    sd_mp_str(f->w, "body");
    sd_mp_str(f->w, "x");
    sd_mp_str(f->w, "public");
    sd_mp_bool(f->w, true);
    sd_mp_str(f->w, "title");
    sd_mp_str(f->w, "x");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "'title'");
}

static void test_event_decode_extra_envelope_key(void **state)
{
    s_fix_t *f = *state;
    s_write_envelope(f->w, 10, &s_good);
    s_write_comment_fields(f->w);
    sd_mp_str(f->w, "trace");
    sd_mp_str(f->w, "abc");
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "event");

    /* A non-string key is a wrong type, as in requests (PROTOCOL.md). */
    sd_mp_writer_reset(f->w);
    s_write_envelope(f->w, 10, &s_good);
    s_write_comment_fields(f->w);
    sd_mp_u64(f->w, 1);
    sd_mp_u64(f->w, 1);
    assert_int_equal(s_decode_written(f), SD_ETYPE);
}

static void test_event_decode_duplicate_envelope_key(void **state)
{
    s_fix_t *f = *state;
    s_write_envelope(f->w, 10, &s_good);
    s_write_comment_fields(f->w);
    sd_mp_str(f->w, "seq");
    sd_mp_u64(f->w, 8);
    assert_int_equal(s_decode_written(f), SD_EDUPLICATE);
    assert_fault_says(&f->fault, "event.seq");
}

/* Regression (fixed): sd_event_decode_node skips every "fields" key when it checks the
 * envelope and then takes the first one with sd_mp_get, so an event with two
 * "fields" maps is accepted (the second silently ignored) instead of failing
 * with SD_EDUPLICATE like any other repeated key. */
static void test_event_decode_duplicate_fields_key(void **state)
{
    s_fix_t *f = *state;
    s_write_envelope(f->w, 10, &s_good);
    s_write_comment_fields(f->w);
    sd_mp_str(f->w, "fields");
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "body");
    sd_mp_str(f->w, "A different body.");
    sd_mp_str(f->w, "public");
    sd_mp_bool(f->w, true);
    assert_int_equal(s_decode_written(f), SD_EDUPLICATE);
}

static void test_event_decode_missing_parts(void **state)
{
    s_fix_t *f = *state;
    s_write_envelope(f->w, 8, &s_good); /* no "fields" */
    assert_int_equal(s_decode_written(f), SD_EMISSING);
    assert_fault_says(&f->fault, "event.fields");

    /* No "author": write all but the last envelope pair by hand. */
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 8);
    sd_mp_str(f->w, "v");
    sd_mp_u64(f->w, SD_PROTO_VERSION);
    sd_mp_str(f->w, "origin");
    sd_mp_str(f->w, "EMEA");
    sd_mp_str(f->w, "seq");
    sd_mp_u64(f->w, 1);
    sd_mp_str(f->w, "hlc");
    sd_mp_u64(f->w, 1);
    sd_mp_str(f->w, "entity");
    sd_mp_str(f->w, "ticket");
    sd_mp_str(f->w, "key");
    sd_mp_str(f->w, "EMEA-000001");
    sd_mp_str(f->w, "op");
    sd_mp_str(f->w, "comment");
    s_write_comment_fields(f->w);
    assert_int_equal(s_decode_written(f), SD_EMISSING);
    assert_fault_says(&f->fault, "event.author");

    /* A comment without a body. */
    sd_mp_writer_reset(f->w);
    s_write_envelope(f->w, 9, &s_good);
    sd_mp_str(f->w, "fields");
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "public");
    sd_mp_bool(f->w, true);
    assert_int_equal(s_decode_written(f), SD_EMISSING);
    assert_fault_says(&f->fault, "event.fields.body");
}

static void test_event_decode_malformed(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(sd_event_decode("\xc1", 1, &f->out, &f->fault), SD_EMSGPACK);
    assert_int_equal(f->fault.code, SD_EMSGPACK);
    assert_int_equal(sd_event_decode("\x90", 1, &f->out, &f->fault), SD_ETYPE); /* [] */
    s_write_comment_event(f->w, &s_good);
    sd_mp_nil(f->w); /* one object too many */
    assert_int_equal(s_decode_written(f), SD_ETRAILING);
    /* Only the kinds of proto/kinds.def exist. */
    s_env_t e = s_good;
    e.entity = "invoice";
    sd_mp_writer_reset(f->w);
    s_write_comment_event(f->w, &e);
    assert_int_equal(s_decode_written(f), SD_ERANGE);
    assert_fault_says(&f->fault, "event.entity");
    /* A kind takes only its own ops: users get no comments. */
    e.entity = "user";
    sd_mp_writer_reset(f->w);
    s_write_comment_event(f->w, &e);
    assert_int_equal(s_decode_written(f), SD_EUNKNOWN_OP);
    assert_fault_says(&f->fault, "event.op");
    sd_mp_writer_reset(f->w);
    s_write_envelope(f->w, 9, &s_good);
    sd_mp_str(f->w, "fields");
    sd_mp_nil(f->w); /* fields must be a map */
    assert_int_equal(s_decode_written(f), SD_ETYPE);
}

static void test_event_decode_message_too_big(void **state)
{
    s_fix_t *f = *state;
    /* One bin object of n bytes in all: too big above SD_MESSAGE_MAX, else merely not a map. */
    for (size_t n = SD_MESSAGE_MAX; n <= SD_MESSAGE_MAX + 1; n++) {
        uint8_t *buf = calloc(1, n);
        assert_non_null(buf);
        uint32_t body = (uint32_t)(n - 5);
        buf[0] = 0xc6;
        buf[1] = (uint8_t)(body >> 24), buf[2] = (uint8_t)(body >> 16);
        buf[3] = (uint8_t)(body >> 8), buf[4] = (uint8_t)body;
        int rc = sd_event_decode(buf, n, &f->out, &f->fault);
        free(buf);
        assert_int_equal(rc, n > SD_MESSAGE_MAX ? SD_ETOOBIG : SD_ETYPE);
        assert_int_equal(f->fault.code, rc);
        assert_fault_says(&f->fault, "event");
    }
}

static void test_event_site_and_op_names(void **state)
{
    (void)state;
    assert_true(sd_site_valid("APAC"));
    assert_true(sd_site_valid("US-EAST_2"));
    assert_false(sd_site_valid(""));
    assert_false(sd_site_valid("apac"));
    assert_false(sd_site_valid("ABCDEFGHIJKLMNOPQ")); /* 17 */
    assert_string_equal(sd_op_name(SD_OP_CREATE), "create");
    assert_string_equal(sd_op_name(SD_OP_COMMENT), "comment");
    assert_string_equal(sd_op_name(SD_OP_COUNT_), "?");
    assert_string_equal(sd_op_name(-1), "?");
    sd_event_clear(NULL);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        T(test_event_create_round_trip),
        T(test_event_status_transition_round_trip),
        T(test_event_comment_round_trip),
        T(test_event_assign_round_trip),
        T(test_event_encode_is_deterministic),
        T(test_event_decode_hand_written),
        T(test_event_decode_bad_version),
        T(test_event_decode_unknown_op),
        T(test_event_decode_seq_zero),
        T(test_event_decode_invalid_origin),
        T(test_event_decode_partial_register),
        T(test_event_decode_unknown_field_in_fields),
        T(test_event_decode_extra_envelope_key),
        T(test_event_decode_duplicate_envelope_key),
        T(test_event_decode_duplicate_fields_key),
        T(test_event_decode_missing_parts),
        T(test_event_decode_malformed),
        T(test_event_decode_message_too_big),
        T(test_event_site_and_op_names),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
