/* alert_args.h - the argument group of the alert ops (alert.*). See args.h. */
#ifndef SD_ALERT_ARGS_H
#define SD_ALERT_ARGS_H

#include "mp.h"

#include <stdbool.h>

typedef enum {
    SD_ARG_ALERT_ID,
    SD_ARG_ALERT_SOURCE,
    SD_ARG_ALERT_KEY,
    SD_ARG_ALERT_STATUS,
    SD_ARG_ALERT_TITLE,
    SD_ARG_ALERT_DESCRIPTION,
    SD_ARG_ALERT_SEVERITY,
    SD_ARG_ALERT_LABELS,
    SD_ARG_ALERT_URL,
    SD_ARG_ALERT_IMPACT,
    SD_ARG_ALERT_URGENCY,
    SD_ARG_ALERT_TEAM,
    SD_ARG_ALERT_CATEGORY,
    SD_ARG_ALERT_FLAP_WINDOW,
    SD_ARG_ALERT_STATE,
    SD_ARG_ALERT_TICKET,
    SD_ARG_ALERT_LIMIT,
    SD_ARG_ALERT_AFTER,
    SD_ARG_ALERT_COUNT_
} sd_alert_arg_t;

/* Arguments of the alert ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;          /* AL-<29 hex>: sd_alert_id_for(source, key) */
    char *source;      /* ingest: the source's name; list filter */
    char *key;         /* ingest: fingerprint or dedup_key */
    int status;        /* ingest: sd_alert_state_t the source reports */
    char *title;       /* ingest: the ticket's title */
    char *description; /* ingest: the ticket's description */
    char *severity;    /* ingest: the source's severity word */
    char *labels;      /* ingest: "name=value" lines */
    char *url;         /* ingest: generatorURL, client_url */
    int impact;        /* ingest: the new ticket's impact 1..3 (default 2) */
    int urgency;       /* ingest: the new ticket's urgency 1..3 (default 2) */
    char *team;        /* ingest: the new ticket's team */
    char *category;    /* ingest: the new ticket's category */
    int flap_window;   /* ingest: seconds after a resolve in which a trigger reopens (900) */
    int state;         /* list filter: sd_alert_state_t */
    char *ticket;      /* list filter: the alerts of a ticket */
    int limit;         /* list: most alerts */
    char *after;       /* list: resume after this id */
} sd_alert_args_t;

extern const sd_field_t sd_alert_args_fields[SD_ARG_ALERT_COUNT_];

#endif
