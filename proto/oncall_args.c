/* oncall_args.c - the field table of the oncall group. */
#include "oncall_args.h"

#include "args_table.h"
#include "sizes.h"

#define T sd_oncall_args_t
const sd_field_t sd_oncall_args_fields[SD_ARG_ONCALL_COUNT_] = {
    [SD_ARG_ONCALL_ID] = STR(T, id, SD_ID_MAX, LINE1),
    [SD_ARG_ONCALL_ROSTER] = STR(T, roster, SD_NAME_MAX, LINE1),
    [SD_ARG_ONCALL_LOGIN] = STR(T, login, SD_NAME_MAX, LINE1),
    [SD_ARG_ONCALL_FROM] = SCALAR(T, "from", SD_F_U64, from),
    [SD_ARG_ONCALL_UNTIL] = SCALAR(T, "until", SD_F_U64, until),
    [SD_ARG_ONCALL_REASON] = STR(T, reason, SD_NOTE_MAX, 0),
    [SD_ARG_ONCALL_SITE] = STR(T, site, SD_SITE_MAX, LINE1),
    [SD_ARG_ONCALL_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_ONCALL_AFTER] = STR(T, after, SD_ID_MAX, LINE1),
};
#undef T
