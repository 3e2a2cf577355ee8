/* op_message_read.c - message.get, message.list and the blob ops (op_message.h). */
#include "op_message.h"

#include "error.h"
#include "message_store.h"
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sd_api_message_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    return sd_api_record_get(ctx, req, w, fault);
}

typedef struct {
    const sd_api_ctx_t *ctx;
    const sd_request_t *req;
    sd_mp_writer_t *items;
    uint32_t count;
    int limit;
    bool more;
    bool started;      /* past `after` (or no after) */
    sd_message_t *tmp; /* scratch */
} s_list_t;

/* The list's filters on one message. */
static bool s_keep(const sd_request_t *req, const sd_message_t *m)
{
    const sd_message_args_t *a = &req->args.message;
    if (sd_request_has(req, SD_ARG_MESSAGE_STATE) && m->state != a->state)
        return false;
    if (sd_request_has(req, SD_ARG_MESSAGE_CHANNEL) && m->channel != a->channel)
        return false;
    return !a->ticket || (m->ticket && strcmp(m->ticket, a->ticket) == 0);
}

static int s_list_one(const char *id, uint64_t at, void *arg)
{
    (void)at;
    s_list_t *l = arg;
    const char *after = l->req->args.message.after;
    if (!l->started) {
        l->started = strcmp(id, after) == 0;
        return 0;
    }
    sd_record_clear(&sd_kind_message, l->tmp);
    int rc = sd_store_get_record(l->ctx->txn, &sd_kind_message, id, l->tmp);
    if (rc == SD_ENOTFOUND || (!rc && !sd_record_exists(&sd_kind_message, l->tmp)))
        return 0;
    if (rc)
        return rc;
    if (!s_keep(l->req, l->tmp))
        return 0;
    if ((int)l->count == l->limit) {
        l->more = true;
        return 1;
    }
    sd_api_record_view(l->items, &sd_kind_message, l->tmp, l->ctx->scope);
    l->count++;
    return 0;
}

static bool s_page_keep(const sd_api_page_t *p, const void *record)
{
    return s_keep(p->req, record);
}

int sd_api_message_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault)
{
    const sd_message_args_t *a = &req->args.message;
    int limit = sd_request_has(req, SD_ARG_MESSAGE_LIMIT) ? a->limit : 100;
    if (limit > SD_LIST_MAX)
        return sd_fault_set(fault, SD_ERANGE, "args.limit: at most %d messages", SD_LIST_MAX);
    bool held = sd_request_has(req, SD_ARG_MESSAGE_STATE) && a->state == SD_MSTATE_HELD;
    if (!a->ticket && !held) /* everything, in id order */
        return sd_api_page(ctx, req, &sd_kind_message, "messages", a->after, limit, s_page_keep, w);
    /* A ticket's messages, or the held ones: oldest first, by their index. */
    s_list_t l = {ctx,   req,   sd_mp_writer_new(), 0,
                  limit, false, !a->after,          sd_record_new(&sd_kind_message)};
    int rc = l.items && l.tmp ? 0 : SD_ENOMEM;
    if (!rc && a->ticket)
        rc = sd_message_each(ctx->txn, SD_MESSAGE_INDEX_TICKET, a->ticket, s_list_one, &l);
    else if (!rc)
        rc = sd_message_each_held(ctx->txn, s_list_one, &l);
    if (rc == 1)
        rc = 0;
    rc = rc ?: sd_api_reply_items(w, req->id, "messages", l.items, l.count, &l.more);
    sd_record_destroy(&sd_kind_message, (void **)&l.tmp);
    sd_mp_writer_destroy(&l.items);
    return rc;
}

/* ---- blobs ---------------------------------------------------------------------------- */

/* The reply {blob, size} into ctx->reply. */
static int s_blob_reply(const sd_api_write_ctx_t *ctx, uint64_t req_id, const char *id,
                        uint64_t size)
{
    sd_mp_writer_reset(ctx->reply);
    sd_reply_ok_begin(ctx->reply, req_id);
    sd_mp_map(ctx->reply, 2);
    sd_mp_str(ctx->reply, "blob");
    sd_mp_str(ctx->reply, id);
    sd_mp_str(ctx->reply, "size");
    sd_mp_u64(ctx->reply, size);
    return SD_API_NO_EVENT;
}

int sd_api_blob_put(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                    sd_event_t *ev, sd_fault_t *fault)
{
    (void)cur, (void)ev;
    const sd_bin_t *d = &req->args.message.data;
    char id[SD_BLOB_ID_MAX + 1];
    int rc = sd_blob_put(ctx->txn, d->data ? d->data : (const uint8_t *)"", d->len, id);
    if (rc == SD_ETOOBIG)
        return sd_fault_set(fault, rc, "args.data: at most %d bytes", SD_BLOB_PART_MAX);
    return rc ? rc : s_blob_reply(ctx, req->id, id, d->len);
}

int sd_api_blob_join(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                     sd_event_t *ev, sd_fault_t *fault)
{
    (void)cur, (void)ev;
    const sd_message_args_t *a = &req->args.message;
    char(*ids)[SD_BLOB_ID_MAX + 1] = calloc(SD_BLOB_PARTS_MAX / SD_BLOB_ID_LEN + 1, sizeof *ids);
    const char **parts = calloc(SD_BLOB_PARTS_MAX / SD_BLOB_ID_LEN + 1, sizeof *parts);
    size_t n = 0;
    int rc = ids && parts ? 0 : sd_fault_set(fault, SD_ENOMEM, "out of memory");
    for (const char *p = a->parts; !rc && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ", ");
        if (!len)
            break;
        if (len != SD_BLOB_ID_LEN || n > SD_BLOB_PARTS_MAX / SD_BLOB_ID_LEN) {
            rc = sd_fault_set(fault, SD_EINVAL, "args.parts: %.*s is not a blob id", (int)len, p);
            break;
        }
        memcpy(ids[n], p, len);
        ids[n][len] = 0;
        if (!sd_blob_id_valid(ids[n]))
            rc = sd_fault_set(fault, SD_EINVAL, "args.parts: %s is not a blob id", ids[n]);
        parts[n] = ids[n];
        n++;
        p += len;
    }
    char id[SD_BLOB_ID_MAX + 1], missing[SD_BLOB_ID_MAX + 1] = "";
    uint64_t size = 0;
    if (!rc && !n)
        rc = sd_fault_set(fault, SD_EMISSING, "args.parts: no blob ids");
    rc = rc ?: sd_blob_join(ctx->txn, parts, n, a->type, id, &size, missing);
    if (rc == SD_ENOTFOUND)
        sd_fault_set(fault, rc, "args.parts: blob %s is not at this node", missing);
    else if (rc == SD_EINVAL && !fault->code)
        sd_fault_set(fault, rc, "args.parts: a part is itself a join, or the type is too long");
    free(ids);
    free(parts);
    return rc ? rc : s_blob_reply(ctx, req->id, id, size);
}

static int s_site_of(const char *rest, size_t len, void *arg)
{
    if (!len || rest[len - 1] != 0 || len > SD_ID_MAX + 1)
        return SD_ECORRUPT;
    memcpy(arg, rest, len);
    return 1;
}

int sd_api_blob_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                    sd_fault_t *fault)
{
    const sd_message_args_t *a = &req->args.message;
    size_t limit = sd_request_has(req, SD_ARG_MESSAGE_LIMIT) ? (size_t)a->limit : SD_BLOB_PART_MAX;
    uint8_t *buf = malloc(limit);
    char type[SD_BLOB_TYPE_MAX + 1];
    size_t got = 0;
    uint64_t size = 0;
    int rc =
        buf ? sd_blob_read(ctx->txn, a->blob, a->offset, buf, limit, &got, &size, type) : SD_ENOMEM;
    if (rc == SD_ENOTFOUND) {
        /* Which site took the message that holds it (its raw form): that node has it. */
        char id[SD_ID_MAX + 1] = "";
        sd_message_t *m = sd_record_new(&sd_kind_message);
        if (m &&
            sd_store_index_find(ctx->txn, &sd_kind_message, SD_MESSAGE_INDEX_BLOB, a->blob,
                                s_site_of, id) == 1 &&
            sd_store_get_record(ctx->txn, &sd_kind_message, id, m) == 0 && m->site &&
            strcmp(m->site, ctx->cfg->site) != 0)
            sd_fault_set(fault, rc, "blob %s is not at this node; site %s has it (message %s)",
                         a->blob, m->site, id);
        else
            sd_fault_set(fault, rc, "blob %s is not at this node", a->blob);
        sd_record_destroy(&sd_kind_message, (void **)&m);
    } else if (rc == SD_ERANGE) {
        sd_fault_set(fault, rc, "args.offset: %llu is past the end (%llu bytes)",
                     (unsigned long long)a->offset, (unsigned long long)size);
    }
    if (!rc) {
        sd_reply_ok_begin(w, req->id);
        sd_mp_map(w, 3);
        sd_mp_str(w, "data");
        sd_mp_bin(w, buf, got);
        sd_mp_str(w, "size");
        sd_mp_u64(w, size);
        sd_mp_str(w, "type");
        sd_mp_str(w, type);
    }
    free(buf);
    return rc;
}
