/* article_args.h - the argument group of the article ops (article.*). See args.h. */
#ifndef SD_ARTICLE_ARGS_H
#define SD_ARTICLE_ARGS_H

#include "mp.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SD_ARG_ARTICLE_ID,
    SD_ARG_ARTICLE_TITLE,
    SD_ARG_ARTICLE_BODY,
    SD_ARG_ARTICLE_CATEGORY,
    SD_ARG_ARTICLE_KEYWORDS,
    SD_ARG_ARTICLE_LANGUAGE,
    SD_ARG_ARTICLE_AUDIENCE,
    SD_ARG_ARTICLE_BASE_VERSION,
    SD_ARG_ARTICLE_STATE,
    SD_ARG_ARTICLE_VERSION,
    SD_ARG_ARTICLE_FROM,
    SD_ARG_ARTICLE_TO,
    SD_ARG_ARTICLE_TICKET,
    SD_ARG_ARTICLE_LIMIT,
    SD_ARG_ARTICLE_AFTER,
    SD_ARG_ARTICLE_COUNT_
} sd_article_arg_t;

/* Arguments of the article ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;              /* SITE-KB-000001 */
    char *title;           /* new, update: one line */
    char *body;            /* new, update: Markdown */
    char *category;        /* new, update; list filter */
    char *keywords;        /* new, update: comma-separated */
    char *language;        /* new, update; list filter: zh-CN, en, ... */
    int audience;          /* new, update; list filter: sd_article_audience_t */
    uint64_t base_version; /* update: the version the editor started from */
    int state;             /* list filter: sd_article_state_t */
    uint64_t version;      /* version: which one */
    uint64_t from;         /* diff: the older version */
    uint64_t to;           /* diff: the newer version */
    char *ticket;          /* link: the ticket id */
    int limit;             /* list: most articles */
    char *after;           /* list: resume after this id */
} sd_article_args_t;

extern const sd_field_t sd_article_args_fields[SD_ARG_ARTICLE_COUNT_];

#endif
