/* op_asset.c - asset.* and vendor.* (op_asset.h). */
#include "op_asset.h"

#include "asset.h"
#include "error.h"
#include "record.h"
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- assets -------------------------------------------------------------------------------- */

/* The data rules of an asset's arguments. */
static int s_asset_check(const sd_request_t *req, bool create, sd_fault_t *fault)
{
    const sd_asset_args_t *a = &req->args.asset;
    int rc = create ? sd_asset_tag_check(a->id, "args.id", fault) : 0;
    if (rc)
        return rc;
    if (a->owner && *a->owner && !sd_customer_id_shape(a->owner))
        return sd_fault_set(fault, SD_ERANGE,
                            "args.owner: '%s' is not a customer id (SITE-C-000001)", a->owner);
    if (a->site && !sd_site_valid(a->site))
        return sd_fault_set(fault, SD_ERANGE, "args.site: '%s' is not a site id", a->site);
    if (a->warranty_end && *a->warranty_end && !sd_asset_date_valid(a->warranty_end))
        return sd_fault_set(fault, SD_ERANGE, "args.warranty_end: '%s' is not a date YYYY-MM-DD",
                            a->warranty_end);
    return 0;
}

/* Writes one string register from argument arg when the request has it. */
static int s_str_reg(sd_event_t *ev, const void *cur, const sd_request_t *req, int arg, int reg,
                     char **slot, const char *value)
{
    if (!sd_request_has(req, arg))
        return 0;
    return sd_api_take(ev, cur, reg) ?: sd_api_set_str(slot, value);
}

static int s_asset_fields(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                          sd_event_t *ev)
{
    const sd_asset_args_t *a = &req->args.asset;
    sd_asset_t *f = sd_event_asset(ev);
    bool create = !cur;
    int rc = 0;
    if (create) {
        ev->mask |= sd_kind_register_mask(&sd_kind_asset, SD_AREG_CREATED);
        f->created_at = ctx->wf->now_ms;
        rc = sd_api_set_str(&f->origin_site, ctx->wf->site);
    }
    bool has_owner = sd_request_has(req, SD_ARG_ASSET_OWNER);
    bool has_site = sd_request_has(req, SD_ARG_ASSET_SITE);
    if (!rc && (create || has_owner || has_site)) { /* a move: owner and site together */
        rc = sd_api_take(ev, cur, SD_AREG_PLACE);
        if (!rc && has_owner)
            rc = sd_api_set_str(&f->owner, a->owner);
        if (!rc && (has_site || create))
            rc = sd_api_set_str(&f->site, has_site ? a->site : ctx->wf->site);
    }
    if (!rc && (create || sd_request_has(req, SD_ARG_ASSET_STATUS))) {
        rc = sd_api_take(ev, cur, SD_AREG_STATUS);
        if (sd_request_has(req, SD_ARG_ASSET_STATUS))
            f->status = a->status;
        else /* a new asset with an owner is in use, else in stock */
            f->status = a->owner && *a->owner ? SD_ASSET_IN_USE : SD_ASSET_IN_STOCK;
    }
    rc = rc ?: s_str_reg(ev, cur, req, SD_ARG_ASSET_KIND, SD_AREG_KIND, &f->kind, a->kind);
    rc = rc ?: s_str_reg(ev, cur, req, SD_ARG_ASSET_MODEL, SD_AREG_MODEL, &f->model, a->model);
    rc = rc ?: s_str_reg(ev, cur, req, SD_ARG_ASSET_SERIAL, SD_AREG_SERIAL, &f->serial, a->serial);
    rc = rc
             ?: s_str_reg(ev, cur, req, SD_ARG_ASSET_WARRANTY_END, SD_AREG_WARRANTY,
                          &f->warranty_end, a->warranty_end);
    rc = rc ?: s_str_reg(ev, cur, req, SD_ARG_ASSET_NOTES, SD_AREG_NOTES, &f->notes, a->notes);
    return rc;
}

/* The write of an asset or a vendor (op 0 creates, 1 updates, in both kinds): the record must
 * not exist yet (create) or exist (update), the data rules, then the event's fields; an update
 * that changes nothing is refused. */
static int s_write(const sd_api_write_ctx_t *ctx, const sd_kind_t *k, const void *cur,
                   const sd_request_t *req, const char *id, bool create,
                   int (*check)(const sd_request_t *req, bool create, sd_fault_t *fault),
                   int (*fields)(const sd_api_write_ctx_t *ctx, const void *cur,
                                 const sd_request_t *req, sd_event_t *ev),
                   sd_event_t *ev, sd_fault_t *fault)
{
    if (create && cur)
        return sd_fault_set(fault, SD_EDUPLICATE, "%s %s already exists", k->name, id);
    if (!create && !cur)
        return sd_fault_set(fault, SD_ENOTFOUND, "%s %s does not exist", k->name, id);
    int rc = check(req, create, fault);
    if (rc || (rc = sd_event_start(ev, k, create ? 0 : 1)) != 0)
        return rc;
    snprintf(ev->author, sizeof ev->author, "%s", ctx->wf->author);
    rc = fields(ctx, cur, req, ev);
    if (!rc && !ev->mask)
        rc = sd_fault_set(fault, SD_EMISSING, "%s.update: nothing to change", k->name);
    if (rc == SD_ENOMEM)
        sd_fault_set(fault, rc, "out of memory");
    if (rc)
        sd_event_clear(ev);
    return rc;
}

int sd_api_asset_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                       sd_event_t *ev, sd_fault_t *fault)
{
    _Static_assert(SD_AOP_CREATE == 0 && SD_AOP_UPDATE == 1, "s_write's ops");
    return s_write(ctx, &sd_kind_asset, cur, req, req->args.asset.id, req->op == SD_REQ_ASSET_NEW,
                   s_asset_check, s_asset_fields, ev, fault);
}

static bool s_is(const char *filter, const char *value)
{
    return !filter || (value && strcmp(value, filter) == 0);
}

static bool s_asset_kept(const sd_api_page_t *p, const void *record)
{
    const sd_asset_t *t = record;
    const sd_asset_args_t *a = &p->req->args.asset;
    if (sd_request_has(p->req, SD_ARG_ASSET_STATUS) && t->status != a->status)
        return false;
    return s_is(a->owner, t->owner) && s_is(a->site, t->site) && s_is(a->kind, t->kind);
}

int sd_api_asset_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault)
{
    (void)fault;
    const sd_asset_args_t *a = &req->args.asset;
    return sd_api_page(ctx, req, &sd_kind_asset, "assets", a->after,
                       sd_request_has(req, SD_ARG_ASSET_LIMIT) ? a->limit : 100, s_asset_kept, w);
}

#define S_CARD_MAX 100 /* assets on a customer's card */

typedef struct {
    sd_asset_t assets[S_CARD_MAX]; /* found, loaded */
    int n;                         /* how many */
    sd_store_txn_t *txn;           /* where to load them from */
} s_card_t;

/* One "owner" index entry: the rest is the tag and its NUL. */
static int s_card_asset(const char *rest, size_t len, void *arg)
{
    s_card_t *c = arg;
    if (len == 0 || rest[len - 1] != 0 || len > SD_ID_MAX + 1)
        return SD_ECORRUPT;
    if (c->n == S_CARD_MAX)
        return 1;
    sd_asset_t *a = &c->assets[c->n];
    int rc = sd_store_get_record(c->txn, &sd_kind_asset, rest, a);
    if (!rc && sd_record_exists(&sd_kind_asset, a))
        c->n++;
    else
        sd_record_clear(&sd_kind_asset, a);
    return rc == SD_ENOTFOUND ? 0 : rc;
}

int sd_api_asset_card(const sd_api_ctx_t *ctx, const char (*owners)[SD_ID_MAX + 1], int n,
                      sd_mp_writer_t *w)
{
    s_card_t *c = calloc(1, sizeof *c);
    if (!c)
        return SD_ENOMEM;
    c->txn = ctx->txn;
    int rc = 0;
    for (int i = 0; i < n && !rc; i++)
        rc = sd_store_index_find(ctx->txn, &sd_kind_asset, SD_ASSET_INDEX_OWNER, owners[i],
                                 s_card_asset, c);
    rc = rc == 1 ? 0 : rc;
    if (!rc) {
        sd_mp_array(w, (uint32_t)c->n);
        for (int i = 0; i < c->n; i++)
            sd_api_record_view(w, &sd_kind_asset, &c->assets[i], ctx->scope);
    }
    for (int i = 0; i < c->n; i++)
        sd_record_clear(&sd_kind_asset, &c->assets[i]);
    free(c);
    return rc;
}

/* ---- vendors ------------------------------------------------------------------------------- */

static int s_vendor_check(const sd_request_t *req, bool create, sd_fault_t *fault)
{
    return create ? sd_login_check(req->args.vendor.id, "args.id", fault) : 0;
}

static int s_vendor_fields(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                           sd_event_t *ev)
{
    const sd_vendor_args_t *a = &req->args.vendor;
    sd_vendor_t *f = sd_event_vendor(ev);
    int rc = 0;
    if (!cur) {
        ev->mask |= sd_kind_register_mask(&sd_kind_vendor, SD_VREG_CREATED);
        f->created_at = ctx->wf->now_ms;
        rc = sd_api_set_str(&f->origin_site, ctx->wf->site);
    }
    rc = rc
             ?: s_str_reg(ev, cur, req, SD_ARG_VENDOR_DISPLAY_NAME, SD_VREG_NAME, &f->display_name,
                          a->display_name);
    rc = rc ?: s_str_reg(ev, cur, req, SD_ARG_VENDOR_TERMS, SD_VREG_TERMS, &f->terms, a->terms);
    rc = rc
             ?: s_str_reg(ev, cur, req, SD_ARG_VENDOR_CONTACTS, SD_VREG_CONTACTS, &f->contacts,
                          a->contacts);
    bool has_phone = sd_request_has(req, SD_ARG_VENDOR_ESCALATION_PHONE);
    bool has_email = sd_request_has(req, SD_ARG_VENDOR_ESCALATION_EMAIL);
    if (!rc && (has_phone || has_email)) /* one register: taken once, then each given field */
        rc = sd_api_take(ev, cur, SD_VREG_ESCALATION);
    if (!rc && has_phone)
        rc = sd_api_set_str(&f->escalation_phone, a->escalation_phone);
    if (!rc && has_email)
        rc = sd_api_set_str(&f->escalation_email, a->escalation_email);
    rc = rc ?: s_str_reg(ev, cur, req, SD_ARG_VENDOR_NOTES, SD_VREG_NOTES, &f->notes, a->notes);
    return rc;
}

int sd_api_vendor_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                        sd_event_t *ev, sd_fault_t *fault)
{
    _Static_assert(SD_VOP_CREATE == 0 && SD_VOP_UPDATE == 1, "s_write's ops");
    return s_write(ctx, &sd_kind_vendor, cur, req, req->args.vendor.id,
                   req->op == SD_REQ_VENDOR_NEW, s_vendor_check, s_vendor_fields, ev, fault);
}

static bool s_vendor_kept(const sd_api_page_t *p, const void *record)
{
    (void)p, (void)record;
    return true;
}

int sd_api_vendor_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    (void)fault;
    const sd_vendor_args_t *a = &req->args.vendor;
    return sd_api_page(ctx, req, &sd_kind_vendor, "vendors", a->after,
                       sd_request_has(req, SD_ARG_VENDOR_LIMIT) ? a->limit : 100, s_vendor_kept, w);
}
