/* harness.c - real sundeskd processes for integration tests. */
#include "harness.h"

#include "error.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

bool sd_test_tempdir(char *out, size_t cap)
{
    snprintf(out, cap, "/tmp/sd-test.XXXXXX");
    return mkdtemp(out) != NULL;
}

void sd_test_rmtree(const char *dir)
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", dir, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

void sd_test_arg(sd_request_t *req, const char *name, const char *text)
{
    if (sd_request_set(req, sd_req_arg_find(req->op, name), text, NULL) != 0) {
        fprintf(stderr, "bad test argument %s=%s\n", name, text);
        abort();
    }
}

sd_client_t *sd_test_client(const sd_test_node_t *node, int timeout_ms)
{
    sd_client_t *c = NULL;
    sd_client_new(node->endpoint, timeout_ms, &c);
    return c;
}

static bool s_ping(const sd_test_node_t *node)
{
    sd_client_t *c = sd_test_client(node, 500);
    if (!c)
        return false;
    sd_request_t req = {.op = SD_REQ_NODE_PING};
    sd_reply_t reply;
    bool ok = sd_client_call(c, &req, &reply) == 0 && reply.ok;
    if (ok)
        sd_reply_clear(&reply);
    sd_client_destroy(&c);
    return ok;
}

bool sd_test_node_start(sd_test_node_t *node, const char *dir)
{
    const char *bin = getenv("SD_BIN");
    char exe[512], log[512];
    snprintf(exe, sizeof exe, "%s/node/sundeskd", bin ? bin : ".");
    snprintf(node->dir, sizeof node->dir, "%s", dir);
    snprintf(node->endpoint, sizeof node->endpoint, "ipc://%s/sundesk.sock", dir);
    snprintf(log, sizeof log, "%s.log", dir);
    node->pid = fork();
    if (node->pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl(exe, exe, "--data", dir, (char *)NULL);
        _exit(127);
    }
    if (node->pid < 0)
        return false;
    for (int i = 0; i < 200; i++) {
        if (s_ping(node))
            return true;
        if (waitpid(node->pid, NULL, WNOHANG) == node->pid) {
            node->pid = 0;
            return false;
        }
        nanosleep(&(struct timespec){0, 50 * 1000000}, NULL);
    }
    return false;
}

int sd_test_node_stop(sd_test_node_t *node, int sig)
{
    if (!node->pid)
        return -1;
    int status = 0;
    kill(node->pid, sig);
    waitpid(node->pid, &status, 0);
    node->pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
