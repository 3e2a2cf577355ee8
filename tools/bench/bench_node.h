/* bench_node.h - the sundeskd under test: find it, start it on a temp data dir, ask it, stop it. */
#ifndef SD_BENCH_NODE_H
#define SD_BENCH_NODE_H

#include "client.h"

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Error codes (SD_E*) are those of proto/error.h. Messages go to stderr,
 * prefixed "sd-bench-tickets: ". */

/* Timeout of one call to the node, in ms: far above any sane commit time. */
#define SD_BENCH_CALL_MS 30000

/* A node started by sd_bench_node_start(); the caller's, until stopped. */
typedef struct {
    pid_t pid;
    char data[PATH_MAX];          /* its data dir, removed by sd_bench_node_stop() */
    char endpoint[PATH_MAX + 32]; /* ipc://DATA/sundesk.sock */
} sd_bench_node_t;

/* The node binary: given (--sundeskd) when not NULL, else BUILD/node/sundeskd
 * seen from this executable in BUILD/tools/bench, else ../node/sundeskd (a
 * flat install layout), into out[0..cap). On a miss out still names the
 * usual place, for the error message.
 * Returns 0 when out is executable; SD_ENOTFOUND when it is not;
 * SD_ETOOLONG when the path does not fit; SD_EIO when /proc/self/exe
 * cannot be read. */
int sd_bench_node_find(const char *given, char *out, size_t cap);

/* The sundesk CLI, found as sd_bench_node_find() finds the node: given when not NULL, else
 * BUILD/tools/sundesk seen from BUILD/tools/bench, else sundesk beside this executable.
 * Returns as sd_bench_node_find(). */
int sd_bench_cli_find(const char *given, char *out, size_t cap);

/* Runs the CLI (argv[0]) with argv in its own process group and waits for it; its stdout into
 * out[0..cap) (NUL-terminated, cut at cap - 1) when out is not NULL, else to /dev/null. When
 * *interrupted (not NULL) is set meanwhile, the CLI gets SIGTERM. who prefixes the message.
 * Returns 0 when it exited 0; SD_EIO when it could not be started or failed (its own complaint
 * is on stderr, ours names argv[3] and argv[4], the command's words after --data DIR). */
int sd_bench_cli_run(const char *who, char *const argv[], char *out, size_t cap,
                     const volatile sig_atomic_t *interrupted);

/* The --help lines of the options that sd_bench_programs_find() takes, and of --help. */
#define SD_BENCH_PROGRAMS_HELP                                                                     \
    "  --sundeskd PATH    node binary (default: the build tree's node/sundeskd)\n"                 \
    "  --sundesk PATH     CLI binary (default: the build tree's tools/sundesk)\n"                  \
    "  -h, --help         this text\n"

/* Both programs a benchmark that uses the CLI needs: the node (sd_bench_node_find with sundeskd)
 * into bin and the CLI (sd_bench_cli_find with sundesk) into cli, each [0..PATH_MAX). A miss is
 * reported on stderr, prefixed who, with the option that fixes it. Returns 0, or the first
 * miss's error. */
int sd_bench_programs_find(const char *who, const char *sundeskd, const char *sundesk,
                           char bin[PATH_MAX], char cli[PATH_MAX]);

/* fork/exec argv (argv[0] looked up in PATH) with stdout to /dev/null, or to
 * a pipe whose read end goes to *out_fd (the caller's to close) when out_fd
 * is not NULL; stderr stays ours, so the child's complaints are seen.
 * new_group: the child gets its own process group, so that a Ctrl-C on the
 * terminal reaches only us and we stop the child in order.
 * Returns 0 and *pid (the caller's to reap), or SD_EIO when pipe or fork fail. */
int sd_bench_spawn(char *const argv[], bool new_group, int *out_fd, pid_t *pid);

/* rm -rf path, never following a symlink out of it; what cannot be removed
 * is reported and left. */
void sd_bench_rm_tree(const char *path);

/* One call whose reply must be ok. c, req: the caller's; reply: filled and
 * owned by the caller (sd_reply_clear) on success only.
 * Returns 0, the call's error, or the reply's code (SD_EIO when that is not
 * an error code); then why[0..cap) says "OP: what went wrong". */
int sd_bench_call_ok(sd_client_t *c, sd_request_t *req, sd_reply_t *reply, char *why, size_t cap);

/* node.ping on c. Returns as sd_bench_call_ok(). */
int sd_bench_ping(sd_client_t *c, char *why, size_t cap);

/* Start bin on the fresh data dir data (created by the node) and wait up to
 * 15 s until it answers node.ping on ipc://DATA/sundesk.sock, giving up
 * early when it exits or *interrupted (not NULL; set by the caller's signal
 * handler) is set. node: filled by the call, the caller's. On failure no
 * node is left running and data is removed.
 * Returns 0 and *node, running; SD_ETOOLONG when the paths do not fit;
 * SD_EIO when it cannot be started; SD_EUNAVAILABLE when it exited;
 * SD_ETIMEOUT when it did not answer in time or we were interrupted. */
int sd_bench_node_start(const char *bin, const char *data, const volatile sig_atomic_t *interrupted,
                        sd_bench_node_t *node);

/* As sd_bench_node_start(), with `--http http` (e.g. "127.0.0.1:7481") on the node's command
 * line when http is not NULL; then the node also serves its HTTP API there. Returns as
 * sd_bench_node_start(); SD_EUNAVAILABLE also when the address cannot be served. */
int sd_bench_node_start_http(const char *bin, const char *data, const char *http,
                             const volatile sig_atomic_t *interrupted, sd_bench_node_t *node);

/* Tickets a node at endpoint holds, from node.status (sum over its sites),
 * into *count. Returns 0 or the call's error (reported on stderr);
 * SD_EMISSING when the status has no tickets map. */
int sd_bench_node_ticket_count(const char *endpoint, uint64_t *count);

/* SIGTERM the node, wait for it (SIGKILL after 15 s) and remove its data dir.
 * Returns 0 when it exited with status 0, SD_EIO otherwise (reported): a
 * node that dies badly is worth a warning. */
int sd_bench_node_stop(sd_bench_node_t *node);

#endif
