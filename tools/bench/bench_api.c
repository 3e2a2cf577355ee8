/* bench_api.c - HTTP vs msgpack: durable creates, then reads of them, on one running node. */
#include "bench_api.h"

#include "bench_http_client.h"
#include "bench_node.h"
#include "bench_payload.h"
#include "bench_threads.h"

#include "client.h"
#include "error.h"
#include "mp.h"
#include "request.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_ID_MAX     48 /* a ticket id, "APAC-000042", with room */
#define S_TICKETS    "/api/v1/tickets/"
#define S_TICKETS_SZ (sizeof S_TICKETS - 1)

/* One client: the runner's part first, so that the body can cast back. */
typedef struct {
    sd_bench_client_t base;
    const sd_bench_api_spec_t *spec; /* the run's */
    bool reading;                    /* the second phase: read back what was created */
    char (*ids)[S_ID_MAX];           /* the tickets this client created, in order; owned */
    int nids;                        /* entries of ids */
    int failures;                    /* requests not answered 201 / 200 / ok */
    char why[256];                   /* the first error, for the report */
} s_client_t;

const char *sd_bench_api_name(sd_bench_api_t api)
{
    return api == SD_BENCH_API_HTTP ? "HTTP" : "msgpack";
}

/* Title of ticket seq of client index; short, as a title typed in a form. */
static void s_title(char *buf, size_t cap, int client, int seq)
{
    snprintf(buf, cap, "bench c%03d #%06d", client, seq);
}

static int s_keep_id(s_client_t *c, const char *id, size_t len)
{
    if (len == 0 || len >= S_ID_MAX || c->nids >= c->base.tickets) {
        snprintf(c->why, sizeof c->why, "unexpected ticket id '%.*s'", (int)(len % 64), id);
        return SD_ECORRUPT;
    }
    memcpy(c->ids[c->nids], id, len);
    c->ids[c->nids++][len] = 0;
    return 0;
}

/* ---- HTTP ---------------------------------------------------------------------------------- */

/* A complete answer with another status than want: refused, counted, the run goes on. */
static int s_http_status(s_client_t *c, const char *what, const sd_bench_http_resp_t *r, int want)
{
    if (r->status == want)
        return 0;
    snprintf(c->why, sizeof c->why, "%s: status %d: %.*s", what, r->status,
             (int)(r->body_len > 160 ? 160 : r->body_len), r->body ? r->body : "");
    return SD_ESTORE;
}

static int s_http_create(s_client_t *c, sd_bench_http_t *h, int seq)
{
    char title[64], body[160];
    s_title(title, sizeof title, c->base.index, seq);
    int n = snprintf(body, sizeof body, "{\"title\":\"%s\",\"impact\":%s,\"urgency\":%s}", title,
                     SD_BENCH_IMPACT, SD_BENCH_URGENCY);
    sd_bench_http_resp_t r;
    int rc = sd_bench_http_call(h, "POST", "/api/v1/tickets", c->spec->token, body, (size_t)n, &r);
    if (rc) {
        snprintf(c->why, sizeof c->why, "POST /api/v1/tickets: %s", sd_strerror(rc));
        return rc;
    }
    rc = s_http_status(c, "POST /api/v1/tickets", &r, 201);
    if (rc)
        return rc;
    if (!r.location || r.location_len <= S_TICKETS_SZ ||
        strncmp(r.location, S_TICKETS, S_TICKETS_SZ) != 0) {
        snprintf(c->why, sizeof c->why, "POST /api/v1/tickets: 201 without a ticket Location");
        return SD_ECORRUPT;
    }
    return s_keep_id(c, r.location + S_TICKETS_SZ, r.location_len - S_TICKETS_SZ);
}

static int s_http_read(s_client_t *c, sd_bench_http_t *h, int seq)
{
    char path[S_TICKETS_SZ + S_ID_MAX], needle[S_ID_MAX + 8];
    snprintf(path, sizeof path, S_TICKETS "%s", c->ids[seq]);
    snprintf(needle, sizeof needle, "\"id\":\"%s\"", c->ids[seq]);
    sd_bench_http_resp_t r;
    int rc = sd_bench_http_call(h, "GET", path, c->spec->token, NULL, 0, &r);
    if (rc) {
        snprintf(c->why, sizeof c->why, "GET %s: %s", path, sd_strerror(rc));
        return rc;
    }
    rc = s_http_status(c, path, &r, 200);
    /* The body is NUL-terminated by the client; the ticket's own id is its first field. */
    if (!rc && (!r.body || !strstr(r.body, needle))) {
        snprintf(c->why, sizeof c->why, "GET %s: the answer is another ticket", path);
        rc = SD_ECORRUPT;
    }
    return rc;
}

/* Connect and make one authenticated request, so that neither the TCP handshake nor the
 * node's first sight of the token is timed (as the msgpack clients ping first). */
static int s_http_setup(s_client_t *c, sd_bench_http_t **h)
{
    int rc = sd_bench_http_connect(c->spec->port, SD_BENCH_CALL_MS, h);
    if (rc) {
        snprintf(c->why, sizeof c->why, "connect 127.0.0.1:%d: %s", c->spec->port, sd_strerror(rc));
        return rc;
    }
    sd_bench_http_resp_t r;
    rc = sd_bench_http_call(*h, "GET", "/api/v1/me", c->spec->token, NULL, 0, &r);
    if (rc)
        snprintf(c->why, sizeof c->why, "GET /api/v1/me: %s", sd_strerror(rc));
    return rc ?: s_http_status(c, "GET /api/v1/me", &r, 200);
}

/* ---- msgpack ------------------------------------------------------------------------------- */

/* Sets argument name of req to value, calls, and copies the answering ticket's id into id. */
static int s_mp_call(s_client_t *c, sd_client_t *cl, sd_request_t *req, const char *name,
                     const char *value, char id[S_ID_MAX])
{
    int rc = sd_bench_set_arg(req, name, value, c->why, sizeof c->why);
    if (rc)
        return rc;
    sd_reply_t reply;
    rc = sd_bench_call_ok(cl, req, &reply, c->why, sizeof c->why);
    if (rc)
        return rc;
    rc = sd_mp_copy_str(sd_mp_get(reply.result, "id"), id, S_ID_MAX);
    sd_reply_clear(&reply);
    if (rc)
        snprintf(c->why, sizeof c->why, "%s: a result without a ticket id",
                 sd_req_op_name(req->op));
    return rc ? SD_ECORRUPT : 0;
}

static int s_mp_create(s_client_t *c, sd_client_t *cl, sd_request_t *req, int seq)
{
    char title[64], id[S_ID_MAX];
    s_title(title, sizeof title, c->base.index, seq);
    int rc = s_mp_call(c, cl, req, "title", title, id);
    return rc ?: s_keep_id(c, id, strlen(id));
}

static int s_mp_read(s_client_t *c, sd_client_t *cl, sd_request_t *req, int seq)
{
    char id[S_ID_MAX];
    int rc = s_mp_call(c, cl, req, "id", c->ids[seq], id);
    if (!rc && strcmp(id, c->ids[seq]) != 0) {
        snprintf(c->why, sizeof c->why, "ticket.get %s: the answer is %s", c->ids[seq], id);
        rc = SD_ECORRUPT;
    }
    return rc;
}

/* Connect, ping, and one auth.whoami with the token, as the HTTP clients GET /api/v1/me; then
 * req is the phase's request with the fields every ticket shares. */
static int s_mp_setup(s_client_t *c, sd_client_t **cl, sd_request_t *req)
{
    int rc = sd_client_new(c->spec->endpoint, SD_BENCH_CALL_MS, cl);
    if (rc) {
        snprintf(c->why, sizeof c->why, "connect %s: %s", c->spec->endpoint, sd_strerror(rc));
        return rc;
    }
    rc = sd_bench_ping(*cl, c->why, sizeof c->why);
    *req = (sd_request_t){.op = SD_REQ_AUTH_WHOAMI, .token = strdup(c->spec->token)};
    if (!req->token)
        return SD_ENOMEM;
    sd_reply_t reply;
    rc = rc ?: sd_bench_call_ok(*cl, req, &reply, c->why, sizeof c->why);
    if (rc)
        return rc;
    sd_reply_clear(&reply);
    req->op = c->reading ? SD_REQ_TICKET_GET : SD_REQ_TICKET_NEW;
    if (c->reading)
        return 0;
    rc = sd_bench_set_arg(req, "impact", SD_BENCH_IMPACT, c->why, sizeof c->why);
    return rc ?: sd_bench_set_arg(req, "urgency", SD_BENCH_URGENCY, c->why, sizeof c->why);
}

/* ---- the client thread --------------------------------------------------------------------- */

/* One request of the phase through the client's door. */
static int s_one(s_client_t *c, sd_bench_http_t *h, sd_client_t *cl, sd_request_t *req, int seq)
{
    if (h)
        return c->reading ? s_http_read(c, h, seq) : s_http_create(c, h, seq);
    return c->reading ? s_mp_read(c, cl, req, seq) : s_mp_create(c, cl, req, seq);
}

/* An sd_bench_body_t: set up, wait at the line, then the client's share one by one. */
static int s_client_main(sd_bench_client_t *base)
{
    s_client_t *c = (s_client_t *)base;
    sd_bench_http_t *h = NULL;
    sd_client_t *cl = NULL;
    sd_request_t req = {0};
    int rc = c->spec->api == SD_BENCH_API_HTTP ? s_http_setup(c, &h) : s_mp_setup(c, &cl, &req);
    if (rc)
        atomic_store(base->stop, 1);

    /* Even a failed client must reach the line, or the main thread waits forever. */
    sd_bench_client_ready(base);

    for (int i = 0; rc == 0 && i < base->tickets; i++) {
        if (atomic_load_explicit(base->stop, memory_order_relaxed) || *c->spec->interrupted)
            break;
        uint64_t t0 = sd_bench_now_usec();
        int one = s_one(c, h, cl, &req, i);
        uint64_t t1 = sd_bench_now_usec();
        if (one == 0) {
            rc = sd_bench_stats_add(base->stats, t1 - t0);
        } else {
            c->failures++;
            /* A refusal (a complete answer) is counted and the run goes on; no answer, a
             * broken one or the wrong ticket ends it: waiting out the timeout per remaining
             * request would only hide that. */
            bool refused = one != SD_ETIMEOUT && one != SD_EIO && one != SD_ENOMEM &&
                           one != SD_EMSGPACK && one != SD_EFRAMING && one != SD_ETOOBIG &&
                           one != SD_ECORRUPT;
            rc = refused ? 0 : one;
        }
        if (rc)
            atomic_store(base->stop, 1);
    }
    sd_request_clear(&req);
    sd_client_destroy(&cl);
    sd_bench_http_close(&h);
    return rc;
}

/* One phase over all clients; failures reported on stderr. */
static int s_phase(const sd_bench_api_spec_t *spec, s_client_t *cs, bool reading,
                   sd_bench_result_t *out)
{
    for (int i = 0; i < spec->clients; i++) {
        cs[i].reading = reading;
        cs[i].failures = 0;
        cs[i].why[0] = 0;
        cs[i].base.rc = 0;
    }
    int rc = sd_bench_threads_run(&(sd_bench_run_t){.clients = cs,
                                                    .size = sizeof *cs,
                                                    .count = spec->clients,
                                                    .tickets = spec->tickets,
                                                    .body = s_client_main,
                                                    .who = "sd-bench-http",
                                                    .interrupted = spec->interrupted},
                                  out);
    int failures = 0;
    const char *why = NULL;
    for (int i = 0; i < spec->clients; i++) {
        failures += cs[i].failures;
        if (!why && (cs[i].base.rc || cs[i].failures) && cs[i].why[0])
            why = cs[i].why;
    }
    const char *what = reading ? "reads" : "creates";
    if (failures)
        fprintf(stderr, "sd-bench-http: %s %s, %d clients: %d failed; first: %s\n",
                sd_bench_api_name(spec->api), what, spec->clients, failures, why ? why : "?");
    else if (why)
        fprintf(stderr, "sd-bench-http: %s %s, %d clients: %s\n", sd_bench_api_name(spec->api),
                what, spec->clients, why);
    return rc;
}

/* The node must hold exactly the tickets the clients were told were made. */
static int s_check_count(const sd_bench_api_spec_t *spec)
{
    uint64_t stored = 0;
    int rc = sd_bench_node_ticket_count(spec->endpoint, &stored);
    if (rc || stored != (uint64_t)spec->tickets) {
        fprintf(stderr, "sd-bench-http: the node holds %llu tickets after %d created (%s)\n",
                (unsigned long long)stored, spec->tickets, rc ? sd_strerror(rc) : "mismatch");
        return rc ? rc : SD_ECORRUPT;
    }
    return 0;
}

int sd_bench_api_run(const sd_bench_api_spec_t *spec, sd_bench_result_t *create,
                     sd_bench_result_t *read)
{
    if (!spec || !spec->endpoint || !spec->token || !spec->interrupted || spec->clients < 1 ||
        spec->clients > 1000 || spec->tickets < 1 || !create || !read)
        return SD_EINVAL;
    s_client_t *cs = calloc((size_t)spec->clients, sizeof *cs);
    if (!cs)
        return SD_ENOMEM;
    /* The runner gives each client tickets / clients, rounded up for the first ones. */
    size_t share = (size_t)(spec->tickets / spec->clients + 1);
    int rc = 0;
    for (int i = 0; i < spec->clients && !rc; i++) {
        cs[i].spec = spec;
        cs[i].ids = calloc(share, sizeof *cs[i].ids);
        rc = cs[i].ids ? 0 : SD_ENOMEM;
    }
    rc = rc ?: s_phase(spec, cs, false, create);
    rc = rc ?: s_check_count(spec);
    rc = rc ?: s_phase(spec, cs, true, read);
    for (int i = 0; i < spec->clients; i++)
        free(cs[i].ids);
    free(cs);
    return rc;
}
