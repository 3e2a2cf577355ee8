/* op_team_token.c - team.* and token.* (op_people.h). */
#include "op_people.h"

#include "error.h"
#include "permission.h"
#include "record.h"
#include "secrets.h"
#include "team.h"
#include "ticket.h"
#include "token.h"

#include <stdio.h>
#include <string.h>

/* ---- teams --------------------------------------------------------------------------------- */

int sd_api_team_write(const sd_api_write_ctx_t *ctx, const void *cur_record,
                      const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_team_t *cur = cur_record;
    const sd_team_args_t *a = &req->args.team;
    bool create = req->op == SD_REQ_TEAM_NEW;
    int rc = 0;
    if (create && cur)
        return sd_fault_set(fault, SD_EDUPLICATE, "team %s already exists", a->id);
    if (!create && !cur)
        return sd_fault_set(fault, SD_ENOTFOUND, "team %s does not exist", a->id);
    if (create && (rc = sd_login_check(a->id, "args.id", fault)) != 0)
        return rc;
    if (a->site && !sd_site_valid(a->site))
        return sd_fault_set(fault, SD_ERANGE, "args.site: '%s' is not a site id", a->site);
    if ((rc = sd_event_start(ev, &sd_kind_team, create ? SD_TOP_CREATE : SD_TOP_UPDATE)) != 0)
        return rc;
    snprintf(ev->author, sizeof ev->author, "%s", ctx->wf->author);
    sd_team_t *f = sd_event_team(ev);
    if (create) {
        ev->mask |= sd_kind_register_mask(&sd_kind_team, SD_TREG_CREATED);
        f->created_at = ctx->wf->now_ms;
        rc = sd_api_set_str(&f->origin_site, ctx->wf->site);
        if (!rc && !a->site)
            rc = sd_api_take(ev, NULL, SD_TREG_SITE) ?: sd_api_set_str(&f->site, ctx->wf->site);
    }
    if (!rc && sd_request_has(req, SD_ARG_TEAM_DISPLAY_NAME))
        rc =
            sd_api_take(ev, cur, SD_TREG_NAME) ?: sd_api_set_str(&f->display_name, a->display_name);
    if (!rc && sd_request_has(req, SD_ARG_TEAM_SITE))
        rc = sd_api_take(ev, cur, SD_TREG_SITE) ?: sd_api_set_str(&f->site, a->site);
    if (!rc && sd_request_has(req, SD_ARG_TEAM_MANAGER))
        rc = sd_api_take(ev, cur, SD_TREG_MANAGER) ?: sd_api_set_str(&f->manager, a->manager);
    if (!rc && sd_request_has(req, SD_ARG_TEAM_TIER)) {
        rc = sd_api_take(ev, cur, SD_TREG_TIER);
        f->tier = a->tier;
    }
    if (!rc && !ev->mask)
        rc = sd_fault_set(fault, SD_EMISSING, "team.update: nothing to change");
    if (rc == SD_ENOMEM)
        sd_fault_set(fault, rc, "out of memory");
    if (rc)
        sd_event_clear(ev);
    return rc;
}

static bool s_team_kept(const sd_api_page_t *p, const void *record)
{
    const sd_team_t *t = record;
    const char *site = p->req->args.team.site;
    return !site || (t->site && strcmp(t->site, site) == 0);
}

int sd_api_team_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                     sd_fault_t *fault)
{
    (void)fault;
    const sd_team_args_t *a = &req->args.team;
    return sd_api_page(ctx, req, &sd_kind_team, "teams", a->after,
                       sd_request_has(req, SD_ARG_TEAM_LIMIT) ? a->limit : 100, s_team_kept, w);
}

/* ---- tokens -------------------------------------------------------------------------------- */

static int s_token_new(const sd_api_write_ctx_t *ctx, const sd_request_t *req, sd_event_t *ev,
                       sd_fault_t *fault)
{
    const sd_token_args_t *a = &req->args.token;
    const char *user = a->user ? a->user : ctx->who->login;
    if (sd_user_is_system(user))
        return sd_fault_set(fault, SD_ERANGE, "token.new: %s is no desk user; name one with --user",
                            user);
    char hex[SD_SECRET_HASH_HEX + 1];
    if (ctx->shown_cap < SD_SECRET_TOKEN_LEN + 1)
        return SD_EINVAL;
    sd_secret_token(SD_TOKEN_PREFIX, ctx->shown_once, hex);
    int rc = sd_event_start(ev, &sd_kind_token, SD_KOP_CREATE);
    if (rc)
        return rc;
    sd_token_t *f = sd_event_token(ev);
    ev->mask |= sd_kind_register_mask(&sd_kind_token, SD_KREG_CREATED);
    f->created_at = ctx->wf->now_ms;
    if (sd_request_has(req, SD_ARG_TOKEN_DAYS))
        f->expires_at = ctx->wf->now_ms + (uint64_t)a->days * 86400000ull;
    return sd_api_set_str(&f->origin_site, ctx->wf->site) ?: sd_api_set_str(&f->user, user) ?:
           sd_api_set_str(&f->name, a->name) ?: sd_api_set_str(&f->hash, hex);
}

int sd_api_token_write(const sd_api_write_ctx_t *ctx, const void *cur_record,
                       const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_token_t *cur = cur_record;
    int rc;
    if (req->op == SD_REQ_TOKEN_NEW) {
        rc = s_token_new(ctx, req, ev, fault);
    } else if (!cur) {
        return sd_fault_set(fault, SD_ENOTFOUND, "token %s does not exist", req->args.token.id);
    } else if (cur->revoked_at) {
        return sd_fault_set(fault, SD_ETRANSITION, "token %s is already revoked", cur->id);
    } else if ((rc = sd_event_start(ev, &sd_kind_token, SD_KOP_REVOKE)) == 0) {
        ev->mask |= sd_kind_register_mask(&sd_kind_token, SD_KREG_REVOKED);
        sd_event_token(ev)->revoked_at = ctx->wf->now_ms;
    }
    return sd_api_write_end(ctx, ev, rc, fault);
}

static bool s_token_kept(const sd_api_page_t *p, const void *record)
{
    const sd_token_t *t = record;
    const char *user = p->req->args.token.user;
    if (p->ctx->scope != SD_SCOPE_ANY)
        user = p->ctx->who->login; /* not an admin: one's own tokens only */
    return !user || (t->user && strcmp(t->user, user) == 0);
}

int sd_api_token_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault)
{
    (void)fault;
    const sd_token_args_t *a = &req->args.token;
    return sd_api_page(ctx, req, &sd_kind_token, "tokens", a->after,
                       sd_request_has(req, SD_ARG_TOKEN_LIMIT) ? a->limit : 100, s_token_kept, w);
}
