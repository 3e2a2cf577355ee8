/* cmd_backup.h - `sundesk backup DEST` and `sundesk restore SRC`: a node's store to and from a
 * backup directory (node/store_backup.h). They work on the files in --data DIR directly, on
 * the node's own machine, not through the client socket. */
#ifndef SD_CMD_BACKUP_H
#define SD_CMD_BACKUP_H

#include "cli.h"

/* Runs `backup` (restore = false) or `restore` with argv after the command
 * word. Returns the exit status. */
int sd_cmd_backup(const sd_cli_opts_t *opts, bool restore, int argc, char **argv);

#endif
