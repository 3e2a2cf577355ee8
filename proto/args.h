/* args.h - the argument groups of client operations: per group a struct, an enum and a field table.
 *
 * An operation (proto/ops.def) takes its arguments from one group: the
 * ticket ops from the ticket group, schedule.coverage from the schedule
 * group, handover.report from the report group, the node ops from none. A
 * group's enum indexes its field table and the bits of sd_request_t.present,
 * so a group holds at most 64 arguments (asserted at compile time) and the
 * next record kind adds a group of its own instead of growing a shared one:
 * its header (enum, struct, field table, like ticket_args.h), one line in
 * args.def and one #include below.
 * Tables are written with designated initializers ([SD_ARG_TICKET_ID] = ...),
 * so an entry cannot slip to another argument's place. */
#ifndef SD_ARGS_H
#define SD_ARGS_H

#include "mp.h"

/* Each group's own header (one line per group): its enum, struct and field table. */
#include "customer_args.h"
#include "contact_args.h"
#include "asset_args.h"
#include "desk_args.h"
#include "people_args.h"
#include "ticket_args.h"
#include "oncall_args.h"
#include "search_args.h"
#include "article_args.h"
#include "bulletin_args.h"
#include "message_args.h"
#include "alert_args.h"
#include "outbox_args.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The groups: SD_ARGS_NONE, then one per line of args.def. */
typedef enum {
    SD_ARGS_NONE, /* takes no arguments */
#define SD_ARGS_GROUP(GROUP, name) SD_ARGS_##GROUP,
#include "args.def"
#undef SD_ARGS_GROUP
    SD_ARGS_COUNT_
} sd_args_group_t;

enum { SD_ARG_NONE_COUNT_ = 0 }; /* the group without arguments */

/* Bit of argument `name` of group `group` in a mask: SD_ARG(TICKET, TITLE). */
#define SD_ARG(group, name) (1ull << SD_ARG_##group##_##name)

/* Every argument bit of a group: SD_ARGS_MASK(TICKET). */
#define SD_ARGS_MASK(group) ((1ull << SD_ARG_##group##_COUNT_) - 1)

/* ---- all groups --------------------------------------------------------- */

/* The arguments of one request: the member of its op's group. */
typedef union {
#define SD_ARGS_GROUP(GROUP, name) sd_##name##_args_t name; /* SD_ARGS_GROUP */
#include "args.def"
#undef SD_ARGS_GROUP
} sd_args_t;

/* A group: its name and its field table (offsets relative to sd_args_t). */
typedef struct {
    const char *name;         /* "ticket" */
    const sd_field_t *fields; /* indexed by the group's enum; NULL for SD_ARGS_NONE */
    size_t count;             /* entries of fields */
} sd_args_group_spec_t;

/* The group `group` (sd_args_group_t), or NULL when out of range. */
const sd_args_group_spec_t *sd_args_group(int group);

#endif
