/* fold.c - last-writer-wins registers and the append-only set, over a kind's descriptor. */
#include "fold.h"

#include "hlc.h"
#include "record.h"

#include <string.h>

/* Event stamp (hlc, origin) greater than the register's stamp? */
static bool s_newer(const sd_event_t *ev, const sd_stamp_t *stamp)
{
    if (ev->hlc != stamp->hlc)
        return ev->hlc > stamp->hlc;
    return strcmp(ev->origin, stamp->origin) > 0;
}

/* Fields merged by maximum (SD_F_MAX, U64): the result is the same in any order, so they need
 * no stamp; their register's stamp still moves with the latest event, as bookkeeping. */
static void s_fold_max(const sd_kind_t *k, void *record, const void *fields, uint64_t mask)
{
    for (; mask; mask &= mask - 1) {
        const sd_field_t *f = &k->fields[__builtin_ctzll(mask)];
        uint64_t *dst = (uint64_t *)((char *)record + f->offset);
        const uint64_t *src = (const uint64_t *)((const char *)fields + f->offset);
        if (*src > *dst)
            *dst = *src;
    }
}

/* The registers ev writes whose stamps it beats, and the SD_F_MAX fields. */
static int s_fold_registers(const sd_kind_t *k, void *record, const sd_event_t *ev)
{
    sd_stamp_t *stamps = sd_record_stamps(k, record);
    uint64_t max = sd_kind_flag_mask(k, SD_F_MAX) & ev->mask;
    s_fold_max(k, record, ev->fields, max);
    for (int r = 0; r < k->nregisters; r++) {
        uint64_t reg = sd_kind_register_mask(k, r);
        if (!(ev->mask & reg) || !s_newer(ev, &stamps[r]))
            continue;
        int rc = sd_fields_copy(k->fields, k->nfields, record, ev->fields, reg & ~max);
        if (rc)
            return rc;
        stamps[r].hlc = ev->hlc;
        strcpy(stamps[r].origin, ev->origin);
    }
    return 0;
}

int sd_fold_apply(void *record, const sd_event_t *ev)
{
    const sd_kind_t *k = ev->kind;
    char *id = sd_record_id(k, record);
    if (id[0] == 0)
        strcpy(id, ev->key);
    uint64_t ms = sd_hlc_ms(ev->hlc), *updated = sd_record_updated(k, record);
    if (ms > *updated)
        *updated = ms;
    int rc = 0;
    if (ev->op == k->set_op)
        rc = k->fold_item(record, ev);
    else
        rc = s_fold_registers(k, record, ev);
    if (!rc && k->after_fold)
        k->after_fold(record);
    return rc;
}
