/* request.h - client requests and replies (the protocol of proto/PROTOCOL.md).
 *
 * A request is {"v":1, "id":N, "op":"ticket.new", "args":{...}}, plus "auth":TOKEN from a
 * client that is not on the node's ipc socket, "if_match":VERSION on a write to an existing
 * record and "idempotency_key":KEY on a create (PROTOCOL.md section 2). Every
 * operation is declared once, in proto/ops.def: its wire name, whether it
 * writes, the argument group it takes its arguments from (proto/args.h) and
 * which of them it requires and accepts, so "unknown argument" and "missing
 * argument" are checked in one place. */
#ifndef SD_REQUEST_H
#define SD_REQUEST_H

#include "args.h"
#include "kind.h"
#include "sizes.h"
#include "mp.h"

#include <stdbool.h>
#include <stdint.h>

/* The operations, in the order of proto/ops.def. */
typedef enum {
#define SD_REQ_OP(id, wire, rw, kind, group, required, optional, handler) SD_REQ_##id,
#include "ops.def"
#undef SD_REQ_OP
    SD_REQ_COUNT_
} sd_req_op_t;

/* What proto/ops.def says about one operation. */
typedef struct {
    const char *name;      /* wire name, "ticket.new" */
    bool writes;           /* goes through a write transaction and makes an event */
    bool creates;          /* a write that makes a new record (else its "id" argument names it) */
    const sd_kind_t *kind; /* the kind of record it reads or writes; NULL for none */
    int group;             /* sd_args_group_t its arguments come from */
    uint64_t required;     /* bits (the group's enum) of the arguments it must have */
    uint64_t optional;     /* bits of the arguments it may have */
} sd_req_spec_t;

typedef struct {
    uint64_t id;           /* request id, echoed in the reply (0 when absent) */
    int op;                /* sd_req_op_t; set before any argument */
    sd_args_t args;        /* arguments: the member of op's group */
    uint64_t present;      /* bit i: argument i of op's group (its enum) was given */
    char *token;           /* "auth": an API or session token proving who asks (heap), or NULL */
    char *if_match;        /* "if_match": a record version (32 hex digits) a WRITE needs, or NULL */
    char *idempotency_key; /* "idempotency_key": a CREATE's retry key (heap), or NULL */
} sd_request_t;

#define SD_IDEMPOTENCY_KEY_MAX 128 /* bytes of printable ASCII */
#define SD_VERSION_HEX         32  /* hex digits of a record version (digest.h) */

/* The spec of op, or NULL when op is not an sd_req_op_t. Static storage. */
const sd_req_spec_t *sd_req_spec(int op);
/* Wire name of an operation ("ticket.new"), or "?". */
const char *sd_req_op_name(int op);
/* Operation for a wire name, or -1. */
int sd_req_op_value(const char *name);
/* True when op changes the store (and so goes through a write transaction). */
bool sd_req_op_writes(int op);
/* The field table of op's argument group into *fields (NULL for none);
 * returns its entry count, 0 for an op without arguments or out of range. */
size_t sd_req_op_fields(int op, const sd_field_t **fields);
/* Index (the group's enum) of the argument named name of op's group, or -1.
 * For the CLI and tests, which have names; code uses the enum. */
int sd_req_arg_find(int op, const char *name);

/* True when argument arg (the enum of req->op's group, e.g.
 * SD_ARG_TICKET_TITLE) was given. */
static inline bool sd_request_has(const sd_request_t *req, int arg)
{
    return arg >= 0 && arg < 64 && (req->present & (1ull << arg));
}

/* The record id an op on an existing record names: its group's "id" argument (the first of
 * every record kind's group), or NULL when the op has no record or none was given. Borrowed
 * from req. */
const char *sd_request_record_id(const sd_request_t *req);

/* Sets argument arg of req->op's group from command-line text
 * (sd_field_parse) and marks it present; a value given before is replaced.
 * Returns 0, SD_EUNKNOWN_FIELD when the group has no such argument, or the
 * parse error (fault says why, with "--NAME:"; fault may be NULL). */
int sd_request_set(sd_request_t *req, int arg, const char *text, sd_fault_t *fault);

/* Decodes a request from buf[0..len); req must be zeroed. On error req->id is
 * still set when the envelope got that far, so the reply can echo it, and
 * req must still be cleared. The order of the checks is PROTOCOL.md section 3.
 * Errors: those of sd_mp_doc_parse and sd_field_decode, SD_ETYPE,
 * SD_EDUPLICATE (a key given twice), SD_EVERSION, SD_EUNKNOWN_OP,
 * SD_EUNKNOWN_FIELD (an unknown key, or an argument the op does not take),
 * SD_EMISSING (v, op, or an argument the op requires), SD_ERANGE (a malformed if_match or
 * idempotency_key), SD_EINVAL (if_match on an op that is no WRITE, idempotency_key on one that
 * is no CREATE). */
int sd_request_decode(const void *buf, size_t len, sd_request_t *req, sd_fault_t *fault);

/* Writes a request; only the arguments in req->present are sent. */
void sd_request_encode(const sd_request_t *req, sd_mp_writer_t *w);

/* Frees what the request owns and zeroes it; NULL-safe. */
void sd_request_clear(sd_request_t *req);

/* Reply envelopes. A success reply is written in two steps:
 * sd_reply_ok_begin() then exactly one msgpack object (the result). */
void sd_reply_ok_begin(sd_mp_writer_t *w, uint64_t id);
void sd_reply_error(sd_mp_writer_t *w, uint64_t id, int code, const char *message);
/* An error reply whose error map has a third key, "allowed": the verbs allowed (a ticket's
 * bad_transition), given as one string of names separated by ", " ("" or a text without a
 * name, "nothing (...)", is an empty array). */
void sd_reply_error_allowed(sd_mp_writer_t *w, uint64_t id, int code, const char *message,
                            const char *allowed);

/* A decoded reply, as a client sees it. */
typedef struct {
    sd_mp_doc_t *doc;           /* owns everything below */
    uint64_t id;                /* echoed request id */
    bool ok;                    /* success? */
    const sd_mp_node_t *result; /* ok: the result object */
    int code;                   /* !ok: SD_E* code from the wire name */
    char message[SD_NOTE_MAX];  /* !ok: the node's one-line reason */
    bool has_allowed;           /* !ok: the error had "allowed" (a ticket's bad_transition) */
    char allowed[256];          /* ... its verbs joined by ", " ("" when none) */
} sd_reply_t;

/* Parses a reply. Returns 0, or a parse error for a malformed reply. */
int sd_reply_decode(const void *buf, size_t len, sd_reply_t *reply);
void sd_reply_clear(sd_reply_t *reply);

#endif
