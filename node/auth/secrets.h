/* secrets.h - the node's cryptography for people: token secrets, their hashes, password hashes;
 * and the signatures the chat robots' vendors ask for (HMAC-SHA256, base64) and random ids.
 *
 * The one module of the node that includes libsodium. A token is a prefix ("sdt_" API token,
 * "sds_" session) and 64 hex digits of 32 random bytes; what is kept is the hex BLAKE2b-256 of
 * those bytes, so a copy of the store gives no usable token. Password hashes are argon2id
 * (crypto_pwhash_str) at libsodium's interactive limits: about 64 MiB and a tenth of a second
 * each, which is why password.h bounds how many run. */
#ifndef SD_SECRETS_H
#define SD_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

#define SD_SECRET_HASH_HEX  64  /* hex digits of a token hash */
#define SD_SECRET_TOKEN_LEN 68  /* prefix (4) and 64 hex digits */
#define SD_SECRET_PW_MAX    128 /* bytes of a password hash string with its NUL */

/* 0, or -1 when libsodium cannot start (no entropy source). Call once before the rest. */
int sd_secret_init(void);

/* A new token with prefix (4 bytes) into token, and the hash it is found by into hash. */
void sd_secret_token(const char *prefix, char token[SD_SECRET_TOKEN_LEN + 1],
                     char hash[SD_SECRET_HASH_HEX + 1]);

/* The hash of a presented token (any prefix of 4 bytes): 0, or -1 when it is not one. */
int sd_secret_token_hash(const char *token, char hash[SD_SECRET_HASH_HEX + 1]);

/* Constant-time equality of two hashes. */
bool sd_secret_equal(const char *a, const char *b, size_t n);

/* Overwrites n bytes at p so the compiler cannot skip it. */
void sd_secret_wipe(void *p, size_t n);

#define SD_SECRET_MAC_BYTES 32 /* an HMAC-SHA256 */
#define SD_SECRET_MAC_B64   45 /* its base64 (standard alphabet, padded) with the NUL */

/* HMAC-SHA256 of len bytes at msg with key (a NUL-terminated secret) into mac. */
void sd_secret_hmac_sha256(const char *key, const void *msg, size_t len,
                           unsigned char mac[SD_SECRET_MAC_BYTES]);

/* mac as standard padded base64 into b64, and as lower-case hex into hex. */
void sd_secret_mac_base64(const unsigned char mac[SD_SECRET_MAC_BYTES],
                          char b64[SD_SECRET_MAC_B64]);
void sd_secret_mac_hex(const unsigned char mac[SD_SECRET_MAC_BYTES],
                       char hex[2 * SD_SECRET_MAC_BYTES + 1]);

/* bytes (at most 32) random bytes as 2 * bytes lower-case hex digits and a NUL. */
void sd_secret_random_hex(size_t bytes, char *hex);

/* argon2id hash of password into out: 0, or -1 (out of memory). */
int sd_secret_pw_hash(const char *password, char out[SD_SECRET_PW_MAX]);

/* True when password matches hash. */
bool sd_secret_pw_verify(const char *hash, const char *password);

#endif
