/* replica.c - CURVE sockets, publishing, applying peers' events, the sync service. */
#include "replica.h"

#include "error.h"
#include "keys.h"
#include "log.h"
#include "sync.h"

#include <string.h>

#define SYNC_BATCH        1024      /* most published events applied per commit */
#define SYNC_REPLY_EVENTS 4096      /* most events in one sync reply ... */
#define SYNC_REPLY_BYTES  (4 << 20) /* ... and about this many bytes */
#define EV_FRAME          "E"       /* PUB: an event follows */
#define HB_FRAME          "H"       /* PUB: a heartbeat follows */
#define ASK_AGAIN_MS      1000      /* do not repeat a sync request for the same origin sooner */

/* An upstream: the node we follow. */
typedef struct {
    sd_peer_t peer;       /* its site and role, from its certificate */
    zsock_t *sub;         /* its events and heartbeats */
    zsock_t *dealer;      /* its sync service */
    int64_t heartbeat_at; /* when its last heartbeat came (ms, monotonic); 0 never */
    int64_t first_heard;  /* when its first heartbeat came; 0 never */
    sd_vector_t vector;   /* what it said it holds */
    sd_vector_t asked;    /* per origin: when we last asked (monotonic ms) */
    uint64_t refused;     /* events it sent that it may not send */
    uint64_t via_pub;     /* events applied as it published them */
    uint64_t via_sync;    /* events applied from its sync replies (gaps repaired) */
    int64_t behind_since; /* first heartbeat showing it holds more; 0 = caught up */
} s_upstream_t;

struct sd_replica {
    const sd_config_t *cfg;             /* borrowed */
    sd_store_t *store;                  /* borrowed */
    sd_hlc_t *clock;                    /* borrowed: the server's clock */
    zactor_t *auth;                     /* ZAP handler */
    zcert_t *cert;                      /* own certificate */
    zsock_t *pub;                       /* events and heartbeats out */
    zsock_t *sync;                      /* sync service */
    s_upstream_t ups[SD_UPSTREAMS_MAX]; /* whom we follow */
    int nups;                           /* how many */
    zactor_t *monitors[2];              /* watch pub and sync for refused handshakes */
    uint64_t refused_connections;       /* CURVE handshakes refused */
    int64_t next_heartbeat;             /* monotonic ms */
    int64_t started;                    /* monotonic ms at start */
    int64_t restore_from;               /* restoring: when it began (monotonic ms); 0 = not */
    sd_mp_writer_t *w;                  /* scratch */
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

int sd_replica_new(const sd_config_t *cfg, sd_store_t *store, sd_hlc_t *clock, sd_replica_t **out,
                   char *err, size_t cap)
{
    *out = NULL;
    sd_replica_t *r = calloc(1, sizeof *r);
    if (!r || !(r->w = sd_mp_writer_new())) {
        free(r);
        snprintf(err, cap, "out of memory");
        return SD_ENOMEM;
    }
    r->cfg = cfg, r->store = store, r->clock = clock;
    r->started = zclock_mono();
    int rc = sd_keys_load_own(cfg->repl.cert, cfg->site, &r->cert, err, cap);
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
        strcpy(up->peer.site, site);
        up->peer.role = strcmp(role, "hub") == 0 ? SD_ROLE_HUB : SD_ROLE_SITE;
        up->sub = s_client_socket(r, ZMQ_SUB, u->pub, zcert_public_txt(peer_cert));
        up->dealer = s_client_socket(r, ZMQ_DEALER, u->sync, zcert_public_txt(peer_cert));
        zcert_destroy(&peer_cert);
        r->nups++;
        if (!up->sub || !up->dealer) {
            snprintf(err, cap, "cannot connect to upstream %s (%s, %s)", up->peer.site, u->pub,
                     u->sync);
            rc = SD_ECONFIG;
            goto fail;
        }
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
    sd_mp_writer_destroy(&r->w);
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

/* ---- publishing ---------------------------------------------------------- */

static int s_publish_one(const void *event, size_t len, void *arg)
{
    sd_replica_t *r = arg;
    zsock_send(r->pub, "sb", EV_FRAME, event, len);
    return 0;
}

static void s_publish_range(sd_replica_t *r, const char *origin, uint64_t from, uint64_t to)
{
    sd_store_txn_t *txn;
    if (from > to || sd_store_begin(r->store, false, &txn) != 0)
        return;
    sd_store_events_from(txn, origin, from, (size_t)(to - from + 1), s_publish_one, r);
    sd_store_abort(&txn);
}

void sd_replica_publish_own(sd_replica_t *r, uint64_t from, uint64_t to)
{
    s_publish_range(r, r->cfg->site, from, to);
}

static void s_vector(sd_replica_t *r, sd_vector_t *v)
{
    sd_store_txn_t *txn;
    v->count = 0;
    if (sd_store_begin(r->store, false, &txn) == 0) {
        sd_store_vector(txn, v);
        sd_store_abort(&txn);
    }
}

int sd_replica_tick(sd_replica_t *r)
{
    int64_t now = zclock_mono();
    if (now >= r->next_heartbeat) {
        sd_vector_t v;
        s_vector(r, &v);
        sd_mp_writer_reset(r->w);
        sd_heartbeat_encode(r->cfg->site, &v, r->w);
        size_t len;
        const void *data = sd_mp_writer_data(r->w, &len);
        zsock_send(r->pub, "sb", HB_FRAME, data, len);
        r->next_heartbeat = now + r->cfg->repl.heartbeat_ms;
    }
    return (int)(r->next_heartbeat - now);
}

/* ---- receiving ----------------------------------------------------------- */

/* Asks up for origin's events from `from` on, unless just asked. */
static void s_ask(sd_replica_t *r, s_upstream_t *up, const char *origin, uint64_t from, bool force)
{
    uint64_t now = (uint64_t)zclock_mono();
    if (!force && now - sd_vector_get(&up->asked, origin) < ASK_AGAIN_MS)
        return;
    sd_vector_set(&up->asked, origin, now);
    sd_sync_request_t req = {.from = from};
    strcpy(req.origin, origin);
    sd_mp_writer_reset(r->w);
    sd_sync_request_encode(&req, r->w);
    size_t len;
    const void *data = sd_mp_writer_data(r->w, &len);
    zsock_send(up->dealer, "b", data, len);
}

/* Decodes the events in frames (one each) into evs (room for cap), dropping
 * and counting those up may not send. Returns how many are kept. */
static size_t s_decode_frames(s_upstream_t *up, zmsg_t *msg, sd_event_t *evs, size_t cap)
{
    size_t n = 0;
    for (zframe_t *f = zmsg_first(msg); f && n < cap; f = zmsg_next(msg)) {
        sd_fault_t fault = {0};
        sd_event_t *ev = &evs[n];
        *ev = (sd_event_t){0};
        if (sd_event_decode(zframe_data(f), zframe_size(f), ev, &fault) != 0) {
            up->refused++;
            sd_log(SD_LOG_WARNING, "event refused: peer=%s error=%s", up->peer.site,
                   sd_error_name(fault.code));
        } else if (!sd_sync_may_send(&up->peer, ev->origin)) {
            up->refused++;
            sd_log(SD_LOG_WARNING, "event refused: peer=%s origin=%s reason=not-its-origin",
                   up->peer.site, ev->origin);
        } else {
            n++;
            continue;
        }
        sd_event_clear(ev);
    }
    return n;
}

/* One attempt at applying evs in one transaction. Returns 0 and *applied_n,
 * or a store error (nothing applied). */
static int s_apply_txn(sd_replica_t *r, s_upstream_t *up, const sd_event_t *evs, size_t n,
                       sd_vector_t *before, size_t *applied_n)
{
    sd_store_txn_t *txn;
    int rc = sd_store_begin(r->store, true, &txn);
    if (rc)
        return rc;
    sd_store_vector(txn, before);
    *applied_n = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        uint64_t applied = 0;
        sd_store_applied(txn, evs[i].origin, &applied);
        switch (sd_sync_classify(&up->peer, &evs[i], applied)) {
        case SD_RECV_APPLY:
            sd_hlc_observe(r->clock, evs[i].hlc);
            rc = sd_store_apply(txn, &evs[i]);
            *applied_n += rc == 0;
            break;
        case SD_RECV_GAP:
            s_ask(r, up, evs[i].origin, applied + 1, false);
            break;
        case SD_RECV_REFUSED: /* dropped by s_decode_frames */
        case SD_RECV_DUPLICATE:
            break;
        }
    }
    rc = rc ?: sd_store_put_clock(txn, r->clock->last);
    if (rc) {
        sd_store_abort(&txn);
        return rc;
    }
    return sd_store_commit(&txn);
}

/* Applies the events in frames (one event each) from up in one transaction;
 * a full map grows and the transaction is redone, so a batch is never lost to
 * growth. Returns how many events were applied. */
static size_t s_apply_frames(sd_replica_t *r, s_upstream_t *up, zmsg_t *msg, bool from_sync)
{
    size_t cap = zmsg_size(msg), n, applied_n = 0;
    sd_event_t *evs = calloc(cap ? cap : 1, sizeof *evs);
    if (!evs) {
        sd_log(SD_LOG_ERROR, "applying peer events failed: peer=%s error=no_memory", up->peer.site);
        return 0;
    }
    n = s_decode_frames(up, msg, evs, cap);
    sd_vector_t before;
    int rc;
    while ((rc = s_apply_txn(r, up, evs, n, &before, &applied_n)) == SD_EMAPFULL)
        if ((rc = sd_store_grow(r->store)) != 0)
            break;
    for (size_t i = 0; i < n; i++)
        sd_event_clear(&evs[i]);
    free(evs);
    if (rc) {
        /* Nothing was applied; heartbeats show the gap and it is asked again. */
        sd_log(SD_LOG_ERROR, "applying peer events failed: peer=%s error=%s", up->peer.site,
               sd_error_name(rc));
        return 0;
    }
    *(from_sync ? &up->via_sync : &up->via_pub) += applied_n;
    /* A hub relays what it applied, so every region sees every region. */
    if (applied_n && strcmp(r->cfg->role, "hub") == 0) {
        sd_vector_t after;
        s_vector(r, &after);
        for (size_t i = 0; i < after.count; i++) {
            const sd_vector_entry_t *e = &after.entries[i];
            if (strcmp(e->origin, r->cfg->site) != 0)
                s_publish_range(r, e->origin, sd_vector_get(&before, e->origin) + 1, e->seq);
        }
    }
    return applied_n;
}

static void s_on_heartbeat(sd_replica_t *r, s_upstream_t *up, zframe_t *f);

/* Takes what the upstream published: events that are waiting are applied
 * together (one commit for all), heartbeats are answered as they come. */
static void s_on_sub(sd_replica_t *r, s_upstream_t *up)
{
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
            s_on_heartbeat(r, up, zmsg_first(msg));
        }
        free(kind);
        zmsg_destroy(&msg);
    }
    if (zmsg_size(events))
        s_apply_frames(r, up, events, false);
    zmsg_destroy(&events);
}

/* A heartbeat: remember what the upstream holds and ask for what we miss. */
static void s_on_heartbeat(sd_replica_t *r, s_upstream_t *up, zframe_t *f)
{
    char site[SD_SITE_MAX + 1];
    sd_vector_t ours;
    if (sd_heartbeat_decode(zframe_data(f), zframe_size(f), site, &up->vector, NULL) != 0 ||
        strcmp(site, up->peer.site) != 0)
        return;
    up->heartbeat_at = zclock_mono();
    if (!up->first_heard)
        up->first_heard = up->heartbeat_at;
    s_vector(r, &ours);
    sd_sync_request_t reqs[SD_VECTOR_MAX];
    size_t n = sd_sync_plan(&up->peer, &ours, &up->vector, reqs, SD_VECTOR_MAX);
    for (size_t i = 0; i < n; i++)
        s_ask(r, up, reqs[i].origin, reqs[i].from, false);
    if (n == 0)
        up->behind_since = 0;
    else if (!up->behind_since)
        up->behind_since = up->heartbeat_at;
}

/* A sync reply: frames of events of one origin, in seq order. The next
 * request goes out before this batch is applied, so the upstream reads the
 * next batch while this one commits; an exhausted origin gets no reply,
 * which ends the chain. */
static void s_on_dealer(sd_replica_t *r, s_upstream_t *up)
{
    zmsg_t *msg = zmsg_recv(up->dealer);
    if (!msg)
        return;
    sd_event_t last = {0};
    zframe_t *f = zmsg_last(msg);
    if (f && sd_event_decode(zframe_data(f), zframe_size(f), &last, NULL) == 0 &&
        sd_sync_may_send(&up->peer, last.origin))
        s_ask(r, up, last.origin, last.seq + 1, true);
    sd_event_clear(&last);
    s_apply_frames(r, up, msg, true);
    zmsg_destroy(&msg);
}

typedef struct {
    zmsg_t *reply; /* frames being gathered */
    size_t bytes;  /* their size */
} s_batch_t;

static int s_add_frame(const void *event, size_t len, void *arg)
{
    s_batch_t *batch = arg;
    if (zmsg_addmem(batch->reply, event, len) != 0)
        return SD_ENOMEM;
    batch->bytes += len;
    return batch->bytes >= SYNC_REPLY_BYTES; /* full: stop */
}

/* The sync service: [identity][request] -> [identity][event]...[event]. */
static void s_on_sync(sd_replica_t *r)
{
    zmsg_t *msg = zmsg_recv(r->sync);
    if (!msg)
        return;
    zframe_t *identity = zmsg_pop(msg);
    zframe_t *body = zmsg_pop(msg);
    sd_sync_request_t req;
    sd_fault_t fault = {0};
    if (identity && body &&
        sd_sync_request_decode(zframe_data(body), zframe_size(body), &req, &fault) == 0) {
        s_batch_t batch = {.reply = zmsg_new(), .bytes = 0};
        sd_store_txn_t *txn;
        if (sd_store_begin(r->store, false, &txn) == 0) {
            sd_store_events_from(txn, req.origin, req.from, SYNC_REPLY_EVENTS, s_add_frame, &batch);
            sd_store_abort(&txn);
        }
        if (zmsg_size(batch.reply) > 0) {
            zmsg_prepend(batch.reply, &identity);
            zmsg_send(&batch.reply, r->sync);
        }
        zmsg_destroy(&batch.reply);
    } else {
        sd_log(SD_LOG_WARNING, "sync request refused: error=%s", sd_error_name(fault.code));
    }
    zframe_destroy(&identity);
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
            s_on_sub(r, &r->ups[i]);
            return true;
        }
        if (socket == r->ups[i].dealer) {
            s_on_dealer(r, &r->ups[i]);
            return true;
        }
    }
    return false;
}

void sd_replica_restore_begin(sd_replica_t *r)
{
    r->restore_from = zclock_mono();
    for (int i = 0; i < r->nups; i++)
        strcpy(r->ups[i].peer.also, r->cfg->site);
}

bool sd_replica_restored(sd_replica_t *r)
{
    if (!r->restore_from)
        return true;
    sd_vector_t ours;
    s_vector(r, &ours);
    uint64_t mine = sd_vector_get(&ours, r->cfg->site);
    int64_t first = 0;
    for (int i = 0; i < r->nups; i++) {
        const s_upstream_t *up = &r->ups[i];
        if (up->heartbeat_at < r->restore_from)
            continue; /* not heard since the restore: its vector is not news */
        if (sd_vector_get(&up->vector, r->cfg->site) > mine)
            return false;
        if (!first || up->first_heard < first)
            first = up->first_heard;
    }
    /* Two periods give the other upstreams time to be heard too. */
    if (!first || zclock_mono() - first < 2 * (int64_t)r->cfg->repl.heartbeat_ms)
        return false;
    r->restore_from = 0;
    for (int i = 0; i < r->nups; i++)
        r->ups[i].peer.also[0] = 0;
    return true;
}

void sd_replica_stats(sd_replica_t *r, sd_replica_stats_t *st)
{
    int64_t now = zclock_mono();
    memset(st, 0, sizeof *st);
    s_vector(r, &st->vector);
    st->refused_connections = r->refused_connections;
    st->restoring = r->restore_from != 0;
    st->npeers = r->nups;
    for (int i = 0; i < r->nups; i++) {
        const s_upstream_t *up = &r->ups[i];
        sd_replica_peer_t *p = &st->peers[i];
        strcpy(p->site, up->peer.site);
        p->hub = up->peer.role == SD_ROLE_HUB;
        for (size_t k = 0; k < up->vector.count; k++) {
            uint64_t have = sd_vector_get(&st->vector, up->vector.entries[k].origin);
            if (up->vector.entries[k].seq > have)
                p->lag_events += up->vector.entries[k].seq - have;
        }
        p->connected =
            up->heartbeat_at && now - up->heartbeat_at < 3 * (int64_t)r->cfg->repl.heartbeat_ms;
        p->heartbeat_age_ms = up->heartbeat_at ? now - up->heartbeat_at : -1;
        p->vector = up->vector;
        /* How long we have been behind it, as its heartbeats tell. */
        p->lag_ms = p->lag_events && up->behind_since ? (uint64_t)(now - up->behind_since) : 0;
        p->refused = up->refused;
        p->applied_pub = up->via_pub;
        p->applied_sync = up->via_sync;
    }
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
    sd_vector_encode(&st->vector, w);
    sd_mp_str(w, "refused_connections");
    sd_mp_u64(w, st->refused_connections);
    sd_mp_str(w, "restoring");
    sd_mp_bool(w, st->restoring);
    sd_mp_str(w, "peers");
    sd_mp_array(w, (uint32_t)st->npeers);
    for (int i = 0; i < st->npeers; i++) {
        const sd_replica_peer_t *p = &st->peers[i];
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
    for (int i = 0; r && i < r->nups; i++)
        if (strcmp(r->ups[i].peer.site, site) == 0)
            return zclock_mono() - (r->ups[i].heartbeat_at ? r->ups[i].heartbeat_at : r->started);
    return -1;
}
