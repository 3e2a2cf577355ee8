/* server_fixture.h - a real node (node/api/server.c over a real store, in a thread of the test)
 * on a manual clock, and a client socket that speaks for the bootstrap admin or for a desk
 * user by token: for the tests of ops end to end (rules, permissions, replies).
 *
 * sd_fx_start makes the node (site LOCAL) with its schedule's clock standing at now_ms;
 * sd_fx_clock moves it (the server reads the config's clock at each request, and each call
 * here is a round trip, so the move is seen by the next request). sd_fx_call sends one request
 * (op and name/value pairs as command-line text, ending with NULL) and returns its reply;
 * sd_fx_user makes a user with a role and returns a token acting as them. */
#ifndef SD_SERVER_FIXTURE_H
#define SD_SERVER_FIXTURE_H

#include "node_test.h"

#include "clock.h"
#include "config.h"
#include "error.h"
#include "server.h"
#include "store.h"

#include <czmq.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

typedef struct {
    char dir[256];       /* the node's data directory */
    sd_config_t cfg;     /* its configuration (defaults, a manual clock) */
    sd_store_t *store;   /* its store */
    sd_server_t *server; /* the server under test */
    pthread_t thread;    /* running sd_server_run */
    zsock_t *dealer;     /* the test's client socket */
    sd_mp_writer_t *w;   /* scratch for requests */
    uint64_t next_id;    /* request ids */
    sd_reply_t reply;    /* the last reply */
    char text[8192];     /* sd_fx_str's copy */
} sd_fx_t;

static void *sd_fx_serve(void *arg)
{
    sd_fx_t *fx = arg;
    sd_server_run(fx->server);
    return NULL;
}

/* A node on a manual clock at now_ms, or NULL. */
static inline sd_fx_t *sd_fx_start(int64_t now_ms)
{
    sd_fx_t *fx = calloc(1, sizeof *fx);
    char err[512] = "";
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-fx") != 0 ||
        sd_config_defaults(&fx->cfg, fx->dir, err, sizeof err) != 0)
        return NULL;
    zsys_init();
    fx->cfg.sched.tick_ms = 3600 * 1000;
    fx->cfg.sched.clock = sd_clock_manual(now_ms);
    /* No HTTP: the tests speak the protocol, and a node started right after the last one's stop
     * found inproc://sundesk-http still bound (a closed ZeroMQ socket is reaped asynchronously)
     * and 127.0.0.1:7480 belongs to whatever else runs on the machine. */
    fx->cfg.http.port = 0;
    if (sd_store_open(fx->dir, fx->cfg.site, &fx->store) != 0 ||
        sd_server_new(&fx->cfg, fx->store, &fx->server, err, sizeof err) != 0 ||
        !(fx->w = sd_mp_writer_new()) || pthread_create(&fx->thread, NULL, sd_fx_serve, fx) != 0) {
        fprintf(stderr, "server_fixture: cannot start the node: %s\n", err);
        return NULL;
    }
    fx->dealer = zsock_new_dealer(fx->cfg.endpoint);
    if (!fx->dealer)
        return NULL;
    zsock_set_rcvtimeo(fx->dealer, 20000);
    return fx;
}

static inline void sd_fx_stop(sd_fx_t **fxp)
{
    sd_fx_t *fx = *fxp;
    zsys_interrupted = 1;
    pthread_join(fx->thread, NULL);
    zsys_interrupted = 0;
    zsock_destroy(&fx->dealer);
    sd_server_destroy(&fx->server);
    sd_store_close(&fx->store);
    sd_config_clear(&fx->cfg);
    sd_reply_clear(&fx->reply);
    sd_mp_writer_destroy(&fx->w);
    sd_test_rmtree(fx->dir);
    free(fx);
    *fxp = NULL;
}

/* A cmocka teardown for a node the setup put in *state. */
static inline int sd_fx_teardown(void **state)
{
    sd_fx_t *fx = *state;
    sd_fx_stop(&fx);
    return 0;
}

/* Moves the node's clock to now_ms. */
static inline void sd_fx_clock(sd_fx_t *fx, int64_t now_ms)
{
    sd_clock_set(&fx->cfg.sched.clock, now_ms);
}

/* One request as token's user (NULL: the bootstrap admin) and its reply (fx's, until the
 * next call). */
static inline const sd_reply_t *sd_fx_call_v(sd_fx_t *fx, const char *token, int op, va_list ap)
{
    sd_request_t req = {0};
    assert_int_equal(sd_test_request_v(&req, op, ap), 0);
    req.id = ++fx->next_id;
    if (token)
        req.token = strdup(token);
    sd_mp_writer_reset(fx->w);
    sd_request_encode(&req, fx->w);
    size_t len;
    const void *data = sd_mp_writer_data(fx->w, &len);
    assert_int_equal(zsock_send(fx->dealer, "b", data, len), 0);
    sd_request_clear(&req);
    zframe_t *frame = zframe_recv(fx->dealer);
    assert_non_null(frame);
    sd_reply_clear(&fx->reply);
    assert_int_equal(sd_reply_decode(zframe_data(frame), zframe_size(frame), &fx->reply), 0);
    zframe_destroy(&frame);
    assert_int_equal(fx->reply.id, fx->next_id);
    return &fx->reply;
}

static inline const sd_reply_t *sd_fx_call(sd_fx_t *fx, const char *token, int op, ...)
{
    va_list ap;
    va_start(ap, op);
    const sd_reply_t *r = sd_fx_call_v(fx, token, op, ap);
    va_end(ap);
    return r;
}

/* The call must succeed; returns its reply. */
static inline const sd_reply_t *sd_fx_ok(sd_fx_t *fx, const char *token, int op, ...)
{
    va_list ap;
    va_start(ap, op);
    const sd_reply_t *r = sd_fx_call_v(fx, token, op, ap);
    va_end(ap);
    if (!r->ok)
        fail_msg("op %d: %s", op, r->message);
    return r;
}

/* String `key` of map m (a reply's result), copied into fx->text; "" when absent. */
static inline const char *sd_fx_str(sd_fx_t *fx, const sd_mp_node_t *m, const char *key)
{
    size_t len = 0;
    const sd_mp_node_t *n = m ? sd_mp_get(m, key) : NULL;
    const char *s = n && sd_mp_kind(n) == SD_MP_STR ? sd_mp_bytes(n, &len) : NULL;
    snprintf(fx->text, sizeof fx->text, "%.*s", s ? (int)len : 0, s ? s : "");
    return fx->text;
}

/* String `key` of map m into out (cap bytes, cut to fit); "" when absent. */
static inline void sd_fx_copy(sd_fx_t *fx, const sd_mp_node_t *m, const char *key, char *out,
                              size_t cap)
{
    const char *s = sd_fx_str(fx, m, key);
    size_t n = strnlen(s, cap - 1);
    memcpy(out, s, n);
    out[n] = 0;
}

/* Unsigned `key` of map m; 0 when absent. */
static inline uint64_t sd_fx_u64(const sd_mp_node_t *m, const char *key)
{
    uint64_t v = 0;
    const sd_mp_node_t *n = m ? sd_mp_get(m, key) : NULL;
    if (n)
        sd_mp_uint(n, &v);
    return v;
}

/* Makes user login with role (home site LOCAL) and a token acting as them into token
 * (SD_TOKEN_MAX + 1). */
static inline void sd_fx_user(sd_fx_t *fx, const char *login, const char *role, char *token)
{
    sd_fx_ok(fx, NULL, SD_REQ_USER_NEW, "id", login, "display_name", login, "role", role, NULL);
    const sd_reply_t *r = sd_fx_ok(fx, NULL, SD_REQ_TOKEN_NEW, "user", login, NULL);
    sd_fx_copy(fx, r->result, "token", token, SD_TOKEN_MAX + 1);
    assert_true(token[0] != 0);
}

#endif
