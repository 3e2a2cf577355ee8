/* session.h - the login sessions `sundesk login` keeps for later commands, one per node.
 *
 * The file is $XDG_CONFIG_HOME/sundesk/sessions (default ~/.config/sundesk/sessions), one
 * "ENDPOINT TOKEN" line per node endpoint: the token is the last word, so an endpoint may hold
 * blanks. Whoever reads the file can act as the user until the session expires, so it is
 * written with mode 0600 in a directory of mode 0700, whole (a new file renamed over the old),
 * and nothing here prints a token. */
#ifndef SD_SESSION_H
#define SD_SESSION_H

#include <stddef.h>

/* The file's path into out (cap bytes). Returns 0, or SD_ECONFIG when neither
 * $XDG_CONFIG_HOME nor a home directory ($HOME, else the account's) is known, or the path does
 * not fit. */
int sd_session_path(char *out, size_t cap);

/* The token saved for endpoint into token (cap bytes). Returns 0, SD_ENOTFOUND (no file, or no
 * line for endpoint), SD_ECONFIG (no path, see sd_session_path), SD_EIO (the file cannot be
 * read: errno says why), SD_ETOOLONG (the saved token does not fit in cap). */
int sd_session_find(const char *endpoint, char *token, size_t cap);

/* Saves token as endpoint's session, replacing an older line for endpoint, creating the
 * directories (0700) and the file (0600). Returns 0, SD_ECONFIG, SD_EIO (errno says why),
 * SD_ENOMEM. */
int sd_session_save(const char *endpoint, const char *token);

/* Removes endpoint's line. Returns 0, SD_ENOTFOUND (there was none), SD_ECONFIG, SD_EIO,
 * SD_ENOMEM. */
int sd_session_forget(const char *endpoint);

#endif
