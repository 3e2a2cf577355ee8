/* op_audit.h - audit.list: who did what, when, from which site; and what was refused here.
 *
 * A read handler of proto/ops.def (sd_api_read_fn, dispatch.h). Entries come from two places:
 * the event log (every event of every kind, from every site: its author is the authenticated
 * identity that made it, its origin the site) and this node's refusals (node/auth/audit.h).
 * The newest `limit` (default 100) matching entries are answered, oldest first:
 * {entries: [{at, site, user, via, op, record, outcome, reason, count}], more}. Without a ticket
 * the whole log is read (the cost grows with the log; a ticket reads only its timeline). */
#ifndef SD_OP_AUDIT_H
#define SD_OP_AUDIT_H

#include "dispatch.h"

int sd_api_audit_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);

#endif
