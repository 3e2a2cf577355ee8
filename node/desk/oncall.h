/* oncall.h - who is on call when no site is on duty: rosters, weekly rotation, holiday swaps and
 * overrides.
 *
 * A roster (schedule/oncall, schedule.h sd_oncall_roster_t) is the same config at every node;
 * an override (the replicated `oncall` kind, proto/oncall.h) is a record every node holds. So
 * every node computes the same person for the same instant. The rules:
 *   - Hours: a roster is on call during its hours: "gaps" (the default) means exactly when no
 *     site of the schedule is on duty; otherwise its own weekly hours in its zone (calendar.h
 *     rules, also for DST). Outside its hours nobody is on call for it, override or not.
 *   - Rotation: members take turns a week each. Handoff k happens at the first instant the
 *     roster's clock shows the handoff weekday and time of week k or later (week 0: the first
 *     handoff weekday on or after `start`, to members[0]); so across a DST change the handoff
 *     keeps its local time (the week is 167 or 169 hours long), a handoff in a skipped hour
 *     happens when the clock jumps, one in a repeated hour at its first occurrence. Before
 *     week 0 the rotation runs backwards (week -1 is the last member).
 *   - Holidays: on a roster holiday (a local date in its zone, 00:00 to 24:00 local) the member
 *     after the scheduled one in the order covers instead, so the one whose week it is gets the
 *     day off; with one member, that member.
 *   - Overrides: an override of the roster in force at t (not cancelled, from_at <= t <
 *     until_at) names the person instead of the rotation; of several, the one whose span was
 *     written last (greatest hlc, then origin) wins. An override does not add on-call hours.
 *   - A roster answers for the sites it lists (all sites when it lists none); for a site the
 *     first roster in config order that has somebody on call at t answers.
 *   - An empty roster (no members) has nobody on call except by override, and adds no hours to
 *     the SLA clock (schedule.h).
 * Time is Unix ms, UTC. txn may be NULL: then no override is read. */
#ifndef SD_ONCALL_H
#define SD_ONCALL_H

#include "schedule.h"
#include "sizes.h"
#include "store.h"
#include "ticket.h"

#include <stdbool.h>
#include <stdint.h>

/* 0 and the login of the person on call for site (a site name of the schedule; NULL: any
 * roster; a name not in the schedule: rosters that list no site) at t_ms; SD_ENOTFOUND when
 * nobody is (no roster in its hours with a person), SD_ESTORE/SD_ENOMEM on a store error. */
int sd_oncall_who(const sd_schedule_t *sched, sd_store_txn_t *txn, const char *site, uint64_t t_ms,
                  char login[SD_NAME_MAX + 1]);

/* True when some roster has somebody on call at t_ms. */
bool sd_oncall_covers(const sd_schedule_t *sched, sd_store_txn_t *txn, uint64_t t_ms);

/* Index of the roster named name in sched->oncall, or SD_ENOTFOUND. */
int sd_oncall_find(const sd_schedule_t *sched, const char *name);

/* True when t is within roster r's on-call hours (gaps: no site on duty). */
bool sd_oncall_in_hours(const sd_schedule_t *sched, const sd_oncall_roster_t *r, int64_t t);

/* UTC instant of handoff k of roster r (k = 0: the first on or after start). */
int64_t sd_oncall_handoff(const sd_oncall_roster_t *r, int64_t k);

/* The member the rotation (with the holiday swap, without overrides) names at t: its index in
 * r->members, or -1 for an empty roster or an unsupported t. */
int sd_oncall_rotation(const sd_oncall_roster_t *r, int64_t t);

/* Who roster i has on call at t, ignoring its hours: an override's login (its id into
 * override_id when not NULL, else "") or the rotation's member. Returns 0 or SD_ENOTFOUND
 * (empty roster, no override), SD_ESTORE, SD_ENOMEM. */
int sd_oncall_roster_who(const sd_schedule_t *sched, sd_store_txn_t *txn, size_t i, int64_t t,
                         char login[SD_NAME_MAX + 1], char override_id[SD_ID_MAX + 1]);

/* A stretch in which one person is on call for a roster. */
typedef struct {
    int64_t start, end;           /* [start, end), UTC ms */
    char login[SD_NAME_MAX + 1];  /* who */
    char override[SD_ID_MAX + 1]; /* the override that put them there, "" for the rotation */
} sd_oncall_shift_t;

/* The shifts of roster i within [from, to): its on-call hours cut at handoffs, holiday
 * midnights and override ends, adjacent pieces of one person merged; ascending, into *out
 * (malloc'd, the caller frees it; NULL when *count is 0). Stretches in its hours with nobody
 * (an empty roster) are left out. Returns 0, SD_EINVAL (from > to), SD_ERANGE (as
 * sd_duty_intervals), SD_ESTORE, SD_ENOMEM. */
int sd_oncall_shifts(const sd_schedule_t *sched, sd_store_txn_t *txn, size_t i, int64_t from,
                     int64_t to, sd_oncall_shift_t **out, size_t *count);

/* ---- paging ---------------------------------------------------------------
 * A follow-the-sun ticket that is open and not pending, in a gap (no site of the schedule on
 * duty), is paged to the on-call person for its owner site once per gap: the owner site's
 * scheduler writes a `page` event (ticket registers oncall = login, paged_at = now). A gap is
 * paged again only when a site was on duty since the last page. Until the channels issue
 * lands, a page is recorded (the event), shown (ticket JSON, CLI, console) and logged
 * ("scheduler: id=.. op=page to="login" seq=.."); nobody is messaged. */

/* True when t should be paged at now by the rule above (who is on call is not checked). */
bool sd_oncall_page_due(const sd_schedule_t *sched, const sd_ticket_t *t, uint64_t now);

/* Builds the page event of ticket cur into ev (zeroed): op page, author, registers oncall =
 * login and paged_at = now; the caller stamps origin, seq, hlc and key. Returns 0 or
 * SD_ENOMEM (ev cleared). */
int sd_oncall_page(const sd_ticket_t *cur, const char *login, uint64_t now, const char *author,
                   sd_event_t *ev);

/* Adds the page register (oncall = login, paged_at = now) to ev, a ticket event already started
 * (e.g. a takeover that hands the ticket to the on-call person and pages them in one event).
 * Returns 0 or SD_ENOMEM (ev unchanged). */
int sd_oncall_page_into(sd_event_t *ev, const char *login, uint64_t now);

#endif
