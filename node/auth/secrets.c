/* secrets.c - token secrets and hashes, argon2id passwords (libsodium). */
#include "secrets.h"

#include <sodium.h>
#include <string.h>

#define SECRET_BYTES 32

_Static_assert(SD_SECRET_PW_MAX >= crypto_pwhash_STRBYTES, "a password hash fits");
_Static_assert(SD_SECRET_HASH_HEX == 2 * crypto_generichash_BYTES, "BLAKE2b-256 in hex");

int sd_secret_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

static void s_hash(const unsigned char secret[SECRET_BYTES], char hash[SD_SECRET_HASH_HEX + 1])
{
    unsigned char h[crypto_generichash_BYTES];
    crypto_generichash(h, sizeof h, secret, SECRET_BYTES, NULL, 0);
    sodium_bin2hex(hash, SD_SECRET_HASH_HEX + 1, h, sizeof h);
}

void sd_secret_token(const char *prefix, char token[SD_SECRET_TOKEN_LEN + 1],
                     char hash[SD_SECRET_HASH_HEX + 1])
{
    unsigned char secret[SECRET_BYTES];
    randombytes_buf(secret, sizeof secret);
    memcpy(token, prefix, 4);
    sodium_bin2hex(token + 4, SD_SECRET_TOKEN_LEN - 4 + 1, secret, sizeof secret);
    s_hash(secret, hash);
    sodium_memzero(secret, sizeof secret);
}

int sd_secret_token_hash(const char *token, char hash[SD_SECRET_HASH_HEX + 1])
{
    unsigned char secret[SECRET_BYTES];
    size_t n = 0;
    if (strlen(token) != SD_SECRET_TOKEN_LEN ||
        sodium_hex2bin(secret, sizeof secret, token + 4, SD_SECRET_TOKEN_LEN - 4, NULL, &n, NULL) !=
            0 ||
        n != sizeof secret)
        return -1;
    s_hash(secret, hash);
    sodium_memzero(secret, sizeof secret);
    return 0;
}

bool sd_secret_equal(const char *a, const char *b, size_t n)
{
    return sodium_memcmp(a, b, n) == 0;
}

void sd_secret_wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}

_Static_assert(SD_SECRET_MAC_BYTES == crypto_auth_hmacsha256_BYTES, "an HMAC-SHA256");
_Static_assert(SD_SECRET_MAC_B64 == sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
                                                              sodium_base64_VARIANT_ORIGINAL),
               "its base64");

void sd_secret_hmac_sha256(const char *key, const void *msg, size_t len,
                           unsigned char mac[SD_SECRET_MAC_BYTES])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
    crypto_auth_hmacsha256_update(&st, msg, len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
}

void sd_secret_mac_base64(const unsigned char mac[SD_SECRET_MAC_BYTES], char b64[SD_SECRET_MAC_B64])
{
    sodium_bin2base64(b64, SD_SECRET_MAC_B64, mac, SD_SECRET_MAC_BYTES,
                      sodium_base64_VARIANT_ORIGINAL);
}

void sd_secret_mac_hex(const unsigned char mac[SD_SECRET_MAC_BYTES],
                       char hex[2 * SD_SECRET_MAC_BYTES + 1])
{
    sodium_bin2hex(hex, 2 * SD_SECRET_MAC_BYTES + 1, mac, SD_SECRET_MAC_BYTES);
}

void sd_secret_random_hex(size_t bytes, char *hex)
{
    unsigned char r[32];
    bytes = bytes > sizeof r ? sizeof r : bytes;
    randombytes_buf(r, bytes);
    sodium_bin2hex(hex, 2 * bytes + 1, r, bytes);
}

int sd_secret_pw_hash(const char *password, char out[SD_SECRET_PW_MAX])
{
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? 0
               : -1;
}

bool sd_secret_pw_verify(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
