/* token.h - the API token record kind: a long-lived secret a program uses to act as a user.
 *
 * The node makes the secret (32 random bytes) when the token is created and shows it once, in
 * the reply of token.new, as "sdt_" and 64 hex digits; the record keeps only the BLAKE2b-256
 * hash of the secret (SD_F_SECRET: never shown), so a copy of the store or of the event log
 * gives no usable token. A token acts as its user with the user's current rights; it stops
 * working when revoked (revoked_at, merged by maximum so no concurrent event undoes it), when
 * it expires, or when its user is disabled. */
#ifndef SD_TOKEN_H
#define SD_TOKEN_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stdint.h>

#define SD_TOKEN_SECRET_BYTES 32
#define SD_TOKEN_HASH_HEX     64     /* hex digits of the stored hash */
#define SD_TOKEN_PREFIX       "sdt_" /* an API token: the prefix, then the secret in hex */
#define SD_SESSION_PREFIX     "sds_" /* a login session's token (node-local, in memory) */
#define SD_TOKEN_INDEX_HASH   "hash" /* index entries: hash, token id */

typedef enum { SD_KOP_CREATE, SD_KOP_REVOKE, SD_KOP_COUNT_ } sd_token_op_t;

typedef enum { SD_KREG_CREATED, SD_KREG_REVOKED, SD_KREG_COUNT_ } sd_token_register_t;

typedef struct {
    char id[SD_ID_MAX + 1]; /* SITE-TOK-000001 */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* Unix ms */
    char *origin_site;      /* site that made it */
    char *user;             /* login it acts as */
    char *name;             /* what it is for ("mail gateway") */
    char *hash;             /* hex BLAKE2b-256 of the secret (secret) */
    uint64_t expires_at;    /* Unix ms; 0 = never */
    uint64_t revoked_at;    /* Unix ms of the revoke; 0 = in force */
    sd_stamp_t stamps[SD_KREG_COUNT_];
} sd_token_t;

extern const sd_kind_t sd_kind_token;

/* The token an event carries (ev->kind must be the token kind). */
static inline sd_token_t *sd_event_token(const sd_event_t *ev)
{
    return (sd_token_t *)ev->fields;
}

#endif
