/* op_node.c - node.ping, node.status, node.digest and repl.status. */
#include "op_node.h"

#include "digest.h"
#include "error.h"
#include "ticket_store.h"

int sd_api_node_ping(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                     sd_fault_t *fault)
{
    (void)fault;
    sd_reply_ok_begin(w, req->id);
    sd_mp_map(w, 3);
    sd_mp_str(w, "site"), sd_mp_str(w, ctx->stats->site);
    sd_mp_str(w, "role"), sd_mp_str(w, ctx->stats->role);
    sd_mp_str(w, "version"), sd_mp_str(w, ctx->stats->version);
    return 0;
}

int sd_api_store_stats(sd_store_t *store, sd_store_txn_t *txn, sd_node_stats_t *stats)
{
    sd_store_usage(store, &stats->map_bytes, &stats->used_bytes);
    return sd_store_count(txn, stats->tickets) ?: sd_store_sla_breaches(txn, &stats->sla_breaches);
}

int sd_api_node_status(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    (void)fault;
    sd_node_stats_t stats = *ctx->stats, *n = &stats;
    int rc = sd_api_store_stats(ctx->store, ctx->txn, n);
    if (rc)
        return rc;
    sd_reply_ok_begin(w, req->id);
    sd_mp_map(w, 15);
    sd_mp_str(w, "site"), sd_mp_str(w, n->site);
    sd_mp_str(w, "role"), sd_mp_str(w, n->role);
    sd_mp_str(w, "version"), sd_mp_str(w, n->version);
    sd_mp_str(w, "uptime_ms"), sd_mp_u64(w, n->uptime_ms);
    sd_mp_str(w, "requests"), sd_mp_u64(w, n->requests);
    sd_mp_str(w, "errors"), sd_mp_u64(w, n->errors);
    sd_mp_str(w, "commits"), sd_mp_u64(w, n->commits);
    sd_mp_str(w, "writes"), sd_mp_u64(w, n->writes);
    sd_mp_str(w, "map_bytes"), sd_mp_u64(w, n->map_bytes);
    sd_mp_str(w, "used_bytes"), sd_mp_u64(w, n->used_bytes);
    sd_mp_str(w, "tickets");
    sd_mp_map(w, SD_STATUS_COUNT_);
    for (int i = 0; i < SD_STATUS_COUNT_; i++)
        sd_mp_str(w, sd_status_name(i)), sd_mp_u64(w, n->tickets[i]);
    sd_mp_str(w, "sla_breaches"), sd_mp_u64(w, n->sla_breaches);
    sd_mp_str(w, "restoring"), sd_mp_bool(w, n->restoring);
    sd_mp_str(w, "http");
    n->http_url && n->http_url[0] ? sd_mp_str(w, n->http_url) : sd_mp_nil(w);
    sd_mp_str(w, "replication");
    ctx->replica ? sd_replica_status(ctx->replica, w) : sd_mp_nil(w);
    return 0;
}

int sd_api_node_digest(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    (void)fault;
    char hex[SD_DIGEST_BYTES * 2 + 1];
    int rc = sd_store_digest(ctx->txn, hex);
    if (rc)
        return rc;
    sd_reply_ok_begin(w, req->id);
    sd_mp_map(w, 1);
    sd_mp_str(w, "digest"), sd_mp_str(w, hex);
    return 0;
}

int sd_api_repl_status(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    if (!ctx->replica)
        return sd_fault_set(fault, SD_EUNAVAILABLE, "replication is not configured on this node");
    sd_reply_ok_begin(w, req->id);
    sd_replica_status(ctx->replica, w);
    return 0;
}
