/* replica.c - replication's sockets: CURVE PUB/SUB and sync ROUTER/DEALER, ZAP, monitors.
 *
 * Everything replication decides - what to apply, ask, relay and answer,
 * restore gating, counters - is the state machine of replication/repl.h;
 * this module moves bytes between the sockets and it and carries out its
 * actions. */
#include "replica.h"

#include "error.h"
#include "keys.h"
#include "log.h"
#include "repl.h"
#include "repl_store.h"

#include <string.h>

#define SYNC_BATCH 1024 /* most published events applied per commit */
#define EV_FRAME   "E"  /* PUB: an event follows */
#define HB_FRAME   "H"  /* PUB: a heartbeat follows */

/* An upstream's sockets; its state is the state machine's peer of the same index. */
typedef struct {
    char site[SD_SITE_MAX + 1]; /* its site, from its certificate */
    zsock_t *sub;               /* its events and heartbeats */
    zsock_t *dealer;            /* its sync service */
} s_upstream_t;

struct sd_replica {
    const sd_config_t *cfg;             /* borrowed */
    sd_repl_t *repl;                    /* the decisions */
    zactor_t *auth;                     /* ZAP handler */
    zcert_t *cert;                      /* own certificate */
    zsock_t *pub;                       /* events and heartbeats out */
    zsock_t *sync;                      /* sync service */
    s_upstream_t ups[SD_UPSTREAMS_MAX]; /* whom we follow */
    int nups;                           /* how many */
    zactor_t *monitors[2];              /* watch pub and sync for refused handshakes */
    uint64_t refused_connections;       /* CURVE handshakes refused */
    zframe_t *requester;                /* identity of the sync request being answered */
    sd_signer_t signer;                 /* signs this node's events (the journal borrows it) */
    sd_signers_t signers;               /* every site's public signing keys known here */
    sd_vector_t legacy;                 /* events held before signing began: accepted unsigned */
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
    case SD_REPL_REPLY: {
        /* [identity][event]...[event] */
        zmsg_t *reply = zmsg_new();
        zframe_t *to = r->requester ? zframe_dup(r->requester) : NULL;
        if (!reply || !to) {
            zframe_destroy(&to);
            zmsg_destroy(&reply);
            break;
        }
        zmsg_append(reply, &to);
        for (size_t i = 0; i < a->nframes; i++)
            zmsg_addmem(reply, a->frames[i].bytes, a->frames[i].len);
        zmsg_send(&reply, r->sync);
        break;
    }
    case SD_REPL_REFUSED:
        if (a->reason)
            sd_log(SD_LOG_WARNING, "event refused: peer=%s origin=%s error=%s reason=\"%s\"",
                   r->ups[a->peer].site, a->origin[0] ? a->origin : "?", sd_error_name(a->error),
                   a->reason);
        else if (a->error)
            sd_log(SD_LOG_WARNING, "event refused: peer=%s error=%s", r->ups[a->peer].site,
                   sd_error_name(a->error));
        else
            sd_log(SD_LOG_WARNING, "event refused: peer=%s origin=%s reason=not-its-origin",
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
    return (int)sd_repl_tick(r->repl, zclock_mono());
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

/* The sync service: [identity][request] -> [identity][event]...[event]. */
static void s_on_sync(sd_replica_t *r)
{
    zmsg_t *msg = zmsg_recv(r->sync);
    if (!msg)
        return;
    r->requester = zmsg_pop(msg);
    zframe_t *body = zmsg_pop(msg);
    int rc = r->requester && body
                 ? sd_repl_on_sync_request(r->repl, zframe_data(body), zframe_size(body))
                 : SD_EFRAMING;
    if (rc)
        sd_log(SD_LOG_WARNING, "sync request refused: error=%s", sd_error_name(rc));
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
    sd_log(SD_LOG_WARNING, "connection refused: socket=%s reason=%s",
           monitor == r->monitors[0] ? "pub" : "sync", event ? event : "?");
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
}

void sd_replica_status(sd_replica_t *r, sd_mp_writer_t *w)
{
    sd_replica_stats_t *st = malloc(sizeof *st);
    if (!st) {
        sd_mp_nil(w); /* the writer's caller sees a reply it cannot read, not a crash */
        return;
    }
    sd_replica_stats(r, st);
    sd_mp_map(w, 4);
    sd_mp_str(w, "vector");
    sd_vector_encode(&st->repl.vector, w);
    sd_mp_str(w, "refused_connections");
    sd_mp_u64(w, st->refused_connections);
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
