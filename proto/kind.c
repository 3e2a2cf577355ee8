/* kind.c - the registry of record kinds and what is worked out once per kind. */
#include "kind.h"

#include <pthread.h>
#include <string.h>

const sd_kind_t *const sd_kinds[] = {
#define SD_KIND(name) &sd_kind_##name,
#include "kinds.def"
#undef SD_KIND
};
const size_t sd_kind_count = sizeof sd_kinds / sizeof sd_kinds[0];
_Static_assert(sizeof sd_kinds / sizeof sd_kinds[0] <= SD_KINDS_MAX, "too many kinds");

/* Register masks per kind, computed once: encoding a record asks for them per register. */
static uint64_t s_masks[SD_KINDS_MAX][SD_KIND_REGISTERS_MAX];
static uint64_t s_all[SD_KINDS_MAX];
static uint64_t s_max[SD_KINDS_MAX], s_secret[SD_KINDS_MAX]; /* fields flagged SD_F_MAX, _SECRET */
static pthread_once_t s_once = PTHREAD_ONCE_INIT;

static void s_init(void)
{
    for (size_t k = 0; k < sd_kind_count; k++) {
        const sd_kind_t *kind = sd_kinds[k];
        for (size_t i = 0; i < kind->nfields && i < SD_KIND_FIELDS_MAX; i++) {
            if (kind->fields[i].group < SD_KIND_REGISTERS_MAX)
                s_masks[k][kind->fields[i].group] |= 1ull << i;
            s_all[k] |= 1ull << i;
            if (kind->fields[i].flags & SD_F_MAX)
                s_max[k] |= 1ull << i;
            if (kind->fields[i].flags & SD_F_SECRET)
                s_secret[k] |= 1ull << i;
        }
    }
}

/* Position of k in the registry (a short scan: there are few kinds), or -1 for a kind that is
 * not registered (a test's own kind), whose masks are worked out on each call. */
static int s_slot(const sd_kind_t *k)
{
    for (size_t i = 0; i < sd_kind_count; i++)
        if (sd_kinds[i] == k)
            return (int)i;
    return -1;
}

static uint64_t s_scan(const sd_kind_t *k, int reg)
{
    uint64_t m = 0;
    for (size_t i = 0; i < k->nfields && i < SD_KIND_FIELDS_MAX; i++)
        if (reg < 0 || k->fields[i].group == reg)
            m |= 1ull << i;
    return m;
}

const sd_kind_t *sd_kind_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sd_kind_count; i++)
        if (strlen(sd_kinds[i]->name) == len && memcmp(sd_kinds[i]->name, name, len) == 0)
            return sd_kinds[i];
    return NULL;
}

int sd_kind_op(const sd_kind_t *k, const char *name)
{
    for (int i = 0; i < k->nops; i++)
        if (strcmp(k->ops[i], name) == 0)
            return i;
    return -1;
}

const char *sd_kind_op_name(const sd_kind_t *k, int op)
{
    return k && op >= 0 && op < k->nops ? k->ops[op] : "?";
}

uint64_t sd_kind_register_mask(const sd_kind_t *k, int reg)
{
    pthread_once(&s_once, s_init);
    if (reg < 0 || reg >= k->nregisters)
        return 0;
    int slot = s_slot(k);
    return slot >= 0 ? s_masks[slot][reg] : s_scan(k, reg);
}

uint64_t sd_kind_all_fields(const sd_kind_t *k)
{
    pthread_once(&s_once, s_init);
    int slot = s_slot(k);
    return slot >= 0 ? s_all[slot] : s_scan(k, -1);
}

const sd_field_t *sd_kind_field(const sd_kind_t *k, const char *name)
{
    int i = sd_fields_find(k->fields, k->nfields, name);
    return i < 0 ? NULL : &k->fields[i];
}

uint64_t sd_kind_flag_mask(const sd_kind_t *k, unsigned flag)
{
    /* Asked on every event folded and record encoded: the registry's are worked out once. */
    pthread_once(&s_once, s_init);
    int slot = s_slot(k);
    if (slot >= 0 && flag == SD_F_MAX)
        return s_max[slot];
    if (slot >= 0 && flag == SD_F_SECRET)
        return s_secret[slot];
    uint64_t m = 0;
    for (size_t i = 0; i < k->nfields && i < SD_KIND_FIELDS_MAX; i++)
        if (k->fields[i].flags & flag)
            m |= 1ull << i;
    return m;
}
