/* test_fields.c - schema tables: strict decoding, encoding, copying and command-line parsing of
 * fields (proto/mp.h). */
#include "codec_fixture.h"
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
