/* test_sim.c - deterministic simulation of a hub and three regions replicating over a faulty
 * network.
 *
 * Real stores (LMDB on tmpfs), the real fold, workflow and replica decisions
 * (replication/sync.h); only the network and the clock are simulated. Each run
 * makes random local writes at every site while the network loses, duplicates
 * and reorders messages, links are cut and healed and nodes crash and restart.
 * Then the network heals and heartbeats run until nothing moves; every node must
 * hold every committed event and all state digests must be equal.
 * Runs: SD_SIM_RUNS (default 2000); first seed: SD_SEED (printed). A failing
 * run prints its seed: SD_SEED=<seed> SD_SIM_RUNS=1 re-runs exactly that run. */
#include "../node/node_test.h"

#include "error.h"
#include "fold.h"
#include "hlc.h"
#include "store.h"
#include "sync.h"
#include "workflow.h"

#include <setjmp.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#define NODES       4   /* node 0 is the hub; 1..3 are regions linked to it */
#define STEPS       300 /* random steps per run before healing */
#define MAX_MSGS    4096
#define SYNC_BATCH  16 /* events per sync reply, so a repair takes several rounds */
#define MAX_TICKETS 64

static const char *const s_sites[NODES] = {"HUB", "APAC", "EMEA", "AMER"};

typedef enum { MSG_EVENT, MSG_HEARTBEAT, MSG_SYNC } s_kind_t;

typedef struct {
    int kind;       /* s_kind_t */
    int from, to;   /* node numbers */
    uint8_t *bytes; /* encoded message (owned) */
    size_t len;     /* its length */
} s_msg_t;

typedef struct {
    sd_store_t *store;  /* the node's real store */
    char dir[96];       /* its data directory */
    sd_hlc_t clock;     /* its clock, reloaded from the store on restart */
    int64_t skew_ms;    /* its wall clock's error */
    uint64_t committed; /* local events committed (the acknowledged ones) */
} s_node_t;

typedef struct {
    uint64_t rng;                                              /* xorshift state */
    uint64_t now_ms;                                           /* simulated wall time */
    s_node_t nodes[NODES];                                     /* the desk */
    bool cut[NODES];                                           /* link hub <-> region i is down */
    s_msg_t msgs[MAX_MSGS];                                    /* in flight */
    size_t nmsgs;                                              /* how many */
    char tickets[MAX_TICKETS][SD_ID_MAX + 1];                  /* ids created anywhere */
    size_t ntickets;                                           /* how many */
    unsigned long applied, dropped, duplicated, gaps, refused; /* what happened */
    sd_mp_writer_t *w;                                         /* scratch */
} s_sim_t;

static uint64_t s_rand(s_sim_t *sim)
{
    uint64_t x = sim->rng;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return sim->rng = x;
}

static int s_pick(s_sim_t *sim, int n)
{
    return (int)(s_rand(sim) % (uint64_t)n);
}

static bool s_linked(const s_sim_t *sim, int a, int b)
{
    int region = a == 0 ? b : a;
    return (a == 0) != (b == 0) && !sim->cut[region];
}

static sd_peer_t s_peer(int node)
{
    sd_peer_t p = {.role = node == 0 ? SD_ROLE_HUB : SD_ROLE_SITE};
    strcpy(p.site, s_sites[node]);
    return p;
}

static void s_send(s_sim_t *sim, int kind, int from, int to, const void *bytes, size_t len)
{
    if (sim->nmsgs == MAX_MSGS) {
        sim->dropped++; /* a full network loses messages too */
        return;
    }
    s_msg_t *m = &sim->msgs[sim->nmsgs++];
    *m = (s_msg_t){.kind = kind, .from = from, .to = to, .bytes = malloc(len), .len = len};
    memcpy(m->bytes, bytes, len);
}

/* Publishes to every neighbour except `except` (the hub relays all origins). */
static void s_publish(s_sim_t *sim, int from, int except, const void *bytes, size_t len)
{
    for (int to = 0; to < NODES; to++)
        if (to != from && to != except && (from == 0 || to == 0))
            s_send(sim, MSG_EVENT, from, to, bytes, len);
}

static void s_open_node(s_sim_t *sim, int i)
{
    s_node_t *n = &sim->nodes[i];
    assert_int_equal(sd_store_open(n->dir, s_sites[i], &n->store), 0);
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_begin(n->store, false, &txn), 0);
    assert_int_equal(sd_store_get_clock(txn, &n->clock.last), 0);
    sd_store_abort(&txn);
}

/* Applies one event in its own transaction; returns the sync decision. */
static sd_recv_t s_receive_event(s_sim_t *sim, int at, int from, const s_msg_t *m)
{
    s_node_t *n = &sim->nodes[at];
    sd_event_t ev = {0};
    assert_int_equal(sd_event_decode(m->bytes, m->len, &ev, NULL), 0);
    sd_store_txn_t *txn;
    uint64_t applied;
    assert_int_equal(sd_store_begin(n->store, true, &txn), 0);
    assert_int_equal(sd_store_applied(txn, ev.origin, &applied), 0);
    sd_peer_t peer = s_peer(from);
    sd_recv_t what = sd_sync_classify(&peer, &ev, applied);
    if (what == SD_RECV_APPLY) {
        sd_hlc_observe(&n->clock, ev.hlc);
        assert_int_equal(sd_store_apply(txn, &ev), 0);
        assert_int_equal(sd_store_put_clock(txn, n->clock.last), 0);
        assert_int_equal(sd_store_commit(&txn), 0);
        sim->applied++;
        if (at == 0)
            s_publish(sim, 0, from, m->bytes, m->len);
    } else {
        sd_store_abort(&txn);
    }
    if (what == SD_RECV_GAP) {
        sim->gaps++;
        sd_sync_request_t req = {.from = applied + 1};
        strcpy(req.origin, ev.origin);
        sd_mp_writer_reset(sim->w);
        sd_sync_request_encode(&req, sim->w);
        size_t len;
        const void *data = sd_mp_writer_data(sim->w, &len);
        s_send(sim, MSG_SYNC, at, from, data, len);
    }
    sim->refused += what == SD_RECV_REFUSED;
    sd_event_clear(&ev);
    return what;
}

typedef struct {
    s_sim_t *sim; /* where to send */
    int from, to; /* the reply's direction */
} s_reply_t;

static int s_sync_reply(const void *event, size_t len, void *arg)
{
    s_reply_t *r = arg;
    s_send(r->sim, MSG_EVENT, r->from, r->to, event, len);
    return 0;
}

static void s_vector(s_sim_t *sim, int i, sd_vector_t *v)
{
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_begin(sim->nodes[i].store, false, &txn), 0);
    assert_int_equal(sd_store_vector(txn, v), 0);
    sd_store_abort(&txn);
}

static void s_deliver(s_sim_t *sim, const s_msg_t *m)
{
    if (!s_linked(sim, m->from, m->to))
        return; /* the link is down: lost */
    if (m->kind == MSG_EVENT) {
        s_receive_event(sim, m->to, m->from, m);
    } else if (m->kind == MSG_HEARTBEAT) {
        char site[SD_SITE_MAX + 1];
        sd_vector_t theirs, ours;
        sd_sync_request_t reqs[NODES];
        assert_int_equal(sd_heartbeat_decode(m->bytes, m->len, site, &theirs, NULL), 0);
        assert_string_equal(site, s_sites[m->from]);
        s_vector(sim, m->to, &ours);
        sd_peer_t peer = s_peer(m->from);
        size_t n = sd_sync_plan(&peer, &ours, &theirs, reqs, NODES);
        for (size_t i = 0; i < n; i++) {
            sd_mp_writer_reset(sim->w);
            sd_sync_request_encode(&reqs[i], sim->w);
            size_t len;
            const void *data = sd_mp_writer_data(sim->w, &len);
            s_send(sim, MSG_SYNC, m->to, m->from, data, len);
        }
    } else {
        sd_sync_request_t req;
        assert_int_equal(sd_sync_request_decode(m->bytes, m->len, &req, NULL), 0);
        sd_store_txn_t *txn;
        s_reply_t reply = {.sim = sim, .from = m->to, .to = m->from};
        assert_int_equal(sd_store_begin(sim->nodes[m->to].store, false, &txn), 0);
        assert_int_equal(
            sd_store_events_from(txn, req.origin, req.from, SYNC_BATCH, s_sync_reply, &reply), 0);
        sd_store_abort(&txn);
    }
}

static void s_heartbeat(s_sim_t *sim, int i)
{
    sd_vector_t v;
    s_vector(sim, i, &v);
    sd_mp_writer_reset(sim->w);
    sd_heartbeat_encode(s_sites[i], &v, sim->w);
    size_t len;
    const void *data = sd_mp_writer_data(sim->w, &len);
    for (int to = 0; to < NODES; to++)
        if (to != i && (i == 0 || to == 0))
            s_send(sim, MSG_HEARTBEAT, i, to, data, len);
}

/* A random request of an agent at node i, committed as the server would. */
static void s_local_write(s_sim_t *sim, int i)
{
    s_node_t *n = &sim->nodes[i];
    sd_request_t req = {0};
    const char *id = sim->ntickets ? sim->tickets[s_pick(sim, (int)sim->ntickets)] : NULL;
    char text[32];
    snprintf(text, sizeof text, "t%llu", (unsigned long long)(s_rand(sim) % 1000));
    switch (id ? s_pick(sim, 5) : 0) {
    case 0:
        sd_test_request(&req, SD_REQ_TICKET_NEW, "author", "agent", "title", text, "requester",
                        "user@example.com", "impact", s_pick(sim, 2) ? "1" : "3", NULL);
        break;
    case 1:
        sd_test_request(&req, SD_REQ_TICKET_COMMENT, "id", id, "author", "agent", "body", text,
                        "public", s_pick(sim, 2) ? "yes" : "no", NULL);
        break;
    case 2:
        sd_test_request(&req, SD_REQ_TICKET_UPDATE, "id", id, "author", "agent", "title", text,
                        "urgency", s_pick(sim, 2) ? "1" : "2", NULL);
        break;
    case 3:
        sd_test_request(&req, SD_REQ_TICKET_ACK, "id", id, "author", "agent", NULL);
        break;
    default:
        sd_test_request(&req, SD_REQ_TICKET_CANCEL, "id", id, "author", "agent", "reason", text,
                        NULL);
    }
    sd_policy_t policy;
    sd_policy_default(&policy);
    uint64_t wall = sim->now_ms + (uint64_t)n->skew_ms;
    sd_workflow_ctx_t ctx = {.site = s_sites[i], .policy = &policy, .now_ms = wall};
    sd_store_txn_t *txn;
    sd_ticket_t cur = {0};
    sd_event_t ev = {0};
    assert_int_equal(sd_store_begin(n->store, true, &txn), 0);
    bool have = id && req.op != SD_REQ_TICKET_NEW && sd_store_get_ticket(txn, id, &cur) == 0 &&
                sd_fold_exists(&cur);
    if (sd_workflow_build(&ctx, have ? &cur : NULL, &req, &ev, NULL) != 0) {
        sd_store_abort(&txn); /* refused here (not held yet, or status): nothing happens */
        goto done;
    }
    strcpy(ev.origin, s_sites[i]);
    if (req.op == SD_REQ_TICKET_NEW) {
        assert_int_equal(sd_store_next_ticket_id(txn, ev.key), 0);
        if (sim->ntickets < MAX_TICKETS)
            strcpy(sim->tickets[sim->ntickets++], ev.key);
    } else {
        strcpy(ev.key, id);
    }
    ev.hlc = sd_hlc_tick(&n->clock, wall);
    assert_int_equal(sd_store_next_seq(txn, ev.origin, &ev.seq), 0);
    assert_int_equal(sd_store_apply(txn, &ev), 0);
    assert_int_equal(sd_store_put_clock(txn, n->clock.last), 0);
    assert_int_equal(sd_store_commit(&txn), 0);
    n->committed = ev.seq;
    sd_mp_writer_reset(sim->w);
    sd_event_encode(&ev, sim->w);
    size_t len;
    const void *data = sd_mp_writer_data(sim->w, &len);
    s_publish(sim, i, -1, data, len);
done:
    sd_ticket_clear(&cur);
    sd_event_clear(&ev);
    sd_request_clear(&req);
}

/* Takes message k out of flight (the last one moves into its place). */
static s_msg_t s_take(s_sim_t *sim, size_t k)
{
    s_msg_t m = sim->msgs[k];
    sim->msgs[k] = sim->msgs[--sim->nmsgs];
    return m;
}

static void s_step(s_sim_t *sim)
{
    sim->now_ms += 1 + (uint64_t)s_pick(sim, 20);
    int r = s_pick(sim, 100);
    if (r < 30) {
        s_local_write(sim, s_pick(sim, NODES));
    } else if (r < 85 && sim->nmsgs) {
        s_msg_t m = s_take(sim, (size_t)s_pick(sim, (int)sim->nmsgs)); /* any order */
        int fate = s_pick(sim, 100);
        if (fate < 15) {
            sim->dropped++;
        } else {
            if (fate < 22) {
                sim->duplicated++;
                s_send(sim, m.kind, m.from, m.to, m.bytes, m.len);
            }
            s_deliver(sim, &m);
        }
        free(m.bytes);
    } else if (r < 92) {
        s_heartbeat(sim, s_pick(sim, NODES));
    } else if (r < 96) {
        int region = 1 + s_pick(sim, NODES - 1);
        sim->cut[region] = !sim->cut[region];
    } else {
        int i = s_pick(sim, NODES); /* crash and restart: only the store survives */
        sd_store_close(&sim->nodes[i].store);
        sim->nodes[i].clock.last = 0;
        s_open_node(sim, i);
    }
}

/* Heals the network and lets heartbeats repair everything. */
static void s_heal(s_sim_t *sim)
{
    memset(sim->cut, 0, sizeof sim->cut);
    for (int round = 0; round < 200; round++) {
        unsigned long before = sim->applied;
        for (int i = 0; i < NODES; i++)
            s_heartbeat(sim, i);
        while (sim->nmsgs) {
            s_msg_t m = s_take(sim, (size_t)s_pick(sim, (int)sim->nmsgs));
            s_deliver(sim, &m);
            free(m.bytes);
        }
        if (round > 0 && sim->applied == before)
            return;
    }
    fail_msg("replication did not settle after 200 heartbeat rounds");
}

static void s_run(uint64_t seed, sd_mp_writer_t *w, unsigned long totals[5])
{
    s_sim_t *sim = calloc(1, sizeof *sim);
    sim->rng = seed * 2654435761u + 1, sim->w = w;
    sim->now_ms = 1700000000000ull;
    for (int i = 0; i < NODES; i++) {
        assert_int_equal(sd_test_mkdtemp(sim->nodes[i].dir, sizeof sim->nodes[i].dir, "sd-sim"), 0);
        sim->nodes[i].skew_ms = s_pick(sim, 10001) - 5000; /* clocks up to 5 s apart */
        s_open_node(sim, i);
    }
    for (int s = 0; s < STEPS; s++)
        s_step(sim);
    s_heal(sim);

    /* Every node holds every committed event, and the same state. */
    char digest[NODES][SD_DIGEST_BYTES * 2 + 1];
    for (int i = 0; i < NODES; i++) {
        sd_vector_t v;
        s_vector(sim, i, &v);
        for (int o = 0; o < NODES; o++)
            if (sd_vector_get(&v, s_sites[o]) != sim->nodes[o].committed)
                fail_msg("seed %llu: %s holds %s up to %llu of %llu committed",
                         (unsigned long long)seed, s_sites[i], s_sites[o],
                         (unsigned long long)sd_vector_get(&v, s_sites[o]),
                         (unsigned long long)sim->nodes[o].committed);
        sd_store_txn_t *txn;
        assert_int_equal(sd_store_begin(sim->nodes[i].store, false, &txn), 0);
        assert_int_equal(sd_store_digest(txn, digest[i]), 0);
        sd_store_abort(&txn);
        if (i > 0 && strcmp(digest[i], digest[0]) != 0)
            fail_msg("seed %llu: digest of %s differs from the hub's", (unsigned long long)seed,
                     s_sites[i]);
    }
    assert_int_equal(sim->refused, 0);
    unsigned long counts[5] = {sim->applied, sim->dropped, sim->duplicated, sim->gaps, 0};
    for (int i = 0; i < NODES; i++) {
        counts[4] += sim->nodes[i].committed;
        sd_store_close(&sim->nodes[i].store);
        sd_test_rmtree(sim->nodes[i].dir);
    }
    for (int k = 0; k < 5; k++)
        totals[k] += counts[k];
    free(sim);
}

static void test_hub_and_regions_converge_under_faults(void **state)
{
    (void)state;
    uint64_t seed = (uint64_t)time(NULL);
    if (getenv("SD_SEED"))
        seed = strtoull(getenv("SD_SEED"), NULL, 10);
    int runs = getenv("SD_SIM_RUNS") ? atoi(getenv("SD_SIM_RUNS")) : 2000;
    printf("seeds %llu.. (%d runs); re-run one with SD_SEED=<seed> SD_SIM_RUNS=1\n",
           (unsigned long long)seed, runs);
    sd_mp_writer_t *w = sd_mp_writer_new();
    unsigned long totals[5] = {0};
    for (int r = 0; r < runs; r++)
        s_run(seed + (uint64_t)r, w, totals);
    printf("%d runs: %lu local events, %lu applied by replicas, %lu messages lost, "
           "%lu duplicated, %lu gaps repaired by sync; all digests equal\n",
           runs, totals[4], totals[0], totals[1], totals[2], totals[3]);
    sd_mp_writer_destroy(&w);
}

/* A region may only publish its own events; the hub may relay any. */
static void test_origin_rules(void **state)
{
    (void)state;
    sd_peer_t apac = s_peer(1), hub = s_peer(0);
    sd_event_t ev = {.seq = 1};
    strcpy(ev.origin, "EMEA");
    assert_int_equal(sd_sync_classify(&apac, &ev, 0), SD_RECV_REFUSED);
    assert_int_equal(sd_sync_classify(&hub, &ev, 0), SD_RECV_APPLY);
    assert_int_equal(sd_sync_classify(&hub, &ev, 1), SD_RECV_DUPLICATE);
    ev.seq = 5;
    assert_int_equal(sd_sync_classify(&hub, &ev, 1), SD_RECV_GAP);
}

int main(void)
{
    if (!getenv("TMPDIR"))
        setenv("TMPDIR", "/dev/shm", 1); /* fsync on tmpfs is free: thousands of runs fit */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origin_rules),
        cmocka_unit_test(test_hub_and_regions_converge_under_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
