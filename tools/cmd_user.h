/* cmd_user.h - `sundesk user VERB`: the desk's users, their roles, Unix links and passwords.
 *
 * The verb table for sundesk.c. Each verb sends one user.* request (proto/PROTOCOL.md) and
 * shows the user record it answers with (a card, a table row, or a one-line summary after a
 * change); `user passwd` asks for the new password as `sundesk login` does. */
#ifndef SD_CMD_USER_H
#define SD_CMD_USER_H

#include "cli.h"

/* `sundesk user VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_user_verbs[];

#endif
