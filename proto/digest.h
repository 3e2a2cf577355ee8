/* digest.h - incremental BLAKE2b-256 digest of store state, to prove convergence.
 *
 * Wraps libsodium; the only module of proto/ that includes <sodium.h> (the node's other use of
 * it, token and password hashing, is node/auth/secrets.c). */
#ifndef SD_DIGEST_H
#define SD_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define SD_DIGEST_BYTES 32

typedef struct {
    _Alignas(64) unsigned char opaque[384]; /* crypto_generichash_state, kept opaque */
} sd_digest_t;

/* Starts a digest. Returns 0 or SD_EINVAL when libsodium cannot initialise. */
int sd_digest_init(sd_digest_t *d);
/* Adds len bytes; a length prefix is mixed in so ("ab","c") != ("a","bc"). */
void sd_digest_add(sd_digest_t *d, const void *data, size_t len);
/* Writes the digest and, as hex (65 bytes with NUL), to hex if not NULL. */
void sd_digest_final(sd_digest_t *d, uint8_t out[SD_DIGEST_BYTES], char *hex);

/* The version of a msgpack object (a record as a reply shows it): the first 16 bytes, as 32
 * lower-case hex digits (and a NUL), of the digest of a walk of the object (kinds, lengths and
 * values in order), so equal objects have equal versions however they were encoded. The HTTP
 * API's ETags. Returns 0 or SD_EINVAL (libsodium cannot initialise). */
struct sd_mp_node;
int sd_mp_node_version(const struct sd_mp_node *node, char hex[33]);

#endif
