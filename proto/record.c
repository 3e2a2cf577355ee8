/* record.c - generic record handling over a kind's descriptor (record.h). */
#include "record.h"

#include "error.h"

#include <stdlib.h>
#include <string.h>

#define AT(rec, off, type) ((type *)((char *)(rec) + (off)))

void *sd_record_new(const sd_kind_t *k)
{
    return calloc(1, k->size);
}

void sd_record_clear(const sd_kind_t *k, void *record)
{
    if (!record)
        return;
    sd_fields_free(k->fields, k->nfields, record, sd_kind_all_fields(k));
    if (k->clear_extra)
        k->clear_extra(record);
    memset(record, 0, k->size);
}

void sd_record_destroy(const sd_kind_t *k, void **record)
{
    if (!record || !*record)
        return;
    sd_record_clear(k, *record);
    free(*record);
    *record = NULL;
}

char *sd_record_id(const sd_kind_t *k, void *record)
{
    return AT(record, k->id_offset, char);
}

const char *sd_record_cid(const sd_kind_t *k, const void *record)
{
    return AT(record, k->id_offset, const char);
}

sd_stamp_t *sd_record_stamps(const sd_kind_t *k, void *record)
{
    return AT(record, k->stamps_offset, sd_stamp_t);
}

const sd_stamp_t *sd_record_cstamps(const sd_kind_t *k, const void *record)
{
    return AT(record, k->stamps_offset, const sd_stamp_t);
}

uint64_t *sd_record_updated(const sd_kind_t *k, void *record)
{
    return AT(record, k->updated_offset, uint64_t);
}

bool sd_record_exists(const sd_kind_t *k, const void *record)
{
    return sd_record_cstamps(k, record)[k->create_register].hlc != 0;
}

void sd_record_encode(const sd_kind_t *k, const void *record, bool with_stamps, sd_mp_writer_t *w)
{
    /* Only registers some event wrote: before its create arrives a replica may hold a record
     * with a few registers, whose zero defaults are no valid values. */
    const sd_stamp_t *stamps = sd_record_cstamps(k, record);
    uint64_t mask = 0;
    uint32_t fields = 0;
    for (int r = 0; r < k->nregisters; r++)
        if (stamps[r].hlc != 0)
            mask |= sd_kind_register_mask(k, r);
    if (!with_stamps)
        mask &= ~sd_kind_flag_mask(k, SD_F_SECRET);
    for (uint64_t m = mask; m; m &= m - 1)
        fields++;
    uint32_t extras = k->extra_count ? k->extra_count(record, with_stamps) : 0;
    sd_mp_map(w, fields + 2 + extras + (with_stamps ? 1 : 0));
    sd_mp_str(w, "id");
    sd_mp_str(w, sd_record_cid(k, record));
    sd_fields_encode(k->fields, k->nfields, record, mask, w);
    sd_mp_str(w, "updated_at");
    sd_mp_u64(w, *AT(record, k->updated_offset, const uint64_t));
    if (k->encode_extra)
        k->encode_extra(record, with_stamps, w);
    if (with_stamps) {
        sd_mp_str(w, "stamps");
        sd_mp_array(w, (uint32_t)k->nregisters * 2);
        for (int r = 0; r < k->nregisters; r++) {
            sd_mp_u64(w, stamps[r].hlc);
            sd_mp_str(w, stamps[r].origin);
        }
    }
}

/* A record stored before its kind gained registers (new ones go at the end of the kind's enum)
 * has fewer stamps: the registers it lacks were never written, and stay zero. */
static int s_decode_stamps(const sd_kind_t *k, const sd_mp_node_t *v, void *record)
{
    sd_stamp_t *stamps = sd_record_stamps(k, record);
    /* Fewer stamps than registers: a record stored before its kind gained a register (appended
     * last); those were never written. */
    size_t n = sd_mp_kind(v) == SD_MP_ARRAY ? sd_mp_len(v) : 0;
    if (sd_mp_kind(v) != SD_MP_ARRAY || n % 2 || n > (size_t)k->nregisters * 2)
        return SD_ECORRUPT;
    for (int r = 0; r < (int)(n / 2); r++) {
        const sd_mp_node_t *origin = sd_mp_at(v, (size_t)r * 2 + 1);
        int rc = sd_mp_uint(sd_mp_at(v, (size_t)r * 2), &stamps[r].hlc);
        if (!rc && sd_mp_kind(origin) == SD_MP_STR)
            rc = sd_mp_copy_str(origin, stamps[r].origin, sizeof stamps[r].origin);
        if (rc)
            return SD_ECORRUPT;
    }
    return 0;
}

/* One entry of a stored record: a register field, or one of the kind's extras. *hint is where
 * the next field is looked for first (records are written in table order). */
static int s_decode_entry(const sd_kind_t *k, const sd_mp_node_t *key, const sd_mp_node_t *v,
                          void *record, size_t *hint)
{
    size_t len;
    const char *name = sd_mp_bytes(key, &len);
    if (!name || sd_mp_kind(key) != SD_MP_STR)
        return SD_ECORRUPT;
    int i = sd_fields_find_next(k->fields, k->nfields, name, len, *hint);
    if (i >= 0) {
        *hint = (size_t)i + 1;
        return sd_field_decode(&k->fields[i], v, k->name, record, NULL) ? SD_ECORRUPT : 0;
    }
    int rc = k->decode_extra ? k->decode_extra(key, v, record) : 1;
    return rc == 0 ? 0 : SD_ECORRUPT;
}

int sd_record_decode(const sd_kind_t *k, const sd_mp_node_t *map, void *record, sd_fault_t *fault)
{
    if (sd_mp_kind(map) != SD_MP_MAP)
        return sd_fault_set(fault, SD_ECORRUPT, "%s: not a map", k->name);
    size_t hint = 0;
    for (size_t i = 0; i < sd_mp_len(map); i++) {
        const sd_mp_node_t *key = sd_mp_key(map, i), *v = sd_mp_val(map, i);
        int rc;
        if (sd_mp_str_eq(key, "id"))
            rc = sd_mp_copy_str(v, sd_record_id(k, record), SD_ID_MAX + 1);
        else if (sd_mp_str_eq(key, "updated_at"))
            rc = sd_mp_uint(v, sd_record_updated(k, record));
        else if (sd_mp_str_eq(key, "stamps"))
            rc = s_decode_stamps(k, v, record);
        else
            rc = s_decode_entry(k, key, v, record, &hint);
        if (rc)
            return sd_fault_set(fault, SD_ECORRUPT, "%s %s: stored record is corrupt", k->name,
                                sd_record_cid(k, record));
    }
    return 0;
}

static int s_stamp_cmp(const sd_set_stamp_t *a, const sd_set_stamp_t *b)
{
    if (a->hlc != b->hlc)
        return a->hlc < b->hlc ? -1 : 1;
    int c = strcmp(a->origin, b->origin);
    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int sd_set_insert(void **items, size_t *count, size_t *cap, size_t item_size, const void *item)
{
    const sd_set_stamp_t *new = item;
    size_t at = *count;
    for (size_t i = 0; i < *count; i++) {
        const sd_set_stamp_t *x = (const void *)((const char *)*items + i * item_size);
        if (x->seq == new->seq && strcmp(x->origin, new->origin) == 0)
            return 1;
        if (at == *count && s_stamp_cmp(new, x) < 0)
            at = i;
    }
    if (*count == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 4;
        void *grown = realloc(*items, grown_cap * item_size);
        if (!grown)
            return SD_ENOMEM;
        *items = grown;
        *cap = grown_cap;
    }
    char *base = *items;
    memmove(base + (at + 1) * item_size, base + at * item_size, (*count - at) * item_size);
    memcpy(base + at * item_size, item, item_size);
    (*count)++;
    return 0;
}
