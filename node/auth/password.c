/* password.c - argon2id hashing, rate-bounded, with a lock after repeated failures. */
#include "password.h"

#include "error.h"
#include "sizes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char login[SD_NAME_MAX + 1]; /* "" = free slot */
    int fails;                   /* failures in a row */
    uint64_t locked_until;       /* monotonic ms; 0 = not locked */
    uint64_t last;               /* last failure, to pick a slot to reuse */
} s_login_t;

struct sd_pw_guard {
    double tokens;     /* hashes that may start now */
    uint64_t refilled; /* when tokens was last topped up (ms) */
    s_login_t logins[SD_PW_LOGINS];
};

sd_pw_guard_t *sd_pw_guard_new(void)
{
    if (sd_secret_init() != 0)
        return NULL;
    sd_pw_guard_t *g = calloc(1, sizeof *g);
    if (g)
        g->tokens = SD_PW_BURST;
    return g;
}

void sd_pw_guard_destroy(sd_pw_guard_t **g)
{
    if (g) {
        free(*g);
        *g = NULL;
    }
}

/* Takes one hash from the bucket; false when it is empty. */
static bool s_take(sd_pw_guard_t *g, uint64_t now, sd_fault_t *fault)
{
    if (now > g->refilled) {
        g->tokens += (double)(now - g->refilled) * SD_PW_RATE / 1000.0;
        if (g->tokens > SD_PW_BURST)
            g->tokens = SD_PW_BURST;
        g->refilled = now;
    }
    if (g->tokens < 1.0) {
        sd_fault_set(fault, SD_EBUSY, "too many password checks at once; try again in a second");
        return false;
    }
    g->tokens -= 1.0;
    return true;
}

int sd_pw_hash(sd_pw_guard_t *g, const char *password, uint64_t now_ms, char out[SD_SECRET_PW_MAX],
               sd_fault_t *fault)
{
    if (strlen(password) < SD_PW_MIN)
        return sd_fault_set(fault, SD_ERANGE, "args.password: at least %d bytes", SD_PW_MIN);
    if (!s_take(g, now_ms, fault))
        return SD_EBUSY;
    if (sd_secret_pw_hash(password, out) != 0)
        return sd_fault_set(fault, SD_ENOMEM, "out of memory hashing the password");
    return 0;
}

/* The slot of login: its own, a free one, or the one whose last failure is oldest. */
static s_login_t *s_slot(sd_pw_guard_t *g, const char *login)
{
    s_login_t *pick = &g->logins[0];
    for (int i = 0; i < SD_PW_LOGINS; i++) {
        s_login_t *s = &g->logins[i];
        if (strcmp(s->login, login) == 0)
            return s;
        if (pick->login[0] && (!s->login[0] || s->last < pick->last))
            pick = s;
    }
    *pick = (s_login_t){0};
    snprintf(pick->login, sizeof pick->login, "%s", login);
    return pick;
}

int sd_pw_verify(sd_pw_guard_t *g, const char *login, const char *hash, const char *password,
                 uint64_t now_ms, sd_fault_t *fault)
{
    s_login_t *s = s_slot(g, login);
    if (s->locked_until > now_ms)
        return sd_fault_set(fault, SD_EBUSY, "too many failed logins for %s; try again in %llu s",
                            login, (unsigned long long)((s->locked_until - now_ms + 999) / 1000));
    if (!s_take(g, now_ms, fault))
        return SD_EBUSY;
    /* Without a hash the check still costs one hash, so timing tells nothing either. */
    static char dummy[SD_SECRET_PW_MAX];
    if (!dummy[0] && sd_secret_pw_hash("x", dummy) != 0)
        dummy[0] = 0;
    bool have = hash && *hash;
    const char *against = have ? hash : dummy;
    bool ok = *against && sd_secret_pw_verify(against, password) && have;
    if (ok) {
        s->fails = 0;
        s->locked_until = 0;
        return 0;
    }
    s->last = now_ms;
    if (++s->fails >= SD_PW_FAILS_MAX) {
        s->fails = 0;
        s->locked_until = now_ms + SD_PW_LOCK_MS;
    }
    return sd_fault_set(fault, SD_EUNAUTHENTICATED, "wrong login or password");
}
