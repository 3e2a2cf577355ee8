/* test_ticket.c - the ticket record: stored form, comment order and ownership (proto/ticket.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "hlc.h"
#include "ticket.h"
#include "proto_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0         1700000000000ull
#define HLC(ms, n) (((uint64_t)(ms) << 16) | (n))

typedef struct {
    sd_mp_writer_t *w;
    sd_mp_doc_t *doc;
    sd_ticket_t t;   /* the ticket under test */
    sd_ticket_t out; /* decoded copy */
    sd_fault_t fault;
} s_fix_t;

SD_TEST_FIXTURE_SETUP(s_setup, s_fix_t)

static int s_teardown(void **state)
{
    s_fix_t *f = *state;
    sd_ticket_clear(&f->t);
    sd_ticket_clear(&f->out);
    sd_mp_doc_destroy(&f->doc);
    sd_mp_writer_destroy(&f->w);
    free(f);
    return 0;
}

/* Adds a comment the way the fold does: strings handed over to the ticket. */
static void s_comment(sd_ticket_t *t, uint64_t hlc, const char *origin, uint64_t seq,
                      const char *body)
{
    sd_comment_t c = {.hlc = hlc, .seq = seq, .public_reply = seq % 2 == 0};
    strcpy(c.origin, origin);
    c.author = strdup("agent");
    c.body = strdup(body);
    assert_int_equal(sd_ticket_add_comment(t, &c), 0);
    assert_null(c.author); /* taken, or freed as a duplicate */
    assert_null(c.body);
}

/* A ticket with every field, every stamp and a few comments. */
static void s_fill(sd_ticket_t *t)
{
    strcpy(t->id, "EMEA-000123");
    t->created_at = T0;
    t->origin_site = strdup("EMEA");
    t->type = SD_TYPE_CHANGE;
    t->major = false;
    t->title = strdup("Upgrade core switch firmware");
    t->description = strdup("Maintenance window Saturday.\r\nRollback plan attached.");
    t->requester = strdup("netops@example.com");
    t->channel = SD_CHANNEL_WEB;
    t->category = strdup("network/switching");
    t->impact = 2;
    t->urgency = 3;
    t->priority = SD_P3;
    t->response_due = T0 + 3600000;
    t->resolve_due = T0 + 86400000;
    t->tier = SD_TIER_L2;
    t->team = strdup("Network");
    t->assignee = strdup("erik");
    t->owner = strdup("sofia");
    t->owner_site = strdup("AMER");
    t->handover_note = strdup("Vendor case open; waiting for firmware.");
    t->status = SD_STATUS_CLOSED;
    t->acknowledged_at = T0 + 120000;
    t->reply_due = T0 + 7200000;
    t->waiting_on = SD_WAIT_VENDOR;
    t->resolved_at = T0 + 50000000;
    t->resolution = strdup("Firmware 17.9 installed.");
    t->closed_at = T0 + 60000000;
    t->satisfaction = 4;
    t->feedback = strdup("Smooth.");
    t->status_reason = strdup("Reopened once: port flaps.");
    t->reopen_count = 1;
    t->updated_at = T0 + 60000000;
    t->first_response_at = T0 + 100000;
    for (int r = 0; r < SD_REG_COUNT_; r++) {
        t->stamps[r].hlc = HLC(T0 + (uint64_t)r, r);
        strcpy(t->stamps[r].origin, r % 2 ? "EMEA" : "AMER");
    }
    s_comment(t, HLC(T0 + 5, 0), "EMEA", 3, "Scheduled.");
    s_comment(t, HLC(T0 + 9, 1), "AMER", 8, "Vendor says 17.9.\nOK to proceed.");
    s_comment(t, HLC(T0 + 2, 0), "EMEA", 2, "Internal: check spare.");
}

static const void *s_encode(s_fix_t *f, const sd_ticket_t *t, bool with_stamps, size_t *len)
{
    sd_mp_writer_reset(f->w);
    sd_ticket_encode(t, with_stamps, f->w);
    assert_int_equal(sd_mp_writer_error(f->w), 0);
    return sd_mp_writer_data(f->w, len);
}

static int s_decode(s_fix_t *f, const void *data, size_t len)
{
    sd_mp_doc_destroy(&f->doc);
    assert_int_equal(sd_mp_doc_parse(data, len, &f->doc), 0);
    sd_ticket_clear(&f->out);
    return sd_ticket_decode(sd_mp_doc_root(f->doc), &f->out, &f->fault);
}

/* Decodes what was written by hand into f->out. */
static int s_decode_written(s_fix_t *f)
{
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    return s_decode(f, data, len);
}

/* The stored form of t, in a malloc'd copy (the caller frees it): the next
 * s_encode() reuses the writer's buffer. */
static void *s_encode_copy(s_fix_t *f, const sd_ticket_t *t, size_t *len)
{
    const void *data = s_encode(f, t, true, len);
    void *copy = malloc(*len);
    assert_non_null(copy);
    memcpy(copy, data, *len);
    return copy;
}

/* Asserts that f->out, encoded again, gives the len bytes of first; then
 * frees the doc f->out was decoded from, and first. */
static void s_assert_encodes_again(s_fix_t *f, void *first, size_t len)
{
    size_t len2;
    const void *data = s_encode(f, &f->out, true, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(first, data, len);
    sd_mp_doc_destroy(&f->doc);
    free(first);
}

/* ---- stored form ------------------------------------------------------------ */

static void test_ticket_round_trip_identical_bytes(void **state)
{
    s_fix_t *f = *state;
    s_fill(&f->t);
    size_t len1;
    void *first = s_encode_copy(f, &f->t, &len1);
    assert_int_equal(s_decode(f, first, len1), 0);

    assert_string_equal(f->out.id, "EMEA-000123");
    assert_true(sd_fields_equal(sd_ticket_fields, sd_ticket_field_count, &f->t, &f->out,
                                sd_ticket_all_fields()));
    assert_int_equal(f->out.updated_at, f->t.updated_at);
    assert_int_equal(f->out.first_response_at, f->t.first_response_at);
    for (int r = 0; r < SD_REG_COUNT_; r++) {
        assert_int_equal(f->out.stamps[r].hlc, f->t.stamps[r].hlc);
        assert_string_equal(f->out.stamps[r].origin, f->t.stamps[r].origin);
    }
    assert_int_equal(f->out.ncomments, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(f->out.comments[i].hlc, f->t.comments[i].hlc);
        assert_int_equal(f->out.comments[i].seq, f->t.comments[i].seq);
        assert_string_equal(f->out.comments[i].origin, f->t.comments[i].origin);
        assert_string_equal(f->out.comments[i].body, f->t.comments[i].body);
        assert_int_equal(f->out.comments[i].public_reply, f->t.comments[i].public_reply);
    }

    s_assert_encodes_again(f, first, len1);
}

static void test_ticket_round_trip_sparse(void **state)
{
    s_fix_t *f = *state;
    /* A freshly created ticket: most strings unset (nil), no comments, no stamps. */
    strcpy(f->t.id, "APAC-000001");
    f->t.title = strdup("Password reset");
    f->t.requester = strdup("dan");
    f->t.impact = 3;
    f->t.urgency = 3;
    size_t len1;
    void *first = s_encode_copy(f, &f->t, &len1);
    assert_int_equal(s_decode(f, first, len1), 0);
    assert_null(f->out.description);
    assert_int_equal(f->out.ncomments, 0);
    s_assert_encodes_again(f, first, len1);
}

static void test_ticket_client_view_has_no_stamps(void **state)
{
    s_fix_t *f = *state;
    s_fill(&f->t);
    size_t len;
    const void *data = s_encode(f, &f->t, false, &len);
    assert_int_equal(sd_mp_doc_parse(data, len, &f->doc), 0);
    const sd_mp_node_t *root = sd_mp_doc_root(f->doc);
    assert_null(sd_mp_get(root, "stamps"));
    assert_true(sd_mp_str_eq(sd_mp_get(root, "status"), "closed"));
    assert_true(sd_mp_str_eq(sd_mp_get(root, "tier"), "L2"));
    const sd_mp_node_t *c0 = sd_mp_at(sd_mp_get(root, "comments"), 0);
    uint64_t at = 0;
    assert_int_equal(sd_mp_uint(sd_mp_get(c0, "at"), &at), 0);
    assert_int_equal(at, T0 + 2); /* the comment's wall time, from its hlc */
}

static void test_ticket_decode_rejects_corrupt(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "stamps");
    sd_mp_array(f->w, 3); /* must be 2 per register */
    sd_mp_u64(f->w, 1);
    sd_mp_str(f->w, "EMEA");
    sd_mp_u64(f->w, 2);
    assert_int_equal(s_decode_written(f), SD_ECORRUPT);
    assert_int_equal(f->fault.code, SD_ECORRUPT);

    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 2);
    sd_mp_str(f->w, "title");
    sd_mp_str(f->w, "ok");
    sd_mp_str(f->w, "colour");
    sd_mp_str(f->w, "red");
    assert_int_equal(s_decode_written(f), SD_ECORRUPT);

    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "comments");
    sd_mp_array(f->w, 1);
    sd_mp_map(f->w, 1); /* a comment without its fields */
    sd_mp_str(f->w, "body");
    sd_mp_str(f->w, "x");
    assert_int_equal(s_decode_written(f), SD_ECORRUPT);

    sd_mp_writer_reset(f->w);
    sd_mp_array(f->w, 0);
    assert_int_equal(s_decode_written(f), SD_ECORRUPT);
}

/* ---- comments ------------------------------------------------------------------ */

static void test_ticket_comments_sorted(void **state)
{
    s_fix_t *f = *state;
    s_comment(&f->t, 30, "APAC", 1, "e");
    s_comment(&f->t, 10, "EMEA", 5, "c");
    s_comment(&f->t, 10, "AMER", 9, "b");
    s_comment(&f->t, 20, "EMEA", 6, "d");
    s_comment(&f->t, 10, "AMER", 2, "a");
    assert_int_equal(f->t.ncomments, 5);
    const char *want = "abcde";
    for (size_t i = 0; i < 5; i++)
        assert_memory_equal(f->t.comments[i].body, &want[i], 1);
    /* (hlc, origin, seq) strictly increases. */
    assert_int_equal(f->t.comments[0].seq, 2);
    assert_int_equal(f->t.comments[1].seq, 9);
    assert_string_equal(f->t.comments[2].origin, "EMEA");
}

static void test_ticket_comment_duplicates_ignored(void **state)
{
    s_fix_t *f = *state;
    s_comment(&f->t, 10, "EMEA", 5, "first");
    s_comment(&f->t, 10, "EMEA", 5, "again"); /* the same event delivered twice */
    s_comment(&f->t, 99, "EMEA", 5, "later"); /* same identity, any stamp */
    s_comment(&f->t, 10, "AMER", 5, "other"); /* other origin: a different comment */
    s_comment(&f->t, 10, "EMEA", 6, "next");  /* other seq: a different comment */
    assert_int_equal(f->t.ncomments, 3);
    assert_string_equal(f->t.comments[0].body, "other");
    assert_string_equal(f->t.comments[1].body, "first");
    assert_string_equal(f->t.comments[2].body, "next");
}

/* Comment i of the order-independence test. */
static void s_comment_n(sd_ticket_t *t, int i)
{
    static const char *const sites[] = {"AMER", "APAC", "EMEA"};
    char body[16];
    snprintf(body, sizeof body, "c%d", i);
    s_comment(t, (uint64_t)(i % 7), sites[i % 3], (uint64_t)(i / 3 + 1), body);
}

static void test_ticket_comments_order_independent(void **state)
{
    s_fix_t *f = *state;
    enum { N = 40 };
    /* The same comments, each delivered twice, in opposite orders: the same bytes. */
    sd_ticket_t *a = &f->t, *b = &f->out;
    strcpy(a->id, "X-1");
    strcpy(b->id, "X-1");
    a->impact = b->impact = a->urgency = b->urgency = 1;
    for (int i = 0; i < N; i++)
        s_comment_n(a, i);
    for (int i = 0; i < N; i++)
        s_comment_n(a, i);
    for (int i = N - 1; i >= 0; i--) {
        s_comment_n(b, i);
        s_comment_n(b, (i * 13) % N);
    }
    assert_int_equal(a->ncomments, N);
    assert_int_equal(b->ncomments, N);
    size_t la, lb;
    void *copy = s_encode_copy(f, a, &la);
    const void *db = s_encode(f, b, true, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(copy, db, la);
    free(copy);
}

static void test_ticket_many_comments(void **state)
{
    s_fix_t *f = *state;
    for (uint64_t i = 0; i < 500; i++)
        s_comment(&f->t, (i * 7919) % 500, "APAC", i + 1, "x");
    assert_int_equal(f->t.ncomments, 500);
    for (size_t i = 1; i < f->t.ncomments; i++)
        assert_true(f->t.comments[i - 1].hlc <= f->t.comments[i].hlc);
}

/* ---- ownership, tables, names ----------------------------------------------------- */

static void test_ticket_clear_frees_and_zeroes(void **state)
{
    (void)state;
    sd_ticket_t t = {0}, zero = {0};
    s_fill(&t);
    sd_ticket_clear(&t); /* LeakSanitizer reports anything left behind */
    assert_memory_equal(&t, &zero, sizeof t);
    sd_ticket_clear(&t); /* twice is fine */
    sd_ticket_clear(NULL);
    s_fill(&t); /* and the ticket is usable again */
    assert_int_equal(t.ncomments, 3);
    sd_ticket_clear(&t);
}

static void test_ticket_register_masks(void **state)
{
    (void)state;
    uint64_t all = 0;
    for (int r = 0; r < SD_REG_COUNT_; r++) {
        uint64_t m = sd_ticket_register_mask(r);
        assert_true(m != 0);
        assert_int_equal(all & m, 0); /* registers do not overlap */
        all |= m;
    }
    assert_int_equal(all, sd_ticket_all_fields());
    assert_true(sd_ticket_field_count <= 64);
    assert_int_equal(sd_ticket_field("status")->group, SD_REG_STATUS);
    assert_int_equal(sd_ticket_field("resolution")->group, SD_REG_STATUS);
    assert_int_equal(sd_ticket_field("urgency")->group, SD_REG_PRIORITY);
    assert_int_equal(sd_ticket_field("assignee")->group, SD_REG_ASSIGN);
    assert_null(sd_ticket_field("id")); /* the key, not a field */
    assert_null(sd_ticket_field("comments"));
}

static void test_ticket_enum_names(void **state)
{
    (void)state;
    assert_string_equal(sd_status_name(SD_STATUS_IN_PROGRESS), "in_progress");
    assert_int_equal(sd_status_value("cancelled"), SD_STATUS_CANCELLED);
    assert_int_equal(sd_status_value("done"), -1);
    assert_string_equal(sd_status_name(SD_STATUS_COUNT_), "?");
    assert_string_equal(sd_priority_name(SD_P1), "P1");
    assert_int_equal(sd_priority_value("P4"), SD_P4);
    assert_string_equal(sd_tier_name(SD_TIER_L1_5), "L1.5");
    assert_string_equal(sd_type_name(SD_TYPE_SERVICE_REQUEST), "service_request");
    assert_string_equal(sd_channel_name(SD_CHANNEL_WALK_IN), "walk_in");
    assert_string_equal(sd_channel_name(-1), "?");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        T(test_ticket_round_trip_identical_bytes),
        T(test_ticket_round_trip_sparse),
        T(test_ticket_client_view_has_no_stamps),
        T(test_ticket_decode_rejects_corrupt),
        T(test_ticket_comments_sorted),
        T(test_ticket_comment_duplicates_ignored),
        T(test_ticket_comments_order_independent),
        T(test_ticket_many_comments),
        T(test_ticket_clear_frees_and_zeroes),
        T(test_ticket_register_masks),
        T(test_ticket_enum_names),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
