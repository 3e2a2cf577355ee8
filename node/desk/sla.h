/* sla.h - SLA targets of a ticket: priority, due times in business time, pause, warnings.
 *
 * A ticket's clocks (response and resolution) run on its duty source
 * (schedule.h: the union of all sites for a follow-the-sun ticket, the owner
 * site's hours otherwise). Due times are stored on the ticket; whenever
 * something they depend on changes - priority, follow_sun, owner site, a
 * pause - they are moved so that the business time already used stays used:
 * the time left at the moment of the change is carried to the new source.
 * All functions are pure: they read the schedule and write only what the
 * caller passes them. Times are Unix ms. */
#ifndef SD_SLA_H
#define SD_SLA_H

#include "schedule.h"
#include "ticket.h"
#include "workflow.h"

#include <stddef.h>
#include <stdint.h>

/* Priority from the impact x urgency matrix, one step higher (never above
 * P1) when requester is in the policy's VIP list. */
int sd_sla_priority(const sd_policy_t *policy, int impact, int urgency, const char *requester);

/* Whether a ticket of this priority follows the sun by policy. */
bool sd_sla_follows_sun(const sd_schedule_t *sched, int priority);

/* Sets f->response_due and f->resolve_due of a new ticket from start; f has
 * priority, follow_sun and owner_site set. */
void sd_sla_start(const sd_schedule_t *sched, const sd_policy_t *policy, sd_ticket_t *f,
                  uint64_t start);

/* Moves the due times after a change: before is the ticket as it was, after
 * the same ticket with its new priority, follow_sun or owner site. Business
 * time left on each clock is carried over (plus the difference of the
 * targets when the priority changed), counted from now, or from the pause
 * when the clock is paused. A response already given keeps its due time.
 * Writes *response_due and *resolve_due. */
void sd_sla_retarget(const sd_schedule_t *sched, const sd_policy_t *policy,
                     const sd_ticket_t *before, const sd_ticket_t *after, uint64_t now,
                     uint64_t *response_due, uint64_t *resolve_due);

/* The clock resumes at now after a pause that began at t->sla_paused_at:
 * each due time still ahead at the pause moves by the business time paused.
 * response_due moves only while the response is still owed (neither
 * t->acknowledged_at nor t->first_response_at set); resolve_due always. */
void sd_sla_resume(const sd_schedule_t *sched, const sd_ticket_t *t, uint64_t now,
                   uint64_t *response_due, uint64_t *resolve_due);

/* The SLA state t should be in at now (sd_sla_state_t), with a one-line
 * reason when it differs from t->sla_state and *at, the moment that state was
 * reached: the missed due time for a breach, the moment warn_percent of the
 * target was used for at risk (counted from creation), now for back to ok.
 * Reason and *at of a breach or a warning depend only on the ticket and the
 * schedule, not on now: two nodes deciding it write the same registers.
 * Breached is final; a pending or finished ticket keeps its state. */
int sd_sla_assess(const sd_schedule_t *sched, const sd_policy_t *policy, const sd_ticket_t *t,
                  uint64_t now, char *reason, size_t cap, uint64_t *at);

/* Writes "2026-03-02 08:00Z" for Unix ms t. */
void sd_sla_time(uint64_t t, char *out, size_t cap);

/* Writes a business duration as "2h 05m" (negative: "-0h 10m"). */
void sd_sla_span(int64_t ms, char *out, size_t cap);

#endif
