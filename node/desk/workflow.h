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
#include "schedule.h"
#include "ticket.h"

#include <stddef.h>

#define SD_HOUR_MS (3600ull * 1000)

/* How priority and due times are derived (config: [policy]). */
#define SD_VIP_MAX 2048

typedef struct {
    int matrix[3][3];     /* [impact-1][urgency-1] -> sd_priority_t */
    char vip[SD_VIP_MAX]; /* requesters raised one priority step, space-separated */
    uint64_t response_ms[SD_PRIORITY_COUNT_]; /* first reply target after creation */
    uint64_t resolve_ms[SD_PRIORITY_COUNT_];  /* resolution target after creation */
    char phone_country[4]; /* country code of national phone numbers (phone.h): "86" */
} sd_policy_t;

/* The defaults: impact x urgency matrix P1..P4; seed 001's reply promises
 * (urgent P1/P2: 1 hour, normal P3/P4: 1 day); resolution 4 h, 8 h, 3 d, 5 d. */
void sd_policy_default(sd_policy_t *policy);

/* Who makes the event, and when. */
typedef struct {
    const char *site;           /* this node's site id */
    const sd_policy_t *policy;  /* priority and due times */
    const sd_schedule_t *sched; /* calendars for business time; NULL: 7x24 wall clock */
    uint64_t now_ms;            /* the node's clock (schedule.h), Unix ms */
    bool hub;                   /* this node is the hub (it may hand over any site's ticket) */
    const char *author;         /* who acts: the authenticated caller (node/auth/authn.h);
                                   the scheduler names its own identity per event */
} sd_workflow_ctx_t;

/* Builds the event for a writing request (sd_req_op_writes). `cur` is the
 * ticket the request names, or NULL for ticket.new or when it does not exist.
 * The author is ctx->author; a ticket.new without a requester is the author's own.
 * On success ev holds op, author, fields and mask (or comment); the caller sets
 * origin, seq, hlc and key. ev must be zeroed; on error it is cleared.
 * Errors: SD_ENOTFOUND (no such ticket), SD_ETRANSITION (status does not
 * allow it; the fault says what is allowed), SD_ETOOBIG (too many comments),
 * SD_ERANGE (pending without customer or vendor),
 * SD_ENOMEM. */
int sd_workflow_build(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const sd_request_t *req,
                      sd_event_t *ev, sd_fault_t *fault);

/* The scheduler's events (node/scheduler.h), on ticket cur, made by author.
 * Same contract as sd_workflow_build.
 * Handover: cur's owner site becomes to, with note; due times move to the
 * new owner's hours unless the ticket follows the sun. SD_EINVAL when to is
 * not a site of the schedule (when it has sites) or already owns it,
 * SD_ETRANSITION when cur is not open. */
int sd_workflow_handover(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *to,
                         const char *note, const char *author, sd_event_t *ev, sd_fault_t *fault);
/* The hub takes cur from its silent owner site and gives it to person (on
 * call) while no other site is on duty: a handover to the hub's own site
 * (ctx->site) that also sets the owner to person, with note. SD_EINVAL when
 * ctx is not a hub, cur is not open or the hub already owns it. */
int sd_workflow_take(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *person,
                     const char *note, const char *author, sd_event_t *ev);
/* The receiving site takes a handed-over ticket (node/desk/receive.h): the
 * team becomes team; with agent non-NULL the assignee and the owner become
 * agent, with NULL the assignee is unset (the team queue) and the owner
 * stays. Given to an agent, an acknowledged ticket becomes assigned.
 * Writes the ASSIGN register (and OWNER with an agent), op ticket.assign. */
int sd_workflow_receive(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *team,
                        const char *agent, const char *author, sd_event_t *ev);
/* Functional escalation to the next tier, with the reason; at is when the
 * tier's limit was reached (the new tier_since and sla_at). */
int sd_workflow_escalate(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *reason,
                         uint64_t at, const char *author, sd_event_t *ev);
/* SLA state change reached at `at` (sla_at); a breach also sets escalated
 * (hierarchical escalation). The scheduler passes values that depend only on
 * the ticket (sd_sla_assess), so the owner site and the hub deciding the same
 * change write the same registers (PROTOCOL section 8). */
int sd_workflow_sla(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, int state,
                    const char *reason, uint64_t at, const char *author, sd_event_t *ev);

/* Writes "ack, cancel, comment" - the operations status allows - into out. */
void sd_workflow_allowed(int status, char *out, size_t cap);

#endif
