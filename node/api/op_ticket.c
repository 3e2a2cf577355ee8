/* op_ticket.c - ticket.get, ticket.list and ticket.history; the writes go to the workflow. */
#include "op_ticket.h"

#include "article.h"
#include "asset.h"
#include "error.h"
#include "op_customer.h"
#include "fold.h"
#include "permission.h"
#include "record.h"
#include "ticket_store.h"
#include "user.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The asset tags and vendor a request names: their shape (the records may live at another site
 * and not be here yet); a vendor only for a ticket pending on a vendor. */
static int s_links_check(const sd_request_t *req, sd_fault_t *fault)
{
    const sd_ticket_args_t *a = &req->args.ticket;
    int rc = a->assets ? sd_asset_tags_check(a->assets, "args.assets", fault) : 0;
    if (rc)
        return rc;
    bool vendor = sd_request_has(req, SD_ARG_TICKET_VENDOR);
    if ((vendor || sd_request_has(req, SD_ARG_TICKET_VENDOR_REF)) &&
        a->waiting_on != SD_WAIT_VENDOR)
        return sd_fault_set(fault, SD_EINVAL,
                            "args.vendor: a vendor and its reference go with waiting_on vendor");
    return vendor ? sd_login_check(a->vendor, "args.vendor", fault) : 0;
}

/* The article a ticket.resolve names exists here. */
static int s_article_check(sd_store_txn_t *txn, const char *id, sd_fault_t *fault)
{
    sd_article_t *a = sd_record_new(&sd_kind_article);
    int rc = !a    ? SD_ENOMEM
             : txn ? sd_store_get_record(txn, &sd_kind_article, id, a)
                   : SD_ENOTFOUND;
    if (!rc && !sd_record_exists(&sd_kind_article, a))
        rc = SD_ENOTFOUND;
    sd_record_destroy(&sd_kind_article, (void **)&a);
    if (rc == SD_ENOTFOUND)
        return sd_fault_set(fault, rc, "args.article: article %s does not exist", id);
    return rc;
}

int sd_api_ticket_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                        sd_event_t *ev, sd_fault_t *fault)
{
    const sd_ticket_args_t *a = &req->args.ticket;
    int rc = s_links_check(req, fault);
    if (rc)
        return rc;
    if (req->op == SD_REQ_TICKET_NEW && (a->customer || a->phone || a->email))
        return sd_api_ticket_new_for_customer(ctx, req, ev, fault);
    if (req->op == SD_REQ_TICKET_COMMENT && ctx->scope == SD_SCOPE_OWN &&
        !sd_request_has(req, SD_ARG_TICKET_PUBLIC)) {
        /* A requester's comment is a reply to the desk: public (authz.h refuses an internal
         * one). A shallow copy: the strings stay req's. */
        sd_request_t pub = *req;
        pub.args.ticket.public_reply = true;
        pub.present |= SD_ARG(TICKET, PUBLIC);
        return sd_workflow_build(ctx->wf, cur, &pub, ev, fault);
    }
    if (a->article && (rc = s_article_check(ctx->txn, a->article, fault)) != 0)
        return rc;
    rc = sd_workflow_build(ctx->wf, cur, req, ev, fault);
    if (!rc && a->article) { /* resolved with a knowledge base article: it counts it solved */
        rc = sd_api_take(ev, cur, SD_REG_ARTICLE)
                 ?: sd_api_set_str(&sd_event_ticket(ev)->article, a->article);
        if (rc)
            return sd_api_write_end(ctx, ev, rc, fault);
    }
    /* The workflow refused the move: the error says which moves the status allows. */
    if (rc == SD_ETRANSITION && cur && ctx->allowed && ctx->allowed_cap)
        sd_workflow_allowed(((const sd_ticket_t *)cur)->status, ctx->allowed, ctx->allowed_cap);
    return rc;
}

/* What a requester sees of a ticket: public replies only, no internal notes. */
static void s_public_only(sd_ticket_t *t)
{
    size_t kept = 0;
    for (size_t i = 0; i < t->ncomments; i++) {
        if (t->comments[i].public_reply) {
            sd_comment_t c = t->comments[i];
            t->comments[i] = t->comments[kept];
            t->comments[kept++] = c;
        }
    }
    /* The internal ones stay past ncomments; the caller restores the count before clearing. */
    t->ncomments = kept;
}

void sd_api_ticket_view(sd_mp_writer_t *w, sd_ticket_t *t, int scope)
{
    size_t all = t->ncomments;
    if (scope == SD_SCOPE_OWN)
        s_public_only(t);
    sd_record_encode(&sd_kind_ticket, t, false, w);
    t->ncomments = all;
}

void sd_api_ticket_reply(sd_mp_writer_t *w, uint64_t id, sd_ticket_t *t, int scope)
{
    sd_mp_writer_reset(w);
    sd_reply_ok_begin(w, id);
    sd_api_ticket_view(w, t, scope);
}

int sd_api_ticket_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault)
{
    const char *id = req->args.ticket.id;
    sd_ticket_t t = {0};
    int rc = sd_store_get_ticket(ctx->txn, id, &t);
    if (rc == 0 && !sd_ticket_exists(&t))
        rc = SD_ENOTFOUND;
    if (rc == SD_ENOTFOUND)
        sd_fault_set(fault, rc, "ticket %s does not exist", id);
    if (!rc)
        sd_api_ticket_reply(w, req->id, &t, ctx->scope);
    sd_ticket_clear(&t);
    return rc;
}

typedef struct {
    sd_mp_writer_t *items; /* encoded list items */
    uint32_t count;        /* how many */
} s_list_t;

static int s_list_item(const sd_ticket_t *t, void *arg)
{
    s_list_t *list = arg;
    /* A list shows the queue: everything but the comment thread. */
    sd_ticket_t view = *t;
    view.ncomments = 0;
    sd_ticket_encode(&view, false, list->items);
    list->count++;
    return 0;
}

int sd_api_ticket_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    (void)fault;
    const sd_ticket_args_t *a = &req->args.ticket;
    s_list_t list = {.items = sd_mp_writer_new()};
    bool more = false;
    if (!list.items)
        return SD_ENOMEM;
    sd_store_filter_t f = {
        .status = sd_request_has(req, SD_ARG_TICKET_STATUS) ? a->status : -1,
        .priority = sd_request_has(req, SD_ARG_TICKET_PRIORITY) ? a->priority : -1,
        .open_only = a->open,
        .sla = sd_request_has(req, SD_ARG_TICKET_SLA) ? a->sla : -1,
        .assignee = a->assignee,
        /* A requester's list is their own tickets (authz.h refused anyone else's). */
        .requester = ctx->scope == SD_SCOPE_OWN ? ctx->who->login : a->requester,
        .site = a->site,
        .team = a->team,
        .after = a->after,
        .limit = sd_request_has(req, SD_ARG_TICKET_LIMIT) ? a->limit : 100,
    };
    int rc = sd_store_list(ctx->txn, &f, s_list_item, &list, &more);
    rc = rc ?: sd_api_reply_items(w, req->id, "tickets", list.items, list.count, &more);
    sd_mp_writer_destroy(&list.items);
    return rc;
}

/* ---- counts ------------------------------------------------------------------------------- */

/* The tallies of ticket.counts: sites as met (a desk has a handful). */
typedef struct {
    char (*sites)[SD_SITE_MAX + 1]; /* owner sites seen */
    uint64_t *per_site;             /* tickets of each */
    size_t nsites, cap;             /* used, allocated */
    uint64_t priority[SD_PRIORITY_COUNT_];
    uint64_t sla[SD_SLA_COUNT_];
    uint64_t total;
} s_counts_t;

static int s_count_item(const sd_ticket_t *t, void *arg)
{
    s_counts_t *c = arg;
    const char *site = t->owner_site ? t->owner_site : "";
    size_t i = 0;
    while (i < c->nsites && strcmp(c->sites[i], site) != 0)
        i++;
    if (i == c->nsites) {
        if (c->nsites == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 8;
            void *sites = realloc(c->sites, cap * sizeof c->sites[0]);
            if (sites)
                c->sites = sites;
            uint64_t *per = sites ? realloc(c->per_site, cap * sizeof *per) : NULL;
            if (!per)
                return SD_ENOMEM;
            c->per_site = per, c->cap = cap;
        }
        snprintf(c->sites[i], sizeof c->sites[i], "%s", site);
        c->per_site[c->nsites++] = 0;
    }
    c->per_site[i]++;
    if (t->priority >= 0 && t->priority < SD_PRIORITY_COUNT_)
        c->priority[t->priority]++;
    if (t->sla_state >= 0 && t->sla_state < SD_SLA_COUNT_)
        c->sla[t->sla_state]++;
    c->total++;
    return 0;
}

static void s_count_map(sd_mp_writer_t *w, const char *name, const char *const *names,
                        const uint64_t *n, size_t count)
{
    sd_mp_str(w, name);
    sd_mp_map(w, (uint32_t)count);
    for (size_t i = 0; i < count; i++) {
        sd_mp_str(w, names[i]);
        sd_mp_u64(w, n[i]);
    }
}

int sd_api_ticket_counts(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                         sd_fault_t *fault)
{
    (void)fault;
    /* By status from the counters the store keeps at apply time; the rest from one walk of the
     * queue's open part (all of it with open: false), each ticket read once. */
    bool open = !sd_request_has(req, SD_ARG_TICKET_OPEN) || req->args.ticket.open;
    uint64_t status[SD_STATUS_COUNT_];
    s_counts_t c = {0};
    bool more;
    sd_store_filter_t f = {
        .status = -1, .priority = -1, .sla = -1, .open_only = open, .limit = INT_MAX};
    int rc =
        sd_store_count(ctx->txn, status) ?: sd_store_list(ctx->txn, &f, s_count_item, &c, &more);
    if (!rc) {
        sd_reply_ok_begin(w, req->id);
        sd_mp_map(w, 6);
        sd_mp_str(w, "open");
        sd_mp_bool(w, open);
        sd_mp_str(w, "tickets");
        sd_mp_u64(w, c.total);
        sd_mp_str(w, "by_site");
        sd_mp_map(w, (uint32_t)c.nsites);
        for (size_t i = 0; i < c.nsites; i++) {
            sd_mp_str(w, c.sites[i]);
            sd_mp_u64(w, c.per_site[i]);
        }
        s_count_map(w, "by_priority", sd_priority_names, c.priority, SD_PRIORITY_COUNT_);
        s_count_map(w, "by_sla", sd_sla_names, c.sla, SD_SLA_COUNT_);
        s_count_map(w, "by_status", sd_status_names, status, SD_STATUS_COUNT_);
    }
    free(c.sites);
    free(c.per_site);
    return rc;
}

/* ---- history ------------------------------------------------------------------------------- */

typedef struct {
    bool public_only;        /* a requester's view: no internal notes */
    sd_ticket_t state;       /* the ticket folded up to the event being shown */
    sd_mp_writer_t *events;  /* the events shown, as stored */
    sd_mp_writer_t *changes; /* per event shown: nil, or an update's {from, to} */
    uint32_t count;          /* events shown */
} s_history_t;

/* {from: {field: old, ...}, to: {field: new, ...}} of the fields an update changed. */
static void s_changes(const sd_ticket_t *before, const sd_event_t *ev, sd_mp_writer_t *w)
{
    const sd_ticket_t *after = sd_event_ticket(ev);
    uint64_t changed = 0;
    for (uint64_t m = ev->mask; m; m &= m - 1) {
        uint64_t bit = m & -m;
        if (!sd_fields_equal(sd_ticket_fields, sd_ticket_field_count, before, after, bit))
            changed |= bit;
    }
    uint32_t n = 0;
    for (uint64_t m = changed; m; m &= m - 1)
        n++;
    sd_mp_map(w, 2);
    sd_mp_str(w, "from");
    sd_mp_map(w, n);
    sd_fields_encode(sd_ticket_fields, sd_ticket_field_count, before, changed, w);
    sd_mp_str(w, "to");
    sd_mp_map(w, n);
    sd_fields_encode(sd_ticket_fields, sd_ticket_field_count, after, changed, w);
}

static int s_history_item(const void *bytes, size_t len, void *arg)
{
    s_history_t *h = arg;
    sd_event_t ev = {0};
    int rc = sd_event_decode(bytes, len, &ev, NULL);
    if (rc)
        return rc == SD_ENOMEM ? rc : SD_ECORRUPT;
    const sd_comment_t *c = ev.op == SD_OP_COMMENT ? sd_event_comment(&ev) : NULL;
    if (!(h->public_only && c && !c->public_reply)) {
        sd_mp_raw(h->events, bytes, len);
        if (ev.op == SD_OP_UPDATE)
            s_changes(&h->state, &ev, h->changes);
        else
            sd_mp_nil(h->changes);
        h->count++;
    }
    rc = sd_fold_apply(&h->state, &ev);
    sd_event_clear(&ev);
    return rc;
}

int sd_api_ticket_history(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                          sd_fault_t *fault)
{
    const char *id = req->args.ticket.id;
    s_history_t h = {.public_only = ctx->scope == SD_SCOPE_OWN,
                     .events = sd_mp_writer_new(),
                     .changes = sd_mp_writer_new()};
    int rc = h.events && h.changes ? 0 : SD_ENOMEM;
    rc = rc ?: sd_store_history(ctx->txn, id, s_history_item, &h);
    if (rc == SD_ENOTFOUND)
        sd_fault_set(fault, rc, "ticket %s does not exist", id);
    if (!rc && (sd_mp_writer_error(h.events) || sd_mp_writer_error(h.changes)))
        rc = SD_ENOMEM;
    if (!rc) {
        size_t elen, clen;
        const void *edata = sd_mp_writer_data(h.events, &elen);
        const void *cdata = sd_mp_writer_data(h.changes, &clen);
        sd_reply_ok_begin(w, req->id);
        sd_mp_map(w, 2);
        sd_mp_str(w, "events");
        sd_mp_array(w, h.count);
        sd_mp_raw(w, edata, elen);
        sd_mp_str(w, "changes");
        sd_mp_array(w, h.count);
        sd_mp_raw(w, cdata, clen);
    }
    sd_ticket_clear(&h.state);
    sd_mp_writer_destroy(&h.events);
    sd_mp_writer_destroy(&h.changes);
    return rc;
}
