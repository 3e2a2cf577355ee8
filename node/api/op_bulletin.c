/* op_bulletin.c - the bulletin ops (op_bulletin.h). */
#include "op_bulletin.h"

#include "error.h"
#include "permission.h"
#include "record.h"
#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writes -------------------------------------------------------------------------------- */

/* Every entry of a sites list is a site id. */
static int s_sites_check(const char *list, sd_fault_t *fault)
{
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ","), trimmed = len;
        while (trimmed && p[trimmed - 1] == ' ')
            trimmed--;
        char site[SD_SITE_MAX + 2] = "";
        if (trimmed) {
            snprintf(site, sizeof site, "%.*s",
                     (int)(trimmed < sizeof site ? trimmed : sizeof site - 1), p);
            if (trimmed > SD_SITE_MAX || !sd_site_valid(site))
                return sd_fault_set(fault, SD_ERANGE, "args.sites: '%.*s' is not a site id",
                                    (int)trimmed, p);
        }
        p += len;
    }
    return 0;
}

/* The major incident a bulletin names: a ticket whose major flag is set. */
static int s_major_check(sd_store_txn_t *txn, const char *id, sd_fault_t *fault)
{
    sd_ticket_t t = {0};
    int rc = txn ? sd_store_get_record(txn, &sd_kind_ticket, id, &t) : SD_ENOTFOUND;
    if (!rc && !sd_ticket_exists(&t))
        rc = SD_ENOTFOUND;
    bool major = !rc && t.major;
    sd_ticket_clear(&t);
    if (rc == SD_ENOTFOUND)
        return sd_fault_set(fault, rc, "ticket %s does not exist", id);
    if (!rc && !major)
        return sd_fault_set(fault, SD_EINVAL,
                            "args.major: ticket %s is not a major incident (ticket.declare_major)",
                            id);
    return rc;
}

#define HAS(name) sd_request_has(req, SD_ARG_BULLETIN_##name)
#define SET(name, reg, field)                                                                      \
    if (!rc && HAS(name))                                                                          \
    rc = sd_api_take(ev, cur, reg) ?: sd_api_set_str(&f->field, a->field)

/* new and update: the registers the request gives, after the rules. */
static int s_fields(const sd_api_write_ctx_t *ctx, const sd_bulletin_t *cur,
                    const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_bulletin_args_t *a = &req->args.bulletin;
    bool create = !cur;
    uint64_t from = HAS(VALID_FROM) ? a->valid_from : cur ? cur->valid_from : ctx->wf->now_ms;
    uint64_t until = HAS(VALID_UNTIL) ? a->valid_until : cur ? cur->valid_until : 0;
    int rc = s_sites_check(a->sites, fault);
    if (!rc && until <= from)
        rc = sd_fault_set(fault, SD_ERANGE, "args.valid_until: must be after valid_from");
    if (!rc && a->major && *a->major)
        rc = s_major_check(ctx->txn, a->major, fault);
    rc = rc ?: sd_event_start(ev, &sd_kind_bulletin, create ? SD_BLOP_CREATE : SD_BLOP_UPDATE);
    sd_bulletin_t *f = rc ? NULL : sd_event_bulletin(ev);
    if (!rc && create) {
        rc = sd_api_take(ev, NULL, SD_BLREG_CREATED) ?: sd_api_take(ev, NULL, SD_BLREG_STATE)
                                                    ?: sd_api_take(ev, NULL, SD_BLREG_SEVERITY);
        f->created_at = ctx->wf->now_ms;
        f->state = SD_BSTATE_ACTIVE;
        f->severity = SD_SEVERITY_INFO;
        rc = rc ?: sd_api_set_str(&f->origin_site, ctx->wf->site)
                 ?: sd_api_set_str(&f->author, ctx->wf->author);
    }
    SET(TITLE, SD_BLREG_TITLE, title);
    SET(BODY, SD_BLREG_BODY, body);
    SET(SITES, SD_BLREG_SITES, sites);
    SET(CATEGORY, SD_BLREG_CATEGORY, category);
    SET(MAJOR, SD_BLREG_MAJOR, major);
    if (!rc && HAS(SEVERITY)) {
        rc = sd_api_take(ev, cur, SD_BLREG_SEVERITY);
        f->severity = a->severity;
    }
    if (!rc && (create || HAS(VALID_FROM) || HAS(VALID_UNTIL))) {
        rc = sd_api_take(ev, cur, SD_BLREG_WINDOW);
        f->valid_from = from;
        f->valid_until = until;
    }
    if (!rc && !ev->mask)
        rc = sd_fault_set(fault, SD_EMISSING, "bulletin.update: nothing to change");
    return rc;
}

int sd_api_bulletin_write(const sd_api_write_ctx_t *ctx, const void *cur_record,
                          const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_bulletin_t *cur = cur_record;
    int rc = 0;
    if (req->op != SD_REQ_BULLETIN_NEW && !cur)
        return sd_fault_set(fault, SD_ENOTFOUND, "bulletin %s does not exist",
                            req->args.bulletin.id);
    if (req->op != SD_REQ_BULLETIN_WITHDRAW) {
        rc = s_fields(ctx, cur, req, ev, fault);
    } else if (cur->state == SD_BSTATE_WITHDRAWN) {
        if (ctx->allowed && ctx->allowed_cap)
            snprintf(ctx->allowed, ctx->allowed_cap, "update");
        rc = sd_fault_set(fault, SD_ETRANSITION,
                          "bulletin %s is withdrawn; withdraw is not allowed (allowed: update)",
                          cur->id);
    } else {
        rc = sd_event_start(ev, &sd_kind_bulletin, SD_BLOP_WITHDRAW)
                 ?: sd_api_take(ev, NULL, SD_BLREG_STATE);
        if (!rc)
            sd_event_bulletin(ev)->state = SD_BSTATE_WITHDRAWN;
    }
    return sd_api_write_end(ctx, ev, rc, fault);
}

/* ---- reads --------------------------------------------------------------------------------- */

int sd_api_bulletin_judge(sd_store_txn_t *txn, sd_bulletin_t *b, uint64_t now_ms, const char *site)
{
    bool over = false;
    if (b->major && *b->major) {
        sd_ticket_t t = {0};
        int rc = sd_store_get_record(txn, &sd_kind_ticket, b->major, &t);
        if (rc && rc != SD_ENOTFOUND)
            return rc;
        over = !rc && sd_ticket_exists(&t) && !sd_status_open(t.status);
        sd_ticket_clear(&t);
    }
    b->current = sd_bulletin_current(b, now_ms, site, over);
    b->judged = true;
    return 0;
}

/* The caller's site: their home site, else the node's. */
static const char *s_site(const sd_api_ctx_t *ctx)
{
    const sd_principal_t *who = ctx->who;
    if (who && who->has_user && who->user.home_site && *who->user.home_site)
        return who->user.home_site;
    return ctx->cfg->site;
}

int sd_api_bulletin_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault)
{
    const char *id = req->args.bulletin.id;
    sd_bulletin_t b = {0};
    int rc = sd_store_get_record(ctx->txn, &sd_kind_bulletin, id, &b);
    if (!rc && !sd_record_exists(&sd_kind_bulletin, &b))
        rc = SD_ENOTFOUND;
    rc = rc ?: sd_api_bulletin_judge(ctx->txn, &b, ctx->now_ms, s_site(ctx));
    if (!rc && ctx->scope == SD_SCOPE_OWN && !b.current)
        rc = SD_ENOTFOUND;
    if (rc == SD_ENOTFOUND)
        sd_fault_set(fault, rc, "bulletin %s does not exist", id);
    if (!rc)
        sd_api_reply_view(w, req->id, &sd_kind_bulletin, &b, ctx->scope);
    sd_record_clear(&sd_kind_bulletin, &b);
    return rc;
}

static bool s_kept(const sd_api_page_t *p, const void *record)
{
    /* The walk's own decoded copy: judging it here is what its encoding then shows. */
    sd_bulletin_t *b = (sd_bulletin_t *)record;
    if (sd_api_bulletin_judge(p->ctx->txn, b, p->ctx->now_ms, s_site(p->ctx)) != 0)
        return false;
    bool only_current = p->ctx->scope == SD_SCOPE_OWN || p->req->args.bulletin.current;
    return !only_current || b->current;
}

int sd_api_bulletin_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                         sd_fault_t *fault)
{
    (void)fault;
    const sd_bulletin_args_t *a = &req->args.bulletin;
    return sd_api_page(ctx, req, &sd_kind_bulletin, "bulletins", a->after,
                       sd_request_has(req, SD_ARG_BULLETIN_LIMIT) ? a->limit : 100, s_kept, w);
}
