/* bench_tickets.c - sd-bench-tickets main: options, the sundesk and PostgreSQL runs, the report. */
#include "bench_main.h"
#include "bench_node.h"
#include "bench_stats.h"
#include "sd_workload.h"
#ifdef SD_BENCH_HAVE_PG
#include "pg_workload.h"
#endif

#include "error.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SD_BENCH_PG_SCRATCH
#define SD_BENCH_PG_SCRATCH "pg-scratch.sh"
#endif

#define S_MAX_CLIENTS   1000 /* as pg_workload allows */
#define S_MAX_COUNTS    16   /* entries of --clients */
#define S_DEFAULT_TICKS 20000

/* Set by SIGINT/SIGTERM: clients stop, then everything started is stopped and
 * removed, so an interrupted run leaves no node, server or temp dir behind. */
static volatile sig_atomic_t s_interrupted;

static void s_on_signal(int sig)
{
    (void)sig;
    s_interrupted = 1;
}

typedef struct {
    int tickets;               /* per run */
    int clients[S_MAX_COUNTS]; /* client counts, in order */
    int ncounts;               /* entries of clients */
    const char *sundeskd;      /* --sundeskd, or NULL for the build-tree default */
    const char *pg;            /* --pg conninfo, or NULL to start a scratch server */
    bool no_pg;                /* --no-pg */
} s_opts_t;

/* One line of the result table. */
typedef struct {
    sd_bench_result_t sd, pg;
    bool sd_ok, pg_ok; /* the half ran and passed every check */
} s_row_t;

static void s_usage(FILE *out)
{
    fprintf(out,
            "usage: sd-bench-tickets [--tickets N] [--clients 1,16,64] [--sundeskd PATH]\n"
            "                        [--pg CONNINFO | --no-pg]\n"
            "\n"
            "Creates tickets durably with N concurrent clients (one thread, one connection\n"
            "and one request in flight each) against a sundesk node it starts on a fresh\n"
            "temp data dir, then against PostgreSQL (synchronous_commit = on), and prints\n"
            "tickets/s, p50 and p99 latency and the ratio sundesk / PostgreSQL, ending\n"
            "with a markdown table for the README.\n"
            "\n"
            "  --tickets N        tickets per run, spread over the clients (default %d)\n"
            "  --clients LIST     comma-separated client counts, 1..%d (default 1,16,64)\n"
            "  --sundeskd PATH    node binary (default: ../../node/sundeskd from this\n"
            "                     binary's directory, the build tree layout)\n"
            "  --pg CONNINFO      use this PostgreSQL server (its tickets table and\n"
            "                     ticket_no sequence are dropped!) instead of starting\n"
            "                     a scratch one with %s\n"
            "  --no-pg            sundesk only\n"
            "  -h, --help         this text\n"
            "\n"
            "Temp dirs go under $TMPDIR (default /tmp); it must be on the disk to measure:\n"
            "on tmpfs fsync costs nothing. Exit status: 0 all runs passed, 1 a run failed,\n"
            "2 usage error, 130 interrupted.\n",
            S_DEFAULT_TICKS, S_MAX_CLIENTS, SD_BENCH_PG_SCRATCH);
}

/* Returns 0 to run, 1 to exit 0 (--help), 2 for a usage error. */
static int s_parse_opts(int argc, char **argv, s_opts_t *o)
{
    static const struct option options[] = {
        {"tickets", required_argument, NULL, 't'},
        {"clients", required_argument, NULL, 'c'},
        {"sundeskd", required_argument, NULL, 's'},
        {"pg", required_argument, NULL, 'p'},
        {"no-pg", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (s_opts_t){.tickets = S_DEFAULT_TICKS, .clients = {1, 16, 64}, .ncounts = 3};
    int opt;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 't':
            if (sd_bench_parse_int(optarg, 1, 100000000, &o->tickets) != 0) {
                fprintf(stderr, "sd-bench-tickets: --tickets: expected 1..100000000\n");
                return 2;
            }
            break;
        case 'c':
            if (sd_bench_parse_ints(optarg, 1, S_MAX_CLIENTS, o->clients, S_MAX_COUNTS,
                                    &o->ncounts) != 0) {
                fprintf(stderr,
                        "sd-bench-tickets: --clients: expected up to %d comma-separated "
                        "numbers 1..%d\n",
                        S_MAX_COUNTS, S_MAX_CLIENTS);
                return 2;
            }
            break;
        case 's':
            o->sundeskd = optarg;
            break;
        case 'p':
            o->pg = optarg;
            break;
        case 'n':
            o->no_pg = true;
            break;
        case 'h':
            s_usage(stdout);
            return 1;
        default:
            s_usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "sd-bench-tickets: unexpected argument '%s'; see --help\n", argv[optind]);
        return 2;
    }
    if (o->pg && o->no_pg) {
        fprintf(stderr, "sd-bench-tickets: --pg and --no-pg exclude each other\n");
        return 2;
    }
    return 0;
}

/* ---- machine and command line, for the README ----------------------------- */

/* Name of the file system that holds path: fsync costs depend on it. */
static const char *s_fs_name(const char *path)
{
    struct statfs st;
    if (statfs(path, &st) != 0)
        return "unknown fs";
    switch ((unsigned long)st.f_type) {
    case 0xEF53UL:
        return "ext4";
    case 0x58465342UL:
        return "xfs";
    case 0x9123683EUL:
        return "btrfs";
    case 0x01021994UL:
        return "tmpfs";
    case 0x794C7630UL:
        return "overlayfs";
    case 0x2FC12FC1UL:
        return "zfs";
    case 0xF2F52010UL:
        return "f2fs";
    default:
        return "other fs";
    }
}

static void s_machine(const char *tmp, char *out, size_t cap)
{
    char model[256];
    sd_bench_cpu_model(model, sizeof model);
    struct utsname u;
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    snprintf(out, cap, "%s, nproc %ld, %s %s %s, temp dirs on %s (%s)", model,
             sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, u.machine, s_fs_name(tmp), tmp);
}

/* ---- PostgreSQL ------------------------------------------------------------ */

#ifdef SD_BENCH_HAVE_PG
/* pg-scratch.sh CMD DIR; with out, its stdout (the conninfo) minus the newline. */
static int s_pg_scratch(const char *cmd, const char *dir, char *out, size_t cap)
{
    char *argv[] = {"bash", SD_BENCH_PG_SCRATCH, (char *)cmd, (char *)dir, NULL};
    int fd = -1;
    pid_t pid;
    int rc = sd_bench_spawn(argv, false, out ? &fd : NULL, &pid);
    if (rc)
        return rc;
    size_t n = 0;
    if (out) {
        ssize_t r;
        while (n + 1 < cap &&
               ((r = read(fd, out + n, cap - 1 - n)) > 0 || (r < 0 && errno == EINTR)))
            n += r > 0 ? (size_t)r : 0;
        close(fd);
        out[n] = 0;
        out[strcspn(out, "\n")] = 0;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return SD_EIO;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "sd-bench-tickets: %s %s %s failed\n", SD_BENCH_PG_SCRATCH, cmd, dir);
        return SD_EUNAVAILABLE;
    }
    return out && !out[0] ? SD_EUNAVAILABLE : 0;
}
#endif

/* ---- report ---------------------------------------------------------------- */

/* After one run of half ("sundesk", "PostgreSQL"): its figures on stdout,
 * their line tagged tag, or why it failed on stderr. Returns whether it passed. */
static bool s_report_run(const char *half, const char *tag, int clients, int rc,
                         const sd_bench_result_t *r)
{
    if (rc) {
        fprintf(stderr, "sd-bench-tickets: %s, %d clients: run failed (%s)\n", half, clients,
                sd_strerror(rc));
        return false;
    }
    printf("%-10s clients %4d  %8.0f tickets/s  p50 %7.2f ms  p99 %7.2f ms  (%d in %.2f s)\n", tag,
           r->clients, r->tickets_per_sec, r->p50_ms, r->p99_ms, r->tickets, r->seconds);
    fflush(stdout);
    return true;
}

static void s_print_table(const s_opts_t *o, const s_row_t *rows, const char *pg_name,
                          const char *machine, const char *cmdline)
{
    bool pg = !o->no_pg;
    printf("\n| clients | sundesk tickets/s | p50 ms | p99 ms |");
    if (pg)
        printf(" %s tickets/s | p50 ms | p99 ms | sundesk / PG |", pg_name);
    printf("\n|--:|--:|--:|--:|%s\n", pg ? "--:|--:|--:|--:|" : "");
    for (int i = 0; i < o->ncounts; i++) {
        const s_row_t *r = &rows[i];
        printf("| %d |", o->clients[i]);
        if (r->sd_ok)
            printf(" %.0f | %.2f | %.2f |", r->sd.tickets_per_sec, r->sd.p50_ms, r->sd.p99_ms);
        else
            printf(" failed | - | - |");
        if (pg && r->pg_ok)
            printf(" %.0f | %.2f | %.2f |", r->pg.tickets_per_sec, r->pg.p50_ms, r->pg.p99_ms);
        else if (pg)
            printf(" failed | - | - |");
        if (pg && r->sd_ok && r->pg_ok && r->pg.tickets_per_sec > 0.0)
            printf(" %.2fx |", r->sd.tickets_per_sec / r->pg.tickets_per_sec);
        else if (pg)
            printf(" - |");
        printf("\n");
    }
    printf("\n%d tickets per run; each a durable create (sundesk: answered after the LMDB group "
           "commit%s), one request in flight per client.  \n"
           "Machine: %s.  \n"
           "Command: `%s`\n",
           o->tickets,
           pg ? "; PostgreSQL: one INSERT per transaction, synchronous_commit = on" : "", machine,
           cmdline);
}

int main(int argc, char **argv)
{
    s_opts_t o;
    int prc = s_parse_opts(argc, argv, &o);
    if (prc)
        return prc == 1 ? 0 : 2;
#ifndef SD_BENCH_HAVE_PG
    if (o.pg) {
        fprintf(stderr, "sd-bench-tickets: built without libpq; --pg is not available\n");
        return 2;
    }
    if (!o.no_pg)
        fprintf(stderr, "sd-bench-tickets: built without libpq: sundesk only\n");
    o.no_pg = true;
#endif
    char bin[PATH_MAX];
    int rc = sd_bench_node_find(o.sundeskd, bin, sizeof bin);
    if (rc) {
        fprintf(stderr, "sd-bench-tickets: no executable node at %s; give --sundeskd PATH\n", bin);
        return 2;
    }

    sd_bench_trap_signals(s_on_signal);
    const char *tmp_parent;
    char tmp[PATH_MAX];
    if (sd_bench_make_tmp("sd-bench-tickets", "sd-bench", &tmp_parent, tmp, sizeof tmp) != 0)
        return 1;
    /* Searchable, not listable: as root, pg-scratch.sh runs the server as the
     * postgres user, who must reach TMP/pg. */
    chmod(tmp, 0711);

    char machine[512], cmdline[4096];
    s_machine(tmp_parent, machine, sizeof machine);
    sd_bench_command_line(argc, argv, cmdline, sizeof cmdline);
    if (!strcmp(s_fs_name(tmp_parent), "tmpfs"))
        fprintf(stderr,
                "sd-bench-tickets: warning: %s is tmpfs, fsync is free there and the "
                "figures mean nothing; set TMPDIR to a directory on disk\n",
                tmp_parent);
    printf("sd-bench-tickets: %d tickets per run, clients", o.tickets);
    for (int i = 0; i < o.ncounts; i++)
        printf("%s%d", i ? "," : " ", o.clients[i]);
    char shown[PATH_MAX];
    printf("\nnode: %s\nmachine: %s\n\n", realpath(bin, shown) ? shown : bin, machine);
    fflush(stdout);

    s_row_t rows[S_MAX_COUNTS] = {0};
    bool all_ok = true;
    for (int i = 0; i < o.ncounts && !s_interrupted; i++) {
        rc = sd_bench_sd_run(bin, tmp, o.clients[i], o.tickets, &s_interrupted, &rows[i].sd);
        rows[i].sd_ok = s_report_run("sundesk", "sundesk", o.clients[i], rc, &rows[i].sd);
        all_ok = all_ok && rows[i].sd_ok;
    }

    char pg_name[64] = "PostgreSQL";
#ifdef SD_BENCH_HAVE_PG
    if (!o.no_pg && !s_interrupted) {
        char pg_dir[PATH_MAX], conninfo[1024];
        bool started = false;
        int pg_rc = 0;
        if (snprintf(pg_dir, sizeof pg_dir, "%s/pg", tmp) >= (int)sizeof pg_dir) {
            pg_rc = SD_ETOOLONG;
        } else if (o.pg) {
            snprintf(conninfo, sizeof conninfo, "%s", o.pg);
        } else {
            printf("starting PostgreSQL in %s\n", pg_dir);
            fflush(stdout);
            pg_rc = s_pg_scratch("start", pg_dir, conninfo, sizeof conninfo);
            /* Started or half-started: stop it either way. */
            started = true;
        }
        char version[32];
        if (pg_rc == 0 && sd_bench_pg_version(conninfo, version, sizeof version) == 0)
            snprintf(pg_name, sizeof pg_name, "PostgreSQL %s", version);
        for (int i = 0; pg_rc == 0 && i < o.ncounts && !s_interrupted; i++) {
            int one = sd_bench_pg_setup(conninfo);
            one = one ?: sd_bench_pg_run(conninfo, o.clients[i], o.tickets, &rows[i].pg);
            rows[i].pg_ok = s_report_run("PostgreSQL", "postgres", o.clients[i], one, &rows[i].pg);
            all_ok = all_ok && rows[i].pg_ok;
        }
        if (pg_rc)
            all_ok = false;
        if (started && s_pg_scratch("stop", pg_dir, NULL, 0) != 0)
            all_ok = false;
    }
#endif
    sd_bench_rm_tree(tmp);
    if (s_interrupted) {
        fprintf(stderr, "sd-bench-tickets: interrupted\n");
        return 130;
    }

    printf("\n");
    for (int i = 0; i < o.ncounts; i++)
        if (rows[i].sd_ok && rows[i].pg_ok && rows[i].pg.tickets_per_sec > 0.0)
            printf("clients %4d: sundesk / %s = %.2fx tickets/s\n", o.clients[i], pg_name,
                   rows[i].sd.tickets_per_sec / rows[i].pg.tickets_per_sec);
    s_print_table(&o, rows, pg_name, machine, cmdline);
    return all_ok ? 0 : 1;
}
