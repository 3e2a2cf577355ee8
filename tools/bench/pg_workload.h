/* pg_workload.h - PostgreSQL half of the ticket-creation benchmark: N libpq clients, one each. */
#ifndef SD_PG_WORKLOAD_H
#define SD_PG_WORKLOAD_H

#include "bench_stats.h"

#include <stddef.h>

/* Error codes (SD_E*) are those of proto/error.h. */

/* (Re)create the benchmark schema: sequence ticket_no, table tickets (a
 * service-desk ticket, id like 'LOCAL-000042') and its three indexes (queue:
 * status, priority, resolve_due; requester; assignee). Drops any previous
 * tickets table and sequence first, all in one transaction, so every run can
 * start from an empty table. Warns on stderr when the server runs with
 * fsync = off, because then the figures do not measure durable creation.
 * conninfo: libpq connection string, e.g. "host=/tmp/pg port=5432 dbname=postgres".
 * Returns 0; SD_EINVAL when conninfo is NULL; SD_EUNAVAILABLE when the
 * connection fails; SD_ESTORE when a statement fails. libpq's message goes
 * to stderr on failure. */
int sd_bench_pg_setup(const char *conninfo);

/* The server's version, e.g. "15.20", into buf[0..cap), for the result table.
 * conninfo: as for sd_bench_pg_setup(). Returns 0; SD_EINVAL for a NULL
 * argument or cap too small; SD_EUNAVAILABLE when the connection fails. */
int sd_bench_pg_version(const char *conninfo, char *buf, size_t cap);

/* Create tickets tickets with clients concurrent clients. Each client is a
 * pthread with its own libpq connection (synchronous_commit = on for the
 * session) and a prepared INSERT; it creates its share (tickets / clients,
 * the first tickets % clients clients one more) one by one, each INSERT its
 * own autocommitted transaction, and times each one: one round trip that
 * returns only once the commit is flushed to the WAL. Connections are opened
 * and statements prepared before the clock starts; the wall time runs from
 * releasing all clients at once until the last one finishes.
 * Call sd_bench_pg_setup() first. conninfo: as for sd_bench_pg_setup();
 * clients: 1..1000 (the server's max_connections must allow them);
 * tickets: >= 1; out: filled on success only, owned by the caller.
 * Returns 0; SD_EINVAL for a NULL or out-of-range argument; SD_EUNAVAILABLE
 * when a connection fails; SD_ESTORE when a statement fails (any failing
 * client stops all others); SD_ENOMEM when memory or a thread cannot be had.
 * libpq's message goes to stderr on failure. */
int sd_bench_pg_run(const char *conninfo, int clients, int tickets, sd_bench_result_t *out);

#endif
