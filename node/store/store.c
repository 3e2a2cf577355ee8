/* store.c - the store's environment, transactions, counters and event application. */
#include "store.h"

#include "fold.h"
#include "log.h"
#include "record.h"
#include "store_check.h"
#include "store_impl.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

static const char *const s_db_names[DB_N] = {"events",  "vector",      "meta",
                                             "records", "timeline",    "indexes",
                                             "denials", "idempotency", "blobs"};

/* ---- open / close -------------------------------------------------------- */

static int s_upgrade_txn(sd_store_txn_t *txn, void *events)
{
    *(uint64_t *)events = 0;
    return sd_store_upgrade_v2(txn, events);
}

/* Replays a schema-2 store's event log into this schema's tables, growing the map as needed. */
static int s_upgrade(sd_store_t *store)
{
    uint64_t events = 0;
    int rc = sd_store_write(store, s_upgrade_txn, NULL, &events);
    if (rc)
        sd_log(SD_LOG_ERROR, "store upgrade failed: schema=2->%s error=%s", SD_STORE_SCHEMA,
               sd_error_name(rc));
    else
        sd_log(SD_LOG_INFO, "store upgraded: schema=2->%s events=%llu", SD_STORE_SCHEMA,
               (unsigned long long)events);
    return rc;
}

static int s_layout_txn(sd_store_txn_t *txn, void *records)
{
    return sd_store_upgrade_layout(txn, records);
}

/* Re-encodes the records of kinds that gained registers since the store was written. */
static int s_relayout(sd_store_t *store)
{
    uint64_t records = 0;
    int rc = sd_store_write(store, s_layout_txn, NULL, &records);
    if (rc)
        sd_log(SD_LOG_ERROR, "store layout upgrade failed: error=%s", sd_error_name(rc));
    else if (records)
        sd_log(SD_LOG_INFO, "store layout upgraded: records=%llu", (unsigned long long)records);
    return rc;
}

/* Checks or writes the store's identity: schema version and site. */
static int s_init_meta(sd_store_t *store)
{
    sd_store_txn_t *txn = NULL;
    int rc = sd_store_begin(store, true, &txn);
    if (rc)
        return rc;
    s_key_t ks = {.n = 0}, kv = {.n = 0};
    s_key_str(&ks, "site");
    s_key_str(&kv, "schema");
    MDB_val site, schema;
    rc = s_get(txn, DB_META, &ks, &site);
    if (rc == SD_ENOTFOUND) {
        rc = s_put(txn, DB_META, &ks, store->site, strlen(store->site));
        rc = rc ?: s_put(txn, DB_META, &kv, SD_STORE_SCHEMA, strlen(SD_STORE_SCHEMA));
        if (rc) {
            sd_store_abort(&txn);
            return rc;
        }
        return sd_store_commit(&txn);
    }
    bool old = false;
    if (!rc && s_get(txn, DB_META, &kv, &schema) == 0 && schema.mv_size == 1 &&
        memcmp(schema.mv_data, "2", 1) == 0) {
        old = true;
    } else if (!rc && (s_get(txn, DB_META, &kv, &schema) != 0 ||
                       schema.mv_size != strlen(SD_STORE_SCHEMA) ||
                       memcmp(schema.mv_data, SD_STORE_SCHEMA, schema.mv_size) != 0)) {
        sd_log(SD_LOG_ERROR, "store schema unknown: want=%s", SD_STORE_SCHEMA);
        rc = SD_ECORRUPT;
    }
    if (!rc && (site.mv_size != strlen(store->site) ||
                memcmp(site.mv_data, store->site, site.mv_size) != 0)) {
        sd_log(SD_LOG_ERROR, "store belongs to another site: store=%.*s config=%s",
               (int)site.mv_size, (const char *)site.mv_data, store->site);
        rc = SD_ECONFIG;
    }
    sd_store_abort(&txn);
    return rc ?: old ? s_upgrade(store) ?: s_relayout(store) : s_relayout(store);
}

int sd_store_open(const char *dir, const char *site, sd_store_t **out)
{
    *out = NULL;
    if (!sd_site_valid(site))
        return SD_ECONFIG;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return SD_EIO;
    sd_store_t *store = calloc(1, sizeof *store);
    if (!store || !(store->writer = sd_mp_writer_new())) {
        free(store);
        return SD_ENOMEM;
    }
    strcpy(store->site, site);
    snprintf(store->dir, sizeof store->dir, "%s", dir);
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    /* The writer must not wait behind a reader thread that keeps beginning transactions. */
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&store->grow_lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    /* Before LMDB maps it: a file cut short would SIGBUS at the first read past its end, and an
     * empty one would silently become a new store. No file yet: a new store. */
    char path[4096 + 16], why[512];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    int rc = sd_store_check(path, why, sizeof why);
    if (rc && rc != SD_ENOTFOUND) {
        sd_log(SD_LOG_ERROR, "store file refused: dir=%s reason=\"%s\"", dir, why);
        goto fail;
    }
    rc = s_err(mdb_env_create(&store->env));
    if (rc)
        goto fail;
    mdb_env_set_maxdbs(store->env, DB_N + SD_STORE_OLD_DBS);
    mdb_env_set_mapsize(store->env, SD_STORE_MAP_INIT);
    /* MDB_NOTLS: read transactions are not bound to a thread slot. No
     * MDB_NOSYNC/NOMETASYNC: acknowledged writes must survive power loss. */
    rc = mdb_env_open(store->env, dir, MDB_NOTLS, 0600);
    if (rc) {
        sd_log(SD_LOG_ERROR, "store open failed: dir=%s reason=\"%s\"", dir, mdb_strerror(rc));
        rc = s_err(rc);
        goto fail;
    }
    int dead = 0;
    mdb_reader_check(store->env, &dead);
    if (dead)
        sd_log(SD_LOG_WARNING, "store cleared stale readers: count=%d", dead);
    MDB_envinfo info;
    mdb_env_info(store->env, &info);
    store->map_size = info.me_mapsize;
    MDB_txn *txn;
    rc = s_err(mdb_txn_begin(store->env, NULL, 0, &txn));
    if (rc)
        goto fail;
    for (int i = 0; i < DB_N && !rc; i++)
        rc = s_err(mdb_dbi_open(txn, s_db_names[i], MDB_CREATE, &store->dbi[i]));
    if (rc) {
        mdb_txn_abort(txn);
        goto fail;
    }
    rc = s_err(mdb_txn_commit(txn));
    if (rc)
        goto fail;
    rc = s_init_meta(store);
    if (rc)
        goto fail;
    *out = store;
    return 0;
fail:
    sd_store_close(&store);
    return rc;
}

void sd_store_close(sd_store_t **store)
{
    if (!store || !*store)
        return;
    if ((*store)->env)
        mdb_env_close((*store)->env);
    sd_mp_writer_destroy(&(*store)->writer);
    pthread_rwlock_destroy(&(*store)->grow_lock);
    free(*store);
    *store = NULL;
}

const char *sd_store_site(const sd_store_t *store)
{
    return store->site;
}

const char *sd_store_dir(const sd_store_t *store)
{
    return store->dir;
}

void sd_store_usage(const sd_store_t *store, uint64_t *map_bytes, uint64_t *used_bytes)
{
    MDB_envinfo info;
    MDB_stat st;
    mdb_env_info(store->env, &info);
    mdb_env_stat(store->env, &st);
    *map_bytes = info.me_mapsize;
    *used_bytes = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
}

int sd_store_grow(sd_store_t *store)
{
    uint64_t next = store->map_size * 2;
    if (next > SD_STORE_MAP_MAX)
        return SD_EFULL;
    pthread_rwlock_wrlock(&store->grow_lock);
    int rc = mdb_env_set_mapsize(store->env, next);
    pthread_rwlock_unlock(&store->grow_lock);
    if (rc)
        return s_err(rc);
    sd_log(SD_LOG_INFO, "store map grown: bytes=%llu", (unsigned long long)next);
    store->map_size = next;
    return 0;
}

/* ---- transactions -------------------------------------------------------- */

static int s_begin(sd_store_t *store, MDB_txn *parent, unsigned flags, sd_store_txn_t **out)
{
    *out = NULL;
    sd_store_txn_t *t = calloc(1, sizeof *t);
    if (!t)
        return SD_ENOMEM;
    t->store = store;
    int rc = mdb_txn_begin(store->env, parent, flags, &t->txn);
    if (rc == MDB_MAP_RESIZED) {
        /* Another process (a backup tool, mdb_stat) grew the map: adopt it. */
        mdb_env_set_mapsize(store->env, 0);
        rc = mdb_txn_begin(store->env, parent, flags, &t->txn);
    }
    if (rc) {
        free(t);
        return s_err(rc);
    }
    *out = t;
    return 0;
}

int sd_store_begin(sd_store_t *store, bool write, sd_store_txn_t **txn)
{
    return s_begin(store, NULL, write ? 0 : MDB_RDONLY, txn);
}

int sd_store_begin_reader(sd_store_t *store, sd_store_txn_t **txn)
{
    pthread_rwlock_rdlock(&store->grow_lock);
    int rc = s_begin(store, NULL, MDB_RDONLY, txn);
    if (rc) {
        pthread_rwlock_unlock(&store->grow_lock);
        return rc;
    }
    (*txn)->shared = true;
    return 0;
}

int sd_store_begin_nested(sd_store_txn_t *parent, sd_store_txn_t **txn)
{
    return s_begin(parent->store, parent->txn, 0, txn);
}

/* LMDB reports a short write - what a full disk usually causes - as EIO, so
 * an I/O error on a disk with no space left is called what it is. */
static int s_commit_error(const sd_store_t *store, int rc)
{
    struct statvfs fs;
    if (rc == SD_EIO && statvfs(store->dir, &fs) == 0 &&
        (uint64_t)fs.f_bavail * fs.f_frsize < SD_STORE_LOW_SPACE)
        return SD_EFULL;
    return rc;
}

int sd_store_commit(sd_store_txn_t **txn)
{
    int rc = s_commit_error((*txn)->store, s_err(mdb_txn_commit((*txn)->txn)));
    if ((*txn)->shared)
        pthread_rwlock_unlock(&(*txn)->store->grow_lock);
    free(*txn);
    *txn = NULL;
    return rc;
}

void sd_store_abort(sd_store_txn_t **txn)
{
    if (!txn || !*txn)
        return;
    mdb_txn_abort((*txn)->txn);
    if ((*txn)->shared)
        pthread_rwlock_unlock(&(*txn)->store->grow_lock);
    free(*txn);
    *txn = NULL;
}

int sd_store_write(sd_store_t *store, int (*fn)(sd_store_txn_t *txn, void *arg),
                   void (*undo)(void *arg), void *arg)
{
    for (;;) {
        sd_store_txn_t *txn = NULL;
        int rc = sd_store_begin(store, true, &txn);
        rc = rc ?: fn(txn, arg);
        if (rc)
            sd_store_abort(&txn);
        else
            rc = sd_store_commit(&txn);
        if (rc != SD_EMAPFULL)
            return rc;
        /* Nothing of the attempt reached the disk: put back what fn did elsewhere, redo. */
        if (undo)
            undo(arg);
        if ((rc = sd_store_grow(store)) != 0)
            return rc;
    }
}

/* ---- counters and clock -------------------------------------------------- */

int sd_store_next_id(sd_store_txn_t *txn, const sd_kind_t *kind, char id[SD_ID_MAX + 1])
{
    uint64_t n;
    int rc = s_meta_get_u64(txn, kind->id_counter, &n);
    if (rc)
        return rc;
    /* Skip ids already taken: a store restored from a backup gets back from
     * its peers the records it made after the backup, but not its counter. */
    for (;;) {
        ++n;
        if (kind->id_tag)
            snprintf(id, SD_ID_MAX + 1, "%s-%s-%06llu", txn->store->site, kind->id_tag,
                     (unsigned long long)n);
        else
            snprintf(id, SD_ID_MAX + 1, "%s-%06llu", txn->store->site, (unsigned long long)n);
        s_key_t k;
        MDB_val v;
        s_record_key(&k, kind, id);
        rc = s_get(txn, DB_RECORDS, &k, &v);
        if (rc == SD_ENOTFOUND)
            break;
        if (rc)
            return rc;
    }
    return s_meta_put_u64(txn, kind->id_counter, n);
}

int sd_store_applied(sd_store_txn_t *txn, const char *origin, uint64_t *seq)
{
    return s_get_u64(txn, DB_VECTOR, origin, seq);
}

int sd_store_next_seq(sd_store_txn_t *txn, const char *origin, uint64_t *seq)
{
    int rc = sd_store_applied(txn, origin, seq);
    (*seq)++;
    return rc;
}

int sd_store_get_clock(sd_store_txn_t *txn, uint64_t *hlc)
{
    return s_meta_get_u64(txn, "clock", hlc);
}

int sd_store_put_clock(sd_store_txn_t *txn, uint64_t hlc)
{
    return s_meta_put_u64(txn, "clock", hlc);
}

/* ---- records and indexes ------------------------------------------------ */

/* Adds delta to counter `name` of kind k. */
static int s_bump(sd_store_txn_t *txn, const sd_kind_t *k, const uint8_t *name, int delta)
{
    char meta[SD_INDEX_KEY_MAX + 40];
    uint64_t n;
    s_counter_name(k, (const char *)name, meta, sizeof meta);
    int rc = s_meta_get_u64(txn, meta, &n);
    return rc ?: s_meta_put_u64(txn, meta, n + (uint64_t)(int64_t)delta);
}

/* One index entry or counter of kind k: added (add) or taken away. */
static int s_index_entry(sd_store_txn_t *txn, const sd_kind_t *k, int type, const uint8_t *bytes,
                         size_t len, bool add)
{
    if (type == SD_INDEX_COUNTER)
        return s_bump(txn, k, bytes, add ? 1 : -1);
    s_key_t key = {.n = 0};
    s_key_str(&key, k->name);
    s_key_bytes(&key, bytes, len);
    return add ? s_put(txn, DB_INDEXES, &key, "", 0) : s_del(txn, DB_INDEXES, &key);
}

/* Applies the entries of `from` that `except` does not hold (add or take away). */
static int s_index_diff(sd_store_txn_t *txn, const sd_kind_t *k, const sd_index_keys_t *from,
                        const sd_index_keys_t *except, bool add)
{
    size_t pos = 0, len;
    int type, rc = 0;
    const uint8_t *bytes;
    while (!rc && sd_index_next(from, &pos, &type, &bytes, &len))
        if (!except || !sd_index_has(except, type, bytes, len))
            rc = s_index_entry(txn, k, type, bytes, len, add);
    return rc;
}

/* The index entries of record (none before it exists). */
static int s_index_of(const sd_kind_t *k, const void *record, sd_index_keys_t *keys)
{
    sd_index_reset(keys);
    if (!k->index || !sd_record_exists(k, record))
        return 0;
    return k->index(record, keys);
}

int sd_store_decode_record(const sd_kind_t *k, const MDB_val *v, void *record)
{
    sd_mp_doc_t *doc = NULL;
    int rc = sd_mp_doc_parse(v->mv_data, v->mv_size, &doc);
    if (rc)
        return SD_ECORRUPT;
    rc = sd_record_decode(k, sd_mp_doc_root(doc), record, NULL);
    sd_mp_doc_destroy(&doc);
    if (rc)
        sd_record_clear(k, record);
    return rc;
}

int sd_store_get_record(sd_store_txn_t *txn, const sd_kind_t *k, const char *id, void *record)
{
    s_key_t key;
    if (strlen(id) > SD_ID_MAX)
        return SD_ENOTFOUND;
    s_record_key(&key, k, id);
    MDB_val v;
    int rc = s_get(txn, DB_RECORDS, &key, &v);
    return rc ?: sd_store_decode_record(k, &v, record);
}

static int s_put_record(sd_store_txn_t *txn, const sd_kind_t *k, const void *record)
{
    sd_mp_writer_t *w = txn->store->writer;
    sd_mp_writer_reset(w);
    sd_record_encode(k, record, true, w);
    if (sd_mp_writer_error(w))
        return SD_ENOMEM;
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    s_key_t key;
    s_record_key(&key, k, sd_record_cid(k, record));
    return s_put(txn, DB_RECORDS, &key, data, len);
}

/* The timeline entry and the event's own index entries (added once: events never change). */
static int s_log_event_entries(sd_store_txn_t *txn, const sd_event_t *ev)
{
    s_key_t k;
    s_record_key(&k, ev->kind, ev->key);
    s_key_u64(&k, ev->hlc);
    s_key_str(&k, ev->origin);
    s_key_u64(&k, ev->seq);
    int rc = s_put(txn, DB_TIMELINE, &k, "", 0);
    if (rc || !ev->kind->index_event)
        return rc;
    sd_index_keys_t keys;
    sd_index_reset(&keys);
    rc = ev->kind->index_event(ev, &keys);
    return rc ?: s_index_diff(txn, ev->kind, &keys, NULL, true);
}

int sd_store_fold_event(sd_store_txn_t *txn, const sd_event_t *ev, void *after)
{
    const sd_kind_t *k = ev->kind;
    int rc = s_log_event_entries(txn, ev);
    if (rc)
        return rc;
    void *record = after ? after : sd_record_new(k);
    if (!record)
        return SD_ENOMEM;
    /* Old and new index entries, so that only what changed is written. Only created records
     * are in indexes and counts; events that reach a replica before the create are folded
     * into a partial record. The store has one writer: its scratch serves every event. */
    sd_index_keys_t *keys = txn->store->keys;
    rc = sd_store_get_record(txn, k, ev->key, record);
    if (rc == SD_ENOTFOUND)
        rc = 0;
    rc = rc ?: s_index_of(k, record, &keys[0]);
    rc = rc ?: sd_fold_apply(record, ev);
    rc = rc ?: s_index_of(k, record, &keys[1]);
    rc = rc ?: s_index_diff(txn, k, &keys[0], &keys[1], false);
    rc = rc ?: s_index_diff(txn, k, &keys[1], &keys[0], true);
    rc = rc ?: s_put_record(txn, k, record);
    if (rc && after)
        sd_record_clear(k, after);
    if (!after)
        sd_record_destroy(k, &record);
    return rc;
}

int sd_store_apply(sd_store_txn_t *txn, const sd_event_t *ev)
{
    return sd_store_apply_record(txn, ev, NULL);
}

int sd_store_apply_record(sd_store_txn_t *txn, const sd_event_t *ev, void *after)
{
    uint64_t applied;
    int rc = sd_store_applied(txn, ev->origin, &applied);
    if (rc)
        return rc;
    if (ev->seq <= applied)
        return 1;
    if (ev->seq != applied + 1)
        return SD_ERANGE;

    /* The event log keeps the exact wire form. */
    sd_mp_writer_t *w = txn->store->writer;
    sd_mp_writer_reset(w);
    sd_event_encode(ev, w);
    if (sd_mp_writer_error(w))
        return SD_ENOMEM;
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    s_key_t k = {.n = 0};
    s_key_str(&k, ev->origin);
    s_key_u64(&k, ev->seq);
    rc = s_put(txn, DB_EVENTS, &k, data, len);
    if (rc)
        return rc;
    uint8_t seq[8];
    s_be64(seq, ev->seq);
    k.n = 0;
    s_key_str(&k, ev->origin);
    rc = s_put(txn, DB_VECTOR, &k, seq, 8);
    return rc ?: sd_store_fold_event(txn, ev, after);
}
