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

#endif
