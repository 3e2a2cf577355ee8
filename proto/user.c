/* user.c - the user kind: field table, monotonic role and account pairs, login names. */
#include "user.h"

#include "error.h"
#include "ticket.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const sd_role_names[SD_ROLE_COUNT_] = {"requester", "agent", "manager", "admin"};

#define OFF(m) offsetof(sd_user_t, m)
#define STR(wire, m, reg, max, fl)                                                                 \
    {                                                                                              \
        wire, SD_F_STR, fl, reg, OFF(m), 0, max, NULL                                              \
    }
/* A monotonic pair (user.h): "<name>_granted" and "<name>_revoked" of pair i. */
#define PAIR(name, i)                                                                              \
    {name "_granted", SD_F_U64, SD_F_MAX, SD_UREG_GRANTS, OFF(granted[i]), 0, 0, NULL},            \
    {                                                                                              \
        name "_revoked", SD_F_U64, SD_F_MAX, SD_UREG_GRANTS, OFF(revoked[i]), 0, 0, NULL           \
    }
#define LINE1 (SD_F_LINE | SD_F_NONEMPTY)

static const sd_field_t s_fields[] = {
    {"created_at", SD_F_U64, 0, SD_UREG_CREATED, OFF(created_at), 0, 0, NULL},
    STR("origin_site", origin_site, SD_UREG_CREATED, SD_SITE_MAX, SD_F_LINE),
    STR("display_name", display_name, SD_UREG_NAME, SD_NAME_MAX, LINE1),
    STR("email", email, SD_UREG_EMAIL, SD_NAME_MAX, SD_F_LINE),
    STR("phone", phone, SD_UREG_PHONE, SD_PHONE_MAX, SD_F_LINE),
    STR("language", language, SD_UREG_LANGUAGE, SD_LANG_MAX, SD_F_LINE),
    STR("time_zone", time_zone, SD_UREG_TIME_ZONE, SD_NAME_MAX, SD_F_LINE),
    STR("home_site", home_site, SD_UREG_HOME_SITE, SD_SITE_MAX, SD_F_LINE),
    STR("teams", teams, SD_UREG_TEAMS, SD_NAME_MAX, SD_F_LINE),
    {"tier", SD_F_ENUM, 0, SD_UREG_TIER, OFF(tier), 0, SD_TIER_COUNT_, sd_tier_names},
    STR("unix", unix_name, SD_UREG_UNIX, SD_LOGIN_MAX, SD_F_LINE),
    STR("password_hash", password_hash, SD_UREG_PASSWORD, SD_PWHASH_MAX, SD_F_LINE | SD_F_SECRET),
    PAIR("requester", SD_ROLE_REQUESTER),
    PAIR("agent", SD_ROLE_AGENT),
    PAIR("manager", SD_ROLE_MANAGER),
    PAIR("admin", SD_ROLE_ADMIN),
    PAIR("active", SD_USER_ACTIVE),
    STR("requester_sites", sites[SD_ROLE_REQUESTER], SD_UREG_SITES + SD_ROLE_REQUESTER, SD_NAME_MAX,
        SD_F_LINE),
    STR("agent_sites", sites[SD_ROLE_AGENT], SD_UREG_SITES + SD_ROLE_AGENT, SD_NAME_MAX, SD_F_LINE),
    STR("manager_sites", sites[SD_ROLE_MANAGER], SD_UREG_SITES + SD_ROLE_MANAGER, SD_NAME_MAX,
        SD_F_LINE),
    STR("admin_sites", sites[SD_ROLE_ADMIN], SD_UREG_SITES + SD_ROLE_ADMIN, SD_NAME_MAX, SD_F_LINE),
    STR("disabled_reason", reason, SD_UREG_REASON, SD_TEXT_MAX, 0),
};
#define NFIELDS (sizeof s_fields / sizeof s_fields[0])
_Static_assert(NFIELDS <= SD_KIND_FIELDS_MAX, "a user has at most 64 register fields");
_Static_assert(SD_UREG_COUNT_ <= SD_KIND_REGISTERS_MAX, "too many user registers");

bool sd_user_holds(const sd_user_t *u, int which)
{
    return which >= 0 && which < SD_USER_GRANTS && u->granted[which] > u->revoked[which];
}

bool sd_list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if (len == n && memcmp(p, item, n) == 0)
            return true;
        p = end ? end + 1 : p + len;
    }
    return false;
}

bool sd_user_has_role(const sd_user_t *u, int role, const char *site)
{
    if (!sd_user_holds(u, SD_USER_ACTIVE) || !sd_user_holds(u, role))
        return false;
    const char *sites = u->sites[role];
    return !site || !sites || !*sites || sd_list_has(sites, site);
}

int sd_login_check(const char *name, const char *where, sd_fault_t *fault)
{
    size_t n = strlen(name);
    if (n == 0 || n > SD_LOGIN_MAX)
        return sd_fault_set(fault, SD_ERANGE, "%s: a login has 1 to %d bytes", where, SD_LOGIN_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (i > 0 && (c == '.' || c == '_' || c == '-'));
        if (!ok)
            return sd_fault_set(fault, SD_ERANGE,
                                "%s: '%s' is not a login (lower-case letters, digits, '.', '_', "
                                "'-'; starting with a letter or digit)",
                                where, name);
    }
    return 0;
}

bool sd_user_is_system(const char *name)
{
    return strchr(name, '@') != NULL;
}

uint64_t sd_user_grant_event(const sd_user_t *cur, int which, bool grant, sd_user_t *ev_user)
{
    uint64_t gen = cur->revoked[which] + 1;
    if (grant)
        ev_user->granted[which] = gen;
    else
        ev_user->revoked[which] = gen;
    char name[32];
    snprintf(name, sizeof name, "%s_%s", which == SD_USER_ACTIVE ? "active" : sd_role_names[which],
             grant ? "granted" : "revoked");
    const sd_field_t *f = sd_kind_field(&sd_kind_user, name);
    return f ? 1ull << (f - s_fields) : 0;
}

/* ---- the kind -------------------------------------------------------------------------- */

static const char *const s_op_names[SD_UOP_COUNT_] = {
    "create", "update", "grant", "revoke", "disable", "enable", "link", "password",
};

/* What a client sees beyond the registers: the roles held and whether the account is active. */
static uint32_t s_extra_count(const void *record, bool with_stamps)
{
    (void)record;
    return with_stamps ? 0 : 2;
}

static void s_encode_extra(const void *record, bool with_stamps, sd_mp_writer_t *w)
{
    const sd_user_t *u = record;
    if (with_stamps)
        return;
    uint32_t n = 0;
    for (int r = 0; r < SD_ROLE_COUNT_; r++)
        n += sd_user_holds(u, r);
    sd_mp_str(w, "roles");
    sd_mp_array(w, n);
    for (int r = 0; r < SD_ROLE_COUNT_; r++)
        if (sd_user_holds(u, r))
            sd_mp_str(w, sd_role_names[r]);
    sd_mp_str(w, "active");
    sd_mp_bool(w, sd_user_holds(u, SD_USER_ACTIVE));
}

/* The Unix account link, so the node finds the user of a peer uid without a scan. */
static int s_index(const void *record, sd_index_keys_t *keys)
{
    const sd_user_t *u = record;
    if (u->unix_name && *u->unix_name) {
        sd_index_begin(keys, SD_USER_INDEX_UNIX);
        sd_index_str(keys, u->unix_name);
        sd_index_str(keys, u->id);
    }
    return keys->error;
}

const sd_kind_t sd_kind_user = {
    .name = "user",
    .id_counter = NULL, /* the id is the login the create names */
    .id_tag = NULL,
    .size = sizeof(sd_user_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = NFIELDS,
    .nregisters = SD_UREG_COUNT_,
    .create_register = SD_UREG_CREATED,
    .ops = s_op_names,
    .nops = SD_UOP_COUNT_,
    .set_op = -1,
    .extra_count = s_extra_count,
    .encode_extra = s_encode_extra,
    .index = s_index,
};
