/* cmd_token.h - `sundesk token VERB`: API tokens, for programs that act as a desk user.
 *
 * The verb table for sundesk.c: token.new (prints the secret once: the node keeps only its
 * hash), token.list (a table, never a secret) and token.revoke. */
#ifndef SD_CMD_TOKEN_H
#define SD_CMD_TOKEN_H

#include "cli.h"

/* `sundesk token VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_token_verbs[];

#endif
