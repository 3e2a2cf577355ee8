/* permission.h - the permission table (proto/permissions.def) as data: the scope each role
 * grants for each op. The node's checks (node/auth/authz.h) and the table in
 * proto/PERMISSIONS.md come from the same lines. No I/O, no state. */
#ifndef SD_PERMISSION_H
#define SD_PERMISSION_H

#include "user.h"

/* Widening scopes: a role that grants SITE also covers OWN records of its sites, ANY all. */
typedef enum {
    SD_SCOPE_NONE, /* not allowed */
    SD_SCOPE_OWN,  /* the caller's own records */
    SD_SCOPE_SITE, /* records of the role's sites */
    SD_SCOPE_ANY,  /* every record */
    SD_SCOPE_COUNT_
} sd_scope_t;

/* Columns of a table row: anyone (every active user), then one per role (sd_user_role_t + 1). */
#define SD_PERM_ANYONE  0
#define SD_PERM_COLUMNS (SD_ROLE_COUNT_ + 1)

typedef struct {
    const char *op;                 /* wire name, or a pseudo-op ("ticket.reassign") */
    uint8_t scope[SD_PERM_COLUMNS]; /* sd_scope_t per column */
} sd_perm_row_t;

extern const sd_perm_row_t sd_perm_rows[];
extern const size_t sd_perm_row_count;

extern const char *const sd_scope_names[SD_SCOPE_COUNT_]; /* "-", "own", "site", "any" */

/* The row of op (a wire name), or NULL when the table has none. */
const sd_perm_row_t *sd_perm_row(const char *op);

#endif
