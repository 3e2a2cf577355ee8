/* sign.h - signed events: each origin signs its events (Ed25519), and each event names the hash
 * of the one before it from the same origin, so a relay cannot forge an event, a stolen key of
 * one site cannot write as another, and a rewritten or cut history does not fit its chain.
 *
 * Keys: a site's signing key pair is made with its CURVE certificate (sundesk keygen). The
 * public key is the certificate's metadata "sign-key" (64 hex digits), so it travels with the
 * public certificate; the secret key is the file CERT_sign next to the certificate (mode 0600,
 * 128 hex digits). A key is named by its id, "kid": the first 8 bytes of the public key in hex.
 * A node verifies with every public key it holds for a site (its certificate directory and
 * replication/signers): rotating a key is adding the new public certificate everywhere, then
 * switching the site to the new secret; old events stay verifiable while the old public
 * certificate stays.
 *
 * What is signed: sd_event_encode_unsigned (the canonical map, with prev and kid, without sig).
 * The hash of an event (for the next one's prev) is BLAKE2b-256 of sd_event_encode, the exact
 * stored form. The first event of an origin has prev = 64 zeros. */
#ifndef SD_SIGN_H
#define SD_SIGN_H

#include "event.h"
#include "sizes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_SIGN_PK_BYTES 32
#define SD_SIGN_SK_BYTES 64
#define SD_SIGNERS_MAX   64 /* public keys a node knows (sites x rotations) */

/* One site's public key. */
typedef struct {
    char site[SD_SITE_MAX + 1];
    char kid[SD_EVENT_KID_HEX + 1];
    uint8_t pk[SD_SIGN_PK_BYTES];
} sd_sign_pub_t;

/* The public keys a node verifies with. */
typedef struct {
    sd_sign_pub_t keys[SD_SIGNERS_MAX];
    size_t count;
} sd_signers_t;

/* This node's own key. Its secret stays in the struct: wipe it with sd_signer_clear. */
typedef struct {
    char site[SD_SITE_MAX + 1];
    char kid[SD_EVENT_KID_HEX + 1];
    uint8_t sk[SD_SIGN_SK_BYTES];
} sd_signer_t;

/* A new key pair: the public key as hex into pk_hex (65 bytes) and the secret as hex into
 * sk_hex (129 bytes). Returns 0 or SD_EINVAL (libsodium cannot start). */
int sd_sign_keypair(char pk_hex[2 * SD_SIGN_PK_BYTES + 1], char sk_hex[2 * SD_SIGN_SK_BYTES + 1]);

/* Reads this node's secret key from path (mode 0600, hex) for site. Returns 0, SD_ECONFIG
 * (missing, readable by others, malformed: one line in err). */
int sd_signer_load(const char *path, const char *site, sd_signer_t *signer, char *err, size_t cap);

/* Wipes the secret. */
void sd_signer_clear(sd_signer_t *signer);

/* Adds site's public key (hex); a key already held is not added twice. Returns 0, SD_ERANGE
 * (not a key, or no site), SD_ETOOBIG (SD_SIGNERS_MAX reached). */
int sd_signers_add(sd_signers_t *signers, const char *site, const char *pk_hex);

/* True when signers holds at least one key of site. */
bool sd_signers_know(const sd_signers_t *signers, const char *site);

/* The hash of ev's stored form into hex (SD_EVENT_HASH_HEX + 1 bytes). Returns 0 or
 * SD_ENOMEM. */
int sd_event_hash(const sd_event_t *ev, char hex[SD_EVENT_HASH_HEX + 1]);

/* The same for an event's stored bytes (the store keeps sd_event_encode's form). Returns 0 or
 * SD_EINVAL (libsodium cannot start). */
int sd_event_hash_bytes(const void *bytes, size_t len, char hex[SD_EVENT_HASH_HEX + 1]);

/* The prev of an origin's first event. */
extern const char sd_event_first_prev[SD_EVENT_HASH_HEX + 1];

/* Signs ev (origin, seq, hlc and the rest set) as the event after the one whose hash is prev:
 * sets ev->prev, ev->kid and ev->sig. Returns 0, SD_ENOMEM, SD_EINVAL (the signer is not of
 * ev's origin). */
int sd_sign_event(const sd_signer_t *signer, const char *prev, sd_event_t *ev);

/* Checks ev's signature with the keys of its origin. Returns 0, or SD_EFORBIDDEN with the
 * reason in fault: unsigned, no key of the origin with that kid, a bad signature. */
int sd_sign_verify(const sd_signers_t *signers, const sd_event_t *ev, sd_fault_t *fault);

#endif
