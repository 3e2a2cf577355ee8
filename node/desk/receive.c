/* receive.c - the receiving side of a handover: the on-duty agents of a site's team and the pick.
 */
#include "receive.h"

#include "error.h"
#include "record.h"
#include "ticket_store.h"

#include <stdlib.h>
#include <string.h>

bool sd_receive_due(const sd_schedule_t *sched, const sd_ticket_t *t, const char *site)
{
    return sched && t->owner_site && site && strcmp(t->owner_site, site) == 0 && t->handover_from &&
           sd_schedule_handover_team(sched, site) &&
           t->stamps[SD_REG_ASSIGN].hlc < t->stamps[SD_REG_OWNER].hlc;
}

bool sd_receive_on_duty(const sd_schedule_t *sched, const sd_user_t *u, const char *team,
                        const char *site, uint64_t now)
{
    if (!sched || !sched->sites || !team || !site || !u->home_site ||
        strcmp(u->home_site, site) != 0 || !sd_list_has(u->teams, team) ||
        !sd_user_has_role(u, SD_ROLE_AGENT, site))
        return false;
    int i = sd_calset_find(sched->sites, site);
    return i >= 0 &&
           sd_duty_on(sd_duty_calendar(sd_calset_at(sched->sites, (size_t)i)), (int64_t)now) == 1;
}

int sd_roster_add(sd_roster_t *r, const char *login, uint32_t load)
{
    if (strlen(login) > SD_ID_MAX)
        return SD_EINVAL;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        sd_receiver_t *grown = realloc(r->agents, cap * sizeof *grown);
        if (!grown)
            return SD_ENOMEM;
        r->agents = grown;
        r->cap = cap;
    }
    size_t at = r->n;
    while (at > 0 && strcmp(r->agents[at - 1].login, login) > 0)
        at--;
    memmove(&r->agents[at + 1], &r->agents[at], (r->n - at) * sizeof *r->agents);
    sd_receiver_t *a = &r->agents[at];
    strcpy(a->login, login);
    a->base = a->load = load;
    r->n++;
    return 0;
}

const char *sd_roster_pick(const sd_roster_t *r)
{
    const sd_receiver_t *best = NULL;
    for (size_t i = 0; r && i < r->n; i++) /* sorted by login: the first of the least wins */
        if (!best || r->agents[i].load < best->load)
            best = &r->agents[i];
    return best ? best->login : NULL;
}

void sd_roster_gave(sd_roster_t *r, const char *login)
{
    for (size_t i = 0; r && login && i < r->n; i++)
        if (strcmp(r->agents[i].login, login) == 0)
            r->agents[i].load++;
}

void sd_roster_rewind(sd_roster_t *r)
{
    for (size_t i = 0; r && i < r->n; i++)
        r->agents[i].load = r->agents[i].base;
}

void sd_roster_clear(sd_roster_t *r)
{
    if (!r)
        return;
    free(r->agents);
    *r = (sd_roster_t){0};
}

/* ---- reading the roster ------------------------------------------------- */

typedef struct {
    const sd_schedule_t *sched; /* calendars */
    const char *site;           /* the receiving site */
    const char *team;           /* its receiving team */
    uint64_t now;               /* when */
    sd_roster_t *r;             /* filled */
} s_read_t;

static int s_user(const void *record, void *arg)
{
    const s_read_t *a = arg;
    const sd_user_t *u = record;
    if (!sd_receive_on_duty(a->sched, u, a->team, a->site, a->now))
        return 0;
    int rc = sd_roster_add(a->r, u->id, 0);
    return rc == SD_EINVAL ? 0 : rc;
}

/* One open follow-the-sun ticket more for its assignee, when on the roster. */
static int s_load(const sd_ticket_t *t, void *arg)
{
    sd_roster_t *r = arg;
    if (t->follow_sun && t->assignee)
        for (size_t i = 0; i < r->n; i++)
            if (strcmp(r->agents[i].login, t->assignee) == 0)
                r->agents[i].base = ++r->agents[i].load;
    return 0;
}

int sd_roster_read(sd_store_txn_t *txn, const sd_schedule_t *sched, const char *site, uint64_t now,
                   sd_roster_t *r)
{
    sd_roster_clear(r);
    const char *team = sd_schedule_handover_team(sched, site);
    int i = team ? sd_calset_find(sched->sites, site) : -1;
    if (i < 0 || sched->handover_to_queue[i])
        return 0;
    s_read_t read = {.sched = sched, .site = site, .team = team, .now = now, .r = r};
    int rc = sd_store_records(txn, &sd_kind_user, NULL, s_user, &read);
    if (rc || !r->n)
        return rc;
    /* The load counts every open ticket: a desk reads its whole queue here,
     * once per tick that has a ticket to give (see README, limits). */
    sd_store_filter_t open = {
        .status = -1, .priority = -1, .sla = -1, .open_only = true, .limit = INT32_MAX};
    bool more = false;
    return sd_store_list(txn, &open, s_load, r, &more);
}
