/* bench_stats.c - latency recorder: append, merge per-thread recorders, nearest-rank quantiles. */
/* clock_gettime() is POSIX, hidden by a strict -std=c11 unless asked for. */
#if !defined(_POSIX_C_SOURCE) && !defined(_GNU_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "bench_stats.h"

#include "../../proto/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

uint64_t sd_bench_now_usec(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

sd_bench_stats_t *sd_bench_stats_new(size_t capacity)
{
    sd_bench_stats_t *stats = calloc(1, sizeof(*stats));
    if (!stats)
        return NULL;
    if (capacity > 0) {
        stats->usec = malloc(capacity * sizeof(*stats->usec));
        if (!stats->usec) {
            free(stats);
            return NULL;
        }
        stats->capacity = capacity;
    }
    stats->sorted = 1;
    return stats;
}

/* Make room for at least need samples; doubling keeps appends amortised O(1). */
static int s_reserve(sd_bench_stats_t *stats, size_t need)
{
    if (need <= stats->capacity)
        return 0;
    size_t cap = stats->capacity ? stats->capacity : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2 / sizeof(*stats->usec))
            return SD_ENOMEM;
        cap *= 2;
    }
    uint64_t *grown = realloc(stats->usec, cap * sizeof(*grown));
    if (!grown)
        return SD_ENOMEM;
    stats->usec = grown;
    stats->capacity = cap;
    return 0;
}

int sd_bench_stats_add(sd_bench_stats_t *stats, uint64_t usec)
{
    if (!stats)
        return SD_EINVAL;
    if (stats->count == SIZE_MAX)
        return SD_ENOMEM;
    int rc = s_reserve(stats, stats->count + 1);
    if (rc < 0)
        return rc;
    stats->usec[stats->count++] = usec;
    stats->sorted = 0;
    return 0;
}

int sd_bench_stats_merge(sd_bench_stats_t *dst, const sd_bench_stats_t *src)
{
    if (!dst || !src || dst == src)
        return SD_EINVAL;
    if (src->count == 0)
        return 0;
    if (src->count > SIZE_MAX - dst->count)
        return SD_ENOMEM;
    int rc = s_reserve(dst, dst->count + src->count);
    if (rc < 0)
        return rc;
    memcpy(dst->usec + dst->count, src->usec, src->count * sizeof(*src->usec));
    dst->count += src->count;
    dst->sorted = 0;
    return 0;
}

size_t sd_bench_stats_count(const sd_bench_stats_t *stats)
{
    return stats ? stats->count : 0;
}

static int s_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a;
    uint64_t y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

double sd_bench_stats_percentile(sd_bench_stats_t *stats, double p)
{
    /* The negated test also rejects NaN. */
    if (!stats || stats->count == 0 || !(p >= 0.0 && p <= 1.0))
        return -1.0;
    if (!stats->sorted) {
        qsort(stats->usec, stats->count, sizeof(*stats->usec), s_cmp_u64);
        stats->sorted = 1;
    }
    /* Nearest rank: rank = ceil(p * n), 1-based; p = 0 maps to the minimum. The
     * slack keeps binary rounding (0.07 * 100 = 7.000000000000001) from bumping the rank
     * by one. Ceil by hand so that users need not link libm. */
    double exact = p * (double)stats->count - 1e-9;
    size_t rank = exact <= 0.0 ? 0 : (size_t)exact;
    if ((double)rank < exact)
        rank++;
    size_t idx = rank == 0 ? 0 : rank - 1;
    if (idx >= stats->count)
        idx = stats->count - 1;
    return (double)stats->usec[idx];
}

void sd_bench_stats_destroy(sd_bench_stats_t **stats)
{
    if (!stats || !*stats)
        return;
    free((*stats)->usec);
    free(*stats);
    *stats = NULL;
}

void sd_bench_cpu_model(char *out, size_t cap)
{
    snprintf(out, cap, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        const char *v = strchr(line, ':');
        if (strncmp(line, "model name", 10) != 0 || !v)
            continue;
        v += strspn(v + 1, " \t") + 1;
        snprintf(out, cap, "%.*s", (int)strcspn(v, "\n"), v);
        break;
    }
    fclose(f);
}

void sd_bench_machine(const char *tmp, char *out, size_t cap)
{
    char model[256];
    sd_bench_cpu_model(model, sizeof model);
    struct utsname u;
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    snprintf(out, cap, "%s, %ld cores online, %s %s %s, temp dirs in %s", model,
             sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, u.machine, tmp);
}

void sd_bench_loadavg(char *out, size_t cap)
{
    snprintf(out, cap, "?");
    FILE *f = fopen("/proc/loadavg", "r");
    double a, b, c;
    if (f && fscanf(f, "%lf %lf %lf", &a, &b, &c) == 3)
        snprintf(out, cap, "%.2f %.2f %.2f", a, b, c);
    if (f)
        fclose(f);
}
