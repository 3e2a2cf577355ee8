/* op_ticket.c - ticket.get, ticket.list and ticket.history. */
#include "op_ticket.h"

#include "error.h"
#include "ticket_store.h"

int sd_api_ticket_write(const sd_workflow_ctx_t *ctx, const void *cur, const sd_request_t *req,
                        sd_event_t *ev, sd_fault_t *fault)
{
    return sd_workflow_build(ctx, cur, req, ev, fault);
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
        sd_api_reply_record(w, req->id, &sd_kind_ticket, &t);
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

static int s_history_item(const void *event, size_t len, void *arg)
{
    s_list_t *list = arg;
    sd_mp_raw(list->items, event, len);
    list->count++;
    return 0;
}

/* The list or history reply around the items gathered; more only for a list. */
static int s_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                  sd_fault_t *fault, bool history)
{
    const sd_ticket_args_t *a = &req->args.ticket;
    s_list_t list = {.items = sd_mp_writer_new()};
    bool more = false;
    int rc = list.items ? 0 : SD_ENOMEM;
    if (!rc && history) {
        rc = sd_store_history(ctx->txn, a->id, s_history_item, &list);
        if (rc == SD_ENOTFOUND)
            sd_fault_set(fault, rc, "ticket %s does not exist", a->id);
    } else if (!rc) {
        sd_store_filter_t f = {
            .status = sd_request_has(req, SD_ARG_TICKET_STATUS) ? a->status : -1,
            .priority = sd_request_has(req, SD_ARG_TICKET_PRIORITY) ? a->priority : -1,
            .open_only = a->open,
            .sla = sd_request_has(req, SD_ARG_TICKET_SLA) ? a->sla : -1,
            .assignee = a->assignee,
            .requester = a->requester,
            .after = a->after,
            .limit = sd_request_has(req, SD_ARG_TICKET_LIMIT) ? a->limit : 100,
        };
        rc = sd_store_list(ctx->txn, &f, s_list_item, &list, &more);
    }
    if (!rc)
        rc = sd_api_reply_items(w, req->id, history ? "events" : "tickets", list.items, list.count,
                                history ? NULL : &more);
    sd_mp_writer_destroy(&list.items);
    return rc;
}

int sd_api_ticket_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    return s_list(ctx, req, w, fault, false);
}

int sd_api_ticket_history(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                          sd_fault_t *fault)
{
    return s_list(ctx, req, w, fault, true);
}
