/* receive.h - the receiving side of a handover: from a site to a person.
 *
 * Each site may name a receiving team (schedule/site handover_team). When
 * that site's node owns a ticket another site handed over and nobody has
 * taken it since, its scheduler (author scheduler@SITE) assigns the ticket
 * to the team and to one of its on-duty agents, who also becomes the owner;
 * with nobody on duty (or schedule/site handover_assign = queue) the ticket
 * stays in the team queue, assignee unset and owner unchanged.
 *
 * On duty, for an agent: an active user holding the agent role at the site,
 * whose home_site is the site and whose teams hold the receiving team, while
 * the site's calendar is on duty. A person has no calendar of their own (no
 * shifts or leave yet): the site's hours stand for the shift of everyone who
 * belongs to it. Never an agent of another site, never outside the hours.
 *
 * The choice is deterministic: least load (open follow-the-sun tickets
 * assigned to the agent, at any site), ties to the smaller login. */
#ifndef SD_RECEIVE_H
#define SD_RECEIVE_H

#include "schedule.h"
#include "store.h"
#include "ticket.h"
#include "user.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One on-duty agent of the receiving team. */
typedef struct {
    char login[SD_ID_MAX + 1]; /* the user's login */
    uint32_t base;             /* load when the roster was read */
    uint32_t load;             /* base plus the tickets given in this tick */
} sd_receiver_t;

/* The on-duty agents of one site's receiving team. Zero it before use; free
 * with sd_roster_clear(). */
typedef struct {
    sd_receiver_t *agents; /* sorted by login (owned) */
    size_t n;              /* how many */
    size_t cap;            /* allocated */
} sd_roster_t;

/* True when t waits for the receiving site's node: site owns it, it was
 * handed over, the site names a receiving team, and no assignment was made
 * since the handover (the ASSIGN register is older than the OWNER one). */
bool sd_receive_due(const sd_schedule_t *sched, const sd_ticket_t *t, const char *site);

/* True when u is on duty for team at site at now (see above). */
bool sd_receive_on_duty(const sd_schedule_t *sched, const sd_user_t *u, const char *team,
                        const char *site, uint64_t now);

/* Reads into r (cleared first) the on-duty agents of site's receiving team
 * and their load. Empty when the site names no team or assigns to the queue.
 * Returns 0, SD_ENOMEM, or a store error. */
int sd_roster_read(sd_store_txn_t *txn, const sd_schedule_t *sched, const char *site, uint64_t now,
                   sd_roster_t *r);

/* Adds u with load to r (kept sorted by login). 0 or SD_ENOMEM. */
int sd_roster_add(sd_roster_t *r, const char *login, uint32_t load);

/* The agent to give the next ticket: least load, ties to the smaller login;
 * borrowed from r; NULL when r is empty. */
const char *sd_roster_pick(const sd_roster_t *r);

/* One more ticket given to login in this tick (no-op when absent). */
void sd_roster_gave(sd_roster_t *r, const char *login);

/* Forgets the tickets given in this tick: load = base. */
void sd_roster_rewind(sd_roster_t *r);

/* Frees the agents; NULL-safe. */
void sd_roster_clear(sd_roster_t *r);

#endif
