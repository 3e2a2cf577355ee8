/* op_ticket.c - ticket.get, ticket.list and ticket.history; the writes go to the workflow. */
#include "op_ticket.h"

#include "error.h"
#include "fold.h"
#include "permission.h"
#include "ticket_store.h"

#include <stdlib.h>

int sd_api_ticket_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                        sd_event_t *ev, sd_fault_t *fault)
{
    if (req->op == SD_REQ_TICKET_COMMENT && ctx->scope == SD_SCOPE_OWN &&
        !sd_request_has(req, SD_ARG_TICKET_PUBLIC)) {
        /* A requester's comment is a reply to the desk: public (authz.h refuses an internal
         * one). A shallow copy: the strings stay req's. */
        sd_request_t pub = *req;
        pub.args.ticket.public_reply = true;
        pub.present |= SD_ARG(TICKET, PUBLIC);
        return sd_workflow_build(ctx->wf, cur, &pub, ev, fault);
    }
    return sd_workflow_build(ctx->wf, cur, req, ev, fault);
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

void sd_api_ticket_reply(sd_mp_writer_t *w, uint64_t id, sd_ticket_t *t, int scope)
{
    size_t all = t->ncomments;
    if (scope == SD_SCOPE_OWN)
        s_public_only(t);
    sd_api_reply_record(w, id, &sd_kind_ticket, t);
    t->ncomments = all;
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
        .after = a->after,
        .limit = sd_request_has(req, SD_ARG_TICKET_LIMIT) ? a->limit : 100,
    };
    int rc = sd_store_list(ctx->txn, &f, s_list_item, &list, &more);
    rc = rc ?: sd_api_reply_items(w, req->id, "tickets", list.items, list.count, &more);
    sd_mp_writer_destroy(&list.items);
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
