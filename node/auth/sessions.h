/* sessions.h - login sessions: the tokens auth.login hands out after a password check.
 *
 * A session lives in the node's memory only (a restart ends every session; they are never
 * replicated: a session is good at the node that made it). The table keeps the BLAKE2b hash
 * of each token, never the token, holds at most SD_SESSIONS_MAX (the oldest goes first when
 * full) and each lasts SD_SESSION_MS. Not thread-safe: the server's thread owns it. */
#ifndef SD_SESSIONS_H
#define SD_SESSIONS_H

#include "secrets.h"
#include "sizes.h"

#include <stdbool.h>
#include <stdint.h>

#define SD_SESSIONS_MAX      4096
#define SD_SESSION_MS        (12ull * 3600 * 1000) /* 12 hours */
#define SD_SESSION_TOKEN_LEN 68                    /* "sds_" and 64 hex digits */

typedef struct sd_sessions sd_sessions_t;

/* A table (owned by the caller: sd_sessions_destroy), or NULL (out of memory). */
sd_sessions_t *sd_sessions_new(void);
void sd_sessions_destroy(sd_sessions_t **s);

/* Starts a session for login at now_ms (wall clock): writes its token into token and returns
 * its expiry (Unix ms). */
uint64_t sd_sessions_start(sd_sessions_t *s, const char *login, uint64_t now_ms,
                           char token[SD_SESSION_TOKEN_LEN + 1]);

/* The login of the session whose token this is, when it has not expired, else NULL
 * (borrowed from the table). */
const char *sd_sessions_find(sd_sessions_t *s, const char *token, uint64_t now_ms);

/* Ends the session whose token this is (auth.logout): its slot is freed and wiped. Returns true
 * when there was one. */
bool sd_sessions_end(sd_sessions_t *s, const char *token);

#endif
