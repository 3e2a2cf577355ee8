/* password.h - passwords: argon2id hashes (secrets.h) under a bound.
 *
 * One hash at the interactive limits takes about 64 MiB and a tenth of a second, so the node
 * never runs more than one at a time (it hashes on its one thread) and spends at most
 * SD_PW_RATE of them per second in a burst of SD_PW_BURST: a client asking for more gets
 * SD_EBUSY without any hashing, so logins cannot exhaust memory or starve other requests. A
 * login with SD_PW_FAILS_MAX failures in a row is refused without hashing for SD_PW_LOCK_MS. */
#ifndef SD_PASSWORD_H
#define SD_PASSWORD_H

#include "mp.h"

#include "secrets.h"

#include <stdint.h>

#define SD_PW_RATE      2     /* hashes per second, on average */
#define SD_PW_BURST     4     /* hashes at once after a quiet spell */
#define SD_PW_FAILS_MAX 5     /* failures in a row before the lock */
#define SD_PW_LOCK_MS   60000 /* how long a login stays locked */
#define SD_PW_MIN       8     /* shortest password, bytes */
#define SD_PW_LOGINS    256   /* logins whose failures are remembered */

typedef struct sd_pw_guard sd_pw_guard_t;

/* A guard (the caller owns it: sd_pw_guard_destroy), or NULL (out of memory). */
sd_pw_guard_t *sd_pw_guard_new(void);
void sd_pw_guard_destroy(sd_pw_guard_t **guard);

/* Hashes password into out at time now_ms (monotonic). Returns 0, SD_ERANGE (shorter than
 * SD_PW_MIN; fault says so), SD_EBUSY (over the rate), SD_ENOMEM. */
int sd_pw_hash(sd_pw_guard_t *g, const char *password, uint64_t now_ms, char out[SD_SECRET_PW_MAX],
               sd_fault_t *fault);

/* Checks password against hash for login. Returns 0 when it matches; SD_EUNAUTHENTICATED
 * (wrong, or no hash: the fault never says which), SD_EBUSY (over the rate or the login is
 * locked; the fault says for how long). */
int sd_pw_verify(sd_pw_guard_t *g, const char *login, const char *hash, const char *password,
                 uint64_t now_ms, sd_fault_t *fault);

#endif
