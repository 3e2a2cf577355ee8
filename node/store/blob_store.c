/* blob_store.c - the node's local blobs (message_store.h): raw mail and attachments, never
 * replicated and not in the digest.
 *
 * A value is 'D' type NUL bytes (the content itself, at most SD_BLOB_PART_MAX bytes after a
 * put, or a small join), or 'J' type NUL size (big-endian u64) and the ids of its parts
 * (SD_BLOB_ID_LEN bytes each, no NUL): a join of parts that are each a 'D' blob. */
#include "digest.h"
#include "message_store.h"

#include "store_impl.h"

#include <stdlib.h>

#define S_DEFAULT_TYPE "application/octet-stream"

static void s_blob_key(s_key_t *k, const char *id)
{
    k->n = 0;
    s_key_str(k, id);
}

/* A blob's id: "b2-" and the hex BLAKE2b-256 of its bytes, from the hash d of them. */
static void s_id_of(sd_digest_t *d, char id[SD_BLOB_ID_MAX + 1])
{
    memcpy(id, "b2-", 3);
    sd_hash_final_hex(d, 32, id + 3);
}

/* Splits a stored value: its tag, type and the bytes after the type. */
static int s_parse(const MDB_val *v, char *tag, const char **type, const uint8_t **body,
                   size_t *len)
{
    const char *p = v->mv_data;
    const char *nul = v->mv_size > 1 ? memchr(p + 1, 0, v->mv_size - 1) : NULL;
    if (!nul || (p[0] != 'D' && p[0] != 'J') || (size_t)(nul - p - 1) > SD_BLOB_TYPE_MAX)
        return SD_ECORRUPT;
    *tag = p[0];
    *type = p + 1;
    *body = (const uint8_t *)nul + 1;
    *len = v->mv_size - (size_t)(nul + 1 - p);
    if (*tag == 'J' && (*len < 8 || (*len - 8) % SD_BLOB_ID_LEN != 0))
        return SD_ECORRUPT;
    return 0;
}

static int s_store(sd_store_txn_t *txn, const char *id, char tag, const char *type, const void *a,
                   size_t alen, const void *b, size_t blen)
{
    size_t tlen = strlen(type);
    uint8_t *v = malloc(1 + tlen + 1 + alen + blen);
    if (!v)
        return SD_ENOMEM;
    v[0] = (uint8_t)tag;
    memcpy(v + 1, type, tlen + 1);
    if (alen)
        memcpy(v + 2 + tlen, a, alen);
    if (blen)
        memcpy(v + 2 + tlen + alen, b, blen);
    s_key_t k;
    s_blob_key(&k, id);
    int rc = s_put(txn, DB_BLOBS, &k, v, 2 + tlen + alen + blen);
    free(v);
    return rc;
}

bool sd_blob_has(sd_store_txn_t *txn, const char *id)
{
    s_key_t k;
    MDB_val v;
    if (!sd_blob_id_valid(id))
        return false;
    s_blob_key(&k, id);
    return s_get(txn, DB_BLOBS, &k, &v) == 0;
}

int sd_blob_put(sd_store_txn_t *txn, const void *data, size_t len, char id[SD_BLOB_ID_MAX + 1])
{
    if (len > SD_BLOB_PART_MAX)
        return SD_ETOOBIG;
    sd_digest_t d;
    if (sd_hash_init(&d, 32) != 0)
        return SD_ENOMEM; /* libsodium cannot start */
    sd_hash_add(&d, data, len);
    s_id_of(&d, id);
    return sd_blob_has(txn, id) ? 0 : s_store(txn, id, 'D', "", data, len, NULL, 0);
}

/* The bytes of 'D' blob id (borrowed from the transaction). */
static int s_part(sd_store_txn_t *txn, const char *id, const uint8_t **data, size_t *len)
{
    s_key_t k;
    MDB_val v;
    char tag;
    const char *type;
    if (!sd_blob_id_valid(id))
        return SD_EINVAL;
    s_blob_key(&k, id);
    int rc = s_get(txn, DB_BLOBS, &k, &v) ?: s_parse(&v, &tag, &type, data, len);
    return rc ? rc : tag == 'D' ? 0 : SD_EINVAL;
}

int sd_blob_join(sd_store_txn_t *txn, const char *const *parts, size_t nparts, const char *type,
                 char id[SD_BLOB_ID_MAX + 1], uint64_t *size, char missing[SD_BLOB_ID_MAX + 1])
{
    if (!nparts)
        return SD_EINVAL;
    if (!type || !*type)
        type = S_DEFAULT_TYPE;
    sd_digest_t d;
    if (strlen(type) > SD_BLOB_TYPE_MAX || sd_hash_init(&d, 32) != 0)
        return SD_EINVAL;
    *size = 0;
    for (size_t i = 0; i < nparts; i++) {
        const uint8_t *data;
        size_t len;
        int rc = s_part(txn, parts[i], &data, &len);
        if (rc == SD_ENOTFOUND && missing)
            snprintf(missing, SD_BLOB_ID_MAX + 1, "%s", parts[i]);
        if (rc)
            return rc;
        sd_hash_add(&d, data, len);
        *size += len;
    }
    s_id_of(&d, id);
    if (*size <= SD_BLOB_PART_MAX) { /* small: the content itself, with its type */
        uint8_t buf[SD_BLOB_PART_MAX];
        size_t at = 0;
        for (size_t i = 0; i < nparts; i++) {
            const uint8_t *data;
            size_t len;
            int rc = s_part(txn, parts[i], &data, &len);
            if (rc)
                return rc;
            memcpy(buf + at, data, len);
            at += len;
        }
        return s_store(txn, id, 'D', type, buf, at, NULL, 0);
    }
    uint8_t be[8];
    s_be64(be, *size);
    char *ids = malloc(nparts * SD_BLOB_ID_LEN);
    if (!ids)
        return SD_ENOMEM;
    for (size_t i = 0; i < nparts; i++)
        memcpy(ids + i * SD_BLOB_ID_LEN, parts[i], SD_BLOB_ID_LEN);
    int rc = s_store(txn, id, 'J', type, be, 8, ids, nparts * SD_BLOB_ID_LEN);
    free(ids);
    return rc;
}

int sd_blob_read(sd_store_txn_t *txn, const char *id, uint64_t offset, void *buf, size_t limit,
                 size_t *got, uint64_t *size, char type[SD_BLOB_TYPE_MAX + 1])
{
    s_key_t k;
    MDB_val v;
    char tag;
    const char *t;
    const uint8_t *body;
    size_t len;
    *got = 0;
    if (!sd_blob_id_valid(id))
        return SD_ENOTFOUND;
    s_blob_key(&k, id);
    int rc = s_get(txn, DB_BLOBS, &k, &v) ?: s_parse(&v, &tag, &t, &body, &len);
    if (rc)
        return rc;
    snprintf(type, SD_BLOB_TYPE_MAX + 1, "%s", *t ? t : S_DEFAULT_TYPE);
    if (tag == 'D') {
        *size = len;
        if (offset > len)
            return SD_ERANGE;
        *got = len - offset < limit ? len - (size_t)offset : limit;
        memcpy(buf, body + offset, *got);
        return 0;
    }
    *size = s_get_be64(body);
    if (offset > *size)
        return SD_ERANGE;
    uint64_t at = 0; /* where the part being read starts in the whole */
    for (size_t i = 0; 8 + i * SD_BLOB_ID_LEN < len && *got < limit; i++) {
        char part[SD_BLOB_ID_MAX + 1];
        memcpy(part, body + 8 + i * SD_BLOB_ID_LEN, SD_BLOB_ID_LEN);
        part[SD_BLOB_ID_LEN] = 0;
        const uint8_t *data;
        size_t plen;
        rc = s_part(txn, part, &data, &plen);
        if (rc)
            return rc == SD_ENOMEM ? rc : SD_ECORRUPT;
        uint64_t want = offset + *got; /* the next byte wanted */
        if (want < at + plen) {
            size_t from = (size_t)(want - at);
            size_t n = plen - from < limit - *got ? plen - from : limit - *got;
            memcpy((uint8_t *)buf + *got, data + from, n);
            *got += n;
        }
        at += plen;
    }
    return 0;
}
