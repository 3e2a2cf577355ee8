/* mp.h - msgpack for sundesk: a writer, a strict bounded reader, and
 * table-driven encoding/decoding of C structs.
 *
 * This module is the only one that includes <msgpack.h>. Decoding is strict by
 * design: a message is parsed only after a pre-scan has proved it is one
 * complete msgpack object within the size, depth and element limits, so a
 * 5-byte "array of 4 billion elements" never reaches an allocator. The schema
 * layer (sd_field_t tables) then rejects wrong types, unknown or missing
 * fields, over-long strings, invalid UTF-8 and out-of-range numbers, naming
 * the offending field in a fault. */
#ifndef SD_MP_H
#define SD_MP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_MP_MAX_DEPTH    8         /* deepest nesting a message may have */
#define SD_MP_MAX_ELEMENTS (1 << 20) /* most objects (of any kind) in one message */
#define SD_MP_MAX_BYTES                                                                            \
    (64 << 20) /* largest message parsed (a long list reply); requests                             \
                * are held to SD_MESSAGE_MAX before parsing */

/* ---- writer -------------------------------------------------------------- */

typedef struct sd_mp_writer sd_mp_writer_t;

/* New empty writer, or NULL when out of memory. */
sd_mp_writer_t *sd_mp_writer_new(void);
/* Frees the writer and sets *w to NULL; NULL-safe. */
void sd_mp_writer_destroy(sd_mp_writer_t **w);
/* Forgets everything written and any sticky error; keeps the buffer. */
void sd_mp_writer_reset(sd_mp_writer_t *w);
/* Sticky error: 0, or SD_ENOMEM once any append failed. Appends after an error
 * do nothing, so a caller checks once at the end. */
int sd_mp_writer_error(const sd_mp_writer_t *w);
/* The bytes written so far; borrowed, valid until the next call on w. */
const void *sd_mp_writer_data(const sd_mp_writer_t *w, size_t *len);

void sd_mp_map(sd_mp_writer_t *w, uint32_t pairs);
void sd_mp_array(sd_mp_writer_t *w, uint32_t count);
void sd_mp_nil(sd_mp_writer_t *w);
/* The map header at the start of buf[0..len) (as sd_mp_map writes it): its size in bytes and
 * *pairs, or 0 when buf does not start with one. */
size_t sd_mp_map_header(const uint8_t *buf, size_t len, uint32_t *pairs);
void sd_mp_bool(sd_mp_writer_t *w, bool v);
void sd_mp_u64(sd_mp_writer_t *w, uint64_t v);
void sd_mp_i64(sd_mp_writer_t *w, int64_t v);
/* Writes s as a msgpack str, or nil when s is NULL. */
void sd_mp_str(sd_mp_writer_t *w, const char *s);
void sd_mp_strn(sd_mp_writer_t *w, const char *s, size_t len);
/* Writes data[0..len) as a msgpack bin. */
void sd_mp_bin(sd_mp_writer_t *w, const void *data, size_t len);
/* Appends v, which must already be one complete msgpack object. */
void sd_mp_raw(sd_mp_writer_t *w, const void *v, size_t len);

/* ---- reader -------------------------------------------------------------- */

typedef struct sd_mp_doc sd_mp_doc_t;
typedef struct sd_mp_node sd_mp_node_t; /* a view into a doc; dies with it */

typedef enum {
    SD_MP_NIL,
    SD_MP_BOOL,
    SD_MP_UINT,
    SD_MP_INT, /* negative integers only */
    SD_MP_FLOAT,
    SD_MP_STR,
    SD_MP_BIN,
    SD_MP_ARRAY,
    SD_MP_MAP,
    SD_MP_EXT
} sd_mp_kind_t;

/* Parses buf[0..len) as exactly one msgpack object.
 * Returns 0 and a new doc in *doc (the caller owns it; it does not point into
 * buf), or: SD_EMSGPACK (not msgpack, or truncated), SD_ETRAILING (bytes after
 * the object), SD_ETOOBIG (len > SD_MP_MAX_BYTES, deeper than SD_MP_MAX_DEPTH,
 * more than SD_MP_MAX_ELEMENTS objects), SD_ENOMEM. */
int sd_mp_doc_parse(const void *buf, size_t len, sd_mp_doc_t **doc);
void sd_mp_doc_destroy(sd_mp_doc_t **doc);
const sd_mp_node_t *sd_mp_doc_root(const sd_mp_doc_t *doc);

sd_mp_kind_t sd_mp_kind(const sd_mp_node_t *n);
/* Element count of an array or map, byte length of a str/bin, else 0. */
size_t sd_mp_len(const sd_mp_node_t *n);
/* i-th element of an array; NULL when n is not an array or i is out of range. */
const sd_mp_node_t *sd_mp_at(const sd_mp_node_t *n, size_t i);
/* i-th key / value of a map; NULL when n is not a map or i is out of range. */
const sd_mp_node_t *sd_mp_key(const sd_mp_node_t *n, size_t i);
const sd_mp_node_t *sd_mp_val(const sd_mp_node_t *n, size_t i);
/* Value of the map entry whose key is the str `name`, or NULL. */
const sd_mp_node_t *sd_mp_get(const sd_mp_node_t *n, const char *name);
/* Bytes of a str or bin (not NUL-terminated), or NULL for other kinds. */
const char *sd_mp_bytes(const sd_mp_node_t *n, size_t *len);
/* Copies a str node into out (cap bytes with the NUL). SD_ETYPE when n is no str or does not
 * fit. */
int sd_mp_copy_str(const sd_mp_node_t *n, char *out, size_t cap);
/* True when n is a str equal to s. */
bool sd_mp_str_eq(const sd_mp_node_t *n, const char *s);
/* Non-negative integer value; SD_ETYPE when n is not one. */
int sd_mp_uint(const sd_mp_node_t *n, uint64_t *v);
/* Signed integer value (either msgpack int kind); SD_ETYPE otherwise. */
int sd_mp_int(const sd_mp_node_t *n, int64_t *v);
/* Boolean value; SD_ETYPE when n is not a bool. */
int sd_mp_boolean(const sd_mp_node_t *n, bool *v);

/* ---- schema tables ------------------------------------------------------- */

typedef enum {
    SD_F_STR,  /* char *, heap-owned by the struct; NULL when absent or nil */
    SD_F_U64,  /* uint64_t */
    SD_F_INT,  /* int, range [min, max] */
    SD_F_BOOL, /* bool */
    SD_F_ENUM, /* int index into names[0..max), on the wire the name */
    SD_F_NODE, /* const sd_mp_node_t *: any value, kept for the caller to decode */
    SD_F_BIN   /* sd_bin_t: bytes (a msgpack bin; a str is taken as its bytes), heap-owned;
                  max = most bytes */
} sd_field_kind_t;

/* The member of an SD_F_BIN field: len bytes at data (heap-owned; NULL when absent). */
typedef struct {
    uint8_t *data;
    size_t len;
} sd_bin_t;

enum {
    SD_F_REQUIRED = 1 << 0, /* decode fails with SD_EMISSING without it */
    SD_F_LINE = 1 << 1,     /* STR: single line, no control characters */
    SD_F_NONEMPTY = 1 << 2, /* STR: at least one byte */
    SD_F_MAX = 1 << 3,      /* U64 record field merged by maximum, not last writer (fold.c) */
    SD_F_SECRET = 1 << 4,   /* record field stored and replicated but never shown to clients */
    SD_F_OMIT_ZERO = 1 << 5 /* BOOL item field left out of an event when false: an event that
                               does not set it is the same bytes as one made before it existed */
};

/* One field of a struct as seen on the wire. Tables have at most 64 entries so
 * a uint64_t mask can say which fields are present. */
typedef struct {
    const char *name;         /* wire name (map key) */
    uint8_t kind;             /* sd_field_kind_t */
    uint8_t flags;            /* SD_F_* */
    uint8_t group;            /* free for the table's owner (ticket: register) */
    size_t offset;            /* offsetof the member in the struct */
    uint32_t min, max;        /* INT range; STR max bytes; ENUM: max = count */
    const char *const *names; /* ENUM value names */
} sd_field_t;

/* Why a decode failed, for a one-line error message to the sender. */
typedef struct {
    int code;       /* the SD_E* code returned */
    char text[200]; /* e.g. "args.title: string too long (max 200 bytes)" */
} sd_fault_t;

/* Sets fault (if not NULL) to code with a printf-style text; returns code. */
int sd_fault_set(sd_fault_t *fault, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Decodes the map `map` into the struct at obj using the table.
 * Every key must name a field (else SD_EUNKNOWN_FIELD), appear once (else
 * SD_EDUPLICATE), have the field's type (nil is accepted for a STR that is neither
 * required nor non-empty and means NULL), strings must be valid UTF-8 within max bytes.
 * Bits of *present are set for the fields found. `where` prefixes fault texts
 * (e.g. "args"). On error the struct may hold some decoded strings: free them
 * with sd_fields_free. */
int sd_fields_decode(const sd_field_t *table, size_t n, const sd_mp_node_t *map, const char *where,
                     void *obj, uint64_t *present, sd_fault_t *fault);

/* Decodes one value v into field f of obj, with the checks of sd_fields_decode. */
int sd_field_decode(const sd_field_t *f, const sd_mp_node_t *v, const char *where, void *obj,
                    sd_fault_t *fault);

/* Sets field f of obj from command-line text: STR as is (checked like a
 * decode), INT/U64 decimal, BOOL "true"/"false"/"yes"/"no"/"1"/"0", ENUM by
 * name. Returns 0 or an error with the reason in fault. */
int sd_field_parse(const sd_field_t *f, const char *text, void *obj, sd_fault_t *fault);

/* Writes the fields in `mask` as key/value pairs, in table order, without a map
 * header (so a caller can add pairs of its own). Returns the pair count. */
/* The mask of table's fields that obj carries: all, but a field flagged SD_F_OMIT_ZERO whose
 * value is false. */
uint64_t sd_fields_present(const sd_field_t *table, size_t n, const void *obj);

uint32_t sd_fields_encode(const sd_field_t *table, size_t n, const void *obj, uint64_t mask,
                          sd_mp_writer_t *w);

/* Frees the STR members of obj that are in mask and sets them to NULL. */
void sd_fields_free(const sd_field_t *table, size_t n, void *obj, uint64_t mask);

/* Copies the fields in mask from src to dst (duplicating strings, freeing
 * dst's old ones). Returns 0 or SD_ENOMEM (dst then holds a mix; free it). */
int sd_fields_copy(const sd_field_t *table, size_t n, void *dst, const void *src, uint64_t mask);

/* True when the fields in mask are equal in a and b. */
bool sd_fields_equal(const sd_field_t *table, size_t n, const void *a, const void *b,
                     uint64_t mask);

/* Index of the field named name in the table, or -1. */
int sd_fields_find(const sd_field_t *table, size_t n, const char *name);
/* sd_fields_find_bytes that tries entry hint first (the one after the previous match: maps
 * written in table order then cost one comparison per key). */
int sd_fields_find_next(const sd_field_t *table, size_t n, const char *name, size_t len,
                        size_t hint);

/* The same for a received name[0..len) (not NUL-terminated; may hold a NUL). */
int sd_fields_find_bytes(const sd_field_t *table, size_t n, const char *name, size_t len);

/* A received key for an error message: at most 40 bytes of name[0..len),
 * non-printable bytes as '?', NUL-terminated into out. */
#define SD_FIELD_QUOTE_MAX 41
void sd_field_quote(char out[SD_FIELD_QUOTE_MAX], const char *name, size_t len);

/* Name of value v of an ENUM field, or "?" when out of range. */
const char *sd_field_enum_name(const sd_field_t *f, int v);
/* Value of an ENUM name, or -1. */
int sd_field_enum_value(const sd_field_t *f, const char *name);

#endif
