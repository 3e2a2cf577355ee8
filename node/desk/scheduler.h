/* scheduler.h - the follow-the-sun scheduler: handovers, SLA warnings and breaches, escalation.
 *
 * Every tick the node looks at each open ticket and makes at most one event
 * per ticket, in this order of precedence:
 *   1. handover: a follow-the-sun ticket whose owner site is off duty goes
 *      to the site on duty the longest from now (sd_calset_pick), with a
 *      generated note. The owner site's node does it; the hub does it
 *      instead when the owner site has sent no heartbeat for
 *      takeover_grace_ms (then also when the owner is on duty, and never to
 *      another silent site). Concurrent handovers of one ticket (owner and
 *      hub) converge: the OWNER register is last-writer-wins, and the next
 *      tick hands the ticket on if the winner is off duty. When no other
 *      site is on duty, the hub takes the ticket of a silent site at once
 *      for the person on call (takeover.h).
 *   2. receiving (owner only): a ticket handed to this site and not assigned
 *      since goes to the site's receiving team and to its on-duty agent
 *      with the least load, who becomes the owner (receive.h).
 *   2b. page (owner, or the hub for a silent owner site): a follow-the-sun
 *      ticket in a gap (no site on duty) pages the on-call person for its
 *      site once per gap (oncall.h).
 *   3. SLA state (owner, or the hub for a silent owner site): at_risk at
 *      warn_percent of a target, breached at 100 %; a breach also flags the
 *      ticket escalated and logs that the manager is notified (hierarchical
 *      escalation). The event's values depend only on the ticket (sla.h).
 *   4. functional escalation (owner, or the hub for a silent owner site): a
 *      ticket in L1, L1.5 or L2 for escalate_minutes of business time
 *      without resolution moves one tier, tier_since = when the limit was
 *      reached.
 * A pending ticket's SLA clocks are paused, so only handover applies to it.
 * Decisions read time only from the schedule's clock (ctx->wf->now_ms). */
#ifndef SD_SCHEDULER_H
#define SD_SCHEDULER_H

#include "event.h"
#include "journal.h"
#include "receive.h"
#include "workflow.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    const sd_workflow_ctx_t *wf; /* this site, policy, schedule and the time now */
    bool hub;                    /* this node is the hub (takes over from silent sites) */
    /* Real ms since site's node was last heard (heartbeat), or -1 when this
     * node cannot tell (not a direct peer). NULL: nobody is ever silent. */
    int64_t (*silent_ms)(void *arg, const char *site);
    void *silent_arg; /* for silent_ms and settled */
    /* A site's node (not the hub) decides nothing until this says it has
     * caught up with its upstreams since it started, or they stayed silent
     * for takeover_grace_ms: a returning site first learns what the hub
     * decided for it meanwhile (takeover.h). NULL: always settled. */
    bool (*settled)(void *arg);
    /* On-duty agents of this site's receiving team (receive.h); NULL: a
     * ticket to receive goes to the team queue. sd_sched_tick reads it
     * itself when a tick has something to give; the caller leaves it NULL. */
    sd_roster_t *roster;
    /* The tick's transaction, for the on-call overrides a takeover reads
     * (oncall.h); sd_sched_tick sets it, the caller leaves it NULL (then the
     * rosters' rotation alone says who is on call). */
    sd_store_txn_t *txn;
} sd_sched_ctx_t;

/* Decides what to do with ticket t now and builds that event into ev (op,
 * author, fields, mask; the caller stamps origin, seq, hlc, key). ev must be
 * zeroed. Returns 1 with an event, 0 when nothing is due, or SD_ENOMEM. */
int sd_sched_decide(const sd_sched_ctx_t *ctx, const sd_ticket_t *t, sd_event_t *ev);

/* Open tickets one tick looks at, at most: a tick costs a bounded slice of
 * CPU however long the queue; a desk with more open tickets than this is
 * covered in several ticks (see README, limits). */
#define SD_SCHED_SCAN_MAX 1024

/* One tick over the journal's store: decides for up to SD_SCHED_SCAN_MAX
 * open tickets in queue order from after cursor (a read transaction; ""
 * starts at the top, and the cursor is set to where the next tick goes on,
 * "" after the last), then appends the events through journal in one
 * durable write (sd_journal_write: stamped with this site's clock and seqs,
 * the map grown when full). *first and *last get the seq range of this
 * site's new events (0 when none). The journal's site must be
 * ctx->wf->site. Returns the number of events committed, or a store error. */
int sd_sched_tick(const sd_sched_ctx_t *ctx, sd_journal_t *journal, char cursor[SD_ID_MAX + 1],
                  uint64_t *first, uint64_t *last);

#endif
