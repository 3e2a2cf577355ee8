/* desk_args.c - the field tables of the schedule and report groups. */
#include "args_table.h"
#include "desk_args.h"
#include "sizes.h"

#define T sd_schedule_args_t
const sd_field_t sd_schedule_args_fields[SD_ARG_SCHEDULE_COUNT_] = {
    [SD_ARG_SCHEDULE_FROM] = SCALAR(T, "from", SD_F_U64, from),
    [SD_ARG_SCHEDULE_DAYS] = INT(T, days, 1, 31),
};
#undef T

/* site and limit mean the same as in the ticket group: same name, same limits. */
#define T sd_report_args_t
const sd_field_t sd_report_args_fields[SD_ARG_REPORT_COUNT_] = {
    [SD_ARG_REPORT_SITE] = STR(T, site, SD_SITE_MAX, LINE1),
    [SD_ARG_REPORT_SINCE] = SCALAR(T, "since", SD_F_U64, since),
    [SD_ARG_REPORT_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
};
#undef T
