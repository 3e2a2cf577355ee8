/* op_major.c - the major-incident rules and ticket.declare_major (op_major.h). */
#include "op_major.h"

#include "error.h"
#include "major.h"
#include "record.h"
#include "ticket.h"
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool s_site_ok(const char *site)
{
    return !site || !strcmp(site, SD_MAJOR_ANY) || sd_site_valid(site);
}

int sd_api_major_write(const sd_api_write_ctx_t *ctx, const void *cur_record,
                       const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_major_t *cur = cur_record;
    const sd_major_args_t *a = &req->args.major;
    bool create = req->op == SD_REQ_MAJOR_NEW;
    int rc = 0;
    if (create && cur)
        return sd_fault_set(fault, SD_EDUPLICATE, "major rule %s already exists", a->id);
    if (!create && !cur)
        return sd_fault_set(fault, SD_ENOTFOUND, "major rule %s does not exist", a->id);
    if (create && (rc = sd_login_check(a->id, "args.id", fault)) != 0)
        return rc;
    if (!s_site_ok(a->site))
        return sd_fault_set(fault, SD_ERANGE, "args.site: '%s' is neither a site id nor *",
                            a->site);
    if ((rc = sd_event_start(ev, &sd_kind_major, create ? SD_MOP_CREATE : SD_MOP_UPDATE)) != 0)
        return rc;
    snprintf(ev->author, sizeof ev->author, "%s", ctx->wf->author);
    sd_major_t *f = sd_event_major(ev);
    if (create) {
        ev->mask |= sd_kind_register_mask(&sd_kind_major, SD_MREG_CREATED);
        f->created_at = ctx->wf->now_ms;
        rc = sd_api_set_str(&f->origin_site, ctx->wf->site);
        if (!rc && !a->category)
            rc = sd_api_take(ev, NULL, SD_MREG_CATEGORY)
                     ?: sd_api_set_str(&f->category, SD_MAJOR_ANY);
        if (!rc && !a->site)
            rc = sd_api_take(ev, NULL, SD_MREG_SITE) ?: sd_api_set_str(&f->site, SD_MAJOR_ANY);
    }
    if (!rc && sd_request_has(req, SD_ARG_MAJOR_CATEGORY))
        rc = sd_api_take(ev, cur, SD_MREG_CATEGORY) ?: sd_api_set_str(&f->category, a->category);
    if (!rc && sd_request_has(req, SD_ARG_MAJOR_SITE))
        rc = sd_api_take(ev, cur, SD_MREG_SITE) ?: sd_api_set_str(&f->site, a->site);
    if (!rc && sd_request_has(req, SD_ARG_MAJOR_SERVICE))
        rc = sd_api_take(ev, cur, SD_MREG_SERVICE) ?: sd_api_set_str(&f->service, a->service);
    if (!rc && sd_request_has(req, SD_ARG_MAJOR_NOTIFY))
        rc = sd_api_take(ev, cur, SD_MREG_NOTIFY) ?: sd_api_set_str(&f->notify, a->notify);
    if (!rc && sd_request_has(req, SD_ARG_MAJOR_NOTE))
        rc = sd_api_take(ev, cur, SD_MREG_NOTE) ?: sd_api_set_str(&f->note, a->note);
    if (!rc && !create && ev->mask == 0)
        rc = sd_fault_set(fault, SD_EMISSING, "major.update: nothing to change");
    if (rc == SD_ENOMEM)
        sd_fault_set(fault, rc, "out of memory");
    if (rc)
        sd_event_clear(ev);
    return rc;
}

static bool s_major_kept(const sd_api_page_t *p, const void *record)
{
    const sd_major_t *r = record;
    const sd_major_args_t *a = &p->req->args.major;
    return (!a->category || (r->category && !strcmp(r->category, a->category))) &&
           (!a->site || (r->site && !strcmp(r->site, a->site)));
}

int sd_api_major_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault)
{
    (void)fault;
    const sd_major_args_t *a = &req->args.major;
    return sd_api_page(ctx, req, &sd_kind_major, "majors", a->after,
                       sd_request_has(req, SD_ARG_MAJOR_LIMIT) ? a->limit : 100, s_major_kept, w);
}

/* ---- ticket.declare_major ------------------------------------------------------------------ */

typedef struct {
    const sd_ticket_t *ticket;  /* the ticket declared */
    char list[SD_TEXT_MAX + 1]; /* whom to notify, so far */
    int error;                  /* SD_ETOOBIG once the list overflowed */
} s_notify_t;

static int s_rule(const void *record, void *arg)
{
    const sd_major_t *r = record;
    s_notify_t *n = arg;
    const char *site = n->ticket->owner_site ? n->ticket->owner_site : n->ticket->origin_site;
    if (sd_major_matches(r, n->ticket->category, site) &&
        sd_major_notify_merge(n->list, sizeof n->list, r->notify) != 0) {
        n->error = SD_ETOOBIG;
        return 1;
    }
    return 0;
}

int sd_api_ticket_declare_major(const sd_api_write_ctx_t *ctx, const void *cur_record,
                                const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_ticket_t *cur = cur_record;
    const sd_ticket_args_t *a = &req->args.ticket;
    if (!cur)
        return sd_fault_set(fault, SD_ENOTFOUND, "ticket %s does not exist", a->id);
    if (!sd_status_open(cur->status))
        return sd_fault_set(fault, SD_ETRANSITION, "ticket %s is %s; reopen it first", cur->id,
                            sd_status_names[cur->status]);
    s_notify_t *n = calloc(1, sizeof *n);
    if (!n)
        return sd_fault_set(fault, SD_ENOMEM, "out of memory");
    n->ticket = cur;
    int rc = sd_store_records(ctx->txn, &sd_kind_major, NULL, s_rule, n);
    if (rc == 1)
        rc = n->error;
    if (rc == SD_ETOOBIG)
        sd_fault_set(fault, rc,
                     "ticket.declare_major: the rules name more than %d bytes of "
                     "people to notify",
                     SD_TEXT_MAX);
    rc = rc ?: sd_event_start(ev, &sd_kind_ticket, SD_OP_UPDATE);
    if (!rc) {
        sd_ticket_t *f = sd_event_ticket(ev);
        snprintf(ev->author, sizeof ev->author, "%s", ctx->wf->author);
        rc = sd_api_take(ev, cur, SD_REG_TYPE) ?: sd_api_take(ev, cur, SD_REG_MAJOR) ?:
             sd_api_set_str(&f->major_notify, n->list) ?: sd_api_set_str(&f->major_note, a->note);
        f->major = true;
    }
    free(n);
    if (rc == SD_ENOMEM)
        sd_fault_set(fault, rc, "out of memory");
    if (rc)
        sd_event_clear(ev);
    return rc;
}
