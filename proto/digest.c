/* digest.c - BLAKE2b-256 over libsodium. */
#include "digest.h"

#include "error.h"

#include <sodium.h>
#include <string.h>

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

static void s_bin_header(sd_mp_writer_t *w, size_t len)
{
    uint8_t h[5];
    size_t n = len < 0x100 ? 1 : len < 0x10000 ? 2 : 4;
    h[0] = n == 1 ? 0xc4 : n == 2 ? 0xc5 : 0xc6;
    for (size_t i = 0; i < n; i++)
        h[1 + i] = (uint8_t)(len >> (8 * (n - 1 - i)));
    sd_mp_raw(w, h, 1 + n);
}

/* Writes n again through the writer, which always picks the shortest form. */
static int s_canon(const sd_mp_node_t *n, sd_mp_writer_t *w)
{
    size_t len;
    const char *bytes;
    uint64_t u;
    int64_t i;
    bool b;
    int rc = 0;
    switch (sd_mp_kind(n)) {
    case SD_MP_NIL:
        sd_mp_nil(w);
        return 0;
    case SD_MP_BOOL:
        sd_mp_boolean(n, &b);
        sd_mp_bool(w, b);
        return 0;
    case SD_MP_UINT:
        sd_mp_uint(n, &u);
        sd_mp_u64(w, u);
        return 0;
    case SD_MP_INT:
        sd_mp_int(n, &i);
        sd_mp_i64(w, i);
        return 0;
    case SD_MP_STR:
        bytes = sd_mp_bytes(n, &len);
        sd_mp_strn(w, bytes, len);
        return 0;
    case SD_MP_BIN:
        /* The writer has no bin: its shortest header (bin 8, 16 or 32) by hand. */
        bytes = sd_mp_bytes(n, &len);
        s_bin_header(w, len);
        sd_mp_raw(w, bytes, len);
        return 0;
    case SD_MP_ARRAY:
        sd_mp_array(w, (uint32_t)sd_mp_len(n));
        for (size_t k = 0; k < sd_mp_len(n) && !rc; k++)
            rc = s_canon(sd_mp_at(n, k), w);
        return rc;
    case SD_MP_MAP:
        sd_mp_map(w, (uint32_t)sd_mp_len(n));
        for (size_t k = 0; k < sd_mp_len(n) && !rc; k++)
            rc = s_canon(sd_mp_key(n, k), w) ?: s_canon(sd_mp_val(n, k), w);
        return rc;
    default:
        return SD_ETYPE;
    }
}

int sd_mp_node_version(const sd_mp_node_t *node, char hex[SD_VERSION_BYTES * 2 + 1])
{
    sd_mp_writer_t *w = sd_mp_writer_new();
    if (!w)
        return SD_ENOMEM;
    int rc = s_canon(node, w) ?: sd_mp_writer_error(w);
    if (!rc && sodium_init() < 0)
        rc = SD_EINVAL;
    if (!rc) {
        size_t len;
        const void *data = sd_mp_writer_data(w, &len);
        uint8_t out[SD_DIGEST_BYTES];
        crypto_generichash(out, sizeof out, data, len, NULL, 0);
        sodium_bin2hex(hex, SD_VERSION_BYTES * 2 + 1, out, SD_VERSION_BYTES);
    }
    sd_mp_writer_destroy(&w);
    return rc;
}

void sd_digest_final(sd_digest_t *d, uint8_t out[SD_DIGEST_BYTES], char *hex)
{
    crypto_generichash_final((crypto_generichash_state *)d, out, SD_DIGEST_BYTES);
    if (hex)
        sodium_bin2hex(hex, SD_DIGEST_BYTES * 2 + 1, out, SD_DIGEST_BYTES);
}

_Static_assert(sizeof(sd_digest_t) >= sizeof(crypto_generichash_state), "sd_digest_t holds it");

int sd_hash_init(sd_digest_t *d, size_t bytes)
{
    if (bytes == 0 || bytes > crypto_generichash_BYTES_MAX || /* 1..64: BLAKE2b's range */
        sodium_init() < 0)
        return SD_EINVAL;
    crypto_generichash_init((crypto_generichash_state *)d, NULL, 0, bytes);
    return 0;
}

void sd_hash_add(sd_digest_t *d, const void *data, size_t len)
{
    crypto_generichash_update((crypto_generichash_state *)d, data, len);
}

void sd_hash_final_hex(sd_digest_t *d, size_t bytes, char *hex)
{
    unsigned char h[crypto_generichash_BYTES_MAX];
    crypto_generichash_final((crypto_generichash_state *)d, h, bytes);
    sodium_bin2hex(hex, 2 * bytes + 1, h, bytes);
}

int sd_hash_hex(const void *data, size_t len, size_t bytes, char *hex)
{
    sd_digest_t d;
    int rc = sd_hash_init(&d, bytes);
    if (!rc) {
        sd_hash_add(&d, data, len);
        sd_hash_final_hex(&d, bytes, hex);
    }
    return rc;
}

int sd_hash_pair_hex(const char *a, const char *b, size_t bytes, char *hex)
{
    sd_digest_t d;
    int rc = sd_hash_init(&d, bytes);
    if (!rc) {
        sd_hash_add(&d, a, strlen(a));
        sd_hash_add(&d, "\n", 1);
        sd_hash_add(&d, b, strlen(b));
        sd_hash_final_hex(&d, bytes, hex);
    }
    return rc;
}
