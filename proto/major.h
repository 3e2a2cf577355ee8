/* major.h - the major-incident contact list (seed 001, "重大情况联系表"): the rules that say whom
 * to notify when a ticket of a category at a site is declared a major incident.
 *
 * A rule's id is its name (login-like, sd_login_check). A rule matches a ticket when its
 * category is "*" or equal to the ticket's category, and its site is "*" or equal to the
 * ticket's owner site. ticket.declare_major records the union of the notify lists of the
 * matching rules on the ticket (node/api/op_major.h). Every field is a last-writer-wins
 * register. */
#ifndef SD_MAJOR_H
#define SD_MAJOR_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stdbool.h>
#include <stdint.h>

#define SD_MAJOR_NOTIFY_MAX  1024 /* a rule's notify list */
#define SD_MAJOR_SERVICE_MAX 128  /* the service's name */
#define SD_MAJOR_ANY         "*"  /* a category or site that matches every ticket */

typedef enum { SD_MOP_CREATE, SD_MOP_UPDATE, SD_MOP_COUNT_ } sd_major_op_t;

typedef enum {
    SD_MREG_CREATED,  /* created_at, origin_site */
    SD_MREG_CATEGORY, /* category */
    SD_MREG_SITE,     /* site */
    SD_MREG_SERVICE,  /* service */
    SD_MREG_NOTIFY,   /* notify */
    SD_MREG_NOTE,     /* note */
    SD_MREG_COUNT_
} sd_major_register_t;

typedef struct {
    char id[SD_ID_MAX + 1]; /* the rule's name */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* Unix ms */
    char *origin_site;      /* site that created it */
    char *category;         /* a ticket category, or "*" */
    char *site;             /* a site id, or "*" */
    char *service;          /* the service it is about, free text */
    char *notify;           /* logins, e-mails or phone numbers, comma-separated */
    char *note;             /* what to tell them, how to reach them */
    sd_stamp_t stamps[SD_MREG_COUNT_];
} sd_major_t;

extern const sd_kind_t sd_kind_major;

/* The rule an event carries (ev->kind must be the major kind). */
static inline sd_major_t *sd_event_major(const sd_event_t *ev)
{
    return (sd_major_t *)ev->fields;
}

/* True when rule r applies to a ticket of category (NULL: none) owned by site: each of the
 * rule's category and site is "*" or equal (a rule without a category or site matches all). */
bool sd_major_matches(const sd_major_t *r, const char *category, const char *site);

/* Appends each entry of list (comma-separated, spaces around entries dropped) to out (a
 * comma-and-space-separated list of cap bytes, NUL-terminated) unless out holds it already.
 * Returns 0, or SD_ETOOBIG when out would overflow (out keeps what fitted). */
int sd_major_notify_merge(char *out, size_t cap, const char *list);

#endif
