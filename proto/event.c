/* event.c - msgpack form of ticket events, with strict validation. */
#include "event.h"

#include "error.h"

#include <stdlib.h>
#include <string.h>

static const char *const s_op_names[SD_OP_COUNT_] = {
    "create", "ack",    "assign",  "start",  "pending",  "resolve",  "close",
    "reopen", "cancel", "comment", "update", "handover", "escalate", "sla",
};

const char *sd_op_name(int op)
{
    return op >= 0 && op < SD_OP_COUNT_ ? s_op_names[op] : "?";
}

void sd_event_clear(sd_event_t *ev)
{
    if (!ev)
        return;
    sd_ticket_clear(&ev->fields);
    free(ev->comment.author);
    free(ev->comment.body);
    memset(ev, 0, sizeof *ev);
}

bool sd_site_valid(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > SD_SITE_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

void sd_event_encode(const sd_event_t *ev, sd_mp_writer_t *w)
{
    sd_mp_map(w, 9);
    sd_mp_str(w, "v");
    sd_mp_u64(w, SD_PROTO_VERSION);
    sd_mp_str(w, "origin");
    sd_mp_str(w, ev->origin);
    sd_mp_str(w, "seq");
    sd_mp_u64(w, ev->seq);
    sd_mp_str(w, "hlc");
    sd_mp_u64(w, ev->hlc);
    sd_mp_str(w, "entity");
    sd_mp_str(w, "ticket");
    sd_mp_str(w, "key");
    sd_mp_str(w, ev->key);
    sd_mp_str(w, "op");
    sd_mp_str(w, sd_op_name(ev->op));
    sd_mp_str(w, "author");
    sd_mp_str(w, ev->author);
    sd_mp_str(w, "fields");
    if (ev->op == SD_OP_COMMENT) {
        sd_mp_map(w, 2);
        sd_mp_str(w, "body");
        sd_mp_str(w, ev->comment.body);
        sd_mp_str(w, "public");
        sd_mp_bool(w, ev->comment.public_reply);
    } else {
        uint32_t pairs = 0;
        for (uint64_t m = ev->mask; m; m &= m - 1)
            pairs++;
        sd_mp_map(w, pairs);
        sd_fields_encode(sd_ticket_fields, sd_ticket_field_count, &ev->fields, ev->mask, w);
    }
}

/* The envelope of an event, checked by a table; `fields` is decoded after
 * it, by the table its op calls for. */
typedef struct {
    uint64_t v;                 /* protocol version */
    char *origin;               /* site id */
    uint64_t seq;               /* sequence */
    uint64_t hlc;               /* clock */
    int entity;                 /* only "ticket" so far */
    char *key;                  /* ticket id */
    char *op;                   /* operation name */
    char *author;               /* who */
    const sd_mp_node_t *fields; /* the changed fields, decoded by op */
} s_envelope_t;

static const char *const s_entity_names[] = {"ticket"};

#define EOFF(m) offsetof(s_envelope_t, m)
#define REQ     SD_F_REQUIRED
static const sd_field_t s_envelope_fields[] = {
    {"v", SD_F_U64, REQ, 0, EOFF(v), 0, 0, NULL},
    {"origin", SD_F_STR, REQ | SD_F_LINE, 0, EOFF(origin), 0, SD_SITE_MAX, NULL},
    {"seq", SD_F_U64, REQ, 0, EOFF(seq), 0, 0, NULL},
    {"hlc", SD_F_U64, REQ, 0, EOFF(hlc), 0, 0, NULL},
    {"entity", SD_F_ENUM, REQ, 0, EOFF(entity), 0, 1, s_entity_names},
    {"key", SD_F_STR, REQ | SD_F_LINE | SD_F_NONEMPTY, 0, EOFF(key), 0, SD_ID_MAX, NULL},
    {"op", SD_F_STR, REQ | SD_F_LINE, 0, EOFF(op), 0, 16, NULL},
    {"author", SD_F_STR, REQ | SD_F_LINE | SD_F_NONEMPTY, 0, EOFF(author), 0, SD_NAME_MAX, NULL},
    {"fields", SD_F_NODE, REQ, 0, EOFF(fields), 0, 0, NULL},
};
#define ENVELOPE_COUNT (sizeof s_envelope_fields / sizeof s_envelope_fields[0])

#define COFF(m) offsetof(sd_comment_t, m)
static const sd_field_t s_comment_fields[] = {
    {"body", SD_F_STR, REQ | SD_F_NONEMPTY, 0, COFF(body), 0, SD_COMMENT_MAX, NULL},
    {"public", SD_F_BOOL, REQ, 0, COFF(public_reply), 0, 0, NULL},
};

/* A register is the unit of a write: carrying part of one is an error. */
static int s_check_registers(uint64_t mask, sd_fault_t *fault)
{
    for (int r = 0; r < SD_REG_COUNT_; r++) {
        uint64_t reg = sd_ticket_register_mask(r);
        if ((mask & reg) && (mask & reg) != reg) {
            for (size_t i = 0; i < sd_ticket_field_count; i++)
                if ((reg & (1ull << i)) && !(mask & (1ull << i)))
                    return sd_fault_set(fault, SD_EMISSING,
                                        "event.fields.%s: required with the other fields of "
                                        "its register",
                                        sd_ticket_fields[i].name);
        }
    }
    return 0;
}

static int s_op_value(const char *name)
{
    for (int i = 0; i < SD_OP_COUNT_; i++)
        if (strcmp(s_op_names[i], name) == 0)
            return i;
    return -1;
}

int sd_event_decode_node(const sd_mp_node_t *map, sd_event_t *ev, sd_fault_t *fault)
{
    s_envelope_t env = {0};
    uint64_t present = 0;
    int rc =
        sd_fields_decode(s_envelope_fields, ENVELOPE_COUNT, map, "event", &env, &present, fault);
    if (rc)
        goto done;
    if (env.v != SD_PROTO_VERSION) {
        rc = sd_fault_set(fault, SD_EVERSION, "event.v: version %llu is not supported (want %d)",
                          (unsigned long long)env.v, SD_PROTO_VERSION);
        goto done;
    }
    if (!sd_site_valid(env.origin)) {
        rc = sd_fault_set(fault, SD_ERANGE, "event.origin: not a valid site id");
        goto done;
    }
    if (env.seq == 0) {
        rc = sd_fault_set(fault, SD_ERANGE, "event.seq: must be 1 or more");
        goto done;
    }
    if ((ev->op = s_op_value(env.op)) < 0) {
        rc = sd_fault_set(fault, SD_EUNKNOWN_OP, "event.op: unknown operation");
        goto done;
    }
    strcpy(ev->origin, env.origin);
    strcpy(ev->key, env.key);
    strcpy(ev->author, env.author);
    ev->seq = env.seq;
    ev->hlc = env.hlc;
    if (ev->op == SD_OP_COMMENT) {
        rc = sd_fields_decode(s_comment_fields, 2, env.fields, "event.fields", &ev->comment,
                              &present, fault);
    } else {
        rc = sd_fields_decode(sd_ticket_fields, sd_ticket_field_count, env.fields, "event.fields",
                              &ev->fields, &ev->mask, fault);
        rc = rc ?: s_check_registers(ev->mask, fault);
    }
done:
    sd_fields_free(s_envelope_fields, ENVELOPE_COUNT, &env, ~0ull);
    if (rc)
        sd_event_clear(ev);
    return rc;
}

int sd_event_decode(const void *buf, size_t len, sd_event_t *ev, sd_fault_t *fault)
{
    if (len > SD_MESSAGE_MAX)
        return sd_fault_set(fault, SD_ETOOBIG, "event: %zu bytes (max %d)", len, SD_MESSAGE_MAX);
    sd_mp_doc_t *doc = NULL;
    int rc = sd_mp_doc_parse(buf, len, &doc);
    if (rc)
        return sd_fault_set(fault, rc, "event: %s", sd_strerror(rc));
    rc = sd_event_decode_node(sd_mp_doc_root(doc), ev, fault);
    sd_mp_doc_destroy(&doc);
    return rc;
}
