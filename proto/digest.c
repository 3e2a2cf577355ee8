/* digest.c - BLAKE2b-256 over libsodium. */
#include "digest.h"

#include "error.h"
#include "mp.h"

#include <stdio.h>

#include <sodium.h>

_Static_assert(sizeof(crypto_generichash_state) <= sizeof(sd_digest_t), "state fits");

int sd_digest_init(sd_digest_t *d)
{
    if (sodium_init() < 0)
        return SD_EINVAL;
    crypto_generichash_init((crypto_generichash_state *)d, NULL, 0, SD_DIGEST_BYTES);
    return 0;
}

void sd_digest_add(sd_digest_t *d, const void *data, size_t len)
{
    uint8_t prefix[8];
    for (int i = 0; i < 8; i++)
        prefix[i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
    crypto_generichash_update((crypto_generichash_state *)d, prefix, sizeof prefix);
    crypto_generichash_update((crypto_generichash_state *)d, data, len);
}

void sd_digest_final(sd_digest_t *d, uint8_t out[SD_DIGEST_BYTES], char *hex)
{
    crypto_generichash_final((crypto_generichash_state *)d, out, SD_DIGEST_BYTES);
    if (hex)
        sodium_bin2hex(hex, SD_DIGEST_BYTES * 2 + 1, out, SD_DIGEST_BYTES);
}

/* Feeds the object's kind, then its value (a container: its count and elements in order). */
static void s_walk(sd_digest_t *d, const sd_mp_node_t *n)
{
    uint8_t kind = (uint8_t)sd_mp_kind(n);
    sd_digest_add(d, &kind, 1);
    size_t len = 0, count = sd_mp_len(n);
    const char *bytes;
    uint64_t u;
    int64_t i;
    bool b;
    switch (sd_mp_kind(n)) {
    case SD_MP_BOOL:
        sd_mp_boolean(n, &b);
        sd_digest_add(d, &b, 1);
        break;
    case SD_MP_UINT:
        sd_mp_uint(n, &u);
        sd_digest_add(d, &u, sizeof u);
        break;
    case SD_MP_INT:
        sd_mp_int(n, &i);
        sd_digest_add(d, &i, sizeof i);
        break;
    case SD_MP_STR:
    case SD_MP_BIN:
        bytes = sd_mp_bytes(n, &len);
        sd_digest_add(d, bytes, len);
        break;
    case SD_MP_ARRAY:
        sd_digest_add(d, &count, sizeof count);
        for (size_t k = 0; k < count; k++)
            s_walk(d, sd_mp_at(n, k));
        break;
    case SD_MP_MAP:
        sd_digest_add(d, &count, sizeof count);
        for (size_t k = 0; k < count; k++) {
            s_walk(d, sd_mp_key(n, k));
            s_walk(d, sd_mp_val(n, k));
        }
        break;
    default: /* nil; floats and exts appear in no reply */
        break;
    }
}

int sd_mp_node_version(const struct sd_mp_node *node, char hex[33])
{
    sd_digest_t d;
    if (sd_digest_init(&d) != 0)
        return SD_EINVAL;
    s_walk(&d, node);
    uint8_t out[SD_DIGEST_BYTES];
    sd_digest_final(&d, out, NULL);
    for (int k = 0; k < 16; k++)
        snprintf(hex + 2 * k, 3, "%02x", out[k]);
    return 0;
}
