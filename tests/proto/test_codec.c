/* test_codec.c - msgpack writer, the strict bounded reader and schema tables (proto/mp.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "mp.h"
#include "proto_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- a small record and its schema, as a module would declare one ------- */

typedef struct {
    char *name; /* required, one line, 1..8 bytes */
    char *note; /* optional multi-line text, up to 16 bytes */
    uint64_t count;
    int level; /* 1..5 */
    bool urgent;
    int color; /* index into s_colors */
} s_rec_t;

static const char *const s_colors[] = {"red", "green", "blue"};

#define ROFF(m) offsetof(s_rec_t, m)
static const sd_field_t s_rec_fields[] = {
    {"name", SD_F_STR, SD_F_REQUIRED | SD_F_LINE | SD_F_NONEMPTY, 0, ROFF(name), 0, 8, NULL},
    {"note", SD_F_STR, 0, 0, ROFF(note), 0, 16, NULL},
    {"count", SD_F_U64, 0, 0, ROFF(count), 0, 0, NULL},
    {"level", SD_F_INT, 0, 0, ROFF(level), 1, 5, NULL},
    {"urgent", SD_F_BOOL, 0, 0, ROFF(urgent), 0, 0, NULL},
    {"color", SD_F_ENUM, 0, 0, ROFF(color), 0, 3, s_colors},
};
#define REC_N    (sizeof s_rec_fields / sizeof s_rec_fields[0])
#define REC_ALL  ((1ull << REC_N) - 1)
#define F_NAME   (&s_rec_fields[0])
#define F_NOTE   (&s_rec_fields[1])
#define F_COUNT  (&s_rec_fields[2])
#define F_LEVEL  (&s_rec_fields[3])
#define F_URGENT (&s_rec_fields[4])
#define F_COLOR  (&s_rec_fields[5])

/* ---- fixture: a writer, the doc parsed from it, the decoded record ------ */

typedef struct {
    sd_mp_writer_t *w;
    sd_mp_doc_t *doc;
    s_rec_t rec;
    uint64_t present;
    sd_fault_t fault;
} s_fix_t;

SD_TEST_FIXTURE_SETUP(s_setup, s_fix_t)

static int s_teardown(void **state)
{
    s_fix_t *f = *state;
    sd_fields_free(s_rec_fields, REC_N, &f->rec, REC_ALL);
    sd_mp_doc_destroy(&f->doc);
    sd_mp_writer_destroy(&f->w);
    free(f);
    return 0;
}

/* Parses what was written from an exact-size heap copy (so ASan sees over-reads),
 * freed at once: a doc owns its bytes. */
static int s_parse(s_fix_t *f)
{
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    assert_int_equal(sd_mp_writer_error(f->w), 0);
    void *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, data, len);
    sd_mp_doc_destroy(&f->doc);
    int rc = sd_mp_doc_parse(copy, len, &f->doc);
    free(copy);
    return rc;
}

/* Parses raw bytes. */
static int s_parse_bytes(s_fix_t *f, const void *bytes, size_t len)
{
    sd_mp_doc_destroy(&f->doc);
    int rc = sd_mp_doc_parse(bytes, len, &f->doc);
    if (rc)
        assert_null(f->doc);
    return rc;
}
#define PARSE_LIT(f, lit) s_parse_bytes(f, lit, sizeof(lit) - 1)

/* Parses what was written and decodes it as an s_rec_t "rec". */
static int s_decode(s_fix_t *f)
{
    assert_int_equal(s_parse(f), 0);
    memset(&f->fault, 0, sizeof f->fault);
    int rc = sd_fields_decode(s_rec_fields, REC_N, sd_mp_doc_root(f->doc), "rec", &f->rec,
                              &f->present, &f->fault);
    if (rc)
        assert_int_equal(f->fault.code, rc);
    return rc;
}

static void s_pair_str(sd_mp_writer_t *w, const char *key, const char *val)
{
    sd_mp_str(w, key);
    sd_mp_str(w, val);
}

static void s_pair_u64(sd_mp_writer_t *w, const char *key, uint64_t val)
{
    sd_mp_str(w, key);
    sd_mp_u64(w, val);
}

static double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- writer and reader -------------------------------------------------- */

static void test_writer_scalars_round_trip(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 7);
    sd_mp_str(f->w, "nil");
    sd_mp_nil(f->w);
    sd_mp_str(f->w, "yes");
    sd_mp_bool(f->w, true);
    s_pair_u64(f->w, "big", UINT64_MAX);
    sd_mp_str(f->w, "neg");
    sd_mp_i64(f->w, INT64_MIN);
    s_pair_str(f->w, "text", "h\xC3\xA9llo");
    sd_mp_str(f->w, "bytes");
    sd_mp_strn(f->w, "a\0b", 3);
    sd_mp_str(f->w, "none");
    sd_mp_str(f->w, NULL); /* NULL is written as nil */
    assert_int_equal(s_parse(f), 0);

    const sd_mp_node_t *root = sd_mp_doc_root(f->doc);
    assert_int_equal(sd_mp_kind(root), SD_MP_MAP);
    assert_int_equal(sd_mp_len(root), 7);
    assert_int_equal(sd_mp_kind(sd_mp_get(root, "nil")), SD_MP_NIL);
    bool b = false;
    assert_int_equal(sd_mp_boolean(sd_mp_get(root, "yes"), &b), 0);
    assert_true(b);
    uint64_t u = 0;
    assert_int_equal(sd_mp_uint(sd_mp_get(root, "big"), &u), 0);
    assert_true(u == UINT64_MAX);
    int64_t i = 0;
    assert_int_equal(sd_mp_kind(sd_mp_get(root, "neg")), SD_MP_INT);
    assert_int_equal(sd_mp_int(sd_mp_get(root, "neg"), &i), 0);
    assert_true(i == INT64_MIN);
    assert_true(sd_mp_str_eq(sd_mp_get(root, "text"), "h\xC3\xA9llo"));
    size_t len = 0;
    const char *bytes = sd_mp_bytes(sd_mp_get(root, "bytes"), &len);
    assert_int_equal(len, 3);
    assert_memory_equal(bytes, "a\0b", 3);
    assert_int_equal(sd_mp_kind(sd_mp_get(root, "none")), SD_MP_NIL);
    assert_null(sd_mp_get(root, "absent"));
}

static void test_writer_nested_round_trip(void **state)
{
    s_fix_t *f = *state;
    sd_mp_array(f->w, 3);
    sd_mp_u64(f->w, 7);
    sd_mp_map(f->w, 1);
    s_pair_str(f->w, "k", "v");
    sd_mp_array(f->w, 0);
    assert_int_equal(s_parse(f), 0);

    const sd_mp_node_t *root = sd_mp_doc_root(f->doc);
    assert_int_equal(sd_mp_kind(root), SD_MP_ARRAY);
    assert_int_equal(sd_mp_len(root), 3);
    int64_t seven = 0;
    assert_int_equal(sd_mp_int(sd_mp_at(root, 0), &seven), 0); /* a uint read as signed */
    assert_int_equal(seven, 7);
    const sd_mp_node_t *map = sd_mp_at(root, 1);
    assert_true(sd_mp_str_eq(sd_mp_key(map, 0), "k"));
    assert_true(sd_mp_str_eq(sd_mp_val(map, 0), "v"));
    assert_null(sd_mp_key(map, 1));  /* out of range */
    assert_null(sd_mp_key(root, 0)); /* not a map */
    assert_null(sd_mp_at(map, 0));   /* not an array */
    assert_null(sd_mp_at(root, 3));  /* out of range */
    assert_int_equal(sd_mp_len(sd_mp_at(root, 2)), 0);
}

static void test_writer_reset_and_raw(void **state)
{
    s_fix_t *f = *state;
    sd_mp_str(f->w, "forgotten");
    sd_mp_writer_reset(f->w);
    size_t len = 1;
    sd_mp_writer_data(f->w, &len);
    assert_int_equal(len, 0);

    sd_mp_array(f->w, 2);
    sd_mp_raw(f->w, "\xa2hi", 3); /* an already-encoded "hi" */
    sd_mp_bool(f->w, false);
    const uint8_t want[] = {0x92, 0xa2, 'h', 'i', 0xc2};
    const void *data = sd_mp_writer_data(f->w, &len);
    assert_int_equal(len, sizeof want);
    assert_memory_equal(data, want, sizeof want);
    assert_int_equal(s_parse(f), 0);
    assert_true(sd_mp_str_eq(sd_mp_at(sd_mp_doc_root(f->doc), 0), "hi"));
}

static void test_reader_accessors_check_kind(void **state)
{
    s_fix_t *f = *state;
    sd_mp_array(f->w, 4);
    sd_mp_i64(f->w, -5);
    sd_mp_u64(f->w, (uint64_t)INT64_MAX + 1);
    sd_mp_str(f->w, "1");
    sd_mp_raw(f->w, "\xc4\x02\x01\x02", 4); /* bin 8 */
    assert_int_equal(s_parse(f), 0);
    const sd_mp_node_t *root = sd_mp_doc_root(f->doc);
    uint64_t u;
    int64_t i;
    bool b;
    assert_int_equal(sd_mp_uint(sd_mp_at(root, 0), &u), SD_ETYPE); /* negative */
    assert_int_equal(sd_mp_int(sd_mp_at(root, 1), &i), SD_ETYPE);  /* > INT64_MAX */
    assert_int_equal(sd_mp_uint(sd_mp_at(root, 2), &u), SD_ETYPE); /* a string "1" */
    assert_int_equal(sd_mp_boolean(sd_mp_at(root, 0), &b), SD_ETYPE);
    assert_int_equal(sd_mp_kind(sd_mp_at(root, 3)), SD_MP_BIN);
    assert_false(sd_mp_str_eq(sd_mp_at(root, 3), "\x01\x02")); /* bin is not str */
    size_t len;
    assert_null(sd_mp_bytes(sd_mp_at(root, 0), &len));
    assert_int_equal(len, 0);
}

/* A doc owns its bytes (mp.h): the caller may reuse or free its buffer at once. */
static void test_parse_doc_outlives_input(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 1);
    s_pair_str(f->w, "text", "hello");
    size_t len;
    const void *data = sd_mp_writer_data(f->w, &len);
    char *buf = malloc(len);
    assert_non_null(buf);
    memcpy(buf, data, len);
    assert_int_equal(sd_mp_doc_parse(buf, len, &f->doc), 0);
    memset(buf, 'X', len); /* the caller reuses its buffer */
    const sd_mp_node_t *text = sd_mp_get(sd_mp_doc_root(f->doc), "text");
    free(buf);
    assert_non_null(text);
    assert_true(sd_mp_str_eq(text, "hello"));
}

/* ---- sd_mp_doc_parse rejects -------------------------------------------- */

static void test_parse_empty_rejected(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(s_parse_bytes(f, "", 0), SD_EMSGPACK);
    assert_int_equal(s_parse_bytes(f, NULL, 0), SD_EMSGPACK);
}

static void test_parse_truncated_rejected(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(PARSE_LIT(f, "\xa5hel"), SD_EMSGPACK); /* fixstr 5, 3 bytes */
    assert_int_equal(PARSE_LIT(f, "\xd9\x05"
                                  "ab"),
                     SD_EMSGPACK);                                   /* str8 5, 2 bytes */
    assert_int_equal(PARSE_LIT(f, "\xd9"), SD_EMSGPACK);             /* str8 without length */
    assert_int_equal(PARSE_LIT(f, "\xdb\x00\x00\x00"), SD_EMSGPACK); /* str32 length cut */
    assert_int_equal(PARSE_LIT(f, "\x82\xa1"
                                  "a\x01\xa1"
                                  "b"),
                     SD_EMSGPACK); /* map 2, 1.5 pairs */
    assert_int_equal(PARSE_LIT(f, "\x81\xa1"
                                  "a"),
                     SD_EMSGPACK);                                       /* key without value */
    assert_int_equal(PARSE_LIT(f, "\xde\x00"), SD_EMSGPACK);             /* map16 length cut */
    assert_int_equal(PARSE_LIT(f, "\x93\x01\x02"), SD_EMSGPACK);         /* array 3, 2 elements */
    assert_int_equal(PARSE_LIT(f, "\x91\x92\x01"), SD_EMSGPACK);         /* inner array cut */
    assert_int_equal(PARSE_LIT(f, "\xcf\x00\x00\x00\x00"), SD_EMSGPACK); /* uint64 cut */
    assert_int_equal(PARSE_LIT(f, "\xd8\x01"
                                  "abc"),
                     SD_EMSGPACK); /* fixext16 cut */
    /* The complete forms are fine. */
    assert_int_equal(PARSE_LIT(f, "\xa5hello"), 0);
    assert_int_equal(PARSE_LIT(f, "\x93\x01\x02\x03"), 0);
}

static void test_parse_c1_rejected(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(PARSE_LIT(f, "\xc1"), SD_EMSGPACK);
    assert_int_equal(PARSE_LIT(f, "\x92\x01\xc1"), SD_EMSGPACK);
    assert_int_equal(PARSE_LIT(f, "\x81\xc1\x01"), SD_EMSGPACK);
}

static void test_parse_trailing_rejected(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(PARSE_LIT(f, "\x01\x02"), SD_ETRAILING);
    assert_int_equal(PARSE_LIT(f, "\x81\xa1"
                                  "a\x01\xc0"),
                     SD_ETRAILING);
    assert_int_equal(s_parse_bytes(f, "\xc0\x00", 2), SD_ETRAILING);
}

/* depth arrays nested, the innermost holding one integer. */
static void s_write_nested(sd_mp_writer_t *w, int depth)
{
    for (int i = 0; i < depth; i++)
        sd_mp_array(w, 1);
    sd_mp_u64(w, 1);
}

static void test_parse_depth_limit(void **state)
{
    s_fix_t *f = *state;
    s_write_nested(f->w, SD_MP_MAX_DEPTH); /* the integer sits at depth 8 */
    assert_int_equal(s_parse(f), 0);
    sd_mp_writer_reset(f->w);
    s_write_nested(f->w, SD_MP_MAX_DEPTH + 1);
    assert_int_equal(s_parse(f), SD_ETOOBIG);
    sd_mp_writer_reset(f->w);
    s_write_nested(f->w, 100000); /* no stack overflow either */
    assert_int_equal(s_parse(f), SD_ETOOBIG);
    /* Maps nest too. */
    sd_mp_writer_reset(f->w);
    for (int i = 0; i < SD_MP_MAX_DEPTH + 1; i++) {
        sd_mp_map(f->w, 1);
        sd_mp_str(f->w, "k");
    }
    sd_mp_nil(f->w);
    assert_int_equal(s_parse(f), SD_ETOOBIG);
}

static void test_parse_count_bombs_fail_fast(void **state)
{
    s_fix_t *f = *state;
    static const struct {
        const char *bytes;
        size_t len;
    } bombs[] = {
        {"\xdd\xff\xff\xff\xff", 5},     /* array32 of 4 billion */
        {"\xdf\xff\xff\xff\xff", 5},     /* map32 of 4 billion pairs */
        {"\xdc\xff\xff", 3},             /* array16 */
        {"\xde\xff\xff", 3},             /* map16 */
        {"\xdb\xff\xff\xff\xff", 5},     /* str32 of 4 GiB */
        {"\xc6\xff\xff\xff\xff", 5},     /* bin32 of 4 GiB */
        {"\xc9\xff\xff\xff\xff\x01", 6}, /* ext32 of 4 GiB */
        {"\x91\xdd\x7f\xff\xff\xff\xc0", 7},
    };
    double start = s_now();
    for (int round = 0; round < 1000; round++) {
        for (size_t i = 0; i < sizeof bombs / sizeof bombs[0]; i++) {
            int rc = s_parse_bytes(f, bombs[i].bytes, bombs[i].len);
            if (rc != SD_EMSGPACK && rc != SD_ETOOBIG)
                fail_msg("bomb %zu: rc %d", i, rc);
        }
    }
    assert_true(s_now() - start < 5.0); /* 8000 parses; each must be O(bytes given) */
}

/* An array of count nils, written directly. */
static void s_write_nils(sd_mp_writer_t *w, uint32_t count)
{
    sd_mp_array(w, count);
    for (uint32_t i = 0; i < count; i++)
        sd_mp_nil(w);
}

static void test_parse_element_limit(void **state)
{
    s_fix_t *f = *state;
    s_write_nils(f->w, SD_MP_MAX_ELEMENTS - 1); /* with the array: exactly the limit */
    assert_int_equal(s_parse(f), 0);
    assert_int_equal(sd_mp_len(sd_mp_doc_root(f->doc)), SD_MP_MAX_ELEMENTS - 1);
    sd_mp_writer_reset(f->w);
    s_write_nils(f->w, SD_MP_MAX_ELEMENTS);
    assert_int_equal(s_parse(f), SD_ETOOBIG);
}

static void test_parse_size_limit(void **state)
{
    s_fix_t *f = *state;
    size_t cap = SD_MP_MAX_BYTES + 1;
    uint8_t *buf = calloc(1, cap);
    assert_non_null(buf);
    /* One bin32 object filling the whole buffer. */
    for (size_t len = SD_MP_MAX_BYTES; len <= cap; len++) {
        uint32_t body = (uint32_t)(len - 5);
        buf[0] = 0xc6;
        buf[1] = (uint8_t)(body >> 24), buf[2] = (uint8_t)(body >> 16);
        buf[3] = (uint8_t)(body >> 8), buf[4] = (uint8_t)body;
        int rc = s_parse_bytes(f, buf, len);
        assert_int_equal(rc, len == SD_MP_MAX_BYTES ? 0 : SD_ETOOBIG);
    }
    free(buf);
}

/* ---- sd_fields_decode ---------------------------------------------------- */

static void test_fields_decode_all_kinds(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 6);
    s_pair_str(f->w, "name", "srv-01");
    s_pair_str(f->w, "note", "line 1\n\tline 2");
    s_pair_u64(f->w, "count", 42);
    s_pair_u64(f->w, "level", 5);
    sd_mp_str(f->w, "urgent");
    sd_mp_bool(f->w, true);
    s_pair_str(f->w, "color", "blue");
    assert_int_equal(s_decode(f), 0);
    assert_int_equal(f->present, REC_ALL);
    assert_string_equal(f->rec.name, "srv-01");
    assert_string_equal(f->rec.note, "line 1\n\tline 2");
    assert_int_equal(f->rec.count, 42);
    assert_int_equal(f->rec.level, 5);
    assert_true(f->rec.urgent);
    assert_int_equal(f->rec.color, 2);
}

static void test_fields_decode_only_present_bits(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 2);
    s_pair_u64(f->w, "count", 1);
    s_pair_str(f->w, "name", "a");
    assert_int_equal(s_decode(f), 0);
    assert_int_equal(f->present, (1u << 0) | (1u << 2));
}

static void test_fields_decode_wrong_type(void **state)
{
    s_fix_t *f = *state;
    static const struct {
        const char *field;
        int kind; /* 0 uint, 1 str, 2 negative, 3 bool */
    } cases[] = {{"count", 1},  {"count", 2}, {"level", 2}, {"level", 1},
                 {"urgent", 0}, {"color", 0}, {"note", 3},  {"note", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sd_mp_writer_reset(f->w);
        sd_mp_map(f->w, 2);
        s_pair_str(f->w, "name", "ok");
        sd_mp_str(f->w, cases[i].field);
        switch (cases[i].kind) {
        case 0:
            sd_mp_u64(f->w, 1);
            break;
        case 1:
            sd_mp_str(f->w, "1");
            break;
        case 2:
            sd_mp_i64(f->w, -1);
            break;
        default:
            sd_mp_bool(f->w, true);
            break;
        }
        sd_fields_free(s_rec_fields, REC_N, &f->rec, REC_ALL);
        assert_int_equal(s_decode(f), SD_ETYPE);
        char want[32];
        snprintf(want, sizeof want, "rec.%s", cases[i].field);
        assert_fault_says(&f->fault, want);
    }
    /* A wrongly typed required field on its own. */
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 1);
    s_pair_u64(f->w, "name", 1);
    assert_int_equal(s_decode(f), SD_ETYPE);
    assert_fault_says(&f->fault, "rec.name: expected a string");
}

static void test_fields_decode_not_a_map(void **state)
{
    s_fix_t *f = *state;
    sd_mp_array(f->w, 0);
    assert_int_equal(s_decode(f), SD_ETYPE);
    assert_fault_says(&f->fault, "rec");
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 1);
    sd_mp_u64(f->w, 1); /* a key that is not a string */
    sd_mp_str(f->w, "x");
    assert_int_equal(s_decode(f), SD_ETYPE);
}

static void test_fields_decode_unknown_field(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 2);
    s_pair_str(f->w, "name", "a");
    s_pair_str(f->w, "colour", "red");
    assert_int_equal(s_decode(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "'colour'");
    /* An unknown name is quoted safely: printable, at most 40 bytes. */
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 1);
    s_pair_str(f->w, "bad\x1b[2Jname-that-goes-on-and-on-and-on-for-ever-and-ever", "x");
    sd_fields_free(s_rec_fields, REC_N, &f->rec, REC_ALL);
    assert_int_equal(s_decode(f), SD_EUNKNOWN_FIELD);
    assert_fault_says(&f->fault, "'bad?[2Jname-that-goes-on-and-on-and-on-f'");
}

static void test_fields_decode_duplicate_field(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 2);
    s_pair_str(f->w, "name", "a");
    s_pair_str(f->w, "name", "b");
    assert_int_equal(s_decode(f), SD_EDUPLICATE);
    assert_fault_says(&f->fault, "rec.name");
}

static void test_fields_decode_missing_required(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 1);
    s_pair_u64(f->w, "count", 3);
    assert_int_equal(s_decode(f), SD_EMISSING);
    assert_fault_says(&f->fault, "rec.name");
}

static void test_fields_decode_string_too_long(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 1);
    s_pair_str(f->w, "name", "12345678"); /* exactly the max */
    assert_int_equal(s_decode(f), 0);
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 1);
    s_pair_str(f->w, "name", "123456789");
    assert_int_equal(s_decode(f), SD_ETOOLONG);
    assert_fault_says(&f->fault, "rec.name");
    assert_fault_says(&f->fault, "max 8");
}

static void test_fields_decode_empty_string(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 2);
    s_pair_str(f->w, "name", "a");
    s_pair_str(f->w, "note", ""); /* may be empty */
    assert_int_equal(s_decode(f), 0);
    assert_string_equal(f->rec.note, "");
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 1);
    s_pair_str(f->w, "name", "");
    assert_int_equal(s_decode(f), SD_ERANGE);
    assert_fault_says(&f->fault, "rec.name");
}

static void test_fields_decode_invalid_utf8(void **state)
{
    s_fix_t *f = *state;
    static const char *const bad[] = {"\xC0\x80", "\xED\xA0\x80", "ab\xE2\x82", "\x80", "\xFF"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sd_mp_writer_reset(f->w);
        sd_mp_map(f->w, 2);
        s_pair_str(f->w, "name", "a");
        s_pair_str(f->w, "note", bad[i]);
        sd_fields_free(s_rec_fields, REC_N, &f->rec, REC_ALL);
        assert_int_equal(s_decode(f), SD_EUTF8);
        assert_fault_says(&f->fault, "rec.note");
    }
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 1);
    sd_mp_str(f->w, "name");
    sd_mp_strn(f->w, "a\0b", 3); /* NUL inside */
    sd_fields_free(s_rec_fields, REC_N, &f->rec, REC_ALL);
    assert_int_equal(s_decode(f), SD_EUTF8);
    assert_fault_says(&f->fault, "rec.name");
}

static void test_fields_decode_control_chars(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 1);
    s_pair_str(f->w, "name", "a\tb"); /* a line field */
    assert_int_equal(s_decode(f), SD_EUTF8);
    assert_fault_says(&f->fault, "rec.name");
    assert_fault_says(&f->fault, "control");

    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 2);
    s_pair_str(f->w, "name", "a");
    s_pair_str(f->w, "note", "a\tb\r\nc"); /* multi-line: fine */
    sd_fields_free(s_rec_fields, REC_N, &f->rec, REC_ALL);
    assert_int_equal(s_decode(f), 0);

    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 2);
    s_pair_str(f->w, "name", "a");
    s_pair_str(f->w, "note", "esc\x1b[0m"); /* but not escapes */
    sd_fields_free(s_rec_fields, REC_N, &f->rec, REC_ALL);
    assert_int_equal(s_decode(f), SD_EUTF8);
    assert_fault_says(&f->fault, "rec.note");
}

static void test_fields_decode_int_range(void **state)
{
    s_fix_t *f = *state;
    const uint64_t values[] = {0, 1, 5, 6, 1ull << 32, UINT64_MAX};
    const int want[] = {SD_ERANGE, 0, 0, SD_ERANGE, SD_ERANGE, SD_ERANGE};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        sd_mp_writer_reset(f->w);
        sd_mp_map(f->w, 2);
        s_pair_str(f->w, "name", "a");
        s_pair_u64(f->w, "level", values[i]);
        sd_fields_free(s_rec_fields, REC_N, &f->rec, REC_ALL);
        assert_int_equal(s_decode(f), want[i]);
        if (want[i])
            assert_fault_says(&f->fault, "rec.level");
        else
            assert_int_equal(f->rec.level, (int)values[i]);
    }
}

static void test_fields_decode_unknown_enum(void **state)
{
    s_fix_t *f = *state;
    sd_mp_map(f->w, 2);
    s_pair_str(f->w, "name", "a");
    s_pair_str(f->w, "color", "purple");
    assert_int_equal(s_decode(f), SD_ERANGE);
    assert_fault_says(&f->fault, "rec.color");
    assert_fault_says(&f->fault, "red, green, blue");
    /* Names match exactly: no prefix, no case folding. */
    const char *near[] = {"re", "redd", "RED", ""};
    for (size_t i = 0; i < 4; i++) {
        sd_mp_writer_reset(f->w);
        sd_mp_map(f->w, 2);
        s_pair_str(f->w, "name", "a");
        s_pair_str(f->w, "color", near[i]);
        sd_fields_free(s_rec_fields, REC_N, &f->rec, REC_ALL);
        assert_int_equal(s_decode(f), SD_ERANGE);
    }
}

static void test_fields_decode_nil_optional_string(void **state)
{
    s_fix_t *f = *state;
    f->rec.note = strdup("old"); /* replaced (and freed) by the nil */
    sd_mp_map(f->w, 2);
    s_pair_str(f->w, "name", "a");
    s_pair_str(f->w, "note", NULL);
    assert_int_equal(s_decode(f), 0);
    assert_null(f->rec.note);
    assert_true(f->present & (1u << 1));
    /* Nil is not a value for a required string. */
    sd_mp_writer_reset(f->w);
    sd_mp_map(f->w, 1);
    s_pair_str(f->w, "name", NULL);
    assert_int_equal(s_decode(f), SD_ETYPE);
    assert_fault_says(&f->fault, "rec.name");
}

/* ---- encode, copy, equal, lookups ---------------------------------------- */

static void test_fields_encode_round_trip(void **state)
{
    s_fix_t *f = *state;
    s_rec_t src = {
        .name = "web-7", .note = NULL, .count = UINT64_MAX, .level = 4, .urgent = true, .color = 1};
    uint64_t mask = REC_ALL & ~(1ull << 2); /* all but count */
    sd_mp_map(f->w, 5);
    assert_int_equal(sd_fields_encode(s_rec_fields, REC_N, &src, mask, f->w), 5);
    assert_int_equal(s_decode(f), 0);
    assert_int_equal(f->present, mask);
    assert_true(sd_fields_equal(s_rec_fields, REC_N, &src, &f->rec, mask));
    assert_int_equal(f->rec.count, 0); /* not sent */
    assert_false(sd_fields_equal(s_rec_fields, REC_N, &src, &f->rec, REC_ALL));
}

static void test_fields_copy_and_free(void **state)
{
    (void)state;
    s_rec_t src = {.name = "a", .note = "n", .count = 9, .level = 2, .urgent = true, .color = 2};
    s_rec_t dst = {.name = strdup("old")};
    assert_int_equal(sd_fields_copy(s_rec_fields, REC_N, &dst, &src, REC_ALL), 0);
    assert_true(sd_fields_equal(s_rec_fields, REC_N, &dst, &src, REC_ALL));
    assert_ptr_not_equal(dst.name, src.name); /* duplicated, not shared */
    sd_fields_free(s_rec_fields, REC_N, &dst, REC_ALL);
    assert_null(dst.name);
    assert_null(dst.note);
}

static void test_fields_lookups(void **state)
{
    (void)state;
    assert_int_equal(sd_fields_find(s_rec_fields, REC_N, "level"), 3);
    assert_int_equal(sd_fields_find(s_rec_fields, REC_N, "nope"), -1);
    assert_string_equal(sd_field_enum_name(F_COLOR, 1), "green");
    assert_string_equal(sd_field_enum_name(F_COLOR, 3), "?");
    assert_string_equal(sd_field_enum_name(F_COLOR, -1), "?");
    assert_int_equal(sd_field_enum_value(F_COLOR, "blue"), 2);
    assert_int_equal(sd_field_enum_value(F_COLOR, "Blue"), -1);
}

static void test_fault_set_formats_and_tolerates_null(void **state)
{
    (void)state;
    sd_fault_t fault;
    assert_int_equal(sd_fault_set(&fault, SD_ERANGE, "args.%s: %d", "limit", 0), SD_ERANGE);
    assert_int_equal(fault.code, SD_ERANGE);
    assert_string_equal(fault.text, "args.limit: 0");
    assert_int_equal(sd_fault_set(NULL, SD_EINVAL, "ignored"), SD_EINVAL);
    char longer[400];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = 0;
    sd_fault_set(&fault, SD_EINVAL, "%s", longer); /* truncated, still terminated */
    assert_int_equal(strlen(fault.text), sizeof fault.text - 1);
}

/* ---- sd_field_parse: command-line text ------------------------------------ */

static void test_field_parse_strings(void **state)
{
    s_fix_t *f = *state;
    sd_fault_t *fault = &f->fault;
    assert_int_equal(sd_field_parse(F_NAME, "db-01", &f->rec, fault), 0);
    assert_string_equal(f->rec.name, "db-01");
    assert_int_equal(sd_field_parse(F_NAME, "db-02", &f->rec, fault), 0); /* replaces */
    assert_string_equal(f->rec.name, "db-02");
    assert_int_equal(sd_field_parse(F_NAME, "123456789", &f->rec, fault), SD_ETOOLONG);
    assert_fault_says(fault, "--name");
    assert_int_equal(sd_field_parse(F_NAME, "a\tb", &f->rec, fault), SD_EUTF8);
    assert_fault_says(fault, "--name");
    assert_int_equal(sd_field_parse(F_NOTE, "a\nb", &f->rec, fault), 0);
    assert_int_equal(sd_field_parse(F_NOTE, "\xC3\x28", &f->rec, fault), SD_EUTF8);
    assert_string_equal(f->rec.name, "db-02"); /* failures leave the old value */
    assert_string_equal(f->rec.note, "a\nb");
}

/* Regression (fixed): sd_field_parse() is documented to check a STR "like a decode", but it
 * skips SD_F_NONEMPTY: --name "" is accepted although sd_fields_decode answers
 * SD_ERANGE ("must not be empty") for the same value. */
static void test_field_parse_empty_nonempty_string(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(sd_field_parse(F_NAME, "", &f->rec, &f->fault), SD_ERANGE);
}

static void test_field_parse_numbers(void **state)
{
    s_fix_t *f = *state;
    sd_fault_t *fault = &f->fault;
    assert_int_equal(sd_field_parse(F_COUNT, "42", &f->rec, fault), 0);
    assert_int_equal(f->rec.count, 42);
    assert_int_equal(sd_field_parse(F_COUNT, "18446744073709551615", &f->rec, fault), 0);
    assert_true(f->rec.count == UINT64_MAX);
    const char *bad[] = {"", "-1", "12x", "x", "18446744073709551616", "4 2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(sd_field_parse(F_COUNT, bad[i], &f->rec, fault), SD_ETYPE);
        assert_fault_says(fault, "--count");
    }
    assert_int_equal(sd_field_parse(F_LEVEL, "3", &f->rec, fault), 0);
    assert_int_equal(f->rec.level, 3);
    assert_int_equal(sd_field_parse(F_LEVEL, "0", &f->rec, fault), SD_ERANGE);
    assert_fault_says(fault, "--level: must be 1..5");
    assert_int_equal(sd_field_parse(F_LEVEL, "6", &f->rec, fault), SD_ERANGE);
    assert_int_equal(sd_field_parse(F_LEVEL, "-3", &f->rec, fault), SD_ETYPE);
    assert_int_equal(f->rec.level, 3);
}

/* Regression (fixed): sd_field_parse() rejects a negative number only when text[0] is '-';
 * strtoull() skips leading blanks and negates, so " -1" is accepted for a U64
 * field as 18446744073709551615 (e.g. `sundesk ticket ack --reply_due " -1"`). */
static void test_field_parse_negative_after_blank(void **state)
{
    s_fix_t *f = *state;
    assert_int_equal(sd_field_parse(F_COUNT, " -1", &f->rec, &f->fault), SD_ETYPE);
}

static void test_field_parse_bool_and_enum(void **state)
{
    s_fix_t *f = *state;
    sd_fault_t *fault = &f->fault;
    const char *yes[] = {"true", "yes", "1"}, *no[] = {"false", "no", "0"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(sd_field_parse(F_URGENT, yes[i], &f->rec, fault), 0);
        assert_true(f->rec.urgent);
        assert_int_equal(sd_field_parse(F_URGENT, no[i], &f->rec, fault), 0);
        assert_false(f->rec.urgent);
    }
    assert_int_equal(sd_field_parse(F_URGENT, "maybe", &f->rec, fault), SD_ETYPE);
    assert_fault_says(fault, "--urgent");
    assert_int_equal(sd_field_parse(F_COLOR, "green", &f->rec, fault), 0);
    assert_int_equal(f->rec.color, 1);
    assert_int_equal(sd_field_parse(F_COLOR, "purple", &f->rec, fault), SD_ERANGE);
    assert_fault_says(fault, "--color: expected one of: red, green, blue");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        T(test_writer_scalars_round_trip),
        T(test_writer_nested_round_trip),
        T(test_writer_reset_and_raw),
        T(test_reader_accessors_check_kind),
        T(test_parse_doc_outlives_input),
        T(test_parse_empty_rejected),
        T(test_parse_truncated_rejected),
        T(test_parse_c1_rejected),
        T(test_parse_trailing_rejected),
        T(test_parse_depth_limit),
        T(test_parse_count_bombs_fail_fast),
        T(test_parse_element_limit),
        T(test_parse_size_limit),
        T(test_fields_decode_all_kinds),
        T(test_fields_decode_only_present_bits),
        T(test_fields_decode_wrong_type),
        T(test_fields_decode_not_a_map),
        T(test_fields_decode_unknown_field),
        T(test_fields_decode_duplicate_field),
        T(test_fields_decode_missing_required),
        T(test_fields_decode_string_too_long),
        T(test_fields_decode_empty_string),
        T(test_fields_decode_invalid_utf8),
        T(test_fields_decode_control_chars),
        T(test_fields_decode_int_range),
        T(test_fields_decode_unknown_enum),
        T(test_fields_decode_nil_optional_string),
        T(test_fields_encode_round_trip),
        T(test_fields_copy_and_free),
        T(test_fields_lookups),
        T(test_fault_set_formats_and_tolerates_null),
        T(test_field_parse_strings),
        T(test_field_parse_empty_nonempty_string),
        T(test_field_parse_numbers),
        T(test_field_parse_negative_after_blank),
        T(test_field_parse_bool_and_enum),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
