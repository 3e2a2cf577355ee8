/* ticket_store.h - the ticket kind's tables: the work queue and its filters, a ticket's history,
 * the handovers, counts by status and SLA breaches, over the store's generic tables (store.h).
 *
 * Same threads, transactions and errors as store.h. The entries come from the ticket kind's
 * index hook (proto/ticket.c): "queue" (open first, priority, resolve due, id), "requester" and
 * "assignee" (name, id), "handovers" (hlc, log key), counters "status.<status>" and
 * "sla_breaches". */
#ifndef SD_TICKET_STORE_H
#define SD_TICKET_STORE_H

#include "store.h"
#include "ticket.h"

/* The next ticket id of this site. */
int sd_store_next_ticket_id(sd_store_txn_t *txn, char id[SD_ID_MAX + 1]);

/* The same for a ticket event. */
int sd_store_apply_ticket(sd_store_txn_t *txn, const sd_event_t *ev, sd_ticket_t *after);

/* sd_store_get_record for a ticket (clear it with sd_ticket_clear). */
int sd_store_get_ticket(sd_store_txn_t *txn, const char *id, sd_ticket_t *t);

/* Filter of sd_store_list; unset members do not filter. */
typedef struct {
    int status;            /* sd_status_t, or -1 */
    int priority;          /* sd_priority_t, or -1 */
    bool open_only;        /* only new .. pending */
    int sla;               /* sd_sla_state_t, or -1 */
    const char *assignee;  /* exact match, or NULL */
    const char *requester; /* exact match, or NULL */
    const char *site;      /* owner_site, exact match, or NULL */
    const char *team;      /* team, exact match, or NULL */
    const char *after;     /* resume after this id (from a previous page), or NULL */
    int limit;             /* most tickets to return */
} sd_store_filter_t;

/* Calls fn for each matching ticket, in queue order (open first, then by
 * priority, then by resolution due time, then id). The ticket is borrowed for
 * the call. Stops early when fn returns non-zero (that value is returned).
 * Returns 0, SD_ECORRUPT, SD_ESTORE. *more is set when tickets were left. */
int sd_store_list(sd_store_txn_t *txn, const sd_store_filter_t *filter,
                  int (*fn)(const sd_ticket_t *t, void *arg), void *arg, bool *more);

/* sd_store_timeline of a ticket. */
int sd_store_history(sd_store_txn_t *txn, const char *id,
                     int (*fn)(const void *event, size_t len, void *arg), void *arg);

/* Calls fn with the stored bytes of each handover event stamped at or after
 * since_ms (its hlc time), oldest first; none when since_ms is past the
 * latest time a stamp holds (2^48 - 1 ms). Stops early when fn returns
 * non-zero (returned). Returns 0, SD_ECORRUPT, SD_ESTORE. */
int sd_store_handovers(sd_store_txn_t *txn, uint64_t since_ms,
                       int (*fn)(const void *event, size_t len, void *arg), void *arg);

/* Number of tickets by status into counts[SD_STATUS_COUNT_]. */
int sd_store_count(sd_store_txn_t *txn, uint64_t counts[SD_STATUS_COUNT_]);

/* SLA breaches held: `sla` events marking a ticket breached, from any site. */
int sd_store_sla_breaches(sd_store_txn_t *txn, uint64_t *n);

#endif
