/* authn.h - who is asking: the authenticated identity (principal) of each client request.
 *
 * Nobody declares who they are. In this order:
 *   1. a request with "auth" (a token): an API token ("sdt_...", a token record of any site,
 *      not revoked, not expired) or a login session of this node ("sds_...", sessions.h) acts
 *      as the token's user;
 *   2. else, on the node's ipc socket, the peer's Unix uid (SO_PEERCRED, peer.h): uid 0 and the
 *      account the node runs as are the bootstrap admin "root@SITE" (they own the store
 *      anyway); any other uid acts as the one desk user linked to its Unix account name
 *      (user.link);
 *   3. else (tcp without a token, an unlinked Unix account) the request is unauthenticated.
 * The user must exist and be active, at this node, now: a user disabled at another site is
 * refused here as soon as the disable has replicated. Errors are SD_EUNAUTHENTICATED with one
 * line that says what to do, never which part of a token was wrong. */
#ifndef SD_AUTHN_H
#define SD_AUTHN_H

#include "password.h"
#include "peer.h"
#include "sessions.h"
#include "store.h"
#include "user.h"

#include <stdbool.h>

/* How the principal proved who they are (the audit trail's "via"). */
#define SD_VIA_MAX 96

typedef struct {
    char login[SD_NAME_MAX + 1]; /* desk login, or "root@SITE" */
    char via[SD_VIA_MAX];        /* "unix uid 1001 (ops1)", "token APAC-TOK-000001", ... */
    bool superuser;              /* the bootstrap admin: every right */
    bool has_user;               /* user holds the login's record */
    sd_user_t user;              /* owned; cleared by sd_principal_clear */
} sd_principal_t;

void sd_principal_clear(sd_principal_t *p);

/* What identifying needs beyond the store: the site, sessions and the password guard. */
typedef struct sd_auth sd_auth_t;

/* Returns 0 and *auth (owned: sd_auth_destroy), or SD_ENOMEM. */
int sd_auth_new(const char *site, sd_auth_t **auth);
void sd_auth_destroy(sd_auth_t **auth);

sd_sessions_t *sd_auth_sessions(sd_auth_t *auth);
sd_pw_guard_t *sd_auth_guard(sd_auth_t *auth);

/* Identifies the sender of a request: token (NULL when the request has none) or peer, at time
 * now_ms (wall clock, Unix ms), reading users and tokens in txn. p must be zeroed. Returns 0,
 * SD_EUNAUTHENTICATED (fault says why), SD_ENOMEM, SD_ECORRUPT, SD_ESTORE. */
int sd_auth_identify(sd_auth_t *auth, sd_store_txn_t *txn, const sd_client_peer_t *peer,
                     const char *token, uint64_t now_ms, sd_principal_t *p, sd_fault_t *fault);

/* Reads user login and checks it may act: it exists and is active. Into *u (zeroed; clear it
 * with sd_record_clear). Returns 0, SD_ENOTFOUND, SD_EFORBIDDEN (disabled; fault says so). */
int sd_auth_active_user(sd_store_txn_t *txn, const char *login, sd_user_t *u, sd_fault_t *fault);

#endif
