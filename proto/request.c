/* request.c - client requests and replies: the op table from ops.def, strict decoding, encoding. */
#include "request.h"

#include "error.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SD_REQ_RW_READ   false, false
#define SD_REQ_RW_WRITE  true, false
#define SD_REQ_RW_CREATE true, true

static const sd_req_spec_t s_ops[SD_REQ_COUNT_] = {
#define SD_REQ_OP(id, wire, rw, kind, group, required, optional, handler)                          \
    [SD_REQ_##id] = {wire, SD_REQ_RW_##rw, kind, SD_ARGS_##group, required, optional},
#include "ops.def"
#undef SD_REQ_OP
};

/* An op takes only arguments of its own group, and none both required and optional. */
#define SD_REQ_OP(id, wire, rw, kind, group, required, optional, handler)                          \
    _Static_assert((((required) | (optional)) & ~SD_ARGS_MASK(group)) == 0,                        \
                   wire ": an argument outside its group");                                        \
    _Static_assert(((required) & (optional)) == 0, wire ": an argument both required and "         \
                                                        "optional");
#include "ops.def"
#undef SD_REQ_OP

const char *sd_request_record_id(const sd_request_t *req)
{
    const sd_field_t *fields;
    const sd_req_spec_t *spec = sd_req_spec(req->op);
    if (!spec || !spec->kind || sd_req_op_fields(req->op, &fields) == 0 ||
        strcmp(fields[0].name, "id") != 0 || !(req->present & 1))
        return NULL;
    return *(char *const *)((const char *)&req->args + fields[0].offset);
}

const sd_req_spec_t *sd_req_spec(int op)
{
    return op >= 0 && op < SD_REQ_COUNT_ ? &s_ops[op] : NULL;
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

size_t sd_req_op_fields(int op, const sd_field_t **fields)
{
    const sd_args_group_spec_t *g =
        op >= 0 && op < SD_REQ_COUNT_ ? sd_args_group(s_ops[op].group) : NULL;
    *fields = g ? g->fields : NULL;
    return g ? g->count : 0;
}

int sd_req_arg_find(int op, const char *name)
{
    const sd_field_t *fields;
    size_t n = sd_req_op_fields(op, &fields);
    return n ? sd_fields_find(fields, n, name) : -1;
}

int sd_request_set(sd_request_t *req, int arg, const char *text, sd_fault_t *fault)
{
    const sd_field_t *fields;
    size_t n = sd_req_op_fields(req->op, &fields);
    if (arg < 0 || (size_t)arg >= n)
        return sd_fault_set(fault, SD_EUNKNOWN_FIELD, "no such argument of %s",
                            sd_req_op_name(req->op));
    int rc = sd_field_parse(&fields[arg], text, &req->args, fault);
    if (!rc)
        req->present |= 1ull << arg;
    return rc;
}

void sd_request_clear(sd_request_t *req)
{
    if (!req)
        return;
    const sd_field_t *fields;
    size_t n = sd_req_op_fields(req->op, &fields);
    if (n)
        sd_fields_free(fields, n, &req->args, ~0ull);
    free(req->token);
    free(req->if_match);
    free(req->idempotency_key);
    memset(req, 0, sizeof *req);
}

/* Where a received argument name belongs when op's group lacks it: the
 * first other group that has it, with its index there; -1 when none does. */
static int s_other_group(int own, const char *name, size_t len, int *idx)
{
    for (int g = 0; g < SD_ARGS_COUNT_; g++) {
        const sd_args_group_spec_t *spec = sd_args_group(g);
        if (g != own && spec->count &&
            (*idx = sd_fields_find_bytes(spec->fields, spec->count, name, len)) >= 0)
            return g;
    }
    return -1;
}

/* Decodes args (each key in message order) into req, whose op is set. A
 * name of another op's group is checked as that group would (type, limits,
 * given twice) and then refused as "not an argument of" the op, so that a
 * misplaced argument reads differently from an unknown one. */
static int s_decode_args(const sd_mp_node_t *args, sd_request_t *req, sd_fault_t *fault)
{
    const sd_req_spec_t *spec = &s_ops[req->op];
    const sd_args_group_spec_t *own = sd_args_group(spec->group);
    uint64_t elsewhere[SD_ARGS_COUNT_] = {0}; /* per other group: the arguments given */
    const char *misplaced = NULL;             /* the first of them, for the message */
    if (sd_mp_kind(args) != SD_MP_MAP)
        return sd_fault_set(fault, SD_ETYPE, "args: expected a map");
    for (size_t i = 0; i < sd_mp_len(args); i++) {
        const sd_mp_node_t *key = sd_mp_key(args, i), *val = sd_mp_val(args, i);
        size_t len;
        const char *name = sd_mp_bytes(key, &len);
        if (sd_mp_kind(key) != SD_MP_STR)
            return sd_fault_set(fault, SD_ETYPE, "args: map keys must be strings");
        int g = spec->group,
            idx = own->count ? sd_fields_find_bytes(own->fields, own->count, name, len) : -1;
        uint64_t *seen = &req->present;
        sd_args_t other = {0}, *into = &req->args;
        if (idx < 0) {
            if (len == 6 && memcmp(name, "author", 6) == 0)
                return sd_fault_set(fault, SD_EUNKNOWN_FIELD,
                                    "args.author: not accepted; the node records the "
                                    "authenticated caller as the author");
            if ((g = s_other_group(spec->group, name, len, &idx)) < 0) {
                char shown[SD_FIELD_QUOTE_MAX];
                sd_field_quote(shown, name, len);
                return sd_fault_set(fault, SD_EUNKNOWN_FIELD, "args: unknown field '%s'", shown);
            }
            seen = &elsewhere[g];
            into = &other;
        }
        const sd_field_t *f = &sd_args_group(g)->fields[idx];
        if (*seen & (1ull << idx))
            return sd_fault_set(fault, SD_EDUPLICATE, "args.%s: given twice", f->name);
        int rc = sd_field_decode(f, val, "args", into, fault);
        if (into == &other)
            sd_fields_free(f, 1, &other, 1);
        if (rc)
            return rc;
        *seen |= 1ull << idx;
        if (into == &other && !misplaced)
            misplaced = f->name;
    }
    /* Before "missing": a misspelt name also shows up as a missing one. The
     * op's own group first, in its table order; then other groups' names. */
    uint64_t stray = req->present & ~(spec->required | spec->optional);
    if (stray)
        misplaced = own->fields[__builtin_ctzll(stray)].name;
    if (misplaced)
        return sd_fault_set(fault, SD_EUNKNOWN_FIELD, "args.%s: not an argument of %s", misplaced,
                            spec->name);
    return 0;
}

/* The envelope's "auth": a token, one line. */
static const sd_field_t s_auth_field = {
    "auth",       SD_F_STR, SD_F_LINE | SD_F_NONEMPTY, 0, offsetof(sd_request_t, token), 0,
    SD_TOKEN_MAX, NULL};

/* "if_match": a record version; "idempotency_key": a create's retry key. */
static const sd_field_t s_if_match_field = {
    "if_match",     SD_F_STR, SD_F_LINE | SD_F_NONEMPTY, 0, offsetof(sd_request_t, if_match), 0,
    SD_VERSION_HEX, NULL};
static const sd_field_t s_idem_field = {"idempotency_key",
                                        SD_F_STR,
                                        SD_F_LINE | SD_F_NONEMPTY,
                                        0,
                                        offsetof(sd_request_t, idempotency_key),
                                        0,
                                        SD_IDEMPOTENCY_KEY_MAX,
                                        NULL};

/* The envelope's if_match and idempotency_key: their values (after auth), or, with
 * `applies` set (after args), whether the op takes them: if_match a WRITE on an existing
 * record, idempotency_key a CREATE. */
static int s_decode_conditions(const sd_mp_node_t *if_match, const sd_mp_node_t *idem,
                               sd_request_t *req, bool applies, sd_fault_t *fault)
{
    const sd_req_spec_t *spec = &s_ops[req->op];
    if (applies) {
        if (req->if_match && (!spec->writes || spec->creates))
            return sd_fault_set(fault, SD_EINVAL,
                                "request.if_match: only on a write to an existing record (%s %s)",
                                spec->name, spec->writes ? "creates one" : "does not write");
        if (req->idempotency_key && !spec->creates)
            return sd_fault_set(fault, SD_EINVAL,
                                "request.idempotency_key: only on an op that creates a record "
                                "(%s does not)",
                                spec->name);
        return 0;
    }
    int rc = 0;
    if (if_match && (rc = sd_field_decode(&s_if_match_field, if_match, "request", req, fault)))
        return rc;
    if (req->if_match) {
        size_t n = strspn(req->if_match, "0123456789abcdef");
        if (n != SD_VERSION_HEX || req->if_match[n])
            return sd_fault_set(fault, SD_ERANGE,
                                "request.if_match: a record version is %d lower-case hex digits",
                                SD_VERSION_HEX);
    }
    if (idem && (rc = sd_field_decode(&s_idem_field, idem, "request", req, fault)))
        return rc;
    for (const char *c = req->idempotency_key; c && *c; c++)
        if (*c < 0x20 || *c > 0x7e)
            return sd_fault_set(fault, SD_ERANGE,
                                "request.idempotency_key: printable ASCII only (bytes 0x20-0x7e)");
    return 0;
}

int sd_request_decode(const void *buf, size_t len, sd_request_t *req, sd_fault_t *fault)
{
    sd_mp_doc_t *doc = NULL;
    int rc = sd_mp_doc_parse(buf, len, &doc);
    if (rc)
        return sd_fault_set(fault, rc, "request: %s", sd_strerror(rc));
    const sd_mp_node_t *root = sd_mp_doc_root(doc);
    const sd_mp_node_t *v = NULL, *id = NULL, *op = NULL, *args = NULL, *auth = NULL,
                       *if_match = NULL, *idem = NULL;
    if (sd_mp_kind(root) != SD_MP_MAP) {
        rc = sd_fault_set(fault, SD_ETYPE, "request: expected a map");
        goto done;
    }
    for (size_t i = 0; i < sd_mp_len(root); i++) {
        const sd_mp_node_t *k = sd_mp_key(root, i), *val = sd_mp_val(root, i);
        static const char *const keys[] = {
            "v", "id", "op", "args", "auth", "if_match", "idempotency_key"};
        const sd_mp_node_t **slots[] = {&v, &id, &op, &args, &auth, &if_match, &idem};
        size_t which = 0;
        while (which < 7 && !sd_mp_str_eq(k, keys[which]))
            which++;
        if (which == 7) {
            size_t klen = 0;
            const char *kname = sd_mp_kind(k) == SD_MP_STR ? sd_mp_bytes(k, &klen) : "";
            char shown[SD_FIELD_QUOTE_MAX];
            sd_field_quote(shown, kname, klen);
            rc = sd_fault_set(fault, SD_EUNKNOWN_FIELD,
                              "request: unknown field '%s' (allowed: v, id, op, args, auth, "
                              "if_match, idempotency_key)",
                              shown);
            goto done;
        }
        if (*slots[which]) {
            rc = sd_fault_set(fault, SD_EDUPLICATE, "request.%s: given twice", keys[which]);
            goto done;
        }
        *slots[which] = val;
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
    if (auth && (rc = sd_field_decode(&s_auth_field, auth, "request", req, fault)) != 0)
        goto done;
    if ((rc = s_decode_conditions(if_match, idem, req, false, fault)) != 0)
        goto done;
    if (args && (rc = s_decode_args(args, req, fault)) != 0)
        goto done;
    const sd_req_spec_t *spec = &s_ops[req->op];
    const sd_field_t *fields;
    size_t n = sd_req_op_fields(req->op, &fields);
    for (size_t i = 0; i < n && !rc; i++)
        if (((spec->required & ~req->present) & (1ull << i)) ||
            ((spec->required & (1ull << i)) && fields[i].kind == SD_F_STR &&
             !*(char **)((char *)&req->args + fields[i].offset)))
            rc = sd_fault_set(fault, SD_EMISSING, "args.%s: required by %s", fields[i].name,
                              spec->name);
    rc = rc ?: s_decode_conditions(NULL, NULL, req, true, fault);
done:
    sd_mp_doc_destroy(&doc);
    return rc;
}

void sd_request_encode(const sd_request_t *req, sd_mp_writer_t *w)
{
    const sd_field_t *fields;
    size_t n = sd_req_op_fields(req->op, &fields);
    uint64_t mask = req->present & (n >= 64 ? ~0ull : (1ull << n) - 1);
    uint32_t pairs = 0;
    for (uint64_t m = mask; m; m &= m - 1)
        pairs++;
    sd_mp_map(w, 4 + !!req->token + !!req->if_match + !!req->idempotency_key);
    sd_mp_str(w, "v");
    sd_mp_u64(w, SD_PROTO_VERSION);
    sd_mp_str(w, "id");
    sd_mp_u64(w, req->id);
    if (req->token) {
        sd_mp_str(w, "auth");
        sd_mp_str(w, req->token);
    }
    if (req->if_match) {
        sd_mp_str(w, "if_match");
        sd_mp_str(w, req->if_match);
    }
    if (req->idempotency_key) {
        sd_mp_str(w, "idempotency_key");
        sd_mp_str(w, req->idempotency_key);
    }
    sd_mp_str(w, "op");
    sd_mp_str(w, sd_req_op_name(req->op));
    sd_mp_str(w, "args");
    sd_mp_map(w, pairs);
    if (n)
        sd_fields_encode(fields, n, &req->args, mask, w);
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

/* An error reply up to its error map's code and message, the map having `pairs` pairs. */
static void s_error_head(sd_mp_writer_t *w, uint64_t id, int code, const char *message,
                         uint32_t pairs)
{
    s_reply_head(w, id, false);
    sd_mp_map(w, pairs);
    sd_mp_str(w, "code");
    sd_mp_str(w, sd_error_name(code));
    sd_mp_str(w, "message");
    sd_mp_str(w, message ? message : sd_strerror(code));
}

void sd_reply_error(sd_mp_writer_t *w, uint64_t id, int code, const char *message)
{
    s_error_head(w, id, code, message, 2);
}

void sd_reply_error_allowed(sd_mp_writer_t *w, uint64_t id, int code, const char *message,
                            const char *allowed)
{
    s_error_head(w, id, code, message, 3);
    sd_mp_str(w, "allowed");
    /* Names are lower-case verbs; a text with a space in a name ("nothing (...)") is none. */
    uint32_t n = 0;
    const char *p = allowed ? allowed : "";
    bool names = p[0] && !strchr(p, '(');
    for (const char *q = p; names && *q; n++) {
        q += strcspn(q, ",");
        q += strspn(q, ", ");
    }
    sd_mp_array(w, n);
    for (const char *q = p; names && *q;) {
        size_t len = strcspn(q, ",");
        sd_mp_strn(w, q, len);
        q += len;
        q += strspn(q, ", ");
    }
}

/* The "allowed" of an error map into reply (verbs joined by ", "). */
static int s_reply_allowed(const sd_mp_node_t *allowed, sd_reply_t *reply)
{
    size_t used = 0;
    if (sd_mp_kind(allowed) != SD_MP_ARRAY)
        return SD_EMSGPACK;
    reply->has_allowed = true;
    for (size_t i = 0; i < sd_mp_len(allowed); i++) {
        size_t len;
        const char *name = sd_mp_bytes(sd_mp_at(allowed, i), &len);
        if (!name || sd_mp_kind(sd_mp_at(allowed, i)) != SD_MP_STR)
            return SD_EMSGPACK;
        int k = snprintf(reply->allowed + used, sizeof reply->allowed - used, "%s%.*s",
                         used ? ", " : "", (int)len, name);
        if (k < 0 || (size_t)k >= sizeof reply->allowed - used)
            break; /* kept whole names only; the message names them all */
        used += (size_t)k;
    }
    reply->allowed[used] = 0;
    return 0;
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
    if (reply->code == 0) /* "ok" names no error: an error reply never reads as success */
        reply->code = SD_EINVAL;
    snprintf(reply->message, sizeof reply->message, "%.*s", (int)mlen, ms);
    const sd_mp_node_t *allowed = sd_mp_get(err, "allowed");
    if (allowed && s_reply_allowed(allowed, reply) != 0)
        goto bad;
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
