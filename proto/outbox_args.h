/* outbox_args.h - the argument group of the outbox ops (outbox.list, outbox.retry: the node's
 * send queue of notices, node/channels/channels.h). See args.h. */
#ifndef SD_OUTBOX_ARGS_H
#define SD_OUTBOX_ARGS_H

#include "mp.h"

#include <stdint.h>

#define SD_OUTBOX_ID_MAX    250 /* an entry's id: a Message-ID without its brackets */
#define SD_OUTBOX_LIMIT_MAX 500 /* entries of one page */

typedef enum {
    SD_ARG_OUTBOX_ID,
    SD_ARG_OUTBOX_STATE,
    SD_ARG_OUTBOX_TICKET,
    SD_ARG_OUTBOX_LIMIT,
    SD_ARG_OUTBOX_AFTER,
    SD_ARG_OUTBOX_COUNT_
} sd_outbox_arg_t;

/* Arguments of the outbox ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;     /* retry: the entry */
    int state;    /* list: queued, sending, sent, failed, unknown (sd_sendq_state_t) */
    char *ticket; /* list: entries about this ticket */
    int limit;    /* list: entries of a page (default 50) */
    char *after;  /* list: next_after of the previous page */
} sd_outbox_args_t;

extern const sd_field_t sd_outbox_args_fields[SD_ARG_OUTBOX_COUNT_];

#endif
