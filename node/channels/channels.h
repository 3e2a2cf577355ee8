/* channels.h - the channels thread: notices out (mail, chat) from the event log.
 *
 * One thread (a zactor) owned by the server (node/api/server_channels.c). It follows the event
 * log as the search thread does (its own read transactions: sd_store_begin_reader; never the
 * write path): the events past the cursor of its send queue (node/store/sendq.h, DATADIR/sendq)
 * become notices by the rules of notice.h, committed to the queue together with the new cursor.
 * Then it hands the due entries off (deliver.c; chat through the robots of the chat section),
 * one at a time: committed `sending` first, then `sent`, or queued again with a backoff
 * (SD_CHANNELS_BACKOFF_MS doubled per attempt, at most SD_CHANNELS_BACKOFF_MAX_MS) or `failed`
 * after SD_CHANNELS_ATTEMPTS attempts or a permanent refusal. Once an hour it removes the sent
 * (and recorded) and failed entries older than SD_CHANNELS_KEEP_MS.
 *
 * The history: each sent entry is told to the server (sd_channels_take gives an
 * sd_channels_sent_t), which writes the ticket's contact record itself (author mailer@SITE) and
 * answers sd_channels_recorded; an entry sent but not recorded (a crash between the two) is told
 * again at the next start, and the server finds the contact by its call_id (the Message-ID), so
 * it is written once.
 *
 * Requests: outbox.list and outbox.retry are handed over by the server like search requests
 * (sd_channels_ask) and answered with whole reply envelopes (sd_channels_take). */
#ifndef SD_CHANNELS_H
#define SD_CHANNELS_H

#include "config.h"
#include "request.h"
#include "sendq.h"
#include "store.h"

#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>

#define SD_CHANNELS_BATCH          256     /* events read per step */
#define SD_CHANNELS_ATTEMPTS       8       /* hand-offs tried before an entry is failed */
#define SD_CHANNELS_BACKOFF_MS     30000   /* the first retry's wait; doubled each time */
#define SD_CHANNELS_BACKOFF_MAX_MS 3600000 /* the longest wait between tries */
#define SD_CHANNELS_RATE_WINDOW_MS 3600000 /* mail/auto_per_hour counts over this */
#define SD_CHANNELS_KEEP_MS        (30ull * 24 * 3600 * 1000) /* sent and failed entries kept */

typedef struct sd_channels sd_channels_t;

/* What was sent, for the ticket's history (owned by whoever takes it: free()). */
typedef struct {
    char id[SD_SENDQ_ID_MAX + 1];        /* the Message-ID without brackets */
    char ticket[SD_ID_MAX + 1];          /* "" none */
    char kind[SD_SENDQ_KIND_MAX + 1];    /* ack, reply, ... */
    int channel;                         /* sd_sendq_channel_t */
    char to[SD_SENDQ_TO_MAX + 1];        /* recipients */
    char subject[SD_TITLE_MAX * 2 + 64]; /* the subject */
    uint64_t sent_at;                    /* Unix ms */
} sd_channels_sent_t;

/* Starts the thread over store (borrowed) with cfg (borrowed; both outlive it), its queue in
 * sd_store_dir(store)/sendq; console_url: the base of links (cfg->mail.console_url when set,
 * else the node's HTTP URL; "" none). Returns 0 and *out, SD_EIO / SD_ESTORE (err), SD_ENOMEM. */
int sd_channels_new(const sd_config_t *cfg, sd_store_t *store, const char *console_url,
                    sd_channels_t **out, char *err, size_t cap);

/* Stops the thread (a hand-off in progress finishes first, at most SD_DELIVER_TIMEOUT_MS) and
 * nulls *c; NULL-safe. */
void sd_channels_destroy(sd_channels_t **c);

/* Tells the thread that events were committed; any thread, cheap. */
void sd_channels_wake(sd_channels_t *c);

/* The socket the server polls (ZMQ_POLLIN: sd_channels_take has something). Borrowed. */
zsock_t *sd_channels_socket(sd_channels_t *c);

/* True for the ops the thread answers (outbox.*). */
bool sd_channels_op(int op);

/* Hands req (authorized) to the thread under tag. Returns 0 or SD_ENOMEM (req untouched). */
int sd_channels_ask(sd_channels_t *c, uint64_t tag, const sd_request_t *req);

/* Takes one message of the thread: a reply (*reply set, with its *tag) or a sent entry to record
 * (*sent set). Returns 0, or SD_ENOTFOUND when none waits. */
int sd_channels_take(sd_channels_t *c, uint64_t *tag, zframe_t **reply, sd_channels_sent_t **sent);

/* The server wrote (rc 0) the history of entry id, or could not (it is told again later). */
void sd_channels_recorded(sd_channels_t *c, const char *id, int rc);

#endif
