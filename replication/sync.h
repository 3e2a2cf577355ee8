/* sync.h - what a replica does with what it hears from a peer (DESIGN 2.3); no I/O here.
 *
 * The transport (a later module) carries four kinds of message between
 * nodes: committed events, heartbeats carrying the sender's applied vector,
 * sync requests ("events of origin X from seq N") and the events sent back.
 * This module decides, for each one, what the node does: apply an event,
 * skip a duplicate, refuse what the peer may not send, or ask for the events
 * it misses. Lost, duplicated and reordered messages are therefore always
 * repaired, as long as heartbeats keep flowing. */
#ifndef SD_SYNC_H
#define SD_SYNC_H

#include "event.h"
#include "mp.h"
#include "vector.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum { SD_ROLE_SITE, SD_ROLE_HUB } sd_role_t;

/* A directly connected node, as known from its certificate. */
typedef struct {
    char site[SD_SITE_MAX + 1]; /* its site id */
    int role;                   /* sd_role_t: a hub relays every origin */
    char also[SD_SITE_MAX + 1]; /* one more origin it may send, or "": the receiving node's
                                   own, while that node restores from a backup */
} sd_peer_t;

/* True when peer may send events of origin to node self: a hub relays all origins, a site only
 * its own; nobody sends self's own origin (it makes them), except peer->also, when set (the
 * receiving node's own, while it restores from a backup). */
bool sd_sync_may_send(const sd_peer_t *peer, const char *self, const char *origin);

typedef enum {
    SD_RECV_APPLY,     /* the next event of its origin: apply it */
    SD_RECV_DUPLICATE, /* already held: skip */
    SD_RECV_GAP,       /* events of its origin are missing before it: fetch them */
    SD_RECV_REFUSED    /* the peer may not send this origin: count and log */
} sd_recv_t;

/* Decides about event ev heard from peer, given the seq applied for its
 * origin. */
sd_recv_t sd_sync_classify(const sd_peer_t *peer, const char *self, const sd_event_t *ev,
                           uint64_t applied);

/* A request for the events of one origin from one seq on. */
typedef struct {
    char origin[SD_SITE_MAX + 1]; /* whose events */
    uint64_t from;                /* first seq wanted */
} sd_sync_request_t;

/* The requests to send to peer, whose heartbeat says it holds `theirs`, when
 * this node holds `ours`: one per origin the peer holds more of and may
 * send. Writes at most cap requests to out; returns how many. */
size_t sd_sync_plan(const sd_peer_t *peer, const char *self, const sd_vector_t *ours,
                    const sd_vector_t *theirs, sd_sync_request_t *out, size_t cap);

/* ---- wire forms (msgpack maps, each with "v") ------------------------------ */

/* Heartbeat: {"v":1, "site":S, "vector":{origin: seq}}. */
void sd_heartbeat_encode(const char *site, const sd_vector_t *vector, sd_mp_writer_t *w);
int sd_heartbeat_decode(const void *buf, size_t len, char site[SD_SITE_MAX + 1],
                        sd_vector_t *vector, sd_fault_t *fault);

/* Sync request: {"v":1, "origin":X, "from":N}. */
void sd_sync_request_encode(const sd_sync_request_t *req, sd_mp_writer_t *w);
int sd_sync_request_decode(const void *buf, size_t len, sd_sync_request_t *req, sd_fault_t *fault);

#endif
