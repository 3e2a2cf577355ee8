/* message_store.c - reads over the message kind's index entries (message_store.h). */
#include "message_store.h"

#include "record.h"
#include "store_impl.h"

typedef struct {
    int (*fn)(const char *id, uint64_t at, void *arg);
    void *arg;
} s_each_t;

/* rest = received_at (8 bytes) then id NUL. */
static int s_dated(const char *rest, size_t len, void *arg)
{
    s_each_t *e = arg;
    if (len < 10 || rest[len - 1] != 0 || len - 9 > SD_ID_MAX + 1)
        return SD_ECORRUPT;
    return e->fn(rest + 8, s_get_be64((const uint8_t *)rest), e->arg);
}

int sd_message_each(sd_store_txn_t *txn, const char *index, const char *part,
                    int (*fn)(const char *id, uint64_t at, void *arg), void *arg)
{
    s_each_t e = {fn, arg};
    return sd_store_index_find(txn, &sd_kind_message, index, part, s_dated, &e);
}

typedef struct {
    size_t skip; /* key bytes before the entry's rest */
    s_each_t each;
} s_range_t;

static int s_range_entry(const MDB_val *k, const MDB_val *v, void *arg)
{
    (void)v;
    s_range_t *r = arg;
    return s_dated((const char *)k->mv_data + r->skip, k->mv_size - r->skip, &r->each);
}

/* Calls fn for each dated entry (received_at, id) under the key prefix `from`. */
static int s_range(sd_store_txn_t *txn, const s_key_t *from,
                   int (*fn)(const char *id, uint64_t at, void *arg), void *arg)
{
    s_range_t r = {from->n, {fn, arg}};
    return sd_store_range(txn, DB_INDEXES, from, from->n, s_range_entry, &r);
}

int sd_message_each_held(sd_store_txn_t *txn, int (*fn)(const char *id, uint64_t at, void *arg),
                         void *arg)
{
    s_key_t from = {.n = 0};
    s_key_str(&from, sd_kind_message.name);
    s_key_str(&from, SD_MESSAGE_INDEX_HELD);
    return s_range(txn, &from, fn, arg);
}

typedef struct {
    sd_store_txn_t *txn;
    sd_message_t *out; /* the newest inbound message so far (out->id set) */
    sd_message_t *tmp; /* scratch */
    int rc;
} s_latest_t;

static int s_latest_one(const char *id, uint64_t at, void *arg)
{
    (void)at;
    s_latest_t *l = arg;
    sd_record_clear(&sd_kind_message, l->tmp);
    int rc = sd_store_get_record(l->txn, &sd_kind_message, id, l->tmp);
    if (rc == SD_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    /* A person's e-mail: not a bounce, not auto-generated, not chat; entries come oldest
     * first. */
    if (!sd_record_exists(&sd_kind_message, l->tmp) || l->tmp->msg_class != SD_MCLASS_NORMAL ||
        l->tmp->state != SD_MSTATE_TICKET || l->tmp->channel != SD_MCHAN_EMAIL)
        return 0;
    sd_message_t *swap = l->out;
    l->out = l->tmp, l->tmp = swap;
    return 0;
}

int sd_message_latest(sd_store_txn_t *txn, const char *ticket, sd_message_t *out)
{
    sd_message_t a = {0}, b = {0};
    s_latest_t l = {txn, &a, &b, 0};
    int rc = sd_message_each(txn, SD_MESSAGE_INDEX_TICKET, ticket, s_latest_one, &l);
    if (!rc && !l.out->id[0])
        rc = SD_ENOTFOUND;
    if (!rc)
        *out = *l.out, memset(l.out, 0, sizeof *l.out);
    sd_record_clear(&sd_kind_message, &a);
    sd_record_clear(&sd_kind_message, &b);
    return rc;
}

static int s_newest(const char *id, uint64_t at, void *arg)
{
    (void)id;
    uint64_t *newest = arg;
    if (at >= *newest)
        *newest = at + 1; /* + 1: "seen" even at time 0 */
    return 0;
}

bool sd_message_bounced(sd_store_txn_t *txn, const char *address)
{
    char addr[SD_NAME_MAX + 1];
    snprintf(addr, sizeof addr, "%s", address ? address : "");
    sd_message_lower(addr);
    uint64_t bounce = 0, from = 0;
    if (sd_message_each(txn, SD_MESSAGE_INDEX_BOUNCED, addr, s_newest, &bounce) ||
        sd_message_each(txn, SD_MESSAGE_INDEX_FROM, addr, s_newest, &from))
        return false;
    return bounce && bounce >= from; /* a bounce, and no mail from it after */
}

static int s_first_id(const char *rest, size_t len, void *arg)
{
    if (!len || rest[len - 1] != 0 || len > SD_ID_MAX + 1)
        return SD_ECORRUPT;
    memcpy(arg, rest, len);
    return 1;
}

int sd_message_by_msgid(sd_store_txn_t *txn, const char *msgid, char id[SD_ID_MAX + 1])
{
    char key[SD_MSGID_MAX + 1];
    while (*msgid == ' ' || *msgid == '\t' || *msgid == '<')
        msgid++;
    size_t n = strcspn(msgid, "> \t");
    if (!n || n > SD_MSGID_MAX)
        return SD_ENOTFOUND;
    memcpy(key, msgid, n);
    key[n] = 0;
    id[0] = 0;
    int rc =
        sd_store_index_find(txn, &sd_kind_message, SD_MESSAGE_INDEX_MSGID, key, s_first_id, id);
    return rc == 1 ? 0 : rc ? rc : SD_ENOTFOUND;
}

static int s_last_id(const char *id, uint64_t at, void *arg)
{
    (void)at;
    snprintf(arg, SD_ID_MAX + 1, "%s", id);
    return 0;
}

int sd_message_chat_latest(sd_store_txn_t *txn, const char *source, const char *conversation,
                           char id[SD_ID_MAX + 1])
{
    s_key_t from = {.n = 0};
    s_key_str(&from, sd_kind_message.name);
    s_key_str(&from, SD_MESSAGE_INDEX_CHAT);
    s_key_str(&from, source);
    s_key_str(&from, conversation);
    id[0] = 0;
    int rc = s_range(txn, &from, s_last_id, id);
    return rc ? rc : id[0] ? 0 : SD_ENOTFOUND;
}

bool sd_message_of_comment(sd_store_txn_t *txn, const char *origin, uint64_t seq,
                           char id[SD_ID_MAX + 1])
{
    char key[SD_SITE_MAX + 24], found[SD_ID_MAX + 1] = "";
    snprintf(key, sizeof key, "%s:%llu", origin, (unsigned long long)seq);
    bool yes = sd_store_index_find(txn, &sd_kind_message, SD_MESSAGE_INDEX_COMMENT, key, s_first_id,
                                   found) == 1;
    if (yes && id)
        snprintf(id, SD_ID_MAX + 1, "%s", found);
    return yes;
}
