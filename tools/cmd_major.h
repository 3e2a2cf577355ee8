/* cmd_major.h - `sundesk major VERB`: the major-incident contact list (seed 001), the rules that
 * say whom to notify when a ticket is declared a major incident (`sundesk ticket
 * declare-major`).
 *
 * The verb table for sundesk.c: major.new, major.get, major.list and major.update. */
#ifndef SD_CMD_MAJOR_H
#define SD_CMD_MAJOR_H

#include "cli.h"

/* `sundesk major VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_major_verbs[];

#endif
