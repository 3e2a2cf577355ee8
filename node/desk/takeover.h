/* takeover.h - the hub's part in follow the sun: the tickets of a silent site.
 *
 * A site is silent when the hub has had no heartbeat from its node for
 * schedule takeover_grace_ms (real ms; sd_sched_ctx_t.silent_ms). For the
 * open tickets such a site owns, the hub's scheduler (author scheduler@HUB):
 *   - hands a follow-the-sun ticket to the site on duty the longest, never to
 *     another silent site (scheduler.c, handover);
 *   - when no other site is on duty, takes it at once for the person on call
 *     for the owner site (oncall.h, sd_oncall_who; when the rosters' hours
 *     do not cover the moment - a "gaps" roster is off while the dead site's
 *     calendar is on duty - the person the first roster answering for the
 *     site has in its rotation or override then): a handover to the hub's
 *     own site, owner = that person, with a note saying why; the same event
 *     pages the person (registers oncall, paged_at; oncall.h). The site is the
 *     hub, not the person's home site: the person's home site may be the
 *     silent one, and the hub's node is up to keep the ticket's clocks;
 *   - evaluates SLA (at risk, breach) and functional escalation of every
 *     ticket it leaves with the silent site, as the owner's node would.
 * No ping-pong: a ticket the hub took stays with the hub (and the person on
 * call) when the silent site returns; the hub hands it on only to a site
 * whose shift began after the takeover (a site on duty since then without a
 * break, the returning one included, does not get it back), and the owner
 * finds what was taken in `sundesk handover report --taken-from SITE`.
 * One writer per decision: an SLA or escalation decision made by both the
 * hub and the returning site carries the same values (sla.h, sd_sla_assess),
 * so the registers converge to one state in any order, the history shows it
 * once and the breach counter counts the ticket once (PROTOCOL section 8). */
#ifndef SD_TAKEOVER_H
#define SD_TAKEOVER_H

#include "scheduler.h"

#include <stdbool.h>
#include <stdint.h>

/* True when this node may hear site and has not for takeover_grace_ms. */
bool sd_takeover_silent(const sd_sched_ctx_t *ctx, const char *site);

/* Sites (bit i = member i of the schedule) the hub must not hand t to now:
 * the owner (index owner, may be -1), every silent site, and, for a ticket
 * the hub took, every site on duty without a break since the takeover. 0 for
 * a node that is not the hub, except the owner's bit. */
uint64_t sd_takeover_exclude(const sd_sched_ctx_t *ctx, const sd_ticket_t *t, int owner);

/* The hub's takeover of t (owned by a silent site, no other site on duty)
 * for the person on call for the owner site: 1 with the event in ev, 0 when
 * nobody is on call, or SD_ENOMEM. */
int sd_takeover_oncall(const sd_sched_ctx_t *ctx, const sd_ticket_t *t, sd_event_t *ev);

#endif
