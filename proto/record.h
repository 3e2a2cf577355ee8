/* record.h - any kind's record (kind.h): allocation, clearing, existence and msgpack form.
 *
 * A record's msgpack form is a map: "id", the fields of every register some event wrote, in
 * table order, "updated_at", the kind's extras (kind.h), and with stamps (the stored form) a
 * "stamps" array [hlc, origin, ...] of one pair per register. Equal records give equal bytes,
 * which is what makes the state digest prove convergence. */
#ifndef SD_RECORD_H
#define SD_RECORD_H

#include "kind.h"

/* A zeroed record of kind k (the caller owns it: sd_record_destroy), or NULL (out of memory). */
void *sd_record_new(const sd_kind_t *k);

/* Frees everything record owns and zeroes it; NULL-safe. */
void sd_record_clear(const sd_kind_t *k, void *record);

/* Clears and frees *record, then sets it to NULL; NULL-safe. */
void sd_record_destroy(const sd_kind_t *k, void **record);

/* The record's id (borrowed: lives as long as the record); "" before any event. */
char *sd_record_id(const sd_kind_t *k, void *record);
const char *sd_record_cid(const sd_kind_t *k, const void *record);

/* The record's per-register stamps (nregisters of them), and its latest event time. */
sd_stamp_t *sd_record_stamps(const sd_kind_t *k, void *record);
const sd_stamp_t *sd_record_cstamps(const sd_kind_t *k, const void *record);
uint64_t *sd_record_updated(const sd_kind_t *k, void *record);

/* True once the record's creation was applied (its create register is stamped). Events that
 * reach a replica before the create make a partial record, which readers treat as absent. */
bool sd_record_exists(const sd_kind_t *k, const void *record);

/* Writes the record (with_stamps: the stored form; without: the client view). */
void sd_record_encode(const sd_kind_t *k, const void *record, bool with_stamps, sd_mp_writer_t *w);

/* Reads a record written by sd_record_encode(..., true) into record (zeroed or cleared).
 * Returns 0 or SD_ECORRUPT (fault says which record); on error the record may hold part of it:
 * clear it. */
int sd_record_decode(const sd_kind_t *k, const sd_mp_node_t *map, void *record, sd_fault_t *fault);

/* The identity every item of a kind's append-only set starts with (a ticket's comment, an
 * article's version): items are ordered by (hlc, origin, seq), and (origin, seq) names one. */
typedef struct {
    uint64_t hlc;                 /* the event's clock */
    uint64_t seq;                 /* the event's seq */
    char origin[SD_SITE_MAX + 1]; /* the event's site */
} sd_set_stamp_t;

/* Inserts *item (item_size bytes, starting with an sd_set_stamp_t) into the array *items of
 * *count items (*cap allocated) in (hlc, origin, seq) order, by copy. Returns 0 (inserted: the
 * array owns what the item owned), 1 (an item of the same (origin, seq) is there: nothing
 * inserted, the caller still owns what the item owns), SD_ENOMEM. */
int sd_set_insert(void **items, size_t *count, size_t *cap, size_t item_size, const void *item);

#endif
