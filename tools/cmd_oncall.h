/* cmd_oncall.h - `sundesk oncall VERB`: who is on call when no site is on duty (the rosters of
 * schedule/oncall), the overrides managers make, and a roster's shifts as iCalendar.
 *
 * The verb table for sundesk.c: oncall.now, oncall.list, oncall.get, oncall.override,
 * oncall.cancel and oncall.ics. */
#ifndef SD_CMD_ONCALL_H
#define SD_CMD_ONCALL_H

#include "cli.h"

/* `sundesk oncall VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_oncall_verbs[];

#endif
