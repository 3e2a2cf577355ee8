/* peer.h - who is at the other end of a client connection, as the transport tells it.
 *
 * On an ipc (Unix domain) socket libzmq reads the peer's credentials with SO_PEERCRED when the
 * connection is accepted and reports them in every message's "Peer-Address" property as
 * "<address>:<uid>:<gid>:<pid>"; the kernel vouches for them, so they are the client's
 * identity (node/auth/authn.h maps the uid to a desk user). On tcp the property is the remote
 * address and proves nothing: such clients must present a token. */
#ifndef SD_PEER_H
#define SD_PEER_H

#include <stdbool.h>
#include <sys/types.h>

typedef struct {
    bool local;       /* true: uid, gid and pid come from the kernel (ipc) */
    uid_t uid;        /* the peer process's effective uid (local only) */
    gid_t gid;        /* its effective gid (local only) */
    pid_t pid;        /* its pid (local only) */
    char address[64]; /* the transport's address text, for the audit trail */
} sd_client_peer_t;

/* Reads a "Peer-Address" value (NULL when libzmq gave none) of a message received on an
 * endpoint of transport ipc (`ipc` true) or tcp. On ipc the value must end in three decimal
 * fields; anything else leaves peer->local false, so the client is not trusted. */
void sd_client_peer_parse(const char *property, bool ipc, sd_client_peer_t *peer);

#endif
