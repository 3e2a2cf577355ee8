/* bench_raw.c - the baseline of sd-bench-repl: plain libzmq CURVE PUB/SUB, no store, no decoding.
 */
#include "bench_raw.h"

#include "bench_stats.h"
#include "error.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

static const volatile sig_atomic_t *s_stop; /* Ctrl-C of the caller */

typedef struct {
    void *pub;
    int index, count;
    atomic_int *go;
    int rc;
} s_raw_pub_t;

/* Sends probes until the subscriber has seen one of each publisher (the
 * slow-joiner problem: PUB drops what it sends before the SUB is there),
 * then count messages of SD_BENCH_RAW_BYTES, framed as the node frames an event. */
static void *s_raw_pub_main(void *arg)
{
    s_raw_pub_t *p = arg;
    char probe = (char)('0' + p->index);
    while (!atomic_load(p->go) && !*s_stop) {
        zmq_send(p->pub, "P", 1, ZMQ_SNDMORE);
        zmq_send(p->pub, &probe, 1, 0);
        usleep(5000);
    }
    char body[SD_BENCH_RAW_BYTES];
    memset(body, 'x', sizeof body);
    for (int i = 0; i < p->count && !*s_stop; i++) {
        memcpy(body, &i, sizeof i);
        if (zmq_send(p->pub, "E", 1, ZMQ_SNDMORE) < 0 ||
            zmq_send(p->pub, body, sizeof body, 0) < 0) {
            p->rc = SD_EIO;
            break;
        }
    }
    return NULL;
}

static int s_setopt(void *s, int opt, const void *v, size_t len)
{
    return zmq_setsockopt(s, opt, v, len) == 0 ? 0 : SD_EIO;
}

int sd_bench_raw_curve(int count, const volatile sig_atomic_t *stop, double *per_s)
{
    s_stop = stop;
    void *ctx = zmq_ctx_new();
    void *pubs[SD_BENCH_RAW_PUBS] = {0}, *sub = zmq_socket(ctx, ZMQ_SUB);
    char cpub[41], csec[41];
    int rc = zmq_curve_keypair(cpub, csec) == 0 ? 0 : SD_EIO;
    int zero = 0, one = 1;
    /* Unlimited queues: the node's replication must not lose events, so
     * neither may the baseline drop them at a high-water mark. */
    rc = rc ?: s_setopt(sub, ZMQ_RCVHWM, &zero, sizeof zero);
    rc = rc ?: s_setopt(sub, ZMQ_CURVE_PUBLICKEY, cpub, 40);
    rc = rc ?: s_setopt(sub, ZMQ_CURVE_SECRETKEY, csec, 40);
    rc = rc ?: s_setopt(sub, ZMQ_SUBSCRIBE, "", 0);
    for (int i = 0; !rc && i < SD_BENCH_RAW_PUBS; i++) {
        char spub[41], ssec[41], ep[256];
        size_t eplen = sizeof ep;
        pubs[i] = zmq_socket(ctx, ZMQ_PUB);
        rc = zmq_curve_keypair(spub, ssec) == 0 ? 0 : SD_EIO;
        rc = rc ?: s_setopt(pubs[i], ZMQ_SNDHWM, &zero, sizeof zero);
        rc = rc ?: s_setopt(pubs[i], ZMQ_CURVE_SERVER, &one, sizeof one);
        rc = rc ?: s_setopt(pubs[i], ZMQ_CURVE_SECRETKEY, ssec, 40);
        rc = rc ?: zmq_bind(pubs[i], "tcp://127.0.0.1:*") == 0 ? 0 : SD_EIO;
        rc = rc ?: zmq_getsockopt(pubs[i], ZMQ_LAST_ENDPOINT, ep, &eplen) == 0 ? 0 : SD_EIO;
        /* The server key applies to the connects that follow it. */
        rc = rc ?: s_setopt(sub, ZMQ_CURVE_SERVERKEY, spub, 40);
        rc = rc ?: zmq_connect(sub, ep) == 0 ? 0 : SD_EIO;
    }
    atomic_int go = 0;
    s_raw_pub_t p[SD_BENCH_RAW_PUBS];
    pthread_t tid[SD_BENCH_RAW_PUBS];
    int started = 0;
    for (int i = 0; !rc && i < SD_BENCH_RAW_PUBS; i++) {
        p[i] = (s_raw_pub_t){.pub = pubs[i], .index = i, .count = count, .go = &go};
        if (pthread_create(&tid[i], NULL, s_raw_pub_main, &p[i]) != 0)
            rc = SD_ENOMEM;
        else
            started++;
    }
    bool seen[SD_BENCH_RAW_PUBS] = {false};
    int nseen = 0;
    long want = (long)count * SD_BENCH_RAW_PUBS, got = 0;
    uint64_t t0 = 0, t1 = 0;
    int timeout_ms = 10000; /* handshakes, then between two messages */
    while (!rc && got < want && !*s_stop) {
        zmq_pollitem_t it = {.socket = sub, .events = ZMQ_POLLIN};
        if (zmq_poll(&it, 1, timeout_ms) <= 0) {
            fprintf(stderr, "raw PUB/SUB: %ld of %ld messages, then silence\n", got, want);
            rc = SD_ETIMEOUT;
            break;
        }
        char kind, buf[SD_BENCH_RAW_BYTES];
        int more = 0;
        size_t mlen = sizeof more;
        if (zmq_recv(sub, &kind, 1, 0) < 0)
            continue;
        zmq_getsockopt(sub, ZMQ_RCVMORE, &more, &mlen);
        int n = more ? zmq_recv(sub, buf, sizeof buf, 0) : 0;
        if (kind == 'E') {
            if (++got == want)
                t1 = sd_bench_now_usec();
        } else if (kind == 'P' && n == 1 && buf[0] >= '0' && buf[0] < '0' + SD_BENCH_RAW_PUBS &&
                   !seen[buf[0] - '0']) {
            seen[buf[0] - '0'] = true;
            if (++nseen == SD_BENCH_RAW_PUBS) {
                t0 = sd_bench_now_usec();
                atomic_store(&go, 1);
            }
        }
    }
    /* Publishers still probing stop now; sending ones end without blocking (no HWM). */
    atomic_store(&go, 1);
    for (int i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
        rc = rc ?: p[i].rc;
    }
    int linger = 0;
    for (int i = 0; i < SD_BENCH_RAW_PUBS; i++)
        if (pubs[i]) {
            zmq_setsockopt(pubs[i], ZMQ_LINGER, &linger, sizeof linger);
            zmq_close(pubs[i]);
        }
    zmq_setsockopt(sub, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close(sub);
    zmq_ctx_term(ctx);
    if (!rc && *s_stop)
        rc = SD_EUNAVAILABLE;
    if (!rc)
        *per_s = (double)want / ((double)(t1 - t0) / 1e6);
    return rc;
}
