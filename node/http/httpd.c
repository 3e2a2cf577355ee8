/* httpd.c - libmicrohttpd under httpd.h: a thread per connection, whole bodies, one answer. */
#include "httpd.h"

#include "error.h"
#include "log.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SD_HTTP_HEADERS_MAX 16 /* headers an answer may carry beside MHD's own */

struct sd_httpd {
    struct MHD_Daemon *daemon; /* the server and its threads */
    sd_httpd_fn fn;            /* the handler */
    void *arg;                 /* ... and its argument */
    size_t max_body;           /* bytes of a body kept */
    char *cert, *key;          /* TLS PEM texts (MHD keeps pointers to them) */
};

struct sd_http_req {
    struct MHD_Connection *conn;            /* the connection it came on */
    const char *method, *path;              /* from MHD, valid while the request lives */
    char *body;                             /* the body so far (heap) */
    size_t len, cap;                        /* its length and allocation */
    bool too_big;                           /* over max_body: the rest was dropped */
    bool answered;                          /* a response was queued */
    bool tls;                               /* on a TLS connection */
    char client[64];                        /* the peer's address */
    char *headers[2 * SD_HTTP_HEADERS_MAX]; /* name, value pairs for the answer (heap) */
    int nheaders;                           /* pairs used */
};

static void s_req_free(sd_http_req_t *req)
{
    if (!req)
        return;
    for (int i = 0; i < 2 * req->nheaders; i++)
        free(req->headers[i]);
    free(req->body);
    free(req);
}

/* MHD is done with a request (answered, or the client left): free its state. */
static void s_completed(void *cls, struct MHD_Connection *conn, void **state,
                        enum MHD_RequestTerminationCode code)
{
    (void)cls, (void)conn, (void)code;
    s_req_free(*state);
    *state = NULL;
}

static void s_client(struct MHD_Connection *conn, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, cap, "?");
    if (!info || !info->client_addr)
        return;
    char host[INET6_ADDRSTRLEN] = "?";
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        snprintf(out, cap, "%s:%u", host, ntohs(in->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        snprintf(out, cap, "[%s]:%u", host, ntohs(in6->sin6_port));
    }
}

/* Keeps a piece of the body; past max_body the body is dropped and marked too big. */
static void s_take_body(sd_httpd_t *h, sd_http_req_t *req, const char *data, size_t size)
{
    if (req->too_big || size == 0)
        return;
    if (size > h->max_body - req->len) {
        req->too_big = true;
        free(req->body);
        req->body = NULL;
        req->len = req->cap = 0;
        return;
    }
    if (req->len + size > req->cap) {
        size_t cap = req->cap ? req->cap : 4096;
        while (cap < req->len + size)
            cap *= 2;
        char *grown = realloc(req->body, cap);
        if (!grown) { /* treated as too big: the client gets 413, the node keeps going */
            req->too_big = true;
            return;
        }
        req->body = grown;
        req->cap = cap;
    }
    memcpy(req->body + req->len, data, size);
    req->len += size;
}

/* A Content-Length above the limit is answered before the body is read at all. */
static bool s_declared_too_big(sd_httpd_t *h, struct MHD_Connection *conn)
{
    const char *cl =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!cl)
        return false;
    char *end;
    unsigned long long n = strtoull(cl, &end, 10);
    return end != cl && n > h->max_body;
}

static void s_run_handler(sd_httpd_t *h, sd_http_req_t *req)
{
    h->fn(h->arg, req);
    if (!req->answered)
        sd_http_reply(req, 500, "text/plain; charset=utf-8", "no answer\n", 10);
}

static enum MHD_Result s_access(void *cls, struct MHD_Connection *conn, const char *url,
                                const char *method, const char *version, const char *upload,
                                size_t *upload_size, void **state)
{
    (void)version;
    sd_httpd_t *h = cls;
    sd_http_req_t *req = *state;
    if (!req) { /* the headers are in: set up, and wait for the body */
        if (!(req = calloc(1, sizeof *req)))
            return MHD_NO;
        req->conn = conn;
        req->method = method;
        req->path = url;
        const union MHD_ConnectionInfo *tls =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_PROTOCOL);
        req->tls = tls && tls->protocol != 0;
        s_client(conn, req->client, sizeof req->client);
        *state = req;
        if (s_declared_too_big(h, conn)) {
            req->too_big = true;
            s_run_handler(h, req);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!req->answered)
            s_take_body(h, req, upload, *upload_size);
        *upload_size = 0;
        /* A body that grew past the limit is answered now; MHD drops the rest and closes. */
        if (req->too_big && !req->answered)
            s_run_handler(h, req);
        return MHD_YES;
    }
    if (!req->answered)
        s_run_handler(h, req);
    return MHD_YES;
}

static char *s_read_file(const char *name, const char *path, char *err, size_t cap)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && size < (1 << 20) &&
        fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)) &&
        fread(text, 1, (size_t)size, f) == (size_t)size) {
        text[size] = 0;
        fclose(f);
        return text;
    }
    snprintf(err, cap, "%s: cannot read %s (a PEM file under 1 MiB)", name, path);
    free(text);
    if (f)
        fclose(f);
    return NULL;
}

static void s_free(sd_httpd_t *h)
{
    free(h->cert);
    if (h->key) {
        memset(h->key, 0, strlen(h->key)); /* a private key does not linger in freed memory */
        free(h->key);
    }
    free(h);
}

int sd_httpd_start(const sd_httpd_opts_t *o, sd_httpd_fn fn, void *arg, sd_httpd_t **out, char *err,
                   size_t cap)
{
    *out = NULL;
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)o->port)};
    const struct sockaddr *sa = (const struct sockaddr *)&v4;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
    if (inet_pton(AF_INET6, o->address, &v6.sin6_addr) == 1) {
        sa = (const struct sockaddr *)&v6;
        flags |= MHD_USE_IPv6;
    } else if (inet_pton(AF_INET, o->address, &v4.sin_addr) != 1) {
        snprintf(err, cap, "%s: '%s' is not a numeric IPv4 or IPv6 address", o->name, o->address);
        return SD_ECONFIG;
    }
    sd_httpd_t *h = calloc(1, sizeof *h);
    if (!h)
        return SD_ENOMEM;
    h->fn = fn;
    h->arg = arg;
    h->max_body = o->max_body;
    if (o->tls_cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            snprintf(err, cap, "%s: this libmicrohttpd was built without TLS", o->name);
            s_free(h);
            return SD_ECONFIG;
        }
        if (!(h->cert = s_read_file(o->name, o->tls_cert, err, cap)) ||
            !(h->key = s_read_file(o->name, o->tls_key, err, cap))) {
            s_free(h);
            return SD_ECONFIG;
        }
        flags |= MHD_USE_TLS;
    }
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, h->cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, h->key},
        {MHD_OPTION_END, 0, NULL},
    };
    h->daemon = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, s_access, h,
                                 MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_CONNECTION_LIMIT,
                                 o->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
                                 o->idle_timeout_s, MHD_OPTION_NOTIFY_COMPLETED, s_completed, h,
                                 MHD_OPTION_ARRAY, h->cert ? tls : tls + 2, MHD_OPTION_END);
    if (!h->daemon) {
        snprintf(err, cap,
                 "%s: cannot serve on %s port %d (in use, not this host's, or a bad "
                 "TLS certificate or key)",
                 o->name, o->address, o->port);
        s_free(h);
        return SD_EIO;
    }
    *out = h;
    return 0;
}

void sd_httpd_stop(sd_httpd_t **server)
{
    if (!server || !*server)
        return;
    MHD_stop_daemon((*server)->daemon);
    s_free(*server);
    *server = NULL;
}

const char *sd_http_method(const sd_http_req_t *req)
{
    return req->method;
}

const char *sd_http_path(const sd_http_req_t *req)
{
    return req->path;
}

const char *sd_http_header(const sd_http_req_t *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *sd_http_cookie(const sd_http_req_t *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

typedef struct {
    int (*fn)(void *arg, const char *key, const char *value); /* the caller's function */
    void *arg;                                                /* ... its argument */
    int rc;                                                   /* its first non-zero return */
} s_each_t;

static enum MHD_Result s_each(void *cls, enum MHD_ValueKind kind, const char *key,
                              const char *value)
{
    (void)kind;
    s_each_t *e = cls;
    e->rc = e->fn(e->arg, key, value);
    return e->rc ? MHD_NO : MHD_YES;
}

int sd_http_query_each(const sd_http_req_t *req,
                       int (*fn)(void *arg, const char *key, const char *value), void *arg)
{
    s_each_t e = {fn, arg, 0};
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, s_each, &e);
    return e.rc;
}

const char *sd_http_body(const sd_http_req_t *req, size_t *len)
{
    *len = req->len;
    return req->body;
}

bool sd_http_body_too_big(const sd_http_req_t *req)
{
    return req->too_big;
}

bool sd_http_is_tls(const sd_http_req_t *req)
{
    return req->tls;
}

const char *sd_http_client(const sd_http_req_t *req)
{
    return req->client;
}

void sd_http_add_header(sd_http_req_t *req, const char *name, const char *value)
{
    if (req->nheaders == SD_HTTP_HEADERS_MAX) {
        sd_log(SD_LOG_WARNING, "http: header dropped (more than %d): %s", SD_HTTP_HEADERS_MAX,
               name);
        return;
    }
    char *n = strdup(name), *v = strdup(value);
    if (!n || !v) {
        free(n);
        free(v);
        return;
    }
    req->headers[2 * req->nheaders] = n;
    req->headers[2 * req->nheaders + 1] = v;
    req->nheaders++;
}

/* Puts the kept headers and ctype on resp and queues it. */
static int s_queue(sd_http_req_t *req, unsigned status, const char *ctype,
                   struct MHD_Response *resp)
{
    if (!resp)
        return SD_ENOMEM;
    if (ctype)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    for (int i = 0; i < req->nheaders; i++)
        MHD_add_response_header(resp, req->headers[2 * i], req->headers[2 * i + 1]);
    enum MHD_Result rc = MHD_queue_response(req->conn, status, resp);
    MHD_destroy_response(resp);
    req->answered = true; /* even when queueing failed: MHD then closes the connection */
    return rc == MHD_YES ? 0 : SD_EIO;
}

int sd_http_reply(sd_http_req_t *req, unsigned status, const char *ctype, const void *body,
                  size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    return s_queue(req, status, ctype, resp);
}

typedef struct {
    sd_http_read_fn read; /* the caller's reader */
    void *arg;            /* ... its argument */
    void (*done)(void *); /* ... and its end */
} s_stream_t;

static ssize_t s_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    s_stream_t *st = cls;
    ssize_t n = st->read(st->arg, buf, max);
    return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

static void s_stream_done(void *cls)
{
    s_stream_t *st = cls;
    if (st->done)
        st->done(st->arg);
    free(st);
}

int sd_http_stream(sd_http_req_t *req, unsigned status, const char *ctype, sd_http_read_fn read,
                   void *arg, void (*done)(void *arg))
{
    s_stream_t *st = malloc(sizeof *st);
    if (!st) {
        if (done)
            done(arg);
        req->answered = true;
        return SD_ENOMEM;
    }
    *st = (s_stream_t){read, arg, done};
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, s_stream_read, st, s_stream_done);
    if (!resp) {
        s_stream_done(st);
        req->answered = true;
        return SD_ENOMEM;
    }
    return s_queue(req, status, ctype, resp);
}
