/* robot_deliver.c - the chat hand-off of one queued notice (robot.h): the notice's ticket read
 * for its team, priority and site, then every robot that wants it, once. */
#include "robot.h"

#include "error.h"
#include "record.h"
#include "ticket.h"

#include <czmq.h>
#include <stdio.h>
#include <string.h>

int sd_robot_deliver(const sd_config_t *cfg, sd_store_t *store, const char *console_url,
                     sd_sendq_entry_t *e, uint64_t *wait_ms, char *err, size_t cap)
{
    char team[SD_NAME_MAX + 1] = "", prio[8] = "", site[SD_SITE_MAX + 1],
                            url[SD_MAIL_PATH_MAX + 64];
    snprintf(site, sizeof site, "%s", cfg->site);
    snprintf(url, sizeof url, "%s", console_url ? console_url : "");
    *wait_ms = 0;
    if (e->ticket[0]) { /* the ticket as it is now: its team and priority choose the robots */
        sd_store_txn_t *txn;
        sd_ticket_t t = {0};
        int rc = sd_store_begin_reader(store, &txn);
        rc = rc ?: sd_store_get_record(txn, &sd_kind_ticket, e->ticket, &t);
        if (!rc && sd_ticket_exists(&t)) {
            snprintf(team, sizeof team, "%s", t.team ? t.team : "");
            if (t.priority >= 0 && t.priority < SD_PRIORITY_COUNT_)
                snprintf(prio, sizeof prio, "%s", sd_priority_names[t.priority]);
            if (t.owner_site && t.owner_site[0])
                snprintf(site, sizeof site, "%s", t.owner_site);
        }
        sd_ticket_clear(&t);
        if (txn)
            sd_store_abort(&txn);
        snprintf(url, sizeof url, "%s#/tickets/%s", console_url ? console_url : "", e->ticket);
    }
    sd_robot_msg_t m = {.event = e->kind,
                        .ticket = e->ticket,
                        .priority = prio,
                        .team = team,
                        .site = site,
                        .text = e->body ? e->body : "",
                        .url = url};
    /* The vendors check their timestamps against the real time, and their limits run on it:
     * the wall clock, whatever clock the desk runs on. */
    uint64_t now = (uint64_t)zclock_time(), retry = now;
    int wanted = 0;
    int rc = sd_robot_post_all(&cfg->chat, &m, now, e->to, sizeof e->to, &wanted, &retry, err, cap);
    if (!rc && !wanted) {
        snprintf(err, cap, "no robot of the chat section takes %s notices%s%s", e->kind,
                 team[0] ? " of team " : "", team);
        return SD_ENOTFOUND;
    }
    *wait_ms = retry > now ? retry - now : 0;
    return rc;
}
