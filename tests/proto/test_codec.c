/* test_codec.c - msgpack writer and the strict bounded reader (proto/mp.h). */
#include "codec_fixture.h"
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
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
