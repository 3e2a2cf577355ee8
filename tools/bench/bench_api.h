/* bench_api.h - HTTP vs msgpack: durable creates, then reads of them, on one running node.
 */
#ifndef SD_BENCH_API_H
#define SD_BENCH_API_H

#include "bench_stats.h"

#include <signal.h>

/* Error codes (SD_E*) are those of proto/error.h. */

/* Which door of the node the clients use. */
typedef enum {
    SD_BENCH_API_HTTP,    /* the HTTP/JSON API, one keep-alive TCP connection per client */
    SD_BENCH_API_MSGPACK, /* the msgpack client protocol on the ipc socket (sd_client_t) */
} sd_bench_api_t;

/* One create-then-read run against a running node; every string borrowed. */
typedef struct {
    sd_bench_api_t api;   /* the door */
    const char *endpoint; /* the node's ipc endpoint (msgpack, and the ticket count) */
    int port;             /* its HTTP port on 127.0.0.1 */
    const char *token;    /* the API token both doors authenticate with ("sdt_...") */
    int clients;          /* concurrent clients, 1..1000, a thread and a connection each */
    int tickets;          /* tickets created, then reads made, spread over the clients */
    const volatile sig_atomic_t *interrupted; /* set by the caller's signal handler */
} sd_bench_api_spec_t;

/* Creates spec->tickets tickets ({"title":"bench C-N","impact":2,"urgency":2}, the same fields
 * through either door) with spec->clients closed-loop clients, one request in flight each:
 * POST /api/v1/tickets awaiting 201, or ticket.new awaiting ok; both are answered after the
 * node's LMDB commit. Then checks that the node holds exactly spec->tickets tickets (it must
 * have been empty). Then each client reads the tickets it created, one by one, with
 * GET /api/v1/tickets/{id} (200) or ticket.get, checking each answer names that ticket.
 * Connections are made (and one authenticated request made on each) before the clock starts.
 * create, read: filled on success only, the caller's.
 * Returns 0; SD_EINVAL for a bad spec; SD_ENOMEM; a client's error (connection refused or
 * broken, timeout, malformed answer); SD_ESTORE when a request got another answer than
 * 201/200/ok (counted, the first reported on stderr); SD_ECORRUPT when the node holds another
 * number of tickets or a read names another ticket; SD_EUNAVAILABLE when interrupted. */
int sd_bench_api_run(const sd_bench_api_spec_t *spec, sd_bench_result_t *create,
                     sd_bench_result_t *read);

/* "HTTP" or "msgpack". */
const char *sd_bench_api_name(sd_bench_api_t api);

#endif
