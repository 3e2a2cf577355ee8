/* op_user.c - user.* writes and lists, auth.whoami and auth.login (op_people.h). */
#include "op_people.h"

#include "error.h"
#include "event.h"
#include "record.h"
#include "ticket.h"
#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A comma-separated list of sites, each a valid site id. */
static int s_sites_check(const char *list, const char *where, sd_fault_t *fault)
{
    char buf[SD_NAME_MAX + 1];
    snprintf(buf, sizeof buf, "%s", list ? list : "");
    for (char *save = NULL, *s = strtok_r(buf, ", ", &save); s; s = strtok_r(NULL, ", ", &save))
        if (!sd_site_valid(s))
            return sd_fault_set(fault, SD_ERANGE, "%s: '%s' is not a site id", where, s);
    return 0;
}

/* The profile registers a user.new or user.update sets from its arguments. */
static int s_profile(sd_event_t *ev, const sd_user_t *cur, const sd_request_t *req)
{
    const sd_user_args_t *a = &req->args.user;
    sd_user_t *f = sd_event_user(ev);
    static const struct {
        int arg, reg;
        size_t arg_off, rec_off;
    } strs[] = {
#define S(A, R, m)                                                                                 \
    {SD_ARG_USER_##A, SD_UREG_##R, offsetof(sd_user_args_t, m), offsetof(sd_user_t, m)}
        S(DISPLAY_NAME, NAME, display_name),
        S(EMAIL, EMAIL, email),
        S(PHONE, PHONE, phone),
        S(LANGUAGE, LANGUAGE, language),
        S(TIME_ZONE, TIME_ZONE, time_zone),
        S(HOME_SITE, HOME_SITE, home_site),
        S(TEAMS, TEAMS, teams),
#undef S
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof strs / sizeof strs[0] && !rc; i++)
        if (sd_request_has(req, strs[i].arg))
            rc = sd_api_take(ev, cur, strs[i].reg)
                     ?: sd_api_set_str((char **)((char *)f + strs[i].rec_off),
                                       *(char *const *)((const char *)a + strs[i].arg_off));
    if (!rc && sd_request_has(req, SD_ARG_USER_TIER)) {
        rc = sd_api_take(ev, cur, SD_UREG_TIER);
        f->tier = a->tier;
    }
    return rc;
}

/* Grant (or revoke) role `which`, with the sites a grant limits it to. */
static int s_grant(sd_event_t *ev, const sd_user_t *cur, int which, bool grant,
                   const sd_request_t *req, sd_fault_t *fault)
{
    static const sd_user_t none;
    const sd_user_t *base = cur ? cur : &none;
    int rc = sd_api_take(ev, cur, SD_UREG_GRANTS);
    if (rc)
        return rc;
    sd_user_grant_event(base, which, grant, sd_event_user(ev));
    if (grant && which < SD_ROLE_COUNT_ && (!cur || sd_request_has(req, SD_ARG_USER_SITES))) {
        const char *sites = req->args.user.sites;
        rc = s_sites_check(sites, "args.sites", fault) ?:
             sd_api_take(ev, cur, SD_UREG_SITES + which) ?:
             sd_api_set_str(&sd_event_user(ev)->sites[which], sites);
    }
    return rc;
}

static int s_create(const sd_api_write_ctx_t *ctx, const sd_request_t *req, sd_event_t *ev,
                    sd_fault_t *fault)
{
    const sd_user_args_t *a = &req->args.user;
    sd_user_t *f = sd_event_user(ev);
    int rc = sd_login_check(a->id, "args.id", fault);
    if (rc)
        return rc;
    if (a->home_site && !sd_site_valid(a->home_site))
        return sd_fault_set(fault, SD_ERANGE, "args.home_site: '%s' is not a site id",
                            a->home_site);
    if (sd_request_has(req, SD_ARG_USER_SITES) && !sd_request_has(req, SD_ARG_USER_ROLE))
        return sd_fault_set(fault, SD_EMISSING, "args.sites: only with args.role");
    ev->mask |= sd_kind_register_mask(&sd_kind_user, SD_UREG_CREATED);
    f->created_at = ctx->wf->now_ms;
    rc = sd_api_set_str(&f->origin_site, ctx->wf->site) ?: s_profile(ev, NULL, req);
    if (!rc && !a->home_site)
        rc = sd_api_take(ev, NULL, SD_UREG_HOME_SITE)
                 ?: sd_api_set_str(&f->home_site, ctx->wf->site);
    rc = rc ?: s_grant(ev, NULL, SD_USER_ACTIVE, true, req, fault);
    if (!rc && sd_request_has(req, SD_ARG_USER_ROLE))
        rc = s_grant(ev, NULL, a->role, true, req, fault);
    if (!rc && a->unix_name && *a->unix_name)
        rc = sd_login_check(a->unix_name, "args.unix", fault) ?:
             sd_api_take(ev, NULL, SD_UREG_UNIX) ?: sd_api_set_str(&f->unix_name, a->unix_name);
    return rc;
}

static int s_password(const sd_api_write_ctx_t *ctx, const sd_user_t *cur, const char *pw,
                      sd_event_t *ev, sd_fault_t *fault)
{
    char hash[SD_SECRET_PW_MAX];
    int rc = sd_pw_hash(sd_auth_guard(ctx->auth), pw, (uint64_t)zclock_mono(), hash, fault);
    rc = rc ?: sd_api_take(ev, cur, SD_UREG_PASSWORD) ?:
         sd_api_set_str(&sd_event_user(ev)->password_hash, hash);
    sd_secret_wipe(hash, sizeof hash);
    return rc;
}

/* user.<op> -> its event op. */
static int s_op(int req_op)
{
    switch (req_op) {
    case SD_REQ_USER_NEW:
        return SD_UOP_CREATE;
    case SD_REQ_USER_UPDATE:
        return SD_UOP_UPDATE;
    case SD_REQ_USER_GRANT:
        return SD_UOP_GRANT;
    case SD_REQ_USER_REVOKE:
        return SD_UOP_REVOKE;
    case SD_REQ_USER_DISABLE:
        return SD_UOP_DISABLE;
    case SD_REQ_USER_ENABLE:
        return SD_UOP_ENABLE;
    case SD_REQ_USER_LINK:
        return SD_UOP_LINK;
    default:
        return SD_UOP_PASSWORD;
    }
}

int sd_api_user_write(const sd_api_write_ctx_t *ctx, const void *cur_record,
                      const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_user_t *cur = cur_record;
    const sd_user_args_t *a = &req->args.user;
    int op = s_op(req->op), rc;
    if (op == SD_UOP_CREATE && cur)
        return sd_fault_set(fault, SD_EDUPLICATE, "user %s already exists", a->id);
    if (op != SD_UOP_CREATE && !cur)
        return sd_fault_set(fault, SD_ENOTFOUND, "user %s does not exist", a->id);
    if ((rc = sd_event_start(ev, &sd_kind_user, op)) != 0)
        return rc;
    snprintf(ev->author, sizeof ev->author, "%s", ctx->wf->author);
    switch (op) {
    case SD_UOP_CREATE:
        rc = s_create(ctx, req, ev, fault);
        break;
    case SD_UOP_UPDATE:
        if (a->home_site && !sd_site_valid(a->home_site))
            rc = sd_fault_set(fault, SD_ERANGE, "args.home_site: '%s' is not a site id",
                              a->home_site);
        rc = rc ?: s_profile(ev, cur, req);
        if (!rc && !ev->mask)
            rc = sd_fault_set(fault, SD_EMISSING, "user.update: nothing to change");
        break;
    case SD_UOP_GRANT:
    case SD_UOP_REVOKE:
        if (op == SD_UOP_REVOKE && !sd_user_holds(cur, a->role))
            rc = sd_fault_set(fault, SD_ETRANSITION, "user %s does not hold the %s role", a->id,
                              sd_role_names[a->role]);
        rc = rc ?: s_grant(ev, cur, a->role, op == SD_UOP_GRANT, req, fault);
        break;
    case SD_UOP_DISABLE:
    case SD_UOP_ENABLE:
        if (sd_user_holds(cur, SD_USER_ACTIVE) == (op == SD_UOP_ENABLE))
            rc = sd_fault_set(fault, SD_ETRANSITION, "user %s is already %s", a->id,
                              op == SD_UOP_ENABLE ? "active" : "disabled");
        rc = rc ?: s_grant(ev, cur, SD_USER_ACTIVE, op == SD_UOP_ENABLE, req, fault);
        if (!rc && op == SD_UOP_DISABLE)
            rc = sd_api_take(ev, cur, SD_UREG_REASON)
                     ?: sd_api_set_str(&sd_event_user(ev)->reason, a->reason);
        break;
    case SD_UOP_LINK:
        if (*a->unix_name)
            rc = sd_login_check(a->unix_name, "args.unix", fault);
        rc = rc ?: sd_api_take(ev, cur, SD_UREG_UNIX) ?:
             sd_api_set_str(&sd_event_user(ev)->unix_name, a->unix_name);
        break;
    default:
        rc = s_password(ctx, cur, a->password, ev, fault);
    }
    if (rc == SD_ENOMEM)
        sd_fault_set(fault, rc, "out of memory");
    if (rc)
        sd_event_clear(ev);
    return rc;
}

/* ---- reads --------------------------------------------------------------------------------- */

static bool s_user_kept(const sd_api_page_t *p, const void *record)
{
    const sd_user_t *u = record;
    const sd_user_args_t *a = &p->req->args.user;
    return !(sd_request_has(p->req, SD_ARG_USER_ROLE) && !sd_user_has_role(u, a->role, NULL)) &&
           !(a->site && (!u->home_site || strcmp(u->home_site, a->site) != 0)) &&
           !(a->team && !sd_list_has(u->teams, a->team));
}

int sd_api_user_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                     sd_fault_t *fault)
{
    (void)fault;
    const sd_user_args_t *a = &req->args.user;
    return sd_api_page(ctx, req, &sd_kind_user, "users", a->after,
                       sd_request_has(req, SD_ARG_USER_LIMIT) ? a->limit : 100, s_user_kept, w);
}

int sd_api_auth_whoami(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    (void)fault;
    const sd_principal_t *who = ctx->who;
    uint32_t n = 0;
    for (int r = 0; r < SD_ROLE_COUNT_; r++)
        n += who->superuser || (who->has_user && sd_user_has_role(&who->user, r, NULL));
    const char *zone = who->has_user ? who->user.time_zone : NULL;
    sd_reply_ok_begin(w, req->id);
    sd_mp_map(w, 7);
    sd_mp_str(w, "user");
    sd_mp_str(w, who->login);
    sd_mp_str(w, "display_name");
    sd_mp_str(w, who->has_user && who->user.display_name ? who->user.display_name : who->login);
    sd_mp_str(w, "via");
    sd_mp_str(w, who->via);
    sd_mp_str(w, "site");
    sd_mp_str(w, ctx->cfg->site);
    sd_mp_str(w, "superuser");
    sd_mp_bool(w, who->superuser);
    sd_mp_str(w, "roles");
    sd_mp_array(w, n);
    for (int r = 0; r < SD_ROLE_COUNT_; r++) {
        if (!who->superuser && !(who->has_user && sd_user_has_role(&who->user, r, NULL)))
            continue;
        const char *sites = who->has_user ? who->user.sites[r] : NULL;
        sd_mp_map(w, 2);
        sd_mp_str(w, "role");
        sd_mp_str(w, sd_role_names[r]);
        sd_mp_str(w, "sites");
        sd_mp_str(w, who->superuser || !sites ? "" : sites);
    }
    sd_mp_str(w, "time_zone"); /* the CLI shows times in it when given no other zone */
    if (zone && *zone)
        sd_mp_str(w, zone);
    else
        sd_mp_nil(w);
    return 0;
}

int sd_api_auth_login(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault)
{
    const sd_user_args_t *a = &req->args.user;
    sd_user_t u = {0};
    sd_fault_t why = {0};
    int rc = sd_auth_active_user(ctx->txn, a->id, &u, &why);
    if (rc && rc != SD_ENOTFOUND && rc != SD_EFORBIDDEN)
        return rc;
    /* An unknown or disabled user costs a hash like a wrong password, and reads the same. */
    int vrc = sd_pw_verify(sd_auth_guard(ctx->auth), a->id, rc ? NULL : u.password_hash,
                           a->password, (uint64_t)zclock_mono(), fault);
    sd_record_clear(&sd_kind_user, &u);
    if (vrc)
        return vrc;
    if (rc)
        return sd_fault_set(fault, SD_EUNAUTHENTICATED, "wrong login or password");
    char token[SD_SESSION_TOKEN_LEN + 1];
    uint64_t expires = sd_sessions_start(sd_auth_sessions(ctx->auth), a->id, ctx->now_ms, token);
    sd_reply_ok_begin(w, req->id);
    sd_mp_map(w, 3);
    sd_mp_str(w, "token");
    sd_mp_str(w, token);
    sd_mp_str(w, "user");
    sd_mp_str(w, a->id);
    sd_mp_str(w, "expires_at");
    sd_mp_u64(w, expires);
    sd_secret_wipe(token, sizeof token);
    return 0;
}

int sd_api_auth_logout(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    /* Identification took the session token before the Unix account: a request that carries
     * one and got here was made in that (live) session. */
    if (!req->token || strncmp(req->token, SD_SESSION_PREFIX, 4) != 0)
        return sd_fault_set(fault, SD_EINVAL,
                            "auth.logout ends login sessions; revoke API tokens with token.revoke");
    sd_sessions_end(sd_auth_sessions(ctx->auth), req->token);
    sd_reply_ok_begin(w, req->id);
    sd_mp_map(w, 1);
    sd_mp_str(w, "user");
    sd_mp_str(w, ctx->who->login);
    return 0;
}
