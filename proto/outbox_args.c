/* outbox_args.c - the outbox group's field table. */
#include "outbox_args.h"

#include "args_table.h"
#include "sizes.h"

static const char *const s_states[] = {"queued", "sending", "sent", "failed", "unknown"};

#define T sd_outbox_args_t
const sd_field_t sd_outbox_args_fields[SD_ARG_OUTBOX_COUNT_] = {
    [SD_ARG_OUTBOX_ID] = STR(T, id, SD_OUTBOX_ID_MAX, LINE1),
    [SD_ARG_OUTBOX_STATE] = ENUM(T, state, s_states, 5),
    [SD_ARG_OUTBOX_TICKET] = STR(T, ticket, SD_ID_MAX, LINE1),
    [SD_ARG_OUTBOX_LIMIT] = INT(T, limit, 1, SD_OUTBOX_LIMIT_MAX),
    [SD_ARG_OUTBOX_AFTER] = STR(T, after, SD_OUTBOX_ID_MAX, SD_F_LINE),
};
#undef T
