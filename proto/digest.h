/* digest.h - incremental BLAKE2b-256 digest of store state, to prove convergence; and plain
 * BLAKE2b content hashes as hex (the ids of messages, alerts, blobs and notices).
 *
 * Wraps libsodium; the only module of proto/ that includes <sodium.h> (the node's other use of
 * it, token and password hashing, is node/auth/secrets.c). */
#ifndef SD_DIGEST_H
#define SD_DIGEST_H

#include "mp.h"

#include <stddef.h>
#include <stdint.h>

#define SD_DIGEST_BYTES  32
#define SD_VERSION_BYTES 16 /* of a record version: 32 hex digits (an HTTP ETag, if_match) */

typedef struct {
    _Alignas(64) unsigned char opaque[384]; /* crypto_generichash_state, kept opaque */
} sd_digest_t;

/* Starts a digest. Returns 0 or SD_EINVAL when libsodium cannot initialise. */
int sd_digest_init(sd_digest_t *d);
/* Adds len bytes; a length prefix is mixed in so ("ab","c") != ("a","bc"). */
void sd_digest_add(sd_digest_t *d, const void *data, size_t len);
/* Writes the digest and, as hex (65 bytes with NUL), to hex if not NULL. */
void sd_digest_final(sd_digest_t *d, uint8_t out[SD_DIGEST_BYTES], char *hex);

/* Plain BLAKE2b (no length prefixes) with a `bytes`-long output (1..64; BLAKE2b's output length
 * is a parameter of the hash, not a cut): start, add, and write it as 2 * bytes lower-case hex
 * digits and a NUL. init returns 0, or SD_EINVAL (a bad length, or libsodium cannot start). */
int sd_hash_init(sd_digest_t *d, size_t bytes);
void sd_hash_add(sd_digest_t *d, const void *data, size_t len);
void sd_hash_final_hex(sd_digest_t *d, size_t bytes, char *hex);

/* The hex BLAKE2b-(8 * bytes) of len bytes at data; of a, "\n" and b for sd_hash_pair_hex (the
 * id of a thing named by two strings: a channel and a Message-ID, a source and an alert's key).
 * 0 or SD_EINVAL. */
int sd_hash_hex(const void *data, size_t len, size_t bytes, char *hex);
int sd_hash_pair_hex(const char *a, const char *b, size_t bytes, char *hex);

/* The version of a parsed msgpack object (a record as a reply shows it): the first 16 bytes, as
 * 32 lower-case hex digits, of BLAKE2b-256 over its canonical re-encoding (maps and arrays in
 * their order, integers and lengths in their shortest forms), so two encoders of the same value
 * agree. hex gets 33 bytes. Returns 0, SD_ETYPE for a float or ext anywhere in it (records hold
 * none), SD_ENOMEM, SD_EINVAL (libsodium). */
int sd_mp_node_version(const sd_mp_node_t *node, char hex[SD_VERSION_BYTES * 2 + 1]);

#endif
