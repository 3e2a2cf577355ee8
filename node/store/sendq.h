/* sendq.h - the channels' durable send queue: what the node has to send (mail, chat notices),
 * what it sent, and how far it has read the event log to make them.
 *
 * Its own LMDB environment in DATADIR/sendq (local to the node: never replicated, not in the
 * digest, not in backups' event log). Tables: "entries" (the notice's Message-ID, without
 * brackets -> the entry), "due" (next_at big-endian + id -> "" for each queued entry: what to
 * send next) and "meta" ("cursor" -> the vector marker of the events already turned into
 * notices, "APAC:12,EMEA:5").
 *
 * Never twice: a notice's id is made from the event that caused it (origin + seq), so making it
 * again after a crash finds it there (sd_sendq_add skips it); the cursor is committed with the
 * entries it made; an entry is committed `sending` before it is handed to the MTA or the robot,
 * and an entry found `sending` when the queue is opened (the node died during the hand-off) is
 * `unknown`: it is shown and resent only by sd_sendq_retry (op outbox.retry).
 *
 * One thread uses a queue (the channels thread); not thread-safe. */
#ifndef SD_SENDQ_H
#define SD_SENDQ_H

#include "sizes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_SENDQ_ID_MAX    250   /* a Message-ID without its brackets */
#define SD_SENDQ_KIND_MAX  32    /* ack, reply, resolved, major, bulletin, new_p1, ... */
#define SD_SENDQ_TO_MAX    1024  /* recipients (addresses, or robot names), comma-separated */
#define SD_SENDQ_ERROR_MAX 256   /* the last delivery error */
#define SD_SENDQ_BODY_MAX  65536 /* the whole rendered message */

typedef enum {
    SD_SENDQ_QUEUED,  /* waits for next_at */
    SD_SENDQ_SENDING, /* being handed off (committed before the hand-off) */
    SD_SENDQ_SENT,    /* the MTA or the robot took it */
    SD_SENDQ_FAILED,  /* gave up (attempts exhausted, or refused for good) */
    SD_SENDQ_UNKNOWN, /* the node died during the hand-off: maybe sent; outbox.retry resends */
    SD_SENDQ_STATE_COUNT_
} sd_sendq_state_t;

typedef enum { SD_SENDQ_EMAIL, SD_SENDQ_CHAT, SD_SENDQ_CHANNEL_COUNT_ } sd_sendq_channel_t;

extern const char *const sd_sendq_state_names[SD_SENDQ_STATE_COUNT_];
extern const char *const sd_sendq_channel_names[SD_SENDQ_CHANNEL_COUNT_];

/* One notice. Strings are inline; body is the heap (sd_sendq_entry_clear). */
typedef struct {
    char id[SD_SENDQ_ID_MAX + 1];        /* Message-ID without brackets: the key */
    int state;                           /* sd_sendq_state_t */
    int channel;                         /* sd_sendq_channel_t */
    uint32_t attempts;                   /* hand-offs tried */
    bool recorded;                       /* its history event is in the ticket */
    uint64_t created_at;                 /* made (Unix ms) */
    uint64_t next_at;                    /* queued: not before (Unix ms) */
    uint64_t sent_at;                    /* sent: when (Unix ms) */
    uint64_t event_at;                   /* the event that caused it (Unix ms) */
    char ticket[SD_ID_MAX + 1];          /* the ticket it is about ("" none: a bulletin) */
    char kind[SD_SENDQ_KIND_MAX + 1];    /* what notice */
    char to[SD_SENDQ_TO_MAX + 1];        /* recipients */
    char subject[SD_TITLE_MAX * 2 + 64]; /* the subject (UTF-8, not encoded) */
    char error[SD_SENDQ_ERROR_MAX + 1];  /* the last failure ("" none) */
    char *body;                          /* the message (mail: whole RFC 5322 text; chat: text) */
} sd_sendq_entry_t;

typedef struct sd_sendq sd_sendq_t;

/* Opens (creating) the queue in dir (made 0700 when missing) and turns every entry left
 * `sending` into `unknown` (*unknown gets how many; may be NULL). Returns 0 and *out (yours:
 * sd_sendq_close), SD_EIO / SD_ESTORE (err says why), SD_ENOMEM. */
int sd_sendq_open(const char *dir, sd_sendq_t **out, size_t *unknown, char *err, size_t cap);

/* Closes the queue and nulls *q; NULL-safe. */
void sd_sendq_close(sd_sendq_t **q);

/* The cursor's marker into out ("" when none was committed). Returns 0 or SD_ESTORE. */
int sd_sendq_cursor(sd_sendq_t *q, char *out, size_t cap);

/* Adds entries[0..n) (an id already there is left as it is and skipped) and sets the cursor to
 * marker, in one transaction. *added gets how many were new (may be NULL). Returns 0,
 * SD_EINVAL (an entry without id or with a body over SD_SENDQ_BODY_MAX), SD_ESTORE, SD_EFULL. */
int sd_sendq_add(sd_sendq_t *q, const sd_sendq_entry_t *entries, size_t n, const char *marker,
                 size_t *added);

/* Reads entry id into *out (zeroed first; clear it). Returns 0, SD_ENOTFOUND, SD_ECORRUPT,
 * SD_ESTORE. */
int sd_sendq_get(sd_sendq_t *q, const char *id, sd_sendq_entry_t *out);

/* Writes *e over its entry (its state, attempts, next_at, error, recorded...), in one durable
 * transaction. Returns 0, SD_ENOTFOUND (no such entry), SD_ESTORE, SD_EFULL. */
int sd_sendq_put(sd_sendq_t *q, const sd_sendq_entry_t *e);

/* The queued entry due first with next_at <= now into *out. Returns 0, SD_ENOTFOUND (none due;
 * *next_at, when not NULL, gets the next due time or 0), SD_ECORRUPT, SD_ESTORE. */
int sd_sendq_due(sd_sendq_t *q, uint64_t now, sd_sendq_entry_t *out, uint64_t *next_at);

/* An entry handed to a walk (borrowed for the call); non-zero stops the walk. */
typedef int (*sd_sendq_fn)(const sd_sendq_entry_t *e, void *arg);

/* Calls fn with each entry in id order after `after` (NULL or "": from the first) whose state is
 * state (-1: any) and whose ticket is ticket (NULL or "": any). Returns 0, what fn returned,
 * SD_ECORRUPT, SD_ESTORE. */
int sd_sendq_list(sd_sendq_t *q, int state, const char *ticket, const char *after, sd_sendq_fn fn,
                  void *arg);

/* Puts a failed or unknown entry back in the queue, due now (attempts reset). Returns 0,
 * SD_ENOTFOUND, SD_ETRANSITION (queued, sending or sent: nothing to retry), SD_ESTORE. */
int sd_sendq_retry(sd_sendq_t *q, const char *id, uint64_t now);

/* How many entries were sent to address (one of their `to`, any case) at or after since (Unix
 * ms): the per-recipient rate limit. 0 on a store error. */
size_t sd_sendq_sent_to(sd_sendq_t *q, const char *address, uint64_t since);

/* Removes what is over: sent entries whose history is written and failed entries, made before
 * `before` (Unix ms), and the per-recipient counts of mail sent before `counted`. *removed gets
 * how many entries went (may be NULL). Returns 0, SD_ESTORE, SD_ECORRUPT. */
int sd_sendq_prune(sd_sendq_t *q, uint64_t before, uint64_t counted, size_t *removed);

/* Frees what e owns (its body) and zeroes it; NULL-safe. */
void sd_sendq_entry_clear(sd_sendq_entry_t *e);

#endif
