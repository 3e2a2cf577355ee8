/* event.c - msgpack form of events of any record kind, with strict validation. */
#include "event.h"

#include "error.h"
#include "record.h"

#include <stdlib.h>
#include <string.h>

int sd_event_start(sd_event_t *ev, const sd_kind_t *kind, int op)
{
    ev->kind = kind;
    ev->op = op;
    if (!ev->fields && !(ev->fields = sd_record_new(kind)))
        goto nomem;
    if (op == kind->set_op && !ev->item && !(ev->item = calloc(1, kind->item_size)))
        goto nomem;
    return 0;
nomem:
    sd_event_clear(ev);
    return SD_ENOMEM;
}

const char *sd_event_op_name(const sd_event_t *ev)
{
    return sd_kind_op_name(ev->kind, ev->op);
}

void sd_event_clear(sd_event_t *ev)
{
    if (!ev)
        return;
    if (ev->kind) {
        sd_record_destroy(ev->kind, &ev->fields);
        if (ev->item && ev->kind->item_clear)
            ev->kind->item_clear(ev->item);
    }
    free(ev->item);
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

static uint32_t s_count(uint64_t mask)
{
    uint32_t n = 0;
    for (; mask; mask &= mask - 1)
        n++;
    return n;
}

static void s_encode(const sd_event_t *ev, bool with_sig, sd_mp_writer_t *w)
{
    const sd_kind_t *k = ev->kind;
    bool sig = sd_event_signed(ev);
    sd_mp_map(w, 9 + (sig ? 2 : 0) + (sig && with_sig ? 1 : 0));
    sd_mp_str(w, "v");
    sd_mp_u64(w, SD_PROTO_VERSION);
    sd_mp_str(w, "origin");
    sd_mp_str(w, ev->origin);
    sd_mp_str(w, "seq");
    sd_mp_u64(w, ev->seq);
    sd_mp_str(w, "hlc");
    sd_mp_u64(w, ev->hlc);
    sd_mp_str(w, "entity");
    sd_mp_str(w, k->name);
    sd_mp_str(w, "key");
    sd_mp_str(w, ev->key);
    sd_mp_str(w, "op");
    sd_mp_str(w, sd_event_op_name(ev));
    sd_mp_str(w, "author");
    sd_mp_str(w, ev->author);
    sd_mp_str(w, "fields");
    if (ev->op == k->set_op) {
        uint64_t present = sd_fields_present(k->item_fields, k->nitem_fields, ev->item);
        sd_mp_map(w, s_count(present));
        sd_fields_encode(k->item_fields, k->nitem_fields, ev->item, present, w);
    } else {
        sd_mp_map(w, s_count(ev->mask));
        sd_fields_encode(k->fields, k->nfields, ev->fields, ev->mask, w);
    }
    if (!sig)
        return;
    sd_mp_str(w, "prev");
    sd_mp_str(w, ev->prev);
    sd_mp_str(w, "kid");
    sd_mp_str(w, ev->kid);
    if (with_sig) {
        sd_mp_str(w, "sig");
        sd_mp_str(w, ev->sig);
    }
}

void sd_event_encode(const sd_event_t *ev, sd_mp_writer_t *w)
{
    s_encode(ev, true, w);
}

void sd_event_encode_unsigned(const sd_event_t *ev, sd_mp_writer_t *w)
{
    s_encode(ev, false, w);
}

/* The envelope of an event, checked by a table; `fields` is decoded after it, by the table its
 * kind and op call for. */
typedef struct {
    uint64_t v;                 /* protocol version */
    char *origin;               /* site id */
    uint64_t seq;               /* sequence */
    uint64_t hlc;               /* clock */
    char *entity;               /* record kind */
    char *key;                  /* record id */
    char *op;                   /* operation name */
    char *author;               /* who */
    const sd_mp_node_t *fields; /* the changed fields, decoded by kind and op */
    char *prev, *kid, *sig;     /* a signed event's chain link, key id and signature */
} s_envelope_t;

#define EOFF(m) offsetof(s_envelope_t, m)
#define REQ     SD_F_REQUIRED
static const sd_field_t s_envelope_fields[] = {
    {"v", SD_F_U64, REQ, 0, EOFF(v), 0, 0, NULL},
    {"origin", SD_F_STR, REQ | SD_F_LINE, 0, EOFF(origin), 0, SD_SITE_MAX, NULL},
    {"seq", SD_F_U64, REQ, 0, EOFF(seq), 0, 0, NULL},
    {"hlc", SD_F_U64, REQ, 0, EOFF(hlc), 0, 0, NULL},
    {"entity", SD_F_STR, REQ | SD_F_LINE | SD_F_NONEMPTY, 0, EOFF(entity), 0, 32, NULL},
    {"key", SD_F_STR, REQ | SD_F_LINE | SD_F_NONEMPTY, 0, EOFF(key), 0, SD_ID_MAX, NULL},
    {"op", SD_F_STR, REQ | SD_F_LINE, 0, EOFF(op), 0, 16, NULL},
    {"author", SD_F_STR, REQ | SD_F_LINE | SD_F_NONEMPTY, 0, EOFF(author), 0, SD_NAME_MAX, NULL},
    {"fields", SD_F_NODE, REQ, 0, EOFF(fields), 0, 0, NULL},
    {"prev", SD_F_STR, SD_F_LINE, 0, EOFF(prev), 0, SD_EVENT_HASH_HEX, NULL},
    {"kid", SD_F_STR, SD_F_LINE, 0, EOFF(kid), 0, SD_EVENT_KID_HEX, NULL},
    {"sig", SD_F_STR, SD_F_LINE, 0, EOFF(sig), 0, SD_EVENT_SIG_HEX, NULL},
};
#define ENVELOPE_COUNT (sizeof s_envelope_fields / sizeof s_envelope_fields[0])

/* A register is the unit of a write: carrying part of one is an error. */
static int s_check_registers(const sd_kind_t *k, uint64_t mask, sd_fault_t *fault)
{
    for (int r = 0; r < k->nregisters; r++) {
        uint64_t reg = sd_kind_register_mask(k, r);
        if ((mask & reg) && (mask & reg) != reg) {
            for (size_t i = 0; i < k->nfields; i++)
                if ((reg & (1ull << i)) && !(mask & (1ull << i)))
                    return sd_fault_set(fault, SD_EMISSING,
                                        "event.fields.%s: required with the other fields of "
                                        "its register",
                                        k->fields[i].name);
        }
    }
    return 0;
}

/* True when s is exactly len lower-case hex digits. */
static bool s_hex(const char *s, size_t len)
{
    if (strlen(s) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* Checks the envelope's values and copies them into ev. */
static int s_take_envelope(const s_envelope_t *env, sd_event_t *ev, sd_fault_t *fault)
{
    if (env->v != SD_PROTO_VERSION)
        return sd_fault_set(fault, SD_EVERSION, "event.v: version %llu is not supported (want %d)",
                            (unsigned long long)env->v, SD_PROTO_VERSION);
    if (!sd_site_valid(env->origin))
        return sd_fault_set(fault, SD_ERANGE, "event.origin: not a valid site id");
    if (env->seq == 0)
        return sd_fault_set(fault, SD_ERANGE, "event.seq: must be 1 or more");
    const sd_kind_t *k = sd_kind_find(env->entity, strlen(env->entity));
    if (!k)
        return sd_fault_set(fault, SD_ERANGE, "event.entity: unknown record kind");
    int op = sd_kind_op(k, env->op);
    if (op < 0)
        return sd_fault_set(fault, SD_EUNKNOWN_OP, "event.op: unknown operation");
    if (sd_event_start(ev, k, op) != 0)
        return sd_fault_set(fault, SD_ENOMEM, "out of memory");
    int n = !!env->prev + !!env->kid + !!env->sig;
    if (n != 0 && (n != 3 || !s_hex(env->prev, SD_EVENT_HASH_HEX) ||
                   !s_hex(env->kid, SD_EVENT_KID_HEX) || !s_hex(env->sig, SD_EVENT_SIG_HEX)))
        return sd_fault_set(fault, SD_ERANGE,
                            "event: prev (64), kid (16) and sig (128 hex digits) go together");
    strcpy(ev->origin, env->origin);
    strcpy(ev->key, env->key);
    strcpy(ev->author, env->author);
    if (n) {
        strcpy(ev->prev, env->prev);
        strcpy(ev->kid, env->kid);
        strcpy(ev->sig, env->sig);
    }
    ev->seq = env->seq;
    ev->hlc = env->hlc;
    return 0;
}

int sd_event_decode_node(const sd_mp_node_t *map, sd_event_t *ev, sd_fault_t *fault)
{
    s_envelope_t env = {0};
    uint64_t present = 0;
    int rc =
        sd_fields_decode(s_envelope_fields, ENVELOPE_COUNT, map, "event", &env, &present, fault);
    rc = rc ?: s_take_envelope(&env, ev, fault);
    if (!rc && ev->op == ev->kind->set_op) {
        rc = sd_fields_decode(ev->kind->item_fields, ev->kind->nitem_fields, env.fields,
                              "event.fields", ev->item, &present, fault);
    } else if (!rc) {
        rc = sd_fields_decode(ev->kind->fields, ev->kind->nfields, env.fields, "event.fields",
                              ev->fields, &ev->mask, fault);
        rc = rc ?: s_check_registers(ev->kind, ev->mask, fault);
    }
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
