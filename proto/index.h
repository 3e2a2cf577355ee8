/* index.h - index entries and counters a record kind declares, as bytes the store keeps.
 *
 * A kind's index hook (kind.h) describes the secondary index entries a record is in and the
 * counters it adds to, by appending them to an sd_index_keys_t: an entry is an index name
 * followed by key parts (strings NUL-terminated, numbers big-endian, so byte order is the order
 * wanted); a counter is a name. The store compares the entries of a record before and after an
 * event and deletes, puts, decrements and increments only what changed, in the same write
 * transaction as the event. No I/O here. */
#ifndef SD_INDEX_H
#define SD_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_INDEX_KEY_MAX 440  /* one entry's bytes: index name and parts (LMDB keys <= 511) */
#define SD_INDEX_BYTES   2048 /* all entries of one record */

typedef enum {
    SD_INDEX_ENTRY = 'I',  /* an index key (value empty) */
    SD_INDEX_COUNTER = 'C' /* a counter the record adds one to */
} sd_index_type_t;

/* Entries being built. Zero it (or sd_index_reset) before use. */
typedef struct {
    uint8_t buf[SD_INDEX_BYTES]; /* entries: type byte, u16 length, bytes */
    size_t used;                 /* bytes of buf in use */
    size_t open;                 /* offset of the entry being built (its length field) */
    int error;                   /* 0, or SD_ETOOBIG once something did not fit (sticky) */
} sd_index_keys_t;

/* Forgets every entry. */
void sd_index_reset(sd_index_keys_t *k);

/* Starts an index entry of index `name` (e.g. "queue"); parts follow. */
void sd_index_begin(sd_index_keys_t *k, const char *name);
/* Appends a key part to the entry begun last. */
void sd_index_u8(sd_index_keys_t *k, uint8_t v);
void sd_index_u64(sd_index_keys_t *k, uint64_t v);
void sd_index_str(sd_index_keys_t *k, const char *s); /* NULL is "" */

/* Adds a counter entry: the record counts one in counter `name` (e.g. "status.new"). */
void sd_index_count(sd_index_keys_t *k, const char *name);

/* Iterates: *pos starts at 0; returns false at the end, else the entry's type, bytes (borrowed
 * from k) and length. */
bool sd_index_next(const sd_index_keys_t *k, size_t *pos, int *type, const uint8_t **bytes,
                   size_t *len);

/* True when k holds an entry of this type with exactly these bytes. */
bool sd_index_has(const sd_index_keys_t *k, int type, const uint8_t *bytes, size_t len);

/* Big-endian helpers for key parts. */
void sd_index_put_be64(uint8_t *p, uint64_t v);
uint64_t sd_index_get_be64(const uint8_t *p);

#endif
