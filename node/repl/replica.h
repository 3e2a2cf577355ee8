/* replica.h - a node's replication over ZeroMQ with CURVE (DESIGN 2.3, the ZeroMQ Guide's "Clone").
 *
 * Sockets: a PUB that publishes every event this node commits (a hub also
 * relays every event it applies) and a heartbeat with its applied vector; a
 * ROUTER sync service that answers "events of origin X from seq N"; per
 * upstream a SUB to its PUB and a DEALER to its sync service. Every socket
 * uses CURVE; a ZAP handler started before any bind admits only the keys in
 * the certificate directory, and a client socket only talks to the server key
 * of its upstream's certificate. Every decision (apply, ask, relay, refuse,
 * restore gating, counters) is the state machine's (replication/repl.h);
 * this module only moves bytes between it and the sockets, and applies
 * through the journal (repl_store.h). */
#ifndef SD_REPLICA_H
#define SD_REPLICA_H

#include "config.h"
#include "journal.h"
#include "log.h"
#include "repl.h"

#include <czmq.h>

/* Bounds against a peer that floods (an admitted key, stolen or buggy):
 * - The sync service answers at most one reply in flight per requester (CURVE key) and origin:
 *   a request for the same origin while a reply is in flight (sent less than SD_SYNC_FLIGHT_MS
 *   ago, and the request does not ask past it) is dropped before the store is read, and counted.
 *   SD_SYNC_FLIGHT_MS is below the requesters' ask_again_ms (repl.h, 1000 ms), so an honest
 *   requester's re-ask of a lost reply is always answered, and its chained next request (which
 *   asks past the reply) at once.
 * - Each requester connection holds at most SD_SYNC_SNDHWM replies (<= ~4 MiB each, repl.h's
 *   reply_bytes) in libzmq; a reply that does not fit is dropped at once (non-blocking send,
 *   ZMQ_ROUTER_MANDATORY), counted, and that requester is not answered for SD_SYNC_FLIGHT_MS.
 *   It asks again on its own timers, so a drop delays a repair and loses nothing.
 * - A request is a few dozen bytes: a message over SD_MESSAGE_MAX drops the connection, and at
 *   most SD_SYNC_RCVHWM wait per connection.
 * - The publisher holds at most SD_PUB_SNDHWM messages per subscriber (events <= SD_MESSAGE_MAX
 *   bytes); past that a subscriber misses events and repairs the gap with sync requests.
 * - Refusal lines (events refused, sync requests refused or dropped, handshakes refused) are at
 *   most SD_LOG_LIMIT_LINES a minute per peer (per socket for handshakes), then one summary.
 * So a requester that never reads costs the node at most (SD_SYNC_SNDHWM + 2) replies per
 * connection (libzmq's queue, the one being encrypted and written, and its CURVE copy), about
 * 16 MiB: measured, 3,000 never-read requests with one admitted key grew the hub's VmRSS by under
 * 5 MB, where they took it past 1.3 GB before (4.2 GB seen in the field; README.md, Guarantees). */
#define SD_SYNC_FLIGHT_MS  500  /* a sync reply counts as in flight this long */
#define SD_SYNC_SNDHWM     2    /* sync replies libzmq holds per requester connection */
#define SD_SYNC_RCVHWM     64   /* sync requests libzmq holds per requester connection */
#define SD_SYNC_REQUESTERS 32   /* requesters remembered (admitted keys that asked lately) */
#define SD_SYNC_FLIGHTS    16   /* origins in flight per requester */
#define SD_PUB_SNDHWM      1000 /* messages the publisher holds per subscriber */

typedef struct sd_replica sd_replica_t;

/* Loads the certificates, starts the ZAP handler, binds and connects.
 * journal is borrowed (the server's): peers' events are applied through it.
 * Returns 0 and *replica, or SD_ECONFIG / SD_EIO / SD_ENOMEM with one line
 * in err. */
int sd_replica_new(const sd_config_t *cfg, sd_journal_t *journal, sd_replica_t **replica, char *err,
                   size_t cap);

/* Closes everything; NULL-safe, nulls *replica. */
void sd_replica_destroy(sd_replica_t **replica);

/* Most sockets a replica asks its owner to watch: sync, two monitors, and a
 * SUB and a DEALER per upstream. */
#define SD_REPLICA_SOCKETS_MAX (3 + 2 * SD_UPSTREAMS_MAX)

/* Writes into socks (room for cap) the czmq sockets and actors the owner's
 * loop must poll for input and hand to sd_replica_handle; returns how many. */
size_t sd_replica_sockets(sd_replica_t *replica, void **socks, size_t cap);

/* Handles a readable socket if it is one of the replica's (returns true). */
bool sd_replica_handle(sd_replica_t *replica, void *socket);

/* Publishes the events of this node's site with seq in [from, to]. */
void sd_replica_publish_own(sd_replica_t *replica, uint64_t from, uint64_t to);

/* Sends a heartbeat when one is due; returns ms until the next one. */
int sd_replica_tick(sd_replica_t *replica);

/* Ms since the upstream of site was last heard (a heartbeat), counting from
 * when this node started if never; -1 when site is not an upstream. The
 * scheduler's hub takeover asks this (scheduler.h). */
int64_t sd_replica_silent_ms(sd_replica_t *replica, const char *site);

/* The scheduler's callbacks (scheduler.h), arg = the replica: sd_replica_silent_ms, and
 * whether this node has caught up with its upstreams since it started (sd_repl_settled
 * with the schedule's takeover_grace_ms; once true, always true). */
int64_t sd_replica_silent_cb(void *replica, const char *site);
bool sd_replica_settled_cb(void *replica);

/* Restoring from a backup (store_backup.h): from now on every upstream may
 * send this node's own events back, and sd_replica_restored tells when this
 * node holds all of them that its upstreams hold. */
void sd_replica_restore_begin(sd_replica_t *replica);

/* True once an upstream has been heard for two heartbeat periods since
 * sd_replica_restore_begin and no upstream heard holds more of this node's
 * own events than it does; then upstreams are back to their usual rights. */
bool sd_replica_restored(sd_replica_t *replica);

_Static_assert(SD_UPSTREAMS_MAX <= SD_REPL_PEERS_MAX,
               "every upstream is a peer of the state machine");

/* A snapshot of replication for status and metrics: the state machine's, and what only the
 * sockets know. */
typedef struct {
    sd_repl_stats_t repl;          /* vector, restoring, each upstream (in config order) */
    uint64_t refused_connections;  /* CURVE handshakes refused */
    uint64_t sync_dropped;         /* sync requests not answered: a reply to the same in flight,
                                      the requester not reading, or unreadable */
    uint64_t sync_replies_dropped; /* sync replies libzmq could not take (requester not reading) */
    uint64_t log_held;             /* refusal log lines held back (log.h) */
} sd_replica_stats_t;

/* Fills *stats (large: keep it off small stacks). */
void sd_replica_stats(sd_replica_t *replica, sd_replica_stats_t *stats);

/* Writes {"peers":[{site, role, connected, heartbeat_age_ms, vector, lag}], "refused":N,
 * "sync_dropped":N, "sync_replies_dropped":N, "log_lines_held":N, "vector":{...}} for
 * `sundesk repl status`. */
void sd_replica_status(sd_replica_t *replica, sd_mp_writer_t *w);

#endif
