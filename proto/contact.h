/* contact.h - the contact record kind: one contact with a customer (a call, an e-mail, a chat, a
 * walk-in, a portal visit), the desk's contact history.
 *
 * A contact's id is SITE-CT-000001. It is written once (contact.new) and then only its summary,
 * outcome, ticket link and customer change (contact.update; a CTI call's answer and hang-up).
 * Every field is a last-writer-wins register. Index entries (SD_CONTACT_INDEX_*): "customer"
 * (customer id, newest first), "ticket" (ticket id, newest first), "call" (the CTI call id, so
 * one call's events find one record) and "at" (every contact, newest first); the parts after the
 * first are sd_contact_index_rest's. */
#ifndef SD_CONTACT_H
#define SD_CONTACT_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stddef.h>
#include <stdint.h>

#define SD_CONTACT_SUMMARY_MAX    4096       /* a contact's summary */
#define SD_CONTACT_CALL_ID_MAX    128        /* a CTI call id */
#define SD_CONTACT_OUTCOME_MAX    32         /* "answered", "missed", ... */
#define SD_CONTACT_ADDRESS_MAX    128        /* a phone number or an address, as given */
#define SD_CONTACT_INDEX_CUSTOMER "customer" /* customer id, then sd_contact_index_rest */
#define SD_CONTACT_INDEX_TICKET   "ticket"   /* ticket id, then sd_contact_index_rest */
#define SD_CONTACT_INDEX_CALL     "call"     /* call id, then sd_contact_index_rest */
#define SD_CONTACT_INDEX_AT       "at"       /* "", then sd_contact_index_rest: every contact */

typedef enum {
    SD_CONTACT_CALL,
    SD_CONTACT_EMAIL,
    SD_CONTACT_CHAT,
    SD_CONTACT_WALK_IN,
    SD_CONTACT_PORTAL,
    SD_CONTACT_CHANNEL_COUNT_
} sd_contact_channel_t;

typedef enum { SD_CONTACT_IN, SD_CONTACT_OUT, SD_CONTACT_DIRECTION_COUNT_ } sd_contact_direction_t;

extern const char *const sd_contact_channel_names[SD_CONTACT_CHANNEL_COUNT_];
extern const char *const sd_contact_direction_names[SD_CONTACT_DIRECTION_COUNT_];

typedef enum { SD_CTOP_CREATE, SD_CTOP_UPDATE, SD_CTOP_COUNT_ } sd_contact_op_t;

typedef enum {
    SD_CTREG_CREATED,  /* created_at, origin_site, channel, direction, at, from, to, call_id, agent
                        */
    SD_CTREG_CUSTOMER, /* customer */
    SD_CTREG_TICKET,   /* ticket */
    SD_CTREG_SUMMARY,  /* summary */
    SD_CTREG_OUTCOME,  /* outcome, answered_at, ended_at, duration */
    SD_CTREG_COUNT_
} sd_contact_register_t;

typedef struct {
    char id[SD_ID_MAX + 1]; /* SITE-CT-000001 */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* when recorded (Unix ms) */
    char *origin_site;      /* site that recorded it (the record's site) */
    int channel;            /* sd_contact_channel_t */
    int direction;          /* sd_contact_direction_t */
    uint64_t at;            /* when the contact happened (Unix ms) */
    char *from;             /* caller's number or sender's address, as given */
    char *to;               /* number or address reached, as given */
    char *call_id;          /* CTI call id */
    char *agent;            /* login of the agent who took it */
    char *customer;         /* customer id (SITE-C-000001); NULL: unknown */
    char *ticket;           /* the ticket it belongs to */
    char *summary;          /* what was said */
    char *outcome;          /* ringing, answered, ended, missed, ... */
    uint64_t answered_at;   /* when outcome first became "answered"; 0: never */
    uint64_t ended_at;      /* when it became "ended" or "missed"; 0: not yet */
    uint64_t duration;      /* seconds from answered_at to ended_at; 0 when never answered */
    sd_stamp_t stamps[SD_CTREG_COUNT_];
} sd_contact_t;

extern const sd_kind_t sd_kind_contact;

/* The contact an event carries (ev->kind must be the contact kind). */
static inline sd_contact_t *sd_event_contact(const sd_event_t *ev)
{
    return (sd_contact_t *)ev->fields;
}

/* The contact id in the rest of an index entry (what sd_store_index_find hands over after the
 * first part: the inverted time, big-endian, then the id and its NUL). Returns 0, or
 * SD_ECORRUPT for bytes of another shape. *at gets the contact's time (may be NULL). */
int sd_contact_index_rest(const char *rest, size_t len, char id[SD_ID_MAX + 1], uint64_t *at);

#endif
