/* vector.c - applied vectors. */
#include "vector.h"

#include "error.h"
#include "event.h"

#include <string.h>

/* Index of origin, or where it would go (with *found false). */
static size_t s_find(const sd_vector_t *v, const char *origin, bool *found)
{
    size_t i = 0;
    *found = false;
    for (; i < v->count; i++) {
        int c = strcmp(v->entries[i].origin, origin);
        if (c == 0)
            *found = true;
        if (c >= 0)
            break;
    }
    return i;
}

uint64_t sd_vector_get(const sd_vector_t *v, const char *origin)
{
    bool found;
    size_t i = s_find(v, origin, &found);
    return found ? v->entries[i].seq : 0;
}

int sd_vector_set(sd_vector_t *v, const char *origin, uint64_t seq)
{
    if (!sd_site_valid(origin))
        return SD_ERANGE;
    bool found;
    size_t i = s_find(v, origin, &found);
    if (!found) {
        if (v->count == SD_VECTOR_MAX)
            return SD_ETOOBIG;
        memmove(&v->entries[i + 1], &v->entries[i], (v->count - i) * sizeof v->entries[0]);
        v->count++;
        strcpy(v->entries[i].origin, origin);
    }
    v->entries[i].seq = seq;
    return 0;
}

void sd_vector_encode(const sd_vector_t *v, sd_mp_writer_t *w)
{
    sd_mp_map(w, (uint32_t)v->count);
    for (size_t i = 0; i < v->count; i++) {
        sd_mp_str(w, v->entries[i].origin);
        sd_mp_u64(w, v->entries[i].seq);
    }
}

int sd_vector_decode(const sd_mp_node_t *map, sd_vector_t *v, sd_fault_t *fault)
{
    v->count = 0;
    if (sd_mp_kind(map) != SD_MP_MAP)
        return sd_fault_set(fault, SD_ETYPE, "vector: expected a map");
    if (sd_mp_len(map) > SD_VECTOR_MAX)
        return sd_fault_set(fault, SD_ETOOBIG, "vector: more than %d origins", SD_VECTOR_MAX);
    for (size_t i = 0; i < sd_mp_len(map); i++) {
        size_t len;
        const char *name = sd_mp_bytes(sd_mp_key(map, i), &len);
        char origin[SD_SITE_MAX + 1];
        uint64_t seq;
        if (sd_mp_kind(sd_mp_key(map, i)) != SD_MP_STR || len > SD_SITE_MAX ||
            sd_mp_uint(sd_mp_val(map, i), &seq) != 0)
            return sd_fault_set(fault, SD_ETYPE, "vector: expected {site: seq}");
        memcpy(origin, name, len);
        origin[len] = 0;
        bool found;
        s_find(v, origin, &found);
        if (found)
            return sd_fault_set(fault, SD_EDUPLICATE, "vector.%s: given twice", origin);
        if (sd_vector_set(v, origin, seq) != 0)
            return sd_fault_set(fault, SD_ERANGE, "vector: '%s' is not a site id", origin);
    }
    return 0;
}
