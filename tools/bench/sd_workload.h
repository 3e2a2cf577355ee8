/* sd_workload.h - sundesk half of the ticket-creation benchmark: a fresh node, N clients, one each.
 */
#ifndef SD_SD_WORKLOAD_H
#define SD_SD_WORKLOAD_H

#include "bench_stats.h"

#include <signal.h>

/* Error codes (SD_E*) are those of proto/error.h. */

/* Create tickets tickets on a node of its own with clients concurrent
 * clients. The node is bin, started on the fresh data dir TMP/node-CLIENTS
 * (an empty store, as each PostgreSQL run starts from an empty table).
 * Each client is a pthread with its own connection (sd_client_t) and one
 * request in flight; it creates its share (tickets / clients, the first
 * tickets % clients clients one more) one by one with ticket.new, the same
 * payload as pg_workload's INSERT, and times each one: one round trip that
 * returns only after the node's LMDB group commit. Clients connect and ping
 * before the clock starts; the wall time runs from releasing all clients at
 * once until the last one finishes. Afterwards node.status must count
 * exactly tickets tickets; then the node is stopped and its data dir removed.
 * bin: the node binary (see sd_bench_node_find()); tmp: an existing dir on
 * the disk to measure; clients: 1..1000; tickets: >= 1; interrupted: not
 * NULL, a flag the caller's SIGINT/SIGTERM handler sets, on which clients
 * stop at their next ticket; out: owned by the caller, meaningful only on
 * success.
 * Returns 0; SD_ETOOLONG when the paths do not fit; SD_EIO,
 * SD_EUNAVAILABLE, SD_ETIMEOUT when the node does not start (see
 * sd_bench_node_start()); a client's error when it cannot connect or the
 * node stops answering; SD_ESTORE when a create was refused (counted,
 * the first reason reported); SD_EUNAVAILABLE when interrupted;
 * SD_ECORRUPT when the node holds another number of tickets; SD_EIO when
 * the node exits badly on SIGTERM; SD_ENOMEM. Reasons go to stderr. */
int sd_bench_sd_run(const char *bin, const char *tmp, int clients, int tickets,
                    const volatile sig_atomic_t *interrupted, sd_bench_result_t *out);

#endif
