/* args.h - the argument groups of client operations: per group a struct, an enum and a field table.
 *
 * An operation (proto/ops.def) takes its arguments from one group: the
 * ticket ops from the ticket group, schedule.coverage from the schedule
 * group, handover.report from the report group, the node ops from none. A
 * group's enum indexes its field table and the bits of sd_request_t.present,
 * so a group holds at most 64 arguments (asserted at compile time) and the
 * next record kind adds a group of its own instead of growing a shared one.
 * Tables are written with designated initializers ([SD_ARG_TICKET_ID] = ...),
 * so an entry cannot slip to another argument's place. */
#ifndef SD_ARGS_H
#define SD_ARGS_H

#include "mp.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The groups. */
typedef enum {
    SD_ARGS_NONE,     /* takes no arguments */
    SD_ARGS_TICKET,   /* sd_ticket_args_t */
    SD_ARGS_SCHEDULE, /* sd_schedule_args_t */
    SD_ARGS_REPORT,   /* sd_report_args_t */
    SD_ARGS_COUNT_
} sd_args_group_t;

/* Bit of argument `name` of group `group` in a mask: SD_ARG(TICKET, TITLE). */
#define SD_ARG(group, name) (1ull << SD_ARG_##group##_##name)

/* ---- ticket ------------------------------------------------------------- */

typedef enum {
    SD_ARG_TICKET_ID,
    SD_ARG_TICKET_AUTHOR,
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
    SD_ARG_TICKET_COUNT_
} sd_ticket_arg_t;

/* Arguments of the ticket ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;           /* ticket id */
    char *author;       /* agent (or system) doing it */
    int type;           /* sd_ticket_type_t */
    bool major;         /* major incident */
    char *title;        /* one line */
    char *description;  /* free text */
    char *requester;    /* customer; also a list filter */
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
} sd_ticket_args_t;

extern const sd_field_t sd_ticket_args_fields[SD_ARG_TICKET_COUNT_];

/* ---- schedule ----------------------------------------------------------- */

typedef enum {
    SD_ARG_SCHEDULE_FROM,
    SD_ARG_SCHEDULE_DAYS,
    SD_ARG_SCHEDULE_COUNT_
} sd_schedule_arg_t;

/* Arguments of schedule.coverage. */
typedef struct {
    uint64_t from; /* start (Unix ms) */
    int days;      /* length in days */
} sd_schedule_args_t;

extern const sd_field_t sd_schedule_args_fields[SD_ARG_SCHEDULE_COUNT_];

/* ---- handover report ---------------------------------------------------- */

typedef enum {
    SD_ARG_REPORT_SITE,
    SD_ARG_REPORT_SINCE,
    SD_ARG_REPORT_LIMIT,
    SD_ARG_REPORT_COUNT_
} sd_report_arg_t;

/* Arguments of handover.report. */
typedef struct {
    char *site;     /* only moves from or to it; heap-owned, NULL = absent */
    uint64_t since; /* only moves at or after (Unix ms) */
    int limit;      /* most entries */
} sd_report_args_t;

extern const sd_field_t sd_report_args_fields[SD_ARG_REPORT_COUNT_];

/* ---- all groups --------------------------------------------------------- */

/* The arguments of one request: the member of its op's group. */
typedef union {
    sd_ticket_args_t ticket;     /* SD_ARGS_TICKET */
    sd_schedule_args_t schedule; /* SD_ARGS_SCHEDULE */
    sd_report_args_t report;     /* SD_ARGS_REPORT */
} sd_args_t;

/* A group: its name and its field table (offsets relative to sd_args_t). */
typedef struct {
    const char *name;         /* "ticket" */
    const sd_field_t *fields; /* indexed by the group's enum; NULL for SD_ARGS_NONE */
    size_t count;             /* entries of fields */
} sd_args_group_spec_t;

/* The group `group` (sd_args_group_t), or NULL when out of range. */
const sd_args_group_spec_t *sd_args_group(int group);

#endif
