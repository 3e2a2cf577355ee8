/* harness.h - starts and stops real sundeskd processes for integration tests. */
#ifndef SD_TEST_HARNESS_H
#define SD_TEST_HARNESS_H

#include "client.h"

#include <stdbool.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;          /* running sundeskd, 0 when stopped */
    char dir[256];      /* its data directory */
    char endpoint[320]; /* ipc://DIR/sundesk.sock */
} sd_test_node_t;

/* Makes a fresh temporary directory (mkdtemp) into out (cap bytes). */
bool sd_test_tempdir(char *out, size_t cap);

/* Removes a directory tree (rm -rf). */
void sd_test_rmtree(const char *dir);

/* Starts $SD_BIN/node/sundeskd --data dir (output to dir/node.log) and waits
 * until it answers node.ping (at most 10 s). Returns true when it is ready. */
bool sd_test_node_start(sd_test_node_t *node, const char *dir);

/* Sends sig (SIGTERM, SIGKILL) and reaps the process; returns its exit
 * status (or 128 + signal). */
int sd_test_node_stop(sd_test_node_t *node, int sig);

/* A connected client of the node, with the given per-call timeout. */
sd_client_t *sd_test_client(const sd_test_node_t *node, int timeout_ms);

/* Sets argument name of req from text (as the CLI does). */
void sd_test_arg(sd_request_t *req, const char *name, const char *text);

#endif
