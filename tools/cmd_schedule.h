/* cmd_schedule.h - follow-the-sun CLI commands: `schedule now|coverage`, `handover report`.
 *
 * Verb tables for sundesk.c: each verb sends one read request
 * (proto/PROTOCOL.md: schedule.now, schedule.coverage, handover.report) and
 * shows its result as a table, or as JSON with --json. */
#ifndef SD_CMD_SCHEDULE_H
#define SD_CMD_SCHEDULE_H

#include "cli.h"

/* `sundesk schedule VERB`: now, coverage. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_schedule_verbs[];

/* `sundesk handover VERB`: report. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_handover_verbs[];

#endif
