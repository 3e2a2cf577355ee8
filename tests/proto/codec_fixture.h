/* codec_fixture.h - the world of the codec tests: a small record, its schema, a writer, a doc. */
#ifndef SD_CODEC_FIXTURE_H
#define SD_CODEC_FIXTURE_H

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

static inline int s_teardown(void **state)
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
static inline int s_parse(s_fix_t *f)
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
static inline int s_parse_bytes(s_fix_t *f, const void *bytes, size_t len)
{
    sd_mp_doc_destroy(&f->doc);
    int rc = sd_mp_doc_parse(bytes, len, &f->doc);
    if (rc)
        assert_null(f->doc);
    return rc;
}
#define PARSE_LIT(f, lit) s_parse_bytes(f, lit, sizeof(lit) - 1)

/* Parses what was written and decodes it as an s_rec_t "rec". */
static inline int s_decode(s_fix_t *f)
{
    assert_int_equal(s_parse(f), 0);
    memset(&f->fault, 0, sizeof f->fault);
    int rc = sd_fields_decode(s_rec_fields, REC_N, sd_mp_doc_root(f->doc), "rec", &f->rec,
                              &f->present, &f->fault);
    if (rc)
        assert_int_equal(f->fault.code, rc);
    return rc;
}

static inline void s_pair_str(sd_mp_writer_t *w, const char *key, const char *val)
{
    sd_mp_str(w, key);
    sd_mp_str(w, val);
}

static inline void s_pair_u64(sd_mp_writer_t *w, const char *key, uint64_t val)
{
    sd_mp_str(w, key);
    sd_mp_u64(w, val);
}

static inline double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
