/* op_oncall.h - the on-call ops: overrides (oncall.override, oncall.cancel, oncall.list; oncall.get
 * is the generic sd_api_record_get), who is on call (oncall.now) and a roster's shifts as
 * iCalendar (oncall.ics). Handlers of proto/ops.def (the contracts of sd_api_read_fn and
 * sd_api_write_fn, dispatch.h); the rules are node/desk/oncall.h. */
#ifndef SD_OP_ONCALL_H
#define SD_OP_ONCALL_H

#include "dispatch.h"

/* Days of shifts oncall.ics exports when the request gives no until. */
#define SD_ONCALL_ICS_DAYS 28

int sd_api_oncall_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                        sd_event_t *ev, sd_fault_t *fault);
int sd_api_oncall_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);
int sd_api_oncall_now(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);
int sd_api_oncall_ics(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);

#endif
