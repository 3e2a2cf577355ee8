/* cmd_keygen.h - `sundesk keygen NAME --site SITE`: a node's replication certificate pair.
 *
 * Works on files only (replication/keys.h), with no node running. */
#ifndef SD_CMD_KEYGEN_H
#define SD_CMD_KEYGEN_H

/* Runs keygen with argv after the command word: writes DIR/NAME.cert and
 * DIR/NAME.cert_secret (0600), or prints `--help`. Returns the exit status:
 * 0, or 1 after one line on stderr (bad arguments, a key that exists, a
 * write that failed). */
int sd_cmd_keygen(int argc, char **argv);

#endif
