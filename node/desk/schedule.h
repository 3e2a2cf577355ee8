/* schedule.h - the follow-the-sun schedule of a desk: site calendars, 7x24 policy, clock.
 *
 * Every node of a desk is given the same [schedule] section (config.h), so
 * every node computes the same duty, due times and handover targets:
 *     schedule
 *         follow_sun = "P1"            # priorities handled 7x24 across sites
 *         warn_percent = 75            # SLA warning at this share of the target
 *         escalate_minutes = "20 60 240"   # L1 -> L1.5 -> L2 -> L3 without resolution; 0 = never
 *         takeover_grace_ms = 30000    # hub: owner site silent this long -> hub hands over
 *         tick_ms = 1000               # how often the scheduler looks at open tickets
 *         site                         # one per site, same order on every node
 *             name = APAC
 *             zone = Asia/Shanghai
 *             hours = "mon-fri 07:00-16:00"
 *             holidays = "2026-01-01 2026-02-17"
 *             ics = /etc/sundesk/cn-holidays.ics   # optional, repeatable
 *         oncall                       # on-call roster, repeatable (node/desk/oncall.h)
 *             name = desk-oncall
 *             sites = "EMEA AMER"      # sites it answers for; omitted: every site
 *             zone = Europe/London
 *             members = "amy bob cho"  # rotation order
 *             handoff = "mon 09:00"    # weekly, local time in zone
 *             start = 2027-01-04       # first handoff on or after: members[0]
 *             hours = gaps             # default; or "sat-sun 00:00-24:00"
 *             holidays = "2027-12-25"  # the next member covers these dates
 * Test only, off by default: clock_start = 2026-03-02T02:00:00Z, clock_speed =
 * 1800 and clock_origin_ms = <Unix ms> make the node's clock read clock_start
 * at real time clock_origin_ms and run clock_speed times faster, the same on
 * every node given the same three values.
 *
 * With no site listed the desk has no calendars: SLA clocks run 7x24 on the
 * wall clock and nothing is handed over. */
#ifndef SD_SCHEDULE_H
#define SD_SCHEDULE_H

#include "calendar.h"
#include "clock.h"
#include "ticket.h"

#include <stdbool.h>

#define SD_ESCALATE_STEPS 3 /* L1 -> L1.5, L1.5 -> L2, L2 -> L3 */

#define SD_ONCALL_ROSTERS_MAX  16  /* on-call rosters per desk */
#define SD_ONCALL_MEMBERS_MAX  32  /* people per roster */
#define SD_ONCALL_HOLIDAYS_MAX 400 /* holiday dates per roster */

/* An on-call roster (schedule/oncall, node/desk/oncall.h): who answers when
 * nobody is on duty. Identical at every node, like the site calendars. */
typedef struct {
    char name[SD_NAME_MAX + 1]; /* login-like name: ids of overrides name it */
    char team[SD_NAME_MAX + 1]; /* the team it belongs to, "" = none (informative) */
    uint64_t sites;             /* bit i: answers for schedule site i; 0 = every site */
    sd_calendar_t *cal;         /* its zone, and its hours when not gaps (owned) */
    bool gaps;                  /* hours = gaps: on call exactly when no site is on duty */
    char *members[SD_ONCALL_MEMBERS_MAX]; /* logins in rotation order (owned) */
    size_t nmembers;                      /* 0: an empty roster, nobody is ever on call */
    int handoff_day;                      /* weekday of the handoff, 0 = Monday .. 6 = Sunday */
    int handoff_min;                      /* local minutes after midnight of the handoff */
    int32_t start_day; /* local date (days since 1970) on or after which the first handoff, to
                          members[0], falls */
    int32_t holidays[SD_ONCALL_HOLIDAYS_MAX]; /* local dates: the next member covers them */
    size_t nholidays;                         /* how many */
} sd_oncall_roster_t;

typedef struct {
    sd_calset_t *sites;                      /* calendars in config order (owned), NULL: none */
    bool follow_sun[SD_PRIORITY_COUNT_];     /* priorities whose tickets follow the sun */
    int warn_percent;                        /* 1..99 */
    int escalate_minutes[SD_ESCALATE_STEPS]; /* business minutes per tier; 0 = never */
    int takeover_grace_ms;                   /* real ms without a heartbeat from the owner site */
    int tick_ms;                             /* scheduler period, real ms */
    sd_clock_t clock;                        /* what "now" is for every event and decision */
    int64_t clock_start, clock_speed, clock_origin; /* test clock as configured, 0 = unset */
    char *handover_team[SD_CALSET_MAX];    /* per site (index in sites): team receiving handovers,
                                              owned; NULL = none named */
    bool handover_to_queue[SD_CALSET_MAX]; /* per site: handover_assign = queue (no agent picked) */
    sd_oncall_roster_t *oncall[SD_ONCALL_ROSTERS_MAX]; /* on-call rosters, config order (owned) */
    size_t noncall;                                    /* how many */
    /* The hours a follow-the-sun ticket's SLA clock counts besides the sites':
     * oncall_always when a gaps roster has members (sites + gaps = 7x24), else
     * cover: the sites' calendars and the explicit hours of rosters with
     * members (owned; NULL when no roster adds hours). */
    bool oncall_always;
    sd_calset_t *cover;
} sd_schedule_t;

/* Defaults: no sites, P1 follows the sun, warn at 75 %, escalate after 20,
 * 60, 240 minutes, grace 30 s, tick 1 s, real clock. */
void sd_schedule_default(sd_schedule_t *sched);

/* The team named to receive follow-the-sun handovers at site (schedule/site
 * handover_team), borrowed until sd_schedule_clear(); NULL when the site is
 * not in the schedule or names none. */
const char *sd_schedule_handover_team(const sd_schedule_t *sched, const char *site);

/* Frees the calendars and team names; NULL-safe. */
void sd_schedule_clear(sd_schedule_t *sched);

/* Whose hours a ticket's SLA clock counts: the union of all sites and the
 * on-call hours of rosters with members for a follow-the-sun ticket (7x24
 * when a "gaps" roster has members), the owner site's calendar otherwise; 7x24 when the
 * desk has no calendars or the owner site has none (e.g. the hub). */
sd_duty_t sd_schedule_duty(const sd_schedule_t *sched, const sd_ticket_t *t);

/* Business-time arithmetic on that duty, never failing: a calendar error
 * (no working hours within two years, time out of range) falls back to the
 * wall clock, so a due time is always set. */
uint64_t sd_schedule_add(const sd_schedule_t *sched, const sd_ticket_t *t, uint64_t start,
                         uint64_t duration_ms);
int64_t sd_schedule_elapsed(const sd_schedule_t *sched, const sd_ticket_t *t, uint64_t a,
                            uint64_t b);

#endif
