/* store_impl.h - internals shared by the files of the store module (store*.c).
 *
 * Not for use outside node/store*.c: the rest of the code sees store.h only,
 * and only the store includes <lmdb.h>. Keys are built into an s_key_t:
 * strings NUL-terminated, numbers big-endian, so LMDB's byte order is the
 * order we want (an origin's events by seq, the queue by priority and due). */
#ifndef SD_STORE_IMPL_H
#define SD_STORE_IMPL_H

#include "error.h"
#include "store.h"

#include <errno.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SD_STORE_SCHEMA    "3"           /* 2: ticket tables of their own; upgraded by replay */
#define SD_STORE_MAP_INIT  (64ull << 20) /* first map size; grows by doubling */
#define SD_STORE_MAP_MAX   (1ull << 40)  /* 1 TiB: the most we grow to */
#define SD_STORE_LOW_SPACE (1ull << 20)  /* below this free, an EIO on commit means disk full */
#define KEY_MAX            480           /* LMDB's default key limit is 511 */

enum {
    DB_EVENTS,   /* origin NUL seq -> event */
    DB_VECTOR,   /* origin NUL -> highest seq applied */
    DB_META,     /* name NUL -> value (site, schema, id counters, index counters, clock) */
    DB_RECORDS,  /* kind NUL id NUL -> record */
    DB_TIMELINE, /* kind NUL id NUL hlc origin NUL seq -> "" (a record's events in clock order) */
    DB_INDEXES,  /* kind NUL index NUL parts -> "" (each kind's secondary indexes) */
    DB_DENIALS,  /* ms, n -> refusal (this node's own: never replicated, not in the digest) */
    DB_IDEMPOTENCY, /* login NUL key NUL -> kind NUL id NUL op NUL (local, like the denials) */
    DB_BLOBS,       /* blob id NUL -> content (blob_store.c; local, like the denials) */
    DB_N
};

/* Databases of schema 2, dropped by the upgrade (store_upgrade.c). */
#define SD_STORE_OLD_DBS 6

struct sd_store {
    MDB_env *env;               /* the environment */
    MDB_dbi dbi[DB_N];          /* its databases */
    char site[SD_SITE_MAX + 1]; /* this node's site id */
    char dir[4096];             /* the data directory */
    uint64_t map_size;          /* current map size */
    sd_mp_writer_t *writer;     /* scratch buffer for encoding records */
    sd_index_keys_t keys[2];    /* scratch: a record's index entries before and after an event */
    pthread_rwlock_t grow_lock; /* readers of other threads hold it shared; growing the map
                                   takes it exclusively (LMDB: no transaction during a resize) */
};

struct sd_store_txn {
    sd_store_t *store; /* owner */
    MDB_txn *txn;      /* the LMDB transaction */
    bool shared;       /* begun by sd_store_begin_reader: holds grow_lock shared */
};

/* Translates an LMDB or errno code at the module boundary. */
static inline int s_err(int rc)
{
    switch (rc) {
    case MDB_SUCCESS:
        return 0;
    case MDB_NOTFOUND:
        return SD_ENOTFOUND;
    case MDB_MAP_FULL:
        return SD_EMAPFULL;
    case ENOSPC:
    case EFBIG:
    case EDQUOT:
        return SD_EFULL;
    case ENOMEM:
        return SD_ENOMEM;
    case EIO:
        return SD_EIO;
    case MDB_CORRUPTED:
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
        return SD_ECORRUPT;
    default:
        return SD_ESTORE;
    }
}

static inline void s_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static inline uint64_t s_get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

/* A key under construction: bytes and length. */
typedef struct {
    uint8_t b[KEY_MAX]; /* bytes */
    size_t n;           /* used */
} s_key_t;

static inline void s_key_str(s_key_t *k, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (k->n + len + 1 > KEY_MAX)
        len = KEY_MAX - k->n - 1; /* cannot happen within SD_* limits */
    memcpy(k->b + k->n, s ? s : "", len);
    k->n += len;
    k->b[k->n++] = 0;
}

static inline void s_key_u64(s_key_t *k, uint64_t v)
{
    s_be64(k->b + k->n, v);
    k->n += 8;
}

static inline void s_key_u8(s_key_t *k, uint8_t v)
{
    k->b[k->n++] = v;
}

static inline MDB_val s_val(const s_key_t *k)
{
    return (MDB_val){.mv_size = k->n, .mv_data = (void *)k->b};
}

static inline int s_put(sd_store_txn_t *t, int db, const s_key_t *key, const void *data, size_t len)
{
    MDB_val k = s_val(key), v = {.mv_size = len, .mv_data = (void *)data};
    return s_err(mdb_put(t->txn, t->store->dbi[db], &k, &v, 0));
}

static inline int s_get(sd_store_txn_t *t, int db, const s_key_t *key, MDB_val *out)
{
    MDB_val k = s_val(key);
    return s_err(mdb_get(t->txn, t->store->dbi[db], &k, out));
}

static inline int s_del(sd_store_txn_t *t, int db, const s_key_t *key)
{
    MDB_val k = s_val(key);
    int rc = s_err(mdb_del(t->txn, t->store->dbi[db], &k, NULL));
    return rc == SD_ENOTFOUND ? 0 : rc;
}

/* A big-endian u64 stored under the string key name in db (the vector's seqs, meta's
 * counters): 0 when absent, SD_ECORRUPT when the value is not 8 bytes. */
static inline int s_get_u64(sd_store_txn_t *t, int db, const char *name, uint64_t *v)
{
    s_key_t k = {.n = 0};
    s_key_str(&k, name);
    MDB_val val;
    int rc = s_get(t, db, &k, &val);
    *v = 0;
    if (rc == SD_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    if (val.mv_size != 8)
        return SD_ECORRUPT;
    *v = s_get_be64(val.mv_data);
    return 0;
}

static inline int s_meta_get_u64(sd_store_txn_t *t, const char *name, uint64_t *v)
{
    return s_get_u64(t, DB_META, name, v);
}

static inline int s_meta_put_u64(sd_store_txn_t *t, const char *name, uint64_t v)
{
    s_key_t k = {.n = 0};
    s_key_str(&k, name);
    uint8_t b[8];
    s_be64(b, v);
    return s_put(t, DB_META, &k, b, 8);
}

static inline void s_key_bytes(s_key_t *k, const void *b, size_t len)
{
    if (k->n + len > KEY_MAX)
        len = KEY_MAX - k->n; /* cannot happen within SD_INDEX_KEY_MAX */
    memcpy(k->b + k->n, b, len);
    k->n += len;
}

/* The meta name of counter `name` of kind k ("ticket.status.new"). */
static inline void s_counter_name(const sd_kind_t *k, const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s.%s", k->name, name);
}

/* Walks database db from key `from` while keys start with its first `prefix` bytes, calling fn
 * with the logged event each key names: the key's suffix after `skip` bytes is the event's log
 * key (origin NUL seq). *found counts the events. Returns 0, what fn returned, SD_ECORRUPT,
 * SD_ESTORE (store_read.c). */
int sd_store_scan_logged(sd_store_txn_t *txn, int db, const s_key_t *from, size_t prefix,
                         size_t skip, int (*fn)(const void *event, size_t len, void *arg),
                         void *arg, int *found);

/* Calls fn(key, value, arg) for each entry of db whose key starts with from[0..prefix), from
 * `from` on (an empty `from`: from the first entry), in key order; stops at the first non-zero
 * return, which is returned. Else 0 or SD_ESTORE (store_read.c). */
int sd_store_range(sd_store_txn_t *txn, int db, const s_key_t *from, size_t prefix,
                   int (*fn)(const MDB_val *k, const MDB_val *v, void *arg), void *arg);

/* Calls fn for every entry of database db, in key order, with a cursor fn may delete through.
 * Returns 0 or the first error (fn's, or SD_ESTORE) (store_read.c). */
int sd_store_walk(sd_store_txn_t *txn, int db,
                  int (*fn)(sd_store_txn_t *txn, MDB_cursor *cur, const MDB_val *k,
                            const MDB_val *v, void *arg),
                  void *arg);

/* Key of record id of kind k in DB_RECORDS (also the prefix of its timeline). */
static inline void s_record_key(s_key_t *k, const sd_kind_t *kind, const char *id)
{
    k->n = 0;
    s_key_str(k, kind->name);
    s_key_str(k, id);
}

/* Decodes a stored record of kind k (store.c). Returns 0 or SD_ECORRUPT (record cleared). */
int sd_store_decode_record(const sd_kind_t *k, const MDB_val *v, void *record);

/* Applies ev to its record, timeline and indexes, without the log and vector (store.c); the
 * upgrade replays the log through it. after: see sd_store_apply_record. */
int sd_store_fold_event(sd_store_txn_t *txn, const sd_event_t *ev, void *after);

/* Upgrades a store of schema 2 to SD_STORE_SCHEMA inside txn (store_upgrade.c). *events gets
 * the number of events replayed. Returns 0, SD_EMAPFULL (grow and redo), SD_ECORRUPT, SD_ESTORE. */
int sd_store_upgrade_v2(sd_store_txn_t *txn, uint64_t *events);

/* Brings the records up to the kinds of this build when meta "layout" (each kind's register
 * count) says they were written by another: a kind that gained registers (new ones go at the
 * end) has its records re-encoded with the new stamps, so that the state digest of an upgraded
 * store equals that of a store that folded the same events anew. *records gets how many were
 * rewritten. Returns 0, SD_EMAPFULL (grow and redo), SD_ECORRUPT, SD_ENOMEM, SD_ESTORE. */
int sd_store_upgrade_layout(sd_store_txn_t *txn, uint64_t *records);

#endif
