/* ticket.h - the ticket record: fields, registers, status values and its msgpack form.
 *
 * A ticket's state is a fold of its events (node/fold.c). Its fields are
 * grouped into *registers*: fields that change together (a status with its
 * timestamps and resolution; an assignee with its tier) form one register, so
 * a merge of concurrent events never mixes two transitions. Every register
 * remembers the stamp (hlc, origin) of the event that last wrote it; the write
 * with the greater stamp wins. Comments are an append-only set ordered by
 * (hlc, origin, seq). Whatever order events arrive in, the same set of events
 * gives the same ticket and the same bytes from sd_ticket_encode(). */
#ifndef SD_TICKET_H
#define SD_TICKET_H

#include "event.h"
#include "kind.h"
#include "mp.h"
#include "sizes.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SD_TYPE_INCIDENT,
    SD_TYPE_SERVICE_REQUEST,
    SD_TYPE_CHANGE,
    SD_TYPE_PROBLEM,
    SD_TYPE_COUNT_
} sd_ticket_type_t;

typedef enum {
    SD_CHANNEL_PHONE,
    SD_CHANNEL_EMAIL,
    SD_CHANNEL_WEB,
    SD_CHANNEL_CHAT,
    SD_CHANNEL_WALK_IN,
    SD_CHANNEL_MONITORING,
    SD_CHANNEL_COUNT_
} sd_channel_t;

/* The seed-001 workflow; see node/workflow.h for the allowed moves. */
typedef enum {
    SD_STATUS_NEW,
    SD_STATUS_ACKNOWLEDGED,
    SD_STATUS_ASSIGNED,
    SD_STATUS_IN_PROGRESS,
    SD_STATUS_PENDING,
    SD_STATUS_RESOLVED,
    SD_STATUS_CLOSED,
    SD_STATUS_CANCELLED,
    SD_STATUS_COUNT_
} sd_status_t;

typedef enum {
    SD_TIER_L1,
    SD_TIER_L1_5,
    SD_TIER_L2,
    SD_TIER_L3,
    SD_TIER_VENDOR,
    SD_TIER_COUNT_
} sd_tier_t;

/* Priority P1 (most urgent) .. P4 is stored as 0..3 so that it sorts. */
typedef enum { SD_P1, SD_P2, SD_P3, SD_P4, SD_PRIORITY_COUNT_ } sd_priority_t;

/* Where a ticket stands against its SLA targets; it only moves forward, except
 * that at_risk goes back to ok when a due time moves later. */
typedef enum { SD_SLA_OK, SD_SLA_AT_RISK, SD_SLA_BREACHED, SD_SLA_COUNT_ } sd_sla_state_t;

/* What a pending ticket waits for; none when it is not pending. */
typedef enum { SD_WAIT_NONE, SD_WAIT_CUSTOMER, SD_WAIT_VENDOR, SD_WAIT_COUNT_ } sd_wait_t;

/* Registers: groups of fields written together by one event. */
typedef enum {
    SD_REG_CREATED,   /* created_at, origin site */
    SD_REG_TYPE,      /* type, major */
    SD_REG_TITLE,     /* title */
    SD_REG_DESC,      /* description */
    SD_REG_REQUESTER, /* requester, channel */
    SD_REG_CATEGORY,  /* category */
    SD_REG_PRIORITY,  /* impact, urgency, priority, follow_sun, response_due, resolve_due */
    SD_REG_ASSIGN,    /* tier, tier_since, team, assignee */
    SD_REG_OWNER,     /* owner, owner_site and the last handover between sites */
    SD_REG_STATUS,    /* status and everything a transition sets */
    SD_REG_SLA,       /* sla_state, escalated, sla_reason, sla_at */
    SD_REG_CUSTOMER,  /* customer */
    SD_REG_MAJOR,     /* major_notify, major_note: ticket.declare_major */
    SD_REG_ASSETS,    /* assets */
    SD_REG_VENDOR,    /* vendor, vendor_ref */
    SD_REG_PAGE,      /* oncall, paged_at: the scheduler paged the on-call person (gap) */
    SD_REG_ARTICLE,   /* article: the knowledge base article it was resolved with */
    /* New registers go last: records and events made before them carry fewer stamps. */
    SD_REG_COUNT_
} sd_register_t;

/* The ticket kind's event ops (sd_event_t.op of a ticket event). */
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
    SD_OP_COMMENT, /* appends a comment (the kind's append-only set) */
    SD_OP_UPDATE,
    SD_OP_HANDOVER, /* owner site changes: by the scheduler at end of duty, or by hand */
    SD_OP_ESCALATE, /* functional escalation to the next tier, by the scheduler */
    SD_OP_SLA,      /* SLA state change (at risk, breached: manager told), by the scheduler */
    SD_OP_PAGE,     /* the on-call person paged in a gap (no site on duty), by the scheduler */
    SD_OP_COUNT_
} sd_op_t;

/* One comment: a public reply to the customer or an internal work note. */
typedef struct {
    uint64_t hlc;                 /* when, as the event's clock */
    uint64_t seq;                 /* event seq, with origin the comment's identity */
    char origin[SD_SITE_MAX + 1]; /* site of the event */
    char *author;                 /* who wrote it (owned) */
    char *body;                   /* the text (owned) */
    bool public_reply;            /* true: sent to the customer; false: internal note */
    bool inbound; /* the requester's own words taken in by a channel (mail.ingest, chat.ingest):
                     public, but no reply of the desk's (first_response_at leaves it out) */
} sd_comment_t;

/* A ticket. Strings are heap-owned (NULL = not set); times are Unix ms, 0 =
 * not set. Free with sd_ticket_clear(). */
typedef struct {
    char id[SD_ID_MAX + 1]; /* e.g. "APAC-000042"; not a field of the table */

    /* SD_REG_CREATED */
    uint64_t created_at; /* when recorded */
    char *origin_site;   /* site that recorded it */
    /* SD_REG_TYPE */
    int type;   /* sd_ticket_type_t */
    bool major; /* major incident: immediate coordination */
    /* SD_REG_MAJOR */
    char *major_notify; /* ticket.declare_major: whom to notify, from the major rules */
    char *major_note;   /* ticket.declare_major: the declaring agent's words */
    /* SD_REG_TITLE, SD_REG_DESC */
    char *title;       /* one line */
    char *description; /* free text */
    /* SD_REG_REQUESTER */
    char *requester; /* who asked: e-mail, phone or user name */
    int channel;     /* sd_channel_t: how the request arrived */
    /* SD_REG_CATEGORY */
    char *category; /* e.g. "network/vpn" */
    /* SD_REG_PRIORITY */
    int impact;            /* 1 (high) .. 3 (low) */
    int urgency;           /* 1 (high) .. 3 (low) */
    int priority;          /* sd_priority_t, from the impact x urgency matrix */
    bool follow_sun;       /* 7x24: handed from site to site, SLA on all sites' hours */
    uint64_t response_due; /* first reply promised by */
    uint64_t resolve_due;  /* resolution target */
    /* SD_REG_ASSIGN */
    int tier;            /* sd_tier_t */
    uint64_t tier_since; /* when it reached this tier (functional escalation counts from it) */
    char *team;          /* responsible team */
    char *assignee;      /* responsible agent */
    /* SD_REG_OWNER */
    char *owner;          /* agent who took the call and follows it to the end */
    char *owner_site;     /* site responsible now */
    char *handover_from;  /* site that handed it over last, NULL when never */
    uint64_t handover_at; /* when */
    char *handover_note;  /* note of the last handover between sites */
    /* SD_REG_STATUS */
    int status;               /* sd_status_t */
    uint64_t acknowledged_at; /* customer told it is accepted */
    uint64_t reply_due;       /* the reply time promised on acknowledgement */
    int waiting_on;           /* sd_wait_t */
    uint64_t resolved_at;     /* when resolved */
    char *resolution;         /* what was done */
    uint64_t closed_at;       /* actual completion confirmed */
    int satisfaction;         /* 0 = not given, 1..5 */
    char *feedback;           /* the customer's comment on closing */
    char *status_reason;      /* why it was put pending, reopened or cancelled */
    uint64_t reopen_count;    /* times reopened */
    uint64_t sla_paused_at;   /* pending: when the SLA clock stopped; 0 when running */
    /* SD_REG_SLA */
    int sla_state;    /* sd_sla_state_t */
    bool escalated;   /* hierarchical escalation: the manager was told (breach) */
    char *sla_reason; /* why the state last changed, or the last escalation */
    uint64_t sla_at;  /* when */
    /* SD_REG_CUSTOMER */
    char *customer; /* id of the customer (customer.h) the ticket is for, or NULL */
    /* SD_REG_ASSETS */
    char *assets; /* asset tags it concerns, comma-separated */
    /* SD_REG_VENDOR: set by ticket.pending on a vendor, kept after */
    char *vendor;     /* the vendor it waits or waited on (vendor name) */
    char *vendor_ref; /* the vendor's RMA or case number */
    /* SD_REG_PAGE: written once per gap by the owner site's scheduler (node/desk/oncall.h) */
    char *oncall;      /* login of the on-call person paged last */
    uint64_t paged_at; /* when */
    /* SD_REG_ARTICLE: set by ticket.resolve with an article, kept after */
    char *article; /* id of the article (article.h) that solved it, or NULL */

    /* Derived by the fold, not registers (deterministic under any order). */
    uint64_t updated_at;              /* latest event time */
    uint64_t first_response_at;       /* earliest public reply */
    sd_stamp_t stamps[SD_REG_COUNT_]; /* per-register last writer */
    sd_comment_t *comments;           /* sorted by (hlc, origin, seq) */
    size_t ncomments;                 /* count */
    size_t comments_cap;              /* allocated */
} sd_ticket_t;

/* Wire names of enum values, indexed by value. */
extern const char *const sd_type_names[];     /* SD_TYPE_COUNT_ */
extern const char *const sd_channel_names[];  /* SD_CHANNEL_COUNT_ */
extern const char *const sd_status_names[];   /* SD_STATUS_COUNT_ */
extern const char *const sd_tier_names[];     /* SD_TIER_COUNT_ */
extern const char *const sd_priority_names[]; /* SD_PRIORITY_COUNT_ */
extern const char *const sd_wait_names[];     /* SD_WAIT_COUNT_ */
extern const char *const sd_sla_names[];      /* SD_SLA_COUNT_ */

/* The ticket kind (kind.h): registers, ops, comments as its append-only set, id scheme
 * SITE-000001, indexes "queue" (open, priority, resolve due, id), "requester" and "assignee"
 * (name, id), counters "status.<status>" and "sla_breaches" (tickets breached); per event
 * "handovers" (hlc, origin, seq). */
extern const sd_kind_t sd_kind_ticket;

/* The field table of a ticket (register in sd_field_t.group), in wire order. */
extern const sd_field_t sd_ticket_fields[];
extern const size_t sd_ticket_field_count;

/* The ticket an event of the ticket kind carries (its registers), and its comment (set op). */
static inline sd_ticket_t *sd_event_ticket(const sd_event_t *ev)
{
    return (sd_ticket_t *)ev->fields;
}
static inline sd_comment_t *sd_event_comment(const sd_event_t *ev)
{
    return (sd_comment_t *)ev->item;
}

/* True when the ticket has been created (its create event was applied): a replica may hold a
 * partial ticket whose other events came first, which readers treat as absent. */
bool sd_ticket_exists(const sd_ticket_t *t);

/* Name of a ticket event op ("create", "ack", ...), or "?". */
const char *sd_op_name(int op);

/* True for the statuses of open tickets (new .. pending). */
static inline bool sd_status_open(int status)
{
    return status <= SD_STATUS_PENDING;
}

/* The ticket kind's index and counter names (its index hooks write them, node/store/ticket_store.c
 * reads them). */
#define SD_TICKET_INDEX_QUEUE        "queue"        /* open, priority, resolve due, id */
#define SD_TICKET_INDEX_REQUESTER    "requester"    /* requester, id */
#define SD_TICKET_INDEX_ASSIGNEE     "assignee"     /* assignee, id */
#define SD_TICKET_INDEX_CUSTOMER     "customer"     /* customer id, id */
#define SD_TICKET_INDEX_HANDOVERS    "handovers"    /* per handover event: hlc, origin, seq */
#define SD_TICKET_COUNT_SLA_BREACHES "sla_breaches" /* per ticket breached */
#define SD_TICKET_INDEX_ARTICLE      "article"      /* article id, id: resolved with it */
#define SD_TICKET_COUNT_SOLVED       "solved."      /* + article id: resolved or closed with it */

/* The name of the counter of tickets in status ("status.<status>") into out. */
void sd_ticket_status_counter(int status, char *out, size_t cap);

/* Appends the ticket's "queue" index entry (open first, then priority, resolve due, id): the
 * queue order of ticket lists. */
void sd_ticket_queue_key(const sd_ticket_t *t, sd_index_keys_t *keys);

/* Mask of the fields that belong to register reg. */
uint64_t sd_ticket_register_mask(int reg);
/* Mask of every field. */
uint64_t sd_ticket_all_fields(void);
/* Field table entry by wire name, or NULL. */
const sd_field_t *sd_ticket_field(const char *name);

const char *sd_status_name(int status);
const char *sd_priority_name(int priority);
const char *sd_tier_name(int tier);
const char *sd_type_name(int type);
const char *sd_channel_name(int channel);
/* Value of a name (e.g. "in_progress"), or -1. */
int sd_status_value(const char *name);
int sd_priority_value(const char *name);

/* Frees everything the ticket owns and zeroes it; NULL-safe. */
void sd_ticket_clear(sd_ticket_t *t);

/* Inserts a comment, keeping the (hlc, origin, seq) order; a comment with the
 * same (origin, seq) already there is a duplicate and is ignored (returns 0).
 * Takes ownership of c->author and c->body on success and on duplicates.
 * No count limit here: a limit that dropped comments would make the fold
 * depend on arrival order; SD_COMMENTS_MAX is enforced when a comment is
 * made. Returns 0 or SD_ENOMEM. */
int sd_ticket_add_comment(sd_ticket_t *t, sd_comment_t *c);

/* Writes the ticket as a msgpack map. with_stamps adds the per-register
 * stamps (the stored form); without, it is the client view. Deterministic:
 * equal tickets give equal bytes. */
void sd_ticket_encode(const sd_ticket_t *t, bool with_stamps, sd_mp_writer_t *w);

/* Reads a ticket written by sd_ticket_encode(..., with_stamps = true).
 * t must be zeroed or cleared. Returns 0 or a decode error (see mp.h). */
int sd_ticket_decode(const sd_mp_node_t *map, sd_ticket_t *t, sd_fault_t *fault);

#endif
