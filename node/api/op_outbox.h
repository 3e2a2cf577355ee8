/* op_outbox.h - the handler proto/ops.def names for the outbox ops (outbox.list, outbox.retry).
 * The channels thread answers them (node/channels/channels.h; the server hands them over in
 * server_channels.c), so the handler table's entry only says so if it is ever reached. */
#ifndef SD_OP_OUTBOX_H
#define SD_OP_OUTBOX_H

#include "dispatch.h"

/* Returns SD_EUNAVAILABLE: an outbox op is answered by the channels thread, never here. */
int sd_api_channels_elsewhere(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                              sd_fault_t *fault);

#endif
