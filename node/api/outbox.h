/* outbox.h - replies a client has not taken yet: the node's flow control toward each client.
 *
 * Owns, per client socket connection (a ROUTER routing id), the replies that ZeroMQ could not take
 * yet, and the byte counts the server's budget checks read. It exists because a ROUTER socket
 * hides how much it holds for each peer: a client that sends `ticket.list limit=1000` in a loop
 * and never reads made libzmq queue up to its default 1000 replies of megabytes each (4.5 GB).
 *
 * The design, and why:
 * - Each client socket has a small ZMQ_SNDHWM (SD_OUTBOX_SNDHWM messages) and
 *   ZMQ_ROUTER_MANDATORY, and every send is non-blocking: a client whose libzmq pipe is full
 *   makes the send fail with EAGAIN at once (never blocking the loop), and the reply moves here
 *   instead. So libzmq holds at most SD_OUTBOX_SNDHWM replies per client (plus the one its I/O
 *   thread is writing), and everything beyond that waits in this module, where it is counted in
 *   bytes. Waiting replies keep their order and go out first (sd_outbox_flush, called every turn
 *   of the loop while any wait: ZeroMQ gives no per-peer "writable" event, so it is retried on a
 *   short timer, SD_OUTBOX_RETRY_MS).
 * - The budget: before it serves a request the server asks sd_outbox_over. A client with
 *   SD_OUTBOX_CLIENT_BYTES or more of replies not yet handed to libzmq (here, or made in the
 *   current batch) is not served: its request is answered `busy` at the cost of decoding it, so a
 *   flood costs the node no store reads and other clients keep being answered. The node cannot
 *   stop reading one peer of a ROUTER socket (all peers share one fair queue), so this is how it
 *   "stops reading" a client that does not read.
 * - Hard caps: at most SD_OUTBOX_MSGS replies wait per client and SD_OUTBOX_CLIENTS clients wait
 *   at once; a reply beyond either cap is dropped and counted (the client times out on it, as it
 *   would on a lost connection). A client that takes nothing for SD_OUTBOX_STALL_MS loses what
 *   waits for it, so a client that never reads does not pin its memory forever, and a client that
 *   went away (EHOSTUNREACH) loses its replies at once.
 * - Group commit survives: with a pipe this small a client that pipelines requests would get its
 *   replies a few at a time and send its next requests a few at a time, each few a commit of its
 *   own (measured: 20,000 pipelined ticket.new took 12 s instead of 3). So after each batch the
 *   server offers the waiting replies again while they keep moving (server.c, s_drain: at most
 *   SD_OUTBOX_DRAIN_MS, and only while one moved within SD_OUTBOX_IDLE_US, so a client that does
 *   not read costs the others nothing), and a flush reads ZMQ_EVENTS first, because libzmq
 *   notices that its I/O thread emptied a pipe only when it handles its commands, which a send
 *   does at most once a millisecond. SD_OUTBOX_RCVHWM lets a whole batch of one client's
 *   requests wait in libzmq.
 *
 * Bound, per client connection: SD_OUTBOX_SNDHWM + 1 replies in libzmq, plus here at most
 * SD_OUTBOX_CLIENT_BYTES + one reply (the last one served under the budget) + SD_OUTBOX_MSGS
 * small `busy` replies. With 2.5 MB list replies that is 8 MiB + 10 x 2.5 MB, about 33 MB, for
 * one flooding client: measured, its 2,000 never-read `ticket.list limit=1000` grew the node's
 * VmRSS by 33 MB (3.1 GB before; README.md, Guarantees). All clients together wait here with at
 * most SD_OUTBOX_TOTAL_BYTES (then every client that already has replies waiting gets `busy`) plus
 * one reply per waiting client.
 *
 * Errors: none are returned; every failure to deliver is counted (sd_outbox_stats). One thread
 * (the server's) owns an outbox and the sockets it sends on. */
#ifndef SD_OUTBOX_H
#define SD_OUTBOX_H

#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_OUTBOX_SNDHWM       8          /* replies libzmq holds per client connection */
#define SD_OUTBOX_RCVHWM       256        /* requests libzmq holds per client connection */
#define SD_OUTBOX_CLIENT_BYTES (8 << 20)  /* a client waiting on this much is answered busy */
#define SD_OUTBOX_TOTAL_BYTES  (64 << 20) /* ... and every waiting client, past this in all */
#define SD_OUTBOX_MSGS         256        /* most replies waiting for one client */
#define SD_OUTBOX_CLIENTS      64         /* most clients with replies waiting at once */
#define SD_OUTBOX_STALL_MS     30000      /* a client that takes nothing this long loses them */
#define SD_OUTBOX_RETRY_MS     2          /* how soon waiting replies are offered again */
#define SD_OUTBOX_DRAIN_MS     20         /* most a batch's replies are drained before the next */
#define SD_OUTBOX_IDLE_US      1000       /* ... while one moved within this many us */

typedef struct sd_outbox sd_outbox_t;

/* Counters since the outbox was made, and what waits now. */
typedef struct {
    uint64_t waited;  /* replies that had to wait here */
    uint64_t dropped; /* replies never delivered: caps, a client gone or stalled */
    uint64_t bytes;   /* bytes waiting now, all clients */
    uint64_t clients; /* clients with replies waiting now */
} sd_outbox_stats_t;

/* Makes an empty outbox. Returns 0 and *outbox, or SD_ENOMEM. */
int sd_outbox_new(sd_outbox_t **outbox);

/* Drops whatever waits and frees; NULL-safe, nulls *outbox. */
void sd_outbox_destroy(sd_outbox_t **outbox);

/* Sets a client ROUTER socket up for this module: the HWMs above and ZMQ_ROUTER_MANDATORY.
 * Call before it binds (the HWMs apply to connections made after). */
void sd_outbox_socket(zsock_t *sock);

/* Sends *reply ([routing id][...][body]; taken: *reply is NULL after) on sock, a socket set up
 * with sd_outbox_socket: to libzmq at once when nothing waits for that client and its pipe has
 * room, else it waits here (or is dropped and counted, past the caps or when the client is
 * gone). Never blocks. */
void sd_outbox_send(sd_outbox_t *outbox, zsock_t *sock, zmsg_t **reply, int64_t now_ms);

/* True when a request from the client with routing id `id` on sock must not be served now: the
 * bytes waiting for it plus `pending` (replies already made for it and not yet sent) reach
 * SD_OUTBOX_CLIENT_BYTES, or it has something waiting or pending and all clients together (plus
 * pending_all) reach SD_OUTBOX_TOTAL_BYTES. *waiting gets the client's bytes (for the reply). */
bool sd_outbox_over(const sd_outbox_t *outbox, zsock_t *sock, zframe_t *id, size_t pending,
                    size_t pending_all, size_t *waiting);

/* Offers waiting replies to libzmq again, in order per client; drops those of clients gone or
 * stalled. Returns how many libzmq took. */
size_t sd_outbox_flush(sd_outbox_t *outbox, int64_t now_ms);

/* True when replies wait (then call sd_outbox_flush again within SD_OUTBOX_RETRY_MS). */
bool sd_outbox_waiting(const sd_outbox_t *outbox);

/* Fills *stats. */
void sd_outbox_stats(const sd_outbox_t *outbox, sd_outbox_stats_t *stats);

#endif
