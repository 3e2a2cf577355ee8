/* metrics.c - Prometheus text at /metrics over the node's HTTP server (httpd.h). */
#include "metrics.h"

#include "error.h"
#include "httpd.h"
#include "log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define TEXT         "text/plain; charset=utf-8"

struct sd_metrics {
    sd_httpd_t *httpd;    /* the HTTP server and its threads */
    pthread_mutex_t lock; /* guards text and len: written by the server thread */
    char *text;           /* latest exposition text */
    size_t len;           /* its length */
};

/* One HTTP request: GET or HEAD of /metrics; everything else is refused. */
static void s_handle(void *arg, sd_http_req_t *req)
{
    sd_metrics_t *m = arg;
    const char *method = sd_http_method(req);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        sd_http_add_header(req, "Allow", "GET, HEAD");
        sd_http_reply(req, 405, TEXT, "only GET /metrics\n", 18);
        return;
    }
    if (strcmp(sd_http_path(req), "/metrics") != 0) {
        sd_http_reply(req, 404, TEXT, "not found: try /metrics\n", 24);
        return;
    }
    pthread_mutex_lock(&m->lock);
    sd_http_reply(req, 200, CONTENT_TYPE, m->text ? m->text : "", m->len);
    pthread_mutex_unlock(&m->lock);
}

int sd_metrics_start(const sd_metrics_config_t *cfg, sd_metrics_t **out, char *err, size_t cap)
{
    *out = NULL;
    const char *address = cfg->address[0] ? cfg->address : "127.0.0.1";
    sd_metrics_t *m = calloc(1, sizeof *m);
    if (!m)
        return SD_ENOMEM;
    pthread_mutex_init(&m->lock, NULL);
    /* Few, short-lived connections: a scraper, maybe an administrator's curl. */
    sd_httpd_opts_t opts = {.name = "metrics",
                            .address = address,
                            .port = cfg->port,
                            .max_connections = 16,
                            .max_body = 0,
                            .idle_timeout_s = 10};
    int rc = sd_httpd_start(&opts, s_handle, m, &m->httpd, err, cap);
    if (rc) {
        pthread_mutex_destroy(&m->lock);
        free(m);
        return rc;
    }
    bool v6 = strchr(address, ':') != NULL;
    sd_log(SD_LOG_INFO, "metrics: url=http://%s%s%s:%d/metrics", v6 ? "[" : "", address,
           v6 ? "]" : "", cfg->port);
    *out = m;
    return 0;
}

void sd_metrics_stop(sd_metrics_t **metrics)
{
    if (!metrics || !*metrics)
        return;
    sd_metrics_t *m = *metrics;
    sd_httpd_stop(&m->httpd);
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
