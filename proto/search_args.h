/* search_args.h - the argument group of the search ops (search.*). See args.h. */
#ifndef SD_SEARCH_ARGS_H
#define SD_SEARCH_ARGS_H

#include "mp.h"

#include <stdint.h>

#define SD_SEARCH_QUERY_MAX 1024 /* bytes of a query */
#define SD_SEARCH_TEXT_MAX  8192 /* bytes of the text search.suggest matches articles to */
#define SD_SEARCH_LIMIT_MAX 100  /* hits of one page */

typedef enum {
    SD_ARG_SEARCH_Q,
    SD_ARG_SEARCH_KIND,
    SD_ARG_SEARCH_SITE,
    SD_ARG_SEARCH_STATUS,
    SD_ARG_SEARCH_CATEGORY,
    SD_ARG_SEARCH_FROM,
    SD_ARG_SEARCH_TO,
    SD_ARG_SEARCH_LIMIT,
    SD_ARG_SEARCH_CURSOR,
    SD_ARG_SEARCH_TICKET,
    SD_ARG_SEARCH_TEXT,
    SD_ARG_SEARCH_COUNT_
} sd_search_arg_t;

/* Arguments of the search ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *q;        /* query: the words, "phrases", AND/OR/NOT, +word, -word */
    char *kind;     /* comma list of ticket, article, customer */
    char *site;     /* filter: a ticket's owner site, a customer's home site */
    char *status;   /* filter: a ticket's status, an article's state */
    char *category; /* filter: ticket or article category (exact) */
    uint64_t from;  /* filter: changed at or after (Unix ms) */
    uint64_t to;    /* filter: created before (Unix ms) */
    int limit;      /* hits of a page */
    char *cursor;   /* next_cursor of the previous page */
    char *ticket;   /* suggest: the ticket whose title and description to match */
    char *text;     /* suggest: the text to match */
} sd_search_args_t;

extern const sd_field_t sd_search_args_fields[SD_ARG_SEARCH_COUNT_];

#endif
