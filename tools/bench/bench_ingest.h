/* bench_ingest.h - the hub's ingest ceiling: pre-made events published over CURVE as the regions.
 *
 * Regions making events through durable client requests cannot publish
 * faster than they commit, so measuring the hub behind them measures the
 * regions. Here the benchmark takes the regions' place instead: with each
 * region's own certificate it binds a CURVE PUB on that region's endpoint and
 * publishes ready-made create events of the region's origin as fast as
 * libzmq sends, the same traffic and socket pattern as the raw CURVE
 * comparison (bench_raw.h). The regions' nodes must be stopped first, and the
 * hub then holds events their stores do not: run this last. */
#ifndef SD_BENCH_INGEST_H
#define SD_BENCH_INGEST_H

#include "event.h"

#include <stddef.h>
#include <stdint.h>

#define SD_BENCH_INGEST_PUBS 3 /* the three regions */

/* One region to stand in for. */
typedef struct {
    const char *cert;     /* its certificate (the secret file is cert + "_secret") */
    const char *endpoint; /* its replication pub endpoint, e.g. tcp://127.0.0.1:7111 */
    const char *site;     /* its site id: the origin of the events */
    uint64_t first_seq;   /* seq of the first event to publish (the hub's vector + 1) */
} sd_bench_region_t;

typedef struct sd_bench_ingest sd_bench_ingest_t;

/* Binds a CURVE (X)PUB per region, waits (up to 10 s) until the hub's SUB
 * has subscribed to each, and encodes count create events
 * per region from template (any create event, e.g. from ticket.history;
 * borrowed for the call), each with its region's origin, its own seq and
 * ticket id. Returns 0 and *out, or SD_EIO (bind, keys), SD_ETIMEOUT (the
 * hub did not connect), SD_EINVAL (template is no create), SD_ENOMEM. */
int sd_bench_ingest_new(const sd_bench_region_t regions[SD_BENCH_INGEST_PUBS], int count,
                        const sd_event_t *template, sd_bench_ingest_t **out);

/* Publishes every prepared event, round robin over the regions, never
 * dropping (no send high-water mark). Returns 0 or SD_EIO. */
int sd_bench_ingest_send(sd_bench_ingest_t *ingest);

/* Closes the sockets and frees the events; NULL-safe, nulls *ingest. */
void sd_bench_ingest_destroy(sd_bench_ingest_t **ingest);

#endif
