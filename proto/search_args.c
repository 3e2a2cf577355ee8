/* search_args.c - the search group's field table. */
#include "search_args.h"

#include "args_table.h"
#include "sizes.h"

#define T sd_search_args_t
const sd_field_t sd_search_args_fields[SD_ARG_SEARCH_COUNT_] = {
    [SD_ARG_SEARCH_Q] = STR(T, q, SD_SEARCH_QUERY_MAX, LINE1),
    [SD_ARG_SEARCH_KIND] = STR(T, kind, 64, LINE1),
    [SD_ARG_SEARCH_SITE] = STR(T, site, SD_SITE_MAX, LINE1),
    [SD_ARG_SEARCH_STATUS] = STR(T, status, 32, LINE1),
    [SD_ARG_SEARCH_CATEGORY] = STR(T, category, SD_NAME_MAX, LINE1),
    [SD_ARG_SEARCH_FROM] = SCALAR(T, "from", SD_F_U64, from),
    [SD_ARG_SEARCH_TO] = SCALAR(T, "to", SD_F_U64, to),
    [SD_ARG_SEARCH_LIMIT] = INT(T, limit, 1, SD_SEARCH_LIMIT_MAX),
    [SD_ARG_SEARCH_CURSOR] = STR(T, cursor, 64, LINE1),
    [SD_ARG_SEARCH_TICKET] = STR(T, ticket, SD_ID_MAX, LINE1),
    [SD_ARG_SEARCH_TEXT] = STR(T, text, SD_SEARCH_TEXT_MAX, SD_F_NONEMPTY),
};
#undef T
