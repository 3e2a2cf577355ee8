/* index.c - building and reading index entries (index.h). */
#include "index.h"

#include "error.h"

#include <string.h>

void sd_index_reset(sd_index_keys_t *k)
{
    k->used = k->open = 0;
    k->error = 0;
}

void sd_index_put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

uint64_t sd_index_get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Appends len bytes to the open entry, keeping its length field and the key limit. */
static void s_append(sd_index_keys_t *k, const void *bytes, size_t len)
{
    if (k->error)
        return;
    size_t have = k->used - k->open - 3;
    if (have + len > SD_INDEX_KEY_MAX || k->used + len > sizeof k->buf) {
        k->error = SD_ETOOBIG;
        return;
    }
    memcpy(k->buf + k->used, bytes, len);
    k->used += len;
    have += len;
    k->buf[k->open + 1] = (uint8_t)(have >> 8);
    k->buf[k->open + 2] = (uint8_t)have;
}

static void s_start(sd_index_keys_t *k, int type, const char *name)
{
    if (k->error)
        return;
    if (k->used + 3 > sizeof k->buf) {
        k->error = SD_ETOOBIG;
        return;
    }
    k->open = k->used;
    k->buf[k->used++] = (uint8_t)type;
    k->buf[k->used++] = 0;
    k->buf[k->used++] = 0;
    s_append(k, name, strlen(name) + 1);
}

void sd_index_begin(sd_index_keys_t *k, const char *name)
{
    s_start(k, SD_INDEX_ENTRY, name);
}

void sd_index_count(sd_index_keys_t *k, const char *name)
{
    s_start(k, SD_INDEX_COUNTER, name);
}

void sd_index_u8(sd_index_keys_t *k, uint8_t v)
{
    s_append(k, &v, 1);
}

void sd_index_u64(sd_index_keys_t *k, uint64_t v)
{
    uint8_t b[8];
    sd_index_put_be64(b, v);
    s_append(k, b, 8);
}

void sd_index_str(sd_index_keys_t *k, const char *s)
{
    s_append(k, s ? s : "", (s ? strlen(s) : 0) + 1);
}

bool sd_index_next(const sd_index_keys_t *k, size_t *pos, int *type, const uint8_t **bytes,
                   size_t *len)
{
    if (*pos + 3 > k->used)
        return false;
    const uint8_t *p = k->buf + *pos;
    *type = p[0];
    *len = ((size_t)p[1] << 8) | p[2];
    *bytes = p + 3;
    *pos += 3 + *len;
    return true;
}

bool sd_index_has(const sd_index_keys_t *k, int type, const uint8_t *bytes, size_t len)
{
    size_t pos = 0, n;
    int t;
    const uint8_t *b;
    while (sd_index_next(k, &pos, &t, &b, &n))
        if (t == type && n == len && memcmp(b, bytes, len) == 0)
            return true;
    return false;
}
