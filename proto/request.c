/* request.c - client requests and replies: tables, strict decoding, encoding. */
#include "request.h"

#include "error.h"
#include "ticket.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFF(m) offsetof(sd_args_t, m)
#define STR(n, max, fl)                                                                            \
    {                                                                                              \
#n, SD_F_STR, fl, 0, OFF(n), 0, max, NULL                                                  \
    }
#define INT(n, lo, hi)                                                                             \
    {                                                                                              \
#n, SD_F_INT, 0, 0, OFF(n), lo, hi, NULL                                                   \
    }
#define ENUM(n, names, count)                                                                      \
    {                                                                                              \
#n, SD_F_ENUM, 0, 0, OFF(n), 0, count, names                                               \
    }

const sd_field_t sd_args_fields[] = {
    STR(id, SD_ID_MAX, SD_F_LINE | SD_F_NONEMPTY),
    STR(author, SD_NAME_MAX, SD_F_LINE | SD_F_NONEMPTY),
    ENUM(type, sd_type_names, SD_TYPE_COUNT_),
    {"major", SD_F_BOOL, 0, 0, OFF(major), 0, 0, NULL},
    STR(title, SD_TITLE_MAX, SD_F_LINE | SD_F_NONEMPTY),
    STR(description, SD_TEXT_MAX, 0),
    STR(requester, SD_NAME_MAX, SD_F_LINE | SD_F_NONEMPTY),
    ENUM(channel, sd_channel_names, SD_CHANNEL_COUNT_),
    STR(category, SD_CATEGORY_MAX, SD_F_LINE),
    INT(impact, 1, 3),
    INT(urgency, 1, 3),
    ENUM(tier, sd_tier_names, SD_TIER_COUNT_),
    STR(team, SD_NAME_MAX, SD_F_LINE),
    STR(assignee, SD_NAME_MAX, SD_F_LINE | SD_F_NONEMPTY),
    {"reply_due", SD_F_U64, 0, 0, OFF(reply_due), 0, 0, NULL},
    ENUM(waiting_on, sd_wait_names, SD_WAIT_COUNT_),
    STR(reason, SD_TEXT_MAX, 0),
    STR(resolution, SD_TEXT_MAX, SD_F_NONEMPTY),
    INT(satisfaction, 1, 5),
    STR(feedback, SD_NOTE_MAX, 0),
    STR(body, SD_COMMENT_MAX, SD_F_NONEMPTY),
    {"public", SD_F_BOOL, 0, 0, OFF(public_reply), 0, 0, NULL},
    ENUM(status, sd_status_names, SD_STATUS_COUNT_),
    ENUM(priority, sd_priority_names, SD_PRIORITY_COUNT_),
    {"open", SD_F_BOOL, 0, 0, OFF(open), 0, 0, NULL},
    INT(limit, 1, SD_LIST_MAX),
    STR(after, SD_ID_MAX, SD_F_LINE),
    {"follow_sun", SD_F_BOOL, 0, 0, OFF(follow_sun), 0, 0, NULL},
    STR(site, SD_SITE_MAX, SD_F_LINE | SD_F_NONEMPTY),
    STR(note, SD_TEXT_MAX, 0),
    ENUM(sla, sd_sla_names, SD_SLA_COUNT_),
    {"since", SD_F_U64, 0, 0, OFF(since), 0, 0, NULL},
    {"from", SD_F_U64, 0, 0, OFF(from), 0, 0, NULL},
    INT(days, 1, 31),
};
const size_t sd_args_field_count = sizeof sd_args_fields / sizeof sd_args_fields[0];

/* What each operation takes: space-separated argument names. */
typedef struct {
    const char *name;     /* wire name */
    bool writes;          /* goes through a write transaction */
    const char *required; /* arguments it must have */
    const char *optional; /* arguments it may have */
} s_op_spec_t;

static const s_op_spec_t s_ops[SD_REQ_COUNT_] = {
    {"node.ping", false, "", ""},
    {"node.status", false, "", ""},
    {"node.digest", false, "", ""},
    {"repl.status", false, "", ""},
    {"ticket.new", true, "author title requester",
     "type major description channel category impact urgency tier team assignee follow_sun"},
    {"ticket.get", false, "id", ""},
    {"ticket.list", false, "", "status priority assignee requester open sla limit after"},
    {"ticket.history", false, "id", ""},
    {"ticket.ack", true, "id author", "reply_due"},
    {"ticket.assign", true, "id author assignee", "team tier"},
    {"ticket.start", true, "id author", ""},
    {"ticket.pending", true, "id author waiting_on", "reason"},
    {"ticket.resolve", true, "id author resolution", ""},
    {"ticket.close", true, "id author satisfaction", "feedback"},
    {"ticket.reopen", true, "id author reason", ""},
    {"ticket.cancel", true, "id author reason", ""},
    {"ticket.comment", true, "id author body", "public"},
    {"ticket.update", true, "id author",
     "type major title description requester channel category impact urgency follow_sun"},
    {"ticket.handover", true, "id author site", "note"},
    {"schedule.now", false, "", ""},
    {"schedule.coverage", false, "", "from days"},
    {"handover.report", false, "", "site since limit"},
};

static uint64_t s_mask(const char *names)
{
    uint64_t mask = 0;
    char word[32];
    while (*names) {
        size_t len = strcspn(names, " ");
        if (len > 0 && len < sizeof word) {
            memcpy(word, names, len);
            word[len] = 0;
            int i = sd_fields_find(sd_args_fields, sd_args_field_count, word);
            if (i >= 0)
                mask |= 1ull << i;
        }
        names += len;
        names += strspn(names, " ");
    }
    return mask;
}

/* The tables above as bit masks, worked out once: decoding is a hot path. */
static uint64_t s_required[SD_REQ_COUNT_], s_allowed[SD_REQ_COUNT_];
static pthread_once_t s_masks_once = PTHREAD_ONCE_INIT;

static void s_masks_init(void)
{
    for (int i = 0; i < SD_REQ_COUNT_; i++) {
        s_required[i] = s_mask(s_ops[i].required);
        s_allowed[i] = s_required[i] | s_mask(s_ops[i].optional);
    }
}

const char *sd_req_op_name(int op)
{
    return op >= 0 && op < SD_REQ_COUNT_ ? s_ops[op].name : "?";
}

int sd_req_op_value(const char *name)
{
    for (int i = 0; i < SD_REQ_COUNT_; i++)
        if (strcmp(s_ops[i].name, name) == 0)
            return i;
    return -1;
}

bool sd_req_op_writes(int op)
{
    return op >= 0 && op < SD_REQ_COUNT_ && s_ops[op].writes;
}

bool sd_request_has(const sd_request_t *req, const char *name)
{
    int i = sd_fields_find(sd_args_fields, sd_args_field_count, name);
    return i >= 0 && (req->present & (1ull << i));
}

void sd_request_clear(sd_request_t *req)
{
    if (!req)
        return;
    sd_fields_free(sd_args_fields, sd_args_field_count, &req->args, ~0ull);
    memset(req, 0, sizeof *req);
}

int sd_request_decode(const void *buf, size_t len, sd_request_t *req, sd_fault_t *fault)
{
    sd_mp_doc_t *doc = NULL;
    int rc = sd_mp_doc_parse(buf, len, &doc);
    if (rc)
        return sd_fault_set(fault, rc, "request: %s", sd_strerror(rc));
    const sd_mp_node_t *root = sd_mp_doc_root(doc);
    const sd_mp_node_t *v = NULL, *id = NULL, *op = NULL, *args = NULL;
    if (sd_mp_kind(root) != SD_MP_MAP) {
        rc = sd_fault_set(fault, SD_ETYPE, "request: expected a map");
        goto done;
    }
    for (size_t i = 0; i < sd_mp_len(root); i++) {
        const sd_mp_node_t *k = sd_mp_key(root, i), *val = sd_mp_val(root, i);
        const sd_mp_node_t **slot = sd_mp_str_eq(k, "v")      ? &v
                                    : sd_mp_str_eq(k, "id")   ? &id
                                    : sd_mp_str_eq(k, "op")   ? &op
                                    : sd_mp_str_eq(k, "args") ? &args
                                                              : NULL;
        if (!slot) {
            rc = sd_fault_set(fault, SD_EUNKNOWN_FIELD,
                              "request: unknown field (allowed: v, id, op, args)");
            goto done;
        }
        if (*slot) {
            rc = sd_fault_set(fault, SD_EDUPLICATE, "request: a field is given twice");
            goto done;
        }
        *slot = val;
    }
    if (id && sd_mp_uint(id, &req->id) != 0) {
        rc = sd_fault_set(fault, SD_ETYPE, "request.id: expected a non-negative integer");
        goto done;
    }
    uint64_t version;
    if (!v || sd_mp_uint(v, &version) != 0) {
        rc = sd_fault_set(fault, v ? SD_ETYPE : SD_EMISSING,
                          "request.v: the protocol version (an integer) is required");
        goto done;
    }
    if (version != SD_PROTO_VERSION) {
        rc = sd_fault_set(fault, SD_EVERSION, "request.v: version %llu is not supported (want %d)",
                          (unsigned long long)version, SD_PROTO_VERSION);
        goto done;
    }
    if (!op || sd_mp_kind(op) != SD_MP_STR) {
        rc = sd_fault_set(fault, op ? SD_ETYPE : SD_EMISSING,
                          "request.op: the operation name (a string) is required");
        goto done;
    }
    req->op = -1;
    for (int i = 0; i < SD_REQ_COUNT_; i++)
        if (sd_mp_str_eq(op, s_ops[i].name))
            req->op = i;
    if (req->op < 0) {
        rc = sd_fault_set(fault, SD_EUNKNOWN_OP, "request.op: unknown operation");
        goto done;
    }
    if (args) {
        rc = sd_fields_decode(sd_args_fields, sd_args_field_count, args, "args", &req->args,
                              &req->present, fault);
        if (rc)
            goto done;
    }
    const s_op_spec_t *spec = &s_ops[req->op];
    pthread_once(&s_masks_once, s_masks_init);
    uint64_t required = s_required[req->op], allowed = s_allowed[req->op];
    /* Unknown arguments first: a misspelt name also shows up as "missing". */
    for (size_t i = 0; i < sd_args_field_count && !rc; i++)
        if ((req->present & ~allowed) & (1ull << i))
            rc = sd_fault_set(fault, SD_EUNKNOWN_FIELD, "args.%s: not an argument of %s",
                              sd_args_fields[i].name, spec->name);
    for (size_t i = 0; i < sd_args_field_count && !rc; i++)
        if (((required & ~req->present) & (1ull << i)) ||
            ((required & (1ull << i)) && sd_args_fields[i].kind == SD_F_STR &&
             !*(char **)((char *)&req->args + sd_args_fields[i].offset)))
            rc = sd_fault_set(fault, SD_EMISSING, "args.%s: required by %s", sd_args_fields[i].name,
                              spec->name);
done:
    sd_mp_doc_destroy(&doc);
    return rc;
}

void sd_request_encode(const sd_request_t *req, sd_mp_writer_t *w)
{
    uint32_t pairs = 0;
    for (uint64_t m = req->present; m; m &= m - 1)
        pairs++;
    sd_mp_map(w, 4);
    sd_mp_str(w, "v");
    sd_mp_u64(w, SD_PROTO_VERSION);
    sd_mp_str(w, "id");
    sd_mp_u64(w, req->id);
    sd_mp_str(w, "op");
    sd_mp_str(w, sd_req_op_name(req->op));
    sd_mp_str(w, "args");
    sd_mp_map(w, pairs);
    sd_fields_encode(sd_args_fields, sd_args_field_count, &req->args, req->present, w);
}

static void s_reply_head(sd_mp_writer_t *w, uint64_t id, bool ok)
{
    sd_mp_map(w, 4);
    sd_mp_str(w, "v");
    sd_mp_u64(w, SD_PROTO_VERSION);
    sd_mp_str(w, "id");
    sd_mp_u64(w, id);
    sd_mp_str(w, "ok");
    sd_mp_bool(w, ok);
    sd_mp_str(w, ok ? "result" : "error");
}

void sd_reply_ok_begin(sd_mp_writer_t *w, uint64_t id)
{
    s_reply_head(w, id, true);
}

void sd_reply_error(sd_mp_writer_t *w, uint64_t id, int code, const char *message)
{
    s_reply_head(w, id, false);
    sd_mp_map(w, 2);
    sd_mp_str(w, "code");
    sd_mp_str(w, sd_error_name(code));
    sd_mp_str(w, "message");
    sd_mp_str(w, message ? message : sd_strerror(code));
}

int sd_reply_decode(const void *buf, size_t len, sd_reply_t *reply)
{
    memset(reply, 0, sizeof *reply);
    int rc = sd_mp_doc_parse(buf, len, &reply->doc);
    if (rc)
        return rc;
    const sd_mp_node_t *root = sd_mp_doc_root(reply->doc);
    const sd_mp_node_t *ok = sd_mp_get(root, "ok"), *id = sd_mp_get(root, "id");
    if (!ok || sd_mp_boolean(ok, &reply->ok) || !id || sd_mp_uint(id, &reply->id))
        goto bad;
    if (reply->ok) {
        reply->result = sd_mp_get(root, "result");
        if (!reply->result)
            goto bad;
        return 0;
    }
    const sd_mp_node_t *err = sd_mp_get(root, "error");
    const sd_mp_node_t *code = err ? sd_mp_get(err, "code") : NULL;
    const sd_mp_node_t *msg = err ? sd_mp_get(err, "message") : NULL;
    size_t clen, mlen;
    const char *cs = code ? sd_mp_bytes(code, &clen) : NULL;
    const char *ms = msg ? sd_mp_bytes(msg, &mlen) : NULL;
    if (!cs || !ms)
        goto bad;
    char name[32];
    snprintf(name, sizeof name, "%.*s", (int)clen, cs);
    reply->code = sd_error_from_name(name);
    snprintf(reply->message, sizeof reply->message, "%.*s", (int)mlen, ms);
    return 0;
bad:
    sd_mp_doc_destroy(&reply->doc);
    return SD_EMSGPACK;
}

void sd_reply_clear(sd_reply_t *reply)
{
    if (reply)
        sd_mp_doc_destroy(&reply->doc);
}
