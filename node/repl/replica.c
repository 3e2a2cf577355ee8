/* replica.c - replication's sockets: CURVE PUB/SUB and sync ROUTER/DEALER, ZAP, monitors.
 *
 * Everything replication decides - what to apply, ask, relay and answer,
 * restore gating, counters - is the state machine of replication/repl.h;
 * this module moves bytes between the sockets and it and carries out its
 * actions, within the bounds replica.h states: which sync requests are answered at all (one
 * reply in flight per requester and origin) and how many refusal lines reach the log. */
#include "replica.h"

#include "error.h"
#include "keys.h"
#include "log.h"
#include "repl.h"
#include "repl_store.h"

#include <errno.h>
#include <string.h>

#define SYNC_BATCH 1024 /* most published events applied per commit */
#define EV_FRAME   "E"  /* PUB: an event follows */
#define HB_FRAME   "H"  /* PUB: a heartbeat follows */

/* An upstream's sockets; its state is the state machine's peer of the same index. */
typedef struct {
    char site[SD_SITE_MAX + 1]; /* its site, from its certificate */
    zsock_t *sub;               /* its events and heartbeats */
    zsock_t *dealer;            /* its sync service */
    sd_log_limit_t log;         /* the lines about events it sent that were refused */
} s_upstream_t;

/* A sync reply sent, in flight until its requester asks past it or SD_SYNC_FLIGHT_MS pass. */
typedef struct {
    char origin[SD_SITE_MAX + 1]; /* the origin it carried; "" = a free slot */
    uint64_t to;                  /* the last seq it carried */
    int64_t at;                   /* when it was sent (monotonic ms) */
} s_flight_t;

/* A node that asks this one's sync service, known by its CURVE key. */
typedef struct {
    char key[48];                        /* its public key (Z85, the ZAP User-Id); "" = free */
    char site[SD_SITE_MAX + 1];          /* its certificate's site, for the log */
    int64_t heard;                       /* when it last asked (monotonic ms) */
    int64_t stalled;                     /* when a reply to it last found its pipe full; 0 never */
    s_flight_t flights[SD_SYNC_FLIGHTS]; /* replies in flight to it, by origin */
    sd_log_limit_t log;                  /* the lines about its refused or dropped requests */
} s_requester_t;

struct sd_replica {
    const sd_config_t *cfg;                       /* borrowed */
    sd_repl_t *repl;                              /* the decisions */
    zactor_t *auth;                               /* ZAP handler */
    zcert_t *cert;                                /* own certificate */
    zsock_t *pub;                                 /* events and heartbeats out */
    zsock_t *sync;                                /* sync service */
    s_upstream_t ups[SD_UPSTREAMS_MAX];           /* whom we follow */
    int nups;                                     /* how many */
    zactor_t *monitors[2];                        /* watch pub and sync for refused handshakes */
    uint64_t refused_connections;                 /* CURVE handshakes refused */
    sd_log_limit_t monitor_log[2];                /* ... their lines, per socket */
    zframe_t *requester;                          /* identity of the sync request being answered */
    s_requester_t *asking;                        /* ... who sent it */
    s_requester_t requesters[SD_SYNC_REQUESTERS]; /* who asked lately */
    uint64_t sync_dropped;         /* sync requests not answered (sd_replica_stats_t) */
    uint64_t sync_replies_dropped; /* sync replies libzmq could not take */
    uint64_t log_held_gone;        /* refusal lines held back for requesters forgotten */
    sd_signer_t signer;            /* signs this node's events (the journal borrows it) */
    sd_signers_t signers;          /* every site's public signing keys known here */
    sd_vector_t legacy;            /* events held before signing began: accepted unsigned */
    bool settled;                  /* caught up with the upstreams once (sd_replica_settled_cb) */
};

static zsock_t *s_server_socket(sd_replica_t *r, int type, const char *endpoint, char *err,
                                size_t cap)
{
    zsock_t *s = zsock_new(type);
    if (!s)
        return NULL;
    zcert_apply(r->cert, s);
    zsock_set_curve_server(s, 1);
    zsock_set_zap_domain(s, "sundesk");
    zsock_set_linger(s, 0);
    if (type == ZMQ_PUB) {
        zsock_set_sndhwm(s, SD_PUB_SNDHWM);
    } else {
        /* A reply that does not fit fails at once (EAGAIN) instead of queueing (s_reply). */
        zsock_set_sndhwm(s, SD_SYNC_SNDHWM);
        zsock_set_rcvhwm(s, SD_SYNC_RCVHWM);
        zsock_set_maxmsgsize(s, SD_MESSAGE_MAX);
        zsock_set_router_mandatory(s, 1);
    }
    if (zsock_bind(s, "%s", endpoint) < 0) {
        snprintf(err, cap, "cannot bind %s: %s", endpoint, zmq_strerror(zmq_errno()));
        zsock_destroy(&s);
    }
    return s;
}

static zsock_t *s_client_socket(sd_replica_t *r, int type, const char *endpoint,
                                const char *server_key)
{
    zsock_t *s = zsock_new(type);
    if (!s)
        return NULL;
    zcert_apply(r->cert, s);
    zsock_set_curve_serverkey(s, server_key);
    zsock_set_linger(s, 0);
    if (type == ZMQ_SUB)
        zsock_set_subscribe(s, "");
    if (zsock_connect(s, "%s", endpoint) < 0)
        zsock_destroy(&s);
    return s;
}

static void s_act(void *arg, const sd_repl_action_t *a);

/* The node's clock: the schedule's, which a test may run fast (node/calendar/clock.h). */
static int64_t s_wall_ms(void *arg)
{
    const sd_replica_t *r = arg;
    return sd_clock_now(&r->cfg->sched.clock);
}

/* This node's signing key (CERT_sign) for its journal, and every public signing key it knows:
 * its own, its certificate directory's and the signers directory's (sign.h). The events held
 * before the first start with signing stay accepted unsigned (store.h sd_store_legacy). */
static int s_load_signing(sd_replica_t *r, sd_journal_t *journal, char *err, size_t cap)
{
    const sd_config_t *cfg = r->cfg;
    char path[SD_PATH_MAX + 8];
    snprintf(path, sizeof path, "%s_sign", cfg->repl.cert);
    int rc = sd_signer_load(path, cfg->site, &r->signer, err, cap);
    if (!rc && sd_keys_add_signer(r->cert, &r->signers) != 0) {
        snprintf(err, cap,
                 "%s: the certificate has no sign-key (made before signing: make a new "
                 "one with sundesk keygen)",
                 cfg->repl.cert);
        rc = SD_ECONFIG;
    }
    rc = rc ?: sd_keys_load_signers(cfg->repl.certs, &r->signers, err, cap);
    if (!rc && cfg->repl.signers[0])
        rc = sd_keys_load_signers(cfg->repl.signers, &r->signers, err, cap);
    if (!rc && (rc = sd_store_legacy(sd_journal_store(journal), &r->legacy)) != 0)
        snprintf(err, cap, "cannot read the store: %s", sd_strerror(rc));
    if (!rc)
        sd_journal_set_signer(journal, &r->signer, cfg->repl.max_skew_ms, s_wall_ms, r);
    return rc;
}

int sd_replica_new(const sd_config_t *cfg, sd_journal_t *journal, sd_replica_t **out, char *err,
                   size_t cap)
{
    *out = NULL;
    sd_replica_t *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, cap, "out of memory");
        return SD_ENOMEM;
    }
    r->cfg = cfg;
    sd_peer_t peers[SD_UPSTREAMS_MAX] = {0};
    int rc = sd_keys_load_own(cfg->repl.cert, cfg->site, &r->cert, err, cap)
                 ?: s_load_signing(r, journal, err, cap);
    if (rc)
        goto fail;
    /* The ZAP handler must run before the first CURVE bind. */
    if (!(r->auth = sd_keys_start_auth(cfg->repl.certs))) {
        snprintf(err, cap, "%s: cannot start the ZAP handler", cfg->repl.certs);
        rc = SD_ECONFIG;
        goto fail;
    }
    for (int i = 0; i < cfg->repl.nupstreams; i++) {
        const sd_upstream_config_t *u = &cfg->repl.upstreams[i];
        s_upstream_t *up = &r->ups[r->nups];
        zcert_t *peer_cert;
        const char *site, *role;
        rc = sd_keys_load_peer(u->cert, &peer_cert, &site, &role, err, cap);
        if (rc)
            goto fail;
        strcpy(up->site, site);
        snprintf(up->log.subject, sizeof up->log.subject, "event refused: peer=%s", site);
        strcpy(peers[i].site, site);
        peers[i].role = strcmp(role, "hub") == 0 ? SD_ROLE_HUB : SD_ROLE_SITE;
        up->sub = s_client_socket(r, ZMQ_SUB, u->pub, zcert_public_txt(peer_cert));
        up->dealer = s_client_socket(r, ZMQ_DEALER, u->sync, zcert_public_txt(peer_cert));
        zcert_destroy(&peer_cert);
        r->nups++;
        if (!up->sub || !up->dealer) {
            snprintf(err, cap, "cannot connect to upstream %s (%s, %s)", up->site, u->pub, u->sync);
            rc = SD_ECONFIG;
            goto fail;
        }
    }
    sd_repl_params_t params = {.site = cfg->site,
                               .hub = strcmp(cfg->role, "hub") == 0,
                               .heartbeat_ms = cfg->repl.heartbeat_ms,
                               .peers = peers,
                               .npeers = r->nups,
                               .act = s_act,
                               .act_arg = r,
                               .signers = &r->signers,
                               .legacy = &r->legacy,
                               .max_skew_ms = cfg->repl.max_skew_ms,
                               .wall_ms = s_wall_ms};
    sd_repl_store_init(&params.store, journal);
    if ((rc = sd_repl_new(&params, zclock_mono(), &r->repl)) != 0) {
        snprintf(err, cap, "cannot start replication: %s", sd_strerror(rc));
        goto fail;
    }
    r->pub = s_server_socket(r, ZMQ_PUB, cfg->repl.pub, err, cap);
    r->sync = r->pub ? s_server_socket(r, ZMQ_ROUTER, cfg->repl.sync, err, cap) : NULL;
    if (!r->pub || !r->sync) {
        rc = SD_EIO;
        goto fail;
    }
    /* Count and log refused handshakes: unknown keys and plaintext clients. */
    zsock_t *watched[2] = {r->pub, r->sync};
    snprintf(r->monitor_log[0].subject, sizeof r->monitor_log[0].subject,
             "connection refused: socket=pub");
    snprintf(r->monitor_log[1].subject, sizeof r->monitor_log[1].subject,
             "connection refused: socket=sync");
    for (int i = 0; i < 2; i++) {
        r->monitors[i] = zactor_new(zmonitor, watched[i]);
        if (r->monitors[i]) {
            zstr_sendx(r->monitors[i], "LISTEN", "HANDSHAKE_FAILED_AUTH", NULL);
            zstr_sendx(r->monitors[i], "LISTEN", "HANDSHAKE_FAILED_PROTOCOL", NULL);
            zstr_sendx(r->monitors[i], "START", NULL);
            zsock_wait(r->monitors[i]);
        }
    }
    sd_log(SD_LOG_INFO, "replication: site=%s pub=%s sync=%s upstreams=%d", cfg->site,
           cfg->repl.pub, cfg->repl.sync, r->nups);
    *out = r;
    return 0;
fail:
    sd_replica_destroy(&r);
    return rc;
}

void sd_replica_destroy(sd_replica_t **replica)
{
    if (!replica || !*replica)
        return;
    sd_replica_t *r = *replica;
    for (int i = 0; i < r->nups; i++) {
        zsock_destroy(&r->ups[i].sub);
        zsock_destroy(&r->ups[i].dealer);
    }
    zactor_destroy(&r->monitors[0]);
    zactor_destroy(&r->monitors[1]);
    zsock_destroy(&r->pub);
    zsock_destroy(&r->sync);
    zactor_destroy(&r->auth);
    zcert_destroy(&r->cert);
    sd_repl_destroy(&r->repl);
    sd_signer_clear(&r->signer);
    free(r);
    *replica = NULL;
}

size_t sd_replica_sockets(sd_replica_t *r, void **socks, size_t cap)
{
    size_t n = 0;
    if (n < cap)
        socks[n++] = r->sync;
    for (int i = 0; i < 2; i++)
        if (r->monitors[i] && n < cap)
            socks[n++] = r->monitors[i];
    for (int i = 0; i < r->nups && n + 2 <= cap; i++) {
        socks[n++] = r->ups[i].sub;
        socks[n++] = r->ups[i].dealer;
    }
    return n;
}

/* ---- the sync service's bounds -------------------------------------------- */

/* The requester that sent body (by the CURVE key ZAP gave it), remembered from now on: a new
 * one takes the slot heard from longest ago. */
static s_requester_t *s_requester(sd_replica_t *r, zframe_t *body, int64_t now)
{
    const char *key = zframe_meta(body, "User-Id"), *site = zframe_meta(body, "site");
    key = key && *key ? key : "?"; /* every CURVE peer has one */
    s_requester_t *q = NULL, *oldest = &r->requesters[0];
    for (int i = 0; !q && i < SD_SYNC_REQUESTERS; i++) {
        s_requester_t *at = &r->requesters[i];
        if (strcmp(at->key, key) == 0)
            q = at;
        else if (at->heard < oldest->heard)
            oldest = at;
    }
    if (!q) {
        q = oldest;
        r->log_held_gone += q->log.dropped;
        memset(q, 0, sizeof *q);
        snprintf(q->key, sizeof q->key, "%s", key);
        snprintf(q->site, sizeof q->site, "%s", site ? site : "?");
        snprintf(q->log.subject, sizeof q->log.subject, "sync request refused: peer=%s", q->site);
    }
    q->heard = now;
    return q;
}

/* Whether q's request may be answered: not while q's replies find its pipe full, nor while a
 * reply to it for the same origin is in flight, unless the request asks past that reply (which
 * shows the reply arrived: the requester chains the next request on it, repl.h). */
static const char *s_why_not(const s_requester_t *q, const sd_sync_request_t *req, int64_t now)
{
    if (q->stalled && now - q->stalled < SD_SYNC_FLIGHT_MS)
        return "not-reading";
    for (int i = 0; i < SD_SYNC_FLIGHTS; i++) {
        const s_flight_t *f = &q->flights[i];
        if (f->origin[0] && strcmp(f->origin, req->origin) == 0)
            return now - f->at < SD_SYNC_FLIGHT_MS && req->from <= f->to ? "reply-in-flight" : NULL;
    }
    return NULL;
}

/* Notes a reply to q for origin up to seq `to`, in the slot of its origin or else the oldest. */
static void s_took_off(s_requester_t *q, const char *origin, uint64_t to, int64_t now)
{
    s_flight_t *slot = &q->flights[0];
    for (int i = 0; i < SD_SYNC_FLIGHTS; i++) {
        s_flight_t *f = &q->flights[i];
        if (strcmp(f->origin, origin) == 0) {
            slot = f;
            break;
        }
        if (f->at < slot->at)
            slot = f;
    }
    snprintf(slot->origin, sizeof slot->origin, "%s", origin);
    slot->to = to;
    slot->at = now;
}

/* Sends a sync reply to the request being answered without blocking. A requester whose
 * connection already holds SD_SYNC_SNDHWM replies it has not read (or that is gone) loses this
 * one, and its requests are dropped for SD_SYNC_FLIGHT_MS: it asks again on its own timer
 * (ask_again_ms, repl.h), so a drop delays a repair and loses no event. */
static void s_reply(sd_replica_t *r, const sd_repl_action_t *a)
{
    s_requester_t *q = r->asking;
    void *sock = zsock_resolve(r->sync);
    int64_t now = zclock_mono();
    if (!q || !r->requester)
        return;
    if (zmq_send(sock, zframe_data(r->requester), zframe_size(r->requester),
                 ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) {
        bool full = zmq_errno() == EAGAIN;
        r->sync_replies_dropped++;
        if (full)
            q->stalled = now;
        sd_log_limited(&q->log, now, "sync reply dropped: peer=%s origin=%s reason=%s", q->site,
                       a->origin, full ? "not-reading" : "gone");
        return;
    }
    /* Once the routing id frame is taken, a ROUTER takes the rest of the message. */
    for (size_t i = 0; i < a->nframes; i++)
        zmq_send(sock, a->frames[i].bytes, a->frames[i].len,
                 (i + 1 < a->nframes ? ZMQ_SNDMORE : 0) | ZMQ_DONTWAIT);
    /* An origin's seqs are contiguous in the store: the reply ends at from + n - 1. */
    s_took_off(q, a->origin, (a->seq ? a->seq : 1) + a->nframes - 1, now);
}

/* ---- the state machine's actions ----------------------------------------- */

static void s_act(void *arg, const sd_repl_action_t *a)
{
    sd_replica_t *r = arg;
    switch (a->kind) {
    case SD_REPL_ASK:
        zsock_send(r->ups[a->peer].dealer, "b", a->bytes, a->len);
        break;
    case SD_REPL_PUBLISH:
        zsock_send(r->pub, "sb", EV_FRAME, a->bytes, a->len);
        break;
    case SD_REPL_HEARTBEAT:
        zsock_send(r->pub, "sb", HB_FRAME, a->bytes, a->len);
        break;
    case SD_REPL_REPLY: /* [identity][event]...[event] */
        s_reply(r, a);
        break;
    case SD_REPL_REFUSED:
        if (a->reason)
            sd_log_limited(&r->ups[a->peer].log, zclock_mono(),
                           "event refused: peer=%s origin=%s error=%s reason=\"%s\"",
                           r->ups[a->peer].site, a->origin[0] ? a->origin : "?",
                           sd_error_name(a->error), a->reason);
        else if (a->error)
            sd_log_limited(&r->ups[a->peer].log, zclock_mono(), "event refused: peer=%s error=%s",
                           r->ups[a->peer].site, sd_error_name(a->error));
        else
            sd_log_limited(&r->ups[a->peer].log, zclock_mono(),
                           "event refused: peer=%s origin=%s reason=not-its-origin",
                           r->ups[a->peer].site, a->origin);
        break;
    case SD_REPL_FAILED:
        sd_log(SD_LOG_ERROR, "applying peer events failed: peer=%s error=%s", r->ups[a->peer].site,
               sd_error_name(a->error));
        break;
    }
}

void sd_replica_publish_own(sd_replica_t *r, uint64_t from, uint64_t to)
{
    sd_repl_publish_own(r->repl, from, to);
}

int sd_replica_tick(sd_replica_t *r)
{
    int64_t now = zclock_mono();
    /* Summaries of held-back refusal lines come even when the peer has gone quiet. */
    for (int i = 0; i < r->nups; i++)
        sd_log_limit_tick(&r->ups[i].log, now);
    for (int i = 0; i < SD_SYNC_REQUESTERS; i++)
        sd_log_limit_tick(&r->requesters[i].log, now);
    sd_log_limit_tick(&r->monitor_log[0], now);
    sd_log_limit_tick(&r->monitor_log[1], now);
    return (int)sd_repl_tick(r->repl, now);
}

/* ---- receiving ----------------------------------------------------------- */

/* Frames of msg as the state machine takes them; NULL when out of memory. */
static sd_repl_frame_t *s_frames(zmsg_t *msg, size_t *n)
{
    *n = zmsg_size(msg);
    sd_repl_frame_t *frames = calloc(*n ? *n : 1, sizeof *frames);
    size_t i = 0;
    for (zframe_t *f = zmsg_first(msg); frames && f; f = zmsg_next(msg), i++)
        frames[i] = (sd_repl_frame_t){.bytes = zframe_data(f), .len = zframe_size(f)};
    return frames;
}

/* Takes what the upstream published: events that are waiting are applied
 * together (one commit for all), heartbeats are handled as they come. */
static void s_on_sub(sd_replica_t *r, int i)
{
    s_upstream_t *up = &r->ups[i];
    zmsg_t *events = zmsg_new();
    for (int n = 0; n < SYNC_BATCH && (zsock_events(up->sub) & ZMQ_POLLIN); n++) {
        zmsg_t *msg = zmsg_recv(up->sub);
        if (!msg)
            break;
        char *kind = zmsg_popstr(msg);
        if (kind && strcmp(kind, EV_FRAME) == 0 && zmsg_size(msg) == 1) {
            zframe_t *f = zmsg_pop(msg);
            zmsg_append(events, &f);
        } else if (kind && strcmp(kind, HB_FRAME) == 0 && zmsg_size(msg) == 1) {
            zframe_t *f = zmsg_first(msg);
            sd_repl_on_heartbeat(r->repl, i, zframe_data(f), zframe_size(f), zclock_mono());
        }
        free(kind);
        zmsg_destroy(&msg);
    }
    size_t n;
    sd_repl_frame_t *frames = s_frames(events, &n);
    if (frames && n)
        sd_repl_on_publish(r->repl, i, frames, n, zclock_mono());
    free(frames);
    zmsg_destroy(&events);
}

/* A sync reply: frames of events of one origin, in seq order. */
static void s_on_dealer(sd_replica_t *r, int i)
{
    zmsg_t *msg = zmsg_recv(r->ups[i].dealer);
    size_t n;
    sd_repl_frame_t *frames = msg ? s_frames(msg, &n) : NULL;
    if (frames && n)
        sd_repl_on_sync_reply(r->repl, i, frames, n, zclock_mono());
    free(frames);
    zmsg_destroy(&msg);
}

/* The sync service: [identity][request] -> [identity][event]...[event]. A request is read
 * here first, to drop it before the store is read when its answer would be a second reply in
 * flight (s_why_not). */
static void s_on_sync(sd_replica_t *r)
{
    zmsg_t *msg = zmsg_recv(r->sync);
    if (!msg)
        return;
    int64_t now = zclock_mono();
    r->requester = zmsg_pop(msg);
    zframe_t *body = zmsg_pop(msg);
    s_requester_t *q = s_requester(r, body ? body : r->requester, now);
    sd_sync_request_t req;
    int rc = body && !zmsg_size(msg)
                 ? sd_sync_request_decode(zframe_data(body), zframe_size(body), &req, NULL)
                 : SD_EFRAMING;
    const char *why = rc ? NULL : s_why_not(q, &req, now);
    if (why) {
        r->sync_dropped++;
        sd_log_limited(&q->log, now, "sync request dropped: peer=%s origin=%s from=%llu reason=%s",
                       q->site, req.origin, (unsigned long long)req.from, why);
    } else if (!rc) {
        r->asking = q;
        rc = sd_repl_on_sync_request(r->repl, zframe_data(body), zframe_size(body));
        r->asking = NULL;
    }
    if (rc) {
        r->sync_dropped++;
        sd_log_limited(&q->log, now, "sync request refused: peer=%s error=%s", q->site,
                       sd_error_name(rc));
    }
    zframe_destroy(&r->requester);
    zframe_destroy(&body);
    zmsg_destroy(&msg);
}

/* A refused handshake on pub or sync: [event, value, address]. */
static void s_on_monitor(sd_replica_t *r, zactor_t *monitor)
{
    zmsg_t *msg = zmsg_recv(monitor);
    char *event = msg ? zmsg_popstr(msg) : NULL;
    zmsg_destroy(&msg); /* value and peer address follow; not needed */
    r->refused_connections++;
    int i = monitor == r->monitors[0] ? 0 : 1;
    sd_log_limited(&r->monitor_log[i], zclock_mono(), "connection refused: socket=%s reason=%s",
                   i == 0 ? "pub" : "sync", event ? event : "?");
    free(event);
}

bool sd_replica_handle(sd_replica_t *r, void *socket)
{
    for (int i = 0; i < 2; i++) {
        if (socket == r->monitors[i]) {
            s_on_monitor(r, r->monitors[i]);
            return true;
        }
    }
    if (socket == r->sync) {
        s_on_sync(r);
        return true;
    }
    for (int i = 0; i < r->nups; i++) {
        if (socket == r->ups[i].sub) {
            s_on_sub(r, i);
            return true;
        }
        if (socket == r->ups[i].dealer) {
            s_on_dealer(r, i);
            return true;
        }
    }
    return false;
}

void sd_replica_restore_begin(sd_replica_t *r)
{
    sd_repl_restore_begin(r->repl, zclock_mono());
}

bool sd_replica_restored(sd_replica_t *r)
{
    return sd_repl_restored(r->repl, zclock_mono());
}

void sd_replica_stats(sd_replica_t *r, sd_replica_stats_t *st)
{
    sd_repl_stats(r->repl, zclock_mono(), &st->repl);
    st->refused_connections = r->refused_connections;
    st->sync_dropped = r->sync_dropped;
    st->sync_replies_dropped = r->sync_replies_dropped;
    st->log_held = r->log_held_gone + r->monitor_log[0].dropped + r->monitor_log[1].dropped;
    for (int i = 0; i < r->nups; i++)
        st->log_held += r->ups[i].log.dropped;
    for (int i = 0; i < SD_SYNC_REQUESTERS; i++)
        st->log_held += r->requesters[i].log.dropped;
}

void sd_replica_status(sd_replica_t *r, sd_mp_writer_t *w)
{
    sd_replica_stats_t *st = malloc(sizeof *st);
    if (!st) {
        sd_mp_nil(w); /* the writer's caller sees a reply it cannot read, not a crash */
        return;
    }
    sd_replica_stats(r, st);
    sd_mp_map(w, 7);
    sd_mp_str(w, "vector");
    sd_vector_encode(&st->repl.vector, w);
    sd_mp_str(w, "refused_connections");
    sd_mp_u64(w, st->refused_connections);
    sd_mp_str(w, "sync_dropped");
    sd_mp_u64(w, st->sync_dropped);
    sd_mp_str(w, "sync_replies_dropped");
    sd_mp_u64(w, st->sync_replies_dropped);
    sd_mp_str(w, "log_lines_held");
    sd_mp_u64(w, st->log_held);
    sd_mp_str(w, "restoring");
    sd_mp_bool(w, st->repl.restoring);
    sd_mp_str(w, "peers");
    sd_mp_array(w, (uint32_t)st->repl.npeers);
    for (int i = 0; i < st->repl.npeers; i++) {
        const sd_repl_peer_stats_t *p = &st->repl.peers[i];
        sd_mp_map(w, 10);
        sd_mp_str(w, "site"), sd_mp_str(w, p->site);
        sd_mp_str(w, "role"), sd_mp_str(w, p->hub ? "hub" : "site");
        sd_mp_str(w, "connected"), sd_mp_bool(w, p->connected);
        sd_mp_str(w, "heartbeat_age_ms");
        p->heartbeat_age_ms >= 0 ? sd_mp_u64(w, (uint64_t)p->heartbeat_age_ms) : sd_mp_nil(w);
        sd_mp_str(w, "vector"), sd_vector_encode(&p->vector, w);
        sd_mp_str(w, "lag_events"), sd_mp_u64(w, p->lag_events);
        sd_mp_str(w, "lag_ms"), sd_mp_u64(w, p->lag_ms);
        sd_mp_str(w, "refused"), sd_mp_u64(w, p->refused);
        sd_mp_str(w, "applied_pub"), sd_mp_u64(w, p->applied_pub);
        sd_mp_str(w, "applied_sync"), sd_mp_u64(w, p->applied_sync);
    }
    free(st);
}

int64_t sd_replica_silent_ms(sd_replica_t *r, const char *site)
{
    return r ? sd_repl_silent_ms(r->repl, site, zclock_mono()) : -1;
}

int64_t sd_replica_silent_cb(void *replica, const char *site)
{
    return sd_replica_silent_ms(replica, site);
}

bool sd_replica_settled_cb(void *replica)
{
    sd_replica_t *r = replica;
    if (!r->settled && sd_repl_settled(r->repl, r->cfg->sched.takeover_grace_ms, zclock_mono())) {
        r->settled = true;
        sd_log(SD_LOG_INFO,
               "scheduler: caught up with the upstreams, deciding again; what the hub took "
               "while this site was silent: sundesk handover taken %s",
               r->cfg->site);
    }
    return r->settled;
}
