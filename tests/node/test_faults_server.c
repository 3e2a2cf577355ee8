/* test_faults_server.c - a node's client API when LMDB or the client socket fails under it
 * (failures injected with --wrap: faults.h).
 *
 * A real server (node/api/server.c over a real store, in a thread of this process) serves a
 * DEALER socket of the test on its ipc endpoint; the test is the node's own user (its bootstrap
 * admin). What must hold: a client hears "ok" only for what is durably in the store, a failed
 * group commit answers every write of its batch with the store's error and applies none of them,
 * and the node keeps serving after any of these failures. */
#include "faults.h"
#include "node_test.h"

#include "config.h"
#include "error.h"
#include "server.h"
#include "store.h"

#include <czmq.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define MAX_REPLIES 8

typedef struct {
    char dir[256];                   /* the node's data directory */
    sd_config_t cfg;                 /* its configuration (defaults) */
    sd_store_t *store;               /* its store */
    sd_server_t *server;             /* the server under test */
    pthread_t thread;                /* running sd_server_run */
    zsock_t *dealer;                 /* the test's client socket */
    sd_mp_writer_t *w;               /* scratch for requests */
    uint64_t next_id;                /* request ids */
    sd_reply_t replies[MAX_REPLIES]; /* the last replies received */
} fx_t;

static void *s_serve(void *arg)
{
    fx_t *fx = arg;
    sd_server_run(fx->server);
    return NULL;
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    char err[512] = "";
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-faults-server") != 0 ||
        sd_config_defaults(&fx->cfg, fx->dir, err, sizeof err) != 0)
        return -1;
    zsys_init();
    /* The scheduler's only tick is the first one (the store is empty then): every write the
     * faults meet is a client's. */
    fx->cfg.sched.tick_ms = 3600 * 1000;
    if (sd_store_open(fx->dir, fx->cfg.site, &fx->store) != 0 ||
        sd_server_new(&fx->cfg, fx->store, &fx->server, err, sizeof err) != 0 ||
        !(fx->w = sd_mp_writer_new()) || pthread_create(&fx->thread, NULL, s_serve, fx) != 0) {
        fprintf(stderr, "test_faults_server: cannot start the node: %s\n", err);
        return -1;
    }
    fx->dealer = zsock_new_dealer(fx->cfg.endpoint);
    if (!fx->dealer)
        return -1;
    zsock_set_rcvtimeo(fx->dealer, 20000); /* a lost reply fails the test, never hangs it */
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_fault_clear();
    zsys_interrupted = 1; /* what SIGTERM does: sd_server_run returns */
    pthread_join(fx->thread, NULL);
    zsys_interrupted = 0;
    zsock_destroy(&fx->dealer);
    sd_server_destroy(&fx->server);
    sd_store_close(&fx->store);
    sd_config_clear(&fx->cfg);
    for (int i = 0; i < MAX_REPLIES; i++)
        sd_reply_clear(&fx->replies[i]);
    sd_mp_writer_destroy(&fx->w);
    sd_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

/* Sends one request, op and name/value pairs ending with NULL, without waiting; returns its id. */
static uint64_t s_send(fx_t *fx, int op, ...)
{
    sd_request_t req = {0};
    va_list ap;
    va_start(ap, op);
    assert_int_equal(sd_test_request_v(&req, op, ap), 0);
    va_end(ap);
    uint64_t id = req.id = ++fx->next_id;
    sd_mp_writer_reset(fx->w);
    sd_request_encode(&req, fx->w);
    size_t len;
    const void *data = sd_mp_writer_data(fx->w, &len);
    assert_int_equal(zsock_send(fx->dealer, "b", data, len), 0);
    sd_request_clear(&req);
    return id;
}

/* The next reply, into fx->replies[slot]. */
static sd_reply_t *s_recv(fx_t *fx, int slot)
{
    zframe_t *frame = zframe_recv(fx->dealer);
    assert_non_null(frame); /* else: no reply within the receive timeout */
    sd_reply_t *reply = &fx->replies[slot];
    sd_reply_clear(reply);
    assert_int_equal(sd_reply_decode(zframe_data(frame), zframe_size(frame), reply), 0);
    zframe_destroy(&frame);
    return reply;
}

/* A string field of an ok reply's result, or "" when it has none. */
static const char *s_field(const sd_reply_t *reply, const char *name, char *out, size_t cap)
{
    size_t len = 0;
    const sd_mp_node_t *n = reply->ok ? sd_mp_get(reply->result, name) : NULL;
    const char *s = n ? sd_mp_bytes(n, &len) : NULL;
    snprintf(out, cap, "%.*s", s ? (int)len : 0, s ? s : "");
    return out;
}

/* Sends ticket.new titled title and waits: the new ticket's id into id, or "" when refused. */
static const sd_reply_t *s_new(fx_t *fx, const char *title, char id[SD_ID_MAX + 1])
{
    uint64_t rid = s_send(fx, SD_REQ_TICKET_NEW, "title", title, NULL);
    const sd_reply_t *reply = s_recv(fx, 0);
    assert_int_equal(reply->id, rid);
    s_field(reply, "id", id, SD_ID_MAX + 1);
    return reply;
}

/* The title of ticket id as the node reads it from its store, or "" when there is none. */
static const char *s_title(fx_t *fx, const char *id, char *out, size_t cap)
{
    uint64_t rid = s_send(fx, SD_REQ_TICKET_GET, "id", id, NULL);
    const sd_reply_t *reply = s_recv(fx, 0);
    assert_int_equal(reply->id, rid);
    assert_true(reply->ok || reply->code == SD_ENOTFOUND);
    return s_field(reply, "title", out, cap);
}

/* How many tickets the node lists. */
static size_t s_count(fx_t *fx)
{
    uint64_t rid = s_send(fx, SD_REQ_TICKET_LIST, "limit", "100", NULL);
    const sd_reply_t *reply = s_recv(fx, 0);
    assert_int_equal(reply->id, rid);
    assert_true(reply->ok);
    return sd_mp_len(sd_mp_get(reply->result, "tickets"));
}

/* A round trip: the server thread is in its loop and past its first scheduler tick. */
static void s_ping(fx_t *fx)
{
    uint64_t rid = s_send(fx, SD_REQ_NODE_PING, NULL);
    const sd_reply_t *reply = s_recv(fx, 0);
    assert_int_equal(reply->id, rid);
    if (!reply->ok)
        fail_msg("node.ping: %s", reply->message);
}

/* Every group commit fails (EIO, then ENOSPC): each write of the batch hears the store's error,
 * a read in it is still answered, nothing is in the store, and once the disk is back the next
 * write takes the first id. */
static void s_commit_fails(fx_t *fx, int error, int code)
{
    s_ping(fx);
    sd_fault_arm(SD_FAULT_COMMIT, 1, error, true);
    uint64_t ids[4];
    for (int i = 0; i < 3; i++)
        ids[i] = s_send(fx, SD_REQ_TICKET_NEW, "title", "Lost in the crash", NULL);
    ids[3] = s_send(fx, SD_REQ_NODE_PING, NULL);
    for (int i = 0; i < 4; i++) {
        const sd_reply_t *reply = s_recv(fx, i);
        assert_int_equal(reply->id, ids[i]); /* replies come in request order */
        if (i < 3) {
            assert_false(reply->ok);
            assert_int_equal(reply->code, code);
            assert_non_null(strstr(reply->message, "nothing was written"));
        } else {
            assert_true(reply->ok);
        }
    }
    assert_true(sd_fault_fired(SD_FAULT_COMMIT) >= 1);
    sd_fault_clear();
    assert_int_equal(s_count(fx), 0);
    char id[SD_ID_MAX + 1], title[64];
    assert_true(s_new(fx, "After the crash", id)->ok);
    assert_string_equal(id, "LOCAL-000001");
    assert_string_equal(s_title(fx, id, title, sizeof title), "After the crash");
    assert_int_equal(s_count(fx), 1);
}

static void test_commit_eio_fails_the_batch(void **state)
{
    s_commit_fails(*state, EIO, SD_EIO);
}

static void test_commit_enospc_fails_the_batch(void **state)
{
    s_commit_fails(*state, ENOSPC, SD_EFULL);
}

/* How many times a ticket.new calls mdb_put (it makes LOCAL-000001, titled "Counted"). */
static int s_count_puts(fx_t *fx)
{
    char id[SD_ID_MAX + 1];
    s_ping(fx);
    int calls = sd_fault_calls(SD_FAULT_PUT);
    assert_true(s_new(fx, "Counted", id)->ok);
    assert_string_equal(id, "LOCAL-000001");
    int puts = sd_fault_calls(SD_FAULT_PUT) - calls;
    assert_true(puts > 3); /* the event, the vector, the record, its indexes, ... */
    return puts;
}

/* mdb_put fails at each put a ticket.new makes in turn: each time the client hears the error,
 * nothing is applied, and no id is used up. */
static void test_put_fails_at_each_put_of_a_write(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1], title[64];
    int puts = s_count_puts(fx);
    for (int nth = 1; nth <= puts; nth++) {
        int fired = sd_fault_fired(SD_FAULT_PUT);
        sd_fault_arm(SD_FAULT_PUT, nth, EIO, false);
        const sd_reply_t *reply = s_new(fx, "Never stored", id);
        assert_int_equal(sd_fault_fired(SD_FAULT_PUT), fired + 1);
        assert_false(reply->ok);
        assert_int_equal(reply->code, SD_EIO);
    }
    assert_string_equal(s_title(fx, "LOCAL-000002", title, sizeof title), "");
    assert_true(s_new(fx, "Stored", id)->ok);
    assert_string_equal(id, "LOCAL-000002");
    assert_int_equal(s_count(fx), 2);
}

/* A put fails part-way through several writes sent at once (one batch, or as many as the server
 * happened to gather): every reply that says ok names a ticket the store holds with its title,
 * every other says the store failed, and the store holds nothing else. */
static void test_put_fails_mid_batch(void **state)
{
    fx_t *fx = *state;
    char title[64];
    int puts = s_count_puts(fx);
    const char *titles[4] = {"First", "Second", "Third", "Fourth"};
    uint64_t rids[4];
    int fired = sd_fault_fired(SD_FAULT_PUT);
    sd_fault_arm(SD_FAULT_PUT, puts + puts / 2, EIO, false); /* inside the second write */
    for (int i = 0; i < 4; i++)
        rids[i] = s_send(fx, SD_REQ_TICKET_NEW, "title", titles[i], NULL);
    char made[4][SD_ID_MAX + 1];
    int oks = 0;
    for (int i = 0; i < 4; i++) {
        const sd_reply_t *reply = s_recv(fx, i);
        assert_int_equal(reply->id, rids[i]);
        s_field(reply, "id", made[i], sizeof made[i]);
        if (reply->ok)
            oks++;
        else
            assert_int_equal(reply->code, SD_EIO);
    }
    assert_int_equal(sd_fault_fired(SD_FAULT_PUT), fired + 1);
    assert_true(oks < 4);
    for (int i = 0; i < 4; i++)
        if (made[i][0])
            assert_string_equal(s_title(fx, made[i], title, sizeof title), titles[i]);
    assert_int_equal(s_count(fx), 1 + (size_t)oks);
}

/* Sending a reply fails (EAGAIN: the client's pipe is full): the node keeps the reply in that
 * client's outbox (node/api/outbox.h) and sends it once the socket takes it, in order; the
 * write stays committed, and the node goes on answering. */
static void test_reply_send_fails_node_keeps_serving(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1], title[64];
    s_ping(fx);
    sd_fault_arm(SD_FAULT_SEND, 1, EAGAIN, false);
    uint64_t made = s_send(fx, SD_REQ_TICKET_NEW, "title", "Answer lost", NULL);
    uint64_t ping = s_send(fx, SD_REQ_NODE_PING, NULL);
    const sd_reply_t *reply = s_recv(fx, 0);
    assert_int_equal(reply->id, made); /* delayed, not lost, and still first */
    assert_true(reply->ok);
    reply = s_recv(fx, 1);
    assert_int_equal(reply->id, ping);
    assert_true(reply->ok);
    assert_int_equal(sd_fault_fired(SD_FAULT_SEND), 1);
    assert_string_equal(s_title(fx, "LOCAL-000001", title, sizeof title), "Answer lost");
    assert_true(s_new(fx, "Answered", id)->ok);
    assert_string_equal(id, "LOCAL-000002");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_eio_fails_the_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_enospc_fails_the_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_fails_at_each_put_of_a_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_fails_mid_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reply_send_fails_node_keeps_serving, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
