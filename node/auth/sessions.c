/* sessions.c - the node's login sessions, by token hash. */
#include "sessions.h"

#include "token.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t hash[crypto_generichash_BYTES]; /* of the token */
    char login[SD_ID_MAX + 1];              /* "" = free */
    uint64_t expires;                       /* Unix ms */
} s_session_t;

struct sd_sessions {
    s_session_t slots[SD_SESSIONS_MAX];
};

sd_sessions_t *sd_sessions_new(void)
{
    if (sodium_init() < 0)
        return NULL;
    return calloc(1, sizeof(sd_sessions_t));
}

void sd_sessions_destroy(sd_sessions_t **s)
{
    if (s && *s) {
        sodium_memzero(*s, sizeof **s);
        free(*s);
        *s = NULL;
    }
}

static void s_hash(const char *token, uint8_t out[crypto_generichash_BYTES])
{
    crypto_generichash(out, crypto_generichash_BYTES, (const unsigned char *)token, strlen(token),
                       NULL, 0);
}

uint64_t sd_sessions_start(sd_sessions_t *s, const char *login, uint64_t now_ms,
                           char token[SD_SESSION_TOKEN_LEN + 1])
{
    /* A free or expired slot, else the one that expires first. */
    s_session_t *pick = &s->slots[0];
    for (int i = 0; i < SD_SESSIONS_MAX; i++) {
        s_session_t *t = &s->slots[i];
        if (!t->login[0] || t->expires <= now_ms) {
            pick = t;
            break;
        }
        if (t->expires < pick->expires)
            pick = t;
    }
    uint8_t secret[32];
    randombytes_buf(secret, sizeof secret);
    memcpy(token, SD_SESSION_PREFIX, 4);
    sodium_bin2hex(token + 4, SD_SESSION_TOKEN_LEN - 4 + 1, secret, sizeof secret);
    sodium_memzero(secret, sizeof secret);
    s_hash(token, pick->hash);
    snprintf(pick->login, sizeof pick->login, "%s", login);
    pick->expires = now_ms + SD_SESSION_MS;
    return pick->expires;
}

const char *sd_sessions_find(sd_sessions_t *s, const char *token, uint64_t now_ms)
{
    uint8_t h[crypto_generichash_BYTES];
    s_hash(token, h);
    for (int i = 0; i < SD_SESSIONS_MAX; i++) {
        s_session_t *t = &s->slots[i];
        if (t->login[0] && t->expires > now_ms && sodium_memcmp(t->hash, h, sizeof h) == 0)
            return t->login;
    }
    return NULL;
}
