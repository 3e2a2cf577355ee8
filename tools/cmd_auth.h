/* cmd_auth.h - who you are to the node: `sundesk whoami`, `sundesk login`, `sundesk logout`.
 *
 * whoami sends auth.whoami and shows the identity the node took from the request (token,
 * session or Unix account). login sends auth.login with a password typed without echo (or one
 * line of stdin) and saves the session token for the endpoint (session.h); later commands to
 * that endpoint carry it. logout ends the saved session at the node (auth.logout) and forgets
 * it, also when the node cannot be reached. */
#ifndef SD_CMD_AUTH_H
#define SD_CMD_AUTH_H

#include "cli.h"

/* `sundesk whoami`: one verb named "". */
extern const sd_cli_verb_t sd_whoami_verbs[];

/* `sundesk login LOGIN [--password-stdin]`: one verb named "". */
extern const sd_cli_verb_t sd_login_verbs[];

/* `sundesk logout`: one verb named "" (auth.logout), run by sd_cmd_logout. */
extern const sd_cli_verb_t sd_logout_verbs[];

/* `sundesk logout`: ends the endpoint's saved session at the node, then removes it. argv: the words
 * after "logout". Returns the exit status. */
int sd_cmd_logout(const sd_cli_opts_t *opts, int argc, char **argv);

#endif
