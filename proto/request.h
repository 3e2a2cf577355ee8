/* request.h - client requests and replies (the protocol of proto/PROTOCOL.md).
 *
 * A request is {"v":1, "id":N, "op":"ticket.new", "args":{...}}. All arguments
 * of all operations live in one table (sd_args_t); each operation names which
 * of them it accepts and which it requires, so "unknown argument" and
 * "missing argument" are checked in one place. */
#ifndef SD_REQUEST_H
#define SD_REQUEST_H

#include "sizes.h"
#include "mp.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SD_REQ_NODE_PING,
    SD_REQ_NODE_STATUS,
    SD_REQ_NODE_DIGEST,
    SD_REQ_REPL_STATUS,
    SD_REQ_TICKET_NEW,
    SD_REQ_TICKET_GET,
    SD_REQ_TICKET_LIST,
    SD_REQ_TICKET_HISTORY,
    SD_REQ_TICKET_ACK,
    SD_REQ_TICKET_ASSIGN,
    SD_REQ_TICKET_START,
    SD_REQ_TICKET_PENDING,
    SD_REQ_TICKET_RESOLVE,
    SD_REQ_TICKET_CLOSE,
    SD_REQ_TICKET_REOPEN,
    SD_REQ_TICKET_CANCEL,
    SD_REQ_TICKET_COMMENT,
    SD_REQ_TICKET_UPDATE,
    SD_REQ_TICKET_HANDOVER,
    SD_REQ_SCHEDULE_NOW,
    SD_REQ_SCHEDULE_COVERAGE,
    SD_REQ_HANDOVER_REPORT,
    SD_REQ_COUNT_
} sd_req_op_t;

/* Every argument of every operation. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;           /* ticket id */
    char *author;       /* agent (or system) doing it */
    int type;           /* sd_ticket_type_t */
    bool major;         /* major incident */
    char *title;        /* one line */
    char *description;  /* free text */
    char *requester;    /* customer */
    int channel;        /* sd_channel_t */
    char *category;     /* category */
    int impact;         /* 1..3 */
    int urgency;        /* 1..3 */
    int tier;           /* sd_tier_t */
    char *team;         /* team */
    char *assignee;     /* agent; also a list filter */
    uint64_t reply_due; /* ack: promised reply time (Unix ms) instead of the policy's */
    int waiting_on;     /* pending: customer or vendor */
    char *reason;       /* pending, reopen, cancel: why */
    char *resolution;   /* resolve: what was done */
    int satisfaction;   /* close: 1..5 */
    char *feedback;     /* close: customer's words */
    char *body;         /* comment text */
    bool public_reply;  /* comment: to the customer (true) or internal (false) */
    int status;         /* list filter */
    int priority;       /* list filter */
    bool open;          /* list filter: only not resolved/closed/cancelled */
    int limit;          /* list: most tickets to return */
    char *after;        /* list: resume after this ticket id (paging) */
    bool follow_sun;    /* new, update: 7x24 follow-the-sun ticket */
    char *site;         /* handover: the site to hand to; report: only moves from or to it */
    char *note;         /* handover: the agent's note, put before the generated one */
    int sla;            /* list filter: sd_sla_state_t (at_risk, breached) */
    uint64_t since;     /* handover.report: only moves at or after (Unix ms) */
    uint64_t from;      /* schedule.coverage: start (Unix ms) */
    int days;           /* schedule.coverage: length in days */
} sd_args_t;

typedef struct {
    uint64_t id;      /* request id, echoed in the reply (0 when absent) */
    int op;           /* sd_req_op_t */
    sd_args_t args;   /* arguments */
    uint64_t present; /* bit i: argument sd_args_fields[i] was given */
} sd_request_t;

extern const sd_field_t sd_args_fields[];
extern const size_t sd_args_field_count;

/* Wire name of an operation ("ticket.new"), or "?". */
const char *sd_req_op_name(int op);
/* Operation for a wire name, or -1. */
int sd_req_op_value(const char *name);
/* True when op changes the store (and so goes through a write transaction). */
bool sd_req_op_writes(int op);

/* True when the argument named name was given. */
bool sd_request_has(const sd_request_t *req, const char *name);

/* Decodes a request from buf[0..len); req must be zeroed. On error req->id is
 * still set when the envelope got that far, so the reply can echo it.
 * Errors: those of sd_mp_doc_parse and sd_fields_decode, SD_EVERSION,
 * SD_EUNKNOWN_OP, SD_EUNKNOWN_FIELD (an argument the op does not take),
 * SD_EMISSING (an argument the op requires). */
int sd_request_decode(const void *buf, size_t len, sd_request_t *req, sd_fault_t *fault);

/* Writes a request; only the arguments in req->present are sent. */
void sd_request_encode(const sd_request_t *req, sd_mp_writer_t *w);

/* Frees what the request owns and zeroes it; NULL-safe. */
void sd_request_clear(sd_request_t *req);

/* Reply envelopes. A success reply is written in two steps:
 * sd_reply_ok_begin() then exactly one msgpack object (the result). */
void sd_reply_ok_begin(sd_mp_writer_t *w, uint64_t id);
void sd_reply_error(sd_mp_writer_t *w, uint64_t id, int code, const char *message);

/* A decoded reply, as a client sees it. */
typedef struct {
    sd_mp_doc_t *doc;           /* owns everything below */
    uint64_t id;                /* echoed request id */
    bool ok;                    /* success? */
    const sd_mp_node_t *result; /* ok: the result object */
    int code;                   /* !ok: SD_E* code from the wire name */
    char message[SD_NOTE_MAX];  /* !ok: the node's one-line reason */
} sd_reply_t;

/* Parses a reply. Returns 0, or a parse error for a malformed reply. */
int sd_reply_decode(const void *buf, size_t len, sd_reply_t *reply);
void sd_reply_clear(sd_reply_t *reply);

#endif
