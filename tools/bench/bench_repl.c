/* bench_repl.c - sd-bench-repl: hub ingest vs raw CURVE PUB/SUB, replication lag, hub catch-up. */
#include "bench_ingest.h"
#include "bench_main.h"
#include "bench_node.h"
#include "bench_payload.h"
#include "bench_raw.h"
#include "bench_repl.h"
#include "bench_stats.h"

#include "client.h"
#include "error.h"
#include "request.h"

#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#ifndef SD_BENCH_CLUSTER
#define SD_BENCH_CLUSTER "local-cluster.sh"
#endif

#define S_WHO         "sd-bench-repl"
#define S_REGIONS     3
#define S_STALL_MS    60000 /* no progress at the hub for this long: give up */
#define S_MAX_THREADS 64

/* Sites in the order of a vector: the hub, then the three regions. */
static const char *const s_sites[S_REGIONS + 1] = {"HUB", "APAC", "EMEA", "AMER"};
static const char *const s_nodes[S_REGIONS + 1] = {"hub", "apac", "emea", "amer"};

/* Set by SIGINT/SIGTERM: every loop checks it, then the cluster is stopped
 * and the temp dir removed, so Ctrl-C leaves nothing behind. */
static volatile sig_atomic_t s_interrupted;

static void s_on_signal(int sig)
{
    (void)sig;
    s_interrupted = 1;
}

/* The cluster under test, and whether it must be stopped at the end. */
typedef struct {
    char dir[PATH_MAX];
    char build[PATH_MAX];
    char endpoint[S_REGIONS + 1][PATH_MAX + 32];
    bool started;
} s_cluster_t;

static uint64_t s_now(void)
{
    return sd_bench_now_usec();
}

/* Sleep until the monotonic usec time t (sd_bench_now_usec's clock). */
static void s_sleep_until(uint64_t t)
{
    struct timespec ts = {.tv_sec = (time_t)(t / 1000000), .tv_nsec = (long)(t % 1000000) * 1000};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR && !s_interrupted)
        ;
}

/* ---- cluster ---------------------------------------------------------------- */

/* local-cluster.sh CMD DIR, waited for. Its own process group, so that a
 * Ctrl-C reaches only us and we stop the nodes in order. */
static int s_cluster_run(const s_cluster_t *cl, const char *cmd)
{
    char *argv[] = {"bash", SD_BENCH_CLUSTER, (char *)cmd, (char *)cl->dir, NULL};
    pid_t pid;
    int rc = sd_bench_spawn(argv, true, NULL, &pid);
    if (rc)
        return rc;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return SD_EIO;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, S_WHO ": %s %s %s failed\n", SD_BENCH_CLUSTER, cmd, cl->dir);
        return SD_EUNAVAILABLE;
    }
    return 0;
}

/* Pid of node n from DIR/NODE.pid, or 0. */
static pid_t s_node_pid(const s_cluster_t *cl, int n)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/%s.pid", cl->dir, s_nodes[n]);
    FILE *f = fopen(path, "r");
    long pid = 0;
    if (f) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    return (pid_t)pid;
}

/* SIGTERM node n and wait until it is gone. It is the script's child, not
 * ours, so we can only poll for it. Returns 0 or SD_ETIMEOUT. */
static int s_node_kill(const s_cluster_t *cl, int n)
{
    pid_t pid = s_node_pid(cl, n);
    if (pid <= 0 || kill(pid, SIGTERM) != 0)
        return SD_EUNAVAILABLE;
    for (int i = 0; i < 1500; i++) {
        if (kill(pid, 0) != 0)
            return 0;
        usleep(10000);
    }
    return SD_ETIMEOUT;
}

/* ---- requests ---------------------------------------------------------------- */

/* The applied vector of a node into v[0..4) in s_sites order. */
static int s_vector(sd_client_t *c, uint64_t v[S_REGIONS + 1])
{
    char why[256];
    sd_request_t req = {.op = SD_REQ_REPL_STATUS};
    sd_reply_t reply;
    int rc = sd_bench_call_ok(c, &req, &reply, why, sizeof why);
    if (rc) {
        fprintf(stderr, S_WHO ": %s\n", why);
        return rc;
    }
    const sd_mp_node_t *vec = sd_mp_get(reply.result, "vector");
    for (int i = 0; i <= S_REGIONS; i++) {
        const sd_mp_node_t *e = vec ? sd_mp_get(vec, s_sites[i]) : NULL;
        v[i] = 0;
        if (e)
            sd_mp_uint(e, &v[i]);
    }
    sd_reply_clear(&reply);
    return vec ? 0 : SD_EMISSING;
}

/* One-shot vector of node n. */
static int s_vector_of(const s_cluster_t *cl, int n, uint64_t v[S_REGIONS + 1])
{
    sd_client_t *c = NULL;
    int rc = sd_client_new(cl->endpoint[n], SD_BENCH_CALL_MS, &c);
    rc = rc ?: s_vector(c, v);
    sd_client_destroy(&c);
    return rc;
}

/* ---- region clients ------------------------------------------------------------ */

/* One client thread at a region. It creates tickets first, first + stride, ...
 * below count of the region's share; paced ones wait for their slot. */
typedef struct {
    const char *endpoint;
    int client;               /* varies the payload */
    int first, stride, count; /* this thread's tickets of the region's count */
    uint64_t n0;              /* the region's ticket number before the phase */
    double interval_us;       /* paced: between two tickets of the region; 0: closed loop */
    uint64_t *ack_us;         /* NULL, or ack time by ticket number - n0 - 1 */
    pthread_barrier_t *start; /* connected clients and the main thread meet here */
    _Atomic uint64_t *t0;     /* start of the run: the first to pass the barrier sets it */
    uint64_t end_us;          /* when its last create was acknowledged */
    int rc, failures;
    char why[256];
} s_worker_t;

/* The first one past the barrier sets the common start time; all read it. */
static uint64_t s_start_time(_Atomic uint64_t *t0)
{
    uint64_t zero = 0, now = s_now();
    atomic_compare_exchange_strong(t0, &zero, now);
    return atomic_load(t0);
}

/* Ticket number of a reply's ticket, "APAC-000042" -> 42; 0 when unreadable. */
static uint64_t s_ticket_no(const sd_reply_t *reply)
{
    size_t len;
    const char *id = sd_mp_bytes(sd_mp_get(reply->result, "id"), &len);
    char buf[64];
    if (!id || len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, id, len);
    buf[len] = 0;
    const char *dash = strrchr(buf, '-');
    return dash ? strtoull(dash + 1, NULL, 10) : 0;
}

static void *s_worker_main(void *arg)
{
    s_worker_t *w = arg;
    sd_client_t *cl = NULL;
    sd_request_t req = {0};
    int rc = sd_client_new(w->endpoint, SD_BENCH_CALL_MS, &cl);
    if (rc)
        snprintf(w->why, sizeof w->why, "connect %s: %s", w->endpoint, sd_strerror(rc));
    /* Connected before the clock runs, as in sd-bench-tickets. */
    rc = rc ?: sd_bench_ping(cl, w->why, sizeof w->why);
    rc = rc ?: sd_bench_ticket_template(&req, w->why, sizeof w->why);
    /* Even a failed client must meet the others, or they wait forever. */
    pthread_barrier_wait(w->start);
    uint64_t t0 = s_start_time(w->t0);

    for (int i = w->first; rc == 0 && i < w->count && !s_interrupted; i += w->stride) {
        if (w->interval_us > 0)
            s_sleep_until(t0 + (uint64_t)(i * w->interval_us));
        char title[64], requester[48];
        rc = sd_bench_title(title, sizeof title, w->client, i);
        rc = rc ?: sd_bench_requester(requester, sizeof requester, w->client, i);
        rc = rc ?: sd_bench_set_arg(&req, "title", title, w->why, sizeof w->why);
        rc = rc ?: sd_bench_set_arg(&req, "requester", requester, w->why, sizeof w->why);
        sd_reply_t reply;
        rc = rc ?: sd_bench_call_ok(cl, &req, &reply, w->why, sizeof w->why);
        if (rc) {
            w->failures++;
            break;
        }
        uint64_t now = s_now();
        uint64_t n = s_ticket_no(&reply);
        /* Only creates happen at a region during a phase, so ticket numbers
         * and the region's event seqs advance together: n - n0 is the event's
         * place in the phase. */
        if (w->ack_us && n > w->n0 && n - w->n0 <= (uint64_t)w->count * 2)
            w->ack_us[n - w->n0 - 1] = now;
        sd_reply_clear(&reply);
        w->end_us = now;
    }
    sd_request_clear(&req);
    sd_client_destroy(&cl);
    w->rc = rc;
    return NULL;
}

/* A group of region clients: started, met at the barrier, later joined. */
typedef struct {
    s_worker_t w[S_MAX_THREADS];
    pthread_t tid[S_MAX_THREADS];
    int n;
    pthread_barrier_t start;
    _Atomic uint64_t t0;
} s_group_t;

/* Start per_region threads at each region in regions (1-based indexes),
 * each region creating count tickets; returns after all passed the barrier,
 * with *t0 the common start. ack[r] may be NULL. */
static int s_group_start(s_group_t *g, const s_cluster_t *cl, const int *regions, int nregions,
                         int per_region, int count, double interval_us, const uint64_t *n0,
                         uint64_t **ack, uint64_t *t0)
{
    memset(g, 0, sizeof *g);
    g->n = nregions * per_region;
    if (g->n > S_MAX_THREADS)
        return SD_EINVAL;
    pthread_barrier_init(&g->start, NULL, (unsigned)g->n + 1);
    for (int r = 0; r < nregions; r++)
        for (int k = 0; k < per_region; k++) {
            s_worker_t *w = &g->w[r * per_region + k];
            *w = (s_worker_t){.endpoint = cl->endpoint[regions[r]],
                              .client = r * per_region + k,
                              .first = k,
                              .stride = per_region,
                              .count = count,
                              .n0 = n0[r],
                              .interval_us = interval_us,
                              .ack_us = ack ? ack[r] : NULL,
                              .start = &g->start,
                              .t0 = &g->t0};
        }
    for (int i = 0; i < g->n; i++)
        if (pthread_create(&g->tid[i], NULL, s_worker_main, &g->w[i]) != 0) {
            /* Threads already waiting at the barrier can never be released,
             * so stop the cluster and leave now: no node may outlive us. */
            fprintf(stderr, S_WHO ": cannot start a client thread; stopping the cluster\n");
            s_cluster_run(cl, "stop");
            sd_bench_rm_tree(cl->dir);
            exit(1);
        }
    pthread_barrier_wait(&g->start);
    *t0 = s_start_time(&g->t0);
    return 0;
}

/* Join all; returns the first error (reported) and the last ack time. */
static int s_group_join(s_group_t *g, uint64_t *end_us)
{
    int rc = 0;
    *end_us = 0;
    for (int i = 0; i < g->n; i++) {
        pthread_join(g->tid[i], NULL);
        if (g->w[i].rc && !rc) {
            rc = g->w[i].rc;
            fprintf(stderr, S_WHO ": client %d: %s\n", i, g->w[i].why);
        }
        if (g->w[i].end_us > *end_us)
            *end_us = g->w[i].end_us;
    }
    pthread_barrier_destroy(&g->start);
    if (!rc && s_interrupted)
        rc = SD_EUNAVAILABLE;
    return rc;
}

/* Poll the hub's vector every period_us until origin r has reached want[r]
 * for every region. *done: when it was seen. Gives up after S_STALL_MS
 * without progress, or on Ctrl-C. */
static int s_wait_hub(const s_cluster_t *cl, const uint64_t want[S_REGIONS + 1], uint64_t period_us,
                      uint64_t *done)
{
    sd_client_t *c = NULL;
    int rc = sd_client_new(cl->endpoint[0], SD_BENCH_CALL_MS, &c);
    uint64_t last_sum = 0, last_move = s_now();
    while (!rc && !s_interrupted) {
        uint64_t v[S_REGIONS + 1];
        rc = s_vector(c, v);
        if (rc)
            break;
        uint64_t now = s_now(), sum = 0;
        bool all = true;
        for (int r = 1; r <= S_REGIONS; r++) {
            sum += v[r];
            all = all && v[r] >= want[r];
        }
        if (all) {
            *done = now;
            break;
        }
        if (sum != last_sum) {
            last_sum = sum;
            last_move = now;
        } else if (now - last_move > S_STALL_MS * 1000ull) {
            fprintf(stderr, S_WHO ": the hub made no progress for %d s\n", S_STALL_MS / 1000);
            rc = SD_ETIMEOUT;
            break;
        }
        s_sleep_until(now + period_us);
    }
    sd_client_destroy(&c);
    return rc ? rc : s_interrupted ? SD_EUNAVAILABLE : 0;
}

/* ---- 1. hub ingest --------------------------------------------------------------- */

typedef struct {
    double hub_per_s, regions_per_s, raw_per_s, seconds;
    bool ok, raw_ok;
} s_ingest_t;

static int s_ingest(const s_cluster_t *cl, const sd_bench_repl_opts_t *o, s_ingest_t *out)
{
    uint64_t base[S_REGIONS + 1], want[S_REGIONS + 1], n0[S_REGIONS];
    int rc = s_vector_of(cl, 0, base);
    if (rc)
        return rc;
    int regions[S_REGIONS];
    for (int r = 0; r < S_REGIONS; r++) {
        regions[r] = r + 1;
        n0[r] = base[r + 1];
        want[r + 1] = base[r + 1] + (uint64_t)o->tickets;
    }
    want[0] = 0;
    static s_group_t g;
    uint64_t t0, done = 0, end;
    rc = s_group_start(&g, cl, regions, S_REGIONS, o->clients, o->tickets, 0, n0, NULL, &t0);
    if (rc)
        return rc;
    /* On a failure here the clients still finish their share: joining waits for them. */
    rc = s_wait_hub(cl, want, 50000, &done);
    int jrc = s_group_join(&g, &end);
    rc = rc ?: jrc;
    if (rc)
        return rc;
    double total = 3.0 * o->tickets;
    out->seconds = (double)(done - t0) / 1e6;
    out->hub_per_s = total / out->seconds;
    out->regions_per_s = total / ((double)(end - t0) / 1e6);
    out->ok = true;
    return 0;
}

/* ---- 2. replication lag ------------------------------------------------------------ */

typedef struct {
    double p50_ms, p99_ms, max_ms, rate_per_region;
    double region_p50_ms[S_REGIONS], region_p99_ms[S_REGIONS]; /* one region is not like another */
    long samples, early; /* early: seen at the hub before the region's ack arrived */
    bool ok;
} s_lag_t;

static int s_lag(const s_cluster_t *cl, const sd_bench_repl_opts_t *o, s_lag_t *out)
{
    int count = o->rate * o->lag_seconds;
    uint64_t base[S_REGIONS + 1], n0[S_REGIONS];
    int rc = s_vector_of(cl, 0, base);
    if (rc)
        return rc;
    uint64_t *ack[S_REGIONS] = {0}, *seen[S_REGIONS] = {0};
    int regions[S_REGIONS];
    for (int r = 0; r < S_REGIONS; r++) {
        regions[r] = r + 1;
        n0[r] = base[r + 1]; /* the hub holds every earlier event: ingest waited for it */
        /* Twice the room: a ticket number outside the phase is dropped, not written past. */
        ack[r] = calloc((size_t)count * 2, sizeof **ack);
        seen[r] = calloc((size_t)count * 2, sizeof **seen);
        if (!ack[r] || !seen[r])
            rc = SD_ENOMEM;
    }
    /* One client cannot hold 1000 creates/s with a ~1 ms durable round trip,
     * so a few share the schedule: ticket i is due at t0 + i / rate. */
    int per_region = 4;
    static s_group_t g;
    uint64_t t0 = 0, end = 0;
    rc = rc
             ?: s_group_start(&g, cl, regions, S_REGIONS, per_region, count, 1e6 / o->rate, n0, ack,
                              &t0);
    if (rc) {
        for (int r = 0; r < S_REGIONS; r++) {
            free(ack[r]);
            free(seen[r]);
        }
        return rc;
    }
    /* The watcher: the first poll whose reply covers (origin, seq) dates it.
     * The reply's arrival time is used, an upper bound by one round trip. */
    sd_client_t *c = NULL;
    rc = sd_client_new(cl->endpoint[0], SD_BENCH_CALL_MS, &c);
    uint64_t covered[S_REGIONS] = {0};
    uint64_t deadline = t0 + (uint64_t)o->lag_seconds * 1000000 + S_STALL_MS * 1000ull;
    while (!rc && !s_interrupted) {
        uint64_t v[S_REGIONS + 1];
        rc = s_vector(c, v);
        uint64_t now = s_now();
        bool all = true;
        for (int r = 0; !rc && r < S_REGIONS; r++) {
            uint64_t have = v[r + 1] > base[r + 1] ? v[r + 1] - base[r + 1] : 0;
            if (have > (uint64_t)count * 2)
                have = (uint64_t)count * 2;
            for (; covered[r] < have; covered[r]++)
                seen[r][covered[r]] = now;
            all = all && covered[r] >= (uint64_t)count;
        }
        if (rc || all)
            break;
        if (now > deadline) {
            fprintf(stderr, S_WHO ": lag: the hub did not get every event in time\n");
            rc = SD_ETIMEOUT;
            break;
        }
        s_sleep_until(now + 2000);
    }
    sd_client_destroy(&c);
    int jrc = s_group_join(&g, &end);
    rc = rc ?: jrc;
    sd_bench_stats_t *st = sd_bench_stats_new((size_t)count * S_REGIONS);
    if (!rc && !st)
        rc = SD_ENOMEM;
    for (int r = 0; !rc && r < S_REGIONS; r++) {
        sd_bench_stats_t *one = sd_bench_stats_new((size_t)count);
        for (int i = 0; one && i < count; i++) {
            if (!ack[r][i] || !seen[r][i])
                continue;
            if (seen[r][i] < ack[r][i])
                out->early++;
            uint64_t lag_us = seen[r][i] > ack[r][i] ? seen[r][i] - ack[r][i] : 0;
            sd_bench_stats_add(st, lag_us);
            sd_bench_stats_add(one, lag_us);
        }
        out->region_p50_ms[r] = sd_bench_stats_percentile(one, 0.50) / 1000.0;
        out->region_p99_ms[r] = sd_bench_stats_percentile(one, 0.99) / 1000.0;
        sd_bench_stats_destroy(&one);
    }
    if (!rc) {
        out->samples = (long)sd_bench_stats_count(st);
        out->p50_ms = sd_bench_stats_percentile(st, 0.50) / 1000.0;
        out->p99_ms = sd_bench_stats_percentile(st, 0.99) / 1000.0;
        out->max_ms = sd_bench_stats_percentile(st, 1.0) / 1000.0;
        out->rate_per_region = (double)count / ((double)(end - t0) / 1e6);
        out->ok = out->samples > 0;
    }
    sd_bench_stats_destroy(&st);
    for (int r = 0; r < S_REGIONS; r++) {
        free(ack[r]);
        free(seen[r]);
    }
    return rc;
}

/* ---- 3. catch-up ---------------------------------------------------------------------- */

typedef struct {
    double create_s, restart_s, seconds, per_s;
    bool ok;
} s_catchup_t;

static int s_catchup(s_cluster_t *cl, const sd_bench_repl_opts_t *o, s_catchup_t *out)
{
    uint64_t before[S_REGIONS + 1];
    int rc = s_vector_of(cl, 1, before);
    rc = rc ?: s_node_kill(cl, 0);
    if (rc) {
        fprintf(stderr, S_WHO ": catch-up: cannot stop the hub (%s)\n", sd_strerror(rc));
        return rc;
    }
    int regions[1] = {1}; /* APAC */
    uint64_t n0[1] = {before[1]}, t0, end;
    static s_group_t g;
    rc = s_group_start(&g, cl, regions, 1, o->clients, o->catchup_events, 0, n0, NULL, &t0);
    rc = rc ?: s_group_join(&g, &end);
    if (rc)
        return rc;
    out->create_s = (double)(end - t0) / 1e6;
    uint64_t want[S_REGIONS + 1] = {0};
    want[1] = before[1] + (uint64_t)o->catchup_events;
    uint64_t t_restart = s_now();
    rc = s_cluster_run(cl, "start");
    uint64_t t_up = s_now(), done = 0;
    rc = rc ?: s_wait_hub(cl, want, 50000, &done);
    if (rc)
        return rc;
    out->restart_s = (double)(t_up - t_restart) / 1e6;
    out->seconds = (double)(done - t_restart) / 1e6;
    out->per_s = o->catchup_events / out->seconds;
    out->ok = true;
    return 0;
}

/* ---- 4. hub ingest ceiling ------------------------------------------------------------ */

typedef struct {
    double per_s, seconds;
    bool ok;
} s_ceiling_t;

/* A create event of APAC's, as the hub stores it, to copy. */
static int s_template(const s_cluster_t *cl, sd_event_t *ev)
{
    sd_client_t *c = NULL;
    sd_reply_t reply = {0};
    char why[256];
    sd_request_t req = {.op = SD_REQ_TICKET_HISTORY};
    int rc = sd_bench_set_arg(&req, "id", "APAC-000001", why, sizeof why);
    rc = rc ?: sd_client_new(cl->endpoint[0], SD_BENCH_CALL_MS, &c);
    rc = rc ?: sd_bench_call_ok(c, &req, &reply, why, sizeof why);
    if (!rc) {
        const sd_mp_node_t *events = sd_mp_get(reply.result, "events");
        rc = events && sd_mp_len(events) ? sd_event_decode_node(sd_mp_at(events, 0), ev, NULL)
                                         : SD_EMISSING;
        sd_reply_clear(&reply);
    }
    sd_client_destroy(&c);
    sd_request_clear(&req);
    return rc;
}

/* The regions stopped, the benchmark publishes o->tickets ready-made events
 * per region on their endpoints with their keys; time until the hub holds
 * them all. */
static int s_ceiling(const s_cluster_t *cl, const sd_bench_repl_opts_t *o, s_ceiling_t *out)
{
    uint64_t base[S_REGIONS + 1], want[S_REGIONS + 1] = {0}, t0, done = 0;
    sd_event_t template = {0};
    int rc = s_vector_of(cl, 0, base);
    rc = rc ?: s_template(cl, &template);
    for (int r = 1; r <= S_REGIONS && !rc; r++)
        rc = s_node_kill(cl, r);
    char certs[S_REGIONS][PATH_MAX + 32], endpoints[S_REGIONS][64];
    sd_bench_region_t regions[S_REGIONS];
    int port_base = atoi(getenv("SD_PORT_BASE"));
    for (int r = 0; r < S_REGIONS; r++) {
        snprintf(certs[r], sizeof certs[r], "%s/keys/%s.cert", cl->dir, s_nodes[r + 1]);
        /* local-cluster.sh: region r's pub is base + 11, + 21, + 31. */
        snprintf(endpoints[r], sizeof endpoints[r], "tcp://127.0.0.1:%d",
                 port_base + 10 * (r + 1) + 1);
        regions[r] = (sd_bench_region_t){certs[r], endpoints[r], s_sites[r + 1], base[r + 1] + 1};
        want[r + 1] = base[r + 1] + (uint64_t)o->tickets;
    }
    sd_bench_ingest_t *in = NULL;
    rc = rc ?: sd_bench_ingest_new(regions, o->tickets, &template, &in);
    sd_event_clear(&template);
    t0 = s_now();
    rc = rc ?: sd_bench_ingest_send(in);
    rc = rc ?: s_wait_hub(cl, want, 20000, &done);
    sd_bench_ingest_destroy(&in);
    if (rc)
        return rc;
    out->seconds = (double)(done - t0) / 1e6;
    out->per_s = 3.0 * o->tickets / out->seconds;
    out->ok = true;
    return 0;
}

/* ---- report ------------------------------------------------------------------------------ */

static void s_print(const sd_bench_repl_opts_t *o, const s_ingest_t *in, const s_lag_t *lag,
                    const s_catchup_t *cu, const s_ceiling_t *ce, int argc, char **argv)
{
    printf("\n| measure | sundesk | raw libzmq CURVE PUB/SUB | result |\n|--|--:|--:|--|\n");
    if (in->ok && in->raw_ok)
        printf("| hub ingest, 3 regions x %d creates, %d clients each | %.0f events/s (regions "
               "created %.0f/s) | %.0f msg/s (%d B) | %.1f%% of raw (target >= 50%%) |\n",
               o->tickets, o->clients, in->hub_per_s, in->regions_per_s, in->raw_per_s,
               SD_BENCH_RAW_BYTES, 100.0 * in->hub_per_s / in->raw_per_s);
    else
        printf("| hub ingest | %s | %s | failed |\n", in->ok ? "ok" : "failed",
               in->raw_ok ? "ok" : "failed");
    if (ce->ok && in->raw_ok)
        printf("| hub ingest ceiling, 3 x %d ready-made events published with the regions' keys "
               "| %.0f events/s | %.0f msg/s (%d B) | %.1f%% of raw (target >= 50%%) |\n",
               o->tickets, ce->per_s, in->raw_per_s, SD_BENCH_RAW_BYTES,
               100.0 * ce->per_s / in->raw_per_s);
    else
        printf("| hub ingest ceiling | failed | - | - |\n");
    if (lag->ok)
        printf("| replication lag, 3 regions x %d creates/s for %d s (held %.0f/s) | p50 %.2f ms, "
               "p99 %.2f ms, max %.2f ms | - | p99 %s 20 ms target |\n",
               o->rate, o->lag_seconds, lag->rate_per_region, lag->p50_ms, lag->p99_ms, lag->max_ms,
               lag->p99_ms <= 20.0 ? "meets" : "misses");
    else
        printf("| replication lag | failed | - | - |\n");
    if (cu->ok)
        printf("| hub catch-up of %d APAC events after a restart | %.0f events/s (%.2f s, of "
               "which %.2f s restart) | - | created in %.1f s while the hub was down |\n",
               o->catchup_events, cu->per_s, cu->seconds, cu->restart_s, cu->create_s);
    else
        printf("| hub catch-up | failed | - | - |\n");

    char model[256];
    sd_bench_cpu_model(model, sizeof model);
    struct utsname u;
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    printf("\nMachine: %s, nproc %ld, %s %s %s.  \nCommand: `", model,
           sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, u.machine);
    for (int i = 0; i < argc; i++)
        printf("%s%s", i ? " " : "", argv[i]);
    printf("`\n");
    if (lag->ok) {
        printf("\nLag p50 / p99 by region (the hub's upstreams in config order):");
        for (int r = 0; r < S_REGIONS; r++)
            printf(" %s %.2f / %.2f ms;", s_sites[r + 1], lag->region_p50_ms[r],
                   lag->region_p99_ms[r]);
        printf("\n");
    }
    if (lag->ok && lag->early)
        printf("(%ld of %ld lag samples reached the hub before the region's ack reached the "
               "client; counted as 0 ms.)\n",
               lag->early, lag->samples);
}

/* ---- main ------------------------------------------------------------------------------ */

/* Reports a failed phase; the first failure is the exit status. */
static void s_phase_done(const char *what, int phase_rc, int *rc)
{
    if (phase_rc)
        fprintf(stderr, S_WHO ": %s failed (%s)\n", what, sd_strerror(phase_rc));
    *rc = *rc ?: phase_rc;
}

int main(int argc, char **argv)
{
    sd_bench_repl_opts_t o;
    int prc = sd_bench_repl_parse(argc, argv, &o);
    if (prc)
        return prc == 1 ? 0 : 2;
    static s_cluster_t cl;
    char bin[PATH_MAX];
    if (sd_bench_node_find(o.sundeskd, bin, sizeof bin) != 0) {
        fprintf(stderr, S_WHO ": no executable node at %s; give --sundeskd PATH\n", bin);
        return 2;
    }
    /* BUILD/node/sundeskd -> BUILD, the SD_BIN of local-cluster.sh. */
    snprintf(cl.build, sizeof cl.build, "%s", bin);
    for (int i = 0; i < 2; i++) {
        char *slash = strrchr(cl.build, '/');
        if (slash)
            *slash = 0;
    }

    sd_bench_trap_signals(s_on_signal);
    if (sd_bench_make_tmp(S_WHO, "sd-bench-repl", NULL, cl.dir, sizeof cl.dir) != 0)
        return 1;
    for (int n = 0; n <= S_REGIONS; n++)
        snprintf(cl.endpoint[n], sizeof cl.endpoint[n], "ipc://%s/%s/sundesk.sock", cl.dir,
                 s_nodes[n]);
    /* A port base of our own, so that two runs or a dev cluster on 7100 do not meet. */
    char port[16];
    snprintf(port, sizeof port, "%d", 30000 + (int)(getpid() % 1000) * 10);
    setenv("SD_PORT_BASE", port, 1);
    setenv("SD_BIN", cl.build, 1);

    s_ingest_t in = {0};
    s_lag_t lag = {0};
    s_catchup_t cu = {0};
    s_ceiling_t ce = {0};
    int rc = s_cluster_run(&cl, "start");
    cl.started = true; /* even a failed start may have left some nodes */
    if (!rc) {
        fprintf(stderr, S_WHO ": cluster up in %s (ports %s+); 1. hub ingest...\n", cl.dir, port);
        rc = s_ingest(&cl, &o, &in);
        if (rc)
            fprintf(stderr, S_WHO ": hub ingest failed (%s)\n", sd_strerror(rc));
    }
    if (!s_interrupted) {
        fprintf(stderr, S_WHO ": 1b. raw libzmq CURVE PUB/SUB...\n");
        int r = sd_bench_raw_curve(o.tickets, &s_interrupted, &in.raw_per_s);
        in.raw_ok = r == 0;
        rc = rc ?: r;
    }
    if (!s_interrupted && in.ok) {
        fprintf(stderr, S_WHO ": 2. replication lag...\n");
        s_phase_done("lag", s_lag(&cl, &o, &lag), &rc);
    }
    if (!s_interrupted && in.ok) {
        fprintf(stderr, S_WHO ": 3. catch-up of %d events...\n", o.catchup_events);
        s_phase_done("catch-up", s_catchup(&cl, &o, &cu), &rc);
    }
    /* Last: it stops the regions, and the hub then holds events they lack. */
    if (!s_interrupted && in.ok) {
        fprintf(stderr, S_WHO ": 4. hub ingest ceiling...\n");
        s_phase_done("ingest ceiling", s_ceiling(&cl, &o, &ce), &rc);
    }
    if (cl.started)
        s_cluster_run(&cl, "stop");
    if (o.keep)
        fprintf(stderr, S_WHO ": kept %s\n", cl.dir);
    else
        sd_bench_rm_tree(cl.dir);
    if (s_interrupted) {
        fprintf(stderr, S_WHO ": interrupted; cluster stopped\n");
        return 130;
    }
    s_print(&o, &in, &lag, &cu, &ce, argc, argv);
    return rc ? 1 : 0;
}
