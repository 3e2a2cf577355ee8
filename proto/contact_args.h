/* contact_args.h - the argument groups of the contact history (contact.*) and of the
 * major-incident contact list (major.*). See args.h for how groups work. */
#ifndef SD_CONTACT_ARGS_H
#define SD_CONTACT_ARGS_H

#include "mp.h"

#include <stdint.h>

/* ---- contact ------------------------------------------------------------- */

typedef enum {
    SD_ARG_CONTACT_ID,
    SD_ARG_CONTACT_CUSTOMER,
    SD_ARG_CONTACT_TICKET,
    SD_ARG_CONTACT_CHANNEL,
    SD_ARG_CONTACT_DIRECTION,
    SD_ARG_CONTACT_AT,
    SD_ARG_CONTACT_FROM,
    SD_ARG_CONTACT_TO,
    SD_ARG_CONTACT_CALL_ID,
    SD_ARG_CONTACT_AGENT,
    SD_ARG_CONTACT_SUMMARY,
    SD_ARG_CONTACT_OUTCOME,
    SD_ARG_CONTACT_LIMIT,
    SD_ARG_CONTACT_AFTER,
    SD_ARG_CONTACT_COUNT_
} sd_contact_arg_t;

/* Arguments of the contact ops. Strings are heap-owned (NULL = absent or nil). */
typedef struct {
    char *id;       /* SITE-CT-000001 */
    char *customer; /* customer id; "" or nil: unknown; list filter */
    char *ticket;   /* ticket id; list filter */
    int channel;    /* sd_contact_channel_t; list filter */
    int direction;  /* sd_contact_direction_t */
    uint64_t at;    /* when (Unix ms) */
    char *from;     /* caller's number or sender's address */
    char *to;       /* number or address reached */
    char *call_id;  /* CTI call id; list filter */
    char *agent;    /* the agent's login (default: the caller) */
    char *summary;  /* what was said */
    char *outcome;  /* answered, missed, ... */
    int limit;      /* list: most contacts */
    char *after;    /* list: resume after this id */
} sd_contact_args_t;

extern const sd_field_t sd_contact_args_fields[SD_ARG_CONTACT_COUNT_];

/* ---- major --------------------------------------------------------------- */

typedef enum {
    SD_ARG_MAJOR_ID,
    SD_ARG_MAJOR_CATEGORY,
    SD_ARG_MAJOR_SITE,
    SD_ARG_MAJOR_SERVICE,
    SD_ARG_MAJOR_NOTIFY,
    SD_ARG_MAJOR_NOTE,
    SD_ARG_MAJOR_LIMIT,
    SD_ARG_MAJOR_AFTER,
    SD_ARG_MAJOR_COUNT_
} sd_major_arg_t;

typedef struct {
    char *id;       /* the rule's name */
    char *category; /* a ticket category or "*"; list filter */
    char *site;     /* a site id or "*"; list filter */
    char *service;  /* free text */
    char *notify;   /* comma-separated logins, e-mails, phone numbers */
    char *note;     /* free text */
    int limit;      /* list: most rules */
    char *after;    /* list: resume after this name */
} sd_major_args_t;

extern const sd_field_t sd_major_args_fields[SD_ARG_MAJOR_COUNT_];

#endif
