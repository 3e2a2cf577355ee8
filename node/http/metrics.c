/* metrics.c - Prometheus text at /metrics over libmicrohttpd (metrics.h). */
#include "metrics.h"

#include "error.h"
#include "log.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct sd_metrics {
    struct MHD_Daemon *daemon; /* the HTTP server and its thread */
    pthread_mutex_t lock;      /* guards text and len: written by the server thread */
    char *text;                /* latest exposition text */
    size_t len;                /* its length */
};

static enum MHD_Result s_reply(struct MHD_Connection *conn, unsigned status, const char *body,
                               size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            status == MHD_HTTP_OK ? CONTENT_TYPE : "text/plain; charset=utf-8");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result rc = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* One HTTP request: GET or HEAD of /metrics; everything else is refused. */
static enum MHD_Result s_handle(void *cls, struct MHD_Connection *conn, const char *url,
                                const char *method, const char *version, const char *upload,
                                size_t *upload_size, void **state)
{
    (void)version, (void)upload, (void)state;
    sd_metrics_t *m = cls;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return s_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET /metrics\n", 18);
    if (*upload_size) { /* a GET with a body: ignore the body */
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(url, "/metrics") != 0)
        return s_reply(conn, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n", 24);
    pthread_mutex_lock(&m->lock);
    enum MHD_Result rc = s_reply(conn, MHD_HTTP_OK, m->text ? m->text : "", m->len);
    pthread_mutex_unlock(&m->lock);
    return rc;
}

int sd_metrics_start(const sd_metrics_config_t *cfg, sd_metrics_t **out, char *err, size_t cap)
{
    *out = NULL;
    const char *address = cfg->address[0] ? cfg->address : "127.0.0.1";
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port)};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)cfg->port)};
    const struct sockaddr *sa = (const struct sockaddr *)&v4;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
    if (inet_pton(AF_INET6, address, &v6.sin6_addr) == 1) {
        sa = (const struct sockaddr *)&v6;
        flags |= MHD_USE_IPv6;
    } else if (inet_pton(AF_INET, address, &v4.sin_addr) != 1) {
        snprintf(err, cap, "metrics: '%s' is not a numeric IPv4 or IPv6 address", address);
        return SD_ECONFIG;
    }
    sd_metrics_t *m = calloc(1, sizeof *m);
    if (!m)
        return SD_ENOMEM;
    pthread_mutex_init(&m->lock, NULL);
    /* Few, short-lived connections: a scraper, maybe an administrator's curl. */
    m->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, s_handle, m,
                                 MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_CONNECTION_LIMIT, 16u,
                                 MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
    if (!m->daemon) {
        snprintf(err, cap, "metrics: cannot serve on %s port %d (in use, or not this host's)",
                 address, cfg->port);
        pthread_mutex_destroy(&m->lock);
        free(m);
        return SD_EIO;
    }
    sd_log(SD_LOG_INFO, "metrics: url=http://%s%s%s:%d/metrics", sa == (void *)&v6 ? "[" : "",
           address, sa == (void *)&v6 ? "]" : "", cfg->port);
    *out = m;
    return 0;
}

void sd_metrics_stop(sd_metrics_t **metrics)
{
    if (!metrics || !*metrics)
        return;
    sd_metrics_t *m = *metrics;
    MHD_stop_daemon(m->daemon);
    pthread_mutex_destroy(&m->lock);
    free(m->text);
    free(m);
    *metrics = NULL;
}

void sd_metrics_publish(sd_metrics_t *m, const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return; /* scrapes keep the previous text */
    memcpy(copy, text, len);
    copy[len] = 0;
    pthread_mutex_lock(&m->lock);
    char *old = m->text;
    m->text = copy;
    m->len = len;
    pthread_mutex_unlock(&m->lock);
    free(old);
}

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

static void s_render_repl(FILE *out, const sd_replica_stats_t *r)
{
    s_one(out, "sundesk_replication_refused_connections_total", "counter",
          "CURVE handshakes refused (unknown keys, plaintext clients).", r->refused_connections);
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
    s_one(out, "sundesk_sla_breaches_total", "counter",
          "SLA breach events held by this node, made by any site.", n->sla_breaches);
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
