/* op_audit.c - the audit trail: events and refusals, newest `limit`, in time order. */
#include "op_audit.h"

#include "error.h"
#include "hlc.h"
#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One entry kept: its time and order, and its encoded map. */
typedef struct {
    uint64_t at, order; /* ms, then arrival (stable among equal times) */
    uint8_t *bytes;     /* encoded entry (owned) */
    size_t len;
} s_entry_t;

typedef struct {
    const sd_audit_args_t *a;
    const sd_request_t *req;
    s_entry_t *kept; /* at most limit, the newest */
    size_t nkept, limit;
    uint64_t seen;     /* entries that matched */
    sd_mp_writer_t *w; /* scratch */
    int error;
} s_trail_t;

static bool s_in_time(const s_trail_t *t, uint64_t at)
{
    return at >= t->a->since && (!sd_request_has(t->req, SD_ARG_AUDIT_UNTIL) || at < t->a->until);
}

/* Keeps the entry in t->w at time at when it is among the newest limit. */
static void s_keep(s_trail_t *t, uint64_t at)
{
    size_t len;
    const void *data = sd_mp_writer_data(t->w, &len);
    uint64_t order = t->seen++;
    size_t slot = t->nkept;
    if (t->nkept == t->limit) {
        slot = 0; /* replace the oldest, if this one is newer */
        for (size_t i = 1; i < t->nkept; i++)
            if (t->kept[i].at < t->kept[slot].at ||
                (t->kept[i].at == t->kept[slot].at && t->kept[i].order < t->kept[slot].order))
                slot = i;
        if (t->kept[slot].at > at)
            return;
        free(t->kept[slot].bytes);
    } else {
        t->nkept++;
    }
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy || sd_mp_writer_error(t->w)) {
        free(copy);
        t->kept[slot] = t->kept[--t->nkept];
        t->error = SD_ENOMEM;
        return;
    }
    memcpy(copy, data, len);
    t->kept[slot] = (s_entry_t){at, order, copy, len};
}

static int s_event(const void *bytes, size_t len, void *arg)
{
    s_trail_t *t = arg;
    sd_event_t ev = {0};
    int rc = sd_event_decode(bytes, len, &ev, NULL);
    if (rc)
        return rc == SD_ENOMEM ? rc : SD_ECORRUPT;
    uint64_t at = sd_hlc_ms(ev.hlc);
    if (s_in_time(t, at) && (!t->a->user || strcmp(ev.author, t->a->user) == 0)) {
        char op[64];
        snprintf(op, sizeof op, "%s.%s", ev.kind->name, sd_event_op_name(&ev));
        sd_mp_writer_reset(t->w);
        sd_mp_map(t->w, 9);
        sd_mp_str(t->w, "at");
        sd_mp_u64(t->w, at);
        sd_mp_str(t->w, "site");
        sd_mp_str(t->w, ev.origin);
        sd_mp_str(t->w, "user");
        sd_mp_str(t->w, ev.author);
        sd_mp_str(t->w, "via");
        sd_mp_str(t->w, "");
        sd_mp_str(t->w, "op");
        sd_mp_str(t->w, op);
        sd_mp_str(t->w, "record");
        sd_mp_str(t->w, ev.key);
        sd_mp_str(t->w, "outcome");
        sd_mp_str(t->w, "ok");
        sd_mp_str(t->w, "reason");
        sd_mp_str(t->w, "");
        sd_mp_str(t->w, "count");
        sd_mp_u64(t->w, 1);
        s_keep(t, at);
    }
    sd_event_clear(&ev);
    return t->error;
}

/* A stored refusal: already an entry in the answer's form (node/auth/audit.c). */
static int s_denial(const void *bytes, size_t len, void *arg)
{
    s_trail_t *t = arg;
    sd_mp_doc_t *doc = NULL;
    if (sd_mp_doc_parse(bytes, len, &doc) != 0)
        return SD_ECORRUPT;
    const sd_mp_node_t *root = sd_mp_doc_root(doc);
    const sd_mp_node_t *at = sd_mp_get(root, "at"), *user = sd_mp_get(root, "user"),
                       *record = sd_mp_get(root, "record");
    uint64_t ms = 0;
    int rc = at && user && record && sd_mp_uint(at, &ms) == 0 ? 0 : SD_ECORRUPT;
    if (!rc && s_in_time(t, ms) && (!t->a->user || sd_mp_str_eq(user, t->a->user)) &&
        (!t->a->ticket || sd_mp_str_eq(record, t->a->ticket))) {
        sd_mp_writer_reset(t->w);
        sd_mp_raw(t->w, bytes, len);
        s_keep(t, ms);
        rc = t->error;
    }
    sd_mp_doc_destroy(&doc);
    return rc;
}

static int s_by_time(const void *pa, const void *pb)
{
    const s_entry_t *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

int sd_api_audit_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault)
{
    const sd_audit_args_t *a = &req->args.audit;
    s_trail_t t = {.a = a,
                   .req = req,
                   .limit = sd_request_has(req, SD_ARG_AUDIT_LIMIT) ? (size_t)a->limit : 100};
    t.kept = calloc(t.limit, sizeof *t.kept);
    t.w = sd_mp_writer_new();
    int rc = t.kept && t.w ? 0 : SD_ENOMEM;
    if (!rc && a->ticket) {
        rc = sd_store_timeline(ctx->txn, &sd_kind_ticket, a->ticket, s_event, &t);
        if (rc == SD_ENOTFOUND)
            rc = sd_fault_set(fault, rc, "ticket %s does not exist", a->ticket);
    } else if (!rc) {
        rc = sd_store_events_all(ctx->txn, s_event, &t);
    }
    rc = rc ?: sd_store_denials(ctx->txn, a->since, s_denial, &t);
    if (!rc) {
        qsort(t.kept, t.nkept, sizeof *t.kept, s_by_time);
        sd_mp_writer_reset(t.w);
        for (size_t i = 0; i < t.nkept; i++)
            sd_mp_raw(t.w, t.kept[i].bytes, t.kept[i].len);
        bool more = t.seen > t.nkept;
        rc = sd_api_reply_items(w, req->id, "entries", t.w, (uint32_t)t.nkept, &more);
    }
    for (size_t i = 0; i < t.nkept; i++)
        free(t.kept[i].bytes);
    free(t.kept);
    sd_mp_writer_destroy(&t.w);
    return rc;
}
