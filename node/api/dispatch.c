/* dispatch.c - the handler table, expanded from proto/ops.def. */
#include "dispatch.h"

#include "authz.h"
#include "digest.h"
#include "error.h"
#include "op_asset.h"
#include "op_article.h"
#include "op_bulletin.h"
#include "op_alert.h"
#include "record.h"
#include "op_audit.h"
#include "op_contact.h"
#include "op_customer.h"
#include "op_major.h"
#include "op_message.h"
#include "op_oncall.h"
#include "op_node.h"
#include "op_people.h"
#include "op_search.h"
#include "op_outbox.h"
#include "op_ticket.h"
#include "schedule_ops.h"
#include "workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One op's handler: the member its READ or WRITE kind uses. */
typedef struct {
    sd_api_read_fn read;   /* READ ops */
    sd_api_write_fn write; /* WRITE ops */
} s_handler_t;

#define SD_API_READ(h)                                                                             \
    {                                                                                              \
        .read = h                                                                                  \
    }
#define SD_API_WRITE(h)                                                                            \
    {                                                                                              \
        .write = h                                                                                 \
    }
#define SD_API_CREATE(h) SD_API_WRITE(h)

static const s_handler_t s_handlers[SD_REQ_COUNT_] = {
#define SD_REQ_OP(id, wire, rw, kind, group, required, optional, handler)                          \
    [SD_REQ_##id] = SD_API_##rw(handler),
#include "ops.def"
#undef SD_REQ_OP
};

int sd_api_read(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                sd_fault_t *fault)
{
    if (req->op < 0 || req->op >= SD_REQ_COUNT_ || !s_handlers[req->op].read)
        return SD_EUNKNOWN_OP;
    return s_handlers[req->op].read(ctx, req, w, fault);
}

int sd_api_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                 sd_event_t *ev, sd_fault_t *fault)
{
    if (req->op < 0 || req->op >= SD_REQ_COUNT_ || !s_handlers[req->op].write)
        return sd_fault_set(fault, SD_EUNKNOWN_OP, "%s does not write", sd_req_op_name(req->op));
    return s_handlers[req->op].write(ctx, cur, req, ev, fault);
}

void sd_api_reply_record(sd_mp_writer_t *w, uint64_t id, const sd_kind_t *k, const void *record)
{
    sd_mp_writer_reset(w);
    sd_reply_ok_begin(w, id);
    sd_record_encode(k, record, false, w);
}

void sd_api_reply_record_with(sd_mp_writer_t *w, uint64_t id, const sd_kind_t *k,
                              const void *record, const char *key, const char *value)
{
    /* The record's map header is rewritten with one more pair: encode it apart first. */
    sd_mp_writer_t *tmp = sd_mp_writer_new();
    if (!tmp) {
        sd_api_reply_record(w, id, k, record);
        return;
    }
    sd_record_encode(k, record, false, tmp);
    size_t len;
    const uint8_t *data = sd_mp_writer_data(tmp, &len);
    uint32_t pairs;
    size_t head = sd_mp_map_header(data, len, &pairs);
    sd_mp_writer_reset(w);
    sd_reply_ok_begin(w, id);
    if (!head || sd_mp_writer_error(tmp)) {
        sd_mp_writer_destroy(&tmp);
        sd_mp_nil(w);
        return;
    }
    sd_mp_map(w, pairs + 1);
    sd_mp_raw(w, data + head, len - head);
    sd_mp_str(w, key);
    sd_mp_str(w, value);
    sd_mp_writer_destroy(&tmp);
}

void sd_api_record_view(sd_mp_writer_t *w, const sd_kind_t *k, void *record, int scope)
{
    if (k == &sd_kind_ticket)
        sd_api_ticket_view(w, record, scope);
    else
        sd_record_encode(k, record, false, w);
}

void sd_api_reply_view(sd_mp_writer_t *w, uint64_t id, const sd_kind_t *k, void *record, int scope)
{
    sd_mp_writer_reset(w);
    sd_reply_ok_begin(w, id);
    sd_api_record_view(w, k, record, scope);
}

void sd_api_reply_written(sd_mp_writer_t *w, uint64_t id, const sd_kind_t *k, void *record,
                          int scope, const char *shown_once)
{
    if (shown_once && shown_once[0])
        sd_api_reply_record_with(w, id, k, record, "token", shown_once);
    else
        sd_api_reply_view(w, id, k, record, scope);
}

int sd_api_record_version(const sd_kind_t *k, void *record, int scope, char hex[SD_VERSION_HEX + 1])
{
    /* Versioned as a client sees it: the bytes go through a parse, as the reply's would. */
    sd_mp_writer_t *view = sd_mp_writer_new();
    sd_mp_doc_t *doc = NULL;
    if (!view)
        return SD_ENOMEM;
    sd_api_record_view(view, k, record, scope);
    size_t len;
    const void *data = sd_mp_writer_data(view, &len);
    int rc = sd_mp_writer_error(view) ?: sd_mp_doc_parse(data, len, &doc);
    rc = rc ?: sd_mp_node_version(sd_mp_doc_root(doc), hex);
    sd_mp_doc_destroy(&doc);
    sd_mp_writer_destroy(&view);
    return rc == SD_ENOMEM ? rc : rc ? SD_ECORRUPT : 0;
}

int sd_api_check_version(const sd_kind_t *k, void *record, int scope, const char *id,
                         const char *if_match, sd_fault_t *fault)
{
    char now[SD_VERSION_HEX + 1];
    if (!if_match)
        return 0;
    int rc = sd_api_record_version(k, record, scope, now);
    if (rc)
        return sd_fault_set(fault, rc, "cannot work out the version of %s %s", k->name, id);
    if (strcmp(now, if_match) != 0)
        return sd_fault_set(fault, SD_EPRECONDITION,
                            "record %s changed since version %s; get it again", id, if_match);
    return 0;
}

int sd_api_view_scope(const sd_principal_t *who, const sd_kind_t *k, const void *record,
                      const char *site, int scope)
{
    char get[48];
    snprintf(get, sizeof get, "%s.get", k->name);
    sd_request_t probe = {.op = sd_req_op_value(get)};
    if (probe.op < 0)
        return scope;
    sd_authz_subject_t subject = sd_authz_subject(who, &probe, record, site);
    int view;
    sd_fault_t ignored;
    return sd_authz_check(who, get, &subject, &view, &ignored) == 0 ? view : scope;
}

int sd_api_idempotent_replay(sd_store_txn_t *txn, const sd_request_t *req,
                             const sd_principal_t *who, const char *site, int scope,
                             sd_mp_writer_t *w, sd_fault_t *fault)
{
    const char *login = who->login;
    const sd_req_spec_t *spec = sd_req_spec(req->op);
    sd_store_idem_t made;
    if (!req->idempotency_key || !spec->creates)
        return 0;
    int rc = sd_store_get_idempotency(txn, login, req->idempotency_key, &made);
    if (rc == SD_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    if (strcmp(made.op, spec->name) != 0 || strcmp(made.kind, spec->kind->name) != 0)
        return sd_fault_set(fault, SD_EDUPLICATE, "idempotency key %s was used for %s",
                            req->idempotency_key, made.op);
    void *r = sd_record_new(spec->kind);
    if (!r)
        return SD_ENOMEM;
    rc = sd_store_get_record(txn, spec->kind, made.id, r);
    if (rc == 0 && !sd_record_exists(spec->kind, r))
        rc = SD_ENOTFOUND;
    /* The record a key made is never deleted: its absence is a damaged store. */
    if (rc == SD_ENOTFOUND)
        rc = SD_ECORRUPT;
    if (!rc) {
        sd_api_reply_view(w, req->id, spec->kind, r,
                          sd_api_view_scope(who, spec->kind, r, site, scope));
        rc = 1;
    }
    sd_record_destroy(spec->kind, &r);
    return rc;
}

int sd_api_idempotent_made(sd_store_txn_t *txn, const sd_request_t *req, const char *login,
                           const char *id)
{
    const sd_req_spec_t *spec = sd_req_spec(req->op);
    sd_store_idem_t made = {0};
    if (!req->idempotency_key || !spec->creates)
        return 0;
    snprintf(made.kind, sizeof made.kind, "%s", spec->kind->name);
    snprintf(made.id, sizeof made.id, "%s", id);
    snprintf(made.op, sizeof made.op, "%s", spec->name);
    return sd_store_put_idempotency(txn, login, req->idempotency_key, &made);
}

int sd_api_record_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault)
{
    const sd_kind_t *k = sd_req_spec(req->op)->kind;
    const char *id = sd_request_record_id(req);
    void *r = sd_record_new(k);
    if (!r)
        return SD_ENOMEM;
    int rc = sd_store_get_record(ctx->txn, k, id, r);
    if (rc == 0 && !sd_record_exists(k, r))
        rc = SD_ENOTFOUND;
    if (rc == SD_ENOTFOUND)
        sd_fault_set(fault, rc, "%s %s does not exist", k->name, id);
    if (!rc)
        sd_api_reply_view(w, req->id, k, r, ctx->scope);
    sd_record_destroy(k, &r);
    return rc;
}

/* Marks register reg of the event's kind written, starting from cur's values (the event writes
 * every field of a register it touches). */
int sd_api_take(sd_event_t *ev, const void *cur, int reg)
{
    const sd_kind_t *k = ev->kind;
    uint64_t mask = sd_kind_register_mask(k, reg);
    ev->mask |= mask;
    return cur ? sd_fields_copy(k->fields, k->nfields, ev->fields, cur, mask) : 0;
}

int sd_api_write_end(const sd_api_write_ctx_t *ctx, sd_event_t *ev, int rc, sd_fault_t *fault)
{
    if (!rc)
        snprintf(ev->author, sizeof ev->author, "%s", ctx->wf->author);
    if (rc == SD_ENOMEM)
        sd_fault_set(fault, rc, "out of memory");
    if (rc)
        sd_event_clear(ev);
    return rc;
}

/* Replaces *slot with a copy of value (NULL and "" both clear it). */
int sd_api_set_str(char **slot, const char *value)
{
    char *copy = NULL;
    if (value && *value && !(copy = strdup(value)))
        return SD_ENOMEM;
    free(*slot);
    *slot = copy;
    return 0;
}

typedef struct {
    sd_api_page_t page;
    bool (*keep)(const sd_api_page_t *p, const void *record);
} s_walk_t;

static int s_page_item(const void *record, void *arg)
{
    s_walk_t *walk = arg;
    sd_api_page_t *p = &walk->page;
    if (!walk->keep(p, record))
        return 0;
    if ((int)p->count == p->limit) {
        p->more = true;
        return 1;
    }
    sd_record_encode(p->kind, record, false, p->items);
    p->count++;
    return 0;
}

int sd_api_page(const sd_api_ctx_t *ctx, const sd_request_t *req, const sd_kind_t *k,
                const char *name, const char *after, int limit,
                bool (*keep)(const sd_api_page_t *p, const void *record), sd_mp_writer_t *w)
{
    s_walk_t walk = {.page = {.req = req,
                              .ctx = ctx,
                              .kind = k,
                              .items = sd_mp_writer_new(),
                              .limit = limit > 0 ? limit : 100},
                     .keep = keep};
    sd_api_page_t *p = &walk.page;
    if (!p->items)
        return SD_ENOMEM;
    int rc = sd_store_records(ctx->txn, k, after, s_page_item, &walk);
    if (rc == 1)
        rc = 0;
    rc = rc ?: sd_api_reply_items(w, req->id, name, p->items, p->count, &p->more);
    sd_mp_writer_destroy(&p->items);
    return rc;
}

int sd_api_reply_items(sd_mp_writer_t *w, uint64_t id, const char *name,
                       const sd_mp_writer_t *items, uint32_t count, const bool *more)
{
    if (sd_mp_writer_error(items))
        return SD_ENOMEM;
    size_t len;
    const void *data = sd_mp_writer_data(items, &len);
    sd_reply_ok_begin(w, id);
    sd_mp_map(w, more ? 2 : 1);
    sd_mp_str(w, name);
    sd_mp_array(w, count);
    sd_mp_raw(w, data, len);
    if (more) {
        sd_mp_str(w, "more");
        sd_mp_bool(w, *more);
    }
    return 0;
}
