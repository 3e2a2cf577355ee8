/* store_read.c - reading the store: a record's timeline, counters, digest, the vector, the log. */
#include "store.h"

#include "record.h"
#include "store_impl.h"

#include <stdlib.h>

int sd_store_range(sd_store_txn_t *txn, int db, const s_key_t *from, size_t prefix,
                   int (*fn)(const MDB_val *k, const MDB_val *v, void *arg), void *arg)
{
    MDB_cursor *cur;
    int rc = s_err(mdb_cursor_open(txn->txn, txn->store->dbi[db], &cur));
    if (rc)
        return rc;
    MDB_val k = s_val(from), v;
    int mrc;
    /* LMDB refuses an empty key: a walk from the very start is MDB_FIRST. */
    for (mrc = mdb_cursor_get(cur, &k, &v, from->n ? MDB_SET_RANGE : MDB_FIRST);
         mrc == 0 && rc == 0; mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size < prefix || memcmp(k.mv_data, from->b, prefix) != 0)
            break;
        rc = fn(&k, &v, arg);
    }
    mdb_cursor_close(cur);
    return rc ? rc : (mrc == 0 || mrc == MDB_NOTFOUND ? 0 : s_err(mrc));
}

typedef struct {
    sd_store_txn_t *txn;
    size_t skip;
    int (*fn)(const void *event, size_t len, void *arg);
    void *arg;
    int found;
} s_logged_t;

/* One index or timeline entry: the event its key ends with. */
static int s_logged(const MDB_val *k, const MDB_val *v, void *arg)
{
    (void)v;
    s_logged_t *l = arg;
    if (k->mv_size <= l->skip)
        return SD_ECORRUPT;
    s_key_t ek = {.n = k->mv_size - l->skip};
    memcpy(ek.b, (const uint8_t *)k->mv_data + l->skip, ek.n);
    MDB_val ev;
    int rc = s_get(l->txn, DB_EVENTS, &ek, &ev);
    if (rc == SD_ENOTFOUND)
        rc = SD_ECORRUPT;
    rc = rc ?: l->fn(ev.mv_data, ev.mv_size, l->arg);
    l->found++;
    return rc;
}

int sd_store_scan_logged(sd_store_txn_t *txn, int db, const s_key_t *from, size_t prefix,
                         size_t skip, int (*fn)(const void *event, size_t len, void *arg),
                         void *arg, int *found)
{
    s_logged_t l = {txn, skip, fn, arg, 0};
    int rc = sd_store_range(txn, db, from, prefix, s_logged, &l);
    *found = l.found;
    return rc;
}

int sd_store_timeline(sd_store_txn_t *txn, const sd_kind_t *kind, const char *id,
                      int (*fn)(const void *event, size_t len, void *arg), void *arg)
{
    /* Keys: kind NUL id NUL, hlc, then the log key. */
    s_key_t p = {.n = 0};
    s_key_str(&p, kind->name);
    s_key_str(&p, id);
    int found;
    int rc = sd_store_scan_logged(txn, DB_TIMELINE, &p, p.n, p.n + 8, fn, arg, &found);
    return !rc && !found ? SD_ENOTFOUND : rc;
}

int sd_store_counter(sd_store_txn_t *txn, const sd_kind_t *k, const char *name, uint64_t *n)
{
    char meta[SD_INDEX_KEY_MAX + 40];
    s_counter_name(k, name, meta, sizeof meta);
    return s_meta_get_u64(txn, meta, n);
}

int sd_store_walk(sd_store_txn_t *txn, int db,
                  int (*fn)(sd_store_txn_t *txn, MDB_cursor *cur, const MDB_val *k,
                            const MDB_val *v, void *arg),
                  void *arg)
{
    MDB_cursor *cur;
    int rc = s_err(mdb_cursor_open(txn->txn, txn->store->dbi[db], &cur));
    if (rc)
        return rc;
    MDB_val k, v;
    int mrc;
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0 && !rc;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
        rc = fn(txn, cur, &k, &v, arg);
    mdb_cursor_close(cur);
    return rc ? rc : (mrc == 0 || mrc == MDB_NOTFOUND ? 0 : s_err(mrc));
}

static int s_digest_entry(sd_store_txn_t *txn, MDB_cursor *cur, const MDB_val *k, const MDB_val *v,
                          void *arg)
{
    (void)txn, (void)cur;
    sd_digest_add(arg, k->mv_data, k->mv_size);
    sd_digest_add(arg, v->mv_data, v->mv_size);
    return 0;
}

int sd_store_digest(sd_store_txn_t *txn, char hex[SD_DIGEST_BYTES * 2 + 1])
{
    sd_digest_t d;
    uint8_t raw[SD_DIGEST_BYTES];
    int rc = sd_digest_init(&d);
    rc = rc ?: sd_store_walk(txn, DB_VECTOR, s_digest_entry, &d);
    rc = rc ?: sd_store_walk(txn, DB_RECORDS, s_digest_entry, &d);
    if (!rc)
        sd_digest_final(&d, raw, hex);
    return rc;
}

int sd_store_vector(sd_store_txn_t *txn, sd_vector_t *vector)
{
    MDB_cursor *cur;
    int rc = s_err(mdb_cursor_open(txn->txn, txn->store->dbi[DB_VECTOR], &cur));
    if (rc)
        return rc;
    vector->count = 0;
    MDB_val k, v;
    int mrc;
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0 && !rc;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        char origin[SD_SITE_MAX + 1];
        if (v.mv_size != 8 || k.mv_size < 2 || k.mv_size > sizeof origin) {
            rc = SD_ECORRUPT;
            break;
        }
        memcpy(origin, k.mv_data, k.mv_size); /* stored with its NUL */
        origin[k.mv_size - 1] = 0;
        rc = sd_vector_set(vector, origin, s_get_be64(v.mv_data));
    }
    mdb_cursor_close(cur);
    return rc ? rc : (mrc == MDB_NOTFOUND || mrc == 0 ? 0 : s_err(mrc));
}

int sd_store_events_from(sd_store_txn_t *txn, const char *origin, uint64_t from, size_t limit,
                         int (*fn)(const void *event, size_t len, void *arg), void *arg)
{
    MDB_cursor *cur;
    int rc = s_err(mdb_cursor_open(txn->txn, txn->store->dbi[DB_EVENTS], &cur));
    if (rc)
        return rc;
    s_key_t start = {.n = 0};
    s_key_str(&start, origin);
    size_t prefix = start.n;
    s_key_u64(&start, from);
    MDB_val k = s_val(&start), v;
    size_t sent = 0;
    int mrc;
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0 && !rc && sent < limit;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != prefix + 8 || memcmp(k.mv_data, start.b, prefix) != 0)
            break; /* past this origin's events */
        rc = fn(v.mv_data, v.mv_size, arg);
        sent++;
    }
    mdb_cursor_close(cur);
    return rc ? rc : (mrc == MDB_NOTFOUND || mrc == 0 ? 0 : s_err(mrc));
}
