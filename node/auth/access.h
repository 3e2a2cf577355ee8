/* access.h - who can reach the node's files and socket on its own machine.
 *
 * The ipc socket is the node's front door for local users: whoever can connect is identified
 * by their Unix uid (authn.h), so the socket is mode 0660, owned by the node's account and,
 * when the config names one (node/operators), by the operators' group; the node creates it
 * under umask 0117 so it is never open to all, not even for a moment. The data directory holds
 * the store and the socket: a directory others (group or world) can write would let them
 * replace either, so the node refuses to start on one, and on one owned by another account. */
#ifndef SD_ACCESS_H
#define SD_ACCESS_H

#include <stddef.h>

/* 0 when dir is owned by the node's account (or root) and writable by no one else; else
 * SD_ECONFIG with one line in err saying what is wrong and the command that fixes it. */
int sd_access_check_dir(const char *dir, char *err, size_t cap);

/* After the bind of an ipc endpoint (ipc://PATH): sets PATH to 0660 and, with group non-empty,
 * to that group, and checks the group can reach it (search permission on its directory).
 * Returns 0 or SD_ECONFIG (err says why); other endpoints: 0. */
int sd_access_socket(const char *endpoint, const char *group, char *err, size_t cap);

#endif
