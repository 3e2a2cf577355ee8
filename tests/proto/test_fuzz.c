/* test_fuzz.c - seeded mutation fuzzing of the request and event decoders (SD_SEED=N re-runs a
 * seed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "event.h"
#include "request.h"
#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ITERATIONS 20000 /* per decoder; SD_FUZZ_ITERATIONS overrides */
#define MAX_INPUTS 8

/* ---- a small deterministic PRNG (xorshift64*) ------------------------------ */

static uint64_t s_seed, s_state;

static uint64_t s_rand(void)
{
    s_state ^= s_state >> 12;
    s_state ^= s_state << 25;
    s_state ^= s_state >> 27;
    return s_state * 0x2545F4914F6CDD1Dull;
}

/* Starts the stream `stream` of the seed (splitmix64, so near seeds differ). */
static void s_start(uint64_t stream)
{
    uint64_t z = s_seed + stream * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    s_state = z ? z : 1; /* xorshift needs a non-zero state */
}

static size_t s_below(size_t n)
{
    return n ? (size_t)(s_rand() % n) : 0;
}

static unsigned long s_iterations(void)
{
    const char *env = getenv("SD_FUZZ_ITERATIONS");
    return env && *env ? strtoul(env, NULL, 10) : ITERATIONS;
}

/* ---- seed inputs: valid encodings --------------------------------------------- */

typedef struct {
    uint8_t *data;
    size_t len;
} s_blob_t;

typedef struct {
    sd_mp_writer_t *w;
    s_blob_t requests[MAX_INPUTS], events[MAX_INPUTS];
    size_t nrequests, nevents;
    uint8_t *buf; /* current mutated input, exactly its length (so ASan sees over-reads) */
    size_t len;
    unsigned long iteration;
} s_fix_t;

static void s_keep(s_fix_t *f, s_blob_t *list, size_t *n)
{
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    assert_int_equal(sd_mp_writer_error(f->w), 0);
    list[*n].data = malloc(len);
    assert_non_null(list[*n].data);
    memcpy(list[*n].data, data, len);
    list[*n].len = len;
    (*n)++;
    sd_mp_writer_reset(f->w);
}

static void s_arg(sd_request_t *req, const char *name, const char *text)
{
    int i = sd_req_arg_find(req->op, name);
    assert_true(i >= 0);
    assert_int_equal(sd_request_set(req, i, text, NULL), 0);
}

/* A seed request: op with args (name/value pairs, NULL-terminated) and, unless NULL, an
 * "auth" token in the envelope. */
static void s_add_request(s_fix_t *f, int op, const char *token, const char *const *args)
{
    sd_request_t req = {.id = 1 + f->nrequests, .op = op};
    if (token)
        assert_non_null(req.token = strdup(token));
    for (size_t i = 0; args[i]; i += 2)
        s_arg(&req, args[i], args[i + 1]);
    sd_request_encode(&req, f->w);
    sd_request_clear(&req);
    s_keep(f, f->requests, &f->nrequests);
}

static void s_add_event(s_fix_t *f, sd_event_t *ev)
{
    sd_event_encode(ev, f->w);
    sd_event_clear(ev);
    s_keep(f, f->events, &f->nevents);
}

static void s_envelope(sd_event_t *ev, int op, uint64_t seq)
{
    strcpy(ev->origin, "EMEA");
    ev->seq = seq;
    ev->hlc = (1700000000000ull << 16) | seq;
    strcpy(ev->key, "EMEA-000042");
    assert_int_equal(sd_event_start(ev, &sd_kind_ticket, op), 0);
    strcpy(ev->author, "eve");
}

static int s_setup(void **state)
{
    s_fix_t *f = calloc(1, sizeof *f);
    if (!f || !(f->w = sd_mp_writer_new())) {
        free(f);
        return -1;
    }
    *state = f;

    static const char *const new_args[] = {"title",       "Mail stuck in outbox",
                                           "requester",   "bob@example.com",
                                           "type",        "incident",
                                           "major",       "no",
                                           "description", "Since 10:00.\nOutlook only.",
                                           "channel",     "chat",
                                           "category",    "email",
                                           "impact",      "2",
                                           "urgency",     "2",
                                           "tier",        "L1",
                                           "team",        "Messaging",
                                           "assignee",    "carol",
                                           NULL};
    static const char *const comment_args[] = {
        "id", "EMEA-000042", "body", "Cleared the cache.", "public", "yes", NULL};
    static const char *const list_args[] = {"status", "pending",     "priority", "P3",
                                            "open",   "1",           "limit",    "20",
                                            "after",  "EMEA-000001", NULL};
    static const char *const close_args[] = {"id", "EMEA-000042", "satisfaction", "4", "feedback",
                                             "ok", NULL};
    static const char *const user_args[] = {
        "id",   "carol", "display_name", "Carol Ng",  "role", "agent", "sites", "EMEA,APAC",
        "unix", "carol", "teams",        "Messaging", "tier", "L1.5",  NULL};
    static const char *const none[] = {NULL};
    s_add_request(f, SD_REQ_TICKET_NEW, NULL, new_args);
    s_add_request(f, SD_REQ_TICKET_COMMENT, "sds_5f2c9e", comment_args);
    s_add_request(f, SD_REQ_TICKET_LIST, NULL, list_args);
    s_add_request(f, SD_REQ_TICKET_CLOSE, NULL, close_args);
    s_add_request(f, SD_REQ_NODE_PING, NULL, none);
    s_add_request(f, SD_REQ_USER_NEW, "sdt_0123456789abcdef", user_args);

    sd_event_t ev = {0};
    s_envelope(&ev, SD_OP_CREATE, 1);
    sd_ticket_t *t = sd_event_ticket(&ev);
    t->created_at = 1700000000000ull;
    t->origin_site = strdup("EMEA");
    t->title = strdup("Mail stuck in outbox");
    t->description = strdup("Since 10:00.");
    t->requester = strdup("bob@example.com");
    t->category = strdup("email");
    t->impact = t->urgency = 2;
    t->priority = SD_P3;
    t->team = strdup("Messaging");
    t->owner = strdup("alice");
    t->owner_site = strdup("EMEA");
    ev.mask = sd_ticket_all_fields();
    s_add_event(f, &ev);

    s_envelope(&ev, SD_OP_PENDING, 2);
    sd_event_ticket(&ev)->status = SD_STATUS_PENDING;
    sd_event_ticket(&ev)->waiting_on = SD_WAIT_CUSTOMER;
    sd_event_ticket(&ev)->status_reason = strdup("Need a screenshot");
    ev.mask = sd_ticket_register_mask(SD_REG_STATUS);
    s_add_event(f, &ev);

    s_envelope(&ev, SD_OP_ASSIGN, 3);
    sd_event_ticket(&ev)->tier = SD_TIER_L2;
    sd_event_ticket(&ev)->team = strdup("Messaging");
    sd_event_ticket(&ev)->assignee = strdup("dave");
    ev.mask = sd_ticket_register_mask(SD_REG_ASSIGN) | sd_ticket_register_mask(SD_REG_OWNER);
    s_add_event(f, &ev);

    s_envelope(&ev, SD_OP_COMMENT, 4);
    sd_event_comment(&ev)->body = strdup("Screenshot received.");
    sd_event_comment(&ev)->public_reply = false;
    s_add_event(f, &ev);
    return 0;
}

static int s_teardown(void **state)
{
    s_fix_t *f = *state;
    for (size_t i = 0; i < f->nrequests; i++)
        free(f->requests[i].data);
    for (size_t i = 0; i < f->nevents; i++)
        free(f->events[i].data);
    free(f->buf);
    sd_mp_writer_destroy(&f->w);
    free(f);
    return 0;
}

/* ---- mutation -------------------------------------------------------------------- */

static const uint8_t s_interesting[] = {0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0,
                                        0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xcc, 0xcf,
                                        0xd3, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xff};
#define SPLICE(lit)                                                                                \
    {                                                                                              \
        lit, sizeof(lit) - 1                                                                       \
    }
static const struct {
    const char *bytes;
    size_t len;
} s_splices[] = {
    SPLICE("\xdd\xff\xff\xff\xff"), /* count bombs */
    SPLICE("\xdf\xff\xff\xff\xff"),
    SPLICE("\xdb\xff\xff\xff\xff"),
    SPLICE("\x91\x91\x91\x91\x91\x91\x91\x91\x91"), /* deep nesting */
    SPLICE("\xa2\xc0\x80"),                         /* overlong UTF-8 */
    SPLICE("\xa3\xed\xa0\x80"),                     /* surrogate */
    SPLICE("\xa1\x09"),                             /* a tab */
    SPLICE("\xa1\x00"),                             /* a NUL */
    SPLICE("\xa7"
           "comment"),
    SPLICE("\xa1v\x02"),
    SPLICE("\xa3seq\x00"),
    SPLICE("\xa6"
           "fields"),
    SPLICE("\xa6status"),
    SPLICE("\xcf\xff\xff\xff\xff\xff\xff\xff\xff"),
    SPLICE("\xd3\x80\x00\x00\x00\x00\x00\x00\x00"),
};

/* Replaces f->buf with 1..4 random mutations of src. */
static void s_mutate(s_fix_t *f, const s_blob_t *src)
{
    size_t cap = src->len * 2 + 64;
    uint8_t *b = malloc(cap);
    assert_non_null(b);
    memcpy(b, src->data, src->len);
    size_t n = src->len;
    int rounds = 1 + (int)s_below(4);
    for (int r = 0; r < rounds; r++) {
        size_t at = s_below(n + 1);
        switch (s_below(9)) {
        case 0: /* flip a bit */
            if (n)
                b[s_below(n)] ^= (uint8_t)(1u << s_below(8));
            break;
        case 1: /* random byte */
            if (n)
                b[s_below(n)] = (uint8_t)s_rand();
            break;
        case 2: /* an interesting byte (type markers, limits) */
            if (n)
                b[s_below(n)] = s_interesting[s_below(sizeof s_interesting)];
            break;
        case 3: /* insert a byte */
            if (n < cap) {
                memmove(b + at + 1, b + at, n - at);
                b[at] = (uint8_t)s_rand();
                n++;
            }
            break;
        case 4: /* delete a byte */
            if (n && at < n) {
                memmove(b + at, b + at + 1, n - at - 1);
                n--;
            }
            break;
        case 5: /* truncate */
            n = s_below(n + 1);
            break;
        case 6: { /* delete a run */
            size_t k = s_below(n - at + 1);
            memmove(b + at, b + at + k, n - at - k);
            n -= k;
            break;
        }
        case 7: { /* duplicate a run */
            size_t from = s_below(n + 1), k = s_below(n - from + 1);
            if (k > cap - n)
                k = cap - n;
            uint8_t *run = malloc(k ? k : 1);
            assert_non_null(run);
            memcpy(run, b + from, k);
            memmove(b + at + k, b + at, n - at);
            memcpy(b + at, run, k);
            free(run);
            n += k;
            break;
        }
        default: { /* splice in a hostile sequence */
            size_t i = s_below(sizeof s_splices / sizeof s_splices[0]), k = s_splices[i].len;
            if (k <= cap - n) {
                memmove(b + at + k, b + at, n - at);
                memcpy(b + at, s_splices[i].bytes, k);
                n += k;
            }
            break;
        }
        }
    }
    free(f->buf);
    f->buf = malloc(n ? n : 1);
    assert_non_null(f->buf);
    memcpy(f->buf, b, n);
    f->len = n;
    free(b);
}

/* Fails with everything needed to reproduce. */
static void s_fail(const s_fix_t *f, const char *what, int rc)
{
    fprintf(stderr, "test_fuzz: seed %llu iteration %lu: %s (rc %d)\ninput (%zu bytes):",
            (unsigned long long)s_seed, f->iteration, what, rc, f->len);
    for (size_t i = 0; i < f->len; i++)
        fprintf(stderr, " %02x", f->buf[i]);
    fprintf(stderr, "\n");
    fail_msg("%s", what);
}

static void s_check_error(const s_fix_t *f, int rc, const sd_fault_t *fault)
{
    if (rc >= 0 || rc <= -SD_ERROR_COUNT_)
        s_fail(f, "decoder returned a code that is not an SD_E* error", rc);
    if (fault->code != rc)
        s_fail(f, "fault.code differs from the returned code", rc);
    if (!memchr(fault->text, 0, sizeof fault->text) || !fault->text[0])
        s_fail(f, "fault text empty or not terminated", rc);
}

/* ---- properties ----------------------------------------------------------------------- */

static void s_check_request(s_fix_t *f)
{
    sd_request_t req = {0}, again = {0};
    sd_fault_t fault = {0};
    int rc = sd_request_decode(f->buf, f->len, &req, &fault);
    if (rc) {
        s_check_error(f, rc, &fault);
        sd_request_clear(&req);
        return;
    }
    /* Accepted: what the node understood must survive its own encoding. */
    sd_mp_writer_reset(f->w);
    sd_request_encode(&req, f->w);
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    uint8_t *first = malloc(len);
    assert_non_null(first);
    memcpy(first, data, len);
    rc = sd_request_decode(first, len, &again, &fault);
    if (rc)
        s_fail(f, fault.text, rc);
    const sd_field_t *fields;
    size_t n = sd_req_op_fields(req.op, &fields);
    if (again.op != req.op || again.id != req.id || again.present != req.present ||
        !again.token != !req.token || (req.token && strcmp(again.token, req.token) != 0) ||
        (n && !sd_fields_equal(fields, n, &req.args, &again.args, req.present)))
        s_fail(f, "request changed through encode/decode", 0);
    sd_mp_writer_reset(f->w);
    sd_request_encode(&again, f->w);
    data = sd_mp_writer_data(f->w, &len);
    if (memcmp(first, data, len) != 0)
        s_fail(f, "re-encoding a request is not stable", 0);
    free(first);
    sd_request_clear(&req);
    sd_request_clear(&again);
}

static void s_check_event(s_fix_t *f)
{
    sd_event_t ev = {0}, again = {0};
    sd_fault_t fault = {0};
    int rc = sd_event_decode(f->buf, f->len, &ev, &fault);
    if (rc) {
        s_check_error(f, rc, &fault);
        sd_event_clear(&ev);
        return;
    }
    sd_mp_writer_reset(f->w);
    sd_event_encode(&ev, f->w);
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    uint8_t *first = malloc(len);
    assert_non_null(first);
    memcpy(first, data, len);
    rc = sd_event_decode(first, len, &again, &fault);
    if (rc)
        s_fail(f, fault.text, rc);
    if (again.op != ev.op || again.seq != ev.seq || again.hlc != ev.hlc || again.mask != ev.mask ||
        strcmp(again.origin, ev.origin) || strcmp(again.key, ev.key) ||
        strcmp(again.author, ev.author) ||
        !sd_fields_equal(sd_ticket_fields, sd_ticket_field_count, sd_event_ticket(&ev),
                         sd_event_ticket(&again), ev.mask))
        s_fail(f, "event changed through encode/decode", 0);
    sd_mp_writer_reset(f->w);
    sd_event_encode(&again, f->w);
    data = sd_mp_writer_data(f->w, &len);
    if (memcmp(first, data, len) != 0)
        s_fail(f, "re-encoding an event is not stable", 0);
    free(first);
    sd_event_clear(&ev);
    sd_event_clear(&again);
}

/* Other readers of the same bytes must not crash or leak either. */
static void s_check_other_readers(s_fix_t *f)
{
    sd_reply_t reply;
    int rc = sd_reply_decode(f->buf, f->len, &reply);
    if (rc > 0 || rc <= -SD_ERROR_COUNT_)
        s_fail(f, "sd_reply_decode returned a bad code", rc);
    sd_reply_clear(&reply);

    sd_mp_doc_t *doc = NULL;
    if (sd_mp_doc_parse(f->buf, f->len, &doc) == 0) {
        sd_ticket_t t = {0};
        sd_fault_t fault;
        rc = sd_ticket_decode(sd_mp_doc_root(doc), &t, &fault);
        if (rc > 0 || rc <= -SD_ERROR_COUNT_)
            s_fail(f, "sd_ticket_decode returned a bad code", rc);
        sd_ticket_clear(&t);
        sd_mp_doc_destroy(&doc);
    }
}

static void test_fuzz_seed_inputs_are_valid(void **state)
{
    s_fix_t *f = *state;
    for (size_t i = 0; i < f->nrequests; i++) {
        sd_request_t req = {0};
        assert_int_equal(sd_request_decode(f->requests[i].data, f->requests[i].len, &req, NULL), 0);
        sd_request_clear(&req);
    }
    for (size_t i = 0; i < f->nevents; i++) {
        sd_event_t ev = {0};
        assert_int_equal(sd_event_decode(f->events[i].data, f->events[i].len, &ev, NULL), 0);
        sd_event_clear(&ev);
    }
}

static void s_fuzz(s_fix_t *f, const s_blob_t *inputs, size_t n, void (*check)(s_fix_t *),
                   const char *name)
{
    unsigned long iterations = s_iterations(), accepted = 0;
    for (f->iteration = 0; f->iteration < iterations; f->iteration++) {
        s_mutate(f, &inputs[s_below(n)]);
        check(f);
        s_check_other_readers(f);
        /* Count the mutants a decoder still accepts, as a sanity check of the mutator. */
        if (check == s_check_request) {
            sd_request_t req = {0};
            accepted += sd_request_decode(f->buf, f->len, &req, NULL) == 0;
            sd_request_clear(&req);
        } else {
            sd_event_t ev = {0};
            accepted += sd_event_decode(f->buf, f->len, &ev, NULL) == 0;
            sd_event_clear(&ev);
        }
    }
    printf("test_fuzz: %s: %lu mutants, %lu accepted\n", name, iterations, accepted);
}

static void test_fuzz_request_decode(void **state)
{
    s_fix_t *f = *state;
    s_start(1); /* each test its own stream of the seed */
    s_fuzz(f, f->requests, f->nrequests, s_check_request, "sd_request_decode");
}

static void test_fuzz_event_decode(void **state)
{
    s_fix_t *f = *state;
    s_start(2);
    s_fuzz(f, f->events, f->nevents, s_check_event, "sd_event_decode");
}

int main(void)
{
    const char *env = getenv("SD_SEED");
    s_seed =
        env && *env ? strtoull(env, NULL, 0) : ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
    printf("test_fuzz: seed %llu (re-run with SD_SEED=%llu)\n", (unsigned long long)s_seed,
           (unsigned long long)s_seed);
    fflush(stdout);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz_seed_inputs_are_valid),
        cmocka_unit_test(test_fuzz_request_decode),
        cmocka_unit_test(test_fuzz_event_decode),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
