/* bench_repl.h - sd-bench-repl's options: what to measure and how much. */
#ifndef SD_BENCH_REPL_H
#define SD_BENCH_REPL_H

#include <stdbool.h>

typedef struct {
    int tickets;          /* ingest: per region */
    int clients;          /* ingest and catch-up: client threads per region */
    int rate;             /* lag: creates per second per region */
    int lag_seconds;      /* lag: length of the paced run */
    int catchup_events;   /* catch-up: events created while the hub is down */
    const char *sundeskd; /* --sundeskd: the node binary, or NULL for the build tree's */
    bool keep;            /* --keep: leave the temp dir (logs, stores) for a post-mortem */
} sd_bench_repl_opts_t;

/* Parses the command line into *opts (defaults for what is not given).
 * Returns 0 to run, 1 after printing --help, 2 on a usage error (printed). */
int sd_bench_repl_parse(int argc, char **argv, sd_bench_repl_opts_t *opts);

#endif
