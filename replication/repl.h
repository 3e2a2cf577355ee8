/* repl.h - a node's replication as a state machine without I/O (DESIGN 2.3, the Guide's "Clone").
 *
 * The node's sockets (node/repl/replica.c) or a simulated network
 * (tests/replication/test_sim.c) feed it what arrives, with the time from an
 * injected monotonic clock, and carry out the actions it hands back:
 *
 *   inputs                              actions (through cfg->act)
 *   events a peer published        ->   apply (through the store interface),
 *                                       ask the peer for a gap, relay (hub)
 *   a peer's heartbeat             ->   ask for what the peer holds and we miss
 *   a peer's sync reply            ->   ask for the next batch, apply
 *   a sync request from anyone     ->   send the reply frames
 *   a timer tick                   ->   send a heartbeat when due
 *   own events committed           ->   publish them
 *
 * Rules (sync.h, trust.h): a site may send only its own origin, a hub any, nobody this
 * node's own; an event must pass the trust checks (signature, bounded clock, names), and a
 * signed one must name the hash of the event before it of its origin (the chain: checked
 * against the store for the first of a batch, then within the batch); it is applied when it is
 * the next of its origin, skipped when held, and a gap
 * is fetched with a sync request ("origin X from seq N"), at most once per
 * ask_again_ms per peer and origin unless a sync reply chains the next
 * request. A hub relays (publishes) every event of another origin it
 * applies. Lost, duplicated and reordered messages are repaired as long as
 * heartbeats flow.
 *
 * Restore gating: after sd_repl_restore_begin every peer may also send this
 * node's own origin, and sd_repl_restored says when no peer heard since then
 * holds more of it than this node.
 *
 * Time: every now_ms is the caller's monotonic clock in ms, positive and
 * never decreasing from call to call (a simulation injects its own).
 *
 * The store is reached only through sd_repl_store_t, which the node
 * implements over its journal; this module includes no node or LMDB header.
 * Threads: one; every call runs the actions it makes before it returns. */
#ifndef SD_REPL_H
#define SD_REPL_H

#include "event.h"
#include "sign.h"
#include "sync.h"
#include "vector.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_REPL_PEERS_MAX 16 /* most peers a node follows */

/* The node's store, as replication needs it. Every function returns 0 or a
 * negative SD_E* code. Bytes handed to fn are borrowed for the call. */
typedef struct {
    void *ctx; /* passed to each function */
    /* The applied vector: the highest seq held per origin. */
    int (*vector)(void *ctx, sd_vector_t *vector);
    /* Applies evs[0..n), each the next of its origin when its turn comes, in
     * one durable write transaction (the node's journal: the clock observes
     * their stamps). *applied gets how many were applied. On error nothing
     * was applied. */
    int (*apply)(void *ctx, const sd_event_t *evs, size_t n, size_t *applied);
    /* Calls fn with the stored bytes of the events of origin from seq `from`
     * on, in seq order, at most limit of them; stops when fn returns
     * non-zero (returned). */
    int (*events_from)(void *ctx, const char *origin, uint64_t from, size_t limit,
                       int (*fn)(const void *event, size_t len, void *arg), void *arg);
    /* The hash (sign.h) of the held event (origin, seq) into hex: the prev the next one of the
     * origin must name. SD_ENOTFOUND when not held. */
    int (*event_hash)(void *ctx, const char *origin, uint64_t seq, char hex[SD_EVENT_HASH_HEX + 1]);
} sd_repl_store_t;

/* One message frame; borrowed. */
typedef struct {
    const void *bytes; /* the frame's bytes */
    size_t len;        /* its length */
} sd_repl_frame_t;

typedef enum {
    SD_REPL_ASK,       /* send bytes (a sync request) to peer's sync service */
    SD_REPL_PUBLISH,   /* publish bytes (one event: origin, seq) to subscribers */
    SD_REPL_HEARTBEAT, /* publish bytes (a heartbeat) to subscribers */
    SD_REPL_REPLY,     /* send frames (events) back to the sync request being handled */
    SD_REPL_REFUSED,   /* peer sent an event it may not send or cannot be read: log it */
    SD_REPL_FAILED     /* applying what peer sent failed (error): log it; it is asked again */
} sd_repl_action_kind_t;

/* An action for the transport. Everything in it is borrowed for the call. */
typedef struct {
    int kind;                      /* sd_repl_action_kind_t */
    int peer;                      /* ASK, REFUSED, FAILED: index in cfg->peers; else -1 */
    const void *bytes;             /* ASK, PUBLISH, HEARTBEAT: the message */
    size_t len;                    /* its length */
    const sd_repl_frame_t *frames; /* REPLY: the events, in seq order (at least one) */
    size_t nframes;                /* how many */
    char origin[SD_SITE_MAX + 1];  /* ASK, PUBLISH, REFUSED: the origin concerned ("" unknown) */
    uint64_t seq;                  /* ASK: first seq asked; PUBLISH: the event's seq */
    int error;          /* REFUSED: SD_EFORBIDDEN (origin, signature, names, chain: trust.h),
                           SD_ERANGE (stamped too far ahead) or the decode error; FAILED: why */
    const char *reason; /* REFUSED: one line saying why (trust.h), or NULL */
} sd_repl_action_t;

typedef struct {
    const char *site;       /* this node's site (copied) */
    bool hub;               /* relays what it applies */
    int64_t heartbeat_ms;   /* heartbeat period, > 0 */
    int64_t ask_again_ms;   /* no repeated sync request sooner; 0 = 1000 */
    size_t reply_events;    /* most events per sync reply; 0 = 4096 */
    size_t reply_bytes;     /* ... and about this many bytes; 0 = 4 MiB */
    const sd_peer_t *peers; /* the nodes it follows (copied) */
    int npeers;             /* how many, <= SD_REPL_PEERS_MAX */
    sd_repl_store_t store;  /* the node's store */
    /* Trust (trust.h, sign.h): the keys events must be signed with (NULL: not checked), the
     * unsigned events still accepted (seqs made before signing; NULL: none), how far ahead of
     * the wall clock a stamp may be (0 = SD_TRUST_SKEW_MS) and the wall clock (Unix ms; NULL:
     * stamps are not bounded). */
    const sd_signers_t *signers;
    const sd_vector_t *legacy;
    int64_t max_skew_ms;
    int64_t (*wall_ms)(void *arg);
    void (*act)(void *arg, const sd_repl_action_t *action); /* carries out an action */
    void *act_arg;                                          /* for act */
} sd_repl_params_t;

typedef struct sd_repl sd_repl_t;

/* Makes the state machine at monotonic time now_ms (silence is counted from
 * it). Returns 0 and *repl, SD_ENOMEM, or SD_ERANGE for a bad config (too
 * many peers, heartbeat_ms <= 0, invalid site). */
int sd_repl_new(const sd_repl_params_t *cfg, int64_t now_ms, sd_repl_t **repl);

/* Frees it and nulls *repl; NULL-safe. */
void sd_repl_destroy(sd_repl_t **repl);

/* Events peer published, one per frame, as they came. Refused ones are
 * counted (REFUSED action each); the rest are applied in one transaction,
 * gaps asked for, and on a hub the applied events relayed. Returns how many
 * were applied. */
size_t sd_repl_on_publish(sd_repl_t *repl, int peer, const sd_repl_frame_t *frames, size_t n,
                          int64_t now_ms);

/* A heartbeat peer published: remembers what it holds and asks for what this
 * node misses. A heartbeat that cannot be read or names another site is
 * ignored. */
void sd_repl_on_heartbeat(sd_repl_t *repl, int peer, const void *bytes, size_t len, int64_t now_ms);

/* A reply of peer's sync service: events of one origin in seq order. The
 * next request for that origin goes out first (so the peer reads the next
 * batch while this one commits), then the events are applied as for
 * sd_repl_on_publish. Returns how many were applied. */
size_t sd_repl_on_sync_reply(sd_repl_t *repl, int peer, const sd_repl_frame_t *frames, size_t n,
                             int64_t now_ms);

/* A sync request from any node: answers with one REPLY action holding the
 * events asked for (none when there are none: an exhausted origin gets no
 * reply, which ends the requester's chain). Returns 0, or the decode error
 * (the request is dropped), SD_ENOMEM or a store error. */
int sd_repl_on_sync_request(sd_repl_t *repl, const void *bytes, size_t len);

/* The timer: sends a heartbeat (with the store's vector) when one is due.
 * Returns ms until the next one. */
int64_t sd_repl_tick(sd_repl_t *repl, int64_t now_ms);

/* Publishes this node's own events with seq in [from, to] (just committed). */
void sd_repl_publish_own(sd_repl_t *repl, uint64_t from, uint64_t to);

/* Ms since peer site's last heartbeat (since sd_repl_new if never); -1 when
 * site is not a peer. */
int64_t sd_repl_silent_ms(const sd_repl_t *repl, const char *site, int64_t now_ms);

/* True when every peer has, since start, sent a heartbeat showing it holds nothing this node
 * lacks, or has been silent for more than grace_ms: a returning node has caught up with
 * what the hub decided for it meanwhile (node/desk/takeover.h). */
bool sd_repl_settled(const sd_repl_t *repl, int64_t grace_ms, int64_t now_ms);

/* Restoring from a backup: from now on every peer may send this node's own
 * origin. */
void sd_repl_restore_begin(sd_repl_t *repl, int64_t now_ms);

/* True when not restoring, or once a peer has been heard for two heartbeat
 * periods since sd_repl_restore_begin and no peer heard since holds more of
 * this node's own events than it does; then peers are back to their usual
 * rights and it stays true. */
bool sd_repl_restored(sd_repl_t *repl, int64_t now_ms);

/* One peer as sd_repl_stats sees it. */
typedef struct {
    char site[SD_SITE_MAX + 1]; /* its site */
    bool hub;                   /* its role is hub */
    bool connected;             /* heard within three heartbeat periods */
    int64_t heartbeat_age_ms;   /* since its last heartbeat; -1 never heard */
    sd_vector_t vector;         /* what it last said it holds */
    uint64_t lag_events;        /* events it holds that this node does not */
    uint64_t lag_ms;            /* how long this node has been behind it; 0 when not */
    uint64_t refused;           /* events it sent that it may not send (or unreadable) */
    uint64_t applied_pub;       /* events applied as it published them */
    uint64_t applied_sync;      /* events applied from its sync replies (repairs) */
    uint64_t gaps;              /* events it published after a gap (each asked for a repair) */
} sd_repl_peer_stats_t;

/* A snapshot for status and metrics. */
typedef struct {
    sd_vector_t vector;                            /* what this node holds */
    bool restoring;                                /* still fetching its own events back */
    int npeers;                                    /* peers */
    sd_repl_peer_stats_t peers[SD_REPL_PEERS_MAX]; /* each peer, in config order */
} sd_repl_stats_t;

/* Fills *stats (large: keep it off small stacks). */
void sd_repl_stats(const sd_repl_t *repl, int64_t now_ms, sd_repl_stats_t *stats);

#endif
