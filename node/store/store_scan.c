/* store_scan.c - walking a kind's records and index entries, the whole event log, and the
 * node's own refusals (store.h). */
#include "store.h"

#include "record.h"
#include "store_impl.h"

#include <stdlib.h>

typedef struct {
    const sd_kind_t *kind;
    const char *after; /* skip ids up to and including this one */
    void *record;      /* scratch record */
    sd_store_record_fn fn;
    void *arg;
} s_records_t;

static int s_record(const MDB_val *k, const MDB_val *v, void *arg)
{
    s_records_t *r = arg;
    size_t skip = strlen(r->kind->name) + 1;
    const char *id = (const char *)k->mv_data + skip;
    if (k->mv_size <= skip || ((const char *)k->mv_data)[k->mv_size - 1] != 0)
        return SD_ECORRUPT;
    if (r->after && strcmp(id, r->after) <= 0)
        return 0;
    int rc = sd_store_decode_record(r->kind, v, r->record);
    if (rc)
        return rc;
    if (sd_record_exists(r->kind, r->record))
        rc = r->fn(r->record, r->arg);
    sd_record_clear(r->kind, r->record);
    return rc;
}

int sd_store_records(sd_store_txn_t *txn, const sd_kind_t *k, const char *after,
                     sd_store_record_fn fn, void *arg)
{
    s_records_t r = {.kind = k, .after = after, .fn = fn, .arg = arg};
    if (!(r.record = sd_record_new(k)))
        return SD_ENOMEM;
    s_key_t from = {.n = 0};
    s_key_str(&from, k->name);
    size_t prefix = from.n;
    if (after)
        s_key_str(&from, after);
    int rc = sd_store_range(txn, DB_RECORDS, &from, prefix, s_record, &r);
    sd_record_destroy(k, &r.record);
    return rc;
}

typedef struct {
    size_t skip; /* bytes of the prefix */
    int (*fn)(const char *rest, size_t len, void *arg);
    void *arg;
} s_entries_t;

static int s_entry(const MDB_val *k, const MDB_val *v, void *arg)
{
    (void)v;
    s_entries_t *e = arg;
    return e->fn((const char *)k->mv_data + e->skip, k->mv_size - e->skip, e->arg);
}

int sd_store_index_find(sd_store_txn_t *txn, const sd_kind_t *k, const char *index,
                        const char *part, int (*fn)(const char *rest, size_t len, void *arg),
                        void *arg)
{
    s_key_t from = {.n = 0};
    s_key_str(&from, k->name);
    s_key_str(&from, index);
    s_key_str(&from, part);
    s_entries_t e = {.skip = from.n, .fn = fn, .arg = arg};
    return sd_store_range(txn, DB_INDEXES, &from, from.n, s_entry, &e);
}

typedef struct {
    int (*fn)(const void *event, size_t len, void *arg);
    void *arg;
} s_events_t;

static int s_event(const MDB_val *k, const MDB_val *v, void *arg)
{
    (void)k;
    s_events_t *e = arg;
    return e->fn(v->mv_data, v->mv_size, e->arg);
}

int sd_store_events_all(sd_store_txn_t *txn, int (*fn)(const void *event, size_t len, void *arg),
                        void *arg)
{
    s_key_t from = {.n = 0};
    s_events_t e = {fn, arg};
    return sd_store_range(txn, DB_EVENTS, &from, 0, s_event, &e);
}

/* ---- refusals ------------------------------------------------------------------------------ */

int sd_store_put_denial(sd_store_txn_t *txn, uint64_t ms, uint32_t n, const void *data, size_t len)
{
    s_key_t k = {.n = 0};
    s_key_u64(&k, ms);
    s_key_u64(&k, n);
    return s_put(txn, DB_DENIALS, &k, data, len);
}

int sd_store_denials(sd_store_txn_t *txn, uint64_t since_ms,
                     int (*fn)(const void *denial, size_t len, void *arg), void *arg)
{
    s_key_t from = {.n = 0};
    s_key_u64(&from, since_ms);
    s_events_t e = {fn, arg};
    return sd_store_range(txn, DB_DENIALS, &from, 0, s_event, &e);
}

/* ---- idempotency keys -------------------------------------------------------------------- */

static void s_idem_key(s_key_t *k, const char *login, const char *key)
{
    k->n = 0;
    s_key_str(k, login);
    s_key_str(k, key);
}

int sd_store_put_idempotency(sd_store_txn_t *txn, const char *login, const char *key,
                             const sd_store_idem_t *made)
{
    s_key_t k;
    char v[sizeof *made];
    int n = snprintf(v, sizeof v, "%s%c%s%c%s", made->kind, 0, made->id, 0, made->op);
    if (n < 0 || (size_t)n >= sizeof v)
        return SD_EINVAL;
    s_idem_key(&k, login, key);
    return s_put(txn, DB_IDEMPOTENCY, &k, v, (size_t)n + 1);
}

int sd_store_get_idempotency(sd_store_txn_t *txn, const char *login, const char *key,
                             sd_store_idem_t *made)
{
    s_key_t k;
    MDB_val v;
    s_idem_key(&k, login, key);
    int rc = s_get(txn, DB_IDEMPOTENCY, &k, &v);
    if (rc)
        return rc;
    /* Three NUL-terminated strings, each within its member. */
    const char *p = v.mv_data, *end = p + v.mv_size;
    char *into[3] = {made->kind, made->id, made->op};
    size_t cap[3] = {sizeof made->kind, sizeof made->id, sizeof made->op};
    for (int i = 0; i < 3; i++) {
        const char *nul = memchr(p, 0, (size_t)(end - p));
        if (!nul || (size_t)(nul - p) >= cap[i])
            return SD_ECORRUPT;
        memcpy(into[i], p, (size_t)(nul - p) + 1);
        p = nul + 1;
    }
    return p == end ? 0 : SD_ECORRUPT;
}

/* ---- events made before signing -------------------------------------------------------- */

typedef struct {
    sd_vector_t *legacy;
    int rc;
} s_legacy_t;

/* Records vector as the legacy one ("legacy.<origin>" = seq, then "legacy" = 1). */
static int s_legacy_set(sd_store_txn_t *txn, void *arg)
{
    sd_vector_t *legacy = arg;
    uint64_t set = 0;
    int rc = s_meta_get_u64(txn, "legacy", &set);
    if (rc || set)
        return rc;
    rc = sd_store_vector(txn, legacy);
    for (size_t i = 0; i < legacy->count && !rc; i++) {
        char name[SD_SITE_MAX + 16];
        snprintf(name, sizeof name, "legacy.%s", legacy->entries[i].origin);
        rc = s_meta_put_u64(txn, name, legacy->entries[i].seq);
    }
    return rc ?: s_meta_put_u64(txn, "legacy", 1);
}

/* One "legacy.<origin>" meta entry into the vector. */
static int s_legacy_entry(const MDB_val *k, const MDB_val *v, void *arg)
{
    sd_vector_t *legacy = arg;
    const char *name = (const char *)k->mv_data + strlen("legacy.");
    if (k->mv_size < strlen("legacy.") + 2 || v->mv_size != 8)
        return SD_ECORRUPT;
    return sd_vector_set(legacy, name, s_get_be64(v->mv_data)) == 0 ? 0 : SD_ECORRUPT;
}

int sd_store_legacy(sd_store_t *store, sd_vector_t *legacy)
{
    sd_vector_t now = {0};
    int rc = sd_store_write(store, s_legacy_set, NULL, &now);
    sd_store_txn_t *txn = NULL;
    rc = rc ?: sd_store_begin(store, false, &txn);
    if (!rc) {
        s_key_t from = {.n = 0};
        memcpy(from.b, "legacy.", 7);
        from.n = 7;
        *legacy = (sd_vector_t){0};
        rc = sd_store_range(txn, DB_META, &from, from.n, s_legacy_entry, legacy);
    }
    sd_store_abort(&txn);
    return rc;
}
