/* schedule_ops.h - replies of the schedule and handover read operations (proto/PROTOCOL.md).
 *
 * schedule.now       which sites are on duty now and until when
 * schedule.coverage  who covers each stretch of a period, and its gaps
 * handover.report    the handovers since a time: the shift-change briefing
 * Each writes the result object after sd_reply_ok_begin, or returns an error
 * with the fault set and nothing written. */
#ifndef SD_SCHEDULE_OPS_H
#define SD_SCHEDULE_OPS_H

#include "dispatch.h"

/* Read handlers of proto/ops.def (sd_api_read_fn, dispatch.h). The schedule
 * ops answer SD_EUNAVAILABLE on a node without site calendars. */
int sd_api_schedule_now(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault);

int sd_api_schedule_coverage(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                             sd_fault_t *fault);

int sd_api_handover_report(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                           sd_fault_t *fault);

#endif
