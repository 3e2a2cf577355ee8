/* server_impl.h - the state of the server (server.c), shared with the parts of it that live in
 * files of their own (server_search.c: the requests the search thread answers). Internal to
 * node/api. */
#ifndef SD_SERVER_IMPL_H
#define SD_SERVER_IMPL_H

#include "server.h"

#include "api.h"
#include "audit.h"
#include "authn.h"
#include "channels.h"
#include "events.h"
#include "journal.h"
#include "metrics.h"
#include "outbox.h"
#include "peer.h"
#include "replica.h"
#include "request.h"
#include "search.h"

#include <czmq.h>

#define SD_SERVER_ASKED           256   /* search requests the search thread may hold at once */
#define SD_SERVER_SEARCH_RETRY_MS 30000 /* between tries to start a search thread that failed */

/* A request the search thread holds: where its reply goes. */
typedef struct {
    zmsg_t *envelope; /* routing frames (owned); NULL: the slot is free */
    int from;         /* the client socket it came on */
    uint64_t tag;     /* its tag */
} sd_server_asked_t;

/* Largest ZeroMQ message accepted at all; bigger ones make libzmq drop the
 * peer before we read it. Between SD_MESSAGE_MAX and this a client gets a
 * too_big reply. */
#define SD_SOCKET_MAXMSG (4 << 20)

/* One request of a batch, from arrival to reply. */
typedef struct {
    bool handed;                   /* given to the search thread, which answers it */
    zmsg_t *envelope;              /* routing frames to send the reply back with */
    sd_request_t req;              /* decoded request */
    int rc;                        /* 0, or why it failed */
    sd_fault_t fault;              /* detail for rc */
    sd_mp_writer_t *reply;         /* encoded reply */
    char event_key[SD_ID_MAX + 1]; /* a committed write: the event's record (for the log) */
    const sd_kind_t *event_kind;   /* ... its kind */
    int event_op;                  /* ... its op */
    uint64_t event_seq;            /* ... and its seq; 0 when the request wrote nothing */
    sd_client_peer_t peer;         /* who the transport says sent it */
    sd_principal_t who;            /* who it is (authn.h), once identified */
    int scope;                     /* sd_scope_t the permission table granted */
    char shown_once[80];           /* token.new: the token for the reply (wiped after) */
    char allowed[160];             /* a ticket's bad_transition: the verbs allowed, for the reply */
    int from;                      /* the client socket it came on (sd_server.clients) */
} sd_server_job_t;

struct sd_server {
    const sd_config_t *cfg;    /* configuration (borrowed) */
    sd_store_t *store;         /* the store (borrowed) */
    sd_journal_t *journal;     /* every write goes through it: clock, seqs, commits */
    sd_replica_t *replica;     /* replication, or NULL when not configured */
    zsock_t *clients[3];       /* client sockets: the endpoint; with tcp, also the ipc;
                                  with HTTP, the in-process one of its threads (bridge.h) */
    bool clients_ipc[3];       /* ... whether each is ipc (its peers have credentials) */
    int nclients;              /* how many */
    int64_t started_ms;        /* for uptime */
    uint64_t requests, errors; /* counters since start */
    uint64_t commits, writes;  /* write transactions and the requests they carried */
    sd_server_job_t jobs[SD_SERVER_BATCH]; /* the current batch */
    size_t njobs;                          /* used entries of jobs */
    int64_t next_tick;                     /* monotonic ms of the scheduler's next tick */
    char sched_cursor[SD_ID_MAX + 1]; /* where the scheduler's next slice of the queue starts */
    const char *restoring;            /* data dir restored from a backup, not caught up; or NULL */
    sd_metrics_t *metrics;            /* Prometheus endpoint, or NULL when not configured */
    sd_auth_t *auth;                  /* sessions and the password guard */
    sd_audit_t *audit;                /* refusals waiting to be recorded */
    int64_t next_metrics;             /* monotonic ms of the next render of the metrics text */
    sd_outbox_t *outbox;              /* replies clients have not taken yet */
    sd_http_api_t *http;              /* the HTTP API and console, or NULL when off */
    sd_changes_t *changes;            /* committed events, published for the HTTP live streams */
    char http_url[128];               /* the HTTP base URL ("" when off), for node.status */
    uint64_t busy;                    /* requests answered busy: their client had not read */
    sd_search_t *search;              /* the search thread (search.h), or NULL */
    sd_server_asked_t asked[SD_SERVER_ASKED]; /* requests the search thread has, by tag */
    uint64_t next_tag;                        /* tag of the next request handed to it */
    char search_down[256];   /* why the search thread is not running ("" when it is) */
    int64_t search_retry_at; /* monotonic ms of the next try to start it */
    sd_channels_t *channels; /* the channels thread (channels.h), or NULL: nothing is sent */
};

/* The journal's listener: a committed event goes to the HTTP live streams and wakes the search
 * thread. arg is the server. */
void sd_server_committed(void *arg, const sd_kind_t *kind, const char *key, int op);

/* Starts the search thread (search.h) over the server's store. The index is derived and only
 * search depends on it, so a failure (a full disk, an unwritable directory) does not stop the
 * node: it is logged, search requests are answered `unavailable` with the reason, and
 * sd_server_search_retry tries again. Always returns 0. */
int sd_server_search_start(sd_server_t *s);

/* Tries again to start a search thread that could not start, at most every
 * SD_SERVER_SEARCH_RETRY_MS. Returns true when it has just started (the caller polls its socket).
 */
bool sd_server_search_retry(sd_server_t *s);

/* Hands job (admitted) to the search thread: its envelope goes with it, job->handed is set and
 * the server sends it no reply. Returns 0, or SD_EBUSY / SD_ENOMEM (job->fault set; the server
 * answers it). */
int sd_server_search_hand(sd_server_t *s, sd_server_job_t *job);

/* Forwards the replies the search thread has made, unchanged, through the outbox. */
void sd_server_search_replies(sd_server_t *s);

/* Sends reply (taken) to the client whose request a thread held under tag (s->asked), through
 * the outbox; a reply whose slot is gone is dropped. */
void sd_server_forward(sd_server_t *s, uint64_t tag, zframe_t **reply);

/* Stops the search thread and drops the requests it held. */
void sd_server_search_stop(sd_server_t *s);

/* server_channels.c: starts the channels thread when mail/transport is not off (a failure is
 * logged and the node serves on, sending nothing); always returns 0. */
int sd_server_channels_start(sd_server_t *s);

/* Stops the channels thread. */
void sd_server_channels_stop(sd_server_t *s);

/* Hands an outbox request (admitted) to the channels thread, as sd_server_search_hand. */
int sd_server_channels_hand(sd_server_t *s, sd_server_job_t *job);

/* Forwards the thread's replies and writes the history of what it sent. */
void sd_server_channels_take(sd_server_t *s);

#endif
