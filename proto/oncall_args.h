/* oncall_args.h - the argument group of the on-call ops (oncall.*). See args.h for how groups
 * work. */
#ifndef SD_ONCALL_ARGS_H
#define SD_ONCALL_ARGS_H

#include "mp.h"

#include <stdint.h>

typedef enum {
    SD_ARG_ONCALL_ID,
    SD_ARG_ONCALL_ROSTER,
    SD_ARG_ONCALL_LOGIN,
    SD_ARG_ONCALL_FROM,
    SD_ARG_ONCALL_UNTIL,
    SD_ARG_ONCALL_REASON,
    SD_ARG_ONCALL_SITE,
    SD_ARG_ONCALL_LIMIT,
    SD_ARG_ONCALL_AFTER,
    SD_ARG_ONCALL_COUNT_
} sd_oncall_arg_t;

/* Arguments of the oncall ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;       /* an override's id (oncall.cancel) */
    char *roster;   /* a roster's name; list filter */
    char *login;    /* who covers (oncall.override) */
    uint64_t from;  /* Unix ms: start of the override; oncall.now: the instant asked about;
                       oncall.ics: first instant exported */
    uint64_t until; /* Unix ms: the end of the override or of the export (excluded) */
    char *reason;   /* why */
    char *site;     /* oncall.now: whose on-call person (a site of the schedule) */
    int limit;      /* list: most overrides */
    char *after;    /* list: resume after this id */
} sd_oncall_args_t;

extern const sd_field_t sd_oncall_args_fields[SD_ARG_ONCALL_COUNT_];

#endif
