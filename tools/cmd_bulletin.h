/* cmd_bulletin.h - `sundesk bulletin VERB`: the desk's bulletins (notices of faults, maintenance
 * and new services).
 *
 * The verb table for sundesk.c: bulletin.new (prints the new id), .update, .get (show), .list
 * (--current: the ones shown now), .withdraw. */
#ifndef SD_CMD_BULLETIN_H
#define SD_CMD_BULLETIN_H

#include "cli.h"

/* `sundesk bulletin VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_bulletin_verbs[];

#endif
