/* bulletin_args.c - the bulletin group's field table. */
#include "bulletin_args.h"

#include "args_table.h"
#include "bulletin.h"
#include "sizes.h"

#define T sd_bulletin_args_t
const sd_field_t sd_bulletin_args_fields[SD_ARG_BULLETIN_COUNT_] = {
    [SD_ARG_BULLETIN_ID] = STR(T, id, SD_ID_MAX, LINE1),
    [SD_ARG_BULLETIN_TITLE] = STR(T, title, SD_TITLE_MAX, LINE1),
    [SD_ARG_BULLETIN_BODY] = STR(T, body, SD_TEXT_MAX, 0),
    [SD_ARG_BULLETIN_SEVERITY] = ENUM(T, severity, sd_bulletin_severity_names, SD_SEVERITY_COUNT_),
    [SD_ARG_BULLETIN_SITES] = STR(T, sites, SD_BULLETIN_SITES_MAX, SD_F_LINE),
    [SD_ARG_BULLETIN_CATEGORY] = STR(T, category, SD_CATEGORY_MAX, SD_F_LINE),
    [SD_ARG_BULLETIN_VALID_FROM] = SCALAR(T, "valid_from", SD_F_U64, valid_from),
    [SD_ARG_BULLETIN_VALID_UNTIL] = SCALAR(T, "valid_until", SD_F_U64, valid_until),
    [SD_ARG_BULLETIN_MAJOR] = STR(T, major, SD_ID_MAX, SD_F_LINE),
    [SD_ARG_BULLETIN_CURRENT] = SCALAR(T, "current", SD_F_BOOL, current),
    [SD_ARG_BULLETIN_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_BULLETIN_AFTER] = STR(T, after, SD_ID_MAX, SD_F_LINE),
};
#undef T
