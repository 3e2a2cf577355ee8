/* bench_http_client.c - a minimal HTTP/1.1 keep-alive client over one TCP socket, for benchmarks.
 */
#include "bench_http_client.h"

#include "../../proto/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define S_BUF (256 * 1024) /* a ticket as JSON is about 1 KiB; a list page fits too */

struct sd_bench_http {
    int fd;          /* the connected socket */
    int port;        /* for the Host header */
    char buf[S_BUF]; /* the request being sent, then the response being read */
};

int sd_bench_http_connect(int port, int timeout_ms, sd_bench_http_t **out)
{
    sd_bench_http_t *h = calloc(1, sizeof *h);
    if (!h)
        return SD_ENOMEM;
    h->port = port;
    h->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int one = 1;
    if (h->fd < 0 || setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
        setsockopt(h->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        setsockopt(h->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0 ||
        connect(h->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if (h->fd >= 0)
            close(h->fd);
        free(h);
        return SD_EIO;
    }
    *out = h;
    return 0;
}

void sd_bench_http_close(sd_bench_http_t **h)
{
    if (!h || !*h)
        return;
    close((*h)->fd);
    free(*h);
    *h = NULL;
}

static int s_send_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? SD_ETIMEOUT : SD_EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads more bytes into buf[*have..cap). EOF is an error: keep-alive was asked for, and a
 * close in the middle of a response loses it. */
static int s_recv_more(int fd, char *buf, size_t *have, size_t cap)
{
    if (*have >= cap)
        return SD_ETOOBIG;
    for (;;) {
        ssize_t n = recv(fd, buf + *have, cap - *have, 0);
        if (n > 0) {
            *have += (size_t)n;
            return 0;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return SD_ETIMEOUT;
        return SD_EIO;
    }
}

/* The value of header name in the header block head[0..len) (which starts after the status
 * line's CRLF), or NULL; *vlen its bytes without surrounding blanks. */
static const char *s_header(const char *head, size_t len, const char *name, size_t *vlen)
{
    size_t nlen = strlen(name);
    const char *end = head + len;
    for (const char *line = head; line < end;) {
        const char *eol = memchr(line, '\r', (size_t)(end - line));
        if (!eol)
            eol = end;
        if ((size_t)(eol - line) > nlen && line[nlen] == ':' && !strncasecmp(line, name, nlen)) {
            const char *v = line + nlen + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            const char *ve = eol;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            *vlen = (size_t)(ve - v);
            return v;
        }
        line = eol + 2;
    }
    return NULL;
}

/* Parses the status line and headers of the response in buf[0..head_len), head_len ending
 * with the blank line; *body_len from Content-Length. */
static int s_parse_head(const char *buf, size_t head_len, sd_bench_http_resp_t *resp,
                        size_t *body_len)
{
    if (head_len < 14 || strncmp(buf, "HTTP/1.1 ", 9) != 0)
        return SD_EFRAMING;
    int status = 0;
    for (int i = 9; i < 12; i++) {
        if (buf[i] < '0' || buf[i] > '9')
            return SD_EFRAMING;
        status = status * 10 + (buf[i] - '0');
    }
    const char *eol = strstr(buf, "\r\n");
    const char *head = eol + 2;
    size_t hlen = head_len - (size_t)(head - buf);
    size_t vlen;
    const char *v = s_header(head, hlen, "Transfer-Encoding", &vlen);
    if (v)
        return SD_EFRAMING; /* chunked: never for a one-shot answer of the API */
    v = s_header(head, hlen, "Connection", &vlen);
    bool closing = v && vlen == 5 && !strncasecmp(v, "close", 5);
    *body_len = 0;
    v = s_header(head, hlen, "Content-Length", &vlen);
    if (v) {
        for (size_t i = 0; i < vlen; i++) {
            if (v[i] < '0' || v[i] > '9' || *body_len > S_BUF)
                return SD_EFRAMING;
            *body_len = *body_len * 10 + (size_t)(v[i] - '0');
        }
    } else if (status != 204 && status != 304 && status >= 200) {
        return SD_EFRAMING; /* the body would run until close */
    }
    resp->status = status;
    resp->location = s_header(head, hlen, "Location", &resp->location_len);
    if (!resp->location)
        resp->location_len = 0;
    /* The answer is whole, but the next request would meet a closed socket. */
    return closing ? SD_EIO : 0;
}

int sd_bench_http_call(sd_bench_http_t *h, const char *method, const char *path, const char *token,
                       const char *body, size_t body_len, sd_bench_http_resp_t *resp)
{
    int n = snprintf(h->buf, sizeof h->buf, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", method,
                     path, h->port);
    if (n > 0 && token && (size_t)n < sizeof h->buf)
        n += snprintf(h->buf + n, sizeof h->buf - (size_t)n, "Authorization: Bearer %s\r\n", token);
    if (n > 0 && body && (size_t)n < sizeof h->buf)
        n += snprintf(h->buf + n, sizeof h->buf - (size_t)n,
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n", body_len);
    if (n > 0 && (size_t)n < sizeof h->buf)
        n += snprintf(h->buf + n, sizeof h->buf - (size_t)n, "\r\n");
    if (n < 0 || (size_t)n + (body ? body_len : 0) >= sizeof h->buf)
        return SD_ETOOBIG;
    if (body) {
        memcpy(h->buf + n, body, body_len);
        n += (int)body_len;
    }
    int rc = s_send_all(h->fd, h->buf, (size_t)n);
    if (rc)
        return rc;

    /* Headers, then the body; buf is NUL-terminated after each read for strstr. */
    size_t have = 0, head_len = 0, blen = 0;
    while (!head_len) {
        rc = s_recv_more(h->fd, h->buf, &have, sizeof h->buf - 1);
        if (rc)
            return rc;
        h->buf[have] = 0;
        const char *end = strstr(h->buf, "\r\n\r\n");
        if (end)
            head_len = (size_t)(end + 4 - h->buf);
    }
    rc = s_parse_head(h->buf, head_len, resp, &blen);
    if (rc)
        return rc;
    if (blen > sizeof h->buf - 1 - head_len)
        return SD_ETOOBIG;
    while (have < head_len + blen)
        if ((rc = s_recv_more(h->fd, h->buf, &have, head_len + blen)) != 0)
            return rc;
    /* One request in flight: anything more is a second answer we never asked for. */
    if (have != head_len + blen)
        return SD_EFRAMING;
    h->buf[have] = 0;
    resp->body = blen ? h->buf + head_len : NULL;
    resp->body_len = blen;
    return 0;
}
