/* cmd_backup.h - `sundesk backup DEST` and `sundesk restore SRC`: a node's store to and from a
 * backup directory. They work on the files in --data DIR, on the node's own machine, not
 * through the client socket; the CLI does not link the store (LMDB), so it checks its
 * arguments and hands the work to `sundeskd --data DIR --backup DEST | --restore SRC`
 * (node/store/store_backup.h), which prints the outcome. */
#ifndef SD_CMD_BACKUP_H
#define SD_CMD_BACKUP_H

#include "cli.h"

/* Runs `backup` (restore = false) or `restore` with argv after the command
 * word. Prints --help (0) or the usage (2) itself; otherwise replaces this
 * process with sundeskd, whose exit status is the command's (0, or 1 after one
 * line on stderr). Returns only for help, usage, --node (1), or when no
 * sundeskd can be run (1 after one line saying so). */
int sd_cmd_backup(const sd_cli_opts_t *opts, bool restore, int argc, char **argv);

#endif
