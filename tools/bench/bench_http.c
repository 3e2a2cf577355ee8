/* bench_http.c - sd-bench-http main: durable creates and reads over HTTP vs msgpack, the report.
 */
#include "bench_api.h"
#include "bench_main.h"
#include "bench_node.h"
#include "bench_stats.h"

#include "error.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/vfs.h>
#include <unistd.h>

#define S_MAX_CLIENTS   1000
#define S_MAX_COUNTS    16 /* entries of --clients */
#define S_MAX_RUNS      9
#define S_DEFAULT_TICKS 20000
#define S_TMPFS_MAGIC   0x01021994UL

enum { S_CREATE, S_READ, S_PHASES };
enum { S_APIS = 2 }; /* sd_bench_api_t: HTTP, msgpack */

/* Set by SIGINT/SIGTERM: clients stop, then the node is stopped and every temp dir removed. */
static volatile sig_atomic_t s_interrupted;

static void s_on_signal(int sig)
{
    (void)sig;
    s_interrupted = 1;
}

typedef struct {
    int tickets;               /* per run and door: creates, then as many reads */
    int clients[S_MAX_COUNTS]; /* client counts, in order */
    int ncounts;               /* entries of clients */
    int runs;                  /* repetitions of everything; medians are reported */
    const char *sundeskd;      /* --sundeskd, or NULL for the build-tree default */
    const char *sundesk;       /* --sundesk (the CLI), or NULL for the build-tree default */
} s_opts_t;

/* The figures of one door at one client count in one run. */
typedef struct {
    sd_bench_result_t phase[S_PHASES]; /* create, read */
    bool ok;                           /* it ran and passed every check */
} s_cell_t;

static void s_usage(FILE *out)
{
    fprintf(out,
            "usage: sd-bench-http [--tickets N] [--clients 1,16,64] [--runs R]\n"
            "                     [--sundeskd PATH] [--sundesk PATH]\n"
            "\n"
            "Compares the node's HTTP/JSON API with its msgpack client protocol. For each\n"
            "client count and each door it starts a node on a fresh temp data dir (with\n"
            "--http 127.0.0.1:PORT on a free port), makes an agent 'bench' and an API token\n"
            "with the sundesk CLI, then with N closed-loop clients (a thread, a connection\n"
            "and one request in flight each; HTTP/1.1 keep-alive over TCP, or the ipc\n"
            "socket) creates N tickets durably (POST /api/v1/tickets -> 201, or ticket.new),\n"
            "checks that the node holds exactly N, and reads each back (GET\n"
            "/api/v1/tickets/ID, or ticket.get). Both doors send the same fields and the same\n"
            "Bearer token. Prints tickets/s, p50 and p99 latency and the ratio HTTP / msgpack,\n"
            "ending with a markdown table of the medians over the runs.\n"
            "\n"
            "  --tickets N        tickets per run and door (default %d)\n"
            "  --clients LIST     comma-separated client counts, 1..%d (default 16)\n"
            "  --runs R           repeat everything R times, 1..%d (default 1); the\n"
            "                     doors alternate which goes first\n" SD_BENCH_PROGRAMS_HELP "\n"
            "Run it as root (or the node's owner): the CLI acts as the bootstrap admin on the\n"
            "ipc socket. Temp dirs go under $TMPDIR (default /tmp), which must be on the disk\n"
            "to measure. Exit status: 0 all runs passed, 1 a run failed, 2 usage error,\n"
            "130 interrupted.\n",
            S_DEFAULT_TICKS, S_MAX_CLIENTS, S_MAX_RUNS);
}

/* Returns 0 to run, 1 to exit 0 (--help), 2 for a usage error. */
static int s_options(int argc, char **argv, s_opts_t *o)
{
    static const struct option options[] = {
        {"tickets", required_argument, NULL, 't'},
        {"clients", required_argument, NULL, 'c'},
        {"runs", required_argument, NULL, 'r'},
        {"sundeskd", required_argument, NULL, 's'},
        {"sundesk", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (s_opts_t){.tickets = S_DEFAULT_TICKS, .clients = {16}, .ncounts = 1, .runs = 1};
    int opt;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        const char *bad = NULL;
        if (opt == 't' && sd_bench_parse_int(optarg, 1, 10000000, &o->tickets) != 0)
            bad = "--tickets: expected 1..10000000";
        else if (opt == 'c' && sd_bench_parse_ints(optarg, 1, S_MAX_CLIENTS, o->clients,
                                                   S_MAX_COUNTS, &o->ncounts) != 0)
            bad = "--clients: expected up to 16 comma-separated numbers 1..1000";
        else if (opt == 'r' && sd_bench_parse_int(optarg, 1, S_MAX_RUNS, &o->runs) != 0)
            bad = "--runs: expected 1..9";
        else if (opt == 's')
            o->sundeskd = optarg;
        else if (opt == 'S')
            o->sundesk = optarg;
        else if (opt == 'h')
            return s_usage(stdout), 1;
        else if (opt != 't' && opt != 'c' && opt != 'r')
            return s_usage(stderr), 2;
        if (bad) {
            fprintf(stderr, "sd-bench-http: %s\n", bad);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "sd-bench-http: unexpected argument '%s'; see --help\n", argv[optind]);
        return 2;
    }
    return 0;
}

/* ---- one node --------------------------------------------------------------------------- */

/* A TCP port on 127.0.0.1 free right now: the kernel picks it for a socket we then close.
 * Another process could take it before the node binds; the node then fails to start. */
static int s_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* Makes the agent "bench" and an API token for it; the secret into token[0..cap). */
static int s_make_token(const char *cli, const char *data, char *token, size_t cap)
{
    char *user[] = {(char *)cli, "--data", (char *)data, "user",  "new", "bench",
                    "--name",    "Bench",  "--role",     "agent", NULL};
    char *tok[] = {(char *)cli, "--data", (char *)data, "token", "new",
                   "--user",    "bench",  "--json",     NULL};
    char json[2048];
    int rc = sd_bench_cli_run("sd-bench-http", user, NULL, 0, &s_interrupted);
    rc = rc ?: sd_bench_cli_run("sd-bench-http", tok, json, sizeof json, &s_interrupted);
    if (rc)
        return rc;
    /* {"id":..., "token":"sdt_<64 hex>"}: the secret is the one value starting with sdt_. */
    const char *p = strstr(json, "\"sdt_");
    size_t n = p ? strcspn(p + 1, "\"") : 0;
    if (!p || n < 8 || n >= cap || p[1 + n] != '"') {
        fprintf(stderr, "sd-bench-http: no token in the output of token new: %.200s\n", json);
        return SD_EMISSING;
    }
    memcpy(token, p + 1, n);
    token[n] = 0;
    return 0;
}

/* One door at one client count: a fresh node, its user and token, creates, reads, stop. */
static int s_run_door(const char *bin, const char *cli, const char *tmp, int run, int clients,
                      int tickets, sd_bench_api_t api, s_cell_t *cell)
{
    char data[PATH_MAX], http[32], token[128];
    if (snprintf(data, sizeof data, "%s/r%d-c%d-%s", tmp, run, clients, sd_bench_api_name(api)) >=
        (int)sizeof data)
        return SD_ETOOLONG;
    int port = s_free_port();
    if (port <= 0)
        return SD_EIO;
    snprintf(http, sizeof http, "127.0.0.1:%d", port);
    sd_bench_node_t node;
    int rc = sd_bench_node_start_http(bin, data, http, &s_interrupted, &node);
    if (rc)
        return rc;
    rc = s_make_token(cli, data, token, sizeof token);
    sd_bench_api_spec_t spec = {.api = api,
                                .endpoint = node.endpoint,
                                .port = port,
                                .token = token,
                                .clients = clients,
                                .tickets = tickets,
                                .interrupted = &s_interrupted};
    rc = rc ?: sd_bench_api_run(&spec, &cell->phase[S_CREATE], &cell->phase[S_READ]);
    int src = sd_bench_node_stop(&node);
    return rc ? rc : src;
}

/* ---- report ------------------------------------------------------------------------------ */

static int s_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of n values (the mean of the middle two when n is even); sorts v. */
static double s_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, s_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Medians over the runs of one door, phase and client count; false when a run failed. */
static bool s_medians(s_cell_t (*cells)[S_MAX_COUNTS][S_APIS], int runs, int count, int api,
                      int phase, sd_bench_result_t *out)
{
    double tps[S_MAX_RUNS], p50[S_MAX_RUNS], p99[S_MAX_RUNS];
    for (int r = 0; r < runs; r++) {
        const s_cell_t *c = &cells[r][count][api];
        if (!c->ok)
            return false;
        tps[r] = c->phase[phase].tickets_per_sec;
        p50[r] = c->phase[phase].p50_ms;
        p99[r] = c->phase[phase].p99_ms;
    }
    out->tickets_per_sec = s_median(tps, runs);
    out->p50_ms = s_median(p50, runs);
    out->p99_ms = s_median(p99, runs);
    return true;
}

static void s_print_table(const s_opts_t *o, s_cell_t (*cells)[S_MAX_COUNTS][S_APIS],
                          const char *machine, const char *cmdline, const char *load)
{
    static const char *const phase_name[S_PHASES] = {"create", "read"};
    printf("\n%s over %d run%s:\n\n", o->runs > 1 ? "Medians" : "Figures", o->runs,
           o->runs > 1 ? "s" : "");
    printf("| op | clients | HTTP req/s | HTTP p50 / p99 ms | msgpack req/s | msgpack p50 / p99 "
           "ms | HTTP / msgpack |\n|--|--:|--:|--:|--:|--:|--:|\n");
    for (int ph = 0; ph < S_PHASES; ph++) {
        for (int i = 0; i < o->ncounts; i++) {
            sd_bench_result_t m[S_APIS];
            bool ok[S_APIS];
            printf("| %s | %d |", phase_name[ph], o->clients[i]);
            for (int a = 0; a < S_APIS; a++) {
                ok[a] = s_medians(cells, o->runs, i, a, ph, &m[a]);
                if (ok[a])
                    printf(" %.0f | %.2f / %.2f |", m[a].tickets_per_sec, m[a].p50_ms, m[a].p99_ms);
                else
                    printf(" failed | - |");
            }
            if (ok[0] && ok[1] && m[1].tickets_per_sec > 0.0)
                printf(" %.2f |\n", m[0].tickets_per_sec / m[1].tickets_per_sec);
            else
                printf(" - |\n");
        }
    }
    printf("\n%d tickets per run and door, created durably (answered after the LMDB commit) "
           "then read back; one request in flight per client.  \n"
           "Machine: %s; load average at start %s.  \n"
           "Command: `%s`\n",
           o->tickets, machine, load, cmdline);
}

int main(int argc, char **argv)
{
    s_opts_t o;
    int prc = s_options(argc, argv, &o);
    if (prc)
        return prc == 1 ? 0 : 2;
    char bin[PATH_MAX], cli[PATH_MAX];
    if (sd_bench_programs_find("sd-bench-http", o.sundeskd, o.sundesk, bin, cli) != 0)
        return 2;
    sd_bench_trap_signals(s_on_signal);
    const char *tmp_parent;
    char tmp[PATH_MAX];
    if (sd_bench_make_tmp("sd-bench-http", "sd-bench-http", &tmp_parent, tmp, sizeof tmp) != 0)
        return 1;
    struct statfs st;
    if (statfs(tmp_parent, &st) == 0 && (unsigned long)st.f_type == S_TMPFS_MAGIC)
        fprintf(stderr,
                "sd-bench-http: warning: %s is tmpfs, where fsync is free; set TMPDIR to "
                "a directory on disk\n",
                tmp_parent);

    char machine[512], cmdline[1024] = "", load[64];
    sd_bench_machine(tmp_parent, machine, sizeof machine);
    sd_bench_loadavg(load, sizeof load);
    sd_bench_command_line(argc, argv, cmdline, sizeof cmdline);
    char shown[PATH_MAX];
    printf("sd-bench-http: %d tickets per run and door, clients", o.tickets);
    for (int i = 0; i < o.ncounts; i++)
        printf("%s%d", i ? "," : " ", o.clients[i]);
    printf(", %d run%s\nnode: %s\nmachine: %s\nload average: %s\n\n", o.runs, o.runs > 1 ? "s" : "",
           realpath(bin, shown) ? shown : bin, machine, load);
    fflush(stdout);

    static s_cell_t cells[S_MAX_RUNS][S_MAX_COUNTS][S_APIS];
    bool all_ok = true;
    for (int r = 0; r < o.runs && !s_interrupted; r++) {
        for (int i = 0; i < o.ncounts && !s_interrupted; i++) {
            for (int k = 0; k < S_APIS && !s_interrupted; k++) {
                /* Alternate which door goes first, so that a drift of the machine's speed
                 * within a run does not always favour the same one. */
                sd_bench_api_t api = (sd_bench_api_t)((k + r) % S_APIS);
                s_cell_t *c = &cells[r][i][api];
                int rc = s_run_door(bin, cli, tmp, r + 1, o.clients[i], o.tickets, api, c);
                c->ok = rc == 0;
                all_ok = all_ok && c->ok;
                if (rc) {
                    /* An interrupted run is cut short, not failed: main says so once. */
                    if (!s_interrupted)
                        fprintf(stderr, "sd-bench-http: run %d, %s, %d clients: failed (%s)\n",
                                r + 1, sd_bench_api_name(api), o.clients[i], sd_strerror(rc));
                    continue;
                }
                for (int ph = 0; ph < S_PHASES; ph++) {
                    const sd_bench_result_t *x = &c->phase[ph];
                    printf("run %d  %-7s %-6s clients %4d  %8.0f req/s  p50 %6.2f ms  p99 %6.2f "
                           "ms  (%d in %.2f s)\n",
                           r + 1, sd_bench_api_name(api), ph == S_CREATE ? "create" : "read",
                           o.clients[i], x->tickets_per_sec, x->p50_ms, x->p99_ms, x->tickets,
                           x->seconds);
                }
                fflush(stdout);
            }
        }
    }
    sd_bench_rm_tree(tmp);
    if (s_interrupted) {
        fprintf(stderr, "sd-bench-http: interrupted\n");
        return 130;
    }
    s_print_table(&o, cells, machine, cmdline, load);
    return all_ok ? 0 : 1;
}
