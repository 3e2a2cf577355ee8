/* cmd_audit.h - `sundesk audit`: who did what, and what the node refused, in time order.
 *
 * One verb (audit.list): a table in local time of the events (outcome ok) and this node's
 * refusals (forbidden, unauthenticated: with how the caller proved who they were and why),
 * or with --json the node's entries as they are. */
#ifndef SD_CMD_AUDIT_H
#define SD_CMD_AUDIT_H

#include "cli.h"

/* `sundesk audit`: one verb named "". */
extern const sd_cli_verb_t sd_audit_verbs[];

#endif
