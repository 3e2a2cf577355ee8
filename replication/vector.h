/* vector.h - an applied vector: for each origin site, the highest event seq a node holds.
 *
 * Events of one origin are applied in seq order with no gaps, so one number per
 * origin says exactly which events a node has. Nodes compare vectors (in
 * heartbeats) to find what to fetch from each other. Entries are kept sorted
 * by origin, so equal vectors encode to equal bytes. */
#ifndef SD_VECTOR_H
#define SD_VECTOR_H

#include "mp.h"
#include "sizes.h"

#include <stddef.h>
#include <stdint.h>

#define SD_VECTOR_MAX 64 /* most sites a desk can have */

typedef struct {
    char origin[SD_SITE_MAX + 1]; /* site id */
    uint64_t seq;                 /* highest seq applied */
} sd_vector_entry_t;

typedef struct {
    sd_vector_entry_t entries[SD_VECTOR_MAX]; /* sorted by origin */
    size_t count;                             /* used entries */
} sd_vector_t;

/* The seq applied for origin, 0 when none. */
uint64_t sd_vector_get(const sd_vector_t *v, const char *origin);

/* Sets origin's seq (adding the origin if new). Returns 0, SD_ERANGE for an
 * invalid site id, SD_ETOOBIG when SD_VECTOR_MAX origins are there already. */
int sd_vector_set(sd_vector_t *v, const char *origin, uint64_t seq);

/* Writes the vector as a msgpack map {origin: seq}. */
void sd_vector_encode(const sd_vector_t *v, sd_mp_writer_t *w);

/* Reads a vector from a msgpack map; v is overwritten. Errors: SD_ETYPE,
 * SD_ERANGE (bad site id), SD_ETOOBIG, SD_EDUPLICATE, with fault set. */
int sd_vector_decode(const sd_mp_node_t *map, sd_vector_t *v, sd_fault_t *fault);

#endif
