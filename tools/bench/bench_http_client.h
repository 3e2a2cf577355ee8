/* bench_http_client.h - a minimal HTTP/1.1 keep-alive client over one TCP socket, for benchmarks.
 *
 * Plain sockets, no library: the benchmark measures the node's HTTP path, and a client library
 * would add its own cost and a dependency. One request in flight; the response must carry
 * Content-Length (or be 204/304); chunked responses are refused. Not thread-safe: one per thread.
 * Error codes (SD_E*) are those of proto/error.h. */
#ifndef SD_BENCH_HTTP_CLIENT_H
#define SD_BENCH_HTTP_CLIENT_H

#include <stddef.h>

/* One connection; the caller's, freed with sd_bench_http_close(). */
typedef struct sd_bench_http sd_bench_http_t;

/* One response. Everything points into the connection's buffer and stays valid until its
 * next call or close. */
typedef struct {
    int status;           /* e.g. 201 */
    const char *body;     /* the body (not NUL-terminated), NULL when empty */
    size_t body_len;      /* its bytes */
    const char *location; /* the Location header's value (not NUL-terminated), or NULL */
    size_t location_len;  /* its bytes */
} sd_bench_http_resp_t;

/* Connects to 127.0.0.1:port with TCP_NODELAY (a request goes out in one write, and Nagle would
 * only delay it) and timeout_ms on every send and receive.
 * Returns 0 and *out (the caller's), SD_EIO when the connection is refused or fails, SD_ENOMEM. */
int sd_bench_http_connect(int port, int timeout_ms, sd_bench_http_t **out);

/* Closes and frees; NULL-safe, nulls *h. */
void sd_bench_http_close(sd_bench_http_t **h);

/* Sends `METHOD PATH HTTP/1.1` with Host, `Authorization: Bearer token` (when token is not NULL)
 * and, with a body, `Content-Type: application/json` and Content-Length; then reads one whole
 * response into *resp.
 * Returns 0 (whatever the status); SD_ETIMEOUT when the server did not answer in time; SD_EIO
 * when the connection broke or the server closed it (keep-alive was expected); SD_EFRAMING for
 * a response that is no HTTP/1.1 response this client understands (chunked, no length, bytes
 * beyond it); SD_ETOOBIG when the request or the response does not fit the connection's
 * 256 KiB buffer. After an error the connection is unusable: close it. */
int sd_bench_http_call(sd_bench_http_t *h, const char *method, const char *path, const char *token,
                       const char *body, size_t body_len, sd_bench_http_resp_t *resp);

#endif
