/* test_map_growth.c - a node whose LMDB map fills grows it and redoes the batch: no request fails.
 */
#include "harness.h"

#include "error.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define CLIENTS        4
#define PER_CLIENT     2000 /* 8000 tickets of ~8 KiB: well past the first 64 MiB map */
#define INITIAL_MAP_MB 64

typedef struct {
    const sd_test_node_t *node; /* where to send */
    int client;                 /* number, for titles */
    int acked;                  /* tickets acknowledged */
    int failed;                 /* error replies or transport failures */
} s_worker_t;

static void *s_client_loop(void *arg)
{
    s_worker_t *w = arg;
    static char description[SD_TEXT_MAX + 1];
    memset(description, 'd', SD_TEXT_MAX); /* same bytes for all threads: a benign race */
    sd_client_t *c = sd_test_client(w->node, 30000);
    for (int n = 0; c && n < PER_CLIENT; n++) {
        char title[48];
        snprintf(title, sizeof title, "c%d n%d", w->client, n);
        sd_request_t req = {.op = SD_REQ_TICKET_NEW};
        sd_test_arg(&req, "title", title);
        sd_test_arg(&req, "requester", "load@example.com");
        sd_test_arg(&req, "description", description);
        sd_reply_t reply;
        int rc = sd_client_call(c, &req, &reply);
        sd_request_clear(&req);
        if (rc == 0 && reply.ok)
            w->acked++;
        else
            w->failed++;
        if (rc == 0)
            sd_reply_clear(&reply);
    }
    sd_client_destroy(&c);
    return NULL;
}

static uint64_t s_status_u64(const sd_test_node_t *node, const char *key, uint64_t *tickets_new)
{
    sd_client_t *c = sd_test_client(node, 10000);
    sd_request_t req = {.op = SD_REQ_NODE_STATUS};
    sd_reply_t reply;
    assert_int_equal(sd_client_call(c, &req, &reply), 0);
    assert_true(reply.ok);
    uint64_t v = 0;
    assert_int_equal(sd_mp_uint(sd_mp_get(reply.result, key), &v), 0);
    if (tickets_new)
        sd_mp_uint(sd_mp_get(sd_mp_get(reply.result, "tickets"), "new"), tickets_new);
    sd_reply_clear(&reply);
    sd_client_destroy(&c);
    return v;
}

static void test_map_full_grows_and_loses_nothing(void **state)
{
    (void)state;
    char dir[64], data[96];
    assert_true(sd_test_tempdir(dir, sizeof dir));
    snprintf(data, sizeof data, "%s/node", dir);
    sd_test_node_t node = {0};
    assert_true(sd_test_node_start(&node, data));
    assert_int_equal(s_status_u64(&node, "map_bytes", NULL), INITIAL_MAP_MB << 20);

    pthread_t threads[CLIENTS];
    s_worker_t workers[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        workers[i] = (s_worker_t){.node = &node, .client = i};
        pthread_create(&threads[i], NULL, s_client_loop, &workers[i]);
    }
    int acked = 0, failed = 0;
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(threads[i], NULL);
        acked += workers[i].acked;
        failed += workers[i].failed;
    }
    assert_int_equal(failed, 0);
    assert_int_equal(acked, CLIENTS * PER_CLIENT);
    uint64_t tickets = 0, map = s_status_u64(&node, "map_bytes", &tickets);
    printf("%d tickets acknowledged; map grew from %d MiB to %llu MiB\n", acked, INITIAL_MAP_MB,
           (unsigned long long)(map >> 20));
    assert_true(map > (INITIAL_MAP_MB << 20));
    assert_int_equal(tickets, (uint64_t)acked);

    /* After a restart the grown store opens and still holds everything. */
    assert_int_equal(sd_test_node_stop(&node, SIGTERM), 0);
    assert_true(sd_test_node_start(&node, data));
    s_status_u64(&node, "map_bytes", &tickets);
    assert_int_equal(tickets, (uint64_t)acked);
    assert_int_equal(sd_test_node_stop(&node, SIGTERM), 0);
    sd_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_full_grows_and_loses_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
