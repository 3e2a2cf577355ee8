/* ticket_store.c - the ticket kind's tables in the store: the queue and its filters, history,
 * handovers, counts (ticket_store.h). The store's generic parts (records, timeline, indexes)
 * keep them; this file only knows where the ticket kind's index hook puts its entries. */
#include "ticket_store.h"

#include "record.h"
#include "store_impl.h"

#include <stdlib.h>

int sd_store_next_ticket_id(sd_store_txn_t *txn, char id[SD_ID_MAX + 1])
{
    return sd_store_next_id(txn, &sd_kind_ticket, id);
}

int sd_store_get_ticket(sd_store_txn_t *txn, const char *id, sd_ticket_t *t)
{
    return sd_store_get_record(txn, &sd_kind_ticket, id, t);
}

int sd_store_apply_ticket(sd_store_txn_t *txn, const sd_event_t *ev, sd_ticket_t *after)
{
    return sd_store_apply_record(txn, ev, after);
}

static bool s_matches(const sd_ticket_t *t, const sd_store_filter_t *f)
{
    if (f->status >= 0 && t->status != f->status)
        return false;
    if (f->priority >= 0 && t->priority != f->priority)
        return false;
    if (f->sla >= 0 && t->sla_state != f->sla)
        return false;
    if (f->open_only && !sd_status_open(t->status))
        return false;
    if (f->assignee && (!t->assignee || strcmp(t->assignee, f->assignee) != 0))
        return false;
    if (f->requester && (!t->requester || strcmp(t->requester, f->requester) != 0))
        return false;
    if (f->site && (!t->owner_site || strcmp(t->owner_site, f->site) != 0))
        return false;
    if (f->team && (!t->team || strcmp(t->team, f->team) != 0))
        return false;
    return true;
}

/* Ids from an index scan, to be sorted into queue order. */
typedef struct {
    sd_ticket_t *items; /* decoded tickets */
    size_t n, cap;      /* used, allocated */
} s_ticket_set_t;

static int s_queue_cmp(const void *pa, const void *pb)
{
    const sd_ticket_t *a = pa, *b = pb;
    int oa = !sd_status_open(a->status), ob = !sd_status_open(b->status);
    if (oa != ob)
        return oa - ob;
    if (a->priority != b->priority)
        return a->priority - b->priority;
    if (a->resolve_due != b->resolve_due)
        return a->resolve_due < b->resolve_due ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* Start of the keys of ticket index `index` (then its parts). */
static void s_ticket_index(s_key_t *k, const char *index)
{
    k->n = 0;
    s_key_str(k, sd_kind_ticket.name);
    s_key_str(k, index);
}

/* Collects every ticket of one requester or assignee (index prefix). Those
 * sets are small next to the queue, so sorting them in memory is cheap. */
static int s_collect(sd_store_txn_t *txn, const char *index, const char *prefix,
                     s_ticket_set_t *set)
{
    MDB_cursor *cur;
    int rc = s_err(mdb_cursor_open(txn->txn, txn->store->dbi[DB_INDEXES], &cur));
    if (rc)
        return rc;
    s_key_t p;
    s_ticket_index(&p, index);
    s_key_str(&p, prefix);
    MDB_val k = s_val(&p), v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= p.n || memcmp(k.mv_data, p.b, p.n) != 0)
            break;
        if (set->n == set->cap) {
            size_t cap = set->cap ? set->cap * 2 : 16;
            sd_ticket_t *grown = realloc(set->items, cap * sizeof *grown);
            if (!grown) {
                mdb_cursor_close(cur);
                return SD_ENOMEM;
            }
            set->items = grown, set->cap = cap;
        }
        const char *id = (const char *)k.mv_data + p.n;
        memset(&set->items[set->n], 0, sizeof set->items[0]);
        int grc = sd_store_get_ticket(txn, id, &set->items[set->n]);
        if (grc) {
            mdb_cursor_close(cur);
            return grc == SD_ENOTFOUND ? SD_ECORRUPT : grc;
        }
        set->n++;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : s_err(rc);
}

/* Feeds tickets in order to fn, honouring after/limit. *skipping is true
 * until the `after` id has gone by. */
static int s_emit(const sd_ticket_t *t, const sd_store_filter_t *f, bool *skipping, int *sent,
                  bool *more, int (*fn)(const sd_ticket_t *, void *), void *arg)
{
    if (*skipping) {
        *skipping = strcmp(t->id, f->after) != 0;
        return 0;
    }
    if (!s_matches(t, f))
        return 0;
    if (*sent >= f->limit) {
        *more = true;
        return 1;
    }
    (*sent)++;
    return fn(t, arg);
}

int sd_store_list(sd_store_txn_t *txn, const sd_store_filter_t *f,
                  int (*fn)(const sd_ticket_t *t, void *arg), void *arg, bool *more)
{
    bool skipping = f->after != NULL;
    int sent = 0, rc = 0;
    *more = false;
    if (f->requester || f->assignee) {
        s_ticket_set_t set = {0};
        rc = s_collect(txn, f->requester ? SD_TICKET_INDEX_REQUESTER : SD_TICKET_INDEX_ASSIGNEE,
                       f->requester ? f->requester : f->assignee, &set);
        if (!rc && set.n > 1)
            qsort(set.items, set.n, sizeof set.items[0], s_queue_cmp);
        for (size_t i = 0; !rc && i < set.n; i++)
            rc = s_emit(&set.items[i], f, &skipping, &sent, more, fn, arg);
        for (size_t i = 0; i < set.n; i++)
            sd_ticket_clear(&set.items[i]);
        free(set.items);
        return rc == 1 ? 0 : rc;
    }
    MDB_cursor *cur;
    rc = s_err(mdb_cursor_open(txn->txn, txn->store->dbi[DB_INDEXES], &cur));
    if (rc)
        return rc;
    /* Queue keys: "ticket" NUL "queue" NUL, open, priority, resolve due (8), id NUL. */
    s_key_t qk;
    s_ticket_index(&qk, SD_TICKET_INDEX_QUEUE);
    size_t head = qk.n;
    if (skipping) {
        /* Seek straight to the `after` ticket's place in the queue: its whole entry (which
         * starts with the index name again) after the kind. */
        sd_ticket_t last = {0};
        sd_index_keys_t keys;
        sd_index_reset(&keys);
        int type;
        size_t pos = 0, len;
        const uint8_t *bytes;
        if (sd_store_get_ticket(txn, f->after, &last) == 0)
            sd_ticket_queue_key(&last, &keys);
        if (sd_index_next(&keys, &pos, &type, &bytes, &len)) {
            qk.n = head - sizeof SD_TICKET_INDEX_QUEUE;
            s_key_bytes(&qk, bytes, len);
        }
        sd_ticket_clear(&last);
    }
    MDB_val k = s_val(&qk), v;
    int mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    for (; mrc == 0 && rc == 0; mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size < head || memcmp(k.mv_data, qk.b, head) != 0)
            break; /* past the queue */
        const uint8_t *q = (const uint8_t *)k.mv_data + head;
        if (k.mv_size < head + 11)
            continue;
        if (f->open_only && q[0] != 0)
            break;
        sd_ticket_t t = {0};
        rc = sd_store_get_ticket(txn, (const char *)q + 10, &t);
        if (rc == SD_ENOTFOUND)
            rc = SD_ECORRUPT;
        rc = rc ?: s_emit(&t, f, &skipping, &sent, more, fn, arg);
        sd_ticket_clear(&t);
    }
    mdb_cursor_close(cur);
    if (rc == 1)
        rc = 0;
    return rc ? rc : (mrc == 0 || mrc == MDB_NOTFOUND ? 0 : s_err(mrc));
}

int sd_store_history(sd_store_txn_t *txn, const char *id,
                     int (*fn)(const void *event, size_t len, void *arg), void *arg)
{
    return sd_store_timeline(txn, &sd_kind_ticket, id, fn, arg);
}

int sd_store_handovers(sd_store_txn_t *txn, uint64_t since_ms,
                       int (*fn)(const void *event, size_t len, void *arg), void *arg)
{
    /* Keys: the ticket kind's "handovers" index: hlc, then the log key. An hlc's ms are its
     * top 48 bits. A later since has no stamp at or after it: shifting it would wrap to an
     * early time and report moves the caller excluded. */
    if (since_ms > UINT64_MAX >> 16)
        return 0;
    s_key_t from;
    s_ticket_index(&from, SD_TICKET_INDEX_HANDOVERS);
    size_t prefix = from.n;
    s_key_u64(&from, since_ms << 16);
    int found;
    return sd_store_scan_logged(txn, DB_INDEXES, &from, prefix, prefix + 8, fn, arg, &found);
}

int sd_store_count(sd_store_txn_t *txn, uint64_t counts[SD_STATUS_COUNT_])
{
    for (int s = 0; s < SD_STATUS_COUNT_; s++) {
        char name[32];
        sd_ticket_status_counter(s, name, sizeof name);
        int rc = sd_store_counter(txn, &sd_kind_ticket, name, &counts[s]);
        if (rc)
            return rc;
    }
    return 0;
}

int sd_store_sla_breaches(sd_store_txn_t *txn, uint64_t *n)
{
    return sd_store_counter(txn, &sd_kind_ticket, SD_TICKET_COUNT_SLA_BREACHES, n);
}
