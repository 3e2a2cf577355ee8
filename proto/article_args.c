/* article_args.c - the article group's field table. */
#include "article_args.h"

#include "args_table.h"
#include "article.h"
#include "sizes.h"

#define T sd_article_args_t
#define U64(n)                                                                                     \
    {                                                                                              \
#n, SD_F_U64, 0, 0, offsetof(T, n), 0, 0, NULL                                             \
    }
const sd_field_t sd_article_args_fields[SD_ARG_ARTICLE_COUNT_] = {
    [SD_ARG_ARTICLE_ID] = STR(T, id, SD_ID_MAX, LINE1),
    [SD_ARG_ARTICLE_TITLE] = STR(T, title, SD_TITLE_MAX, LINE1),
    [SD_ARG_ARTICLE_BODY] = STR(T, body, SD_TEXT_MAX, 0),
    [SD_ARG_ARTICLE_CATEGORY] = STR(T, category, SD_CATEGORY_MAX, SD_F_LINE),
    [SD_ARG_ARTICLE_KEYWORDS] = STR(T, keywords, SD_ARTICLE_KEYWORDS_MAX, SD_F_LINE),
    [SD_ARG_ARTICLE_LANGUAGE] = STR(T, language, SD_LANG_MAX, SD_F_LINE),
    [SD_ARG_ARTICLE_AUDIENCE] = ENUM(T, audience, sd_article_audience_names, SD_AUDIENCE_COUNT_),
    [SD_ARG_ARTICLE_BASE_VERSION] = U64(base_version),
    [SD_ARG_ARTICLE_STATE] = ENUM(T, state, sd_article_state_names, SD_ASTATE_COUNT_),
    [SD_ARG_ARTICLE_VERSION] = U64(version),
    [SD_ARG_ARTICLE_FROM] = U64(from),
    [SD_ARG_ARTICLE_TO] = U64(to),
    [SD_ARG_ARTICLE_TICKET] = STR(T, ticket, SD_ID_MAX, LINE1),
    [SD_ARG_ARTICLE_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_ARTICLE_AFTER] = STR(T, after, SD_ID_MAX, SD_F_LINE),
};
#undef T
