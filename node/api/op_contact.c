/* op_contact.c - contact.new, contact.update, contact.list (op_contact.h). */
#include "op_contact.h"

#include "contact.h"
#include "error.h"
#include "record.h"
#include "ticket.h"

#include <string.h>

static int s_first_id(const char *rest, size_t len, void *arg)
{
    return sd_contact_index_rest(rest, len, arg, NULL) ?: 1;
}

/* The id of the contact of call call_id in the index, or "" when none. */
static int s_call_contact(sd_store_txn_t *txn, const char *call_id, char id[SD_ID_MAX + 1])
{
    id[0] = 0;
    int rc =
        sd_store_index_find(txn, &sd_kind_contact, SD_CONTACT_INDEX_CALL, call_id, s_first_id, id);
    return rc == 1 ? 0 : rc;
}

static int s_ticket_exists(sd_store_txn_t *txn, const char *id, sd_fault_t *fault)
{
    sd_ticket_t t = {0};
    int rc = sd_store_get_record(txn, &sd_kind_ticket, id, &t);
    if (rc == 0 && !sd_ticket_exists(&t))
        rc = SD_ENOTFOUND;
    sd_ticket_clear(&t);
    if (rc == SD_ENOTFOUND)
        return sd_fault_set(fault, rc, "args.ticket: ticket %s does not exist", id);
    return rc;
}

static int s_new(const sd_api_write_ctx_t *ctx, const sd_request_t *req, sd_event_t *ev,
                 sd_fault_t *fault)
{
    const sd_contact_args_t *a = &req->args.contact;
    int rc = 0;
    if (a->ticket && *a->ticket && (rc = s_ticket_exists(ctx->txn, a->ticket, fault)) != 0)
        return rc;
    if (a->call_id) {
        char id[SD_ID_MAX + 1];
        if ((rc = s_call_contact(ctx->txn, a->call_id, id)) != 0)
            return rc;
        if (id[0])
            return sd_fault_set(fault, SD_EDUPLICATE, "args.call_id: call %s is contact %s",
                                a->call_id, id);
    }
    if ((rc = sd_event_start(ev, &sd_kind_contact, SD_CTOP_CREATE)) != 0)
        return rc;
    sd_contact_t *f = sd_event_contact(ev);
    ev->mask |= sd_kind_register_mask(&sd_kind_contact, SD_CTREG_CREATED);
    f->created_at = ctx->wf->now_ms;
    f->channel = a->channel;
    f->direction = sd_request_has(req, SD_ARG_CONTACT_DIRECTION) ? a->direction : SD_CONTACT_IN;
    f->at = sd_request_has(req, SD_ARG_CONTACT_AT) ? a->at : ctx->wf->now_ms;
    rc = sd_api_set_str(&f->origin_site, ctx->wf->site) ?: sd_api_set_str(&f->from, a->from) ?:
         sd_api_set_str(&f->to, a->to) ?: sd_api_set_str(&f->call_id, a->call_id) ?:
         sd_api_set_str(&f->agent, a->agent ? a->agent : ctx->who->login);
    if (!rc && a->customer && *a->customer)
        rc = sd_api_take(ev, NULL, SD_CTREG_CUSTOMER) ?: sd_api_set_str(&f->customer, a->customer);
    if (!rc && a->ticket && *a->ticket)
        rc = sd_api_take(ev, NULL, SD_CTREG_TICKET) ?: sd_api_set_str(&f->ticket, a->ticket);
    if (!rc && a->summary && *a->summary)
        rc = sd_api_take(ev, NULL, SD_CTREG_SUMMARY) ?: sd_api_set_str(&f->summary, a->summary);
    if (!rc && a->outcome && *a->outcome)
        rc = sd_api_take(ev, NULL, SD_CTREG_OUTCOME) ?: sd_api_set_str(&f->outcome, a->outcome);
    return rc;
}

static int s_update(const sd_api_write_ctx_t *ctx, const sd_contact_t *cur, const sd_request_t *req,
                    sd_event_t *ev, sd_fault_t *fault)
{
    const sd_contact_args_t *a = &req->args.contact;
    int rc = 0;
    if (a->ticket && *a->ticket && (rc = s_ticket_exists(ctx->txn, a->ticket, fault)) != 0)
        return rc;
    if ((rc = sd_event_start(ev, &sd_kind_contact, SD_CTOP_UPDATE)) != 0)
        return rc;
    sd_contact_t *f = sd_event_contact(ev);
    if (sd_request_has(req, SD_ARG_CONTACT_CUSTOMER))
        rc = sd_api_take(ev, cur, SD_CTREG_CUSTOMER) ?: sd_api_set_str(&f->customer, a->customer);
    if (!rc && sd_request_has(req, SD_ARG_CONTACT_TICKET))
        rc = sd_api_take(ev, cur, SD_CTREG_TICKET) ?: sd_api_set_str(&f->ticket, a->ticket);
    if (!rc && sd_request_has(req, SD_ARG_CONTACT_SUMMARY))
        rc = sd_api_take(ev, cur, SD_CTREG_SUMMARY) ?: sd_api_set_str(&f->summary, a->summary);
    if (!rc && sd_request_has(req, SD_ARG_CONTACT_OUTCOME)) {
        rc = sd_api_take(ev, cur, SD_CTREG_OUTCOME) ?: sd_api_set_str(&f->outcome, a->outcome);
        const char *o = a->outcome ? a->outcome : "";
        uint64_t now = ctx->wf->now_ms;
        if (!strcmp(o, "answered") && !f->answered_at)
            f->answered_at = now;
        if ((!strcmp(o, "ended") || !strcmp(o, "missed")) && !f->ended_at) {
            f->ended_at = now;
            f->duration =
                f->answered_at && now > f->answered_at ? (now - f->answered_at) / 1000 : 0;
        }
    }
    if (!rc && !ev->mask)
        rc = sd_fault_set(fault, SD_EMISSING, "contact.update: nothing to change");
    return rc;
}

int sd_api_contact_write(const sd_api_write_ctx_t *ctx, const void *cur_record,
                         const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_contact_t *cur = cur_record;
    int rc;
    if (req->op == SD_REQ_CONTACT_NEW)
        rc = s_new(ctx, req, ev, fault);
    else if (!cur)
        return sd_fault_set(fault, SD_ENOTFOUND, "contact %s does not exist", req->args.contact.id);
    else
        rc = s_update(ctx, cur, req, ev, fault);
    return sd_api_write_end(ctx, ev, rc, fault);
}

/* ---- the walk ------------------------------------------------------------------------------ */

typedef struct {
    sd_store_txn_t *txn;
    const char *after; /* skip entries up to and including this id */
    bool (*keep)(const void *contact, const void *arg);
    const void *arg;
    int limit;
    sd_mp_writer_t *items;
    uint32_t count;
    bool more;
    sd_contact_t c;
} s_walk_t;

static int s_entry(const char *rest, size_t len, void *arg)
{
    s_walk_t *w = arg;
    char id[SD_ID_MAX + 1];
    int rc = sd_contact_index_rest(rest, len, id, NULL);
    if (rc)
        return rc;
    if (w->after) {
        if (!strcmp(id, w->after))
            w->after = NULL;
        return 0;
    }
    sd_record_clear(&sd_kind_contact, &w->c);
    rc = sd_store_get_record(w->txn, &sd_kind_contact, id, &w->c);
    if (rc == SD_ENOTFOUND || (!rc && !sd_record_exists(&sd_kind_contact, &w->c)))
        return SD_ECORRUPT; /* an index entry without its record */
    if (rc)
        return rc;
    if (w->keep && !w->keep(&w->c, w->arg))
        return 0;
    if ((int)w->count == w->limit) {
        w->more = true;
        return 1;
    }
    if (w->items)
        sd_record_encode(&sd_kind_contact, &w->c, false, w->items);
    w->count++;
    return 0;
}

int sd_api_contacts_walk(sd_store_txn_t *txn, const char *index, const char *part,
                         const char *after, int limit,
                         bool (*keep)(const void *contact, const void *arg), const void *arg,
                         sd_mp_writer_t *items, uint32_t *count, bool *more)
{
    s_walk_t w = {.txn = txn,
                  .after = after,
                  .keep = keep,
                  .arg = arg,
                  .limit = limit > 0 ? limit : 100,
                  .items = items};
    int rc = sd_store_index_find(txn, &sd_kind_contact, index, part, s_entry, &w);
    sd_record_clear(&sd_kind_contact, &w.c);
    if (rc == 1)
        rc = 0;
    if (items && sd_mp_writer_error(items))
        rc = rc ?: SD_ENOMEM;
    *count = w.count;
    *more = w.more;
    return rc;
}

/* ---- contact.list -------------------------------------------------------------------------- */

static bool s_same(const char *want, const char *have)
{
    return !want || (have && !strcmp(want, have));
}

static bool s_kept(const void *record, const void *arg)
{
    const sd_contact_t *c = record;
    const sd_request_t *req = arg;
    const sd_contact_args_t *a = &req->args.contact;
    return s_same(a->customer, c->customer) && s_same(a->ticket, c->ticket) &&
           s_same(a->call_id, c->call_id) &&
           (!sd_request_has(req, SD_ARG_CONTACT_CHANNEL) || c->channel == a->channel);
}

int sd_api_contact_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault)
{
    (void)fault;
    const sd_contact_args_t *a = &req->args.contact;
    /* The narrowest index the filters name; the others are checked on each record. */
    const char *index = SD_CONTACT_INDEX_AT, *part = "";
    if (a->call_id)
        index = SD_CONTACT_INDEX_CALL, part = a->call_id;
    else if (a->customer)
        index = SD_CONTACT_INDEX_CUSTOMER, part = a->customer;
    else if (a->ticket)
        index = SD_CONTACT_INDEX_TICKET, part = a->ticket;
    sd_mp_writer_t *items = sd_mp_writer_new();
    if (!items)
        return SD_ENOMEM;
    uint32_t count = 0;
    bool more = false;
    int rc = sd_api_contacts_walk(ctx->txn, index, part, a->after,
                                  sd_request_has(req, SD_ARG_CONTACT_LIMIT) ? a->limit : 100,
                                  s_kept, req, items, &count, &more);
    rc = rc ?: sd_api_reply_items(w, req->id, "contacts", items, count, &more);
    sd_mp_writer_destroy(&items);
    return rc;
}
