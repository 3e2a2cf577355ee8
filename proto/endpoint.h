/* endpoint.h - where a node on a data directory takes client requests: ipc://DIR/sundesk.sock.
 *
 * The node binds this endpoint and the sundesk CLI connects to it given only
 * --data DIR, so both derive it here, from the same rule. */
#ifndef SD_ENDPOINT_H
#define SD_ENDPOINT_H

#include <stddef.h>

#define SD_ENDPOINT_MAX 256            /* bytes of a ZeroMQ endpoint, with its NUL */
#define SD_SOCKET_NAME  "sundesk.sock" /* the client socket inside a data directory */
#define SD_IPC_PATH_MAX 107            /* longest Unix socket path (sun_path) */

/* Writes "ipc://ABS/sundesk.sock" into out (cap bytes), ABS being datadir made
 * absolute when it exists (realpath: the only file-system access here; a
 * missing directory is used as given). Returns 0, or SD_ECONFIG when the
 * endpoint does not fit in cap or its path exceeds SD_IPC_PATH_MAX (out is
 * then unspecified). */
int sd_endpoint_for_data(const char *datadir, char *out, size_t cap);

#endif
