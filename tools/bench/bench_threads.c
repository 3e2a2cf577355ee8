/* bench_threads.c - client threads of one benchmark run: shares, start line, clock, merged figures.
 */
#include "bench_threads.h"

#include "../../proto/error.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Start line: clients connect and prepare, then wait here so that the timed
 * part starts for all of them at once and excludes connection set-up. */
struct sd_bench_gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int ready;            /* clients waiting at the line */
    int go;               /* set once by the main thread */
    sd_bench_body_t body; /* what every thread runs */
};

void sd_bench_client_ready(sd_bench_client_t *client)
{
    sd_bench_gate_t *gate = client->gate;
    pthread_mutex_lock(&gate->lock);
    gate->ready++;
    pthread_cond_broadcast(&gate->cond);
    while (!gate->go)
        pthread_cond_wait(&gate->cond, &gate->lock);
    pthread_mutex_unlock(&gate->lock);
}

static void *s_thread_main(void *arg)
{
    sd_bench_client_t *c = arg;
    c->rc = c->gate->body(c);
    return NULL;
}

/* Client i of the caller's array of workload structs, size bytes apart. */
static sd_bench_client_t *s_client(const sd_bench_run_t *run, int i)
{
    return (sd_bench_client_t *)((char *)run->clients + (size_t)i * run->size);
}

/* Release everyone at once and time them until the last one is joined.
 * Returns the wall time in usec. */
static uint64_t s_release_and_join(sd_bench_gate_t *gate, pthread_t *tids, int started)
{
    pthread_mutex_lock(&gate->lock);
    while (gate->ready < started)
        pthread_cond_wait(&gate->cond, &gate->lock);
    uint64_t t0 = sd_bench_now_usec();
    gate->go = 1;
    pthread_cond_broadcast(&gate->cond);
    pthread_mutex_unlock(&gate->lock);

    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    return sd_bench_now_usec() - t0;
}

int sd_bench_threads_run(const sd_bench_run_t *run, sd_bench_result_t *out)
{
    if (!run || !run->clients || run->size < sizeof(sd_bench_client_t) || !run->body || !run->who ||
        run->count < 1 || run->tickets < 1 || !out)
        return SD_EINVAL;
    int clients = run->count, tickets = run->tickets;
    pthread_t *tids = calloc((size_t)clients, sizeof(*tids));
    sd_bench_stats_t *all = sd_bench_stats_new((size_t)tickets);
    sd_bench_gate_t gate = {.ready = 0, .go = 0, .body = run->body};
    atomic_int stop = 0;
    int started = 0;
    int rc = 0;
    if (!tids || !all) {
        rc = SD_ENOMEM;
        goto out;
    }
    pthread_mutex_init(&gate.lock, NULL);
    pthread_cond_init(&gate.cond, NULL);

    for (int i = 0; i < clients; i++) {
        sd_bench_client_t *c = s_client(run, i);
        c->index = i;
        c->tickets = tickets / clients + (i < tickets % clients ? 1 : 0);
        c->gate = &gate;
        c->stop = &stop;
        /* Sized up front so that no realloc happens inside the timed loop. */
        c->stats = sd_bench_stats_new((size_t)c->tickets);
        if (!c->stats) {
            rc = SD_ENOMEM;
            break;
        }
    }
    for (int i = 0; rc == 0 && i < clients; i++) {
        if (pthread_create(&tids[i], NULL, s_thread_main, s_client(run, i)) != 0) {
            fprintf(stderr, "%s: cannot start client thread %d\n", run->who, i);
            rc = SD_ENOMEM;
            break;
        }
        started++;
    }
    if (rc < 0)
        atomic_store(&stop, 1);

    /* Started clients see stop and quit at once if it is set. */
    uint64_t usec = s_release_and_join(&gate, tids, started);

    for (int i = 0; i < started; i++) {
        /* A client stopped because another failed returns 0, so any error is real. */
        if (rc == 0 && s_client(run, i)->rc < 0)
            rc = s_client(run, i)->rc;
        if (rc == 0)
            rc = sd_bench_stats_merge(all, s_client(run, i)->stats);
    }
    /* Checked first: an interrupted run is cut short, not short of tickets. */
    if (rc == 0 && run->interrupted && *run->interrupted)
        rc = SD_EUNAVAILABLE;
    /* A ticket that failed without stopping its client recorded no latency. */
    if (rc == 0 && sd_bench_stats_count(all) != (size_t)tickets)
        rc = SD_ESTORE;
    if (rc == 0) {
        double secs = (double)usec / 1e6;
        *out = (sd_bench_result_t){
            .clients = clients,
            .tickets = tickets,
            .seconds = secs,
            .tickets_per_sec = secs > 0.0 ? (double)tickets / secs : 0.0,
            .p50_ms = sd_bench_stats_percentile(all, 0.50) / 1000.0,
            .p99_ms = sd_bench_stats_percentile(all, 0.99) / 1000.0,
        };
    }
    pthread_cond_destroy(&gate.cond);
    pthread_mutex_destroy(&gate.lock);

out:
    for (int i = 0; i < clients; i++)
        sd_bench_stats_destroy(&s_client(run, i)->stats);
    free(tids);
    sd_bench_stats_destroy(&all);
    return rc;
}
