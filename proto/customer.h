/* customer.h - the customer record kind: who calls the desk, found by phone number or e-mail.
 *
 * A customer's id is SITE-C-000001. Every field is a last-writer-wins register; e-mails and
 * phone numbers are comma-separated lists as given, and the write that sets the phones also
 * stores their E.164 forms (phone.h, with the creating node's default country) in
 * phones_e164, which the "phone" index holds, so a replica indexes the same numbers whatever its
 * own configuration. Indexes: "email" (each address, lower-cased), "phone" (each E.164 number),
 * "user" (the linked requester login), "merged" (merged_into), "name" (the name lower-cased, for
 * prefix search).
 *
 * Merge: customer.merge sets merged_into of the duplicate to the survivor; nothing else
 * changes, so edits made concurrently elsewhere survive and both ids stay readable. A reader
 * follows merged_into (sd_customer_resolve); merges made concurrently at two sites may form a
 * cycle (A into B here, B into A there), which resolves to the smallest id of the cycle: the
 * same answer at every node once the events have arrived. */
#ifndef SD_CUSTOMER_H
#define SD_CUSTOMER_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stdbool.h>
#include <stdint.h>

#define SD_CUSTOMER_LIST_MAX 512 /* emails, phones: comma-separated, bytes */
#define SD_CUSTOMER_ITEMS_MAX                                                                      \
    8 /* emails, phones: entries (all index entries fit SD_INDEX_BYTES)                            \
       */
#define SD_CUSTOMER_E164_MAX   (SD_CUSTOMER_ITEMS_MAX * 17) /* phones_e164 bytes */
#define SD_CUSTOMER_MERGES_MAX 64                           /* merged_into hops a reader follows */

#define SD_CUSTOMER_INDEX_EMAIL  "email"  /* address (lower-cased), id */
#define SD_CUSTOMER_INDEX_PHONE  "phone"  /* E.164 number, id */
#define SD_CUSTOMER_INDEX_USER   "user"   /* login, id */
#define SD_CUSTOMER_INDEX_NAME   "name"   /* name (ASCII lower-cased), id */
#define SD_CUSTOMER_INDEX_MERGED "merged" /* merged_into, id: who was merged into a customer */

typedef enum { SD_COP_CREATE, SD_COP_UPDATE, SD_COP_MERGE, SD_COP_COUNT_ } sd_customer_op_t;

typedef enum {
    SD_CREG_CREATED,   /* created_at, origin_site */
    SD_CREG_NAME,      /* name */
    SD_CREG_ORG,       /* organisation, department */
    SD_CREG_EMAILS,    /* emails */
    SD_CREG_PHONES,    /* phones, phones_e164 */
    SD_CREG_LANGUAGE,  /* language */
    SD_CREG_TIME_ZONE, /* time_zone */
    SD_CREG_HOME_SITE, /* home_site */
    SD_CREG_VIP,       /* vip */
    SD_CREG_NOTES,     /* notes */
    SD_CREG_USER,      /* user */
    SD_CREG_MERGED,    /* merged_into */
    SD_CREG_COUNT_
} sd_customer_register_t;

typedef struct {
    char id[SD_ID_MAX + 1]; /* SITE-C-000001 */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* Unix ms */
    char *origin_site;      /* site that created it */
    char *name;             /* "Wang Fang" */
    char *organisation;     /* company */
    char *department;       /* department */
    char *emails;           /* e-mail addresses, comma-separated */
    char *phones;           /* phone numbers as written, comma-separated */
    char *phones_e164;      /* the same in E.164, comma-separated (derived by the write) */
    char *language;         /* BCP 47 tag */
    char *time_zone;        /* IANA name */
    char *home_site;        /* site the customer belongs to */
    bool vip;               /* raises the priority of their tickets one step */
    char *notes;            /* free text */
    char *user;             /* login of the linked requester user */
    char *merged_into;      /* id of the customer this one was merged into */
    sd_stamp_t stamps[SD_CREG_COUNT_];
} sd_customer_t;

extern const sd_kind_t sd_kind_customer;

/* The customer an event carries (ev->kind must be the customer kind). */
static inline sd_customer_t *sd_event_customer(const sd_event_t *ev)
{
    return (sd_customer_t *)ev->fields;
}

/* Reads the merged_into of customer id into into (SD_ID_MAX + 1; "" when not merged). Returns
 * 0, SD_ENOTFOUND or an error, which sd_customer_resolve returns. */
typedef int (*sd_customer_merged_fn)(const char *id, char *into, void *arg);

/* The surviving customer of id: follows merged_into until a customer that is not merged; a
 * cycle resolves to the smallest id (strcmp) of the cycle. out gets SD_ID_MAX + 1 bytes.
 * Returns 0, SD_ENOTFOUND (id or a customer on the way does not exist), SD_ETOOBIG (more
 * than SD_CUSTOMER_MERGES_MAX hops), what merged returned. */
int sd_customer_resolve(const char *id, sd_customer_merged_fn merged, void *arg, char *out);

/* Checks one e-mail address: local@domain, no spaces, at most SD_NAME_MAX bytes. */
bool sd_customer_email_valid(const char *addr);

/* Calls fn with each entry of the comma-separated list (trimmed of spaces, non-empty, copied
 * into a NUL-terminated buffer of at most SD_CUSTOMER_LIST_MAX bytes). Non-zero from fn stops
 * and is returned. */
int sd_customer_each(const char *list, int (*fn)(const char *item, void *arg), void *arg);

#endif
