/* repl.c - the replica state machine: what to apply, ask, relay and answer; no I/O. */
#include "repl.h"

#include "error.h"
#include "trust.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define ASK_AGAIN_MS_DEFAULT 1000      /* do not repeat a sync request for an origin sooner */
#define REPLY_EVENTS_DEFAULT 4096      /* most events in one sync reply ... */
#define REPLY_BYTES_DEFAULT  (4 << 20) /* ... and about this many bytes */

/* A peer: a node we follow. */
typedef struct {
    sd_peer_t peer;       /* its site and role, and what else it may send */
    int64_t heartbeat_at; /* when its last heartbeat came (monotonic ms); 0 never */
    int64_t first_heard;  /* when its first heartbeat came; 0 never */
    sd_vector_t vector;   /* what it said it holds */
    sd_vector_t asked;    /* per origin: when we last asked it (monotonic ms + 1; 0 never) */
    uint64_t refused;     /* events it sent that it may not send, or that failed a check */
    uint64_t via_pub;     /* events applied as it published them */
    uint64_t via_sync;    /* events applied from its sync replies */
    uint64_t gaps;        /* published events that showed a gap */
    int64_t behind_since; /* first heartbeat showing it holds more; 0 = caught up */
    bool synced;          /* some heartbeat since start showed it holds nothing we lack */
} s_peer_t;

struct sd_repl {
    sd_repl_params_t cfg;                   /* copied; peers point into `peers` */
    char site[SD_SITE_MAX + 1];             /* this node's site */
    s_peer_t peers[SD_REPL_PEERS_MAX];      /* whom we follow */
    int64_t started;                        /* monotonic ms at sd_repl_new */
    int64_t next_heartbeat;                 /* monotonic ms; 0 = now */
    bool heartbeat_sent;                    /* next_heartbeat is meaningful */
    int64_t restore_from;                   /* restoring: when it began; 0 = not */
    sd_mp_writer_t *w;                      /* scratch for messages */
    sd_mp_writer_t *reply;                  /* scratch for a sync reply's events */
    sd_repl_frame_t *frames;                /* scratch: a sync reply's frames (cfg.reply_events) */
    sd_signers_t signers;                   /* copied from cfg (when given) */
    sd_vector_t legacy;                     /* copied from cfg (when given) */
    sd_trust_t trust;                       /* the checks of received events */
    sd_peer_t peer_list[SD_REPL_PEERS_MAX]; /* the peers as trust sees them (which are hubs) */
};

int sd_repl_new(const sd_repl_params_t *cfg, int64_t now_ms, sd_repl_t **out)
{
    *out = NULL;
    if (cfg->npeers < 0 || cfg->npeers > SD_REPL_PEERS_MAX || cfg->heartbeat_ms <= 0 ||
        !cfg->site || !sd_site_valid(cfg->site) || !cfg->act)
        return SD_ERANGE;
    sd_repl_t *r = calloc(1, sizeof *r);
    if (!r || !(r->w = sd_mp_writer_new()) || !(r->reply = sd_mp_writer_new())) {
        sd_repl_destroy(&r);
        return SD_ENOMEM;
    }
    r->cfg = *cfg;
    strcpy(r->site, cfg->site);
    r->cfg.site = r->site;
    r->cfg.peers = NULL; /* copied into r->peers */
    r->cfg.ask_again_ms = cfg->ask_again_ms > 0 ? cfg->ask_again_ms : ASK_AGAIN_MS_DEFAULT;
    r->cfg.reply_events = cfg->reply_events ? cfg->reply_events : REPLY_EVENTS_DEFAULT;
    r->cfg.reply_bytes = cfg->reply_bytes ? cfg->reply_bytes : REPLY_BYTES_DEFAULT;
    if (!(r->frames = malloc(r->cfg.reply_events * sizeof *r->frames))) {
        sd_repl_destroy(&r);
        return SD_ENOMEM;
    }
    for (int i = 0; i < cfg->npeers; i++)
        r->peers[i].peer = r->peer_list[i] = cfg->peers[i];
    if (cfg->signers)
        r->signers = *cfg->signers;
    if (cfg->legacy)
        r->legacy = *cfg->legacy;
    r->trust =
        (sd_trust_t){.self = r->site,
                     .signers = cfg->signers ? &r->signers : NULL,
                     .legacy = cfg->legacy ? &r->legacy : NULL,
                     .max_skew_ms = cfg->max_skew_ms > 0 ? cfg->max_skew_ms : SD_TRUST_SKEW_MS,
                     .peers = r->peer_list,
                     .npeers = cfg->npeers};
    r->started = now_ms;
    *out = r;
    return 0;
}

void sd_repl_destroy(sd_repl_t **repl)
{
    if (!repl || !*repl)
        return;
    sd_mp_writer_destroy(&(*repl)->w);
    sd_mp_writer_destroy(&(*repl)->reply);
    free((*repl)->frames);
    free(*repl);
    *repl = NULL;
}

static void s_act(sd_repl_t *r, sd_repl_action_t *a)
{
    r->cfg.act(r->cfg.act_arg, a);
}

/* The store's vector; empty when it cannot be read (then nothing is asked
 * for that is not asked again at the next heartbeat). */
static void s_vector(sd_repl_t *r, sd_vector_t *v)
{
    if (r->cfg.store.vector(r->cfg.store.ctx, v) != 0)
        v->count = 0;
}

/* Asks peer p for origin's events from `from` on, unless just asked. */
static void s_ask(sd_repl_t *r, int p, const char *origin, uint64_t from, bool force, int64_t now)
{
    s_peer_t *peer = &r->peers[p];
    uint64_t at = sd_vector_get(&peer->asked, origin);
    if (!force && at && (uint64_t)now + 1 - at < (uint64_t)r->cfg.ask_again_ms)
        return;
    sd_vector_set(&peer->asked, origin, (uint64_t)now + 1);
    sd_sync_request_t req = {.from = from};
    strcpy(req.origin, origin);
    sd_mp_writer_reset(r->w);
    sd_sync_request_encode(&req, r->w);
    sd_repl_action_t a = {.kind = SD_REPL_ASK, .peer = p, .seq = from};
    strcpy(a.origin, origin);
    a.bytes = sd_mp_writer_data(r->w, &a.len);
    s_act(r, &a);
}

/* Events of one origin being published, in seq order. */
typedef struct {
    sd_repl_t *r;                 /* publisher */
    char origin[SD_SITE_MAX + 1]; /* their origin */
    uint64_t seq;                 /* the seq of the next one */
} s_publishing_t;

static int s_publish_one(const void *event, size_t len, void *arg)
{
    s_publishing_t *p = arg;
    /* The log hands them over in seq order with no gaps, so origin and seq (for the
     * transport's logs and tests) are known without decoding: a hub relays every event. */
    sd_repl_action_t a = {
        .kind = SD_REPL_PUBLISH, .peer = -1, .bytes = event, .len = len, .seq = p->seq++};
    strcpy(a.origin, p->origin);
    s_act(p->r, &a);
    return 0;
}

static void s_publish_range(sd_repl_t *r, const char *origin, uint64_t from, uint64_t to)
{
    if (from > to)
        return;
    s_publishing_t p = {.r = r, .seq = from};
    snprintf(p.origin, sizeof p.origin, "%s", origin);
    r->cfg.store.events_from(r->cfg.store.ctx, origin, from, (size_t)(to - from + 1), s_publish_one,
                             &p);
}

void sd_repl_publish_own(sd_repl_t *r, uint64_t from, uint64_t to)
{
    s_publish_range(r, r->site, from, to);
}

/* Reports a refused event of peer p (reason in fault) and counts it. */
static void s_refuse(sd_repl_t *r, int p, const char *origin, const sd_fault_t *fault)
{
    sd_repl_action_t a = {.kind = SD_REPL_REFUSED,
                          .peer = p,
                          .error = fault->code ? fault->code : SD_EMSGPACK,
                          .reason = fault->text[0] ? fault->text : NULL};
    snprintf(a.origin, sizeof a.origin, "%s", origin ? origin : "");
    r->peers[p].refused++;
    s_act(r, &a);
}

/* Decodes the frames into evs (room for n), dropping and reporting those that cannot be read
 * or fail the trust checks (trust.h). Returns how many are kept. */
static size_t s_decode(sd_repl_t *r, int p, const sd_repl_frame_t *frames, size_t n,
                       sd_event_t *evs, const sd_vector_t *held, int64_t wall)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        sd_event_t *ev = &evs[kept];
        *ev = (sd_event_t){0};
        sd_fault_t fault = {0};
        int rc = sd_event_decode(frames[i].bytes, frames[i].len, ev, &fault);
        /* A hub relays every origin to every subscriber, this node's own too: an echo of an
         * event it made is a duplicate, not a forgery; a new one of its origin is refused. */
        if (!rc && strcmp(ev->origin, r->site) == 0 && ev->seq <= sd_vector_get(held, r->site) &&
            !r->restore_from) {
            sd_event_clear(ev);
            continue;
        }
        if (!rc && sd_trust_check(&r->trust, &r->peers[p].peer, ev, wall, &fault) == 0) {
            kept++;
            continue;
        }
        s_refuse(r, p, ev->origin, &fault);
        sd_event_clear(ev);
    }
    return kept;
}

/* Per origin, the hash of the last event of a batch kept for applying. */
typedef struct {
    char origin[SD_VECTOR_MAX][SD_SITE_MAX + 1];
    char hash[SD_VECTOR_MAX][SD_EVENT_HASH_HEX + 1];
    size_t n;
} s_links_t;

static const char *s_link(const s_links_t *l, const char *origin)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->origin[i], origin) == 0)
            return l->hash[i];
    return NULL;
}

/* Remembers ev as the last of its origin in the batch. */
static void s_link_set(s_links_t *l, const sd_event_t *ev)
{
    size_t i = 0;
    while (i < l->n && strcmp(l->origin[i], ev->origin) != 0)
        i++;
    if (i == SD_VECTOR_MAX)
        return;
    if (sd_event_hash(ev, l->hash[i]) != 0) {
        l->hash[i][0] = 0; /* unknown: the next one of the origin is checked against nothing */
        return;
    }
    strcpy(l->origin[i], ev->origin);
    l->n += i == l->n;
}

/* Does ev name, as prev, the event before it of its origin: one kept earlier in this batch
 * (links), else the store's? Unsigned (legacy) events have no link to check. */
static int s_chain(sd_repl_t *r, const sd_event_t *ev, const s_links_t *links, sd_fault_t *fault)
{
    char want[SD_EVENT_HASH_HEX + 1];
    if (!sd_event_signed(ev))
        return 0;
    int rc = 0;
    const char *link = s_link(links, ev->origin);
    if (ev->seq == 1)
        strcpy(want, sd_event_first_prev);
    else if (link && !*link)
        return sd_fault_set(fault, SD_ENOMEM, "out of memory hashing events");
    else if (link)
        strcpy(want, link);
    else if (!r->cfg.store.event_hash)
        return 0;
    else
        rc = r->cfg.store.event_hash(r->cfg.store.ctx, ev->origin, ev->seq - 1, want);
    if (rc)
        return sd_fault_set(fault, rc, "event %s#%llu: the event before it is not readable",
                            ev->origin, (unsigned long long)ev->seq);
    if (strcmp(want, ev->prev) != 0)
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "event %s#%llu: its prev does not match the %s event before it "
                            "(a rewritten history)",
                            ev->origin, (unsigned long long)ev->seq, ev->origin);
    return 0;
}

/* Applies what peer p sent (frames, one event each): the next events of
 * their origins in one transaction; gaps are asked for; a hub relays. */
static size_t s_receive(sd_repl_t *r, int p, const sd_repl_frame_t *frames, size_t n, bool sync,
                        int64_t now)
{
    s_peer_t *peer = &r->peers[p];
    sd_event_t *evs = calloc(n ? n : 1, sizeof *evs);
    s_links_t *links = calloc(1, sizeof *links);
    if (!evs || !links) {
        free(evs);
        free(links);
        sd_repl_action_t a = {.kind = SD_REPL_FAILED, .peer = p, .error = SD_ENOMEM};
        s_act(r, &a);
        return 0;
    }
    int64_t wall = r->cfg.wall_ms ? r->cfg.wall_ms(r->cfg.act_arg) : 0;
    sd_vector_t before, held;
    s_vector(r, &before);
    held = before;
    size_t kept = s_decode(r, p, frames, n, evs, &before, wall), next = 0, applied = 0;
    /* Classify against what is held, counting the batch's own earlier events,
     * and keep the ones to apply at the front of evs. */
    for (size_t i = 0; i < kept; i++) {
        uint64_t have = sd_vector_get(&held, evs[i].origin);
        sd_recv_t what = sd_sync_classify(&peer->peer, r->site, &evs[i], have);
        sd_fault_t fault = {0};
        if (what == SD_RECV_APPLY && s_chain(r, &evs[i], links, &fault) != 0) {
            s_refuse(r, p, evs[i].origin, &fault);
            continue; /* the origin's later events of the batch are gaps now: re-asked */
        }
        if (what == SD_RECV_APPLY && sd_vector_set(&held, evs[i].origin, evs[i].seq) == 0) {
            s_link_set(links, &evs[i]);
            sd_event_t tmp = evs[next];
            evs[next++] = evs[i];
            evs[i] = tmp;
        } else if (what == SD_RECV_GAP) {
            peer->gaps += !sync;
            s_ask(r, p, evs[i].origin, have + 1, false, now);
        }
    }
    int rc = next ? r->cfg.store.apply(r->cfg.store.ctx, evs, next, &applied) : 0;
    for (size_t i = 0; i < kept; i++)
        sd_event_clear(&evs[i]);
    free(evs);
    free(links);
    if (rc) {
        /* Nothing was applied; heartbeats show the gap and it is asked again. */
        sd_repl_action_t a = {.kind = SD_REPL_FAILED, .peer = p, .error = rc};
        s_act(r, &a);
        return 0;
    }
    *(sync ? &peer->via_sync : &peer->via_pub) += applied;
    /* A hub relays what it applied, so every region sees every region. */
    if (applied && r->cfg.hub) {
        sd_vector_t after;
        s_vector(r, &after);
        for (size_t i = 0; i < after.count; i++) {
            const sd_vector_entry_t *e = &after.entries[i];
            if (strcmp(e->origin, r->site) != 0)
                s_publish_range(r, e->origin, sd_vector_get(&before, e->origin) + 1, e->seq);
        }
    }
    return applied;
}

size_t sd_repl_on_publish(sd_repl_t *r, int peer, const sd_repl_frame_t *frames, size_t n,
                          int64_t now_ms)
{
    if (peer < 0 || peer >= r->cfg.npeers || n == 0)
        return 0;
    return s_receive(r, peer, frames, n, false, now_ms);
}

void sd_repl_on_heartbeat(sd_repl_t *r, int p, const void *bytes, size_t len, int64_t now_ms)
{
    if (p < 0 || p >= r->cfg.npeers)
        return;
    s_peer_t *peer = &r->peers[p];
    char site[SD_SITE_MAX + 1];
    sd_vector_t theirs, ours;
    if (sd_heartbeat_decode(bytes, len, site, &theirs, NULL) != 0 ||
        strcmp(site, peer->peer.site) != 0)
        return;
    peer->vector = theirs;
    peer->heartbeat_at = now_ms;
    if (!peer->first_heard)
        peer->first_heard = now_ms;
    s_vector(r, &ours);
    sd_sync_request_t reqs[SD_VECTOR_MAX];
    size_t n = sd_sync_plan(&peer->peer, r->site, &ours, &peer->vector, reqs, SD_VECTOR_MAX);
    for (size_t i = 0; i < n; i++)
        s_ask(r, p, reqs[i].origin, reqs[i].from, false, now_ms);
    if (n == 0)
        peer->behind_since = 0, peer->synced = true;
    else if (!peer->behind_since)
        peer->behind_since = now_ms;
}

size_t sd_repl_on_sync_reply(sd_repl_t *r, int p, const sd_repl_frame_t *frames, size_t n,
                             int64_t now_ms)
{
    if (p < 0 || p >= r->cfg.npeers || n == 0)
        return 0;
    sd_event_t last = {0};
    if (sd_event_decode(frames[n - 1].bytes, frames[n - 1].len, &last, NULL) == 0 &&
        sd_sync_may_send(&r->peers[p].peer, r->site, last.origin))
        s_ask(r, p, last.origin, last.seq + 1, true, now_ms);
    sd_event_clear(&last);
    return s_receive(r, p, frames, n, true, now_ms);
}

/* Gathers a sync reply's events into r->reply, each frame's length in r->frames; the frames'
 * bytes are pointed at once the buffer has stopped growing. */
typedef struct {
    sd_repl_t *r; /* whose buffers */
    size_t n;     /* events gathered */
    size_t bytes; /* their size */
} s_gather_t;

static int s_gather(const void *event, size_t len, void *arg)
{
    s_gather_t *g = arg;
    sd_mp_raw(g->r->reply, event, len);
    g->bytes += len;
    g->r->frames[g->n++].len = len;
    return g->bytes >= g->r->cfg.reply_bytes; /* full: stop */
}

int sd_repl_on_sync_request(sd_repl_t *r, const void *bytes, size_t len)
{
    sd_sync_request_t req;
    int rc = sd_sync_request_decode(bytes, len, &req, NULL);
    if (rc)
        return rc;
    s_gather_t g = {.r = r};
    sd_mp_writer_reset(r->reply);
    rc = r->cfg.store.events_from(r->cfg.store.ctx, req.origin, req.from, r->cfg.reply_events,
                                  s_gather, &g);
    rc = rc < 0 ? rc : sd_mp_writer_error(r->reply) ? SD_ENOMEM : 0;
    if (!rc && g.n) {
        size_t total;
        const uint8_t *data = sd_mp_writer_data(r->reply, &total);
        for (size_t i = 0; i < g.n; data += r->frames[i++].len)
            r->frames[i].bytes = data;
        sd_repl_action_t a = {
            .kind = SD_REPL_REPLY, .peer = -1, .frames = r->frames, .nframes = g.n};
        strcpy(a.origin, req.origin);
        a.seq = req.from;
        s_act(r, &a);
    }
    return rc;
}

int64_t sd_repl_tick(sd_repl_t *r, int64_t now_ms)
{
    if (!r->heartbeat_sent || now_ms >= r->next_heartbeat) {
        sd_vector_t v;
        s_vector(r, &v);
        sd_mp_writer_reset(r->w);
        sd_heartbeat_encode(r->site, &v, r->w);
        sd_repl_action_t a = {.kind = SD_REPL_HEARTBEAT, .peer = -1};
        a.bytes = sd_mp_writer_data(r->w, &a.len);
        s_act(r, &a);
        r->next_heartbeat = now_ms + r->cfg.heartbeat_ms;
        r->heartbeat_sent = true;
    }
    return r->next_heartbeat - now_ms;
}

int64_t sd_repl_silent_ms(const sd_repl_t *r, const char *site, int64_t now_ms)
{
    for (int i = 0; r && i < r->cfg.npeers; i++)
        if (strcmp(r->peers[i].peer.site, site) == 0)
            return now_ms - (r->peers[i].heartbeat_at ? r->peers[i].heartbeat_at : r->started);
    return -1;
}

bool sd_repl_settled(const sd_repl_t *r, int64_t grace_ms, int64_t now_ms)
{
    for (int i = 0; i < r->cfg.npeers; i++) {
        const s_peer_t *p = &r->peers[i];
        if (!p->synced && now_ms - (p->heartbeat_at ? p->heartbeat_at : r->started) <= grace_ms)
            return false;
    }
    return true;
}

void sd_repl_restore_begin(sd_repl_t *r, int64_t now_ms)
{
    /* 0 means "not restoring": a clock that starts at 0 still restores. */
    r->restore_from = now_ms > 0 ? now_ms : 1;
    for (int i = 0; i < r->cfg.npeers; i++)
        strcpy(r->peers[i].peer.also, r->site);
}

bool sd_repl_restored(sd_repl_t *r, int64_t now_ms)
{
    if (!r->restore_from)
        return true;
    sd_vector_t ours;
    s_vector(r, &ours);
    uint64_t mine = sd_vector_get(&ours, r->site);
    int64_t first = 0;
    for (int i = 0; i < r->cfg.npeers; i++) {
        const s_peer_t *peer = &r->peers[i];
        if (!peer->heartbeat_at || peer->heartbeat_at < r->restore_from)
            continue; /* not heard since the restore: its vector is not news */
        if (sd_vector_get(&peer->vector, r->site) > mine)
            return false;
        if (!first || peer->first_heard < first)
            first = peer->first_heard;
    }
    /* Two periods give the other peers time to be heard too. */
    if (!first || now_ms - first < 2 * r->cfg.heartbeat_ms)
        return false;
    r->restore_from = 0;
    for (int i = 0; i < r->cfg.npeers; i++)
        r->peers[i].peer.also[0] = 0;
    return true;
}

void sd_repl_stats(const sd_repl_t *r, int64_t now, sd_repl_stats_t *st)
{
    memset(st, 0, sizeof *st);
    if (r->cfg.store.vector(r->cfg.store.ctx, &st->vector) != 0)
        st->vector.count = 0;
    st->restoring = r->restore_from != 0;
    st->npeers = r->cfg.npeers;
    for (int i = 0; i < r->cfg.npeers; i++) {
        const s_peer_t *up = &r->peers[i];
        sd_repl_peer_stats_t *p = &st->peers[i];
        strcpy(p->site, up->peer.site);
        p->hub = up->peer.role == SD_ROLE_HUB;
        for (size_t k = 0; k < up->vector.count; k++) {
            uint64_t have = sd_vector_get(&st->vector, up->vector.entries[k].origin);
            if (up->vector.entries[k].seq > have)
                p->lag_events += up->vector.entries[k].seq - have;
        }
        p->connected = up->heartbeat_at && now - up->heartbeat_at < 3 * r->cfg.heartbeat_ms;
        p->heartbeat_age_ms = up->heartbeat_at ? now - up->heartbeat_at : -1;
        p->vector = up->vector;
        /* How long we have been behind it, as its heartbeats tell. */
        p->lag_ms = p->lag_events && up->behind_since ? (uint64_t)(now - up->behind_since) : 0;
        p->refused = up->refused;
        p->applied_pub = up->via_pub;
        p->applied_sync = up->via_sync;
        p->gaps = up->gaps;
    }
}
