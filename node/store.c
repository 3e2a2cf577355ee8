/* store.c - LMDB event log, vector, tickets and indexes in one environment. */
#include "store.h"

#include "error.h"
#include "fold.h"
#include "log.h"

#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#define SD_STORE_SCHEMA    "1"
#define SD_STORE_MAP_INIT  (64ull << 20) /* first map size; grows by doubling */
#define SD_STORE_MAP_MAX   (1ull << 40)  /* 1 TiB: the most we grow to */
#define SD_STORE_LOW_SPACE (1ull << 20)  /* below this free, an EIO on commit means disk full */
#define KEY_MAX            480           /* LMDB's default key limit is 511 */

enum { DB_EVENTS, DB_VECTOR, DB_TICKETS, DB_HISTORY, DB_QUEUE, DB_BYREQ, DB_BYASG, DB_META, DB_N };
static const char *const s_db_names[DB_N] = {"events", "vector", "tickets", "history",
                                             "queue",  "byreq",  "byasg",   "meta"};

struct sd_store {
    MDB_env *env;               /* the environment */
    MDB_dbi dbi[DB_N];          /* its databases */
    char site[SD_SITE_MAX + 1]; /* this node's site id */
    char dir[4096];             /* the data directory */
    uint64_t map_size;          /* current map size */
    sd_mp_writer_t *writer;     /* scratch buffer for encoding records */
};

struct sd_store_txn {
    sd_store_t *store; /* owner */
    MDB_txn *txn;      /* the LMDB transaction */
};

/* Translates an LMDB or errno code at the module boundary. */
static int s_err(int rc)
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

static void s_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t s_get_be64(const uint8_t *p)
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

static void s_key_str(s_key_t *k, const char *s)
{
    size_t len = s ? strlen(s) : 0;
    if (k->n + len + 1 > KEY_MAX)
        len = KEY_MAX - k->n - 1; /* cannot happen within SD_* limits */
    memcpy(k->b + k->n, s ? s : "", len);
    k->n += len;
    k->b[k->n++] = 0;
}

static void s_key_u64(s_key_t *k, uint64_t v)
{
    s_be64(k->b + k->n, v);
    k->n += 8;
}

static void s_key_u8(s_key_t *k, uint8_t v)
{
    k->b[k->n++] = v;
}

static MDB_val s_val(const s_key_t *k)
{
    return (MDB_val){.mv_size = k->n, .mv_data = (void *)k->b};
}

static int s_put(sd_store_txn_t *t, int db, const s_key_t *key, const void *data, size_t len)
{
    MDB_val k = s_val(key), v = {.mv_size = len, .mv_data = (void *)data};
    return s_err(mdb_put(t->txn, t->store->dbi[db], &k, &v, 0));
}

static int s_get(sd_store_txn_t *t, int db, const s_key_t *key, MDB_val *out)
{
    MDB_val k = s_val(key);
    return s_err(mdb_get(t->txn, t->store->dbi[db], &k, out));
}

static int s_del(sd_store_txn_t *t, int db, const s_key_t *key)
{
    MDB_val k = s_val(key);
    int rc = s_err(mdb_del(t->txn, t->store->dbi[db], &k, NULL));
    return rc == SD_ENOTFOUND ? 0 : rc;
}

static int s_meta_get_u64(sd_store_txn_t *t, const char *name, uint64_t *v)
{
    s_key_t k = {.n = 0};
    s_key_str(&k, name);
    MDB_val val;
    int rc = s_get(t, DB_META, &k, &val);
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

static int s_meta_put_u64(sd_store_txn_t *t, const char *name, uint64_t v)
{
    s_key_t k = {.n = 0};
    s_key_str(&k, name);
    uint8_t b[8];
    s_be64(b, v);
    return s_put(t, DB_META, &k, b, 8);
}

/* ---- open / close -------------------------------------------------------- */

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
    if (!rc &&
        (s_get(txn, DB_META, &kv, &schema) != 0 || schema.mv_size != strlen(SD_STORE_SCHEMA) ||
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
    return rc;
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
    int rc = s_err(mdb_env_create(&store->env));
    if (rc)
        goto fail;
    mdb_env_set_maxdbs(store->env, DB_N);
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
    free(*store);
    *store = NULL;
}

const char *sd_store_site(const sd_store_t *store)
{
    return store->site;
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
    int rc = mdb_env_set_mapsize(store->env, next);
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
    free(*txn);
    *txn = NULL;
    return rc;
}

void sd_store_abort(sd_store_txn_t **txn)
{
    if (!txn || !*txn)
        return;
    mdb_txn_abort((*txn)->txn);
    free(*txn);
    *txn = NULL;
}

/* ---- counters and clock -------------------------------------------------- */

int sd_store_next_ticket_id(sd_store_txn_t *txn, char id[SD_ID_MAX + 1])
{
    uint64_t n;
    int rc = s_meta_get_u64(txn, "ticket_no", &n);
    if (rc)
        return rc;
    n++;
    rc = s_meta_put_u64(txn, "ticket_no", n);
    if (rc)
        return rc;
    snprintf(id, SD_ID_MAX + 1, "%s-%06llu", txn->store->site, (unsigned long long)n);
    return 0;
}

int sd_store_applied(sd_store_txn_t *txn, const char *origin, uint64_t *seq)
{
    s_key_t k = {.n = 0};
    s_key_str(&k, origin);
    MDB_val v;
    int rc = s_get(txn, DB_VECTOR, &k, &v);
    *seq = 0;
    if (rc == SD_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    if (v.mv_size != 8)
        return SD_ECORRUPT;
    *seq = s_get_be64(v.mv_data);
    return 0;
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

/* ---- tickets and indexes ------------------------------------------------- */

static bool s_is_open(int status)
{
    return status <= SD_STATUS_PENDING;
}

static void s_queue_key(s_key_t *k, const sd_ticket_t *t)
{
    k->n = 0;
    s_key_u8(k, s_is_open(t->status) ? 0 : 1);
    s_key_u8(k, (uint8_t)t->priority);
    s_key_u64(k, t->resolve_due);
    s_key_str(k, t->id);
}

static void s_pair_key(s_key_t *k, const char *a, const char *id)
{
    k->n = 0;
    s_key_str(k, a);
    s_key_str(k, id);
}

static void s_status_counter(int status, char *name, size_t cap)
{
    snprintf(name, cap, "count.%s", sd_status_name(status));
}

static int s_bump(sd_store_txn_t *txn, int status, int delta)
{
    char name[32];
    uint64_t n;
    s_status_counter(status, name, sizeof name);
    int rc = s_meta_get_u64(txn, name, &n);
    return rc ?: s_meta_put_u64(txn, name, n + (uint64_t)(int64_t)delta);
}

static int s_index_entry(sd_store_txn_t *txn, int db, const s_key_t *k, bool add)
{
    return add ? s_put(txn, db, k, "", 0) : s_del(txn, db, k);
}

/* Adds (add = true) or removes the index entries and the status count of t. */
static int s_index(sd_store_txn_t *txn, const sd_ticket_t *t, bool add)
{
    s_key_t k;
    s_queue_key(&k, t);
    int rc = s_index_entry(txn, DB_QUEUE, &k, add);
    if (!rc && t->requester) {
        s_pair_key(&k, t->requester, t->id);
        rc = s_index_entry(txn, DB_BYREQ, &k, add);
    }
    if (!rc && t->assignee) {
        s_pair_key(&k, t->assignee, t->id);
        rc = s_index_entry(txn, DB_BYASG, &k, add);
    }
    return rc ?: s_bump(txn, t->status, add ? 1 : -1);
}

static int s_decode_ticket(const MDB_val *v, sd_ticket_t *t)
{
    sd_mp_doc_t *doc = NULL;
    int rc = sd_mp_doc_parse(v->mv_data, v->mv_size, &doc);
    if (rc)
        return SD_ECORRUPT;
    rc = sd_ticket_decode(sd_mp_doc_root(doc), t, NULL);
    sd_mp_doc_destroy(&doc);
    if (rc)
        sd_ticket_clear(t);
    return rc;
}

int sd_store_get_ticket(sd_store_txn_t *txn, const char *id, sd_ticket_t *t)
{
    s_key_t k = {.n = 0};
    if (strlen(id) > SD_ID_MAX)
        return SD_ENOTFOUND;
    s_key_str(&k, id);
    MDB_val v;
    int rc = s_get(txn, DB_TICKETS, &k, &v);
    return rc ?: s_decode_ticket(&v, t);
}

static int s_put_ticket(sd_store_txn_t *txn, const sd_ticket_t *t)
{
    sd_mp_writer_t *w = txn->store->writer;
    sd_mp_writer_reset(w);
    sd_ticket_encode(t, true, w);
    if (sd_mp_writer_error(w))
        return SD_ENOMEM;
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    s_key_t k = {.n = 0};
    s_key_str(&k, t->id);
    return s_put(txn, DB_TICKETS, &k, data, len);
}

int sd_store_apply(sd_store_txn_t *txn, const sd_event_t *ev)
{
    return sd_store_apply_ticket(txn, ev, NULL);
}

int sd_store_apply_ticket(sd_store_txn_t *txn, const sd_event_t *ev, sd_ticket_t *after)
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
    if (rc)
        return rc;
    k.n = 0;
    s_key_str(&k, ev->key);
    s_key_u64(&k, ev->hlc);
    s_key_str(&k, ev->origin);
    s_key_u64(&k, ev->seq);
    rc = s_put(txn, DB_HISTORY, &k, "", 0);
    if (rc)
        return rc;

    sd_ticket_t t = {0};
    rc = sd_store_get_ticket(txn, ev->key, &t);
    bool existed = rc == 0;
    if (rc && rc != SD_ENOTFOUND)
        return rc;
    /* Only created tickets are in the queue, indexes and counts; events that
     * reach a replica before the create are folded into a partial record. */
    rc = existed && sd_fold_exists(&t) ? s_index(txn, &t, false) : 0;
    rc = rc ?: sd_fold_apply(&t, ev);
    rc = rc ?: (sd_fold_exists(&t) ? s_index(txn, &t, true) : 0);
    rc = rc ?: s_put_ticket(txn, &t);
    if (!rc && after)
        *after = t; /* hand over what t owns */
    else
        sd_ticket_clear(&t);
    return rc;
}

/* ---- reading ------------------------------------------------------------- */

static bool s_matches(const sd_ticket_t *t, const sd_store_filter_t *f)
{
    if (f->status >= 0 && t->status != f->status)
        return false;
    if (f->priority >= 0 && t->priority != f->priority)
        return false;
    if (f->open_only && !s_is_open(t->status))
        return false;
    if (f->assignee && (!t->assignee || strcmp(t->assignee, f->assignee) != 0))
        return false;
    if (f->requester && (!t->requester || strcmp(t->requester, f->requester) != 0))
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
    int oa = !s_is_open(a->status), ob = !s_is_open(b->status);
    if (oa != ob)
        return oa - ob;
    if (a->priority != b->priority)
        return a->priority - b->priority;
    if (a->resolve_due != b->resolve_due)
        return a->resolve_due < b->resolve_due ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* Collects every ticket of one requester or assignee (index prefix). Those
 * sets are small next to the queue, so sorting them in memory is cheap. */
static int s_collect(sd_store_txn_t *txn, int db, const char *prefix, s_ticket_set_t *set)
{
    MDB_cursor *cur;
    int rc = s_err(mdb_cursor_open(txn->txn, txn->store->dbi[db], &cur));
    if (rc)
        return rc;
    s_key_t p = {.n = 0};
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
        rc = s_collect(txn, f->requester ? DB_BYREQ : DB_BYASG,
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
    rc = s_err(mdb_cursor_open(txn->txn, txn->store->dbi[DB_QUEUE], &cur));
    if (rc)
        return rc;
    MDB_val k, v;
    int mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    if (skipping) {
        /* Seek straight to the `after` ticket's place in the queue. */
        sd_ticket_t last = {0};
        if (sd_store_get_ticket(txn, f->after, &last) == 0) {
            s_key_t qk;
            s_queue_key(&qk, &last);
            k = s_val(&qk);
            mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
        }
        sd_ticket_clear(&last);
    }
    for (; mrc == 0 && rc == 0; mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size < 11)
            continue;
        if (f->open_only && ((const uint8_t *)k.mv_data)[0] != 0)
            break;
        sd_ticket_t t = {0};
        rc = sd_store_get_ticket(txn, (const char *)k.mv_data + 10, &t);
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
    MDB_cursor *cur;
    int rc = s_err(mdb_cursor_open(txn->txn, txn->store->dbi[DB_HISTORY], &cur));
    if (rc)
        return rc;
    s_key_t p = {.n = 0};
    s_key_str(&p, id);
    MDB_val k = s_val(&p), v;
    int found = 0, mrc;
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0 && rc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= p.n + 8 || memcmp(k.mv_data, p.b, p.n) != 0)
            break;
        /* The suffix after the hlc is the event's log key: origin NUL seq. */
        s_key_t ek = {.n = k.mv_size - p.n - 8};
        memcpy(ek.b, (const uint8_t *)k.mv_data + p.n + 8, ek.n);
        MDB_val ev;
        rc = s_get(txn, DB_EVENTS, &ek, &ev);
        if (rc == SD_ENOTFOUND)
            rc = SD_ECORRUPT;
        rc = rc ?: fn(ev.mv_data, ev.mv_size, arg);
        found++;
    }
    mdb_cursor_close(cur);
    if (!rc && !found)
        return SD_ENOTFOUND;
    return rc;
}

int sd_store_count(sd_store_txn_t *txn, uint64_t counts[SD_STATUS_COUNT_])
{
    for (int s = 0; s < SD_STATUS_COUNT_; s++) {
        char name[32];
        s_status_counter(s, name, sizeof name);
        int rc = s_meta_get_u64(txn, name, &counts[s]);
        if (rc)
            return rc;
    }
    return 0;
}

static int s_digest_db(sd_store_txn_t *txn, int db, sd_digest_t *d)
{
    MDB_cursor *cur;
    int rc = s_err(mdb_cursor_open(txn->txn, txn->store->dbi[db], &cur));
    if (rc)
        return rc;
    MDB_val k, v;
    int mrc;
    for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        sd_digest_add(d, k.mv_data, k.mv_size);
        sd_digest_add(d, v.mv_data, v.mv_size);
    }
    mdb_cursor_close(cur);
    return mrc == MDB_NOTFOUND ? 0 : s_err(mrc);
}

int sd_store_digest(sd_store_txn_t *txn, char hex[SD_DIGEST_BYTES * 2 + 1])
{
    sd_digest_t d;
    uint8_t raw[SD_DIGEST_BYTES];
    int rc = sd_digest_init(&d);
    rc = rc ?: s_digest_db(txn, DB_VECTOR, &d);
    rc = rc ?: s_digest_db(txn, DB_TICKETS, &d);
    if (!rc)
        sd_digest_final(&d, raw, hex);
    return rc;
}
