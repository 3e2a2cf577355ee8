/* test_outbox.c - replies to a client that does not read: they wait, in order, within their caps,
 * and go when it reads, or when it is gone or stalled. A real ROUTER and DEALER over inproc. */
#include "outbox.h"

#include "log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define T0 1000000 /* a monotonic ms */

typedef struct {
    zsock_t *router; /* the node's client socket */
    zsock_t *dealer; /* a client; reads only when a test says */
    zframe_t *id;    /* the client's routing id, as the router saw it */
    sd_outbox_t *outbox;
} fx_t;

static int setup(void **state)
{
    static int n;
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "inproc://outbox-%d", n++);
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || sd_outbox_new(&fx->outbox) != 0 || !(fx->router = zsock_new(ZMQ_ROUTER)))
        return -1;
    sd_outbox_socket(fx->router);
    if (zsock_bind(fx->router, "%s", endpoint) < 0 || !(fx->dealer = zsock_new(ZMQ_DEALER)))
        return -1;
    zsock_set_rcvhwm(fx->dealer, 1);
    if (zsock_connect(fx->dealer, "%s", endpoint) < 0 || zstr_send(fx->dealer, "hello") != 0)
        return -1;
    zmsg_t *hello = zmsg_recv(fx->router);
    fx->id = hello ? zmsg_pop(hello) : NULL;
    zmsg_destroy(&hello);
    *state = fx;
    return fx->id ? 0 : -1;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_outbox_destroy(&fx->outbox);
    zframe_destroy(&fx->id);
    zsock_destroy(&fx->dealer);
    zsock_destroy(&fx->router);
    free(fx);
    return 0;
}

/* A reply to the test's client: `size` bytes, the first 4 its number. */
static void s_send(fx_t *fx, uint32_t number, size_t size, int64_t now)
{
    zmsg_t *reply = zmsg_new();
    zframe_t *body = zframe_new(NULL, size);
    memcpy(zframe_data(body), &number, sizeof number);
    zmsg_append(reply, &(zframe_t *){zframe_dup(fx->id)});
    zmsg_append(reply, &body);
    sd_outbox_send(fx->outbox, fx->router, &reply, now);
    assert_null(reply);
}

static sd_outbox_stats_t s_stats(const fx_t *fx)
{
    sd_outbox_stats_t st;
    sd_outbox_stats(fx->outbox, &st);
    return st;
}

/* Replies beyond libzmq's few wait here, in bytes the budget sees, and reach the client in order
 * once it reads. */
static void test_waits_in_order_until_read(void **state)
{
    fx_t *fx = *state;
    size_t waiting;
    for (uint32_t i = 0; i < 40; i++)
        s_send(fx, i, 1 << 20, T0);
    sd_outbox_stats_t st = s_stats(fx);
    assert_true(st.waited >= 40 - 2 * SD_OUTBOX_SNDHWM);
    assert_int_equal(st.clients, 1);
    assert_int_equal(st.dropped, 0);
    assert_true(st.bytes >= (size_t)SD_OUTBOX_CLIENT_BYTES);
    assert_true(sd_outbox_waiting(fx->outbox));
    assert_true(sd_outbox_over(fx->outbox, fx->router, fx->id, 0, 0, &waiting));
    assert_int_equal(waiting, st.bytes);
    /* Another client is not held to this one's budget (only to the total's). */
    zframe_t *other = zframe_new("other", 5);
    assert_false(sd_outbox_over(fx->outbox, fx->router, other, 0, 0, &waiting));
    assert_int_equal(waiting, 0);
    zframe_destroy(&other);

    for (uint32_t i = 0; i < 40; i++) {
        zframe_t *got = NULL;
        for (int tries = 0; !got && tries < 1000; tries++) {
            sd_outbox_flush(fx->outbox, T0 + 1);
            if (zsock_events(fx->dealer) & ZMQ_POLLIN)
                got = zframe_recv(fx->dealer);
            else
                zclock_sleep(1);
        }
        assert_non_null(got);
        uint32_t number;
        memcpy(&number, zframe_data(got), sizeof number);
        assert_int_equal(number, i);
        zframe_destroy(&got);
    }
    assert_false(sd_outbox_waiting(fx->outbox));
    assert_int_equal(s_stats(fx).bytes, 0);
    assert_false(sd_outbox_over(fx->outbox, fx->router, fx->id, 0, 0, &waiting));
    /* Replies made in the current batch count too. */
    assert_true(
        sd_outbox_over(fx->outbox, fx->router, fx->id, SD_OUTBOX_CLIENT_BYTES, 0, &waiting));
}

/* At most SD_OUTBOX_MSGS wait for one client; the rest are dropped and counted. */
static void test_caps_replies_per_client(void **state)
{
    fx_t *fx = *state;
    for (uint32_t i = 0; i < 2 * SD_OUTBOX_MSGS; i++)
        s_send(fx, i, 64, T0);
    sd_outbox_stats_t st = s_stats(fx);
    assert_int_equal(st.waited, SD_OUTBOX_MSGS);
    assert_true(st.dropped > 0 && st.dropped < SD_OUTBOX_MSGS);
}

/* A client that takes nothing for SD_OUTBOX_STALL_MS loses what waits; so does one that is gone,
 * and the replies of a client gone are not kept at all. */
static void test_stalled_and_gone(void **state)
{
    fx_t *fx = *state;
    for (uint32_t i = 0; i < 30; i++)
        s_send(fx, i, 4096, T0);
    sd_outbox_flush(fx->outbox, T0 + SD_OUTBOX_STALL_MS - 1);
    assert_true(sd_outbox_waiting(fx->outbox));
    sd_outbox_flush(fx->outbox, T0 + SD_OUTBOX_STALL_MS);
    assert_false(sd_outbox_waiting(fx->outbox));
    assert_true(s_stats(fx).dropped >= 10);
    assert_int_equal(s_stats(fx).bytes, 0);

    zsock_destroy(&fx->dealer);
    uint64_t dropped = s_stats(fx).dropped;
    /* The router learns of the disconnection from libzmq's commands, which a flush handles; until
     * then a reply may still wait. */
    bool gone = false;
    for (int tries = 0; tries < 1000 && !gone; tries++) {
        s_send(fx, 99, 64, T0);
        sd_outbox_flush(fx->outbox, T0 + 1);
        gone = !sd_outbox_waiting(fx->outbox) && s_stats(fx).dropped > dropped;
        zclock_sleep(1);
    }
    assert_true(gone);
    assert_int_equal(s_stats(fx).bytes, 0);
}

int main(void)
{
    zsys_init();
    sd_log_set_level(SD_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_waits_in_order_until_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps_replies_per_client, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stalled_and_gone, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
