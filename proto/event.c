/* event.c - msgpack form of ticket events, with strict validation. */
#include "event.h"

#include "error.h"

#include <stdlib.h>
#include <string.h>

static const char *const s_op_names[SD_OP_COUNT_] = {
    "create", "ack",    "assign", "start",   "pending", "resolve",
    "close",  "reopen", "cancel", "comment", "update",
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

/* The envelope of an event: everything but `fields`, checked by a table. */
typedef struct {
    int v;        /* protocol version */
    char *origin; /* site id */
    uint64_t seq; /* sequence */
    uint64_t hlc; /* clock */
    int entity;   /* only "ticket" so far */
    char *key;    /* ticket id */
    int op;       /* sd_op_t */
    char *author; /* who */
} s_envelope_t;

static const char *const s_entity_names[] = {"ticket"};

#define EOFF(m) offsetof(s_envelope_t, m)
static const sd_field_t s_envelope_fields[] = {
    {"v", SD_F_INT, SD_F_REQUIRED, 0, EOFF(v), 0, INT32_MAX, NULL},
    {"origin", SD_F_STR, SD_F_REQUIRED | SD_F_LINE, 0, EOFF(origin), 0, SD_SITE_MAX, NULL},
    {"seq", SD_F_U64, SD_F_REQUIRED, 0, EOFF(seq), 0, 0, NULL},
    {"hlc", SD_F_U64, SD_F_REQUIRED, 0, EOFF(hlc), 0, 0, NULL},
    {"entity", SD_F_ENUM, SD_F_REQUIRED, 0, EOFF(entity), 0, 1, s_entity_names},
    {"key", SD_F_STR, SD_F_REQUIRED | SD_F_LINE | SD_F_NONEMPTY, 0, EOFF(key), 0, SD_ID_MAX, NULL},
    {"op", SD_F_ENUM, SD_F_REQUIRED, 0, EOFF(op), 0, SD_OP_COUNT_, s_op_names},
    {"author", SD_F_STR, SD_F_REQUIRED | SD_F_LINE | SD_F_NONEMPTY, 0, EOFF(author), 0, SD_NAME_MAX,
     NULL},
    {"fields", SD_F_BOOL, SD_F_REQUIRED, 0, 0, 0, 0, NULL}, /* decoded by hand */
};
#define ENVELOPE_COUNT (sizeof s_envelope_fields / sizeof s_envelope_fields[0])

#define COFF(m) offsetof(sd_comment_t, m)
static const sd_field_t s_comment_fields[] = {
    {"body", SD_F_STR, SD_F_REQUIRED | SD_F_NONEMPTY, 0, COFF(body), 0, SD_COMMENT_MAX, NULL},
    {"public", SD_F_BOOL, SD_F_REQUIRED, 0, COFF(public_reply), 0, 0, NULL},
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

int sd_event_decode_node(const sd_mp_node_t *map, sd_event_t *ev, sd_fault_t *fault)
{
    s_envelope_t env = {0};
    uint64_t present = 0;
    int fields_seen = 0;
    const sd_mp_node_t *fields = sd_mp_get(map, "fields");
    int rc;
    /* "fields" is a map; hide it from the envelope table, which checks the rest. */
    if (sd_mp_kind(map) != SD_MP_MAP) {
        rc = sd_fault_set(fault, SD_ETYPE, "event: expected a map");
        goto fail;
    }
    if (!fields) {
        rc = sd_fault_set(fault, SD_EMISSING, "event.fields: required field missing");
        goto fail;
    }
    for (size_t i = 0; i < sd_mp_len(map); i++) {
        const sd_mp_node_t *k = sd_mp_key(map, i);
        if (sd_mp_str_eq(k, "fields")) {
            if (++fields_seen > 1) {
                rc = sd_fault_set(fault, SD_EDUPLICATE, "event.fields: given twice");
                goto fail;
            }
            continue;
        }
        size_t len;
        const char *name = sd_mp_bytes(k, &len);
        int idx = -1;
        for (size_t f = 0; name && sd_mp_kind(k) == SD_MP_STR && f + 1 < ENVELOPE_COUNT; f++)
            if (strlen(s_envelope_fields[f].name) == len &&
                memcmp(s_envelope_fields[f].name, name, len) == 0)
                idx = (int)f;
        if (idx < 0) {
            rc = sd_fault_set(fault, SD_EUNKNOWN_FIELD, "event: unknown field");
            goto fail;
        }
        if (present & (1ull << idx)) {
            rc = sd_fault_set(fault, SD_EDUPLICATE, "event.%s: given twice",
                              s_envelope_fields[idx].name);
            goto fail;
        }
        rc = sd_field_decode(&s_envelope_fields[idx], sd_mp_val(map, i), "event", &env, fault);
        if (rc == SD_ERANGE && strcmp(s_envelope_fields[idx].name, "op") == 0)
            rc = sd_fault_set(fault, SD_EUNKNOWN_OP, "event.op: unknown operation");
        if (rc)
            goto fail;
        present |= 1ull << idx;
    }
    for (size_t f = 0; f + 1 < ENVELOPE_COUNT; f++) {
        if (!(present & (1ull << f))) {
            rc = sd_fault_set(fault, SD_EMISSING, "event.%s: required field missing",
                              s_envelope_fields[f].name);
            goto fail;
        }
    }
    if (env.v != SD_PROTO_VERSION) {
        rc = sd_fault_set(fault, SD_EVERSION, "event.v: version %d is not supported (want %d)",
                          env.v, SD_PROTO_VERSION);
        goto fail;
    }
    if (!sd_site_valid(env.origin)) {
        rc = sd_fault_set(fault, SD_ERANGE, "event.origin: not a valid site id");
        goto fail;
    }
    if (env.seq == 0) {
        rc = sd_fault_set(fault, SD_ERANGE, "event.seq: must be 1 or more");
        goto fail;
    }
    strcpy(ev->origin, env.origin);
    strcpy(ev->key, env.key);
    strcpy(ev->author, env.author);
    ev->seq = env.seq;
    ev->hlc = env.hlc;
    ev->op = env.op;
    if (ev->op == SD_OP_COMMENT) {
        rc = sd_fields_decode(s_comment_fields, 2, fields, "event.fields", &ev->comment, &present,
                              fault);
    } else {
        rc = sd_fields_decode(sd_ticket_fields, sd_ticket_field_count, fields, "event.fields",
                              &ev->fields, &ev->mask, fault);
        if (!rc)
            rc = s_check_registers(ev->mask, fault);
    }
    if (rc)
        goto fail;
    sd_fields_free(s_envelope_fields, ENVELOPE_COUNT - 1, &env, ~0ull);
    return 0;
fail:
    sd_fields_free(s_envelope_fields, ENVELOPE_COUNT - 1, &env, ~0ull);
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
