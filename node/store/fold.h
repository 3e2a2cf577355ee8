/* fold.h - a record's state as a deterministic fold of its events (DESIGN 2.1), for any kind.
 *
 * Each register is a last-writer-wins register ordered by (hlc, origin), except fields flagged
 * SD_F_MAX (a user's role generations, proto/user.h), merged by maximum; the kind's
 * append-only set (a ticket's comments) is merged by the kind's fold_item (kind.h). The fold is
 * commutative, associative and idempotent, so any two nodes that applied the same set of events
 * hold byte-identical records, whatever the arrival order and however many duplicates they saw.
 * Rules (the workflow) are checked when an event is made, never here: a replica only merges. */
#ifndef SD_FOLD_H
#define SD_FOLD_H

#include "event.h"

/* Merges ev into record, a record of ev->kind (its id is set from ev->key when empty). On
 * SD_ENOMEM the record may hold part of the event; the caller discards it (the store aborts). */
int sd_fold_apply(void *record, const sd_event_t *ev);

#endif
