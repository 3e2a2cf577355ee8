/* bench_threads.h - client threads of one benchmark run: shares, start line, clock, merged figures.
 */
#ifndef SD_BENCH_THREADS_H
#define SD_BENCH_THREADS_H

#include "bench_stats.h"

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>

/* Error codes (SD_E*) are those of proto/error.h. */

/* The start line and what every thread of a run shares; the runner's own. */
typedef struct sd_bench_gate sd_bench_gate_t;

/* The runner's part of one client. A workload puts it FIRST in its own client
 * struct (the connection string, an error text, ...), so that the body can
 * cast the pointer it gets back to that struct. The runner fills every field
 * but rc before the thread starts; the body only reads them. */
typedef struct {
    int index;               /* 0-based client number, varies the payload */
    int tickets;             /* this client's share of the run's tickets */
    sd_bench_stats_t *stats; /* this client's latencies in usec, room for tickets */
    atomic_int *stop;        /* set by any client that cannot go on: all stop */
    sd_bench_gate_t *gate;   /* for sd_bench_client_ready() */
    int rc;                  /* what the body returned: 0 or a negative error */
} sd_bench_client_t;

/* One client thread: set up (connect, prepare), call sd_bench_client_ready()
 * once, then create client->tickets tickets, each timed into client->stats,
 * checking *client->stop between tickets. Returns 0 or a negative error; a
 * client that stopped because another failed returns 0. */
typedef int (*sd_bench_body_t)(sd_bench_client_t *client);

/* One run, as given to sd_bench_threads_run(). */
typedef struct {
    void *clients;        /* count workload client structs, each size bytes and
                           * each starting with its sd_bench_client_t; zeroed
                           * by the caller but for the workload's own fields */
    size_t size;          /* sizeof one workload client struct */
    int count;            /* clients, each in its own thread */
    int tickets;          /* the run's tickets, spread over the clients */
    sd_bench_body_t body; /* what each thread runs */
    const char *who;      /* prefix of the runner's own messages on stderr */
    /* NULL, or a flag a signal handler sets: a run that ends with it set
     * fails with SD_EUNAVAILABLE, not as a run that lost tickets. */
    const volatile sig_atomic_t *interrupted;
} sd_bench_run_t;

/* Wait at the start line until the runner releases every client at once, so
 * that connection set-up is not timed. Every body calls it exactly once,
 * before its first ticket, EVEN WHEN ITS SET-UP FAILED (after setting *stop):
 * the runner waits for all started clients to reach the line. */
void sd_bench_client_ready(sd_bench_client_t *client);

/* Run a benchmark: give client i its share (tickets / count, the first
 * tickets % count clients one more) and a latency recorder sized for it up
 * front, start one thread per client running body, wait until all reach the
 * line, start the clock and release them, stop it when the last one is
 * joined, and merge their latencies. Per-client recorders are freed before
 * it returns; the client structs stay the caller's, with rc set for each
 * client that ran (the others keep their zeroes).
 * out: filled on success only (tickets/s, p50, p99), owned by the caller.
 * Returns 0; SD_EINVAL for a NULL or out-of-range argument; SD_ENOMEM when
 * memory or a thread cannot be had (the threads already started are told to
 * stop and joined); the first client's negative rc; SD_EUNAVAILABLE when
 * *run->interrupted is set; SD_ESTORE when fewer latencies than tickets were
 * recorded (a ticket that failed without an error). A thread that cannot
 * start is reported on stderr as "WHO: cannot start client thread I". */
int sd_bench_threads_run(const sd_bench_run_t *run, sd_bench_result_t *out);

#endif
