/* config.h - node configuration: defaults, and the ZPL file (czmq zconfig) that overrides them.
 *
 * Example (every key optional):
 *     node
 *         site = APAC              # site id, also the ticket id prefix
 *         role = site              # site | hub
 *         endpoint = ipc:///var/lib/sundesk/apac/sundesk.sock
 *         log_level = info         # error | warning | info | debug
 *         operators = sundesk      # Unix group that may use the ipc socket (mode 0660)
 *         auth = token             # a tcp endpoint needs it: clients present API tokens
 *     policy
 *         matrix = "1 2 3 2 3 4 3 4 4"    # impact x urgency -> P1..P4, row = impact
 *         response_hours = "1 1 24 24"    # first reply target per priority
 *         resolve_hours = "4 8 72 120"    # resolution target per priority
 *         vip = "ceo@example.com cfo@example.com"  # requesters raised one step
 *         phone_country = 86   # country code of national phone numbers (default 86)
 *     schedule                            # calendars and follow-the-sun: see schedule.h
 *     replication                         # optional: replicate with other nodes
 *         cert = /etc/sundesk/apac.cert   # own certificate (apac.cert_secret beside it, 0600)
 *         certs = /etc/sundesk/peers      # public certificates of the admitted peers
 *         pub = tcp://0.0.0.0:7101        # publishes events and heartbeats here
 *         sync = tcp://0.0.0.0:7102       # answers sync requests here
 *         signers = /etc/sundesk/signers # every site's public certificate (signing keys)
 *         max_skew_ms = 60000             # refuse events stamped further ahead of our clock
 *         heartbeat_ms = 1000
 *         upstream                        # one per node to follow (repeat the section)
 *             cert = /etc/sundesk/peers/hub.cert
 *             pub = tcp://hub.example.com:7101
 *             sync = tcp://hub.example.com:7102
 *     metrics                             # optional: Prometheus text format at /metrics
 *         port = 9470
 *         address = 127.0.0.1             # the default: loopback only
 */
#ifndef SD_CONFIG_H
#define SD_CONFIG_H

#include "config_channels.h"
#include "endpoint.h"
#include "schedule.h"
#include "sizes.h"
#include "workflow.h"

#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>

#define SD_LOCK_NAME "sundeskd.lock" /* held by the node running on a data directory */

#define SD_UPSTREAMS_MAX 16
#define SD_PATH_MAX      1024

/* A node this one subscribes to and fetches missing events from. */
typedef struct {
    char cert[SD_PATH_MAX];     /* its public certificate: key, site and role */
    char pub[SD_ENDPOINT_MAX];  /* its event publisher */
    char sync[SD_ENDPOINT_MAX]; /* its sync service */
} sd_upstream_config_t;

/* Replication (config: replication); off when cert is empty. */
typedef struct {
    char cert[SD_PATH_MAX];     /* this node's certificate (secret in cert + "_secret") */
    char certs[SD_PATH_MAX];    /* directory of admitted peers' public certificates */
    char signers[SD_PATH_MAX];  /* more sites' public certificates, for their signing keys */
    int max_skew_ms;            /* a peer's event stamped further ahead of our clock: refused */
    char pub[SD_ENDPOINT_MAX];  /* where this node publishes events and heartbeats */
    char sync[SD_ENDPOINT_MAX]; /* where it answers sync requests */
    int heartbeat_ms;           /* heartbeat period */
    sd_upstream_config_t upstreams[SD_UPSTREAMS_MAX]; /* whom it follows */
    int nupstreams;                                   /* how many */
} sd_repl_config_t;

/* Prometheus metrics endpoint (config: metrics); off when port is 0. */
typedef struct {
    int port;         /* TCP port of http://address:port/metrics */
    char address[64]; /* numeric address to bind; default 127.0.0.1 (loopback only) */
} sd_metrics_config_t;

#define SD_HTTP_DEFAULT_PORT 7480 /* the API and console of a node without an http section */

/* HTTP API and web console (config: http; config_http.c); off when port is 0. */
typedef struct {
    int port;                   /* TCP port; SD_HTTP_DEFAULT_PORT unless configured */
    bool port_set;              /* configured (or --http): a port in use is then fatal */
    char address[64];           /* numeric address to bind; default 127.0.0.1 */
    char tls_cert[SD_PATH_MAX]; /* PEM certificate chain; "" = plain HTTP */
    char tls_key[SD_PATH_MAX];  /* PEM private key (owner-only file) */
    char console[SD_PATH_MAX];  /* directory of the built console; "" = the compiled-in one */
} sd_http_config_t;

typedef struct sd_config {
    char site[SD_SITE_MAX + 1];           /* this node's site id */
    char role[8];                         /* "site" or "hub" */
    char endpoint[SD_ENDPOINT_MAX];       /* client socket (ZeroMQ endpoint) */
    char local_endpoint[SD_ENDPOINT_MAX]; /* ipc://DATADIR/sundesk.sock: also bound when the
                                             endpoint is tcp, for local users */
    int log_level;                        /* sd_log_level_t */
    bool token_auth;                      /* auth = token: clients present tokens (needed on tcp) */
    char operators[64];          /* Unix group given the ipc socket (0660); "" = the node's */
    sd_policy_t policy;          /* priority and due-time policy */
    sd_repl_config_t repl;       /* replication; off by default */
    sd_schedule_t sched;         /* calendars, follow-the-sun policy, clock (schedule.h) */
    sd_metrics_config_t metrics; /* Prometheus endpoint; off by default */
    sd_http_config_t http;       /* HTTP API and console; on, loopback, by default */
    sd_mail_config_t mail;       /* e-mail in and out (config_channels.h); off by default */
    sd_alerts_config_t alerts;   /* monitoring alert sources; none by default */
    sd_chat_config_t chat;       /* chat robots; none by default */
} sd_config_t;

/* One key of the http section (config_http.c). Returns 0 or SD_ECONFIG with the reason in
 * why. */
int sd_config_http_key(sd_config_t *cfg, const char *key, const char *value, char *why, size_t cap);

/* The http section's rules across keys (a non-loopback address needs TLS; cert and key go
 * together). Returns 0 or SD_ECONFIG with the reason in why. */
int sd_config_http_check(const sd_http_config_t *http, char *why, size_t cap);

/* Sets address and port from "ADDRESS:PORT", "PORT" or "off" (sundeskd --http). Returns 0 or
 * SD_ECONFIG with the reason in why. */
int sd_config_http_option(sd_http_config_t *http, const char *text, char *why, size_t cap);

/* Frees what the config owns (the calendars); NULL-safe. */
void sd_config_clear(sd_config_t *cfg);

/* Copies value into out (cap bytes) when it fits: false (out untouched) when it does not. */
bool sd_config_set_str(char *out, size_t cap, const char *value);

/* Parses exactly n integers in [lo, hi], separated by blanks, from s. */
bool sd_config_ints(const char *s, int *out, int n, int lo, int hi);

/* One item of the schedule section (config_schedule.c). Returns 0 or
 * SD_ECONFIG with the reason in why. */
int sd_config_schedule_item(sd_config_t *cfg, zconfig_t *item, char *why, size_t cap);

/* One schedule/oncall subsection: an on-call roster (config_oncall.c), after the sites it
 * names. Returns 0 or SD_ECONFIG with why. */
int sd_config_oncall(sd_schedule_t *sched, zconfig_t *sec, char *why, size_t cap);

/* Once the file is read: the on-call hours a follow-the-sun SLA clock counts (schedule.h
 * oncall_always, cover). Returns 0 or SD_ECONFIG with why. */
int sd_config_oncall_done(sd_schedule_t *sched, char *why, size_t cap);

/* Checks the schedule once the file is read and applies business-hour
 * policy defaults when calendars exist and the policy did not set targets. */
int sd_config_schedule_done(sd_config_t *cfg, bool targets_set, char *why, size_t cap);

/* Fills the defaults for a node whose data directory is datadir: site LOCAL,
 * role site, endpoint ipc://DATADIR/sundesk.sock, default policy.
 * Returns 0 or SD_ECONFIG when the ipc path would be too long (message in err). */
int sd_config_defaults(sd_config_t *cfg, const char *datadir, char *err, size_t cap);

/* Reads path over the current values of cfg. Unknown sections or keys, bad
 * values and unreadable files are errors: returns SD_ECONFIG with one line
 * per problem in err ("config.zpl: node/site: ...", lines joined by '\n';
 * as many as fit in cap). */
int sd_config_load(sd_config_t *cfg, const char *path, char *err, size_t cap);

/* Appends "path: text" as one more line (joined by '\n') to the problems in
 * err, as far as cap allows. */
void sd_config_problem(char *err, size_t cap, const char *path, const char *text);

#endif
