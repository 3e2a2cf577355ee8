/* client.h - a synchronous client of a node's client API (proto/PROTOCOL.md).
 *
 * Used by the sundesk CLI, the benchmarks and the integration tests. One
 * DEALER socket; one request in flight; replies to older, timed-out requests
 * are recognised by their id and dropped. */
#ifndef SD_CLIENT_H
#define SD_CLIENT_H

#include "request.h"

typedef struct sd_client sd_client_t;

/* Connects to endpoint (e.g. "ipc:///srv/sundesk/sundesk.sock"). For an ipc
 * endpoint whose socket file is missing it fails at once with
 * SD_EUNAVAILABLE (no node is running there). timeout_ms bounds each call.
 * Returns 0 and *client, or SD_EUNAVAILABLE, SD_ENOMEM. */
int sd_client_new(const char *endpoint, int timeout_ms, sd_client_t **client);

/* Closes and frees; NULL-safe, nulls *client. */
void sd_client_destroy(sd_client_t **client);

/* Sends req (its id is set by the client) and waits for the reply.
 * Returns 0 with *reply filled (free it with sd_reply_clear) - which may be
 * an error reply (reply->ok false) - or SD_ETIMEOUT (no answer in time),
 * SD_EMSGPACK (reply is not a valid reply), SD_EIO, SD_ENOMEM. */
int sd_client_call(sd_client_t *client, sd_request_t *req, sd_reply_t *reply);

/* Pipelining: sends req (its id set by the client) without waiting for its reply, which a
 * later sd_client_recv returns (the node answers in the order it was sent). Returns 0,
 * SD_ENOMEM, SD_EIO. */
int sd_client_send(sd_client_t *client, sd_request_t *req);

/* The next reply, whatever its id (0 with *reply filled: free it with sd_reply_clear), or
 * SD_ETIMEOUT, SD_EMSGPACK, SD_EIO, SD_ENOMEM. */
int sd_client_recv(sd_client_t *client, sd_reply_t *reply);

/* Sends raw bytes as one request frame and waits for one reply frame, for
 * tests of malformed input. *out is malloc'd (caller frees). */
int sd_client_call_raw(sd_client_t *client, const void *data, size_t len, void **out,
                       size_t *out_len);

#endif
