/* server.h - the client API of a node: a ZeroMQ ROUTER socket served with group commit.
 *
 * One thread owns the socket and the store. Each turn it drains every request
 * that is waiting (up to SD_SERVER_BATCH), applies all writing requests in one
 * write of the journal (journal.h: one LMDB write transaction, stamped with
 * the node's clock; a request is checked before it writes anything, so
 * a refused one leaves no trace), commits once, and only then sends the replies: a client
 * hears "ok" only for what is durably on disk. Read requests are answered
 * from a read transaction after the commit. See proto/PROTOCOL.md. */
#ifndef SD_SERVER_H
#define SD_SERVER_H

#include "config.h"
#include "store.h"

#define SD_SERVER_BATCH 256 /* most requests committed together */

typedef struct sd_server sd_server_t;

/* Binds the client socket at cfg->endpoint and prepares to serve store
 * (borrowed; must outlive the server): opens the node's journal over it
 * (loading the clock), and starts replication when cfg has it. Returns 0 and
 * *server, or SD_EIO when an endpoint cannot be bound, SD_ECONFIG
 * (replication certificates; one line in err), SD_ENOMEM, or a store error. */
int sd_server_new(const sd_config_t *cfg, sd_store_t *store, sd_server_t **server, char *err,
                  size_t cap);

/* The store in datadir was restored from a backup (store_backup.h): refuse
 * writes and make no scheduler events until replication has brought back
 * this site's own events from its upstreams, then clear the marker. With no
 * upstreams there is nothing to wait for and the marker goes at once. */
void sd_server_restoring(sd_server_t *server, const char *datadir);

/* Serves until SIGINT/SIGTERM (zsys_interrupted). Returns 0 on a clean stop. */
int sd_server_run(sd_server_t *server);

/* Closes the socket and frees the server; NULL-safe, nulls *server. */
void sd_server_destroy(sd_server_t **server);

#endif
