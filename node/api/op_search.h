/* op_search.h - the handler proto/ops.def names for the search ops (search.*). The search thread
 * answers them (node/search/search.h; the server hands them over in server_search.c), so the
 * handler table's entry only says so if it is ever reached. */
#ifndef SD_OP_SEARCH_H
#define SD_OP_SEARCH_H

#include "dispatch.h"

/* Returns SD_EUNAVAILABLE: a search op is answered by the search thread, never here. */
int sd_api_search_elsewhere(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                            sd_fault_t *fault);

#endif
