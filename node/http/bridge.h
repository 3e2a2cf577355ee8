/* bridge.h - the HTTP layer's way into the node: one msgpack request over the node's own
 * client socket, one reply.
 *
 * The HTTP threads never touch the store. Each call takes a ZeroMQ DEALER connected to the
 * node's in-process endpoint (SD_BRIDGE_ENDPOINT, bound by api/server.c) from a small pool of
 * idle ones (or makes one), sends one request of the
 * client protocol (proto/PROTOCOL.md) and waits for its reply: the server loop decodes, checks
 * identity and permissions, batches and commits it as it does every client's, so HTTP adds no
 * rule of its own and an "ok" still means durable. The in-process socket carries no Unix
 * credentials: a call proves who asks with its token, or is unauthenticated.
 *
 * Errors of sd_bridge_call: SD_ETIMEOUT (no reply in time), SD_ENOMEM, SD_EIO (no socket),
 * SD_EMSGPACK (an unreadable reply). A reply that is an error is no error of the call. */
#ifndef SD_BRIDGE_H
#define SD_BRIDGE_H

#include "mp.h"
#include "request.h"

#define SD_BRIDGE_ENDPOINT   "inproc://sundesk-http"
#define SD_BRIDGE_TIMEOUT_MS 30000 /* longest wait for the node's reply */

/* One request. Strings are borrowed; NULL leaves a key out. */
typedef struct {
    const char *op;              /* wire name of the op */
    const void *args;            /* msgpack map of its arguments, or NULL for none */
    size_t args_len;             /* its length */
    const char *auth;            /* token proving who asks */
    const char *if_match;        /* the version a write expects the record at */
    const char *idempotency_key; /* a create's key: a repeat returns the first one's record */
} sd_bridge_call_t;

/* Sends call and waits for the reply, decoded into *reply (the caller clears it with
 * sd_reply_clear, also after an error). Returns 0 or an error above. */
int sd_bridge_call(const sd_bridge_call_t *call, sd_reply_t *reply);

/* Closes the idle sockets; called when the HTTP server has stopped (no call in flight). */
void sd_bridge_shutdown(void);

#endif
