/* test_messages.c - applied vectors, sync plans, and the heartbeat and sync-request messages. */
#include "error.h"
#include "sync.h"
#include "vector.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* A string literal's bytes without its terminating NUL. */
#define RAW(lit) (lit), (sizeof(lit) - 1)

static void test_vector_keeps_origins_sorted(void **state)
{
    (void)state;
    sd_vector_t v = {0};
    assert_int_equal(sd_vector_set(&v, "EMEA", 3), 0);
    assert_int_equal(sd_vector_set(&v, "AMER", 7), 0);
    assert_int_equal(sd_vector_set(&v, "APAC", 1), 0);
    assert_int_equal(sd_vector_set(&v, "EMEA", 4), 0); /* an update, not a new entry */
    assert_int_equal(v.count, 3);
    assert_string_equal(v.entries[0].origin, "AMER");
    assert_string_equal(v.entries[2].origin, "EMEA");
    assert_int_equal(sd_vector_get(&v, "EMEA"), 4);
    assert_int_equal(sd_vector_get(&v, "HUB"), 0);
    assert_int_equal(sd_vector_set(&v, "not a site", 1), SD_ERANGE);
}

static void test_vector_is_bounded(void **state)
{
    (void)state;
    sd_vector_t v = {0};
    char site[16];
    for (int i = 0; i < SD_VECTOR_MAX; i++) {
        snprintf(site, sizeof site, "S%d", i);
        assert_int_equal(sd_vector_set(&v, site, 1), 0);
    }
    assert_int_equal(sd_vector_set(&v, "ONE-TOO-MANY", 1), SD_ETOOBIG);
}

static void test_plan_asks_only_what_the_peer_may_send(void **state)
{
    (void)state;
    sd_vector_t ours = {0}, theirs = {0};
    sd_vector_set(&ours, "APAC", 5);
    sd_vector_set(&theirs, "APAC", 9);
    sd_vector_set(&theirs, "EMEA", 2);
    sd_vector_set(&theirs, "AMER", 0);
    sd_sync_request_t reqs[4];
    sd_peer_t hub = {.site = "HUB", .role = SD_ROLE_HUB};
    sd_peer_t apac = {.site = "APAC", .role = SD_ROLE_SITE};
    /* The node planning is AMER: nobody else is asked for AMER's own events. */
    assert_int_equal(sd_sync_plan(&hub, "AMER", &ours, &theirs, reqs, 4), 2);
    assert_string_equal(reqs[0].origin, "APAC");
    assert_int_equal(reqs[0].from, 6);
    assert_string_equal(reqs[1].origin, "EMEA");
    assert_int_equal(reqs[1].from, 1);
    /* A region is asked only for its own events, even if it claims more. */
    assert_int_equal(sd_sync_plan(&apac, "AMER", &ours, &theirs, reqs, 4), 1);
    assert_string_equal(reqs[0].origin, "APAC");
    /* A node restoring from a backup (EMEA here) may take its own events
     * back from a region too, and nothing else more. */
    strcpy(apac.also, "EMEA");
    assert_int_equal(sd_sync_plan(&apac, "EMEA", &ours, &theirs, reqs, 4), 2);
    assert_string_equal(reqs[1].origin, "EMEA");
    assert_true(sd_sync_may_send(&apac, "EMEA", "EMEA"));
    assert_false(sd_sync_may_send(&apac, "EMEA", "AMER"));
    /* Not restoring: not even the hub may send a node its own origin. */
    assert_false(sd_sync_may_send(&hub, "EMEA", "EMEA"));
    assert_true(sd_sync_may_send(&hub, "EMEA", "APAC"));
}

/* A region may only publish its own events; the hub may relay any (moved
 * here from test_sim, which now drives the state machine that uses it). */
static void test_origin_rules(void **state)
{
    (void)state;
    sd_peer_t apac = {.role = SD_ROLE_SITE}, hub = {.role = SD_ROLE_HUB};
    strcpy(apac.site, "APAC");
    strcpy(hub.site, "HUB");
    sd_event_t ev = {.seq = 1};
    strcpy(ev.origin, "EMEA");
    assert_int_equal(sd_sync_classify(&apac, "AMER", &ev, 0), SD_RECV_REFUSED);
    assert_int_equal(sd_sync_classify(&hub, "AMER", &ev, 0), SD_RECV_APPLY);
    assert_int_equal(sd_sync_classify(&hub, "AMER", &ev, 1), SD_RECV_DUPLICATE);
    assert_int_equal(sd_sync_classify(&hub, "EMEA", &ev, 0), SD_RECV_REFUSED);
    ev.seq = 5;
    assert_int_equal(sd_sync_classify(&hub, "AMER", &ev, 1), SD_RECV_GAP);
}

static void test_heartbeat_round_trip_and_refusals(void **state)
{
    (void)state;
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_vector_t v = {0}, back;
    sd_vector_set(&v, "APAC", 12);
    sd_vector_set(&v, "HUB", 3);
    sd_heartbeat_encode("HUB", &v, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    char site[SD_SITE_MAX + 1];
    assert_int_equal(sd_heartbeat_decode(data, len, site, &back, NULL), 0);
    assert_string_equal(site, "HUB");
    assert_int_equal(back.count, 2);
    assert_int_equal(sd_vector_get(&back, "APAC"), 12);

    sd_fault_t fault;
    /* {"v":2,...}: another version */
    assert_int_equal(
        sd_heartbeat_decode(RAW("\x83\xa1v\x02\xa4site\xa3HUB\xa6vector\x80"), site, &back, &fault),
        SD_EVERSION);
    /* vector with a bad site id and with a duplicate origin */
    assert_int_equal(sd_heartbeat_decode(RAW("\x83\xa1v\x01\xa4site\xa3HUB\xa6vector\x81\xa1x\x01"),
                                         site, &back, &fault),
                     SD_ERANGE);
    assert_int_equal(
        sd_heartbeat_decode(RAW("\x83\xa1v\x01\xa4site\xa3HUB\xa6vector\x82\xa1X\x01\xa1X\x02"),
                            site, &back, &fault),
        SD_EDUPLICATE);
    assert_int_equal(sd_heartbeat_decode(RAW("\xc1"), site, &back, &fault), SD_EMSGPACK);
    sd_mp_writer_destroy(&w);
}

static void test_sync_request_round_trip_and_refusals(void **state)
{
    (void)state;
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_sync_request_t req = {.origin = "EMEA", .from = 42}, back;
    sd_sync_request_encode(&req, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    assert_int_equal(sd_sync_request_decode(data, len, &back, NULL), 0);
    assert_string_equal(back.origin, "EMEA");
    assert_int_equal(back.from, 42);
    /* from 0 is no seq */
    static const char from_zero[] = "\x83\xa1v\x01\xa6origin\xa4"
                                    "EMEA\xa4"
                                    "from\x00";
    assert_int_equal(sd_sync_request_decode(RAW(from_zero), &back, NULL), SD_ETYPE);
    sd_mp_writer_destroy(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_keeps_origins_sorted),
        cmocka_unit_test(test_vector_is_bounded),
        cmocka_unit_test(test_plan_asks_only_what_the_peer_may_send),
        cmocka_unit_test(test_origin_rules),
        cmocka_unit_test(test_heartbeat_round_trip_and_refusals),
        cmocka_unit_test(test_sync_request_round_trip_and_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
