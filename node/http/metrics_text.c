/* metrics_text.c - the Prometheus text exposition of the node's counters (metrics.h); no HTTP. */
#include "metrics.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- the exposition text -------------------------------------------------- */

static void s_head(FILE *out, const char *name, const char *type, const char *help)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void s_one(FILE *out, const char *name, const char *type, const char *help, uint64_t v)
{
    s_head(out, name, type, help);
    fprintf(out, "%s %llu\n", name, (unsigned long long)v);
}

static void s_render_repl(FILE *out, const sd_replica_stats_t *st)
{
    const sd_repl_stats_t *r = &st->repl;
    s_one(out, "sundesk_replication_refused_connections_total", "counter",
          "CURVE handshakes refused (unknown keys, plaintext clients).", st->refused_connections);
    s_one(out, "sundesk_replication_sync_dropped_total", "counter",
          "Sync requests not answered: a reply to the same in flight, or unreadable.",
          st->sync_dropped);
    s_one(out, "sundesk_replication_sync_replies_dropped_total", "counter",
          "Sync replies dropped: the requester was not reading them.", st->sync_replies_dropped);
    s_one(out, "sundesk_replication_log_lines_held_total", "counter",
          "Refusal log lines held back by the per-peer limit.", st->log_held);
    s_head(out, "sundesk_replication_applied_seq", "gauge",
           "Highest event seq applied, per origin site.");
    for (size_t i = 0; i < r->vector.count; i++)
        fprintf(out, "sundesk_replication_applied_seq{origin=\"%s\"} %llu\n",
                r->vector.entries[i].origin, (unsigned long long)r->vector.entries[i].seq);
    /* Lag per origin: the most any upstream holds beyond what we hold. */
    s_head(out, "sundesk_replication_lag_events", "gauge",
           "Events of an origin that an upstream holds and this node does not yet.");
    sd_vector_t seen = {0};
    for (int p = 0; p < r->npeers; p++)
        for (size_t i = 0; i < r->peers[p].vector.count; i++)
            sd_vector_set(&seen, r->peers[p].vector.entries[i].origin, 0);
    for (size_t i = 0; i < r->vector.count; i++)
        sd_vector_set(&seen, r->vector.entries[i].origin, 0);
    for (size_t i = 0; i < seen.count; i++) {
        const char *origin = seen.entries[i].origin;
        uint64_t have = sd_vector_get(&r->vector, origin), lag = 0;
        for (int p = 0; p < r->npeers; p++) {
            uint64_t theirs = sd_vector_get(&r->peers[p].vector, origin);
            if (theirs > have && theirs - have > lag)
                lag = theirs - have;
        }
        fprintf(out, "sundesk_replication_lag_events{origin=\"%s\"} %llu\n", origin,
                (unsigned long long)lag);
    }
    s_head(out, "sundesk_replication_peer_connected", "gauge",
           "1 when the upstream's heartbeat came within three periods.");
    for (int p = 0; p < r->npeers; p++)
        fprintf(out, "sundesk_replication_peer_connected{peer=\"%s\"} %d\n", r->peers[p].site,
                r->peers[p].connected ? 1 : 0);
    s_head(out, "sundesk_replication_lag_seconds", "gauge",
           "How long this node has been behind the upstream (0 when caught up).");
    for (int p = 0; p < r->npeers; p++)
        fprintf(out, "sundesk_replication_lag_seconds{peer=\"%s\"} %.3f\n", r->peers[p].site,
                (double)r->peers[p].lag_ms / 1000);
    s_head(out, "sundesk_replication_refused_events_total", "counter",
           "Events the upstream sent that it may not send (not its origin, malformed).");
    for (int p = 0; p < r->npeers; p++)
        fprintf(out, "sundesk_replication_refused_events_total{peer=\"%s\"} %llu\n",
                r->peers[p].site, (unsigned long long)r->peers[p].refused);
    s_head(out, "sundesk_replication_applied_events_total", "counter",
           "Events from the upstream applied, as it published them or from sync (repairs).");
    for (int p = 0; p < r->npeers; p++)
        fprintf(out,
                "sundesk_replication_applied_events_total{peer=\"%s\",via=\"publish\"} %llu\n"
                "sundesk_replication_applied_events_total{peer=\"%s\",via=\"sync\"} %llu\n",
                r->peers[p].site, (unsigned long long)r->peers[p].applied_pub, r->peers[p].site,
                (unsigned long long)r->peers[p].applied_sync);
}

void sd_metrics_render(FILE *out, const sd_node_stats_t *n, const sd_replica_stats_t *repl)
{
    s_head(out, "sundesk_info", "gauge", "The node: its site, role and version.");
    fprintf(out, "sundesk_info{site=\"%s\",role=\"%s\",version=\"%s\"} 1\n", n->site, n->role,
            n->version);
    s_head(out, "sundesk_uptime_seconds", "gauge", "Seconds since the node started.");
    fprintf(out, "sundesk_uptime_seconds %.3f\n", (double)n->uptime_ms / 1000);
    s_one(out, "sundesk_requests_total", "counter", "Client requests answered.", n->requests);
    s_one(out, "sundesk_request_errors_total", "counter", "Client requests answered with an error.",
          n->errors);
    s_one(out, "sundesk_commits_total", "counter", "Durable write transactions of client writes.",
          n->commits);
    s_one(out, "sundesk_writes_total", "counter", "Client writes committed.", n->writes);
    s_one(out, "sundesk_client_busy_total", "counter",
          "Client requests answered busy: the client had not read its earlier replies.", n->busy);
    s_one(out, "sundesk_client_replies_dropped_total", "counter",
          "Client replies never delivered: the client did not read them, or went away.",
          n->replies_dropped);
    s_one(out, "sundesk_client_reply_bytes_waiting", "gauge",
          "Reply bytes waiting for clients that read slower than the node answers.",
          n->reply_bytes_waiting);
    s_one(out, "sundesk_sla_breaches_total", "counter",
          "Tickets held by this node whose SLA is breached, by any site.", n->sla_breaches);
    s_head(out, "sundesk_tickets", "gauge", "Tickets held, by status.");
    for (int i = 0; i < SD_STATUS_COUNT_; i++)
        fprintf(out, "sundesk_tickets{status=\"%s\"} %llu\n", sd_status_name(i),
                (unsigned long long)n->tickets[i]);
    s_one(out, "sundesk_store_map_bytes", "gauge", "Size of the store's LMDB map.", n->map_bytes);
    s_one(out, "sundesk_store_used_bytes", "gauge", "Bytes of the map in use.", n->used_bytes);
    s_one(out, "sundesk_restoring", "gauge",
          "1 while a node restored from a backup refuses writes to catch up.", n->restoring);
    if (repl)
        s_render_repl(out, repl);
}
