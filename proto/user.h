/* user.h - the user record kind: who may act at the desk, with which roles, at which sites.
 *
 * A user's id is the login name ("li.wei"): lower-case letters, digits, '.', '_', '-', starting
 * with a letter or digit, at most SD_LOGIN_MAX bytes. Names with '@' are never logins; they are
 * the reserved system identities (sd_user_is_system): "scheduler@SITE", the node's own events,
 * and "root@SITE", the bootstrap admin (Unix root on the node's machine).
 *
 * Profile fields (display name, e-mail, phone, language, time zone, home site, teams, tier,
 * Unix link, password hash) are last-writer-wins registers, one each. Roles and the account
 * state are not: a disable or a revoke must win over a grant made concurrently at another site,
 * so each of them is a pair of generations merged by maximum (SD_F_MAX, node/store/fold.c):
 *
 *   revoke (or disable) writes  revoked = revoked seen + 1
 *   grant  (or enable)  writes  granted = revoked seen + 1
 *   held when granted > revoked
 *
 * A grant that did not see a revoke carries a generation no greater than the revoke's, so the
 * merge, whatever the order, keeps the role revoked; a grant made after seeing the revoke wins.
 * The account is the same pair under the name "active". The password hash (argon2id, libsodium
 * crypto_pwhash_str) is SD_F_SECRET: stored and replicated, never shown to clients. */
#ifndef SD_USER_H
#define SD_USER_H

#include "event.h"
#include "kind.h"
#include "mp.h"
#include "sizes.h"

#include <stdbool.h>
#include <stdint.h>

#define SD_LOGIN_MAX 32 /* login name bytes; a login is a record id */

#define SD_USER_INDEX_UNIX "unix" /* index entries: Unix account name, login */

typedef enum {
    SD_ROLE_REQUESTER, /* end user: own tickets only */
    SD_ROLE_AGENT,     /* works tickets */
    SD_ROLE_MANAGER,   /* an agent's rights, plus reports and reassigning anyone's tickets */
    SD_ROLE_ADMIN,     /* users, teams, tokens, policy */
    SD_ROLE_COUNT_
} sd_user_role_t;

/* The monotonic pairs: one per role, then the account itself. */
#define SD_USER_ACTIVE SD_ROLE_COUNT_
#define SD_USER_GRANTS (SD_ROLE_COUNT_ + 1)

extern const char *const sd_role_names[SD_ROLE_COUNT_];

typedef enum {
    SD_UOP_CREATE,
    SD_UOP_UPDATE,
    SD_UOP_GRANT,
    SD_UOP_REVOKE,
    SD_UOP_DISABLE,
    SD_UOP_ENABLE,
    SD_UOP_LINK,
    SD_UOP_PASSWORD,
    SD_UOP_COUNT_
} sd_user_op_t;

typedef enum {
    SD_UREG_CREATED,
    SD_UREG_NAME,
    SD_UREG_EMAIL,
    SD_UREG_PHONE,
    SD_UREG_LANGUAGE,
    SD_UREG_TIME_ZONE,
    SD_UREG_HOME_SITE,
    SD_UREG_TEAMS,
    SD_UREG_TIER,
    SD_UREG_UNIX,
    SD_UREG_PASSWORD,
    SD_UREG_GRANTS, /* the generations (merged by maximum; the stamp is bookkeeping) */
    SD_UREG_SITES,  /* first of SD_ROLE_COUNT_ registers: each role's sites */
    SD_UREG_REASON = SD_UREG_SITES + SD_ROLE_COUNT_,
    SD_UREG_COUNT_
} sd_user_register_t;

typedef struct {
    char id[SD_ID_MAX + 1]; /* login */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* Unix ms */
    char *origin_site;      /* site that created the user */
    char *display_name;     /* "Li Wei" */
    char *email;            /* e-mail address */
    char *phone;            /* phone number as written */
    char *language;         /* BCP 47 tag: zh-CN, en, ... */
    char *time_zone;        /* IANA name */
    char *home_site;        /* site the user belongs to */
    char *teams;            /* team names, comma-separated */
    int tier;               /* sd_tier_t: the agent's skill level */
    char *unix_name;        /* Unix account mapped to this user on the ipc socket ("unix") */
    char *password_hash;    /* crypto_pwhash_str output (secret) */
    uint64_t granted[SD_USER_GRANTS]; /* generations, see above */
    uint64_t revoked[SD_USER_GRANTS];
    char *sites[SD_ROLE_COUNT_]; /* the sites a role is limited to, comma-separated; NULL = all */
    char *reason;                /* why the account was last disabled */
    sd_stamp_t stamps[SD_UREG_COUNT_];
} sd_user_t;

extern const sd_kind_t sd_kind_user;

/* The user an event carries (ev->kind must be the user kind). */
static inline sd_user_t *sd_event_user(const sd_event_t *ev)
{
    return (sd_user_t *)ev->fields;
}

/* True when u holds pair `which` (a role, or SD_USER_ACTIVE): granted > revoked. */
bool sd_user_holds(const sd_user_t *u, int which);

/* True when u is active and holds role; with site non-NULL, only when the role is not limited
 * to sites or site is one of them. */
bool sd_user_has_role(const sd_user_t *u, int role, const char *site);

/* True when the comma-separated list holds item (exact, whole entries). */
bool sd_list_has(const char *list, const char *item);

/* 0 when name is a valid login; else SD_ERANGE with the reason in fault ("where: ..."). */
int sd_login_check(const char *name, const char *where, sd_fault_t *fault);

/* True for the reserved identities ("scheduler@SITE", "root@SITE"): any name with '@'. */
bool sd_user_is_system(const char *name);

/* Field masks of the event a grant/revoke/enable/disable of pair `which` makes, and the values
 * it writes, given the current record: sets ev_user->granted or ->revoked [which]. */
uint64_t sd_user_grant_event(const sd_user_t *cur, int which, bool grant, sd_user_t *ev_user);

#endif
