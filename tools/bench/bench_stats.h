/* bench_stats.h - latency recorder and result record shared by the ticket-creation benchmarks. */
#ifndef SD_BENCH_STATS_H
#define SD_BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Error codes (SD_E*) are those of proto/error.h. */

/* Outcome of one benchmark run; filled by sd_bench_pg_run() and by the LMDB
 * half of the benchmark so that both print the same figures. */
typedef struct {
    int clients;            /* concurrent clients, each in its own thread */
    int tickets;            /* total tickets created, spread over clients */
    double seconds;         /* wall time of the whole run (timed part only) */
    double tickets_per_sec; /* tickets / seconds */
    double p50_ms, p99_ms;  /* per-ticket latency: one durable create round trip */
} sd_bench_result_t;

/* Per-operation latencies in microseconds. Not thread-safe: give each thread
 * its own recorder and merge them after the threads are joined. */
typedef struct {
    uint64_t *usec;  /* samples; owned */
    size_t count;    /* samples recorded */
    size_t capacity; /* slots allocated in usec */
    int sorted;      /* usec[0..count) is in ascending order */
} sd_bench_stats_t;

/* Microseconds on CLOCK_MONOTONIC: only differences between two calls mean
 * anything. Returns 0 if the clock cannot be read (does not happen on Linux). */
uint64_t sd_bench_now_usec(void);

/* The CPU's model name from /proc/cpuinfo into out, "unknown CPU" when it
 * cannot be read: benchmark figures go in the README with the machine. */
void sd_bench_cpu_model(char *out, size_t cap);

/* The machine a run is on, for the report: CPU model, cores online, kernel and where the temp
 * dirs are (tmp), e.g. "Intel(R) Xeon(R) ..., 2 cores online, Linux 6.1 x86_64, temp dirs in
 * /tmp", into out[0..cap). */
void sd_bench_machine(const char *tmp, char *out, size_t cap);

/* The 1-, 5- and 15-minute load averages as read ("0.52 0.61 0.70"), "?" when unreadable, into
 * out[0..cap): figures from a busy machine say so. */
void sd_bench_loadavg(char *out, size_t cap);

/* Create an empty recorder with room for capacity samples, so that a run
 * which knows its sample count never reallocates while it is being timed.
 * capacity may be 0; the recorder grows as needed.
 * Returns the recorder, owned by the caller (free with sd_bench_stats_destroy),
 * or NULL when out of memory. */
sd_bench_stats_t *sd_bench_stats_new(size_t capacity);

/* Append one sample of usec microseconds, growing the array when full.
 * Returns 0, SD_EINVAL when stats is NULL, SD_ENOMEM when growing fails
 * (the sample is then dropped and stats is unchanged). */
int sd_bench_stats_add(sd_bench_stats_t *stats, uint64_t usec);

/* Append every sample of src to dst. src is not modified and stays owned by
 * its caller. Returns 0, SD_EINVAL when either is NULL or both are the same
 * recorder, SD_ENOMEM when growing dst fails (dst is then unchanged). */
int sd_bench_stats_merge(sd_bench_stats_t *dst, const sd_bench_stats_t *src);

/* Number of samples recorded; 0 when stats is NULL. */
size_t sd_bench_stats_count(const sd_bench_stats_t *stats);

/* The p-quantile of the samples (p in [0, 1], e.g. 0.50 or 0.99), in
 * microseconds, by the nearest-rank method: the smallest sample with at least
 * p of all samples at or below it (p = 0 gives the minimum).
 * Sorts the samples IN PLACE (once; later adds mark them unsorted again), so
 * the order of samples is not kept. Returns the value, or a negative number
 * (-1.0) when stats is NULL or empty or p is outside [0, 1]. */
double sd_bench_stats_percentile(sd_bench_stats_t *stats, double p);

/* Free a recorder and set *stats to NULL. NULL and *stats == NULL are fine. */
void sd_bench_stats_destroy(sd_bench_stats_t **stats);

#endif
