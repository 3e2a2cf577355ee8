/* ticket_args.h - the ticket ops' argument group: its enum, struct and field table (args.h).
 *
 * Part of the ticket kind's own files: ticket.new, ticket.ack, ... take their arguments from
 * here. The first argument is the record id (every record kind's group starts with "id"). */
#ifndef SD_TICKET_ARGS_H
#define SD_TICKET_ARGS_H

#include "mp.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SD_ARG_TICKET_ID,
    SD_ARG_TICKET_TYPE,
    SD_ARG_TICKET_MAJOR,
    SD_ARG_TICKET_TITLE,
    SD_ARG_TICKET_DESCRIPTION,
    SD_ARG_TICKET_REQUESTER,
    SD_ARG_TICKET_CHANNEL,
    SD_ARG_TICKET_CATEGORY,
    SD_ARG_TICKET_IMPACT,
    SD_ARG_TICKET_URGENCY,
    SD_ARG_TICKET_TIER,
    SD_ARG_TICKET_TEAM,
    SD_ARG_TICKET_ASSIGNEE,
    SD_ARG_TICKET_REPLY_DUE,
    SD_ARG_TICKET_WAITING_ON,
    SD_ARG_TICKET_REASON,
    SD_ARG_TICKET_RESOLUTION,
    SD_ARG_TICKET_SATISFACTION,
    SD_ARG_TICKET_FEEDBACK,
    SD_ARG_TICKET_BODY,
    SD_ARG_TICKET_PUBLIC,
    SD_ARG_TICKET_STATUS,
    SD_ARG_TICKET_PRIORITY,
    SD_ARG_TICKET_OPEN,
    SD_ARG_TICKET_LIMIT,
    SD_ARG_TICKET_AFTER,
    SD_ARG_TICKET_FOLLOW_SUN,
    SD_ARG_TICKET_SITE,
    SD_ARG_TICKET_NOTE,
    SD_ARG_TICKET_SLA,
    SD_ARG_TICKET_CUSTOMER,
    SD_ARG_TICKET_PHONE,
    SD_ARG_TICKET_EMAIL,
    SD_ARG_TICKET_ASSETS,
    SD_ARG_TICKET_VENDOR,
    SD_ARG_TICKET_VENDOR_REF,
    SD_ARG_TICKET_ARTICLE,
    SD_ARG_TICKET_COUNT_
} sd_ticket_arg_t;

/* Arguments of the ticket ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;           /* ticket id */
    int type;           /* sd_ticket_type_t */
    bool major;         /* major incident */
    char *title;        /* one line */
    char *description;  /* free text */
    char *requester;    /* customer's login (new: default the caller); also a list filter */
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
    char *site;         /* handover: the site to hand to */
    char *note;         /* handover: the agent's note, put before the generated one */
    int sla;            /* list filter: sd_sla_state_t (at_risk, breached) */
    char *customer;     /* new: the customer's id (fills customer, requester, VIP) */
    char *phone;        /* new: find the customer by this phone number */
    char *email;        /* new: find the customer by this e-mail address */
    char *assets;       /* new, update: asset tags, comma-separated ("" for none) */
    char *vendor;       /* pending on a vendor: the vendor's name */
    char *vendor_ref;   /* pending on a vendor: its RMA or case number */
    char *article;      /* resolve: the knowledge base article that solved it */
} sd_ticket_args_t;

extern const sd_field_t sd_ticket_args_fields[SD_ARG_TICKET_COUNT_];

#endif
