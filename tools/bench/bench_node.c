/* bench_node.c - the sundeskd under test: find it, start it on a temp data dir, ask it, stop it. */
#include "bench_node.h"

#include "bench_stats.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define S_START_MS 15000 /* node start until node.ping answers */
#define S_STOP_MS  15000 /* SIGTERM until the node has exited */

/* ---- files and processes -------------------------------------------------- */

static int s_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    if (remove(path) != 0 && errno != ENOENT)
        fprintf(stderr, "sd-bench-tickets: cannot remove %s: %s\n", path, strerror(errno));
    return 0; /* remove what can be removed */
}

/* FTW_PHYS so a symlink in there is never followed out of it. */
void sd_bench_rm_tree(const char *path)
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

/* Programs sit in the build tree, e.g. BUILD/node/sundeskd and BUILD/tools/sundesk seen from
 * BUILD/tools/bench; rel[0] is the usual place, the others (a flat install layout) come after. */
static int s_find(const char *given, const char *const *rel, size_t nrel, char *out, size_t cap)
{
    if (given) {
        if (snprintf(out, cap, "%s", given) >= (int)cap)
            return SD_ETOOLONG;
        return access(out, X_OK) == 0 ? 0 : SD_ENOTFOUND;
    }
    char dir[PATH_MAX];
    if (s_exe_dir(dir, sizeof dir) != 0)
        return SD_EIO;
    char first[PATH_MAX + 32];
    for (size_t i = 0; i < nrel; i++) {
        char cand[PATH_MAX + 32];
        snprintf(cand, sizeof cand, "%s/%s", dir, rel[i]);
        if (i == 0)
            memcpy(first, cand, sizeof first);
        /* On a miss, out names the usual place for the error message. */
        const char *pick = access(cand, X_OK) == 0 ? cand : i + 1 == nrel ? first : NULL;
        if (!pick)
            continue;
        if (strlen(pick) >= cap)
            return SD_ETOOLONG;
        memcpy(out, pick, strlen(pick) + 1);
        return pick == cand ? 0 : SD_ENOTFOUND;
    }
    return SD_ENOTFOUND;
}

int sd_bench_node_find(const char *given, char *out, size_t cap)
{
    static const char *const rel[] = {"../../node/sundeskd", "../node/sundeskd"};
    return s_find(given, rel, sizeof rel / sizeof rel[0], out, cap);
}

int sd_bench_cli_find(const char *given, char *out, size_t cap)
{
    static const char *const rel[] = {"../sundesk", "sundesk"};
    return s_find(given, rel, sizeof rel / sizeof rel[0], out, cap);
}

int sd_bench_programs_find(const char *who, const char *sundeskd, const char *sundesk,
                           char bin[PATH_MAX], char cli[PATH_MAX])
{
    int rc = sd_bench_node_find(sundeskd, bin, PATH_MAX);
    if (rc) {
        fprintf(stderr, "%s: no executable node at %s; give --sundeskd PATH\n", who, bin);
        return rc;
    }
    rc = sd_bench_cli_find(sundesk, cli, PATH_MAX);
    if (rc)
        fprintf(stderr, "%s: no executable CLI at %s; give --sundesk PATH\n", who, cli);
    return rc;
}

/* Only async-signal-safe calls between fork and exec: libzmq's threads run. */
int sd_bench_spawn(char *const argv[], bool new_group, int *out_fd, pid_t *pid)
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

int sd_bench_cli_run(const char *who, char *const argv[], char *out, size_t cap,
                     const volatile sig_atomic_t *interrupted)
{
    int fd = -1;
    pid_t pid;
    int rc = sd_bench_spawn(argv, true, out ? &fd : NULL, &pid);
    if (rc)
        return rc;
    bool stopped = false;
    size_t n = 0;
    while (out && n + 1 < cap) {
        ssize_t r = read(fd, out + n, cap - 1 - n);
        if (r < 0 && errno == EINTR && *interrupted && !stopped)
            stopped = kill(pid, SIGTERM) == 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    if (out) {
        out[n] = 0;
        close(fd);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return SD_EIO;
        if (*interrupted && !stopped)
            stopped = kill(pid, SIGTERM) == 0;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "%s: %s %s %s failed\n", who, argv[0], argv[3], argv[4]);
        return SD_EIO;
    }
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

/* ---- talking to the node -------------------------------------------------- */

int sd_bench_call_ok(sd_client_t *c, sd_request_t *req, sd_reply_t *reply, char *why, size_t cap)
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

int sd_bench_ping(sd_client_t *c, char *why, size_t cap)
{
    sd_request_t req = {.op = SD_REQ_NODE_PING};
    sd_reply_t reply;
    int rc = sd_bench_call_ok(c, &req, &reply, why, cap);
    if (!rc)
        sd_reply_clear(&reply);
    return rc;
}

int sd_bench_node_ticket_count(const char *endpoint, uint64_t *count)
{
    sd_client_t *c = NULL;
    char why[256];
    int rc = sd_client_new(endpoint, SD_BENCH_CALL_MS, &c);
    if (rc)
        return rc;
    sd_request_t req = {.op = SD_REQ_NODE_STATUS};
    sd_reply_t reply;
    rc = sd_bench_call_ok(c, &req, &reply, why, sizeof why);
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

/* ---- start and stop ------------------------------------------------------- */

/* Wait until the node answers node.ping; fails early when it exits. */
static int s_wait_ready(pid_t pid, const char *endpoint, const volatile sig_atomic_t *interrupted)
{
    int64_t deadline = s_mono_ms() + S_START_MS;
    char why[256] = "no socket";
    while (s_mono_ms() < deadline && !*interrupted) {
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
            int rc = sd_bench_ping(c, why, sizeof why);
            sd_client_destroy(&c);
            if (rc == 0)
                return 0;
        }
        s_sleep_ms(20);
    }
    if (!*interrupted)
        fprintf(stderr, "sd-bench-tickets: the node did not answer node.ping in %d ms (%s)\n",
                S_START_MS, why);
    return SD_ETIMEOUT;
}

/* SIGTERM, then wait; SIGKILL after S_STOP_MS. */
static int s_stop(pid_t pid)
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

int sd_bench_node_start(const char *bin, const char *data, const volatile sig_atomic_t *interrupted,
                        sd_bench_node_t *node)
{
    return sd_bench_node_start_http(bin, data, NULL, interrupted, node);
}

int sd_bench_node_start_http(const char *bin, const char *data, const char *http,
                             const volatile sig_atomic_t *interrupted, sd_bench_node_t *node)
{
    if (snprintf(node->data, sizeof node->data, "%s", data) >= (int)sizeof node->data ||
        snprintf(node->endpoint, sizeof node->endpoint, "ipc://%s/sundesk.sock", data) >=
            (int)sizeof node->endpoint)
        return SD_ETOOLONG;
    /* Without http the node serves what its (absent) config says, as it always did here. */
    char *argv[] = {(char *)bin, "--data", node->data, http ? "--http" : NULL, (char *)http, NULL};
    int rc = sd_bench_spawn(argv, true, NULL, &node->pid);
    if (rc) {
        fprintf(stderr, "sd-bench-tickets: cannot start %s: %s\n", bin, strerror(errno));
        return rc;
    }
    rc = s_wait_ready(node->pid, node->endpoint, interrupted);
    if (rc == SD_EUNAVAILABLE) /* exited already, and reaped */
        sd_bench_rm_tree(node->data);
    else if (rc)
        sd_bench_node_stop(node); /* its own complaint, if any, is printed; ours wins */
    return rc;
}

int sd_bench_node_stop(sd_bench_node_t *node)
{
    int rc = s_stop(node->pid);
    sd_bench_rm_tree(node->data);
    return rc;
}
