/* op_node.h - the node's read ops: node.ping, node.status, node.digest, repl.status.
 *
 * Read handlers of proto/ops.def (the contract of sd_api_read_fn,
 * dispatch.h); their results are those of proto/PROTOCOL.md section 4. */
#ifndef SD_OP_NODE_H
#define SD_OP_NODE_H

#include "dispatch.h"

/* Fills the store figures of *stats (map size and use, ticket counts by status, SLA breaches)
 * from txn: what node.status answers and the metrics show. Errors: the store's. */
int sd_api_store_stats(sd_store_t *store, sd_store_txn_t *txn, sd_node_stats_t *stats);

/* {site, role, version}. Never fails. */
int sd_api_node_ping(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                     sd_fault_t *fault);

/* The node's counters, ticket counts, store size and replication.
 * Errors: the store's (reading the counts). */
int sd_api_node_status(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);

/* {digest}: the state digest. Errors: the store's. */
int sd_api_node_digest(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);

/* Replication's status. SD_EUNAVAILABLE on a node without replication. */
int sd_api_repl_status(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);

#endif
