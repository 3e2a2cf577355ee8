/* oncall_kind.h - the on-call override kind: a person covers a span of an on-call roster for
 * whoever the rotation names (node/desk/oncall.h).
 *
 * Rosters are config (schedule/oncall, identical at every node); overrides are operational
 * changes made by managers, so they are records and replicate like tickets: every node sees
 * the same overrides and computes the same person on call. An override's id is
 * SITE-O-000001 (oncall.override makes it); its span is [from_at, until_at) in Unix ms. It
 * is never deleted: oncall.cancel sets cancelled. Every field is a last-writer-wins
 * register. */
#ifndef SD_ONCALL_KIND_H
#define SD_ONCALL_KIND_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { SD_OOP_CREATE, SD_OOP_CANCEL, SD_OOP_COUNT_ } sd_oncall_op_t;

typedef enum {
    SD_OREG_CREATED, /* created_at, origin_site */
    SD_OREG_SPAN,    /* roster, login, from_at, until_at, reason: written together */
    SD_OREG_CANCEL,  /* cancelled, cancel_reason */
    SD_OREG_COUNT_
} sd_oncall_register_t;

typedef struct {
    char id[SD_ID_MAX + 1]; /* SITE-O-000001 */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* Unix ms */
    char *origin_site;      /* site that created it */
    char *roster;           /* the roster's name (schedule/oncall name) */
    char *login;            /* who is on call instead */
    uint64_t from_at;       /* first instant covered, Unix ms */
    uint64_t until_at;      /* first instant no longer covered */
    char *reason;           /* why (a swap, sick leave, ...) */
    bool cancelled;         /* oncall.cancel: no longer in force */
    char *cancel_reason;    /* why it was cancelled */
    sd_stamp_t stamps[SD_OREG_COUNT_];
} sd_oncall_t;

extern const sd_kind_t sd_kind_oncall;

/* The override an event carries (ev->kind must be the oncall kind). */
static inline sd_oncall_t *sd_event_oncall(const sd_event_t *ev)
{
    return (sd_oncall_t *)ev->fields;
}

#endif
