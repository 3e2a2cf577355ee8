/* server.c - request loop and group commit; ops run through the handler table (dispatch.h).
 *
 * Replies leave through the outbox (outbox.h): a client that does not read its replies is held to
 * a budget of bytes waiting for it (SD_OUTBOX_CLIENT_BYTES), checked before each request of it is
 * served; past it the request is answered `busy` without touching the store, so a flood of large
 * reads neither grows the node nor delays the other clients' replies beyond one batch. */
#include "server_impl.h"

typedef sd_server_job_t s_job_t;

#include "access.h"
#include "api.h"
#include "audit.h"
#include "authz.h"
#include "bridge.h"
#include "dispatch.h"
#include "error.h"
#include "events.h"
#include "journal.h"
#include "log.h"
#include "replica.h"
#include "record.h"
#include "request.h"
#include "metrics.h"
#include "op_node.h"
#include "outbox.h"
#include "scheduler.h"
#include "store_backup.h"
#include "workflow.h"

#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The node's time for events and scheduling: the schedule's clock (real
 * unless a test configured an accelerated one). */
static uint64_t s_now_ms(const sd_server_t *s)
{
    return (uint64_t)sd_clock_now(&s->cfg->sched.clock);
}

/* Who makes events here (author), by which rules, at time now. */
static sd_workflow_ctx_t s_workflow_ctx(const sd_server_t *s, uint64_t now, const char *author)
{
    return (sd_workflow_ctx_t){.site = s->cfg->site,
                               .policy = &s->cfg->policy,
                               .sched = &s->cfg->sched,
                               .now_ms = now,
                               .hub = strcmp(s->cfg->role, "hub") == 0,
                               .author = author};
}

/* Binds one more client ROUTER socket at endpoint. Returns 0, SD_ENOMEM, SD_EIO (cannot bind:
 * logged), SD_ECONFIG (socket permissions; err says why). */
static int s_bind_client(sd_server_t *s, const char *endpoint, char *err, size_t cap)
{
    zsock_t *sock = zsock_new(ZMQ_ROUTER);
    if (!sock)
        return SD_ENOMEM;
    s->clients[s->nclients] = sock;
    s->clients_ipc[s->nclients++] = strncmp(endpoint, "ipc://", 6) == 0;
    zsock_set_maxmsgsize(sock, SD_SOCKET_MAXMSG);
    zsock_set_linger(sock, 0);
    /* Replies to clients that went away or do not read must not pile up or block. */
    sd_outbox_socket(sock);
    /* The socket file is born 0660 (access.h): never open to all, not even until chmod. */
    mode_t mask = umask(0117);
    int bound = zsock_bind(sock, "%s", endpoint);
    umask(mask);
    if (bound < 0) {
        sd_log(SD_LOG_ERROR, "cannot bind client socket: endpoint=%s reason=\"%s\"", endpoint,
               zmq_strerror(zmq_errno()));
        return SD_EIO;
    }
    return sd_access_socket(endpoint, s->cfg->operators, err, cap);
}

/* The HTTP API: its threads reach the node through one more client socket, in-process (they
 * hold tokens, never credentials), and hear of committed events from the journal. A default
 * port that is taken (a second node on the machine, without config) leaves the node without
 * HTTP, said in the log; a configured one that is taken stops the start. */
static int s_start_http(sd_server_t *s, char *err, size_t cap)
{
    int rc = s_bind_client(s, SD_BRIDGE_ENDPOINT, err, cap) ?: sd_changes_new(&s->changes);
    if (rc)
        return rc;
    char why[512] = "";
    rc = sd_http_api_start(&s->cfg->http, &s->http, s->http_url, sizeof s->http_url, why,
                           sizeof why);
    if (rc == SD_EIO && !s->cfg->http.port_set) {
        sd_log(SD_LOG_WARNING,
               "%s; serving without HTTP (set http/port, or --http, to choose "
               "another port)",
               why);
        return 0;
    }
    if (rc) {
        snprintf(err, cap, "%s", why);
        return rc;
    }
    sd_log(SD_LOG_INFO, "http: url=%s", s->http_url);
    return 0;
}

int sd_server_new(const sd_config_t *cfg, sd_store_t *store, sd_server_t **out, char *err,
                  size_t cap)
{
    *out = NULL;
    sd_server_t *s = calloc(1, sizeof *s);
    if (!s)
        return SD_ENOMEM;
    s->cfg = cfg;
    s->store = store;
    s->started_ms = zclock_time();
    for (int i = 0; i < SD_SERVER_BATCH; i++)
        if (!(s->jobs[i].reply = sd_mp_writer_new()))
            goto nomem;
    int rc = sd_auth_new(cfg->site, &s->auth) ?: sd_audit_new(cfg->site, &s->audit);
    rc = rc ?: sd_outbox_new(&s->outbox);
    rc = rc ?: sd_journal_open(store, cfg->site, &s->journal);
    rc = rc ?: sd_server_search_start(s);
    if (!rc) /* committed events go to the live streams and wake the search thread */
        sd_journal_set_listener(s->journal, sd_server_committed, s);
    /* Replication first: its certificates are checked before anything binds. */
    if (!rc && cfg->repl.cert[0])
        rc = sd_replica_new(cfg, s->journal, &s->replica, err, cap);
    if (rc) {
        sd_server_destroy(&s);
        return rc;
    }
    if (cfg->metrics.port && (rc = sd_metrics_start(&cfg->metrics, &s->metrics, err, cap)) != 0) {
        sd_server_destroy(&s);
        return rc;
    }
    /* A tcp endpoint takes tokens only; the ipc socket in the data directory stays open beside
     * it so that root on the machine can still act (authn.h: the bootstrap admin). */
    rc = s_bind_client(s, cfg->endpoint, err, cap);
    if (!rc && strncmp(cfg->endpoint, "ipc://", 6) != 0 && cfg->local_endpoint[0])
        rc = s_bind_client(s, cfg->local_endpoint, err, cap);
    if (!rc && cfg->http.port)
        rc = s_start_http(s, err, cap);
    rc = rc ?: sd_server_channels_start(s); /* after HTTP: its URL is the console's default */
    if (rc) {
        sd_server_destroy(&s);
        return rc;
    }
    *out = s;
    return 0;
nomem:
    sd_server_destroy(&s);
    return SD_ENOMEM;
}

void sd_server_destroy(sd_server_t **server)
{
    if (!server || !*server)
        return;
    sd_server_t *s = *server;
    sd_http_api_stop(&s->http); /* before the sockets its threads call through */
    if (s->journal)
        sd_journal_set_listener(s->journal, NULL, NULL);
    sd_server_search_stop(s);
    sd_server_channels_stop(s);
    sd_changes_destroy(&s->changes);
    sd_outbox_destroy(&s->outbox);
    for (int i = 0; i < s->nclients; i++)
        zsock_destroy(&s->clients[i]);
    sd_auth_destroy(&s->auth);
    sd_audit_destroy(&s->audit);
    sd_metrics_stop(&s->metrics);
    sd_replica_destroy(&s->replica);
    sd_journal_close(&s->journal);
    for (int i = 0; i < SD_SERVER_BATCH; i++)
        sd_mp_writer_destroy(&s->jobs[i].reply);
    free(s);
    *server = NULL;
}

void sd_server_restoring(sd_server_t *s, const char *datadir)
{
    if (!s->replica || s->cfg->repl.nupstreams == 0) {
        sd_log(SD_LOG_INFO, "restored store: no upstreams to catch up from; taking writes");
        if (sd_backup_restore_done(datadir) != 0)
            sd_log(SD_LOG_WARNING, "cannot remove the restore marker: dir=%s", datadir);
        return;
    }
    s->restoring = datadir;
    sd_replica_restore_begin(s->replica);
    sd_log(SD_LOG_WARNING, "restored store: refusing writes until this site's own events are "
                           "back from the upstreams");
}

/* Ends the restore once replication says this site's events are all back. */
static void s_check_restored(sd_server_t *s)
{
    if (!s->restoring || !sd_replica_restored(s->replica))
        return;
    sd_store_txn_t *txn;
    uint64_t seq = 0;
    if (sd_store_begin(s->store, false, &txn) == 0) {
        sd_store_applied(txn, s->cfg->site, &seq);
        sd_store_abort(&txn);
    }
    /* A marker that stays only makes the next start wait again. */
    if (sd_backup_restore_done(s->restoring) != 0)
        sd_log(SD_LOG_WARNING, "cannot remove the restore marker: dir=%s", s->restoring);
    sd_log(SD_LOG_INFO, "restore complete: own events up to seq=%llu; taking writes",
           (unsigned long long)seq);
    s->restoring = NULL;
}

/* ---- reading requests ---------------------------------------------------- */

/* Splits a ROUTER message from client socket `from` into envelope and body: [identity][body]
 * from a DEALER, or [identity][empty][body] from a REQ socket. */
static void s_take_request(sd_server_t *s, zmsg_t *msg, int from)
{
    s_job_t *job = &s->jobs[s->njobs++];
    job->from = from;
    job->rc = 0;
    job->event_seq = 0;
    job->req = (sd_request_t){0};
    job->who = (sd_principal_t){0};
    job->scope = 0;
    job->allowed[0] = 0;
    sd_mp_writer_reset(job->reply);
    size_t frames = zmsg_size(msg);
    zmsg_first(msg); /* the identity */
    zframe_t *second = zmsg_next(msg);
    zframe_t *body = frames == 2 ? second : frames == 3 ? zmsg_next(msg) : NULL;
    zframe_t *delim = frames == 3 ? second : NULL;
    job->envelope = msg;
    zframe_t *any = body ? body : zmsg_first(msg);
    sd_client_peer_parse(any ? zframe_meta(any, "Peer-Address") : NULL, s->clients_ipc[from],
                         &job->peer);
    if (!body || (delim && zframe_size(delim) != 0)) {
        sd_fault_set(&job->fault, SD_EFRAMING,
                     "send one frame (DEALER) or an empty frame then one frame (REQ)");
        job->rc = SD_EFRAMING;
        /* Reply along the identity, and the delimiter when the sender put one
         * (a REQ socket drops replies without it). */
        size_t keep = (frames >= 3 && second && zframe_size(second) == 0) ? 2 : 1;
        while (zmsg_size(msg) > keep) {
            zframe_t *f = zmsg_last(msg);
            zmsg_remove(msg, f);
            zframe_destroy(&f);
        }
        return;
    }
    if (zframe_size(body) > SD_MESSAGE_MAX) {
        job->rc = sd_fault_set(&job->fault, SD_ETOOBIG, "request of %zu bytes (max %d)",
                               zframe_size(body), SD_MESSAGE_MAX);
    } else {
        job->rc = sd_request_decode(zframe_data(body), zframe_size(body), &job->req, &job->fault);
    }
    zmsg_remove(msg, body);
    zframe_destroy(&body);
}

/* ---- writing requests ---------------------------------------------------- */

/* Makes and appends the event of one writing request to the batch. Every
 * rule is checked before the first write, so a refused request leaves no
 * trace and needs no transaction of its own; an error after that is the
 * store's, and fails the whole batch. Returns 0, a refusal (job->fault says
 * why) or a store error. */
/* Who sent the job's request, and may they do it to cur (the record it names, NULL when none)?
 * Sets job->who and job->scope. A refusal is recorded for the audit trail. Returns 0,
 * SD_EUNAUTHENTICATED or SD_EFORBIDDEN (job->fault says why), or a store error. */
static int s_admit(sd_server_t *s, sd_store_txn_t *txn, s_job_t *job, const void *cur)
{
    const sd_request_t *req = &job->req;
    const char *op = sd_req_op_name(req->op);
    sd_principal_clear(&job->who);
    job->scope = SD_SCOPE_NONE;
    if (req->op == SD_REQ_AUTH_LOGIN) /* the password is the proof; the handler checks it */
        return 0;
    int rc =
        sd_auth_identify(s->auth, txn, &job->peer, req->token, s_now_ms(s), &job->who, &job->fault);
    if (!rc) {
        sd_authz_subject_t subject = sd_authz_subject(&job->who, req, cur, s->cfg->site);
        rc = sd_authz_check(&job->who, op, &subject, &job->scope, &job->fault)
                 ?: sd_authz_rules(&job->who, req, cur, s->cfg->site, job->scope, &job->fault);
    }
    if (rc == SD_EUNAUTHENTICATED || rc == SD_EFORBIDDEN)
        sd_audit_refused(s->audit, s_now_ms(s), job->who.login,
                         job->who.via[0] ? job->who.via : job->peer.address, op,
                         sd_request_record_id(req), rc, job->fault.text);
    return rc;
}

/* Makes and appends the event of one writing request to the batch. Every
 * rule is checked before the first write, so a refused request leaves no
 * trace and needs no transaction of its own; an error after that is the
 * store's, and fails the whole batch. Returns 0, a refusal (job->fault says
 * why) or a store error. */
static int s_write_one(sd_server_t *s, sd_journal_batch_t *batch, s_job_t *job, bool *refused)
{
    const sd_request_t *req = &job->req;
    const sd_req_spec_t *spec = sd_req_spec(req->op);
    const sd_kind_t *kind = spec->kind;
    /* A kind without an id counter is created under the id its request names (a login). */
    bool named = !spec->creates || !kind->id_counter;
    const char *id = named ? sd_request_record_id(req) : NULL;
    sd_store_txn_t *txn = sd_journal_txn(batch);
    sd_event_t ev = {0};
    bool have = false;
    int rc = 0;
    *refused = false;
    /* A write op on no kind (blob.put) writes only local tables and answers SD_API_NO_EVENT. */
    void *cur = kind ? sd_record_new(kind) : NULL;
    if (kind && !cur)
        return SD_ENOMEM;
    if (named && kind) {
        rc = id ? sd_store_get_record(txn, kind, id, cur) : SD_ENOTFOUND;
        have = rc == 0 && sd_record_exists(kind, cur);
        if (rc == SD_ENOTFOUND)
            rc = 0;
        if (rc)
            goto done;
    }
    rc = s_admit(s, txn, job, have ? cur : NULL) ?: sd_authz_refs(txn, req, &job->fault);
    /* The envelope's conditions (PROTOCOL.md section 2), once the caller may write: a create
     * retried with its idempotency key answers as a get of what it made, and writes nothing. */
    if (!rc && have && req->if_match)
        rc = sd_api_check_version(kind, cur,
                                  sd_api_view_scope(&job->who, kind, cur, s->cfg->site, job->scope),
                                  id, req->if_match, &job->fault);
    if (!rc && (rc = sd_api_idempotent_replay(txn, req, &job->who, s->cfg->site, job->scope,
                                              job->reply, &job->fault)) == 1) {
        rc = 0;
        goto done;
    }
    if (rc) {
        *refused = rc != SD_ENOMEM && rc != SD_ESTORE && rc != SD_ECORRUPT;
        goto done;
    }
    sd_workflow_ctx_t wf = s_workflow_ctx(s, sd_journal_now(batch), job->who.login);
    sd_api_write_ctx_t ctx = {.wf = &wf,
                              .who = &job->who,
                              .scope = job->scope,
                              .auth = s->auth,
                              .shown_once = job->shown_once,
                              .shown_cap = sizeof job->shown_once,
                              .allowed = job->allowed,
                              .allowed_cap = sizeof job->allowed,
                              .txn = txn,
                              .batch = batch,
                              .reply = job->reply,
                              .cfg = s->cfg};
    rc = sd_api_write(&ctx, have ? cur : NULL, req, &ev, &job->fault);
    if (rc == SD_API_NO_EVENT) { /* local tables only: the handler answered */
        rc = 0;
        goto done;
    }
    if (!rc && !kind)
        rc =
            sd_fault_set(&job->fault, SD_EUNKNOWN_OP, "%s makes no event", sd_req_op_name(req->op));
    if (rc) {
        *refused = rc != SD_ENOMEM;
        goto done;
    }
    if (spec->creates && kind->id_counter)
        rc = sd_store_next_id(txn, kind, ev.key);
    else
        snprintf(ev.key, sizeof ev.key, "%s", id);
    sd_record_clear(kind, cur);
    rc = rc ?: sd_journal_append(batch, &ev, cur);
    rc = rc ?: sd_api_idempotent_made(txn, req, job->who.login, ev.key);
    if (!rc) {
        sd_api_reply_written(job->reply, job->req.id, kind, cur,
                             sd_api_view_scope(&job->who, kind, cur, s->cfg->site, job->scope),
                             job->shown_once);
        strcpy(job->event_key, ev.key);
        job->event_kind = kind;
        job->event_op = ev.op;
        job->event_seq = ev.seq;
    }
done:
    if (kind)
        sd_record_destroy(kind, &cur);
    sd_event_clear(&ev);
    return rc;
}

/* Fills the journal's batch with every decoded writing request. Run again
 * after a map growth: a job refused the first time stays refused (the
 * store it was judged on is unchanged), the others are redone. */
static int s_fill_writes(sd_journal_batch_t *batch, void *arg)
{
    sd_server_t *s = arg;
    for (size_t i = 0; i < s->njobs; i++) {
        s_job_t *job = &s->jobs[i];
        if (job->rc || !sd_req_op_writes(job->req.op))
            continue;
        job->event_seq = 0;
        bool refused;
        int rc = s_write_one(s, batch, job, &refused);
        if (refused)
            job->rc = rc;
        else if (rc)
            return rc;
    }
    return 0;
}

/* ---- read requests ------------------------------------------------------- */

/* Who the node is and its counters, for node.status and the metrics. */
static sd_node_stats_t s_stats(const sd_server_t *s)
{
    sd_outbox_stats_t out;
    sd_outbox_stats(s->outbox, &out);
    return (sd_node_stats_t){.site = s->cfg->site,
                             .role = s->cfg->role,
                             .version = SD_VERSION,
                             .uptime_ms = (uint64_t)(zclock_time() - s->started_ms),
                             .requests = s->requests,
                             .errors = s->errors,
                             .commits = s->commits,
                             .writes = s->writes,
                             .busy = s->busy,
                             .replies_dropped = out.dropped,
                             .reply_bytes_waiting = out.bytes,
                             .restoring = s->restoring != NULL,
                             .http_url = s->http_url};
}

static int s_read_one(sd_server_t *s, sd_store_txn_t *txn, s_job_t *job)
{
    const sd_kind_t *kind = sd_req_spec(job->req.op)->kind;
    const char *id = sd_request_record_id(&job->req);
    void *cur = NULL;
    int rc = 0;
    /* The record a read names decides whose it is and where it lives (authz.h). */
    if (kind && id) {
        if (!(cur = sd_record_new(kind)))
            return SD_ENOMEM;
        rc = sd_store_get_record(txn, kind, id, cur);
        if (rc == 0 && !sd_record_exists(kind, cur))
            rc = SD_ENOTFOUND;
        if (rc == SD_ENOTFOUND) {
            sd_record_destroy(kind, &cur);
            rc = 0;
        }
    }
    rc = rc ?: s_admit(s, txn, job, cur);
    sd_record_destroy(kind, &cur);
    if (rc || sd_search_op(job->req.op)) /* the search thread answers, never this one */
        return rc ?: sd_server_search_hand(s, job);
    if (sd_channels_op(job->req.op)) /* the channels thread answers outbox requests */
        return sd_server_channels_hand(s, job);
    sd_node_stats_t stats = s_stats(s);
    sd_api_ctx_t ctx = {.cfg = s->cfg,
                        .store = s->store,
                        .txn = txn,
                        .replica = s->replica,
                        .stats = &stats,
                        .now_ms = s_now_ms(s),
                        .who = &job->who,
                        .scope = job->scope,
                        .auth = s->auth};
    rc = sd_api_read(&ctx, &job->req, job->reply, &job->fault);
    if (job->req.op == SD_REQ_AUTH_LOGIN && (rc == SD_EUNAUTHENTICATED || rc == SD_EBUSY)) {
        char via[SD_VIA_MAX];
        snprintf(via, sizeof via, "password from %s", job->peer.address);
        sd_audit_refused(s->audit, s_now_ms(s), job->req.args.user.id, via, "auth.login", NULL, rc,
                         job->fault.text);
    }
    return rc;
}

/* ---- the loop ------------------------------------------------------------ */

static void s_send_replies(sd_server_t *s)
{
    for (size_t i = 0; i < s->njobs; i++) {
        s_job_t *job = &s->jobs[i];
        s->requests++;
        if (job->handed && !job->rc)
            goto next; /* the search thread's reply is forwarded when it comes */
        if (job->rc == 0 && sd_mp_writer_error(job->reply))
            job->rc = sd_fault_set(&job->fault, SD_ENOMEM, "out of memory encoding the reply");
        if (job->rc) {
            s->errors++;
            if (job->fault.code != job->rc)
                sd_fault_set(&job->fault, job->rc, "%s", sd_strerror(job->rc));
            sd_log(SD_LOG_DEBUG, "request refused: op=%s error=%s",
                   job->rc == SD_EFRAMING ? "?" : sd_req_op_name(job->req.op),
                   sd_error_name(job->rc));
            sd_mp_writer_reset(job->reply);
            if (job->rc == SD_ETRANSITION && job->allowed[0])
                sd_reply_error_allowed(job->reply, job->req.id, job->rc, job->fault.text,
                                       job->allowed);
            else
                sd_reply_error(job->reply, job->req.id, job->rc, job->fault.text);
        }
        size_t len;
        const void *data = sd_mp_writer_data(job->reply, &len);
        zmsg_addmem(job->envelope, data, len);
        sd_outbox_send(s->outbox, s->clients[job->from], &job->envelope, zclock_mono());
    next:
        job->handed = false;
        sd_request_clear(&job->req);
        sd_principal_clear(&job->who);
        sd_secret_wipe(job->shown_once, sizeof job->shown_once);
        job->fault = (sd_fault_t){0};
    }
    s->njobs = 0;
    if (sd_audit_pending(s->audit))
        sd_audit_flush(s->audit, s->store, s_now_ms(s));
}

/* One line per committed event, written after the commit so the log never
 * shows an event the store does not hold; then the events go to the peers. */
static void s_log_events(const sd_server_t *s, const sd_journal_result_t *made)
{
    for (size_t i = 0; i < s->njobs; i++) {
        const s_job_t *job = &s->jobs[i];
        if (job->rc || !job->event_seq)
            continue;
        sd_log(SD_LOG_INFO, "event: kind=%s id=%s op=%s origin=%s seq=%llu", job->event_kind->name,
               job->event_key, sd_kind_op_name(job->event_kind, job->event_op), s->cfg->site,
               (unsigned long long)job->event_seq);
    }
    if (s->replica && made->appended)
        sd_replica_publish_own(s->replica, made->first_seq, made->last_seq);
}

/* Store failures that fail a whole batch get the same answer for each write. */
static void s_fail_writes(sd_server_t *s, int rc)
{
    for (size_t i = 0; i < s->njobs; i++) {
        s_job_t *job = &s->jobs[i];
        if (job->rc == 0 && sd_req_op_writes(job->req.op)) {
            job->rc = rc;
            if (rc == SD_EFULL)
                sd_fault_set(&job->fault, rc, "the node's disk is full; nothing was written");
            else
                sd_fault_set(&job->fault, rc, "store failure (%s); nothing was written",
                             sd_strerror(rc));
        }
    }
}

/* True when job i may not be served now because its client has not read its replies: the bytes
 * waiting for it in the outbox and those of the replies made for it earlier in this batch are
 * over the budget (outbox.h). Then the job is answered busy, without a store read. */
static bool s_busy(sd_server_t *s, size_t i)
{
    s_job_t *job = &s->jobs[i];
    zframe_t *id = zmsg_first(job->envelope);
    size_t mine = 0, all = 0, waiting, len;
    for (size_t j = 0; j < i; j++) {
        s_job_t *earlier = &s->jobs[j];
        if (earlier->rc || earlier->handed)
            continue; /* its reply is a short error, not made yet, or the search thread's */
        sd_mp_writer_data(earlier->reply, &len);
        all += len;
        if (earlier->from == job->from && zframe_eq(zmsg_first(earlier->envelope), id))
            mine += len;
    }
    if (!sd_outbox_over(s->outbox, s->clients[job->from], id, mine, all, &waiting))
        return false;
    s->busy++;
    job->rc = sd_fault_set(&job->fault, SD_EBUSY,
                           "this client has not read %zu bytes of replies (budget %d); read them, "
                           "then retry",
                           waiting, SD_OUTBOX_CLIENT_BYTES);
    return true;
}

static void s_serve_batch(sd_server_t *s)
{
    int rc;
    bool any_write = false;
    for (size_t i = 0; i < s->njobs; i++) {
        s_job_t *job = &s->jobs[i];
        if (job->rc == 0 && s_busy(s, i))
            continue;
        if (job->rc == 0 && sd_req_op_writes(job->req.op) && s->restoring)
            job->rc = sd_fault_set(&job->fault, SD_EUNAVAILABLE,
                                   "this node was restored from a backup and is fetching its "
                                   "site's newer events from its upstreams; try again shortly");
        any_write |= job->rc == 0 && sd_req_op_writes(job->req.op);
    }
    if (any_write) {
        /* One durable commit for the whole batch; clients hear after it. */
        sd_journal_result_t made;
        rc = sd_journal_write(s->journal, s_now_ms(s), s_fill_writes, s, &made);
        if (rc) {
            sd_log(SD_LOG_ERROR, "write batch failed: error=%s requests=%zu", sd_error_name(rc),
                   s->njobs);
            s_fail_writes(s, rc);
        } else {
            s->commits++;
            s->writes += made.appended;
            s_log_events(s, &made);
        }
    }
    sd_store_txn_t *txn = NULL;
    for (size_t i = 0; i < s->njobs; i++) {
        s_job_t *job = &s->jobs[i];
        if (job->rc || sd_req_op_writes(job->req.op) || s_busy(s, i))
            continue;
        if (!txn && (rc = sd_store_begin(s->store, false, &txn)) != 0) {
            job->rc = rc;
            continue;
        }
        job->rc = s_read_one(s, txn, job);
    }
    sd_store_abort(&txn);
    s_send_replies(s);
}

/* Takes every request that is waiting: they share one commit. */
static void s_gather(sd_server_t *s)
{
    for (bool more = true; more && s->njobs < SD_SERVER_BATCH;) {
        more = false;
        for (int i = 0; i < s->nclients && s->njobs < SD_SERVER_BATCH; i++) {
            zmq_pollitem_t item = {zsock_resolve(s->clients[i]), 0, ZMQ_POLLIN, 0};
            if (zmq_poll(&item, 1, 0) <= 0)
                continue;
            zmsg_t *msg = zmsg_recv(s->clients[i]);
            if (msg) {
                s_take_request(s, msg, i);
                more = true;
            }
        }
    }
}

/* Lets clients that read take the batch's replies before the next batch is gathered, so that a
 * client pipelining requests sends its next ones together and they share one commit (through a
 * pipe of SD_OUTBOX_SNDHWM they would otherwise trickle in a few at a time). Offers again only
 * while replies keep moving (one within SD_OUTBOX_IDLE_US) and for SD_OUTBOX_DRAIN_MS at most,
 * so a client that does not read, or reads slowly, delays the others by no more than that. */
static void s_drain(sd_server_t *s)
{
    int64_t start = zclock_usecs(), moved = start;
    while (sd_outbox_waiting(s->outbox)) {
        int64_t now = zclock_usecs();
        if (sd_outbox_flush(s->outbox, now / 1000))
            moved = now;
        else if (now - moved >= SD_OUTBOX_IDLE_US || now - start >= SD_OUTBOX_DRAIN_MS * 1000)
            return;
    }
}

/* Every socket the loop watches: the client ROUTERs first, then replication's, then the search
 * thread's. */
typedef struct {
    zmq_pollitem_t items[5 + SD_REPLICA_SOCKETS_MAX]; /* for zmq_poll */
    void *handles[5 + SD_REPLICA_SOCKETS_MAX];        /* the czmq object behind each item */
    int count;                                        /* used entries */
    int search;                                       /* the search thread's entry, or -1 */
    int channels;                                     /* the channels thread's, or -1 */
} s_watch_t;

static void s_watch_init(sd_server_t *s, s_watch_t *w)
{
    for (int i = 0; i < s->nclients; i++)
        w->handles[i] = s->clients[i];
    w->count =
        s->nclients + (s->replica ? (int)sd_replica_sockets(s->replica, w->handles + s->nclients,
                                                            SD_REPLICA_SOCKETS_MAX)
                                  : 0);
    w->search = s->search ? w->count : -1;
    if (s->search)
        w->handles[w->count++] = sd_search_socket(s->search);
    w->channels = s->channels ? w->count : -1;
    if (s->channels)
        w->handles[w->count++] = sd_channels_socket(s->channels);
    for (int i = 0; i < w->count; i++)
        w->items[i] = (zmq_pollitem_t){zsock_resolve(w->handles[i]), 0, ZMQ_POLLIN, 0};
}

/* Renders the metrics text for scrapes when due (once a second); returns ms
 * until the next render. */
static int s_metrics(sd_server_t *s)
{
    int64_t now = zclock_mono();
    if (!s->metrics)
        return 1000;
    if (now < s->next_metrics)
        return (int)(s->next_metrics - now);
    s->next_metrics = now + 1000;
    sd_node_stats_t n = s_stats(s);
    sd_store_txn_t *txn;
    if (sd_store_begin(s->store, false, &txn) == 0) {
        if (sd_api_store_stats(s->store, txn, &n) != 0)
            sd_log(SD_LOG_WARNING, "metrics: cannot read the ticket counts");
        sd_store_abort(&txn);
    }
    sd_replica_stats_t *repl = s->replica ? malloc(sizeof *repl) : NULL;
    if (repl)
        sd_replica_stats(s->replica, repl);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (out) {
        sd_metrics_render(out, &n, repl);
        if (fclose(out) == 0)
            sd_metrics_publish(s->metrics, text, len);
    }
    free(text);
    free(repl);
    return 1000;
}

/* Runs the scheduler when its tick is due; returns ms until the next one. */
static int s_schedule(sd_server_t *s)
{
    int64_t now = zclock_mono();
    if (now < s->next_tick)
        return (int)(s->next_tick - now);
    s->next_tick = now + s->cfg->sched.tick_ms;
    s_check_restored(s);
    if (s->restoring)
        return s->cfg->sched.tick_ms; /* its events would take this site's own seqs */
    sd_workflow_ctx_t wf = s_workflow_ctx(s, s_now_ms(s), NULL);
    sd_sched_ctx_t ctx = {.wf = &wf,
                          .hub = strcmp(s->cfg->role, "hub") == 0,
                          .silent_ms = s->replica ? sd_replica_silent_cb : NULL,
                          .settled = s->replica ? sd_replica_settled_cb : NULL,
                          .silent_arg = s->replica};
    uint64_t first, last;
    int made = sd_sched_tick(&ctx, s->journal, s->sched_cursor, &first, &last);
    if (made < 0)
        sd_log(SD_LOG_ERROR, "scheduler tick failed: error=%s", sd_error_name(made));
    else if (made > 0 && s->replica)
        sd_replica_publish_own(s->replica, first, last);
    return s->cfg->sched.tick_ms;
}

int sd_server_run(sd_server_t *s)
{
    s_watch_t watch;
    s_watch_init(s, &watch);
    sd_log(SD_LOG_INFO, "serving: site=%s role=%s endpoint=%s%s%s", s->cfg->site, s->cfg->role,
           s->cfg->endpoint,
           s->clients_ipc[0] ? "" : " local=", s->clients_ipc[0] ? "" : s->cfg->local_endpoint);
    while (!zsys_interrupted) {
        int wait_ms = s->replica ? sd_replica_tick(s->replica) : 500;
        int tick_ms = s_schedule(s), metrics_ms = s_metrics(s);
        if (sd_server_search_retry(s))
            s_watch_init(s, &watch); /* its socket joins the poll */
        sd_outbox_flush(s->outbox, zclock_mono());
        wait_ms = tick_ms < wait_ms ? tick_ms : wait_ms;
        wait_ms = metrics_ms < wait_ms ? metrics_ms : wait_ms;
        if (sd_outbox_waiting(s->outbox) && wait_ms > SD_OUTBOX_RETRY_MS)
            wait_ms = SD_OUTBOX_RETRY_MS;
        int ready = zmq_poll(watch.items, watch.count, wait_ms > 0 ? wait_ms : 0);
        if (ready < 0 && zmq_errno() != EINTR)
            break; /* the context is terminating */
        /* Serve every socket that is ready, not only the first: with one per
         * wakeup, a busy client socket or first upstream starves the rest. */
        for (int i = s->nclients; ready > 0 && i < watch.count; i++)
            if (i != watch.search && i != watch.channels && (watch.items[i].revents & ZMQ_POLLIN))
                sd_replica_handle(s->replica, watch.handles[i]);
        if (ready > 0 && watch.search >= 0 && (watch.items[watch.search].revents & ZMQ_POLLIN))
            sd_server_search_replies(s);
        if (ready > 0 && watch.channels >= 0 && (watch.items[watch.channels].revents & ZMQ_POLLIN))
            sd_server_channels_take(s);
        bool clients = false;
        for (int i = 0; ready > 0 && i < s->nclients; i++)
            clients |= (watch.items[i].revents & ZMQ_POLLIN) != 0;
        if (clients) {
            s_gather(s);
            if (s->njobs) {
                s_serve_batch(s);
                s_drain(s);
            }
        }
    }
    sd_log(SD_LOG_INFO, "stopping: requests=%llu errors=%llu commits=%llu writes=%llu",
           (unsigned long long)s->requests, (unsigned long long)s->errors,
           (unsigned long long)s->commits, (unsigned long long)s->writes);
    return 0;
}
