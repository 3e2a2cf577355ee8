/* bench_raw.h - raw libzmq CURVE PUB/SUB throughput, what sd-bench-repl compares hub ingest with.
 */
#ifndef SD_BENCH_RAW_H
#define SD_BENCH_RAW_H

#include <signal.h>

#define SD_BENCH_RAW_PUBS  3   /* publishers, like the three regions */
#define SD_BENCH_RAW_BYTES 450 /* about one encoded ticket-create event */

/* SD_BENCH_RAW_PUBS CURVE PUB servers on 127.0.0.1 each send count messages
 * of SD_BENCH_RAW_BYTES, framed as a node frames an event, to one CURVE SUB
 * connected to all of them; *per_s gets the messages/s received. Stops early
 * when *stop becomes non-zero. Returns 0, SD_EIO, SD_ENOMEM, SD_ETIMEOUT (10 s
 * of silence), SD_EUNAVAILABLE (stopped). */
int sd_bench_raw_curve(int count, const volatile sig_atomic_t *stop, double *per_s);

#endif
