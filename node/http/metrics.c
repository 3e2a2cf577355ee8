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
