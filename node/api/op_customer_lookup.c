/* op_customer_lookup.c - customer.lookup, the caller's card (op_customer.h): the customer,
 * their open tickets and the last ones done, through the ticket index "customer" of the
 * customer and of those merged into it. */
#include "op_customer.h"

#include "contact.h"
#include "op_asset.h"
#include "error.h"
#include "op_contact.h"
#include "permission.h"
#include "record.h"
#include "sla.h"
#include "ticket.h"
#include "ticket_store.h"
#include "workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_IDS_MAX      64 /* customers merged into one that a card covers */
#define S_TICKETS_MAX  SD_LIST_MAX
#define S_PAST_MAX     10 /* done tickets on a card */
#define S_CONTACTS_MAX 10 /* last contacts on a card */

typedef struct {
    char id[SD_ID_MAX + 1]; /* ticket id */
    bool open;              /* still open */
    uint64_t at;            /* open: created; done: closed, resolved or last changed */
} s_ref_t;

typedef struct {
    sd_store_txn_t *txn;
    char ids[S_IDS_MAX][SD_ID_MAX + 1]; /* the customer, then those merged into it */
    int nids;
    s_ref_t refs[S_TICKETS_MAX]; /* their tickets */
    int nrefs;
} s_card_t;

static int s_merged_in(const char *rest, size_t len, void *arg)
{
    s_card_t *c = arg;
    if (len == 0 || rest[len - 1] != 0 || len > SD_ID_MAX + 1)
        return SD_ECORRUPT;
    for (int i = 0; i < c->nids; i++)
        if (strcmp(c->ids[i], rest) == 0)
            return 0;
    if (c->nids == S_IDS_MAX)
        return 1;
    memcpy(c->ids[c->nids++], rest, len);
    return 0;
}

static int s_ticket(const char *rest, size_t len, void *arg)
{
    s_card_t *c = arg;
    if (len == 0 || rest[len - 1] != 0 || len > SD_ID_MAX + 1)
        return SD_ECORRUPT;
    if (c->nrefs == S_TICKETS_MAX)
        return 1;
    sd_ticket_t t = {0};
    int rc = sd_store_get_ticket(c->txn, rest, &t);
    if (!rc && sd_ticket_exists(&t)) {
        s_ref_t *r = &c->refs[c->nrefs++];
        memcpy(r->id, rest, len);
        r->open = sd_status_open(t.status);
        r->at = r->open ? t.created_at
                        : (t.closed_at     ? t.closed_at
                           : t.resolved_at ? t.resolved_at
                                           : t.updated_at);
    }
    sd_ticket_clear(&t);
    return rc == SD_ENOTFOUND ? 0 : rc;
}

/* Newest first, then by id: the same order at every node. */
static int s_newest_first(const void *x, const void *y)
{
    const s_ref_t *a = x, *b = y;
    if (a->at != b->at)
        return a->at < b->at ? 1 : -1;
    return strcmp(a->id, b->id);
}

/* One ticket as a card shows it. */
static void s_summary(sd_mp_writer_t *w, const sd_ticket_t *t)
{
    sd_mp_map(w, 11);
    sd_mp_str(w, "id");
    sd_mp_str(w, t->id);
    sd_mp_str(w, "title");
    sd_mp_str(w, t->title ? t->title : "");
    sd_mp_str(w, "status");
    sd_mp_str(w, sd_status_name(t->status));
    sd_mp_str(w, "priority");
    sd_mp_str(w, sd_priority_name(t->priority));
    sd_mp_str(w, "requester");
    sd_mp_str(w, t->requester ? t->requester : "");
    sd_mp_str(w, "assignee");
    sd_mp_str(w, t->assignee ? t->assignee : "");
    sd_mp_str(w, "owner_site");
    sd_mp_str(w, t->owner_site ? t->owner_site : "");
    sd_mp_str(w, "created_at");
    sd_mp_u64(w, t->created_at);
    sd_mp_str(w, "updated_at");
    sd_mp_u64(w, t->updated_at);
    sd_mp_str(w, "resolved_at");
    sd_mp_u64(w, t->resolved_at);
    sd_mp_str(w, "closed_at");
    sd_mp_u64(w, t->closed_at);
}

/* Writes the tickets of c that are open (or not), at most max. */
static int s_tickets(sd_mp_writer_t *w, s_card_t *c, bool open, int max)
{
    uint32_t n = 0;
    for (int i = 0; i < c->nrefs; i++)
        n += c->refs[i].open == open && (int)n < max;
    sd_mp_array(w, n);
    uint32_t done = 0;
    for (int i = 0; i < c->nrefs && done < n; i++) {
        if (c->refs[i].open != open)
            continue;
        sd_ticket_t t = {0};
        int rc = sd_store_get_ticket(c->txn, c->refs[i].id, &t);
        if (rc) {
            sd_ticket_clear(&t);
            return rc;
        }
        s_summary(w, &t);
        sd_ticket_clear(&t);
        done++;
    }
    return 0;
}

/* The card's last contacts: the survivor's, newest first (op_contact.h). */
static int s_contacts(sd_mp_writer_t *w, sd_store_txn_t *txn, const char *customer)
{
    sd_mp_writer_t *items = sd_mp_writer_new();
    uint32_t count = 0;
    bool more = false;
    if (!items)
        return SD_ENOMEM;
    int rc = sd_api_contacts_walk(txn, SD_CONTACT_INDEX_CUSTOMER, customer, NULL, S_CONTACTS_MAX,
                                  NULL, NULL, items, &count, &more);
    if (!rc) {
        size_t len;
        const void *data = sd_mp_writer_data(items, &len);
        sd_mp_array(w, count);
        sd_mp_raw(w, data, len);
    }
    sd_mp_writer_destroy(&items);
    return rc;
}

int sd_api_customer_lookup(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                           sd_fault_t *fault)
{
    const sd_customer_args_t *a = &req->args.customer;
    if (!a->phone && !a->email && !a->id)
        return sd_fault_set(fault, SD_EMISSING, "args: give phone, email or id");
    sd_customer_t cust = {0};
    s_card_t *c = calloc(1, sizeof *c);
    if (!c)
        return SD_ENOMEM;
    c->txn = ctx->txn;
    int rc = sd_api_customer_find_one(ctx->txn, ctx->cfg->policy.phone_country,
                                      a->phone || a->email ? NULL : a->id, a->phone, a->email,
                                      &cust, fault);
    if (!rc) {
        snprintf(c->ids[0], sizeof c->ids[0], "%s", cust.id);
        c->nids = 1;
    }
    /* Those merged into it, and into them: a breadth-first walk over the "merged" entries. */
    for (int i = 0; !rc && i < c->nids; i++)
        rc = sd_store_index_find(ctx->txn, &sd_kind_customer, SD_CUSTOMER_INDEX_MERGED, c->ids[i],
                                 s_merged_in, c);
    rc = rc == 1 ? 0 : rc;
    for (int i = 0; !rc && i < c->nids; i++)
        rc = sd_store_index_find(ctx->txn, &sd_kind_ticket, SD_TICKET_INDEX_CUSTOMER, c->ids[i],
                                 s_ticket, c);
    rc = rc == 1 ? 0 : rc;
    if (!rc) {
        qsort(c->refs, (size_t)c->nrefs, sizeof c->refs[0], s_newest_first);
        sd_reply_ok_begin(w, req->id);
        sd_mp_map(w, 5);
        sd_mp_str(w, "customer");
        sd_api_record_view(w, &sd_kind_customer, &cust, ctx->scope);
        sd_mp_str(w, "assets");
        rc = sd_api_asset_card(ctx, (const char(*)[SD_ID_MAX + 1]) c->ids, c->nids, w);
        sd_mp_str(w, "open_tickets");
        rc = rc ?: s_tickets(w, c, true, S_TICKETS_MAX);
        sd_mp_str(w, "past_tickets");
        rc = rc ?: s_tickets(w, c, false, S_PAST_MAX);
        sd_mp_str(w, "contacts");
        rc = rc ?: s_contacts(w, ctx->txn, cust.id);
    }
    sd_record_clear(&sd_kind_customer, &cust);
    free(c);
    return rc;
}

/* ---- ticket.new for a customer ------------------------------------------------------------- */

static int s_first(const char *item, void *arg)
{
    snprintf(arg, SD_NAME_MAX + 1, "%s", item);
    return 1;
}

/* One priority step up for a VIP customer, unless the policy's list raised it already. */
static void s_vip_step(const sd_workflow_ctx_t *wf, const sd_request_t *req, sd_ticket_t *f)
{
    int base = wf->policy->matrix[f->impact - 1][f->urgency - 1];
    if (f->priority != base || base == SD_P1)
        return;
    f->priority = base - 1;
    if (!sd_request_has(req, SD_ARG_TICKET_FOLLOW_SUN))
        f->follow_sun = sd_sla_follows_sun(wf->sched, f->priority);
    sd_sla_start(wf->sched, wf->policy, f, wf->now_ms);
}

int sd_api_ticket_new_for_customer(const sd_api_write_ctx_t *ctx, const sd_request_t *req,
                                   sd_event_t *ev, sd_fault_t *fault)
{
    const sd_ticket_args_t *a = &req->args.ticket;
    if (ctx->scope == SD_SCOPE_OWN)
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "forbidden: ticket.new: only agents and managers name a customer");
    if (!ctx->txn)
        return SD_EINVAL;
    sd_customer_t c = {0};
    char first[SD_NAME_MAX + 1] = "";
    int rc = sd_api_customer_find_one(ctx->txn, ctx->wf->policy->phone_country, a->customer,
                                      a->customer ? NULL : a->phone,
                                      a->customer || a->phone ? NULL : a->email, &c, fault);
    /* A shallow copy: its strings stay req's, or c's, or first's. */
    sd_request_t r = *req;
    if (!rc && !a->requester) {
        if (c.user && *c.user)
            snprintf(first, sizeof first, "%s", c.user);
        else
            sd_customer_each(c.emails, s_first, first);
        if (first[0]) {
            r.args.ticket.requester = first;
            r.present |= SD_ARG(TICKET, REQUESTER);
        }
    }
    rc = rc ?: sd_workflow_build(ctx->wf, NULL, &r, ev, fault);
    if (!rc) {
        sd_ticket_t *f = sd_event_ticket(ev);
        rc = sd_api_set_str(&f->customer, c.id);
        if (!rc && c.vip)
            s_vip_step(ctx->wf, &r, f);
        if (rc) {
            sd_fault_set(fault, rc, "out of memory");
            sd_event_clear(ev);
        }
    }
    sd_record_clear(&sd_kind_customer, &c);
    return rc;
}
