/* pg_workload.c - PostgreSQL half of the ticket-creation benchmark: schema, clients, timing. */
/* clock_gettime() is POSIX, hidden by a strict -std=c11 unless asked for. */
#if !defined(_POSIX_C_SOURCE) && !defined(_GNU_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "pg_workload.h"

#include "bench_payload.h"
#include "bench_threads.h"
#include "../../proto/error.h"

#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_MAX_CLIENTS 1000
#define S_STMT_NAME   "sd_create_ticket"
#define S_NPARAMS     19

/* The id comes from the sequence inside the statement, as the node makes it
 * inside its write transaction. lpad() alone would truncate numbers past six
 * digits and collide, hence greatest(); the scalar subquery calls nextval once. */
static const char s_insert_sql[] =
    "INSERT INTO tickets (id, type, major, title, description, requester, channel, category,"
    " impact, urgency, priority, status, tier, assignee, owner, owner_site,"
    " response_due, resolve_due, created_at, updated_at)"
    " VALUES ((SELECT 'LOCAL-' || lpad(n::text, greatest(6, length(n::text)), '0')"
    " FROM nextval('ticket_no') AS n),"
    " $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";

/* One transaction, so a failed setup leaves the previous schema (or none). */
static const char s_schema_sql[] =
    "SET client_min_messages = warning;"
    "DROP TABLE IF EXISTS tickets;"
    "DROP SEQUENCE IF EXISTS ticket_no;"
    "CREATE SEQUENCE ticket_no;"
    "CREATE TABLE tickets ("
    " id text PRIMARY KEY,"
    " type text NOT NULL,"
    " major bool NOT NULL,"
    " title text NOT NULL,"
    " description text NOT NULL,"
    " requester text NOT NULL,"
    " channel text NOT NULL,"
    " category text NOT NULL,"
    " impact smallint NOT NULL,"
    " urgency smallint NOT NULL,"
    " priority smallint NOT NULL,"
    " status text NOT NULL,"
    " tier text NOT NULL,"
    " assignee text,"
    " owner text,"
    " owner_site text NOT NULL,"
    " response_due bigint NOT NULL,"
    " resolve_due bigint NOT NULL,"
    " created_at bigint NOT NULL,"
    " updated_at bigint NOT NULL);"
    "CREATE INDEX tickets_queue_idx ON tickets (status, priority, resolve_due);"
    "CREATE INDEX tickets_requester_idx ON tickets (requester);"
    "CREATE INDEX tickets_assignee_idx ON tickets (assignee);";

/* One client: the runner's part first, so that the body can cast back. */
typedef struct {
    sd_bench_client_t base;
    const char *conninfo;
} s_client_t;

/* Connect and pin synchronous_commit = on: it is the server default, but a
 * role or database setting could have changed it and the figures would lie. */
static int s_connect(const char *conninfo, const char *who, PGconn **out)
{
    PGconn *conn = PQconnectdb(conninfo);
    if (!conn) {
        fprintf(stderr, "pg_workload: %s: out of memory connecting\n", who);
        return SD_ENOMEM;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "pg_workload: %s: connect: %s", who, PQerrorMessage(conn));
        PQfinish(conn);
        return SD_EUNAVAILABLE;
    }
    PGresult *res = PQexec(conn, "SET synchronous_commit = on");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        fprintf(stderr, "pg_workload: %s: SET synchronous_commit: %s", who, PQerrorMessage(conn));
        PQclear(res);
        PQfinish(conn);
        return SD_ESTORE;
    }
    PQclear(res);
    *out = conn;
    return 0;
}

int sd_bench_pg_setup(const char *conninfo)
{
    if (!conninfo)
        return SD_EINVAL;
    PGconn *conn = NULL;
    int rc = s_connect(conninfo, "setup", &conn);
    if (rc < 0)
        return rc;

    PGresult *res = PQexec(conn, s_schema_sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        fprintf(stderr, "pg_workload: setup: create schema: %s", PQerrorMessage(conn));
        rc = SD_ESTORE;
    }
    PQclear(res);

    if (rc == 0) {
        res = PQexec(conn, "SHOW fsync");
        if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
            strcmp(PQgetvalue(res, 0, 0), "on") != 0)
            fprintf(stderr,
                    "pg_workload: warning: server runs with fsync = %s, "
                    "commits are not durable\n",
                    PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    PQfinish(conn);
    return rc;
}

int sd_bench_pg_version(const char *conninfo, char *buf, size_t cap)
{
    if (!conninfo || !buf || cap == 0)
        return SD_EINVAL;
    PGconn *conn = PQconnectdb(conninfo);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        if (conn)
            fprintf(stderr, "pg_workload: version: connect: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return SD_EUNAVAILABLE;
    }
    /* 150020 means 15.20: since version 10 the last four digits are the minor. */
    int v = PQserverVersion(conn);
    PQfinish(conn);
    int n = v >= 100000 ? snprintf(buf, cap, "%d.%d", v / 10000, v % 10000)
                        : snprintf(buf, cap, "%d.%d.%d", v / 10000, v / 100 % 100, v % 100);
    return n < 0 || (size_t)n >= cap ? SD_EINVAL : 0;
}

/* Wall-clock milliseconds, the unit of the ticket's time fields. */
static long long s_epoch_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return 0;
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Insert one ticket and wait for its commit. Returns 0 or SD_ESTORE. The text
 * fields come from bench_payload so that both halves send the same bytes. */
static int s_create_ticket(PGconn *conn, const sd_bench_client_t *c, int seq)
{
    char title[64], requester[48], due_resp[24], due_res[24], now_s[24];
    if (sd_bench_title(title, sizeof(title), c->index, seq) < 0 ||
        sd_bench_requester(requester, sizeof(requester), c->index, seq) < 0) {
        fprintf(stderr, "pg_workload: client %d: ticket text does not fit\n", c->index);
        return SD_ESTORE;
    }
    long long now = s_epoch_ms();
    snprintf(now_s, sizeof(now_s), "%lld", now);
    snprintf(due_resp, sizeof(due_resp), "%lld", now + 4LL * 3600 * 1000);
    snprintf(due_res, sizeof(due_res), "%lld", now + 24LL * 3600 * 1000);

    /* Text format everywhere: the server casts each to its column's type. */
    const char *values[S_NPARAMS] = {
        SD_BENCH_TYPE,        /* type */
        "f",                  /* major */
        title,                /* title */
        sd_bench_description, /* description */
        requester,            /* requester */
        SD_BENCH_CHANNEL,     /* channel */
        SD_BENCH_CATEGORY,    /* category */
        SD_BENCH_IMPACT,      /* impact */
        SD_BENCH_URGENCY,     /* urgency */
        "3",                  /* priority */
        "new",                /* status */
        "L1",                 /* tier */
        NULL,                 /* assignee: a new ticket has none */
        NULL,                 /* owner */
        "LOCAL",              /* owner_site */
        due_resp,             /* response_due */
        due_res,              /* resolve_due */
        now_s,                /* created_at */
        now_s,                /* updated_at */
    };
    PGresult *res = PQexecPrepared(conn, S_STMT_NAME, S_NPARAMS, values, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK || strcmp(PQcmdTuples(res), "1") != 0) {
        fprintf(stderr, "pg_workload: client %d: INSERT: %s", c->index, PQerrorMessage(conn));
        rc = SD_ESTORE;
    }
    PQclear(res);
    return rc;
}

/* One client thread (an sd_bench_body_t): connect, prepare, then its share of INSERTs. */
static int s_client_main(sd_bench_client_t *base)
{
    s_client_t *c = (s_client_t *)base;
    char who[32];
    snprintf(who, sizeof(who), "client %d", base->index);

    PGconn *conn = NULL;
    int rc = s_connect(c->conninfo, who, &conn);
    if (rc == 0) {
        PGresult *res = PQprepare(conn, S_STMT_NAME, s_insert_sql, S_NPARAMS, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            fprintf(stderr, "pg_workload: %s: prepare: %s", who, PQerrorMessage(conn));
            rc = SD_ESTORE;
        }
        PQclear(res);
    }
    if (rc < 0)
        atomic_store(base->stop, 1);

    /* Even a failed client must reach the line, or the main thread waits forever. */
    sd_bench_client_ready(base);

    for (int i = 0; rc == 0 && i < base->tickets; i++) {
        if (atomic_load_explicit(base->stop, memory_order_relaxed))
            break;
        uint64_t t0 = sd_bench_now_usec();
        rc = s_create_ticket(conn, base, i);
        uint64_t t1 = sd_bench_now_usec();
        if (rc == 0)
            rc = sd_bench_stats_add(base->stats, t1 - t0);
        if (rc < 0)
            atomic_store(base->stop, 1);
    }
    if (conn)
        PQfinish(conn);
    return rc;
}

int sd_bench_pg_run(const char *conninfo, int clients, int tickets, sd_bench_result_t *out)
{
    if (!conninfo || !out || clients < 1 || clients > S_MAX_CLIENTS || tickets < 1)
        return SD_EINVAL;

    s_client_t *cs = calloc((size_t)clients, sizeof(*cs));
    if (!cs)
        return SD_ENOMEM;
    for (int i = 0; i < clients; i++)
        cs[i].conninfo = conninfo;
    int rc = sd_bench_threads_run(&(sd_bench_run_t){.clients = cs,
                                                    .size = sizeof(*cs),
                                                    .count = clients,
                                                    .tickets = tickets,
                                                    .body = s_client_main,
                                                    .who = "pg_workload"},
                                  out);
    free(cs);
    return rc;
}
