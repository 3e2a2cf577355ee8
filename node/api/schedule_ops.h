/* schedule_ops.h - replies of the schedule and handover read operations (proto/PROTOCOL.md).
 *
 * schedule.now       which sites are on duty now and until when
 * schedule.coverage  who covers each stretch of a period, and its gaps
 * handover.report    the handovers since a time: the shift-change briefing
 * Each writes the result object after sd_reply_ok_begin, or returns an error
 * with the fault set and nothing written. */
#ifndef SD_SCHEDULE_OPS_H
#define SD_SCHEDULE_OPS_H

#include "mp.h"
#include "request.h"
#include "schedule.h"
#include "store.h"

int sd_ops_schedule_now(const sd_schedule_t *sched, uint64_t now, const sd_request_t *req,
                        sd_mp_writer_t *w, sd_fault_t *fault);

int sd_ops_schedule_coverage(const sd_schedule_t *sched, uint64_t now, const sd_request_t *req,
                             sd_mp_writer_t *w, sd_fault_t *fault);

int sd_ops_handover_report(sd_store_txn_t *txn, const sd_request_t *req, sd_mp_writer_t *w,
                           sd_fault_t *fault);

#endif
