/* workflow.h - the seed-001 request workflow: turns a client request into an event.
 *
 *   new -> acknowledged -> assigned -> in_progress <-> pending
 *                             |            |             |
 *                             +------------+-> resolved <+--> closed
 *   resolved/closed --reopen--> in_progress; anything open --cancel--> cancelled
 *
 * Rules live here and run only where an event is made; replicas merge
 * events without re-checking them (node/fold.h). */
#ifndef SD_WORKFLOW_H
#define SD_WORKFLOW_H

#include "event.h"
#include "request.h"
#include "ticket.h"

#include <stddef.h>

#define SD_HOUR_MS (3600ull * 1000)

/* How priority and due times are derived (config: [policy]). */
typedef struct {
    int matrix[3][3];                         /* [impact-1][urgency-1] -> sd_priority_t */
    uint64_t response_ms[SD_PRIORITY_COUNT_]; /* first reply target after creation */
    uint64_t resolve_ms[SD_PRIORITY_COUNT_];  /* resolution target after creation */
} sd_policy_t;

/* The defaults: impact x urgency matrix P1..P4; seed 001's reply promises
 * (urgent P1/P2: 1 hour, normal P3/P4: 1 day); resolution 4 h, 8 h, 3 d, 5 d. */
void sd_policy_default(sd_policy_t *policy);

/* Who makes the event, and when. */
typedef struct {
    const char *site;          /* this node's site id */
    const sd_policy_t *policy; /* priority and due times */
    uint64_t now_ms;           /* wall clock, Unix ms */
} sd_workflow_ctx_t;

/* Builds the event for a writing request (sd_req_op_writes). `cur` is the
 * ticket the request names, or NULL for ticket.new or when it does not exist.
 * On success ev holds op, author, fields and mask (or comment); the caller sets
 * origin, seq, hlc and key. ev must be zeroed; on error it is cleared.
 * Errors: SD_ENOTFOUND (no such ticket), SD_ETRANSITION (status does not
 * allow it; the fault says what is allowed), SD_ETOOBIG (too many comments),
 * SD_ERANGE (pending without customer or vendor),
 * SD_ENOMEM. */
int sd_workflow_build(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const sd_request_t *req,
                      sd_event_t *ev, sd_fault_t *fault);

/* Writes "ack, cancel, comment" - the operations status allows - into out. */
void sd_workflow_allowed(int status, char *out, size_t cap);

#endif
