/* mp.c - msgpack writer, bounded strict reader and schema tables over msgpack-c. */
#include "mp.h"

#include "error.h"
#include "utf8.h"

#include <limits.h> /* msgpack-c needs CHAR_MIN */
#include <msgpack.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writer -------------------------------------------------------------- */

struct sd_mp_writer {
    msgpack_sbuffer buf; /* the bytes */
    msgpack_packer pk;   /* packs into buf */
    int error;           /* sticky: first failure */
};

/* msgpack-c ignores a packer callback's failure in some paths, so the writer
 * records it itself and refuses further appends. */
static int s_write(void *data, const char *buf, size_t len)
{
    sd_mp_writer_t *w = data;
    if (w->error)
        return -1;
    if (msgpack_sbuffer_write(&w->buf, buf, len) != 0) {
        w->error = SD_ENOMEM;
        return -1;
    }
    return 0;
}

sd_mp_writer_t *sd_mp_writer_new(void)
{
    sd_mp_writer_t *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    msgpack_sbuffer_init(&w->buf);
    msgpack_packer_init(&w->pk, w, s_write);
    return w;
}

void sd_mp_writer_destroy(sd_mp_writer_t **w)
{
    if (!w || !*w)
        return;
    msgpack_sbuffer_destroy(&(*w)->buf);
    free(*w);
    *w = NULL;
}

void sd_mp_writer_reset(sd_mp_writer_t *w)
{
    w->buf.size = 0;
    w->error = 0;
}

int sd_mp_writer_error(const sd_mp_writer_t *w)
{
    return w->error;
}

const void *sd_mp_writer_data(const sd_mp_writer_t *w, size_t *len)
{
    *len = w->buf.size;
    return w->buf.data;
}

void sd_mp_map(sd_mp_writer_t *w, uint32_t pairs)
{
    msgpack_pack_map(&w->pk, pairs);
}

void sd_mp_array(sd_mp_writer_t *w, uint32_t count)
{
    msgpack_pack_array(&w->pk, count);
}

void sd_mp_nil(sd_mp_writer_t *w)
{
    msgpack_pack_nil(&w->pk);
}

void sd_mp_bool(sd_mp_writer_t *w, bool v)
{
    if (v)
        msgpack_pack_true(&w->pk);
    else
        msgpack_pack_false(&w->pk);
}

void sd_mp_u64(sd_mp_writer_t *w, uint64_t v)
{
    msgpack_pack_uint64(&w->pk, v);
}

void sd_mp_i64(sd_mp_writer_t *w, int64_t v)
{
    msgpack_pack_int64(&w->pk, v);
}

void sd_mp_strn(sd_mp_writer_t *w, const char *s, size_t len)
{
    msgpack_pack_str(&w->pk, len);
    msgpack_pack_str_body(&w->pk, s, len);
}

void sd_mp_bin(sd_mp_writer_t *w, const void *data, size_t len)
{
    msgpack_pack_bin(&w->pk, len);
    msgpack_pack_bin_body(&w->pk, data, len);
}

void sd_mp_str(sd_mp_writer_t *w, const char *s)
{
    if (s)
        sd_mp_strn(w, s, strlen(s));
    else
        sd_mp_nil(w);
}

void sd_mp_raw(sd_mp_writer_t *w, const void *v, size_t len)
{
    s_write(w, v, len);
}

/* ---- bounded pre-scan ---------------------------------------------------- */

typedef struct {
    const uint8_t *p; /* message bytes */
    size_t len;       /* their count */
    size_t pos;       /* next byte to read */
    size_t elements;  /* objects seen so far */
} s_scan_t;

static int s_take(s_scan_t *s, size_t n)
{
    if (s->len - s->pos < n)
        return SD_EMSGPACK;
    s->pos += n;
    return 0;
}

static int s_be(s_scan_t *s, size_t width, uint64_t *v)
{
    if (s->len - s->pos < width)
        return SD_EMSGPACK;
    *v = 0;
    for (size_t i = 0; i < width; i++)
        *v = (*v << 8) | s->p[s->pos + i];
    s->pos += width;
    return 0;
}

/* Walks one object, proving it complete and within limits before msgpack-c
 * allocates anything for it. A claimed count larger than the bytes left is
 * rejected at once: every element takes at least one byte. */
static int s_scan(s_scan_t *s, int depth)
{
    if (depth > SD_MP_MAX_DEPTH)
        return SD_ETOOBIG;
    if (++s->elements > SD_MP_MAX_ELEMENTS)
        return SD_ETOOBIG;
    if (s->pos >= s->len)
        return SD_EMSGPACK;
    uint8_t b = s->p[s->pos++];
    uint64_t n = 0;
    int rc = 0;
    bool is_map = false;
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
        return 0;
    if (b >= 0xa0 && b <= 0xbf)
        return s_take(s, b & 0x1f);
    if (b >= 0x80 && b <= 0x8f) {
        n = b & 0x0f, is_map = true;
    } else if (b >= 0x90 && b <= 0x9f) {
        n = b & 0x0f;
    } else {
        switch (b) {
        case 0xc4:
        case 0xd9: /* bin8, str8 */
            return (rc = s_be(s, 1, &n)) ? rc : s_take(s, n);
        case 0xc5:
        case 0xda:
            return (rc = s_be(s, 2, &n)) ? rc : s_take(s, n);
        case 0xc6:
        case 0xdb:
            return (rc = s_be(s, 4, &n)) ? rc : s_take(s, n);
        case 0xc7:
            return (rc = s_be(s, 1, &n)) ? rc : s_take(s, n + 1);
        case 0xc8:
            return (rc = s_be(s, 2, &n)) ? rc : s_take(s, n + 1);
        case 0xc9:
            return (rc = s_be(s, 4, &n)) ? rc : s_take(s, n + 1);
        case 0xca:
        case 0xce:
        case 0xd2:
            return s_take(s, 4);
        case 0xcb:
        case 0xcf:
        case 0xd3:
            return s_take(s, 8);
        case 0xcc:
        case 0xd0:
            return s_take(s, 1);
        case 0xcd:
        case 0xd1:
            return s_take(s, 2);
        case 0xd4:
            return s_take(s, 2);
        case 0xd5:
            return s_take(s, 3);
        case 0xd6:
            return s_take(s, 5);
        case 0xd7:
            return s_take(s, 9);
        case 0xd8:
            return s_take(s, 17);
        case 0xdc:
            rc = s_be(s, 2, &n);
            break;
        case 0xdd:
            rc = s_be(s, 4, &n);
            break;
        case 0xde:
            rc = s_be(s, 2, &n), is_map = true;
            break;
        case 0xdf:
            rc = s_be(s, 4, &n), is_map = true;
            break;
        default:
            return SD_EMSGPACK; /* 0xc1 is never used */
        }
        if (rc)
            return rc;
    }
    if (is_map)
        n *= 2;
    if (n > s->len - s->pos)
        return SD_EMSGPACK;
    for (uint64_t i = 0; i < n; i++)
        if ((rc = s_scan(s, depth + 1)) != 0)
            return rc;
    return 0;
}

/* ---- reader -------------------------------------------------------------- */

struct sd_mp_doc {
    msgpack_unpacked result; /* owns the zone the nodes live in */
    char *bytes;             /* copy of the input: msgpack-c points str/bin nodes into it */
};

static const msgpack_object *s_obj(const sd_mp_node_t *n)
{
    return (const msgpack_object *)n;
}

int sd_mp_doc_parse(const void *buf, size_t len, sd_mp_doc_t **doc)
{
    *doc = NULL;
    if (len > SD_MP_MAX_BYTES)
        return SD_ETOOBIG;
    s_scan_t scan = {.p = buf, .len = len};
    int rc = s_scan(&scan, 0);
    if (rc)
        return rc;
    if (scan.pos != len)
        return SD_ETRAILING;
    sd_mp_doc_t *d = malloc(sizeof *d);
    char *bytes = malloc(len ? len : 1);
    if (!d || !bytes) {
        free(d);
        free(bytes);
        return SD_ENOMEM;
    }
    memcpy(bytes, buf, len);
    d->bytes = bytes;
    msgpack_unpacked_init(&d->result);
    size_t off = 0;
    msgpack_unpack_return ret = msgpack_unpack_next(&d->result, bytes, len, &off);
    if (ret != MSGPACK_UNPACK_SUCCESS || off != len) {
        msgpack_unpacked_destroy(&d->result);
        free(d->bytes);
        free(d);
        return ret == MSGPACK_UNPACK_NOMEM_ERROR ? SD_ENOMEM : SD_EMSGPACK;
    }
    *doc = d;
    return 0;
}

void sd_mp_doc_destroy(sd_mp_doc_t **doc)
{
    if (!doc || !*doc)
        return;
    msgpack_unpacked_destroy(&(*doc)->result);
    free((*doc)->bytes);
    free(*doc);
    *doc = NULL;
}

const sd_mp_node_t *sd_mp_doc_root(const sd_mp_doc_t *doc)
{
    return (const sd_mp_node_t *)&doc->result.data;
}

sd_mp_kind_t sd_mp_kind(const sd_mp_node_t *n)
{
    switch (s_obj(n)->type) {
    case MSGPACK_OBJECT_NIL:
        return SD_MP_NIL;
    case MSGPACK_OBJECT_BOOLEAN:
        return SD_MP_BOOL;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        return SD_MP_UINT;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return SD_MP_INT;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return SD_MP_FLOAT;
    case MSGPACK_OBJECT_STR:
        return SD_MP_STR;
    case MSGPACK_OBJECT_BIN:
        return SD_MP_BIN;
    case MSGPACK_OBJECT_ARRAY:
        return SD_MP_ARRAY;
    case MSGPACK_OBJECT_MAP:
        return SD_MP_MAP;
    default:
        return SD_MP_EXT;
    }
}

size_t sd_mp_len(const sd_mp_node_t *n)
{
    const msgpack_object *o = s_obj(n);
    switch (o->type) {
    case MSGPACK_OBJECT_ARRAY:
        return o->via.array.size;
    case MSGPACK_OBJECT_MAP:
        return o->via.map.size;
    case MSGPACK_OBJECT_STR:
        return o->via.str.size;
    case MSGPACK_OBJECT_BIN:
        return o->via.bin.size;
    default:
        return 0;
    }
}

const sd_mp_node_t *sd_mp_at(const sd_mp_node_t *n, size_t i)
{
    const msgpack_object *o = s_obj(n);
    if (o->type != MSGPACK_OBJECT_ARRAY || i >= o->via.array.size)
        return NULL;
    return (const sd_mp_node_t *)&o->via.array.ptr[i];
}

const sd_mp_node_t *sd_mp_key(const sd_mp_node_t *n, size_t i)
{
    const msgpack_object *o = s_obj(n);
    if (o->type != MSGPACK_OBJECT_MAP || i >= o->via.map.size)
        return NULL;
    return (const sd_mp_node_t *)&o->via.map.ptr[i].key;
}

const sd_mp_node_t *sd_mp_val(const sd_mp_node_t *n, size_t i)
{
    const msgpack_object *o = s_obj(n);
    if (o->type != MSGPACK_OBJECT_MAP || i >= o->via.map.size)
        return NULL;
    return (const sd_mp_node_t *)&o->via.map.ptr[i].val;
}

const char *sd_mp_bytes(const sd_mp_node_t *n, size_t *len)
{
    const msgpack_object *o = s_obj(n);
    if (o->type == MSGPACK_OBJECT_STR) {
        *len = o->via.str.size;
        return o->via.str.ptr;
    }
    if (o->type == MSGPACK_OBJECT_BIN) {
        *len = o->via.bin.size;
        return o->via.bin.ptr;
    }
    *len = 0;
    return NULL;
}

bool sd_mp_str_eq(const sd_mp_node_t *n, const char *s)
{
    const msgpack_object *o = s_obj(n);
    size_t len = strlen(s);
    return o->type == MSGPACK_OBJECT_STR && o->via.str.size == len &&
           memcmp(o->via.str.ptr, s, len) == 0;
}

int sd_mp_copy_str(const sd_mp_node_t *n, char *out, size_t cap)
{
    size_t len;
    const char *s = sd_mp_bytes(n, &len);
    if (sd_mp_kind(n) != SD_MP_STR || len >= cap)
        return SD_ETYPE;
    memcpy(out, s, len);
    out[len] = 0;
    return 0;
}

const sd_mp_node_t *sd_mp_get(const sd_mp_node_t *n, const char *name)
{
    size_t count = sd_mp_kind(n) == SD_MP_MAP ? sd_mp_len(n) : 0;
    for (size_t i = 0; i < count; i++)
        if (sd_mp_str_eq(sd_mp_key(n, i), name))
            return sd_mp_val(n, i);
    return NULL;
}

int sd_mp_uint(const sd_mp_node_t *n, uint64_t *v)
{
    const msgpack_object *o = s_obj(n);
    if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return SD_ETYPE;
    *v = o->via.u64;
    return 0;
}

int sd_mp_boolean(const sd_mp_node_t *n, bool *v)
{
    const msgpack_object *o = s_obj(n);
    if (o->type != MSGPACK_OBJECT_BOOLEAN)
        return SD_ETYPE;
    *v = o->via.boolean;
    return 0;
}

int sd_mp_int(const sd_mp_node_t *n, int64_t *v)
{
    const msgpack_object *o = s_obj(n);
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        *v = o->via.i64;
        return 0;
    }
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= INT64_MAX) {
        *v = (int64_t)o->via.u64;
        return 0;
    }
    return SD_ETYPE;
}

size_t sd_mp_map_header(const uint8_t *buf, size_t len, uint32_t *pairs)
{
    if (len >= 1 && (buf[0] & 0xf0) == 0x80) {
        *pairs = buf[0] & 0x0f;
        return 1;
    }
    if (len >= 3 && buf[0] == 0xde) {
        *pairs = (uint32_t)buf[1] << 8 | buf[2];
        return 3;
    }
    if (len >= 5 && buf[0] == 0xdf) {
        *pairs = (uint32_t)buf[1] << 24 | (uint32_t)buf[2] << 16 | (uint32_t)buf[3] << 8 | buf[4];
        return 5;
    }
    return 0;
}
