/* op_customer.c - customer.new, .update, .merge, .get, .list, .find (op_customer.h). */
#include "op_customer.h"

#include "customer_store.h"
#include "error.h"
#include "phone.h"
#include "record.h"
#include "ticket.h"
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- survivors ----------------------------------------------------------------------------- */

static int s_merged(const char *id, char *into, void *arg)
{
    sd_customer_t c = {0};
    int rc = sd_store_get_record(arg, &sd_kind_customer, id, &c);
    if (!rc && !sd_record_exists(&sd_kind_customer, &c))
        rc = SD_ENOTFOUND;
    if (!rc)
        snprintf(into, SD_ID_MAX + 1, "%s", c.merged_into ? c.merged_into : "");
    sd_record_clear(&sd_kind_customer, &c);
    return rc;
}

int sd_api_customer_survivor(sd_store_txn_t *txn, const char *id, char *out)
{
    return sd_customer_resolve(id, s_merged, txn, out);
}

/* The first id of an index entry's rest (index part, NUL, id, NUL): exact entries hand the id
 * alone. */
typedef struct {
    sd_store_txn_t *txn;
    char ids[SD_LIST_MAX][SD_ID_MAX + 1]; /* survivors found, without repeats */
    int n;                                /* how many */
    int limit;                            /* most wanted */
    bool prefix;                          /* rest holds the rest of the name first */
} s_found_t;

static int s_found(const char *rest, size_t len, void *arg)
{
    s_found_t *f = arg;
    if (len == 0 || rest[len - 1] != 0)
        return SD_ECORRUPT;
    const char *id = rest;
    if (f->prefix) {
        size_t skip = strlen(rest) + 1;
        if (skip >= len)
            return SD_ECORRUPT;
        id = rest + skip;
    }
    char survivor[SD_ID_MAX + 1];
    int rc = sd_api_customer_survivor(f->txn, id, survivor);
    if (rc == SD_ENOTFOUND)
        return 0; /* an entry of a customer whose create has not arrived yet */
    if (rc)
        return rc;
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->ids[i], survivor) == 0)
            return 0;
    if (f->n == f->limit)
        return 1;
    snprintf(f->ids[f->n++], SD_ID_MAX + 1, "%s", survivor);
    return 0;
}

static void s_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

/* Finds the survivors with phone, e-mail or name prefix into f. */
static int s_find(sd_store_txn_t *txn, const char *default_cc, const char *phone, const char *email,
                  const char *name, s_found_t *f, sd_fault_t *fault)
{
    char key[SD_NAME_MAX + 1];
    f->txn = txn;
    int rc;
    if (phone) {
        if (sd_phone_e164(phone, default_cc, key, sizeof key) != 0)
            return sd_fault_set(fault, SD_ERANGE, "args.phone: '%s' is not a phone number", phone);
        rc = sd_store_index_find(txn, &sd_kind_customer, SD_CUSTOMER_INDEX_PHONE, key, s_found, f);
    } else if (email) {
        snprintf(key, sizeof key, "%s", email);
        s_lower(key);
        rc = sd_store_index_find(txn, &sd_kind_customer, SD_CUSTOMER_INDEX_EMAIL, key, s_found, f);
    } else if (name) {
        snprintf(key, sizeof key, "%s", name);
        s_lower(key);
        f->prefix = true;
        rc = sd_store_index_prefix(txn, &sd_kind_customer, SD_CUSTOMER_INDEX_NAME, key, s_found, f);
    } else {
        return sd_fault_set(fault, SD_EMISSING, "args: give phone, email or name");
    }
    return rc == 1 ? 0 : rc;
}

int sd_api_customer_find_one(sd_store_txn_t *txn, const char *default_cc, const char *id,
                             const char *phone, const char *email, sd_customer_t *c,
                             sd_fault_t *fault)
{
    char survivor[SD_ID_MAX + 1] = "";
    int rc = 0;
    if (id) {
        rc = sd_api_customer_survivor(txn, id, survivor);
        if (rc == SD_ENOTFOUND)
            return sd_fault_set(fault, rc, "customer %s does not exist", id);
    } else {
        s_found_t *f = calloc(1, sizeof *f);
        if (!f)
            return SD_ENOMEM;
        f->limit = 1;
        rc = s_find(txn, default_cc, phone, email, NULL, f, fault);
        if (!rc && f->n == 0) {
            char e164[SD_E164_MAX + 1] = "";
            if (phone)
                sd_phone_e164(phone, default_cc, e164, sizeof e164);
            rc = phone ? sd_fault_set(fault, SD_ENOTFOUND, "no customer has phone %s", e164)
                       : sd_fault_set(fault, SD_ENOTFOUND, "no customer has e-mail %s",
                                      email ? email : "");
        }
        if (!rc)
            strcpy(survivor, f->ids[0]);
        free(f);
    }
    if (rc)
        return rc;
    rc = sd_store_get_record(txn, &sd_kind_customer, survivor, c);
    if (!rc && !sd_record_exists(&sd_kind_customer, c))
        rc = SD_ENOTFOUND;
    if (rc == SD_ENOTFOUND)
        sd_fault_set(fault, rc, "customer %s does not exist", survivor);
    return rc;
}

/* ---- writes -------------------------------------------------------------------------------- */

typedef struct {
    const char *cc;                     /* default country */
    char out[SD_CUSTOMER_E164_MAX + 1]; /* E.164 forms, comma-separated */
    size_t used;                        /* bytes of out */
    int n;                              /* entries */
    sd_fault_t *fault;                  /* why one was refused */
} s_list_t;

static int s_phone(const char *item, void *arg)
{
    s_list_t *l = arg;
    char e164[SD_E164_MAX + 1];
    if (sd_phone_e164(item, l->cc, e164, sizeof e164) != 0)
        return sd_fault_set(l->fault, SD_ERANGE,
                            "args.phones: '%s' is not a phone number (6-15 digits; letters only "
                            "in an extension)",
                            item);
    if (++l->n > SD_CUSTOMER_ITEMS_MAX)
        return sd_fault_set(l->fault, SD_ERANGE, "args.phones: at most %d numbers",
                            SD_CUSTOMER_ITEMS_MAX);
    l->used += (size_t)snprintf(l->out + l->used, sizeof l->out - l->used, "%s%s",
                                l->used ? "," : "", e164);
    return 0;
}

static int s_email(const char *item, void *arg)
{
    s_list_t *l = arg;
    if (!sd_customer_email_valid(item))
        return sd_fault_set(l->fault, SD_ERANGE, "args.emails: '%s' is not an e-mail address",
                            item);
    if (++l->n > SD_CUSTOMER_ITEMS_MAX)
        return sd_fault_set(l->fault, SD_ERANGE, "args.emails: at most %d addresses",
                            SD_CUSTOMER_ITEMS_MAX);
    return 0;
}

/* The rules of the fields a new or update request sets. */
static int s_check(const sd_customer_args_t *a, const char *cc, s_list_t *phones, sd_fault_t *fault)
{
    s_list_t emails = {.fault = fault};
    phones->cc = cc;
    phones->fault = fault;
    int rc = sd_customer_each(a->emails, s_email, &emails)
                 ?: sd_customer_each(a->phones, s_phone, phones);
    if (rc)
        return rc;
    if (a->home_site && !sd_site_valid(a->home_site))
        return sd_fault_set(fault, SD_ERANGE, "args.home_site: '%s' is not a site id",
                            a->home_site);
    if (a->user && *a->user)
        return sd_login_check(a->user, "args.user", fault);
    return 0;
}

static int s_merge(const sd_api_write_ctx_t *ctx, const sd_customer_t *cur,
                   const sd_customer_args_t *a, sd_event_t *ev, sd_fault_t *fault)
{
    char survivor[SD_ID_MAX + 1];
    if (strcmp(a->id, a->into) == 0)
        return sd_fault_set(fault, SD_ETRANSITION, "customer %s cannot be merged into itself",
                            a->id);
    int rc = ctx->txn ? sd_api_customer_survivor(ctx->txn, a->into, survivor) : SD_EINVAL;
    if (rc == SD_ENOTFOUND)
        return sd_fault_set(fault, rc, "customer %s does not exist", a->into);
    if (rc)
        return rc;
    if (strcmp(survivor, cur->id) == 0)
        return sd_fault_set(fault, SD_ETRANSITION, "customer %s is merged into %s already", a->into,
                            cur->id);
    rc = sd_event_start(ev, &sd_kind_customer, SD_COP_MERGE) ?:
         sd_api_take(ev, cur, SD_CREG_MERGED) ?:
         sd_api_set_str(&sd_event_customer(ev)->merged_into, a->into);
    return rc;
}

#define HAS(name) sd_request_has(req, SD_ARG_CUSTOMER_##name)
#define SET(name, reg, field)                                                                      \
    if (!rc && HAS(name))                                                                          \
    rc = sd_api_take(ev, cur, reg) ?: sd_api_set_str(&f->field, a->field)

int sd_api_customer_write(const sd_api_write_ctx_t *ctx, const void *cur_record,
                          const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_customer_t *cur = cur_record;
    const sd_customer_args_t *a = &req->args.customer;
    bool create = req->op == SD_REQ_CUSTOMER_NEW;
    s_list_t phones = {0};
    int rc = 0;
    if (!create && !cur)
        return sd_fault_set(fault, SD_ENOTFOUND, "customer %s does not exist", a->id);
    if (cur && cur->merged_into)
        return sd_fault_set(fault, SD_ETRANSITION, "customer %s was merged into %s; use %s",
                            cur->id, cur->merged_into, cur->merged_into);
    if (req->op == SD_REQ_CUSTOMER_MERGE)
        rc = s_merge(ctx, cur, a, ev, fault);
    else if ((rc = s_check(a, ctx->wf->policy->phone_country, &phones, fault)) == 0)
        rc = sd_event_start(ev, &sd_kind_customer, create ? SD_COP_CREATE : SD_COP_UPDATE);
    sd_customer_t *f = rc ? NULL : sd_event_customer(ev);
    if (!rc && create) {
        ev->mask |= sd_kind_register_mask(&sd_kind_customer, SD_CREG_CREATED);
        f->created_at = ctx->wf->now_ms;
        rc = sd_api_set_str(&f->origin_site, ctx->wf->site);
        if (!rc && !HAS(HOME_SITE))
            rc = sd_api_take(ev, NULL, SD_CREG_HOME_SITE)
                     ?: sd_api_set_str(&f->home_site, ctx->wf->site);
    }
    if (req->op != SD_REQ_CUSTOMER_MERGE) {
        SET(NAME, SD_CREG_NAME, name);
        SET(ORGANISATION, SD_CREG_ORG, organisation);
        SET(DEPARTMENT, SD_CREG_ORG, department);
        SET(EMAILS, SD_CREG_EMAILS, emails);
        SET(PHONES, SD_CREG_PHONES, phones);
        if (!rc && HAS(PHONES))
            rc = sd_api_set_str(&f->phones_e164, phones.out);
        SET(LANGUAGE, SD_CREG_LANGUAGE, language);
        SET(TIME_ZONE, SD_CREG_TIME_ZONE, time_zone);
        SET(HOME_SITE, SD_CREG_HOME_SITE, home_site);
        SET(NOTES, SD_CREG_NOTES, notes);
        SET(USER, SD_CREG_USER, user);
        if (!rc && HAS(VIP)) {
            rc = sd_api_take(ev, cur, SD_CREG_VIP);
            f->vip = a->vip;
        }
        if (!rc && !ev->mask)
            rc = sd_fault_set(fault, SD_EMISSING, "customer.update: nothing to change");
    }
    return sd_api_write_end(ctx, ev, rc, fault);
}

/* ---- reads --------------------------------------------------------------------------------- */

int sd_api_customer_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault)
{
    sd_customer_t c = {0};
    int rc = sd_api_customer_find_one(ctx->txn, ctx->cfg->policy.phone_country,
                                      req->args.customer.id, NULL, NULL, &c, fault);
    if (!rc)
        sd_api_reply_view(w, req->id, &sd_kind_customer, &c, ctx->scope);
    sd_record_clear(&sd_kind_customer, &c);
    return rc;
}

static bool s_kept(const sd_api_page_t *p, const void *record)
{
    const sd_customer_t *c = record;
    const sd_customer_args_t *a = &p->req->args.customer;
    if (a->site && !(c->home_site && strcmp(c->home_site, a->site) == 0))
        return false;
    if (sd_request_has(p->req, SD_ARG_CUSTOMER_VIP) && c->vip != a->vip)
        return false;
    return !a->organisation || (c->organisation && strcmp(c->organisation, a->organisation) == 0);
}

int sd_api_customer_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                         sd_fault_t *fault)
{
    (void)fault;
    const sd_customer_args_t *a = &req->args.customer;
    return sd_api_page(ctx, req, &sd_kind_customer, "customers", a->after,
                       sd_request_has(req, SD_ARG_CUSTOMER_LIMIT) ? a->limit : 100, s_kept, w);
}

int sd_api_customer_find(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                         sd_fault_t *fault)
{
    const sd_customer_args_t *a = &req->args.customer;
    s_found_t *f = calloc(1, sizeof *f);
    sd_mp_writer_t *items = sd_mp_writer_new();
    int rc = f && items ? 0 : SD_ENOMEM;
    if (!rc) {
        f->limit = sd_request_has(req, SD_ARG_CUSTOMER_LIMIT) ? a->limit : 20;
        rc =
            s_find(ctx->txn, ctx->cfg->policy.phone_country, a->phone, a->email, a->name, f, fault);
    }
    uint32_t n = 0;
    for (int i = 0; !rc && i < f->n; i++) {
        sd_customer_t c = {0};
        rc = sd_store_get_record(ctx->txn, &sd_kind_customer, f->ids[i], &c);
        if (!rc) {
            sd_api_record_view(items, &sd_kind_customer, &c, ctx->scope);
            n++;
        }
        sd_record_clear(&sd_kind_customer, &c);
    }
    rc = rc ?: sd_api_reply_items(w, req->id, "customers", items, n, NULL);
    sd_mp_writer_destroy(&items);
    free(f);
    return rc;
}
