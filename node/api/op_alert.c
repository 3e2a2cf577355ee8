/* op_alert.c - alert.ingest and alert.list (op_alert.h): an alert opens, reopens, resolves and
 * acknowledges its ticket through the workflow (node/desk/workflow.h), in the same batch as the
 * alert's own event. */
#include "op_alert.h"

#include "error.h"
#include "record.h"
#include "ticket.h"
#include "ticket_store.h"
#include "utf8.h"
#include "utc.h"
#include "workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TARG(name) SD_ARG(TICKET, name)

/* Makes ticket event r on *t (r->op ticket.new: a new ticket, *t zeroed) through the workflow,
 * stamps and applies it in ctx's batch; *t becomes the ticket after it. Only called once every
 * rule of the alert has been checked: what the workflow refuses here was ruled out before. */
static int s_ticket_event(const sd_api_write_ctx_t *ctx, sd_ticket_t *t, const sd_request_t *r,
                          sd_fault_t *fault)
{
    sd_event_t tev = {0};
    bool create = r->op == SD_REQ_TICKET_NEW;
    if (!ctx->batch || !ctx->txn)
        return sd_fault_set(fault, SD_EINVAL, "alert.ingest needs the node's write batch");
    int rc = sd_workflow_build(ctx->wf, create ? NULL : t, r, &tev, fault);
    if (!rc && create)
        rc = sd_store_next_id(ctx->txn, &sd_kind_ticket, tev.key);
    else if (!rc)
        snprintf(tev.key, sizeof tev.key, "%s", t->id);
    if (!rc) {
        sd_ticket_clear(t);
        memset(t, 0, sizeof *t);
        rc = sd_journal_append(ctx->batch, &tev, t);
    }
    sd_event_clear(&tev);
    return rc;
}

/* A new ticket for the alert the request reports. */
static int s_open(const sd_api_write_ctx_t *ctx, const sd_request_t *req, sd_ticket_t *t,
                  sd_fault_t *fault)
{
    const sd_alert_args_t *a = &req->args.alert;
    /* The alert's description, then where it comes from; cut visibly at the ticket's limit. */
    char desc[SD_TEXT_MAX + SD_ALERT_LABELS_MAX + SD_ALERT_URL_MAX + 256];
    snprintf(desc, sizeof desc, "%s%sSource: %s%s%s%s%s%s%s", a->description ? a->description : "",
             a->description ? "\n\n" : "", a->source, a->severity ? "\nSeverity: " : "",
             a->severity ? a->severity : "", a->url ? "\nLink: " : "", a->url ? a->url : "",
             a->labels ? "\nLabels:\n" : "", a->labels ? a->labels : "");
    if (strlen(desc) > SD_TEXT_MAX)
        strcpy(desc + sd_utf8_cut(desc, SD_TEXT_MAX - 3), "\xe2\x80\xa6");
    sd_request_t r = {.op = SD_REQ_TICKET_NEW};
    sd_ticket_args_t *ta = &r.args.ticket;
    ta->title = a->title ? a->title : a->key;
    ta->description = desc;
    ta->channel = SD_CHANNEL_MONITORING;
    ta->impact = sd_request_has(req, SD_ARG_ALERT_IMPACT) ? a->impact : 2;
    ta->urgency = sd_request_has(req, SD_ARG_ALERT_URGENCY) ? a->urgency : 2;
    ta->team = a->team;
    ta->category = a->category;
    r.present = TARG(TITLE) | TARG(DESCRIPTION) | TARG(CHANNEL) | TARG(IMPACT) | TARG(URGENCY) |
                (a->team ? TARG(TEAM) : 0) | (a->category ? TARG(CATEGORY) : 0);
    memset(t, 0, sizeof *t);
    return s_ticket_event(ctx, t, &r, fault);
}

/* One workflow step on ticket t: ack, assign (to the caller), resolve, reopen, or an internal
 * comment; text is the resolution, the reason or the comment's body. */
static int s_step(const sd_api_write_ctx_t *ctx, sd_ticket_t *t, int op, const char *text,
                  sd_fault_t *fault)
{
    sd_request_t r = {.op = op};
    sd_ticket_args_t *ta = &r.args.ticket;
    ta->id = t->id;
    r.present = TARG(ID);
    char *msg = (char *)text;
    if (op == SD_REQ_TICKET_ASSIGN) {
        ta->assignee = t->assignee && *t->assignee ? t->assignee : (char *)ctx->wf->author;
        r.present |= TARG(ASSIGNEE);
    } else if (op == SD_REQ_TICKET_RESOLVE) {
        ta->resolution = msg;
        r.present |= TARG(RESOLUTION);
    } else if (op == SD_REQ_TICKET_REOPEN) {
        ta->reason = msg;
        r.present |= TARG(REASON);
    } else if (op == SD_REQ_TICKET_COMMENT) {
        ta->body = msg;
        r.present |= TARG(BODY);
    }
    return s_ticket_event(ctx, t, &r, fault);
}

/* The alert recovered: its open ticket is resolved when no person replied publicly, else it
 * gets an internal note and stays open. */
static int s_recover(const sd_api_write_ctx_t *ctx, const sd_request_t *req, sd_ticket_t *t,
                     sd_fault_t *fault)
{
    const char *source = req->args.alert.source;
    char text[256];
    if (!sd_status_open(t->status))
        return 0;
    if (t->first_response_at) {
        snprintf(text, sizeof text,
                 "The alert recovered (%s reported it resolved). The ticket stays open: a person "
                 "has replied to the requester.",
                 source);
        return s_step(ctx, t, SD_REQ_TICKET_COMMENT, text, fault);
    }
    snprintf(text, sizeof text, "Recovered: %s reported the alert resolved.", source);
    int rc = 0;
    if (t->status == SD_STATUS_NEW)
        rc = s_step(ctx, t, SD_REQ_TICKET_ACK, NULL, fault);
    if (!rc && t->status == SD_STATUS_ACKNOWLEDGED)
        rc = s_step(ctx, t, SD_REQ_TICKET_ASSIGN, NULL, fault);
    return rc ?: s_step(ctx, t, SD_REQ_TICKET_RESOLVE, text, fault);
}

/* The alert's ticket as this node holds it into t (zeroed when it has none or it is not here).
 * Returns 0 or the store's errors. */
static int s_ticket(sd_store_txn_t *txn, const sd_alert_t *cur, sd_ticket_t *t)
{
    memset(t, 0, sizeof *t);
    if (!cur || !cur->ticket || !*cur->ticket || !txn)
        return 0;
    int rc = sd_store_get_ticket(txn, cur->ticket, t);
    if (rc == SD_ENOTFOUND || (!rc && !sd_ticket_exists(t))) {
        sd_ticket_clear(t);
        memset(t, 0, sizeof *t);
        return 0;
    }
    return rc;
}

/* The alert's event: op with the request's description, the new state, and ticket when one
 * was opened (NULL: unchanged). */
static int s_alert_event(const sd_api_write_ctx_t *ctx, const sd_alert_t *cur,
                         const sd_request_t *req, int op, const char *ticket, sd_event_t *ev)
{
    const sd_alert_args_t *a = &req->args.alert;
    uint64_t now = ctx->wf->now_ms;
    int rc = sd_event_start(ev, &sd_kind_alert, op);
    sd_alert_t *f = rc ? NULL : sd_event_alert(ev);
    if (!rc && !cur) {
        rc = sd_api_take(ev, NULL, SD_ALREG_CREATED) ?: sd_api_set_str(&f->origin_site, ctx->wf->site)
                                                   ?: sd_api_set_str(&f->source, a->source)
                                                   ?: sd_api_set_str(&f->key, a->key);
        f->created_at = now;
    }
    if (!rc && (!cur || a->title || a->description || a->severity || a->labels || a->url)) {
        rc = sd_api_take(ev, cur, SD_ALREG_DESC);
#define KEEP(m)                                                                                    \
    if (!rc && a->m)                                                                               \
    rc = sd_api_set_str(&f->m, a->m)
        KEEP(title);
        KEEP(description);
        KEEP(severity);
        KEEP(labels);
        KEEP(url);
#undef KEEP
    }
    rc = rc ?: sd_api_take(ev, cur, SD_ALREG_STATE);
    if (!rc) {
        f->state = a->status;
        if (a->status == SD_ALERT_RESOLVED)
            f->resolved_at = now;
        else if (a->status == SD_ALERT_ACKNOWLEDGED)
            f->acked_at = now;
        if (ticket) {
            f->fired_at = now;
            f->fires++;
        }
    }
    if (!rc && ticket)
        rc = sd_api_take(ev, cur, SD_ALREG_TICKET) ?: sd_api_set_str(&f->ticket, ticket);
    return rc;
}

/* A firing alert: the ticket it opens or reopens into t (zeroed: none changes). */
static int s_fire(const sd_api_write_ctx_t *ctx, const sd_alert_t *cur, const sd_request_t *req,
                  sd_ticket_t *t, bool *opened, sd_fault_t *fault)
{
    int window = sd_request_has(req, SD_ARG_ALERT_FLAP_WINDOW) ? req->args.alert.flap_window
                                                               : SD_ALERT_FLAP_WINDOW_S;
    uint64_t now = ctx->wf->now_ms;
    int rc = s_ticket(ctx->txn, cur, t);
    if (rc)
        return rc;
    bool have = t->id[0] != 0;
    bool recent = cur && now <= cur->resolved_at + (uint64_t)window * 1000;
    if (have && sd_status_open(t->status)) /* left open at the resolve: it goes on */
        return 0;
    *opened = true;
    if (have && recent && (t->status == SD_STATUS_RESOLVED || t->status == SD_STATUS_CLOSED)) {
        char reason[160];
        snprintf(reason, sizeof reason, "The alert fired again %llu s after it recovered.",
                 (unsigned long long)((now - cur->resolved_at) / 1000));
        return s_step(ctx, t, SD_REQ_TICKET_REOPEN, reason, fault);
    }
    sd_ticket_clear(t);
    return s_open(ctx, req, t, fault);
}

int sd_api_alert_ingest(const sd_api_write_ctx_t *ctx, const void *cur_record,
                        const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_alert_t *cur = cur_record;
    const sd_alert_args_t *a = &req->args.alert;
    char id[SD_ID_MAX + 1];
    if (sd_alert_id_for(a->source, a->key, id) != 0 || strcmp(id, a->id) != 0)
        return sd_fault_set(fault, SD_EINVAL, "args.id: the alert of this source and key is %s",
                            id);
    int status = a->status;
    /* What changes nothing writes nothing: repeats and HA twins answer the record as it is. */
    if (cur && (cur->state == status ||
                (status == SD_ALERT_FIRING && cur->state == SD_ALERT_ACKNOWLEDGED) ||
                (status == SD_ALERT_ACKNOWLEDGED && cur->state == SD_ALERT_RESOLVED))) {
        sd_api_reply_view(ctx->reply, req->id, &sd_kind_alert, (void *)cur, ctx->scope);
        return SD_API_NO_EVENT;
    }
    sd_ticket_t t = {0};
    bool opened = false;
    int rc = 0, op = SD_ALOP_CREATE;
    if (status == SD_ALERT_FIRING) {
        rc = s_fire(ctx, cur, req, &t, &opened, fault);
        op = cur ? SD_ALOP_FIRE : SD_ALOP_CREATE;
    } else if (status == SD_ALERT_RESOLVED) {
        rc = s_ticket(ctx->txn, cur, &t) ?: (t.id[0] ? s_recover(ctx, req, &t, fault) : 0);
        op = cur ? SD_ALOP_RESOLVE : SD_ALOP_CREATE;
    } else {
        rc = s_ticket(ctx->txn, cur, &t);
        if (!rc && t.id[0] && t.status == SD_STATUS_NEW)
            rc = s_step(ctx, &t, SD_REQ_TICKET_ACK, NULL, fault);
        op = cur ? SD_ALOP_ACK : SD_ALOP_CREATE;
    }
    rc = rc ?: s_alert_event(ctx, cur, req, op, opened && t.id[0] ? t.id : NULL, ev);
    sd_ticket_clear(&t);
    return sd_api_write_end(ctx, ev, rc, fault);
}

/* ---- reads --------------------------------------------------------------------------------- */

static bool s_kept(const sd_api_page_t *p, const void *record)
{
    const sd_alert_t *al = record;
    const sd_alert_args_t *a = &p->req->args.alert;
    if (a->source && !(al->source && strcmp(al->source, a->source) == 0))
        return false;
    if (sd_request_has(p->req, SD_ARG_ALERT_STATE) && al->state != a->state)
        return false;
    return !a->ticket || (al->ticket && strcmp(al->ticket, a->ticket) == 0);
}

int sd_api_alert_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault)
{
    (void)fault;
    const sd_alert_args_t *a = &req->args.alert;
    return sd_api_page(ctx, req, &sd_kind_alert, "alerts", a->after,
                       sd_request_has(req, SD_ARG_ALERT_LIMIT) ? a->limit : 100, s_kept, w);
}
