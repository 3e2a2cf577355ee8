/* sessions.c - the node's login sessions, by token hash. */
#include "sessions.h"

#include "secrets.h"
#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char hash[SD_SECRET_HASH_HEX + 1]; /* of the token */
    char login[SD_ID_MAX + 1];         /* "" = free */
    uint64_t expires;                  /* Unix ms */
} s_session_t;

struct sd_sessions {
    s_session_t slots[SD_SESSIONS_MAX];
};

sd_sessions_t *sd_sessions_new(void)
{
    if (sd_secret_init() != 0)
        return NULL;
    return calloc(1, sizeof(sd_sessions_t));
}

void sd_sessions_destroy(sd_sessions_t **s)
{
    if (s && *s) {
        sd_secret_wipe(*s, sizeof **s);
        free(*s);
        *s = NULL;
    }
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
    sd_secret_token(SD_SESSION_PREFIX, token, pick->hash);
    snprintf(pick->login, sizeof pick->login, "%s", login);
    pick->expires = now_ms + SD_SESSION_MS;
    return pick->expires;
}

const char *sd_sessions_find(sd_sessions_t *s, const char *token, uint64_t now_ms)
{
    char h[SD_SECRET_HASH_HEX + 1];
    if (sd_secret_token_hash(token, h) != 0)
        return NULL;
    for (int i = 0; i < SD_SESSIONS_MAX; i++) {
        s_session_t *t = &s->slots[i];
        if (t->login[0] && t->expires > now_ms && sd_secret_equal(t->hash, h, SD_SECRET_HASH_HEX))
            return t->login;
    }
    return NULL;
}

bool sd_sessions_end(sd_sessions_t *s, const char *token)
{
    char h[SD_SECRET_HASH_HEX + 1];
    bool found = false;
    if (sd_secret_token_hash(token, h) != 0)
        return false;
    for (int i = 0; i < SD_SESSIONS_MAX; i++) {
        s_session_t *t = &s->slots[i];
        if (t->login[0] && sd_secret_equal(t->hash, h, SD_SECRET_HASH_HEX)) {
            sd_secret_wipe(t, sizeof *t);
            found = true;
        }
    }
    return found;
}
