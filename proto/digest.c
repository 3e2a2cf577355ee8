/* digest.c - BLAKE2b-256 over libsodium. */
#include "digest.h"

#include "error.h"

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
