/* httpd.h - an HTTP/1.1 server for the node's web parts: libmicrohttpd behind a small interface.
 *
 * httpd.c is the one file that includes <microhttpd.h>. A server runs its own threads (one per
 * connection, at most `max_connections`), never the node's loop: a handler may block (it waits
 * for the node's reply over ZeroMQ, or for changes on a live stream) without stalling anything
 * but its own connection. Each request reaches the handler once, with its whole body (at most
 * `max_body` bytes; a larger one reaches it with sd_http_body_too_big() true and no body, so the
 * handler can answer 413 in its own format). The handler answers exactly once, with
 * sd_http_reply() or sd_http_stream(); a handler that does not gets a bare 500.
 *
 * Errors: sd_httpd_start returns SD_ECONFIG (a bad address or TLS file: one line in err),
 * SD_EIO (the port is in use or the address not this host's), SD_ENOMEM. */
#ifndef SD_HTTPD_H
#define SD_HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct sd_httpd sd_httpd_t;
typedef struct sd_http_req sd_http_req_t; /* one request being served; lives until answered */

typedef struct {
    const char *name;         /* what it serves, first word of error lines ("metrics") */
    const char *address;      /* numeric IPv4 or IPv6 address to bind */
    int port;                 /* TCP port */
    const char *tls_cert;     /* PEM file of the certificate chain, or NULL for plain HTTP */
    const char *tls_key;      /* PEM file of its private key, or NULL */
    unsigned max_connections; /* connections served at once; more wait in the listen queue */
    size_t max_body;          /* bytes of a request body accepted */
    unsigned idle_timeout_s;  /* a connection silent this long is closed */
} sd_httpd_opts_t;

/* Serves one request; runs on the connection's thread. */
typedef void (*sd_httpd_fn)(void *arg, sd_http_req_t *req);

/* Starts serving. fn and arg must outlive the server. Returns 0 and *out, or an error above. */
int sd_httpd_start(const sd_httpd_opts_t *opts, sd_httpd_fn fn, void *arg, sd_httpd_t **out,
                   char *err, size_t cap);

/* Stops accepting, waits for every connection thread to end (streams end when their reader
 * says so: make them end first), frees; NULL-safe, nulls *server. */
void sd_httpd_stop(sd_httpd_t **server);

/* ---- the request (all strings borrowed from req) ---------------------------------------- */

const char *sd_http_method(const sd_http_req_t *req); /* "GET", "POST", ... */
const char *sd_http_path(const sd_http_req_t *req);   /* the path, without the query */
/* A request header, case-insensitive name; NULL when absent. */
const char *sd_http_header(const sd_http_req_t *req, const char *name);
/* A cookie's value; NULL when absent. */
const char *sd_http_cookie(const sd_http_req_t *req, const char *name);
/* Calls fn for each query parameter in order (value NULL for "?flag"); stops at the first
 * non-zero return of fn and returns it; 0 when all were seen. */
int sd_http_query_each(const sd_http_req_t *req,
                       int (*fn)(void *arg, const char *key, const char *value), void *arg);
/* The request body (not NUL-terminated; NULL and 0 when none). */
const char *sd_http_body(const sd_http_req_t *req, size_t *len);
/* True when the body was over max_body (then it was not kept). */
bool sd_http_body_too_big(const sd_http_req_t *req);
/* True when the connection is TLS. */
bool sd_http_is_tls(const sd_http_req_t *req);
/* The client's address, for logs ("127.0.0.1:53124"). */
const char *sd_http_client(const sd_http_req_t *req);

/* ---- the answer ------------------------------------------------------------------------ */

/* Adds a header to the answer to come (copied; at most 16 per answer, more are dropped with a
 * log line). */
void sd_http_add_header(sd_http_req_t *req, const char *name, const char *value);

/* Answers with status and body[0..len) (copied) of content type ctype (NULL: no body type).
 * Returns 0, or SD_ENOMEM / SD_EIO when the answer could not be queued. */
int sd_http_reply(sd_http_req_t *req, unsigned status, const char *ctype, const void *body,
                  size_t len);

/* Reads the next piece of a streamed answer into buf[0..max): returns the bytes written (> 0),
 * 0 to be called again at once, or -1 to end the stream. It may block (it runs on the
 * connection's thread); it should return within a second so that a stopping server ends. */
typedef ssize_t (*sd_http_read_fn)(void *arg, char *buf, size_t max);

/* Answers with status and a body read piece by piece from read(arg), of unknown length
 * (chunked); done(arg) runs once when the stream ends or the client went away. Returns 0 or
 * SD_ENOMEM / SD_EIO (then done has already run). */
int sd_http_stream(sd_http_req_t *req, unsigned status, const char *ctype, sd_http_read_fn read,
                   void *arg, void (*done)(void *arg));

#endif
