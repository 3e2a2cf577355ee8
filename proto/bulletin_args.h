/* bulletin_args.h - the argument group of the bulletin ops (bulletin.*). See args.h. */
#ifndef SD_BULLETIN_ARGS_H
#define SD_BULLETIN_ARGS_H

#include "mp.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SD_ARG_BULLETIN_ID,
    SD_ARG_BULLETIN_TITLE,
    SD_ARG_BULLETIN_BODY,
    SD_ARG_BULLETIN_SEVERITY,
    SD_ARG_BULLETIN_SITES,
    SD_ARG_BULLETIN_CATEGORY,
    SD_ARG_BULLETIN_VALID_FROM,
    SD_ARG_BULLETIN_VALID_UNTIL,
    SD_ARG_BULLETIN_MAJOR,
    SD_ARG_BULLETIN_CURRENT,
    SD_ARG_BULLETIN_LIMIT,
    SD_ARG_BULLETIN_AFTER,
    SD_ARG_BULLETIN_COUNT_
} sd_bulletin_arg_t;

/* Arguments of the bulletin ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;             /* SITE-BL-000001 */
    char *title;          /* new, update: one line */
    char *body;           /* new, update: text */
    int severity;         /* new, update: sd_bulletin_severity_t */
    char *sites;          /* new, update: comma-separated site ids ("" = every site) */
    char *category;       /* new, update: category of service */
    uint64_t valid_from;  /* new, update: shown from (Unix ms; default now) */
    uint64_t valid_until; /* new, update: shown until (Unix ms) */
    char *major;          /* new, update: the major incident's ticket id ("" = none) */
    bool current;         /* list: only the current ones for the caller's site */
    int limit;            /* list: most bulletins */
    char *after;          /* list: resume after this id */
} sd_bulletin_args_t;

extern const sd_field_t sd_bulletin_args_fields[SD_ARG_BULLETIN_COUNT_];

#endif
