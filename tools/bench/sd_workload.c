/* sd_workload.c - sundesk half of the ticket-creation benchmark: a fresh node, clients, timing. */
#include "sd_workload.h"

#include "bench_node.h"
#include "bench_payload.h"
#include "bench_threads.h"

#include "client.h"
#include "error.h"
#include "request.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* One client: the runner's part first, so that the body can cast back. */
typedef struct {
    sd_bench_client_t base;
    const char *endpoint;
    const volatile sig_atomic_t *interrupted; /* Ctrl-C: stop at the next ticket */
    int failures;                             /* creates that did not end in ok:true */
    char why[256];                            /* the first error, for the report */
} s_client_t;

static int s_create_ticket(s_client_t *c, sd_client_t *cl, sd_request_t *req, int seq)
{
    char title[64], requester[48];
    int rc = sd_bench_title(title, sizeof title, c->base.index, seq);
    rc = rc ?: sd_bench_requester(requester, sizeof requester, c->base.index, seq);
    rc = rc ?: sd_bench_set_arg(req, "title", title, c->why, sizeof c->why);
    rc = rc ?: sd_bench_set_arg(req, "requester", requester, c->why, sizeof c->why);
    if (rc)
        return rc;
    sd_reply_t reply;
    rc = sd_bench_call_ok(cl, req, &reply, c->why, sizeof c->why);
    if (!rc)
        sd_reply_clear(&reply);
    return rc;
}

/* One client thread (an sd_bench_body_t): connect, ping, then its share of ticket.new. */
static int s_client_main(sd_bench_client_t *base)
{
    s_client_t *c = (s_client_t *)base;
    sd_client_t *cl = NULL;
    sd_request_t req = {0};
    int rc = sd_client_new(c->endpoint, SD_BENCH_CALL_MS, &cl);
    if (rc)
        snprintf(c->why, sizeof c->why, "connect %s: %s", c->endpoint, sd_strerror(rc));
    /* A ping makes ZeroMQ finish connecting before the clock runs, as the
     * PostgreSQL clients connect and prepare before it. */
    rc = rc ?: sd_bench_ping(cl, c->why, sizeof c->why);
    rc = rc ?: sd_bench_ticket_template(&req, c->why, sizeof c->why);
    if (rc)
        atomic_store(base->stop, 1);

    /* Even a failed client must reach the line, or the main thread waits forever. */
    sd_bench_client_ready(base);

    for (int i = 0; rc == 0 && i < base->tickets; i++) {
        if (atomic_load_explicit(base->stop, memory_order_relaxed) || *c->interrupted)
            break;
        uint64_t t0 = sd_bench_now_usec();
        int one = s_create_ticket(c, cl, &req, i);
        uint64_t t1 = sd_bench_now_usec();
        if (one == 0) {
            rc = sd_bench_stats_add(base->stats, t1 - t0);
        } else if (one == SD_ETIMEOUT || one == SD_EIO || one == SD_ENOMEM || one == SD_EMSGPACK) {
            /* No answer or garbage: the node is gone or broken, and waiting
             * SD_BENCH_CALL_MS per remaining ticket would only hide that. */
            c->failures++;
            rc = one;
        } else {
            c->failures++; /* a refused create: counted, the run goes on */
        }
        if (rc)
            atomic_store(base->stop, 1);
    }
    sd_request_clear(&req);
    sd_client_destroy(&cl);
    return rc;
}

/* The timed part against a running node: clients connect, then all start at
 * once; the clock stops when the last one is done. */
static int s_clients(const char *endpoint, int clients, int tickets,
                     const volatile sig_atomic_t *interrupted, sd_bench_result_t *out)
{
    s_client_t *cs = calloc((size_t)clients, sizeof *cs);
    if (!cs)
        return SD_ENOMEM;
    for (int i = 0; i < clients; i++)
        cs[i] = (s_client_t){.endpoint = endpoint, .interrupted = interrupted};
    int rc = sd_bench_threads_run(&(sd_bench_run_t){.clients = cs,
                                                    .size = sizeof *cs,
                                                    .count = clients,
                                                    .tickets = tickets,
                                                    .body = s_client_main,
                                                    .who = "sd-bench-tickets",
                                                    .interrupted = interrupted},
                                  out);
    /* Clients that never ran kept their zeroes: no failures, no reason. */
    int failures = 0;
    const char *why = NULL;
    for (int i = 0; i < clients; i++) {
        failures += cs[i].failures;
        if (!why && (cs[i].base.rc || cs[i].failures))
            why = cs[i].why;
    }
    if (failures)
        fprintf(stderr, "sd-bench-tickets: sundesk, %d clients: %d failed creates; first: %s\n",
                clients, failures, why ? why : "?");
    else if (why)
        fprintf(stderr, "sd-bench-tickets: sundesk, %d clients: %s\n", clients, why);
    free(cs);
    return rc;
}

int sd_bench_sd_run(const char *bin, const char *tmp, int clients, int tickets,
                    const volatile sig_atomic_t *interrupted, sd_bench_result_t *out)
{
    char data[PATH_MAX];
    if (snprintf(data, sizeof data, "%s/node-%d", tmp, clients) >= (int)sizeof data)
        return SD_ETOOLONG;
    sd_bench_node_t node;
    int rc = sd_bench_node_start(bin, data, interrupted, &node);
    if (rc)
        return rc;
    rc = s_clients(node.endpoint, clients, tickets, interrupted, out);
    if (rc == 0) {
        uint64_t stored = 0;
        int crc = sd_bench_node_ticket_count(node.endpoint, &stored);
        if (crc || stored != (uint64_t)tickets) {
            fprintf(stderr,
                    "sd-bench-tickets: the node holds %llu tickets after %d ok creates (%s)\n",
                    (unsigned long long)stored, tickets, crc ? sd_strerror(crc) : "mismatch");
            rc = crc ? crc : SD_ECORRUPT;
        }
    }
    int src = sd_bench_node_stop(&node);
    return rc ? rc : src;
}
