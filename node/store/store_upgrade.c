/* store_upgrade.c - upgrading a store of schema 2 (ticket tables of their own) by replaying its
 * log.
 *
 * The event log is the truth: schema 2 kept the same events and vector, so the upgrade drops
 * the old derived tables (tickets, history, queue, byreq, byasg, handovers) and the counters
 * derived from them, and folds every logged event again into this schema's records, timeline
 * and indexes, all in one write transaction: a crash during the upgrade leaves the old store,
 * which the next start upgrades again. */
#include "store_impl.h"

#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const s_old_dbs[SD_STORE_OLD_DBS] = {"tickets", "history", "queue",
                                                        "byreq",   "byasg",   "handovers"};

/* Drops a database of schema 2 if it is there. */
static int s_drop_old(sd_store_txn_t *txn, const char *name)
{
    MDB_dbi dbi;
    int rc = mdb_dbi_open(txn->txn, name, 0, &dbi);
    if (rc == MDB_NOTFOUND)
        return 0;
    return s_err(rc ?: mdb_drop(txn->txn, dbi, 1));
}

/* Deletes a schema-2 counter ("count.<status>", "sla_breaches") kept in meta. */
static int s_drop_old_counter(sd_store_txn_t *txn, MDB_cursor *cur, const MDB_val *k,
                              const MDB_val *v, void *arg)
{
    (void)txn, (void)v, (void)arg;
    const char *name = k->mv_data;
    if ((k->mv_size > 6 && memcmp(name, "count.", 6) == 0) ||
        (k->mv_size == sizeof "sla_breaches" && memcmp(name, "sla_breaches", k->mv_size) == 0))
        return s_err(mdb_cursor_del(cur, 0));
    return 0;
}

/* Folds one logged event into the new tables (the log is walked in (origin, seq) order). */
static int s_replay_one(sd_store_txn_t *txn, MDB_cursor *cur, const MDB_val *k, const MDB_val *v,
                        void *arg)
{
    (void)cur, (void)k;
    sd_event_t ev = {0};
    if (sd_event_decode(v->mv_data, v->mv_size, &ev, NULL) != 0)
        return SD_ECORRUPT;
    int rc = sd_store_fold_event(txn, &ev, NULL);
    sd_event_clear(&ev);
    (*(uint64_t *)arg)++;
    return rc;
}

int sd_store_upgrade_v2(sd_store_txn_t *txn, uint64_t *events)
{
    int rc = 0;
    *events = 0;
    for (int i = 0; i < SD_STORE_OLD_DBS && !rc; i++)
        rc = s_drop_old(txn, s_old_dbs[i]);
    rc = rc ?: sd_store_walk(txn, DB_META, s_drop_old_counter, NULL);
    rc = rc ?: sd_store_walk(txn, DB_EVENTS, s_replay_one, events);
    if (rc)
        return rc;
    s_key_t k = {.n = 0};
    s_key_str(&k, "schema");
    return s_put(txn, DB_META, &k, SD_STORE_SCHEMA, strlen(SD_STORE_SCHEMA));
}

/* ---- records of kinds that gained registers ------------------------------------------------ */

/* "ticket:13,user:9,...": how many registers each kind's records have in this build. */
static void s_layout(char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < sd_kind_count && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s:%d", i ? "," : "", sd_kinds[i]->name,
                                 sd_kinds[i]->nregisters);
}

/* Writes a stored record again in this build's encoding when its bytes differ from it (a record
 * of a kind that has since gained registers lacks their stamps). Same content: its indexes and
 * counters stay as they are. */
static int s_reencode_one(sd_store_txn_t *txn, MDB_cursor *cur, const MDB_val *k, const MDB_val *v,
                          void *arg)
{
    const char *name = k->mv_data;
    size_t len = strnlen(name, k->mv_size);
    const sd_kind_t *kind = sd_kind_find(name, len);
    if (!kind)
        return SD_ECORRUPT;
    void *record = sd_record_new(kind);
    if (!record)
        return SD_ENOMEM;
    int rc = sd_store_decode_record(kind, v, record);
    sd_mp_writer_t *w = txn->store->writer;
    sd_mp_writer_reset(w);
    if (!rc)
        sd_record_encode(kind, record, true, w);
    sd_record_destroy(kind, &record);
    if (!rc && sd_mp_writer_error(w))
        rc = SD_ENOMEM;
    size_t n = 0;
    const void *bytes = rc ? NULL : sd_mp_writer_data(w, &n);
    if (!rc && (n != v->mv_size || memcmp(bytes, v->mv_data, n) != 0)) {
        MDB_val nv = {.mv_size = n, .mv_data = (void *)bytes};
        rc = s_err(mdb_cursor_put(cur, (MDB_val *)k, &nv, MDB_CURRENT));
        (*(uint64_t *)arg)++;
    }
    return rc;
}

int sd_store_upgrade_layout(sd_store_txn_t *txn, uint64_t *records)
{
    char want[512];
    s_layout(want, sizeof want);
    s_key_t k = {.n = 0};
    s_key_str(&k, "layout");
    MDB_val have;
    int rc = s_get(txn, DB_META, &k, &have);
    *records = 0;
    if (rc == 0 && have.mv_size == strlen(want) && memcmp(have.mv_data, want, have.mv_size) == 0)
        return 0;
    if (rc && rc != SD_ENOTFOUND)
        return rc;
    rc = sd_store_walk(txn, DB_RECORDS, s_reencode_one, records);
    return rc ?: s_put(txn, DB_META, &k, want, strlen(want));
}
