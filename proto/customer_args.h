/* customer_args.h - the argument group of the customer ops (customer.*). See args.h. */
#ifndef SD_CUSTOMER_ARGS_H
#define SD_CUSTOMER_ARGS_H

#include "mp.h"

#include <stdbool.h>

typedef enum {
    SD_ARG_CUSTOMER_ID,
    SD_ARG_CUSTOMER_NAME,
    SD_ARG_CUSTOMER_ORGANISATION,
    SD_ARG_CUSTOMER_DEPARTMENT,
    SD_ARG_CUSTOMER_EMAILS,
    SD_ARG_CUSTOMER_PHONES,
    SD_ARG_CUSTOMER_LANGUAGE,
    SD_ARG_CUSTOMER_TIME_ZONE,
    SD_ARG_CUSTOMER_HOME_SITE,
    SD_ARG_CUSTOMER_VIP,
    SD_ARG_CUSTOMER_NOTES,
    SD_ARG_CUSTOMER_USER,
    SD_ARG_CUSTOMER_INTO,
    SD_ARG_CUSTOMER_PHONE,
    SD_ARG_CUSTOMER_EMAIL,
    SD_ARG_CUSTOMER_SITE,
    SD_ARG_CUSTOMER_LIMIT,
    SD_ARG_CUSTOMER_AFTER,
    SD_ARG_CUSTOMER_COUNT_
} sd_customer_arg_t;

/* Arguments of the customer ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;           /* SITE-C-000001 */
    char *name;         /* new, update; find: a name prefix */
    char *organisation; /* new, update; list filter */
    char *department;   /* new, update */
    char *emails;       /* new, update: comma-separated addresses */
    char *phones;       /* new, update: comma-separated numbers as written */
    char *language;     /* BCP 47 tag */
    char *time_zone;    /* IANA name */
    char *home_site;    /* the customer's site (default: the node's) */
    bool vip;           /* new, update; list filter */
    char *notes;        /* free text */
    char *user;         /* login of the linked requester ("" unlinks) */
    char *into;         /* merge: the surviving customer */
    char *phone;        /* find, lookup: a phone number as written */
    char *email;        /* find, lookup: an e-mail address */
    char *site;         /* list filter: home site */
    int limit;          /* list, find: most customers */
    char *after;        /* list: resume after this id */
} sd_customer_args_t;

extern const sd_field_t sd_customer_args_fields[SD_ARG_CUSTOMER_COUNT_];

#endif
