/* customer_store.h - reads over the customer kind's index entries (proto/customer.h) beyond
 * sd_store_index_find's exact match: a prefix of the first key part (customer.find by name). */
#ifndef SD_CUSTOMER_STORE_H
#define SD_CUSTOMER_STORE_H

#include "store.h"

/* Calls fn with the whole rest of each entry of index `index` of kind k whose first key part
 * starts with `prefix` (the rest of that part with its NUL, then the record id and its NUL), in
 * key order. Non-zero from fn stops and is returned; else 0 or SD_ESTORE. */
int sd_store_index_prefix(sd_store_txn_t *txn, const sd_kind_t *k, const char *index,
                          const char *prefix, int (*fn)(const char *rest, size_t len, void *arg),
                          void *arg);

#endif
