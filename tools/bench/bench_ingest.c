/* bench_ingest.c - stands in for the regions: ready-made events over CURVE PUB, as fast as sent. */
#include "bench_ingest.h"

#include "error.h"
#include "ticket.h"
#include "mp.h"

#include <czmq.h>
#include <stdio.h>
#include <string.h>

#define S_CONNECT_MS 10000 /* how long the hub may take to subscribe */

/* One encoded event, ready to send. */
typedef struct {
    void *data; /* msgpack bytes (owned) */
    size_t len; /* their length */
} s_frame_t;

struct sd_bench_ingest {
    zsock_t *pubs[SD_BENCH_INGEST_PUBS];     /* one per region */
    s_frame_t *frames[SD_BENCH_INGEST_PUBS]; /* its events, in seq order */
    int count;                               /* events per region */
};

/* Binds a CURVE XPUB with the region's certificate and waits until the hub
 * has subscribed: a publisher drops what it sends before the subscription
 * arrives (the slow-joiner problem), and an XPUB, unlike a PUB, shows it. */
static int s_bind(const sd_bench_region_t *region, zsock_t **out)
{
    zcert_t *cert = zcert_load(region->cert);
    if (!cert) {
        fprintf(stderr, "sd-bench-repl: cannot load %s\n", region->cert);
        return SD_EIO;
    }
    zsock_t *pub = zsock_new(ZMQ_XPUB);
    int rc = pub ? 0 : SD_ENOMEM;
    if (!rc) {
        zcert_apply(cert, pub);
        zsock_set_curve_server(pub, 1);
        zsock_set_sndhwm(pub, 0); /* queue instead of dropping: every event must arrive */
        zsock_set_linger(pub, 0);
        zsock_set_rcvtimeo(pub, S_CONNECT_MS);
        if (zsock_bind(pub, "%s", region->endpoint) < 0) {
            fprintf(stderr, "sd-bench-repl: cannot bind %s: %s\n", region->endpoint,
                    zmq_strerror(zmq_errno()));
            rc = SD_EIO;
        }
    }
    if (!rc) {
        zframe_t *subscription = zframe_recv(pub);
        rc = subscription ? 0 : SD_ETIMEOUT;
        zframe_destroy(&subscription);
    }
    zcert_destroy(&cert);
    if (rc)
        zsock_destroy(&pub);
    *out = pub;
    return rc;
}

/* Encodes count copies of template as region's events first_seq, ... */
static int s_prepare(const sd_event_t *template, const sd_bench_region_t *region, int count,
                     s_frame_t *frames)
{
    sd_event_t ev = *template;
    sd_mp_writer_t *w = sd_mp_writer_new();
    if (!w)
        return SD_ENOMEM;
    snprintf(ev.origin, sizeof ev.origin, "%s", region->site);
    int rc = 0;
    for (int i = 0; i < count && !rc; i++) {
        ev.seq = region->first_seq + (uint64_t)i;
        ev.hlc = template->hlc + (uint64_t)i;
        /* Ticket ids far above what the region's node hands out. */
        snprintf(ev.key, sizeof ev.key, "%s-%llu", region->site,
                 (unsigned long long)(90000000 + ev.seq));
        sd_mp_writer_reset(w);
        sd_event_encode(&ev, w);
        const void *data = sd_mp_writer_data(w, &frames[i].len);
        frames[i].data = sd_mp_writer_error(w) ? NULL : malloc(frames[i].len);
        if (!frames[i].data)
            rc = SD_ENOMEM;
        else
            memcpy(frames[i].data, data, frames[i].len);
    }
    sd_mp_writer_destroy(&w);
    return rc;
}

int sd_bench_ingest_new(const sd_bench_region_t regions[SD_BENCH_INGEST_PUBS], int count,
                        const sd_event_t *template, sd_bench_ingest_t **out)
{
    *out = NULL;
    sd_bench_ingest_t *in = calloc(1, sizeof *in);
    if (!in)
        return SD_ENOMEM;
    in->count = count;
    int rc = template->op == SD_OP_CREATE ? 0 : SD_EINVAL;
    for (int r = 0; r < SD_BENCH_INGEST_PUBS && !rc; r++) {
        in->frames[r] = calloc((size_t)count, sizeof(s_frame_t));
        rc = in->frames[r] ? s_prepare(template, &regions[r], count, in->frames[r]) : SD_ENOMEM;
    }
    for (int r = 0; r < SD_BENCH_INGEST_PUBS && !rc; r++)
        rc = s_bind(&regions[r], &in->pubs[r]);
    if (rc)
        sd_bench_ingest_destroy(&in);
    *out = in;
    return rc;
}

int sd_bench_ingest_send(sd_bench_ingest_t *in)
{
    for (int i = 0; i < in->count; i++) {
        for (int r = 0; r < SD_BENCH_INGEST_PUBS; r++) {
            void *pub = zsock_resolve(in->pubs[r]);
            const s_frame_t *f = &in->frames[r][i];
            if (zmq_send(pub, "E", 1, ZMQ_SNDMORE) < 0 || zmq_send(pub, f->data, f->len, 0) < 0)
                return SD_EIO;
        }
    }
    return 0;
}

void sd_bench_ingest_destroy(sd_bench_ingest_t **ingest)
{
    if (!ingest || !*ingest)
        return;
    sd_bench_ingest_t *in = *ingest;
    for (int r = 0; r < SD_BENCH_INGEST_PUBS; r++) {
        zsock_destroy(&in->pubs[r]);
        for (int i = 0; in->frames[r] && i < in->count; i++)
            free(in->frames[r][i].data);
        free(in->frames[r]);
    }
    free(in);
    *ingest = NULL;
}
