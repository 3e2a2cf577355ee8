/* authn.c - identifying a request's sender: token, session or Unix peer. */
#include "authn.h"

#include "error.h"
#include "record.h"
#include "secrets.h"
#include "token.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sd_auth {
    char site[SD_SITE_MAX + 1];
    uid_t self;              /* the account the node runs as */
    sd_sessions_t *sessions; /* login sessions */
    sd_pw_guard_t *guard;    /* bounds password hashing */
};

int sd_auth_new(const char *site, sd_auth_t **out)
{
    sd_auth_t *a = calloc(1, sizeof *a);
    if (!a || !(a->sessions = sd_sessions_new()) || !(a->guard = sd_pw_guard_new())) {
        sd_auth_destroy(&a);
        return SD_ENOMEM;
    }
    snprintf(a->site, sizeof a->site, "%s", site);
    a->self = geteuid();
    *out = a;
    return 0;
}

void sd_auth_destroy(sd_auth_t **auth)
{
    if (!auth || !*auth)
        return;
    sd_sessions_destroy(&(*auth)->sessions);
    sd_pw_guard_destroy(&(*auth)->guard);
    free(*auth);
    *auth = NULL;
}

sd_sessions_t *sd_auth_sessions(sd_auth_t *auth)
{
    return auth->sessions;
}

sd_pw_guard_t *sd_auth_guard(sd_auth_t *auth)
{
    return auth->guard;
}

void sd_principal_clear(sd_principal_t *p)
{
    if (p->has_user)
        sd_record_clear(&sd_kind_user, &p->user);
    memset(p, 0, sizeof *p);
}

int sd_auth_active_user(sd_store_txn_t *txn, const char *login, sd_user_t *u, sd_fault_t *fault)
{
    int rc = sd_store_get_record(txn, &sd_kind_user, login, u);
    if (rc == 0 && !sd_record_exists(&sd_kind_user, u))
        rc = SD_ENOTFOUND;
    if (rc) {
        sd_record_clear(&sd_kind_user, u);
        return rc == SD_ENOTFOUND ? sd_fault_set(fault, rc, "no desk user '%s'", login) : rc;
    }
    if (!sd_user_holds(u, SD_USER_ACTIVE)) {
        sd_record_clear(&sd_kind_user, u);
        return sd_fault_set(fault, SD_EFORBIDDEN, "user %s is disabled", login);
    }
    return 0;
}

/* Makes p the active user login, proven `via`. */
static int s_as_user(sd_store_txn_t *txn, const char *login, sd_principal_t *p, sd_fault_t *fault)
{
    sd_fault_t why = {0};
    int rc = sd_auth_active_user(txn, login, &p->user, &why);
    if (rc == SD_ENOTFOUND || rc == SD_EFORBIDDEN)
        return sd_fault_set(fault, SD_EUNAUTHENTICATED, "%s (%s)", why.text, p->via);
    if (rc)
        return rc;
    p->has_user = true;
    snprintf(p->login, sizeof p->login, "%s", login);
    return 0;
}

/* The one id an index lookup found ("" before, "\1" once a second one turns up). */
static int s_one_id(const char *rest, size_t len, void *arg)
{
    char *id = arg;
    if (len == 0 || len > SD_ID_MAX + 1 || rest[len - 1] != 0)
        return SD_ECORRUPT;
    if (id[0]) {
        strcpy(id, "\1");
        return 1;
    }
    memcpy(id, rest, len);
    return 0;
}

static int s_find_one(sd_store_txn_t *txn, const sd_kind_t *k, const char *index, const char *part,
                      char id[SD_ID_MAX + 1])
{
    id[0] = 0;
    int rc = sd_store_index_find(txn, k, index, part, s_one_id, id);
    return rc == 1 ? 0 : rc;
}

static int s_token(sd_store_txn_t *txn, const char *token, uint64_t now, sd_principal_t *p,
                   sd_fault_t *fault)
{
    char hex[SD_SECRET_HASH_HEX + 1], id[SD_ID_MAX + 1];
    const char *bad = "unknown or malformed token";
    if (sd_secret_token_hash(token, hex) != 0)
        return sd_fault_set(fault, SD_EUNAUTHENTICATED, "%s", bad);
    int rc = s_find_one(txn, &sd_kind_token, SD_TOKEN_INDEX_HASH, hex, id);
    if (rc)
        return rc;
    if (!id[0] || id[0] == 1)
        return sd_fault_set(fault, SD_EUNAUTHENTICATED, "%s", bad);
    sd_token_t t = {0};
    rc = sd_store_get_record(txn, &sd_kind_token, id, &t);
    if (!rc && !sd_record_exists(&sd_kind_token, &t))
        rc = SD_ENOTFOUND;
    if (!rc) {
        snprintf(p->via, sizeof p->via, "token %s", id);
        if (t.revoked_at)
            rc = sd_fault_set(fault, SD_EUNAUTHENTICATED, "token %s was revoked", id);
        else if (t.expires_at && t.expires_at <= now)
            rc = sd_fault_set(fault, SD_EUNAUTHENTICATED, "token %s has expired", id);
        else
            rc = s_as_user(txn, t.user, p, fault);
    } else if (rc == SD_ENOTFOUND) {
        rc = sd_fault_set(fault, SD_EUNAUTHENTICATED, "%s", bad);
    }
    sd_record_clear(&sd_kind_token, &t);
    return rc;
}

static int s_unix(sd_auth_t *a, sd_store_txn_t *txn, const sd_client_peer_t *peer,
                  sd_principal_t *p, sd_fault_t *fault)
{
    char buf[4096], name[SD_LOGIN_MAX + 1] = "";
    struct passwd pw, *found = NULL;
    if (getpwuid_r(peer->uid, &pw, buf, sizeof buf, &found) == 0 && found)
        snprintf(name, sizeof name, "%s", found->pw_name);
    snprintf(p->via, sizeof p->via, "unix uid %u (%s)", (unsigned)peer->uid,
             name[0] ? name : "no account name");
    if (peer->uid == 0 || peer->uid == a->self) {
        snprintf(p->login, sizeof p->login, "root@%s", a->site);
        p->superuser = true;
        return 0;
    }
    if (!name[0])
        return sd_fault_set(fault, SD_EUNAUTHENTICATED,
                            "Unix uid %u has no account name to link to a desk user",
                            (unsigned)peer->uid);
    char id[SD_ID_MAX + 1];
    int rc = s_find_one(txn, &sd_kind_user, SD_USER_INDEX_UNIX, name, id);
    if (rc)
        return rc;
    if (!id[0])
        return sd_fault_set(fault, SD_EUNAUTHENTICATED,
                            "Unix account %s is not linked to a desk user (an admin runs: "
                            "sundesk user link LOGIN --unix %s)",
                            name, name);
    if (id[0] == 1)
        return sd_fault_set(fault, SD_EUNAUTHENTICATED,
                            "Unix account %s is linked to more than one desk user; an admin "
                            "must unlink all but one",
                            name);
    return s_as_user(txn, id, p, fault);
}

int sd_auth_identify(sd_auth_t *a, sd_store_txn_t *txn, const sd_client_peer_t *peer,
                     const char *token, uint64_t now_ms, sd_principal_t *p, sd_fault_t *fault)
{
    if (token && strncmp(token, SD_SESSION_PREFIX, 4) == 0) {
        const char *login = sd_sessions_find(a->sessions, token, now_ms);
        snprintf(p->via, sizeof p->via, "password session");
        if (!login)
            return sd_fault_set(fault, SD_EUNAUTHENTICATED,
                                "unknown or expired session; log in again (sundesk login)");
        char copy[SD_ID_MAX + 1];
        snprintf(copy, sizeof copy, "%s", login);
        return s_as_user(txn, copy, p, fault);
    }
    if (token && strncmp(token, SD_TOKEN_PREFIX, 4) == 0)
        return s_token(txn, token, now_ms, p, fault);
    if (token)
        return sd_fault_set(fault, SD_EUNAUTHENTICATED,
                            "unknown or malformed token (an API token starts with sdt_)");
    if (peer->local)
        return s_unix(a, txn, peer, p, fault);
    return sd_fault_set(fault, SD_EUNAUTHENTICATED,
                        "this endpoint needs a token: pass --token (or SUNDESK_TOKEN), or log in "
                        "with sundesk login");
}
