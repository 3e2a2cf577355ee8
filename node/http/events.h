/* events.h - live changes: the node's committed events, as Server-Sent Events at /api/v1/events.
 *
 * Two halves on two sides of a ZeroMQ PUB/SUB pair in the process:
 * - the server thread owns an sd_changes_t and publishes every committed event's record (kind,
 *   id, op: the journal's listener, journal.h), its own, the scheduler's and those replicated
 *   from other sites alike;
 * - each stream runs on its HTTP connection's thread, subscribes, and for each change asks the
 *   node for the record as the caller may see it (`ticket.get`, `user.get`, ... with the
 *   caller's token, bridge.h): what the caller may not read is not sent, and a ticket is sent
 *   only when its view changed (an internal note does not reach a requester even as a ping).
 *   A comment line `: keepalive` goes out every SD_EVENTS_KEEPALIVE_MS; a stream whose token
 *   stops working (revoked, expired, user disabled) ends.
 * A slow stream loses changes beyond ZeroMQ's queue of 1000 (documented: clients refetch when
 * they reconnect; there is no replay by Last-Event-ID).
 *
 * Events that are no record (the CTI module's `call` pop-up, cti.h) come over a second PUB, owned
 * by the HTTP layer rather than the server: the server's PUB lives on the server thread, and the
 * HTTP threads that learn of a call must not touch it. sd_streams_t binds this PUB at
 * SD_CALLS_ENDPOINT when it is made and guards it with a mutex (a ZeroMQ socket is used by one
 * thread at a time; the mutex is that rule); every stream's SUB connects to both endpoints. A
 * message on it is three frames: SD_EVENTS_CALL, the login it is for ("" for every agent of
 * this node's site), and the event's JSON. A stream sends it as `event: call` to a caller whose
 * login it names, or, for "", whose agent or manager role holds at this node's site (worked
 * out from auth.whoami when the stream opens).
 *
 * Errors: sd_changes_new returns SD_ENOMEM or SD_EIO (cannot bind). */
#ifndef SD_EVENTS_H
#define SD_EVENTS_H

#include "kind.h"
#include "routes.h"

#define SD_CHANGES_ENDPOINT    "inproc://sundesk-changes"
#define SD_CALLS_ENDPOINT      "inproc://sundesk-calls" /* non-record events (sd_streams_call) */
#define SD_EVENTS_CALL         "@call" /* first frame of a call event (no kind has an @) */
#define SD_EVENTS_MAX_STREAMS  64      /* live streams at once; more get 503 */
#define SD_EVENTS_KEEPALIVE_MS 15000   /* a comment line this often keeps proxies from closing */

typedef struct sd_changes sd_changes_t;

/* The server thread's publisher. Returns 0 and *out, or an error above. */
int sd_changes_new(sd_changes_t **out);
/* Closes it; NULL-safe, nulls *changes. */
void sd_changes_destroy(sd_changes_t **changes);
/* Publishes one committed event (an sd_journal_listener_fn: arg is the sd_changes_t). */
void sd_changes_publish(void *changes, const sd_kind_t *kind, const char *key, int op);

typedef struct sd_streams sd_streams_t;

/* The streams' shared state (how many are open, whether the server is stopping) and the PUB of
 * non-record events, bound at SD_CALLS_ENDPOINT. NULL on out of memory or when it cannot bind. */
sd_streams_t *sd_streams_new(void);
/* Sends the event `call` with data json (a JSON object's text, borrowed) to the open streams of
 * login, or of every agent and manager of this node's site when login is NULL or "". From any
 * thread (a mutex guards the PUB). Never blocks: a stream that does not keep up loses it.
 * Returns 0, or SD_EIO when the PUB refused it. */
int sd_streams_call(sd_streams_t *streams, const char *login, const char *json);

/* Makes every open stream end within a second (before sd_httpd_stop waits for them). */
void sd_streams_stop(sd_streams_t *streams);
/* Frees; the streams must have ended. NULL-safe, nulls *streams. */
void sd_streams_destroy(sd_streams_t **streams);

/* Answers GET /api/v1/events for caller: a stream, or a problem (401 when the token proves
 * nobody, 503 when SD_EVENTS_MAX_STREAMS are open). */
void sd_streams_serve(sd_streams_t *streams, const sd_http_caller_t *caller);

#endif
