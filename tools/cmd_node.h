/* cmd_node.h - `sundesk node ping|status|digest` and `sundesk repl status`.
 *
 * Verb tables for sundesk.c: each verb sends one read request about the node
 * itself (node.ping, node.status, node.digest, repl.status) and shows its
 * result as plain lines, or as JSON with --json. */
#ifndef SD_CMD_NODE_H
#define SD_CMD_NODE_H

#include "cli.h"

/* `sundesk node VERB`: ping, status, digest. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_node_verbs[];

/* `sundesk repl VERB`: status. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_repl_verbs[];

#endif
