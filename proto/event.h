/* event.h - the immutable ticket event: the unit of storage and replication.
 *
 * Every change to a ticket is an event (DESIGN 2.1). (origin, seq) names it
 * uniquely; hlc orders it. `fields` carries whole registers (see ticket.h): an
 * event that writes one field of a register writes all of them, which
 * sd_event_decode enforces, so the fold never mixes two transitions. */
#ifndef SD_EVENT_H
#define SD_EVENT_H

#include "mp.h"
#include "ticket.h"

typedef enum {
    SD_OP_CREATE,
    SD_OP_ACK,
    SD_OP_ASSIGN,
    SD_OP_START,
    SD_OP_PENDING,
    SD_OP_RESOLVE,
    SD_OP_CLOSE,
    SD_OP_REOPEN,
    SD_OP_CANCEL,
    SD_OP_COMMENT,
    SD_OP_UPDATE,
    SD_OP_HANDOVER, /* owner site changes: by the scheduler at end of duty, or by hand */
    SD_OP_ESCALATE, /* functional escalation to the next tier, by the scheduler */
    SD_OP_SLA,      /* SLA state change (at risk, breached: manager told), by the scheduler */
    SD_OP_COUNT_
} sd_op_t;

typedef struct {
    char origin[SD_SITE_MAX + 1]; /* site that created the event */
    uint64_t seq;                 /* per-origin sequence, 1, 2, 3, ... */
    uint64_t hlc;                 /* hybrid logical clock stamp */
    char key[SD_ID_MAX + 1];      /* ticket id */
    int op;                       /* sd_op_t */
    char author[SD_NAME_MAX + 1]; /* who did it */
    sd_ticket_t fields;           /* registers written; only fields in mask count */
    uint64_t mask;                /* which sd_ticket_fields the event carries */
    sd_comment_t comment;         /* SD_OP_COMMENT: body and public flag */
} sd_event_t;

/* Name of an op ("create", "ack", ...), or "?". */
const char *sd_op_name(int op);

/* Frees what the event owns and zeroes it; NULL-safe. */
void sd_event_clear(sd_event_t *ev);

/* Writes the event as one msgpack map (its wire and stored form). */
void sd_event_encode(const sd_event_t *ev, sd_mp_writer_t *w);

/* Decodes an event from buf[0..len). ev must be zeroed; on error it is
 * cleared. Errors: SD_ETOOBIG (len > SD_MESSAGE_MAX), those of
 * sd_mp_doc_parse and sd_fields_decode, SD_EVERSION,
 * SD_EUNKNOWN_OP, SD_EMISSING for a register carried only in part. */
int sd_event_decode(const void *buf, size_t len, sd_event_t *ev, sd_fault_t *fault);

/* Decodes an event from a node of a parsed doc (same rules). */
int sd_event_decode_node(const sd_mp_node_t *map, sd_event_t *ev, sd_fault_t *fault);

/* True when s is a valid site id: 1..SD_SITE_MAX of A-Z, 0-9, '-', '_'. */
bool sd_site_valid(const char *s);

#endif
