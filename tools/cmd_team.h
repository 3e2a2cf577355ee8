/* cmd_team.h - `sundesk team VERB`: the desk's teams (name, site, tier, manager).
 *
 * The verb table for sundesk.c: team.new, team.get, team.list and team.update, each shown as a
 * card, a table or a one-line summary. */
#ifndef SD_CMD_TEAM_H
#define SD_CMD_TEAM_H

#include "cli.h"

/* `sundesk team VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_team_verbs[];

#endif
