/* test_replica.c - the replica state machine's actions: gaps, duplicates, refusals, relay, restore.
 *
 * Each test drives one node's state machine over a real store and journal
 * (through the node's store interface, repl_store.h) with events made by
 * other sites' real journals, and checks the actions it hands back. */
#include "../node/node_test.h"
#include "ticket_store.h"

#include "error.h"
#include "journal.h"
#include "repl.h"
#include "repl_store.h"
#include "workflow.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define T0        1760000000000ull /* wall time of events, ms */
#define HB_MS     100              /* heartbeat period */
#define AGAIN_MS  500              /* pause before a sync request is repeated */
#define MAX_ACTS  32
#define MAX_EVENT 4

/* An action as the transport saw it (bytes copied). */
typedef struct {
    int kind;                     /* sd_repl_action_kind_t */
    int peer;                     /* its peer */
    char origin[SD_SITE_MAX + 1]; /* origin concerned */
    uint64_t seq;                 /* seq concerned */
    size_t nframes;               /* REPLY: frames */
    int error;                    /* REFUSED, FAILED */
    char reason[200];             /* REFUSED: why */
} s_act_t;

/* A site that makes events: its own store and journal. */
typedef struct {
    char dir[256];             /* its store */
    sd_store_t *store;         /* ... */
    sd_journal_t *journal;     /* its writer */
    uint8_t *bytes[MAX_EVENT]; /* its events as published, by seq - 1 */
    size_t len[MAX_EVENT];     /* their lengths */
    int n;                     /* how many */
} s_site_t;

typedef struct {
    char dir[256];          /* the node's store */
    sd_store_t *store;      /* ... */
    sd_journal_t *journal;  /* ... */
    sd_repl_t *repl;        /* the state machine under test */
    s_act_t acts[MAX_ACTS]; /* actions since the last s_clear */
    int nacts;              /* how many */
    s_site_t makers[3];     /* APAC, EMEA, AMER making events */
} fx_t;

static const char *const s_makers[3] = {"APAC", "EMEA", "AMER"};

static void s_record(void *arg, const sd_repl_action_t *a)
{
    fx_t *fx = arg;
    assert_true(fx->nacts < MAX_ACTS);
    s_act_t *r = &fx->acts[fx->nacts++];
    *r = (s_act_t){
        .kind = a->kind, .peer = a->peer, .seq = a->seq, .nframes = a->nframes, .error = a->error};
    strcpy(r->origin, a->origin);
    snprintf(r->reason, sizeof r->reason, "%s", a->reason ? a->reason : "");
}

static void s_clear(fx_t *fx)
{
    fx->nacts = 0;
}

/* Makes the maker site's next event (a new ticket) and keeps its bytes as published. */
static int s_make_fill(sd_journal_batch_t *batch, void *arg)
{
    s_site_t *site = arg;
    sd_policy_t policy;
    sd_policy_default(&policy);
    sd_request_t req = {0};
    sd_event_t ev = {0};
    assert_int_equal(sd_test_request(&req, SD_REQ_TICKET_NEW, "title", "VPN down", "requester",
                                     "bob@example.com", NULL),
                     0);
    sd_workflow_ctx_t ctx = {.site = sd_journal_site(site->journal),
                             .policy = &policy,
                             .now_ms = sd_journal_now(batch),
                             .author = "ann"};
    assert_int_equal(sd_workflow_build(&ctx, NULL, &req, &ev, NULL), 0);
    int rc = sd_store_next_ticket_id(sd_journal_txn(batch), ev.key)
                 ?: sd_journal_append(batch, &ev, NULL);
    if (!rc) {
        sd_mp_writer_t *w = sd_mp_writer_new();
        sd_event_encode(&ev, w);
        size_t len;
        const void *data = sd_mp_writer_data(w, &len);
        free(site->bytes[ev.seq - 1]);
        site->bytes[ev.seq - 1] = malloc(len);
        memcpy(site->bytes[ev.seq - 1], data, len);
        site->len[ev.seq - 1] = len;
        sd_mp_writer_destroy(&w);
    }
    sd_event_clear(&ev);
    sd_request_clear(&req);
    return rc;
}

/* The frame of maker m's event seq. */
static sd_repl_frame_t s_event(fx_t *fx, int m, uint64_t seq)
{
    s_site_t *site = &fx->makers[m];
    while (site->n < (int)seq) {
        assert_int_equal(
            sd_journal_write(site->journal, T0 + (uint64_t)site->n, s_make_fill, site, NULL), 0);
        site->n++;
    }
    return (sd_repl_frame_t){.bytes = site->bytes[seq - 1], .len = site->len[seq - 1]};
}

/* Starts the node `site` following peers (site, role) at monotonic time 1000. */
static void s_start(fx_t *fx, const char *site, bool hub, const sd_peer_t *peers, int npeers)
{
    assert_int_equal(sd_store_open(fx->dir, site, &fx->store), 0);
    assert_int_equal(sd_journal_open(fx->store, site, &fx->journal), 0);
    sd_repl_params_t params = {.site = site,
                               .hub = hub,
                               .heartbeat_ms = HB_MS,
                               .ask_again_ms = AGAIN_MS,
                               .peers = peers,
                               .npeers = npeers,
                               .act = s_record,
                               .act_arg = fx};
    sd_repl_store_init(&params.store, fx->journal);
    assert_int_equal(sd_repl_new(&params, 1000, &fx->repl), 0);
}

static sd_peer_t s_peer(const char *site, int role)
{
    sd_peer_t p = {.role = role};
    strcpy(p.site, site);
    return p;
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-replica") != 0)
        return -1;
    for (int m = 0; m < 3; m++) {
        s_site_t *site = &fx->makers[m];
        if (sd_test_mkdtemp(site->dir, sizeof site->dir, "sd-replica-maker") != 0 ||
            sd_store_open(site->dir, s_makers[m], &site->store) != 0 ||
            sd_journal_open(site->store, s_makers[m], &site->journal) != 0)
            return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_repl_destroy(&fx->repl);
    sd_journal_close(&fx->journal);
    sd_store_close(&fx->store);
    sd_test_rmtree(fx->dir);
    for (int m = 0; m < 3; m++) {
        s_site_t *site = &fx->makers[m];
        sd_journal_close(&site->journal);
        sd_store_close(&site->store);
        sd_test_rmtree(site->dir);
        for (int i = 0; i < MAX_EVENT; i++)
            free(site->bytes[i]);
    }
    free(fx);
    return 0;
}

static uint64_t s_held(fx_t *fx, const char *origin)
{
    sd_store_txn_t *txn;
    uint64_t seq;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_applied(txn, origin, &seq), 0);
    sd_store_abort(&txn);
    return seq;
}

static void s_heartbeat(fx_t *fx, int peer, const char *site, const char *origin, uint64_t seq,
                        int64_t now)
{
    sd_vector_t v = {0};
    if (origin)
        assert_int_equal(sd_vector_set(&v, origin, seq), 0);
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_heartbeat_encode(site, &v, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_repl_on_heartbeat(fx->repl, peer, data, len, now);
    sd_mp_writer_destroy(&w);
}

/* A region behind its hub: a gap is asked for (once per pause), the next
 * event applied, a duplicate skipped without a word. */
static void test_gap_is_asked_for_and_duplicates_skipped(void **state)
{
    fx_t *fx = *state;
    sd_peer_t hub = s_peer("HUB", SD_ROLE_HUB);
    s_start(fx, "APAC", false, &hub, 1);

    sd_repl_frame_t third = s_event(fx, 1, 3);
    assert_int_equal(sd_repl_on_publish(fx->repl, 0, &third, 1, 2000), 0);
    assert_int_equal(fx->nacts, 1);
    assert_int_equal(fx->acts[0].kind, SD_REPL_ASK);
    assert_int_equal(fx->acts[0].peer, 0);
    assert_string_equal(fx->acts[0].origin, "EMEA");
    assert_int_equal(fx->acts[0].seq, 1);
    assert_int_equal(s_held(fx, "EMEA"), 0);

    /* The same gap again within the pause: not asked twice. */
    s_clear(fx);
    assert_int_equal(sd_repl_on_publish(fx->repl, 0, &third, 1, 2000 + AGAIN_MS - 1), 0);
    assert_int_equal(fx->nacts, 0);

    /* The next event is applied; it again is a duplicate, quietly skipped. */
    sd_repl_frame_t first = s_event(fx, 1, 1);
    assert_int_equal(sd_repl_on_publish(fx->repl, 0, &first, 1, 2400), 1);
    assert_int_equal(sd_repl_on_publish(fx->repl, 0, &first, 1, 2400), 0);
    assert_int_equal(fx->nacts, 0); /* a region relays nothing */
    assert_int_equal(s_held(fx, "EMEA"), 1);

    /* After the pause the gap is asked for from what is now held. */
    assert_int_equal(sd_repl_on_publish(fx->repl, 0, &third, 1, 2000 + AGAIN_MS), 0);
    assert_int_equal(fx->nacts, 1);
    assert_int_equal(fx->acts[0].kind, SD_REPL_ASK);
    assert_int_equal(fx->acts[0].seq, 2);

    /* A sync reply chains the next request at once, then applies. */
    s_clear(fx);
    sd_repl_frame_t reply[2] = {s_event(fx, 1, 2), s_event(fx, 1, 3)};
    assert_int_equal(sd_repl_on_sync_reply(fx->repl, 0, reply, 2, 2700), 2);
    assert_int_equal(fx->nacts, 1);
    assert_int_equal(fx->acts[0].kind, SD_REPL_ASK);
    assert_int_equal(fx->acts[0].seq, 4);
    assert_int_equal(s_held(fx, "EMEA"), 3);

    sd_repl_stats_t *st = malloc(sizeof *st);
    sd_repl_stats(fx->repl, 2700, st);
    assert_int_equal(st->npeers, 1);
    assert_int_equal(st->peers[0].applied_pub, 1);
    assert_int_equal(st->peers[0].applied_sync, 2);
    assert_int_equal(st->peers[0].gaps, 3);
    assert_int_equal(st->peers[0].refused, 0);
    free(st);
}

/* A site may send only its own events: another origin is refused and counted. */
static void test_foreign_origin_is_refused(void **state)
{
    fx_t *fx = *state;
    sd_peer_t apac = s_peer("APAC", SD_ROLE_SITE);
    s_start(fx, "HUB", true, &apac, 1);
    sd_repl_frame_t emea = s_event(fx, 1, 1), garbage = {.bytes = "\xc1", .len = 1};
    sd_repl_frame_t frames[2] = {emea, garbage};
    assert_int_equal(sd_repl_on_publish(fx->repl, 0, frames, 2, 2000), 0);
    assert_int_equal(fx->nacts, 2);
    assert_int_equal(fx->acts[0].kind, SD_REPL_REFUSED);
    assert_string_equal(fx->acts[0].origin, "EMEA");
    assert_int_equal(fx->acts[0].error, SD_EFORBIDDEN);
    assert_non_null(strstr(fx->acts[0].reason, "may not send origin EMEA"));
    assert_int_equal(fx->acts[1].kind, SD_REPL_REFUSED);
    assert_true(fx->acts[1].error < 0);
    assert_int_equal(s_held(fx, "EMEA"), 0);
    sd_repl_stats_t *st = malloc(sizeof *st);
    sd_repl_stats(fx->repl, 2000, st);
    assert_int_equal(st->peers[0].refused, 2);
    free(st);
    /* Nor does its heartbeat make the hub ask it for EMEA's events. */
    s_clear(fx);
    s_heartbeat(fx, 0, "APAC", "EMEA", 5, 2100);
    assert_int_equal(fx->nacts, 0);
}

/* A hub relays every event of another origin it applies, in seq order; a
 * sync request is answered from the store. */
static void test_hub_relays_what_it_applies(void **state)
{
    fx_t *fx = *state;
    sd_peer_t peers[2] = {s_peer("APAC", SD_ROLE_SITE), s_peer("EMEA", SD_ROLE_SITE)};
    s_start(fx, "HUB", true, peers, 2);
    sd_repl_frame_t frames[2] = {s_event(fx, 0, 1), s_event(fx, 0, 2)};
    assert_int_equal(sd_repl_on_publish(fx->repl, 0, frames, 2, 2000), 2);
    assert_int_equal(fx->nacts, 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(fx->acts[i].kind, SD_REPL_PUBLISH);
        assert_string_equal(fx->acts[i].origin, "APAC");
        assert_int_equal(fx->acts[i].seq, (uint64_t)i + 1);
    }

    /* EMEA asks the hub for APAC's events from 2: one reply with one frame. */
    s_clear(fx);
    sd_sync_request_t req = {.from = 2};
    strcpy(req.origin, "APAC");
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_sync_request_encode(&req, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    assert_int_equal(sd_repl_on_sync_request(fx->repl, data, len), 0);
    assert_int_equal(fx->nacts, 1);
    assert_int_equal(fx->acts[0].kind, SD_REPL_REPLY);
    assert_int_equal(fx->acts[0].nframes, 1);
    /* Beyond what it holds: no reply, which ends the asker's chain. */
    s_clear(fx);
    req.from = 3;
    sd_mp_writer_reset(w);
    sd_sync_request_encode(&req, w);
    data = sd_mp_writer_data(w, &len);
    assert_int_equal(sd_repl_on_sync_request(fx->repl, data, len), 0);
    assert_int_equal(fx->nacts, 0);
    sd_mp_writer_destroy(&w);

    /* The timer: a heartbeat at once, then one per period. */
    assert_int_equal(sd_repl_tick(fx->repl, 3000), HB_MS);
    assert_int_equal(sd_repl_tick(fx->repl, 3040), HB_MS - 40);
    assert_int_equal(fx->nacts, 1);
    assert_int_equal(fx->acts[0].kind, SD_REPL_HEARTBEAT);
}

/* A node restored from a backup takes its own events back from any peer
 * and is restored only once its peers, heard for two periods, hold no more
 * of them than it does. */
static void test_restore_gating(void **state)
{
    fx_t *fx = *state;
    /* APAC's own events exist (made before the backup), APAC restarts empty. */
    sd_repl_frame_t own[2] = {s_event(fx, 0, 1), s_event(fx, 0, 2)};
    sd_peer_t emea = s_peer("EMEA", SD_ROLE_SITE);
    s_start(fx, "APAC", false, &emea, 1);
    assert_true(sd_repl_restored(fx->repl, 1000)); /* not restoring */

    /* Before the restore, a site may not send APAC's events. */
    assert_int_equal(sd_repl_on_publish(fx->repl, 0, &own[0], 1, 1500), 0);
    assert_int_equal(fx->acts[0].kind, SD_REPL_REFUSED);
    s_clear(fx);

    sd_repl_restore_begin(fx->repl, 2000);
    assert_false(sd_repl_restored(fx->repl, 2000)); /* nobody heard yet */
    /* EMEA holds APAC up to 2: asked for, and still restoring. */
    s_heartbeat(fx, 0, "EMEA", "APAC", 2, 2100);
    assert_int_equal(fx->nacts, 1);
    assert_int_equal(fx->acts[0].kind, SD_REPL_ASK);
    assert_string_equal(fx->acts[0].origin, "APAC");
    assert_int_equal(fx->acts[0].seq, 1);
    assert_false(sd_repl_restored(fx->repl, 2100 + 2 * HB_MS));

    assert_int_equal(sd_repl_on_sync_reply(fx->repl, 0, own, 2, 2200), 2);
    assert_int_equal(s_held(fx, "APAC"), 2);
    /* All back, but EMEA heard for less than two periods. */
    assert_false(sd_repl_restored(fx->repl, 2100 + 2 * HB_MS - 1));
    assert_true(sd_repl_restored(fx->repl, 2100 + 2 * HB_MS));
    assert_true(sd_repl_restored(fx->repl, 2100 + 2 * HB_MS));

    /* Back to usual rights: EMEA may not send APAC's events any more. An echo of one APAC
     * holds is a duplicate, skipped without a word; a new one is a forgery, refused. */
    s_clear(fx);
    assert_int_equal(sd_repl_on_publish(fx->repl, 0, &own[1], 1, 2400), 0);
    assert_int_equal(fx->nacts, 0);
    sd_repl_frame_t third = s_event(fx, 0, 3);
    assert_int_equal(sd_repl_on_publish(fx->repl, 0, &third, 1, 2500), 0);
    assert_int_equal(fx->acts[0].kind, SD_REPL_REFUSED);
    assert_int_equal(s_held(fx, "APAC"), 2);
}

/* Silence is counted from the start until a peer is heard. */
static void test_silent_ms(void **state)
{
    fx_t *fx = *state;
    sd_peer_t hub = s_peer("HUB", SD_ROLE_HUB);
    s_start(fx, "APAC", false, &hub, 1);
    assert_int_equal(sd_repl_silent_ms(fx->repl, "HUB", 1700), 700);
    s_heartbeat(fx, 0, "HUB", NULL, 0, 1800);
    assert_int_equal(sd_repl_silent_ms(fx->repl, "HUB", 1850), 50);
    assert_int_equal(sd_repl_silent_ms(fx->repl, "EMEA", 1850), -1);
    /* A heartbeat signed with another site's name is ignored. */
    s_heartbeat(fx, 0, "EMEA", NULL, 0, 1900);
    assert_int_equal(sd_repl_silent_ms(fx->repl, "HUB", 1950), 150);
}

/* A returning site is settled once a heartbeat shows the hub holds nothing it lacks, or once
 * the hub has been silent past the grace: then its scheduler decides again (takeover.h). */
static void test_settled(void **state)
{
    fx_t *fx = *state;
    sd_peer_t hub = s_peer("HUB", SD_ROLE_HUB);
    s_start(fx, "APAC", false, &hub, 1);
    assert_false(sd_repl_settled(fx->repl, 500, 1200));
    s_heartbeat(fx, 0, "HUB", "EMEA", 5, 1300); /* the hub holds EMEA's events APAC lacks */
    assert_false(sd_repl_settled(fx->repl, 500, 1400));
    s_heartbeat(fx, 0, "HUB", NULL, 0, 1500); /* nothing APAC lacks */
    assert_true(sd_repl_settled(fx->repl, 500, 1500));
    assert_true(sd_repl_settled(fx->repl, 500, 9000));
}

/* Never heard: settled once the hub has been silent for longer than the grace. */
static void test_settled_by_silence(void **state)
{
    fx_t *fx = *state;
    sd_peer_t hub = s_peer("HUB", SD_ROLE_HUB);
    s_start(fx, "APAC", false, &hub, 1);
    assert_false(sd_repl_settled(fx->repl, 500, 1400));
    assert_true(sd_repl_settled(fx->repl, 500, 1600));
}

int main(void)
{
    if (!getenv("TMPDIR"))
        setenv("TMPDIR", "/dev/shm", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_gap_is_asked_for_and_duplicates_skipped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_foreign_origin_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hub_relays_what_it_applies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_gating, setup, teardown),
        cmocka_unit_test_setup_teardown(test_silent_ms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settled_by_silence, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
