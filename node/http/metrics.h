/* metrics.h - the node's Prometheus endpoint: text exposition format 0.0.4 at /metrics.
 *
 * Opt-in (config section `metrics`), bound to loopback unless an address is
 * configured. HTTP is libmicrohttpd's, run in its own thread; that thread
 * never touches the store or the replica. The server thread renders the text
 * from its counters (sd_metrics_render) about once a second and hands it over
 * (sd_metrics_publish); a scrape gets the latest copy, so it costs the node's
 * loop nothing and can never block it. Serving is metrics.c (over httpd.h), rendering
 * metrics_text.c. */
#ifndef SD_METRICS_H
#define SD_METRICS_H

#include "config.h"
#include "replica.h"
#include "ticket.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct sd_metrics sd_metrics_t;

/* What the server knows about itself, for sd_metrics_render. */
typedef struct {
    const char *site, *role, *version;
    uint64_t uptime_ms;
    uint64_t requests, errors;          /* client replies sent, of which errors */
    uint64_t commits, writes;           /* write transactions and the requests they carried */
    uint64_t busy;                      /* requests answered busy: their client had not read */
    uint64_t replies_dropped;           /* replies never delivered (outbox.h) */
    uint64_t reply_bytes_waiting;       /* reply bytes waiting for slow clients now */
    uint64_t map_bytes, used_bytes;     /* store */
    uint64_t tickets[SD_STATUS_COUNT_]; /* tickets by status */
    uint64_t sla_breaches;              /* tickets breached, by any site */
    bool restoring;                     /* restored from a backup, not caught up */
    const char *http_url;               /* the API and console's base URL, or NULL when off */
} sd_node_stats_t;

/* Starts serving on cfg (port > 0). Returns 0 and *metrics, or SD_EIO with
 * one line in err (address in use, bad address). */
int sd_metrics_start(const sd_metrics_config_t *cfg, sd_metrics_t **metrics, char *err, size_t cap);

/* Stops the HTTP thread and frees; NULL-safe, nulls *metrics. */
void sd_metrics_stop(sd_metrics_t **metrics);

/* Replaces the text scrapes get with a copy of text[0..len). */
void sd_metrics_publish(sd_metrics_t *metrics, const char *text, size_t len);

/* Writes the exposition text for node (and repl, NULL without replication)
 * to out. */
void sd_metrics_render(FILE *out, const sd_node_stats_t *node, const sd_replica_stats_t *repl);

#endif
