/* test_sim.c - deterministic simulation of a hub and three regions replicating over a faulty
 * network.
 *
 * Real stores (LMDB on tmpfs), journals, fold, workflow and the real replica
 * state machine (replication/repl.h) over the node's store interface
 * (node/repl/repl_store.h); only the network and the clock are simulated. Each run
 * makes random local writes at every site while the network loses, duplicates
 * and reorders messages, links are cut and healed and nodes crash and restart.
 * Then the network heals and heartbeats run until nothing moves; every node must
 * hold every committed event and all state digests must be equal.
 * Runs: SD_SIM_RUNS (default 2000); first seed: SD_SEED (printed). A failing
 * run prints its seed: SD_SEED=<seed> SD_SIM_RUNS=1 re-runs exactly that run. */
#include "../node/node_test.h"

#include "error.h"
#include "fold.h"
#include "journal.h"
#include "repl.h"
#include "repl_store.h"
#include "store.h"
#include "ticket_store.h"
#include "sync.h"
#include "workflow.h"

#include <setjmp.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#define NODES        4   /* node 0 is the hub; 1..3 are regions linked to it */
#define STEPS        300 /* random steps per run before healing */
#define MAX_MSGS     4096
#define SYNC_BATCH   16 /* events per sync reply, so a repair takes several rounds */
#define MAX_TICKETS  64
#define HEARTBEAT_MS 50  /* simulated heartbeat period */
#define ASK_AGAIN_MS 200 /* simulated pause before a sync request is repeated */

static const char *const s_sites[NODES] = {"HUB", "APAC", "EMEA", "AMER"};

typedef enum { MSG_EVENT, MSG_HEARTBEAT, MSG_SYNC, MSG_REPLY } s_kind_t;

typedef struct {
    int kind;       /* s_kind_t */
    int from, to;   /* node numbers */
    uint8_t *bytes; /* encoded message (owned); a reply: frames as [u32 length][bytes]... */
    size_t len;     /* its length */
} s_msg_t;

typedef struct s_sim s_sim_t;

typedef struct {
    s_sim_t *sim;          /* the simulation, for the state machine's actions */
    int index;             /* this node's number */
    sd_store_t *store;     /* the node's real store */
    sd_journal_t *journal; /* its real journal: clock reloaded from the store on restart */
    sd_repl_t *repl;       /* its real replica state machine; restarts lose it */
    char dir[96];          /* its data directory */
    int64_t skew_ms;       /* its wall clock's error */
    uint64_t committed;    /* local events committed (the acknowledged ones) */
    unsigned long applied; /* events its state machines applied, over restarts */
    unsigned long gaps;    /* gaps they asked to repair */
    unsigned long refused; /* events they refused */
} s_node_t;

struct s_sim {
    uint64_t rng;                             /* xorshift state */
    uint64_t now_ms;                          /* simulated time (wall and monotonic) */
    s_node_t nodes[NODES];                    /* the desk */
    bool cut[NODES];                          /* link hub <-> region i is down */
    s_msg_t msgs[MAX_MSGS];                   /* in flight */
    size_t nmsgs;                             /* how many */
    char tickets[MAX_TICKETS][SD_ID_MAX + 1]; /* ids created anywhere */
    size_t ntickets;                          /* how many */
    int requester;                            /* node whose sync request is being answered */
    unsigned long dropped, duplicated;        /* what the network did */
};

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

/* The node behind peer p of node i (the hub follows every region, a region the hub). */
static int s_peer_node(int i, int p)
{
    return i == 0 ? p + 1 : 0;
}

/* The peer index node `from` has in node `at`'s state machine. */
static int s_peer_index(int at, int from)
{
    return at == 0 ? from - 1 : 0;
}

static void s_send(s_sim_t *sim, int kind, int from, int to, const void *bytes, size_t len)
{
    if (sim->nmsgs == MAX_MSGS) {
        sim->dropped++; /* a full network loses messages too */
        return;
    }
    s_msg_t *m = &sim->msgs[sim->nmsgs++];
    *m =
        (s_msg_t){.kind = kind, .from = from, .to = to, .bytes = malloc(len ? len : 1), .len = len};
    memcpy(m->bytes, bytes, len);
}

/* What node i's PUB reaches: every neighbour. */
static void s_publish(s_sim_t *sim, int kind, int from, const void *bytes, size_t len)
{
    for (int to = 0; to < NODES; to++)
        if (to != from && (from == 0 || to == 0))
            s_send(sim, kind, from, to, bytes, len);
}

/* Carries out an action of node n's state machine on the simulated network. */
static void s_act(void *arg, const sd_repl_action_t *a)
{
    s_node_t *n = arg;
    s_sim_t *sim = n->sim;
    switch (a->kind) {
    case SD_REPL_ASK:
        s_send(sim, MSG_SYNC, n->index, s_peer_node(n->index, a->peer), a->bytes, a->len);
        break;
    case SD_REPL_PUBLISH:
        s_publish(sim, MSG_EVENT, n->index, a->bytes, a->len);
        break;
    case SD_REPL_HEARTBEAT:
        s_publish(sim, MSG_HEARTBEAT, n->index, a->bytes, a->len);
        break;
    case SD_REPL_REPLY: {
        size_t len = 0, at = 0;
        for (size_t i = 0; i < a->nframes; i++)
            len += 4 + a->frames[i].len;
        uint8_t *buf = malloc(len);
        for (size_t i = 0; i < a->nframes; i++) {
            uint32_t flen = (uint32_t)a->frames[i].len;
            memcpy(buf + at, &flen, 4);
            memcpy(buf + at + 4, a->frames[i].bytes, flen);
            at += 4 + flen;
        }
        s_send(sim, MSG_REPLY, n->index, sim->requester, buf, len);
        free(buf);
        break;
    }
    case SD_REPL_REFUSED:
        n->refused++;
        break;
    case SD_REPL_FAILED:
        fail_msg("%s: applying events failed: %s", s_sites[n->index], sd_strerror(a->error));
    }
}

/* Opens node i as the daemon does: store, journal, replica state machine. */
static void s_open_node(s_sim_t *sim, int i)
{
    s_node_t *n = &sim->nodes[i];
    n->sim = sim, n->index = i;
    assert_int_equal(sd_store_open(n->dir, s_sites[i], &n->store), 0);
    assert_int_equal(sd_journal_open(n->store, s_sites[i], &n->journal), 0);
    sd_peer_t peers[NODES - 1] = {{.role = SD_ROLE_HUB}};
    strcpy(peers[0].site, "HUB");
    for (int p = 0; i == 0 && p < NODES - 1; p++) {
        peers[p].role = SD_ROLE_SITE;
        strcpy(peers[p].site, s_sites[p + 1]);
    }
    sd_repl_params_t params = {.site = s_sites[i],
                               .hub = i == 0,
                               .heartbeat_ms = HEARTBEAT_MS,
                               .ask_again_ms = ASK_AGAIN_MS,
                               .reply_events = SYNC_BATCH,
                               .peers = peers,
                               .npeers = i == 0 ? NODES - 1 : 1,
                               .act = s_act,
                               .act_arg = n};
    sd_repl_store_init(&params.store, n->journal);
    assert_int_equal(sd_repl_new(&params, (int64_t)sim->now_ms, &n->repl), 0);
}

/* Stops node i; only its store survives. Its counters are kept for the summary. */
static void s_close_node(s_sim_t *sim, int i)
{
    s_node_t *n = &sim->nodes[i];
    sd_repl_stats_t *st = malloc(sizeof *st);
    sd_repl_stats(n->repl, (int64_t)sim->now_ms, st);
    for (int p = 0; p < st->npeers; p++) {
        n->applied += st->peers[p].applied_pub + st->peers[p].applied_sync;
        n->gaps += st->peers[p].gaps;
    }
    free(st);
    sd_repl_destroy(&n->repl);
    sd_journal_close(&n->journal);
    sd_store_close(&n->store);
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
    sd_repl_t *repl = sim->nodes[m->to].repl;
    int peer = s_peer_index(m->to, m->from);
    int64_t now = (int64_t)sim->now_ms;
    if (m->kind == MSG_EVENT) {
        sd_repl_frame_t f = {.bytes = m->bytes, .len = m->len};
        sd_repl_on_publish(repl, peer, &f, 1, now);
    } else if (m->kind == MSG_HEARTBEAT) {
        sd_repl_on_heartbeat(repl, peer, m->bytes, m->len, now);
    } else if (m->kind == MSG_SYNC) {
        sim->requester = m->from;
        assert_int_equal(sd_repl_on_sync_request(repl, m->bytes, m->len), 0);
    } else {
        sd_repl_frame_t frames[SYNC_BATCH];
        size_t n = 0;
        for (size_t at = 0; at < m->len && n < SYNC_BATCH; n++) {
            uint32_t flen;
            memcpy(&flen, m->bytes + at, 4);
            frames[n] = (sd_repl_frame_t){.bytes = m->bytes + at + 4, .len = flen};
            at += 4 + flen;
        }
        sd_repl_on_sync_reply(repl, peer, frames, n, now);
    }
}

/* A random request of an agent at node i. */
typedef struct {
    s_sim_t *sim;             /* for the ticket list */
    int node;                 /* where it is made */
    const sd_request_t *req;  /* what is asked */
    const char *id;           /* the ticket it is about, or NULL */
    char made[SD_ID_MAX + 1]; /* the ticket of the event made; "" when refused */
} s_write_t;

/* Fills the journal's batch as the server does: the rules first, then one event. */
static int s_fill(sd_journal_batch_t *batch, void *arg)
{
    s_write_t *w = arg;
    sd_store_txn_t *txn = sd_journal_txn(batch);
    const sd_request_t *req = w->req;
    sd_ticket_t cur = {0};
    sd_event_t ev = {0};
    sd_policy_t policy;
    sd_policy_default(&policy);
    sd_workflow_ctx_t ctx = {.site = s_sites[w->node],
                             .policy = &policy,
                             .now_ms = sd_journal_now(batch),
                             .author = "agent"};
    bool have = w->id && req->op != SD_REQ_TICKET_NEW &&
                sd_store_get_ticket(txn, w->id, &cur) == 0 && sd_ticket_exists(&cur);
    int rc = 0;
    w->made[0] = 0;
    /* Refused here (not held yet, or status): nothing happens. */
    if (sd_workflow_build(&ctx, have ? &cur : NULL, req, &ev, NULL) == 0) {
        if (req->op == SD_REQ_TICKET_NEW)
            assert_int_equal(sd_store_next_ticket_id(txn, ev.key), 0);
        else
            strcpy(ev.key, w->id);
        rc = sd_journal_append(batch, &ev, NULL);
        strcpy(w->made, ev.key);
    }
    sd_ticket_clear(&cur);
    sd_event_clear(&ev);
    return rc;
}

/* A random request of an agent at node i, committed and published as the server does. */
static void s_local_write(s_sim_t *sim, int i)
{
    s_node_t *n = &sim->nodes[i];
    sd_request_t req = {0};
    const char *id = sim->ntickets ? sim->tickets[s_pick(sim, (int)sim->ntickets)] : NULL;
    char text[32];
    snprintf(text, sizeof text, "t%llu", (unsigned long long)(s_rand(sim) % 1000));
    int rc;
    switch (id ? s_pick(sim, 5) : 0) {
    case 0:
        rc = sd_test_request(&req, SD_REQ_TICKET_NEW, "title", text, "requester",
                             "user@example.com", "impact", s_pick(sim, 2) ? "1" : "3", NULL);
        break;
    case 1:
        rc = sd_test_request(&req, SD_REQ_TICKET_COMMENT, "id", id, "body", text, "public",
                             s_pick(sim, 2) ? "yes" : "no", NULL);
        break;
    case 2:
        rc = sd_test_request(&req, SD_REQ_TICKET_UPDATE, "id", id, "title", text, "urgency",
                             s_pick(sim, 2) ? "1" : "2", NULL);
        break;
    case 3:
        rc = sd_test_request(&req, SD_REQ_TICKET_ACK, "id", id, NULL);
        break;
    default:
        rc = sd_test_request(&req, SD_REQ_TICKET_CANCEL, "id", id, "reason", text, NULL);
    }
    assert_int_equal(rc, 0);
    s_write_t w = {.sim = sim, .node = i, .req = &req, .id = id};
    sd_journal_result_t made;
    uint64_t wall = sim->now_ms + (uint64_t)n->skew_ms;
    assert_int_equal(sd_journal_write(n->journal, wall, s_fill, &w, &made), 0);
    if (made.appended) {
        n->committed = made.last_seq;
        if (req.op == SD_REQ_TICKET_NEW && sim->ntickets < MAX_TICKETS)
            strcpy(sim->tickets[sim->ntickets++], w.made);
        sd_repl_publish_own(n->repl, made.first_seq, made.last_seq);
    }
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
        sd_repl_tick(sim->nodes[s_pick(sim, NODES)].repl, (int64_t)sim->now_ms); /* timer */
    } else if (r < 96) {
        int region = 1 + s_pick(sim, NODES - 1);
        sim->cut[region] = !sim->cut[region];
    } else {
        int i = s_pick(sim, NODES); /* crash and restart: only the store survives */
        s_close_node(sim, i);
        s_open_node(sim, i);
    }
}

/* Events held by all nodes together: it grows while replication moves. */
static uint64_t s_held(s_sim_t *sim)
{
    uint64_t total = 0;
    for (int i = 0; i < NODES; i++) {
        sd_vector_t v;
        s_vector(sim, i, &v);
        for (size_t k = 0; k < v.count; k++)
            total += v.entries[k].seq;
    }
    return total;
}

/* Heals the network and lets heartbeats repair everything: each round lets
 * time pass beyond a heartbeat period and the pause between repeated sync
 * requests, ticks every node and delivers until the network is quiet. */
static void s_heal(s_sim_t *sim)
{
    memset(sim->cut, 0, sizeof sim->cut);
    for (int round = 0; round < 200; round++) {
        uint64_t before = s_held(sim);
        sim->now_ms += 1000;
        for (int i = 0; i < NODES; i++)
            sd_repl_tick(sim->nodes[i].repl, (int64_t)sim->now_ms);
        while (sim->nmsgs) {
            s_msg_t m = s_take(sim, (size_t)s_pick(sim, (int)sim->nmsgs));
            s_deliver(sim, &m);
            free(m.bytes);
        }
        if (round > 0 && s_held(sim) == before)
            return;
    }
    fail_msg("replication did not settle after 200 heartbeat rounds");
}

static void s_run(uint64_t seed, unsigned long totals[5])
{
    s_sim_t *sim = calloc(1, sizeof *sim);
    sim->rng = seed * 2654435761u + 1;
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
    unsigned long counts[5] = {0, sim->dropped, sim->duplicated, 0, 0};
    for (int i = 0; i < NODES; i++) {
        s_close_node(sim, i);
        /* Regions publish only their own events, the hub relays: nothing is refused. */
        assert_int_equal(sim->nodes[i].refused, 0);
        counts[0] += sim->nodes[i].applied;
        counts[3] += sim->nodes[i].gaps;
        counts[4] += sim->nodes[i].committed;
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
    unsigned long totals[5] = {0};
    for (int r = 0; r < runs; r++)
        s_run(seed + (uint64_t)r, totals);
    printf("%d runs: %lu local events, %lu applied by replicas, %lu messages lost, "
           "%lu duplicated, %lu gaps seen in published events; all digests equal\n",
           runs, totals[4], totals[0], totals[1], totals[2], totals[3]);
}

int main(void)
{
    if (!getenv("TMPDIR"))
        setenv("TMPDIR", "/dev/shm", 1); /* fsync on tmpfs is free: thousands of runs fit */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hub_and_regions_converge_under_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
