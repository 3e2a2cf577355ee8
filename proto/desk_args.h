/* desk_args.h - the argument groups of the desk's ops on no record: schedule.coverage
 * (schedule) and handover.report (report). */
#ifndef SD_DESK_ARGS_H
#define SD_DESK_ARGS_H

#include "mp.h"

#include <stdint.h>

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

#endif
