/* bench_tickets.c - sd-bench-tickets: durable ticket creation, a sundesk node vs PostgreSQL. */
#include "bench_payload.h"
#include "bench_stats.h"
#ifdef SD_BENCH_HAVE_PG
#include "pg_workload.h"
#endif

#include "client.h"
#include "error.h"
#include "request.h"

#include <czmq.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SD_BENCH_PG_SCRATCH
#define SD_BENCH_PG_SCRATCH "pg-scratch.sh"
#endif

#define S_MAX_CLIENTS   1000  /* as pg_workload allows */
#define S_MAX_COUNTS    16    /* entries of --clients */
#define S_CALL_MS       30000 /* one create; far above any sane commit time */
#define S_START_MS      15000 /* node start until node.ping answers */
#define S_STOP_MS       15000 /* SIGTERM until the node has exited */
#define S_AUTHOR        "bench"
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

/* Strict decimal in [min, max]: a typo must not become a silent 0. */
static int s_parse_int(const char *text, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!*text || *end || errno || v < min || v > max)
        return SD_ERANGE;
    *out = (int)v;
    return 0;
}

static int s_parse_clients(const char *text, s_opts_t *o)
{
    char buf[256];
    if (snprintf(buf, sizeof buf, "%s", text) >= (int)sizeof buf)
        return SD_ETOOLONG;
    o->ncounts = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (o->ncounts == S_MAX_COUNTS)
            return SD_ETOOBIG;
        if (s_parse_int(tok, 1, S_MAX_CLIENTS, &o->clients[o->ncounts]) != 0)
            return SD_ERANGE;
        o->ncounts++;
    }
    return o->ncounts > 0 ? 0 : SD_EMISSING;
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
            if (s_parse_int(optarg, 1, 100000000, &o->tickets) != 0) {
                fprintf(stderr, "sd-bench-tickets: --tickets: expected 1..100000000\n");
                return 2;
            }
            break;
        case 'c':
            if (s_parse_clients(optarg, o) != 0) {
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

static void s_cpu_model(char *out, size_t cap)
{
    snprintf(out, cap, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0)
            continue;
        const char *v = strchr(line, ':');
        if (!v)
            continue;
        v += strspn(v + 1, " \t") + 1;
        size_t n = strcspn(v, "\n");
        snprintf(out, cap, "%.*s", (int)n, v);
        break;
    }
    fclose(f);
}

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
    s_cpu_model(model, sizeof model);
    struct utsname u;
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    snprintf(out, cap, "%s, nproc %ld, %s %s %s, temp dirs on %s (%s)", model,
             sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, u.machine, s_fs_name(tmp), tmp);
}

/* argv as a shell would need it typed: words with special characters quoted. */
static void s_command_line(int argc, char **argv, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < argc && n < cap; i++) {
        const char *a = argv[i];
        bool plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789-_./=,:@+%") == strlen(a);
        int w;
        if (plain) {
            w = snprintf(out + n, cap - n, "%s%s", i ? " " : "", a);
        } else {
            w = snprintf(out + n, cap - n, "%s'", i ? " " : "");
            for (const char *p = a; w >= 0 && n + (size_t)w < cap && *p; p++) {
                int k = *p == '\'' ? snprintf(out + n + w, cap - n - w, "'\\''")
                                   : snprintf(out + n + w, cap - n - w, "%c", *p);
                w = k < 0 ? -1 : w + k;
            }
            if (w >= 0 && n + (size_t)w < cap)
                w += snprintf(out + n + w, cap - n - w, "'");
        }
        if (w < 0)
            break;
        n += (size_t)w;
    }
}

/* ---- files and processes -------------------------------------------------- */

static int s_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    if (remove(path) != 0 && errno != ENOENT)
        fprintf(stderr, "sd-bench-tickets: cannot remove %s: %s\n", path, strerror(errno));
    return 0; /* remove what can be removed */
}

/* rm -rf path; FTW_PHYS so a symlink in there is never followed out of it. */
static void s_rm_tree(const char *path)
{
    nftw(path, s_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Directory of this executable, from /proc/self/exe (argv[0] may be relative
 * to a directory we never saw, or found through PATH). */
static int s_exe_dir(char *out, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", out, cap - 1);
    if (n <= 0 || (size_t)n >= cap - 1)
        return SD_EIO;
    out[n] = 0;
    char *slash = strrchr(out, '/');
    if (!slash)
        return SD_EIO;
    *slash = 0;
    return 0;
}

/* The node binary: --sundeskd, else the build tree's node/sundeskd. The bench
 * sits in BUILD/tools/bench, the node in BUILD/node; ../node (a flat install
 * layout, tools and node side by side) is tried second. */
static int s_find_sundeskd(const char *given, char *out, size_t cap)
{
    if (given) {
        if (snprintf(out, cap, "%s", given) >= (int)cap)
            return SD_ETOOLONG;
        return access(out, X_OK) == 0 ? 0 : SD_ENOTFOUND;
    }
    char dir[PATH_MAX];
    if (s_exe_dir(dir, sizeof dir) != 0)
        return SD_EIO;
    static const char *const rel[] = {"../../node/sundeskd", "../node/sundeskd"};
    char first[PATH_MAX + 32];
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char cand[PATH_MAX + 32];
        snprintf(cand, sizeof cand, "%s/%s", dir, rel[i]);
        if (i == 0)
            memcpy(first, cand, sizeof first);
        /* On a miss, out names the usual place for the error message. */
        const char *pick = access(cand, X_OK) == 0               ? cand
                           : i + 1 == sizeof rel / sizeof rel[0] ? first
                                                                 : NULL;
        if (!pick)
            continue;
        if (strlen(pick) >= cap)
            return SD_ETOOLONG;
        memcpy(out, pick, strlen(pick) + 1);
        return pick == cand ? 0 : SD_ENOTFOUND;
    }
    return SD_ENOTFOUND;
}

/* fork/exec argv (argv[0] looked up in PATH) with stdout to /dev/null, or to
 * a pipe whose read end goes to *out_fd when out_fd is given; stderr stays
 * ours, so the child's complaints are seen. new_group: the child gets its own
 * process group. Returns 0 and *pid, or SD_EIO when pipe or fork fail.
 * Only async-signal-safe calls between fork and exec: libzmq's threads run. */
static int s_spawn(char *const argv[], bool new_group, int *out_fd, pid_t *pid)
{
    int pipefd[2] = {-1, -1};
    if (out_fd && pipe2(pipefd, O_CLOEXEC) != 0)
        return SD_EIO;
    pid_t p = fork();
    if (p < 0) {
        if (out_fd)
            close(pipefd[0]), close(pipefd[1]);
        return SD_EIO;
    }
    if (p == 0) {
        /* Own process group: a Ctrl-C on the terminal reaches only us, and we
         * stop the node in order, after the clients. */
        if (new_group)
            setpgid(0, 0);
        int fd = out_fd ? pipefd[1] : open("/dev/null", O_WRONLY);
        if (fd >= 0)
            dup2(fd, STDOUT_FILENO);
        execvp(argv[0], argv);
        static const char msg[] = "sd-bench-tickets: cannot execute a child program\n";
        ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)ignored;
        _exit(127);
    }
    if (out_fd) {
        close(pipefd[1]);
        *out_fd = pipefd[0];
    }
    *pid = p;
    return 0;
}

/* Milliseconds on the monotonic clock, for deadlines. */
static int64_t s_mono_ms(void)
{
    return (int64_t)(sd_bench_now_usec() / 1000u);
}

static void s_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* SIGTERM, then wait; SIGKILL after S_STOP_MS. Returns 0 when the node exited
 * with status 0, SD_EIO otherwise (a node that dies badly is worth a warning). */
static int s_node_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    int64_t deadline = s_mono_ms() + S_STOP_MS;
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
            return SD_EIO;
        if (s_mono_ms() > deadline) {
            fprintf(stderr, "sd-bench-tickets: node %d ignores SIGTERM; killing it\n", (int)pid);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return SD_EIO;
        }
        s_sleep_ms(10);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "sd-bench-tickets: node exited with %s %d\n",
                WIFEXITED(status) ? "status" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return SD_EIO;
    }
    return 0;
}

/* One call whose reply must be ok. Returns 0, the call's error, or the reply's
 * code; the node's message goes into why. */
static int s_call_ok(sd_client_t *c, sd_request_t *req, sd_reply_t *reply, char *why, size_t cap)
{
    int rc = sd_client_call(c, req, reply);
    if (rc) {
        snprintf(why, cap, "%s: %s", sd_req_op_name(req->op), sd_strerror(rc));
        return rc;
    }
    if (!reply->ok) {
        snprintf(why, cap, "%s: %s: %.160s", sd_req_op_name(req->op), sd_error_name(reply->code),
                 reply->message);
        rc = reply->code < 0 ? reply->code : SD_EIO;
        sd_reply_clear(reply);
    }
    return rc;
}

static int s_ping(sd_client_t *c, char *why, size_t cap)
{
    sd_request_t req = {.op = SD_REQ_NODE_PING};
    sd_reply_t reply;
    int rc = s_call_ok(c, &req, &reply, why, cap);
    if (!rc)
        sd_reply_clear(&reply);
    return rc;
}

/* Wait until the node answers node.ping; fails early when it exits. */
static int s_node_wait_ready(pid_t pid, const char *endpoint)
{
    int64_t deadline = s_mono_ms() + S_START_MS;
    char why[256] = "no socket";
    while (s_mono_ms() < deadline && !s_interrupted) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "sd-bench-tickets: the node exited at start (%s %d)\n",
                    WIFEXITED(status) ? "status" : "signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
            return SD_EUNAVAILABLE;
        }
        sd_client_t *c = NULL;
        /* A short timeout per ping: the node may not have bound the socket yet. */
        if (sd_client_new(endpoint, 500, &c) == 0) {
            int rc = s_ping(c, why, sizeof why);
            sd_client_destroy(&c);
            if (rc == 0)
                return 0;
        }
        s_sleep_ms(20);
    }
    if (!s_interrupted)
        fprintf(stderr, "sd-bench-tickets: the node did not answer node.ping in %d ms (%s)\n",
                S_START_MS, why);
    return SD_ETIMEOUT;
}

/* ---- sundesk clients ------------------------------------------------------ */

/* Start line, as in pg_workload: connection set-up is not timed. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int ready; /* clients waiting at the line */
    int go;    /* set once by the main thread */
} s_gate_t;

typedef struct {
    const char *endpoint;
    int index;   /* 0-based client number, varies the payload */
    int tickets; /* this client's share */
    s_gate_t *gate;
    atomic_int *stop;        /* the node is unreachable, or we were interrupted */
    sd_bench_stats_t *stats; /* this client's latencies, usec */
    int failures;            /* creates that did not end in ok:true */
    int rc;                  /* 0, or the first error */
    char why[256];           /* the first error, for the report */
} s_client_t;

static void s_gate_wait(s_gate_t *gate)
{
    pthread_mutex_lock(&gate->lock);
    gate->ready++;
    pthread_cond_broadcast(&gate->cond);
    while (!gate->go)
        pthread_cond_wait(&gate->cond, &gate->lock);
    pthread_mutex_unlock(&gate->lock);
}

/* Set argument name of req from text, as the CLI does. */
static int s_set_arg(sd_request_t *req, const char *name, const char *text, char *why, size_t cap)
{
    int i = sd_fields_find(sd_args_fields, sd_args_field_count, name);
    if (i < 0) {
        snprintf(why, cap, "the protocol has no argument %s", name);
        return SD_EUNKNOWN_FIELD;
    }
    sd_fault_t fault = {0};
    int rc = sd_field_parse(&sd_args_fields[i], text, &req->args, &fault);
    if (rc) {
        snprintf(why, cap, "%s", fault.text);
        return rc;
    }
    req->present |= 1ull << i;
    return 0;
}

/* The arguments every ticket of this client shares; title and requester are
 * set per ticket. Same payload as pg_workload's INSERT. */
static int s_template(sd_request_t *req, char *why, size_t cap)
{
    *req = (sd_request_t){.op = SD_REQ_TICKET_NEW};
    static const char *const args[][2] = {
        {"author", S_AUTHOR},
        {"type", SD_BENCH_TYPE},
        {"description", sd_bench_description},
        {"channel", SD_BENCH_CHANNEL},
        {"category", SD_BENCH_CATEGORY},
        {"impact", SD_BENCH_IMPACT},
        {"urgency", SD_BENCH_URGENCY},
    };
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
        int rc = s_set_arg(req, args[i][0], args[i][1], why, cap);
        if (rc)
            return rc;
    }
    return 0;
}

static int s_create_ticket(s_client_t *c, sd_client_t *cl, sd_request_t *req, int seq)
{
    char title[64], requester[48];
    int rc = sd_bench_title(title, sizeof title, c->index, seq);
    rc = rc ?: sd_bench_requester(requester, sizeof requester, c->index, seq);
    rc = rc ?: s_set_arg(req, "title", title, c->why, sizeof c->why);
    rc = rc ?: s_set_arg(req, "requester", requester, c->why, sizeof c->why);
    if (rc)
        return rc;
    sd_reply_t reply;
    rc = s_call_ok(cl, req, &reply, c->why, sizeof c->why);
    if (!rc)
        sd_reply_clear(&reply);
    return rc;
}

static void *s_client_main(void *arg)
{
    s_client_t *c = arg;
    sd_client_t *cl = NULL;
    sd_request_t req = {0};
    int rc = sd_client_new(c->endpoint, S_CALL_MS, &cl);
    if (rc)
        snprintf(c->why, sizeof c->why, "connect %s: %s", c->endpoint, sd_strerror(rc));
    /* A ping makes ZeroMQ finish connecting before the clock runs, as the
     * PostgreSQL clients connect and prepare before it. */
    rc = rc ?: s_ping(cl, c->why, sizeof c->why);
    rc = rc ?: s_template(&req, c->why, sizeof c->why);
    if (rc)
        atomic_store(c->stop, 1);

    /* Even a failed client must reach the line, or the main thread waits forever. */
    s_gate_wait(c->gate);

    for (int i = 0; rc == 0 && i < c->tickets; i++) {
        if (atomic_load_explicit(c->stop, memory_order_relaxed) || s_interrupted)
            break;
        uint64_t t0 = sd_bench_now_usec();
        int one = s_create_ticket(c, cl, &req, i);
        uint64_t t1 = sd_bench_now_usec();
        if (one == 0) {
            rc = sd_bench_stats_add(c->stats, t1 - t0);
        } else if (one == SD_ETIMEOUT || one == SD_EIO || one == SD_ENOMEM || one == SD_EMSGPACK) {
            /* No answer or garbage: the node is gone or broken, and waiting
             * S_CALL_MS per remaining ticket would only hide that. */
            c->failures++;
            rc = one;
        } else {
            c->failures++; /* a refused create: counted, the run goes on */
        }
        if (rc)
            atomic_store(c->stop, 1);
    }
    sd_request_clear(&req);
    sd_client_destroy(&cl);
    c->rc = rc;
    return NULL;
}

/* Tickets the node holds, from node.status: proves each ok:true stored one. */
static int s_node_ticket_count(const char *endpoint, uint64_t *count)
{
    sd_client_t *c = NULL;
    char why[256];
    int rc = sd_client_new(endpoint, S_CALL_MS, &c);
    if (rc)
        return rc;
    sd_request_t req = {.op = SD_REQ_NODE_STATUS};
    sd_reply_t reply;
    rc = s_call_ok(c, &req, &reply, why, sizeof why);
    if (!rc) {
        const sd_mp_node_t *t = sd_mp_get(reply.result, "tickets");
        *count = 0;
        if (!t || sd_mp_kind(t) != SD_MP_MAP)
            rc = SD_EMISSING;
        for (size_t i = 0; !rc && i < sd_mp_len(t); i++) {
            uint64_t n;
            rc = sd_mp_uint(sd_mp_val(t, i), &n);
            *count += n;
        }
        sd_reply_clear(&reply);
    } else {
        fprintf(stderr, "sd-bench-tickets: %s\n", why);
    }
    sd_client_destroy(&c);
    return rc;
}

/* The timed part against a running node: clients connect, then all start at
 * once; the clock stops when the last one is done. */
static int s_sd_clients(const char *endpoint, int clients, int tickets, sd_bench_result_t *out)
{
    s_client_t *cs = calloc((size_t)clients, sizeof *cs);
    pthread_t *tids = calloc((size_t)clients, sizeof *tids);
    sd_bench_stats_t *all = sd_bench_stats_new((size_t)tickets);
    s_gate_t gate = {.ready = 0, .go = 0};
    atomic_int stop = 0;
    int started = 0, rc = 0;
    if (!cs || !tids || !all) {
        rc = SD_ENOMEM;
        goto out;
    }
    pthread_mutex_init(&gate.lock, NULL);
    pthread_cond_init(&gate.cond, NULL);
    for (int i = 0; i < clients && rc == 0; i++) {
        cs[i] = (s_client_t){
            .endpoint = endpoint,
            .index = i,
            .tickets = tickets / clients + (i < tickets % clients ? 1 : 0),
            .gate = &gate,
            .stop = &stop,
        };
        /* Sized up front so that no realloc happens inside the timed loop. */
        cs[i].stats = sd_bench_stats_new((size_t)cs[i].tickets);
        if (!cs[i].stats)
            rc = SD_ENOMEM;
    }
    for (int i = 0; rc == 0 && i < clients; i++) {
        if (pthread_create(&tids[i], NULL, s_client_main, &cs[i]) != 0) {
            fprintf(stderr, "sd-bench-tickets: cannot start client thread %d\n", i);
            rc = SD_ENOMEM;
            break;
        }
        started++;
    }
    if (rc < 0)
        atomic_store(&stop, 1);

    pthread_mutex_lock(&gate.lock);
    while (gate.ready < started)
        pthread_cond_wait(&gate.cond, &gate.lock);
    uint64_t t0 = sd_bench_now_usec();
    gate.go = 1;
    pthread_cond_broadcast(&gate.cond);
    pthread_mutex_unlock(&gate.lock);
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    uint64_t t1 = sd_bench_now_usec();

    int failures = 0;
    const char *why = NULL;
    for (int i = 0; i < started; i++) {
        failures += cs[i].failures;
        if (!why && (cs[i].rc || cs[i].failures))
            why = cs[i].why;
        if (rc == 0 && cs[i].rc < 0)
            rc = cs[i].rc;
        if (rc == 0)
            rc = sd_bench_stats_merge(all, cs[i].stats);
    }
    if (failures)
        fprintf(stderr, "sd-bench-tickets: sundesk, %d clients: %d failed creates; first: %s\n",
                clients, failures, why ? why : "?");
    else if (why)
        fprintf(stderr, "sd-bench-tickets: sundesk, %d clients: %s\n", clients, why);
    if (rc == 0 && s_interrupted)
        rc = SD_EUNAVAILABLE;
    if (rc == 0 && (failures || sd_bench_stats_count(all) != (size_t)tickets))
        rc = SD_ESTORE;
    if (rc == 0) {
        double secs = (double)(t1 - t0) / 1e6;
        *out = (sd_bench_result_t){
            .clients = clients,
            .tickets = tickets,
            .seconds = secs,
            .tickets_per_sec = secs > 0.0 ? (double)tickets / secs : 0.0,
            .p50_ms = sd_bench_stats_percentile(all, 0.50) / 1000.0,
            .p99_ms = sd_bench_stats_percentile(all, 0.99) / 1000.0,
        };
    }
    pthread_cond_destroy(&gate.cond);
    pthread_mutex_destroy(&gate.lock);
out:
    if (cs)
        for (int i = 0; i < clients; i++)
            sd_bench_stats_destroy(&cs[i].stats);
    free(cs);
    free(tids);
    sd_bench_stats_destroy(&all);
    return rc;
}

/* One sundesk run: a node on a fresh data dir tmp/node-CLIENTS (an empty
 * store, as each PostgreSQL run starts from an empty table), the clients,
 * a count check, then the node is stopped and its data dir removed. */
static int s_sd_run(const char *bin, const char *tmp, int clients, int tickets,
                    sd_bench_result_t *out)
{
    char data[PATH_MAX], endpoint[PATH_MAX + 32];
    if (snprintf(data, sizeof data, "%s/node-%d", tmp, clients) >= (int)sizeof data ||
        snprintf(endpoint, sizeof endpoint, "ipc://%s/sundesk.sock", data) >= (int)sizeof endpoint)
        return SD_ETOOLONG;
    char *argv[] = {(char *)bin, "--data", data, NULL};
    pid_t pid;
    int rc = s_spawn(argv, true, NULL, &pid);
    if (rc) {
        fprintf(stderr, "sd-bench-tickets: cannot start %s: %s\n", bin, strerror(errno));
        return rc;
    }
    rc = s_node_wait_ready(pid, endpoint);
    if (rc == SD_EUNAVAILABLE) { /* exited already, and reaped */
        s_rm_tree(data);
        return rc;
    }
    rc = rc ?: s_sd_clients(endpoint, clients, tickets, out);
    if (rc == 0) {
        uint64_t stored = 0;
        int crc = s_node_ticket_count(endpoint, &stored);
        if (crc || stored != (uint64_t)tickets) {
            fprintf(stderr,
                    "sd-bench-tickets: the node holds %llu tickets after %d ok creates (%s)\n",
                    (unsigned long long)stored, tickets, crc ? sd_strerror(crc) : "mismatch");
            rc = crc ? crc : SD_ECORRUPT;
        }
    }
    int src = s_node_stop(pid);
    s_rm_tree(data);
    return rc ? rc : src;
}

/* ---- PostgreSQL ------------------------------------------------------------ */

#ifdef SD_BENCH_HAVE_PG
/* pg-scratch.sh CMD DIR; with out, its stdout (the conninfo) minus the newline. */
static int s_pg_scratch(const char *cmd, const char *dir, char *out, size_t cap)
{
    char *argv[] = {"bash", SD_BENCH_PG_SCRATCH, (char *)cmd, (char *)dir, NULL};
    int fd = -1;
    pid_t pid;
    int rc = s_spawn(argv, false, out ? &fd : NULL, &pid);
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

static void s_print_result(const char *who, const sd_bench_result_t *r)
{
    printf("%-10s clients %4d  %8.0f tickets/s  p50 %7.2f ms  p99 %7.2f ms  (%d in %.2f s)\n", who,
           r->clients, r->tickets_per_sec, r->p50_ms, r->p99_ms, r->tickets, r->seconds);
    fflush(stdout);
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
    int rc = s_find_sundeskd(o.sundeskd, bin, sizeof bin);
    if (rc) {
        fprintf(stderr, "sd-bench-tickets: no executable node at %s; give --sundeskd PATH\n", bin);
        return 2;
    }

    /* Our handler instead of czmq's, which would only set zsys_interrupted, a
     * flag the clients do not watch. czmq installs its own in zsys_init(), on
     * the first socket, so init it now and override after. */
    zsys_init();
    struct sigaction sa = {.sa_handler = s_on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    const char *tmp_parent = getenv("TMPDIR");
    if (!tmp_parent || !*tmp_parent)
        tmp_parent = "/tmp";
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/sd-bench-XXXXXX", tmp_parent);
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "sd-bench-tickets: cannot create a temp dir in %s: %s\n", tmp_parent,
                strerror(errno));
        return 1;
    }
    /* Searchable, not listable: as root, pg-scratch.sh runs the server as the
     * postgres user, who must reach TMP/pg. */
    chmod(tmp, 0711);

    char machine[512], cmdline[4096];
    s_machine(tmp_parent, machine, sizeof machine);
    s_command_line(argc, argv, cmdline, sizeof cmdline);
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
        rc = s_sd_run(bin, tmp, o.clients[i], o.tickets, &rows[i].sd);
        rows[i].sd_ok = rc == 0;
        if (rc) {
            all_ok = false;
            fprintf(stderr, "sd-bench-tickets: sundesk, %d clients: run failed (%s)\n",
                    o.clients[i], sd_strerror(rc));
        } else {
            s_print_result("sundesk", &rows[i].sd);
        }
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
            rows[i].pg_ok = one == 0;
            if (one) {
                all_ok = false;
                fprintf(stderr, "sd-bench-tickets: PostgreSQL, %d clients: run failed (%s)\n",
                        o.clients[i], sd_strerror(one));
            } else {
                s_print_result("postgres", &rows[i].pg);
            }
        }
        if (pg_rc)
            all_ok = false;
        if (started && s_pg_scratch("stop", pg_dir, NULL, 0) != 0)
            all_ok = false;
    }
#endif
    s_rm_tree(tmp);
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
