/* customer_store.c - prefix reads over index entries (customer_store.h). */
#include "customer_store.h"

#include "store_impl.h"

typedef struct {
    size_t skip; /* bytes of the key before the prefix */
    int (*fn)(const char *rest, size_t len, void *arg);
    void *arg;
} s_prefix_t;

static int s_entry(const MDB_val *k, const MDB_val *v, void *arg)
{
    (void)v;
    s_prefix_t *p = arg;
    return p->fn((const char *)k->mv_data + p->skip, k->mv_size - p->skip, p->arg);
}

int sd_store_index_prefix(sd_store_txn_t *txn, const sd_kind_t *k, const char *index,
                          const char *prefix, int (*fn)(const char *rest, size_t len, void *arg),
                          void *arg)
{
    s_key_t from = {.n = 0};
    s_key_str(&from, k->name);
    s_key_str(&from, index);
    s_prefix_t p = {.skip = from.n, .fn = fn, .arg = arg};
    s_key_str(&from, prefix);
    from.n--; /* the prefix without its NUL: any part that starts with it */
    return sd_store_range(txn, DB_INDEXES, &from, from.n, s_entry, &p);
}
