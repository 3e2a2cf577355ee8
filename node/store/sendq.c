/* sendq.c - the channels' durable send queue in an LMDB environment of its own (sendq.h). */
#include "sendq.h"

#include "error.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define S_MAP_SIZE  (1ull << 30) /* 1 GiB of address space; pages are used as written */
#define S_FORMAT    1            /* the first byte of an encoded entry */
#define S_NUMBERS   7            /* u64s in an encoded entry */
#define S_STRINGS   7            /* strings in an encoded entry */
#define S_HEAD_SIZE (1 + S_NUMBERS * 8)

const char *const sd_sendq_state_names[SD_SENDQ_STATE_COUNT_] = {"queued", "sending", "sent",
                                                                 "failed", "unknown"};
const char *const sd_sendq_channel_names[SD_SENDQ_CHANNEL_COUNT_] = {"email", "chat"};

enum { S_ENTRIES, S_DUE, S_META, S_SENT, S_DBS };
static const char *const s_db_names[S_DBS] = {"entries", "due", "meta", "sent"};

struct sd_sendq {
    MDB_env *env;
    MDB_dbi dbi[S_DBS];
};

static int s_err(int lrc)
{
    return lrc == 0              ? 0
           : lrc == MDB_NOTFOUND ? SD_ENOTFOUND
           : lrc == MDB_MAP_FULL ? SD_EFULL
                                 : SD_ESTORE;
}

/* ---- encoding ------------------------------------------------------------------------------ */

static void s_put64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static uint64_t s_get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* The strings of an entry, in their stored order, with their capacities (body: heap). */
static void s_strings(const sd_sendq_entry_t *e, const char *str[S_STRINGS])
{
    const char *s[S_STRINGS] = {
        e->id, e->ticket, e->kind, e->to, e->subject, e->error, e->body ? e->body : ""};
    memcpy(str, s, sizeof s);
}

/* Encodes e into a malloc'd buffer. */
static unsigned char *s_encode(const sd_sendq_entry_t *e, size_t *len)
{
    const char *str[S_STRINGS];
    s_strings(e, str);
    size_t n = S_HEAD_SIZE;
    for (int i = 0; i < S_STRINGS; i++)
        n += 4 + strlen(str[i]);
    unsigned char *buf = malloc(n), *p = buf;
    if (!buf)
        return NULL;
    *p++ = S_FORMAT;
    uint64_t num[S_NUMBERS] = {
        (uint64_t)e->state, (uint64_t)e->channel, (uint64_t)e->attempts << 1 | e->recorded,
        e->created_at,      e->next_at,           e->sent_at,
        e->event_at};
    for (int i = 0; i < S_NUMBERS; i++, p += 8)
        s_put64(p, num[i]);
    for (int i = 0; i < S_STRINGS; i++) {
        size_t l = strlen(str[i]);
        p[0] = (unsigned char)(l >> 24), p[1] = (unsigned char)(l >> 16);
        p[2] = (unsigned char)(l >> 8), p[3] = (unsigned char)l;
        memcpy(p + 4, str[i], l);
        p += 4 + l;
    }
    *len = n;
    return buf;
}

/* Copies stored string bytes into dst (cap bytes with its NUL). */
static int s_take(char *dst, size_t cap, const unsigned char *src, size_t len)
{
    if (len >= cap)
        return SD_ECORRUPT;
    memcpy(dst, src, len);
    dst[len] = 0;
    return 0;
}

static int s_decode(const void *data, size_t len, sd_sendq_entry_t *e)
{
    const unsigned char *p = data, *end = p + len;
    *e = (sd_sendq_entry_t){0};
    if (len < S_HEAD_SIZE || p[0] != S_FORMAT)
        return SD_ECORRUPT;
    p++;
    uint64_t num[S_NUMBERS];
    for (int i = 0; i < S_NUMBERS; i++, p += 8)
        num[i] = s_get64(p);
    if (num[0] >= SD_SENDQ_STATE_COUNT_ || num[1] >= SD_SENDQ_CHANNEL_COUNT_)
        return SD_ECORRUPT;
    e->state = (int)num[0];
    e->channel = (int)num[1];
    e->attempts = (uint32_t)(num[2] >> 1);
    e->recorded = num[2] & 1;
    e->created_at = num[3], e->next_at = num[4], e->sent_at = num[5], e->event_at = num[6];
    char *dst[S_STRINGS - 1] = {e->id, e->ticket, e->kind, e->to, e->subject, e->error};
    size_t caps[S_STRINGS - 1] = {sizeof e->id, sizeof e->ticket,  sizeof e->kind,
                                  sizeof e->to, sizeof e->subject, sizeof e->error};
    for (int i = 0; i < S_STRINGS; i++) {
        if (end - p < 4)
            return SD_ECORRUPT;
        size_t l = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
        p += 4;
        if ((size_t)(end - p) < l)
            return SD_ECORRUPT;
        int rc = 0;
        if (i < S_STRINGS - 1) {
            rc = s_take(dst[i], caps[i], p, l);
        } else if (l) {
            if (!(e->body = malloc(l + 1)))
                return SD_ENOMEM;
            memcpy(e->body, p, l);
            e->body[l] = 0;
        }
        if (rc)
            return rc;
        p += l;
    }
    return p == end ? 0 : SD_ECORRUPT;
}

void sd_sendq_entry_clear(sd_sendq_entry_t *e)
{
    if (!e)
        return;
    free(e->body);
    *e = (sd_sendq_entry_t){0};
}

/* ---- open / close -------------------------------------------------------------------------- */

/* The "due" key of e: next_at big-endian, then the id. */
static size_t s_due_key(const sd_sendq_entry_t *e, unsigned char key[8 + SD_SENDQ_ID_MAX])
{
    size_t n = strlen(e->id);
    s_put64(key, e->next_at);
    memcpy(key + 8, e->id, n);
    return 8 + n;
}

static int s_write_entry(sd_sendq_t *q, MDB_txn *txn, const sd_sendq_entry_t *old,
                         const sd_sendq_entry_t *e);

/* Every entry left `sending` becomes `unknown`. */
static int s_recover(sd_sendq_t *q, size_t *unknown)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    int rc = s_err(mdb_txn_begin(q->env, NULL, 0, &txn));
    if (rc)
        return rc;
    rc = s_err(mdb_cursor_open(txn, q->dbi[S_ENTRIES], &cur));
    MDB_val k, v;
    size_t n = 0;
    for (int op = MDB_FIRST; !rc && mdb_cursor_get(cur, &k, &v, op) == 0; op = MDB_NEXT) {
        sd_sendq_entry_t e;
        rc = s_decode(v.mv_data, v.mv_size, &e);
        if (!rc && e.state == SD_SENDQ_SENDING) {
            sd_sendq_entry_t old = e;
            old.body = NULL;
            e.state = SD_SENDQ_UNKNOWN;
            snprintf(e.error, sizeof e.error,
                     "the node stopped while handing it off: it may "
                     "have been sent; outbox.retry sends it again");
            rc = s_write_entry(q, txn, &old, &e);
            n++;
        }
        sd_sendq_entry_clear(&e);
    }
    mdb_cursor_close(cur);
    if (rc) {
        mdb_txn_abort(txn);
        return rc;
    }
    if (unknown)
        *unknown = n;
    return s_err(mdb_txn_commit(txn));
}

int sd_sendq_open(const char *dir, sd_sendq_t **out, size_t *unknown, char *err, size_t cap)
{
    *out = NULL;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, cap, "cannot make %s: %s", dir, strerror(errno));
        return SD_EIO;
    }
    sd_sendq_t *q = calloc(1, sizeof *q);
    if (!q)
        return SD_ENOMEM;
    int lrc = mdb_env_create(&q->env);
    if (!lrc) {
        mdb_env_set_maxdbs(q->env, S_DBS);
        mdb_env_set_mapsize(q->env, S_MAP_SIZE);
        lrc = mdb_env_open(q->env, dir, MDB_NOTLS, 0600);
    }
    MDB_txn *txn = NULL;
    lrc = lrc ?: mdb_txn_begin(q->env, NULL, 0, &txn);
    for (int i = 0; !lrc && i < S_DBS; i++)
        lrc = mdb_dbi_open(txn, s_db_names[i], MDB_CREATE, &q->dbi[i]);
    lrc = lrc ?: mdb_txn_commit(txn);
    if (lrc && txn)
        mdb_txn_abort(txn);
    int rc = lrc ? SD_ESTORE : s_recover(q, unknown);
    if (rc) {
        snprintf(err, cap, "send queue %s: %s", dir, lrc ? mdb_strerror(lrc) : sd_strerror(rc));
        sd_sendq_close(&q);
        return rc;
    }
    *out = q;
    return 0;
}

void sd_sendq_close(sd_sendq_t **q)
{
    if (!q || !*q)
        return;
    if ((*q)->env)
        mdb_env_close((*q)->env);
    free(*q);
    *q = NULL;
}

/* ---- reads and writes ---------------------------------------------------------------------- */

int sd_sendq_cursor(sd_sendq_t *q, char *out, size_t cap)
{
    MDB_txn *txn;
    out[0] = 0;
    int rc = s_err(mdb_txn_begin(q->env, NULL, MDB_RDONLY, &txn));
    if (rc)
        return rc;
    MDB_val k = {6, "cursor"}, v;
    rc = s_err(mdb_get(txn, q->dbi[S_META], &k, &v));
    if (!rc)
        snprintf(out, cap, "%.*s", (int)v.mv_size, (const char *)v.mv_data);
    mdb_txn_abort(txn);
    return rc == SD_ENOTFOUND ? 0 : rc;
}

/* Adds the "sent" rows of e: each lower-cased address of `to`, NUL, sent_at -> "". */
static int s_mark_sent(sd_sendq_t *q, MDB_txn *txn, const sd_sendq_entry_t *e)
{
    int rc = 0;
    for (const char *p = e->to; *p && !rc;) {
        size_t n = strcspn(p, ",");
        unsigned char key[SD_SENDQ_TO_MAX + 9];
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!isspace((unsigned char)p[i]))
                key[k++] = (unsigned char)tolower((unsigned char)p[i]);
        if (k) {
            key[k++] = 0;
            s_put64(key + k, e->sent_at);
            MDB_val kv = {k + 8, key}, v = {0, ""};
            rc = s_err(mdb_put(txn, q->dbi[S_SENT], &kv, &v, 0));
        }
        p += n + (p[n] == ',');
    }
    return rc;
}

/* Writes e in txn, moving its "due" row from what old had (old NULL: a new entry). */
static int s_write_entry(sd_sendq_t *q, MDB_txn *txn, const sd_sendq_entry_t *old,
                         const sd_sendq_entry_t *e)
{
    unsigned char key[8 + SD_SENDQ_ID_MAX];
    int rc = 0;
    if (old && old->state == SD_SENDQ_QUEUED) {
        MDB_val k = {s_due_key(old, key), key};
        rc = s_err(mdb_del(txn, q->dbi[S_DUE], &k, NULL));
        rc = rc == SD_ENOTFOUND ? 0 : rc;
    }
    if (!rc && e->state == SD_SENDQ_QUEUED) {
        MDB_val k = {s_due_key(e, key), key}, v = {0, ""};
        rc = s_err(mdb_put(txn, q->dbi[S_DUE], &k, &v, 0));
    }
    if (!rc && e->state == SD_SENDQ_SENT && (!old || old->state != SD_SENDQ_SENT))
        rc = s_mark_sent(q, txn, e);
    size_t len;
    unsigned char *buf = rc ? NULL : s_encode(e, &len);
    if (!rc && !buf)
        rc = SD_ENOMEM;
    if (!rc) {
        MDB_val k = {strlen(e->id), (void *)e->id}, v = {len, buf};
        rc = s_err(mdb_put(txn, q->dbi[S_ENTRIES], &k, &v, 0));
    }
    free(buf);
    return rc;
}

static int s_valid(const sd_sendq_entry_t *e)
{
    if (!e->id[0] || (e->body && strlen(e->body) > SD_SENDQ_BODY_MAX) || e->state < 0 ||
        e->state >= SD_SENDQ_STATE_COUNT_ || e->channel < 0 ||
        e->channel >= SD_SENDQ_CHANNEL_COUNT_)
        return SD_EINVAL;
    return 0;
}

int sd_sendq_add(sd_sendq_t *q, const sd_sendq_entry_t *entries, size_t n, const char *marker,
                 size_t *added)
{
    for (size_t i = 0; i < n; i++)
        if (s_valid(&entries[i]))
            return SD_EINVAL;
    MDB_txn *txn;
    int rc = s_err(mdb_txn_begin(q->env, NULL, 0, &txn));
    if (rc)
        return rc;
    size_t made = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        MDB_val k = {strlen(entries[i].id), (void *)entries[i].id}, v;
        rc = s_err(mdb_get(txn, q->dbi[S_ENTRIES], &k, &v));
        if (rc == 0)
            continue; /* made before (a step done again): kept as it is */
        rc = rc == SD_ENOTFOUND ? s_write_entry(q, txn, NULL, &entries[i]) : rc;
        made += !rc;
    }
    if (!rc && marker) {
        MDB_val k = {6, "cursor"}, v = {strlen(marker), (void *)marker};
        rc = s_err(mdb_put(txn, q->dbi[S_META], &k, &v, 0));
    }
    if (rc) {
        mdb_txn_abort(txn);
        return rc;
    }
    rc = s_err(mdb_txn_commit(txn));
    if (!rc && added)
        *added = made;
    return rc;
}

static int s_read(sd_sendq_t *q, MDB_txn *txn, const char *id, sd_sendq_entry_t *out)
{
    MDB_val k = {strlen(id), (void *)id}, v;
    *out = (sd_sendq_entry_t){0};
    if (!id[0] || k.mv_size > SD_SENDQ_ID_MAX)
        return SD_ENOTFOUND;
    int rc = s_err(mdb_get(txn, q->dbi[S_ENTRIES], &k, &v));
    if (!rc && (rc = s_decode(v.mv_data, v.mv_size, out)) != 0)
        sd_sendq_entry_clear(out);
    return rc;
}

int sd_sendq_get(sd_sendq_t *q, const char *id, sd_sendq_entry_t *out)
{
    MDB_txn *txn;
    *out = (sd_sendq_entry_t){0};
    int rc = s_err(mdb_txn_begin(q->env, NULL, MDB_RDONLY, &txn));
    if (rc)
        return rc;
    rc = s_read(q, txn, id, out);
    mdb_txn_abort(txn);
    return rc;
}

int sd_sendq_put(sd_sendq_t *q, const sd_sendq_entry_t *e)
{
    if (s_valid(e))
        return SD_EINVAL;
    MDB_txn *txn;
    int rc = s_err(mdb_txn_begin(q->env, NULL, 0, &txn));
    if (rc)
        return rc;
    sd_sendq_entry_t old;
    rc = s_read(q, txn, e->id, &old);
    rc = rc ?: s_write_entry(q, txn, &old, e);
    sd_sendq_entry_clear(&old);
    if (rc) {
        mdb_txn_abort(txn);
        return rc;
    }
    return s_err(mdb_txn_commit(txn));
}

int sd_sendq_due(sd_sendq_t *q, uint64_t now, sd_sendq_entry_t *out, uint64_t *next_at)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    *out = (sd_sendq_entry_t){0};
    if (next_at)
        *next_at = 0;
    int rc = s_err(mdb_txn_begin(q->env, NULL, MDB_RDONLY, &txn));
    if (rc)
        return rc;
    rc = s_err(mdb_cursor_open(txn, q->dbi[S_DUE], &cur));
    if (rc) {
        mdb_txn_abort(txn);
        return rc;
    }
    MDB_val k, v;
    rc = s_err(mdb_cursor_get(cur, &k, &v, MDB_FIRST));
    if (!rc && k.mv_size <= 8)
        rc = SD_ECORRUPT;
    if (!rc) {
        uint64_t at = s_get64(k.mv_data);
        char id[SD_SENDQ_ID_MAX + 1];
        if (at > now) {
            if (next_at)
                *next_at = at;
            rc = SD_ENOTFOUND;
        } else {
            rc = s_take(id, sizeof id, (const unsigned char *)k.mv_data + 8, k.mv_size - 8)
                     ?: s_read(q, txn, id, out);
        }
    }
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return rc;
}

int sd_sendq_list(sd_sendq_t *q, int state, const char *ticket, const char *after, sd_sendq_fn fn,
                  void *arg)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    int rc = s_err(mdb_txn_begin(q->env, NULL, MDB_RDONLY, &txn));
    if (rc)
        return rc;
    rc = s_err(mdb_cursor_open(txn, q->dbi[S_ENTRIES], &cur));
    if (rc) {
        mdb_txn_abort(txn);
        return rc;
    }
    MDB_val k = {after ? strlen(after) : 0, (void *)after}, v;
    int op = k.mv_size ? MDB_SET_RANGE : MDB_FIRST;
    for (int lrc; !rc && (lrc = mdb_cursor_get(cur, &k, &v, op)) == 0; op = MDB_NEXT) {
        if (after && after[0] && k.mv_size == strlen(after) && !memcmp(k.mv_data, after, k.mv_size))
            continue;
        sd_sendq_entry_t e;
        rc = s_decode(v.mv_data, v.mv_size, &e);
        if (!rc && (state < 0 || e.state == state) &&
            (!ticket || !ticket[0] || !strcmp(e.ticket, ticket)))
            rc = fn(&e, arg);
        sd_sendq_entry_clear(&e);
    }
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return rc;
}

int sd_sendq_retry(sd_sendq_t *q, const char *id, uint64_t now)
{
    sd_sendq_entry_t e;
    int rc = sd_sendq_get(q, id, &e);
    if (rc)
        return rc;
    if (e.state != SD_SENDQ_FAILED && e.state != SD_SENDQ_UNKNOWN) {
        sd_sendq_entry_clear(&e);
        return SD_ETRANSITION;
    }
    e.state = SD_SENDQ_QUEUED;
    e.attempts = 0;
    e.next_at = now;
    e.error[0] = 0;
    rc = sd_sendq_put(q, &e);
    sd_sendq_entry_clear(&e);
    return rc;
}

size_t sd_sendq_sent_to(sd_sendq_t *q, const char *address, uint64_t since)
{
    unsigned char key[SD_SENDQ_TO_MAX + 9];
    size_t k = 0;
    for (const char *p = address; *p && k < SD_SENDQ_TO_MAX; p++)
        if (!isspace((unsigned char)*p))
            key[k++] = (unsigned char)tolower((unsigned char)*p);
    key[k++] = 0;
    s_put64(key + k, since);
    MDB_txn *txn;
    MDB_cursor *cur;
    if (mdb_txn_begin(q->env, NULL, MDB_RDONLY, &txn) != 0)
        return 0;
    size_t n = 0;
    if (mdb_cursor_open(txn, q->dbi[S_SENT], &cur) == 0) {
        MDB_val kv = {k + 8, key}, v;
        for (int op = MDB_SET_RANGE; mdb_cursor_get(cur, &kv, &v, op) == 0; op = MDB_NEXT) {
            if (kv.mv_size != k + 8 || memcmp(kv.mv_data, key, k) != 0)
                break;
            n++;
        }
        mdb_cursor_close(cur);
    }
    mdb_txn_abort(txn);
    return n;
}

int sd_sendq_prune(sd_sendq_t *q, uint64_t before, uint64_t counted, size_t *removed)
{
    MDB_txn *txn;
    MDB_cursor *cur = NULL;
    MDB_val k, v;
    size_t n = 0;
    int rc = s_err(mdb_txn_begin(q->env, NULL, 0, &txn));
    if (rc)
        return rc;
    rc = s_err(mdb_cursor_open(txn, q->dbi[S_ENTRIES], &cur));
    for (int op = MDB_FIRST; !rc && mdb_cursor_get(cur, &k, &v, op) == 0; op = MDB_NEXT) {
        sd_sendq_entry_t e;
        rc = s_decode(v.mv_data, v.mv_size, &e);
        bool over = !rc && e.created_at < before &&
                    ((e.state == SD_SENDQ_SENT && (e.recorded || !e.ticket[0])) ||
                     e.state == SD_SENDQ_FAILED);
        sd_sendq_entry_clear(&e);
        if (over && (rc = s_err(mdb_cursor_del(cur, 0))) == 0)
            n++;
    }
    if (cur)
        mdb_cursor_close(cur);
    cur = NULL;
    rc = rc ?: s_err(mdb_cursor_open(txn, q->dbi[S_SENT], &cur));
    for (int op = MDB_FIRST; !rc && mdb_cursor_get(cur, &k, &v, op) == 0; op = MDB_NEXT)
        if (k.mv_size >= 8 && s_get64((const unsigned char *)k.mv_data + k.mv_size - 8) < counted)
            rc = s_err(mdb_cursor_del(cur, 0));
    if (cur)
        mdb_cursor_close(cur);
    if (rc) {
        mdb_txn_abort(txn);
        return rc;
    }
    rc = s_err(mdb_txn_commit(txn));
    if (!rc && removed)
        *removed = n;
    return rc;
}
