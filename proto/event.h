/* event.h - the immutable event: the unit of storage and replication, for every record kind.
 *
 * Every change to every record is an event (DESIGN 2.1). (origin, seq) names it uniquely; hlc
 * orders it; kind and key name the record. `fields` is a record of the event's kind holding the
 * registers the event writes (`mask` says which fields): an event that writes one field of a
 * register writes all of them, which sd_event_decode enforces, so the fold never mixes two
 * transitions. An event of the kind's set op (a ticket's comment) carries one item instead. */
#ifndef SD_EVENT_H
#define SD_EVENT_H

#include "kind.h"
#include "mp.h"

#define SD_EVENT_HASH_HEX 64  /* prev: hex BLAKE2b-256 of the previous event of the origin */
#define SD_EVENT_KID_HEX  16  /* kid: hex of the first 8 bytes of the signing public key */
#define SD_EVENT_SIG_HEX  128 /* sig: hex Ed25519 signature */

typedef struct sd_event {
    char origin[SD_SITE_MAX + 1]; /* site that created the event */
    uint64_t seq;                 /* per-origin sequence, 1, 2, 3, ... */
    uint64_t hlc;                 /* hybrid logical clock stamp */
    const sd_kind_t *kind;        /* the record kind (the wire's "entity") */
    char key[SD_ID_MAX + 1];      /* record id */
    int op;                       /* the kind's op (an index into kind->ops) */
    char author[SD_NAME_MAX + 1]; /* who did it */
    void *fields;                 /* record of kind (owned): the registers in mask */
    uint64_t mask;                /* which kind->fields the event carries */
    void *item;                   /* set op: the appended item (owned), else NULL */
    /* Signed events (replication/sign.h) carry all three; unsigned ones none ("" each). */
    char prev[SD_EVENT_HASH_HEX + 1]; /* hash of the origin's event seq - 1 (zeros for seq 1) */
    char kid[SD_EVENT_KID_HEX + 1];   /* which of the origin's keys signed it */
    char sig[SD_EVENT_SIG_HEX + 1];   /* signature over sd_event_encode_unsigned's bytes */
} sd_event_t;

/* Starts a zeroed event of kind and op: allocates its fields record (and its item for the set
 * op). Returns 0 or SD_ENOMEM (ev is then cleared). */
int sd_event_start(sd_event_t *ev, const sd_kind_t *kind, int op);

/* Name of the event's op ("create", "ack", ...), or "?". */
const char *sd_event_op_name(const sd_event_t *ev);

/* Frees what the event owns and zeroes it; NULL-safe. */
void sd_event_clear(sd_event_t *ev);

/* Writes the event as one msgpack map (its wire and stored form). */
void sd_event_encode(const sd_event_t *ev, sd_mp_writer_t *w);

/* Writes what a signature covers: the event's map without "sig" (with prev and kid). */
void sd_event_encode_unsigned(const sd_event_t *ev, sd_mp_writer_t *w);

/* True when the event carries a signature (prev, kid and sig). */
static inline bool sd_event_signed(const sd_event_t *ev)
{
    return ev->sig[0] != 0;
}

/* Decodes an event from buf[0..len). ev must be zeroed; on error it is cleared. Errors:
 * SD_ETOOBIG (len > SD_MESSAGE_MAX), those of sd_mp_doc_parse and sd_fields_decode, SD_EVERSION,
 * SD_ERANGE (unknown entity, bad origin or seq), SD_EUNKNOWN_OP, SD_EMISSING for a register
 * carried only in part, SD_ENOMEM. */
int sd_event_decode(const void *buf, size_t len, sd_event_t *ev, sd_fault_t *fault);

/* Decodes an event from a node of a parsed doc (same rules). */
int sd_event_decode_node(const sd_mp_node_t *map, sd_event_t *ev, sd_fault_t *fault);

/* True when s is a valid site id: 1..SD_SITE_MAX of A-Z, 0-9, '-', '_'. */
bool sd_site_valid(const char *s);

#endif
