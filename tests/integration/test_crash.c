/* test_crash.c - kill -9 of a node under load loses nothing that was acknowledged. */
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define ROUNDS  20
#define CLIENTS 8
#define MAX_ACK 200000

/* Ids of tickets whose creation was acknowledged, shared by the clients. */
typedef struct {
    pthread_mutex_t lock;       /* guards the rest */
    char (*ids)[SD_ID_MAX + 1]; /* acknowledged ids */
    char (*titles)[48];         /* their titles */
    size_t count;               /* how many */
    const sd_test_node_t *node; /* where to send */
    volatile int stop;          /* set when the node was killed */
    int round;                  /* for titles */
} s_acks_t;

typedef struct {
    s_acks_t *acks; /* shared */
    int client;     /* number */
} s_worker_t;

static void *s_client_loop(void *arg)
{
    s_worker_t *w = arg;
    s_acks_t *acks = w->acks;
    sd_client_t *c = sd_test_client(acks->node, 1000);
    for (int n = 0; c && !acks->stop; n++) {
        char title[48];
        snprintf(title, sizeof title, "r%d c%d n%d", acks->round, w->client, n);
        sd_request_t req = {.op = SD_REQ_TICKET_NEW};
        sd_test_arg(&req, "title", title);
        sd_test_arg(&req, "requester", "load@example.com");
        sd_reply_t reply;
        int rc = sd_client_call(c, &req, &reply);
        sd_request_clear(&req);
        if (rc)
            break; /* the node is gone: this ticket was never acknowledged */
        if (reply.ok) {
            size_t len;
            const char *id = sd_mp_bytes(sd_mp_get(reply.result, "id"), &len);
            pthread_mutex_lock(&acks->lock);
            if (acks->count < MAX_ACK) {
                snprintf(acks->ids[acks->count], SD_ID_MAX + 1, "%.*s", (int)len, id);
                snprintf(acks->titles[acks->count], 48, "%s", title);
                acks->count++;
            }
            pthread_mutex_unlock(&acks->lock);
        }
        sd_reply_clear(&reply);
    }
    sd_client_destroy(&c);
    return NULL;
}

/* Every acknowledged ticket is there with its title; ids are unique. */
static void s_verify(const sd_test_node_t *node, const s_acks_t *acks)
{
    sd_client_t *c = sd_test_client(node, 5000);
    assert_non_null(c);
    for (size_t i = 0; i < acks->count; i++) {
        sd_request_t req = {.op = SD_REQ_TICKET_GET};
        sd_test_arg(&req, "id", acks->ids[i]);
        sd_reply_t reply;
        assert_int_equal(sd_client_call(c, &req, &reply), 0);
        if (!reply.ok)
            fail_msg("acknowledged ticket %s is missing: %s", acks->ids[i], reply.message);
        size_t len;
        const char *title = sd_mp_bytes(sd_mp_get(reply.result, "title"), &len);
        assert_int_equal(len, strlen(acks->titles[i]));
        assert_memory_equal(title, acks->titles[i], len);
        sd_reply_clear(&reply);
        sd_request_clear(&req);
    }
    sd_client_destroy(&c);
}

static void test_kill9_under_load_loses_no_acknowledged_ticket(void **state)
{
    (void)state;
    char dir[64];
    assert_true(sd_test_tempdir(dir, sizeof dir));
    char data[96];
    snprintf(data, sizeof data, "%s/node", dir);
    s_acks_t acks = {.ids = calloc(MAX_ACK, SD_ID_MAX + 1), .titles = calloc(MAX_ACK, 48)};
    pthread_mutex_init(&acks.lock, NULL);
    unsigned seed = (unsigned)time(NULL);
    if (getenv("SD_SEED"))
        seed = (unsigned)strtoul(getenv("SD_SEED"), NULL, 10);
    printf("seed %u (re-run with SD_SEED=%u)\n", seed, seed);
    srand(seed);
    sd_test_node_t node = {0};
    for (int round = 0; round < ROUNDS; round++) {
        assert_true(sd_test_node_start(&node, data)); /* store opens cleanly */
        if (round > 0)
            s_verify(&node, &acks);
        acks.node = &node;
        acks.stop = 0;
        acks.round = round;
        pthread_t threads[CLIENTS];
        s_worker_t workers[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            workers[i] = (s_worker_t){.acks = &acks, .client = i};
            pthread_create(&threads[i], NULL, s_client_loop, &workers[i]);
        }
        /* Kill at a random moment, mid-commit more often than not. */
        usleep(50000 + (useconds_t)(rand() % 250000));
        sd_test_node_stop(&node, SIGKILL);
        acks.stop = 1;
        for (int i = 0; i < CLIENTS; i++)
            pthread_join(threads[i], NULL);
        printf("round %d: %zu acknowledged so far\n", round + 1, acks.count);
    }
    assert_true(sd_test_node_start(&node, data));
    s_verify(&node, &acks);
    /* Ids are unique: no acknowledged id was handed out twice. */
    for (size_t i = 1; i < acks.count; i++)
        for (size_t j = i < 64 ? 0 : i - 64; j < i; j++)
            assert_string_not_equal(acks.ids[i], acks.ids[j]);
    assert_int_equal(sd_test_node_stop(&node, SIGTERM), 0);
    assert_true(acks.count > 0);
    printf("%d kill -9 rounds, %zu acknowledged tickets, all present after restart\n", ROUNDS,
           acks.count);
    free(acks.ids);
    free(acks.titles);
    sd_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill9_under_load_loses_no_acknowledged_ticket),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
