/* kind.h - record kinds: what a kind declares so that the event envelope, the fold, the store
 * and the state digest handle it without knowing it (DESIGN 2.5).
 *
 * A record kind (ticket, and later user, customer, asset, article, ...) is a C struct plus one
 * constant sd_kind_t that describes it: its wire name, its register fields (a field table whose
 * `group` is the register a field belongs to), the event ops it has, an optional append-only set
 * (a ticket's comments), its id scheme and its secondary indexes. Everything generic reads the
 * descriptor: proto/event.c decodes any kind's events, proto/record.c encodes and decodes any
 * kind's records, node/store/fold.c merges events into records, node/store keeps records,
 * history and indexes of every kind in the same tables and the digest covers them all.
 *
 * Adding a kind: its own proto/<kind>.c/.h with the struct and the descriptor, one line in
 * proto/kinds.def; then its ops (proto/ops.def), handlers and CLI in files of its own. See the
 * "Adding a record kind" section of node/README.md.
 *
 * Record layout rules: the struct holds an id (char[SD_ID_MAX + 1]), an updated_at (uint64_t,
 * latest event time in ms) and an array of sd_stamp_t, one per register; the descriptor gives
 * their offsets. Strings in register fields are heap-owned (NULL = not set). */
#ifndef SD_KIND_H
#define SD_KIND_H

#include "index.h"
#include "mp.h"
#include "sizes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_KIND_FIELDS_MAX    64 /* register fields per kind: a field mask is a uint64_t */
#define SD_KIND_REGISTERS_MAX 32 /* registers per kind */
#define SD_KINDS_MAX          32 /* kinds in the registry */

/* Stamp of the event that last wrote a register. hlc 0 = never written. */
typedef struct {
    uint64_t hlc;                 /* hybrid logical clock of the event */
    char origin[SD_SITE_MAX + 1]; /* site that made the event */
} sd_stamp_t;

struct sd_event;

typedef struct sd_kind {
    const char *name;       /* entity name on the wire and in the store: "ticket" */
    const char *id_counter; /* meta counter of this site's ids, e.g. "ticket_no"; NULL: the
                               creating request names the id (a user's login) */
    const char *id_tag;     /* ids are SITE-000001 (NULL) or SITE-TAG-000001 */

    size_t size;           /* sizeof the record struct */
    size_t id_offset;      /* offset of char id[SD_ID_MAX + 1] */
    size_t updated_offset; /* offset of uint64_t updated_at */
    size_t stamps_offset;  /* offset of sd_stamp_t stamps[nregisters] */

    const sd_field_t *fields; /* register fields in wire order; .group = register */
    size_t nfields;           /* <= SD_KIND_FIELDS_MAX */
    int nregisters;           /* <= SD_KIND_REGISTERS_MAX */
    int create_register;      /* written by creation: the record exists once it is stamped */

    const char *const *ops; /* event op names, indexed by the kind's op enum */
    int nops;               /* how many */

    /* The append-only set (a ticket's comments), or none (set_op < 0). An event of set_op carries
     * one item (item_fields decoded into a struct of item_size) instead of registers. */
    int set_op;                                                /* op that appends an item, or -1 */
    const sd_field_t *item_fields;                             /* the item's fields in the event */
    size_t nitem_fields;                                       /* how many */
    size_t item_size;                                          /* sizeof the item struct */
    void (*item_clear)(void *item);                            /* frees what an item owns */
    int (*fold_item)(void *record, const struct sd_event *ev); /* merges an appended item */

    /* The kind's rules an event must keep that hold without state, checked when a peer sends
     * it (replication/trust.h): origin_hub says the event's origin is a hub. Returns 0 or
     * SD_EFORBIDDEN with the reason in fault. NULL: none. */
    int (*check_event)(const struct sd_event *ev, bool origin_hub, sd_fault_t *fault);

    /* Recomputes what a record derives from its whole state (a ticket's first response), after
     * every event is folded in: a value derived from the state, not from the order events came
     * in, keeps the fold convergent. NULL: nothing derived. */
    void (*after_fold)(void *record);

    /* What a record holds beyond its registers (derived values, the set): how many map entries
     * encode_extra writes, the writer, the reader of one such entry (returns 1 when key is not
     * one of them, 0, or SD_ECORRUPT) and the cleaner. All may be NULL for a kind without. */
    uint32_t (*extra_count)(const void *record, bool with_stamps);
    void (*encode_extra)(const void *record, bool with_stamps, sd_mp_writer_t *w);
    int (*decode_extra)(const sd_mp_node_t *key, const sd_mp_node_t *val, void *record);
    void (*clear_extra)(void *record);

    /* Secondary indexes: the entries and counters a created record is in (kept in step with it
     * in the same transaction), and those an event adds once when applied. NULL: none. Return 0
     * or the sink's error. */
    int (*index)(const void *record, sd_index_keys_t *keys);
    int (*index_event)(const struct sd_event *ev, sd_index_keys_t *keys);
} sd_kind_t;

/* The descriptor of every registered kind: sd_kind_ticket, ... (each defined in its kind's file).
 */
#define SD_KIND(name) extern const sd_kind_t sd_kind_##name;
#include "kinds.def"
#undef SD_KIND

/* The registry: every kind of kinds.def, in its order. */
extern const sd_kind_t *const sd_kinds[];
extern const size_t sd_kind_count;

/* The kind named name[0..len), or NULL. */
const sd_kind_t *sd_kind_find(const char *name, size_t len);

/* Op of kind k named name, or -1. */
int sd_kind_op(const sd_kind_t *k, const char *name);

/* Name of op (or "?"). */
const char *sd_kind_op_name(const sd_kind_t *k, int op);

/* Mask of the fields of register reg of k (0 for a bad reg); worked out once per kind. */
uint64_t sd_kind_register_mask(const sd_kind_t *k, int reg);

/* Mask of every register field of k. */
uint64_t sd_kind_all_fields(const sd_kind_t *k);

/* Mask of the fields of k whose flags have `flag` (SD_F_MAX, SD_F_SECRET). */
uint64_t sd_kind_flag_mask(const sd_kind_t *k, unsigned flag);

/* Field of k by wire name, or NULL. */
const sd_field_t *sd_kind_field(const sd_kind_t *k, const char *name);

#endif
