/* test_sendq.c - the channels' send queue (node/store/sendq.h) on a real LMDB environment in a
 * temporary directory: entries made once (a step done again adds nothing), the cursor committed
 * with them, the due order, an entry left `sending` found `unknown` after a reopen (as after a
 * kill -9) and put back only by a retry, the per-recipient count of what was sent. */
#include "sendq.h"

#include "error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

typedef struct {
    char dir[64];
    sd_sendq_t *q;
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/sendq-XXXXXX");
    if (!fx || !mkdtemp(fx->dir))
        return -1;
    char err[256];
    if (sd_sendq_open(fx->dir, &fx->q, NULL, err, sizeof err) != 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_sendq_close(&fx->q);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

static sd_sendq_entry_t s_entry(const char *id, uint64_t next_at, const char *to)
{
    sd_sendq_entry_t e = {.state = SD_SENDQ_QUEUED, .next_at = next_at, .created_at = 1};
    snprintf(e.id, sizeof e.id, "%s", id);
    snprintf(e.ticket, sizeof e.ticket, "APAC-000001");
    snprintf(e.kind, sizeof e.kind, "ack");
    snprintf(e.to, sizeof e.to, "%s", to);
    snprintf(e.subject, sizeof e.subject, "[APAC-000001] 打印机坏了");
    e.body = (char *)"Subject: x\r\n\r\nbody\r\n";
    return e;
}

static void test_add_once_with_cursor(void **state)
{
    fx_t *fx = *state;
    char marker[64];
    assert_int_equal(sd_sendq_cursor(fx->q, marker, sizeof marker), 0);
    assert_string_equal(marker, "");
    sd_sendq_entry_t e[2] = {s_entry("sundesk.APAC-000001.a@d", 10, "a@x"),
                             s_entry("sundesk.APAC-000001.b@d", 5, "b@x")};
    size_t added;
    assert_int_equal(sd_sendq_add(fx->q, e, 2, "APAC:7", &added), 0);
    assert_int_equal(added, 2);
    /* the same step again (a crash before the cursor moved on elsewhere): nothing new */
    assert_int_equal(sd_sendq_add(fx->q, e, 2, "APAC:8", &added), 0);
    assert_int_equal(added, 0);
    assert_int_equal(sd_sendq_cursor(fx->q, marker, sizeof marker), 0);
    assert_string_equal(marker, "APAC:8");
    sd_sendq_entry_t got;
    assert_int_equal(sd_sendq_get(fx->q, "sundesk.APAC-000001.a@d", &got), 0);
    assert_string_equal(got.subject, "[APAC-000001] 打印机坏了");
    assert_string_equal(got.body, e[0].body);
    assert_int_equal(got.state, SD_SENDQ_QUEUED);
    sd_sendq_entry_clear(&got);
    assert_int_equal(sd_sendq_get(fx->q, "nope", &got), SD_ENOTFOUND);
}

static void test_due_order_and_states(void **state)
{
    fx_t *fx = *state;
    sd_sendq_entry_t e[2] = {s_entry("m1@d", 10, "a@x"), s_entry("m2@d", 5, "b@x")};
    assert_int_equal(sd_sendq_add(fx->q, e, 2, "APAC:2", NULL), 0);
    sd_sendq_entry_t got;
    uint64_t next;
    assert_int_equal(sd_sendq_due(fx->q, 4, &got, &next), SD_ENOTFOUND);
    assert_int_equal(next, 5);
    assert_int_equal(sd_sendq_due(fx->q, 100, &got, NULL), 0);
    assert_string_equal(got.id, "m2@d"); /* the earlier one first */
    got.state = SD_SENDQ_SENT;
    got.sent_at = 100;
    assert_int_equal(sd_sendq_put(fx->q, &got), 0);
    sd_sendq_entry_clear(&got);
    assert_int_equal(sd_sendq_due(fx->q, 100, &got, NULL), 0);
    assert_string_equal(got.id, "m1@d");
    got.next_at = 50; /* a retry later: its due row moves */
    got.attempts = 1;
    assert_int_equal(sd_sendq_put(fx->q, &got), 0);
    sd_sendq_entry_clear(&got);
    assert_int_equal(sd_sendq_due(fx->q, 49, &got, &next), SD_ENOTFOUND);
    assert_int_equal(next, 50);
    assert_int_equal(sd_sendq_due(fx->q, 50, &got, NULL), 0);
    assert_int_equal(got.attempts, 1);
    sd_sendq_entry_clear(&got);
    /* retry refuses what is queued or sent */
    assert_int_equal(sd_sendq_retry(fx->q, "m2@d", 1), SD_ETRANSITION);
    assert_int_equal(sd_sendq_retry(fx->q, "m1@d", 1), SD_ETRANSITION);
    assert_int_equal(sd_sendq_retry(fx->q, "zz", 1), SD_ENOTFOUND);
    /* the rate count: B@x (any case) had one since 100 */
    assert_int_equal(sd_sendq_sent_to(fx->q, "B@X", 100), 1);
    assert_int_equal(sd_sendq_sent_to(fx->q, "b@x", 101), 0);
    assert_int_equal(sd_sendq_sent_to(fx->q, "a@x", 0), 0);
}

static int s_count(const sd_sendq_entry_t *e, void *arg)
{
    (void)e;
    ++*(int *)arg;
    return 0;
}

static void test_sending_becomes_unknown(void **state)
{
    fx_t *fx = *state;
    sd_sendq_entry_t e = s_entry("m3@d", 1, "c@x");
    assert_int_equal(sd_sendq_add(fx->q, &e, 1, "APAC:3", NULL), 0);
    sd_sendq_entry_t got;
    assert_int_equal(sd_sendq_due(fx->q, 1, &got, NULL), 0);
    got.state = SD_SENDQ_SENDING; /* committed, then the node dies during the hand-off */
    assert_int_equal(sd_sendq_put(fx->q, &got), 0);
    sd_sendq_entry_clear(&got);
    sd_sendq_close(&fx->q);
    size_t unknown = 0;
    char err[256];
    assert_int_equal(sd_sendq_open(fx->dir, &fx->q, &unknown, err, sizeof err), 0);
    assert_int_equal(unknown, 1);
    assert_int_equal(sd_sendq_get(fx->q, "m3@d", &got), 0);
    assert_int_equal(got.state, SD_SENDQ_UNKNOWN);
    assert_true(strstr(got.error, "outbox.retry") != NULL);
    sd_sendq_entry_clear(&got);
    /* not sent again by itself */
    assert_int_equal(sd_sendq_due(fx->q, 1000, &got, NULL), SD_ENOTFOUND);
    int n = 0;
    assert_int_equal(sd_sendq_list(fx->q, SD_SENDQ_UNKNOWN, "APAC-000001", NULL, s_count, &n), 0);
    assert_int_equal(n, 1);
    n = 0;
    assert_int_equal(sd_sendq_list(fx->q, -1, "APAC-000002", NULL, s_count, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(sd_sendq_retry(fx->q, "m3@d", 7), 0);
    assert_int_equal(sd_sendq_due(fx->q, 7, &got, NULL), 0);
    assert_string_equal(got.id, "m3@d");
    sd_sendq_entry_clear(&got);
}

static void test_list_after_and_bad_input(void **state)
{
    fx_t *fx = *state;
    sd_sendq_entry_t e[3] = {s_entry("a@d", 1, "x@y"), s_entry("b@d", 1, "x@y"),
                             s_entry("c@d", 1, "x@y")};
    assert_int_equal(sd_sendq_add(fx->q, e, 3, "APAC:1", NULL), 0);
    int n = 0;
    assert_int_equal(sd_sendq_list(fx->q, -1, NULL, "a@d", s_count, &n), 0);
    assert_int_equal(n, 2);
    sd_sendq_entry_t bad = s_entry("", 1, "x@y");
    assert_int_equal(sd_sendq_add(fx->q, &bad, 1, "APAC:9", NULL), SD_EINVAL);
    char marker[32];
    assert_int_equal(sd_sendq_cursor(fx->q, marker, sizeof marker), 0);
    assert_string_equal(marker, "APAC:1"); /* a refused step moves nothing */
}

static void test_prune(void **state)
{
    fx_t *fx = *state;
    sd_sendq_entry_t e[4] = {s_entry("old-sent@d", 1, "a@x"), s_entry("old-failed@d", 1, "a@x"),
                             s_entry("old-unrecorded@d", 1, "a@x"), s_entry("new@d", 1, "a@x")};
    e[3].created_at = 500;
    assert_int_equal(sd_sendq_add(fx->q, e, 4, "APAC:4", NULL), 0);
    for (int i = 0; i < 4; i++) {
        sd_sendq_entry_t got;
        assert_int_equal(sd_sendq_get(fx->q, e[i].id, &got), 0);
        got.state = i == 1 ? SD_SENDQ_FAILED : SD_SENDQ_SENT;
        got.sent_at = 10 + (uint64_t)i;
        got.recorded = i != 2;
        assert_int_equal(sd_sendq_put(fx->q, &got), 0);
        sd_sendq_entry_clear(&got);
    }
    assert_int_equal(sd_sendq_sent_to(fx->q, "a@x", 0), 3);
    size_t removed = 0;
    assert_int_equal(sd_sendq_prune(fx->q, 100, 12, &removed), 0);
    assert_int_equal(removed, 2);
    int n = 0;
    assert_int_equal(sd_sendq_list(fx->q, -1, NULL, NULL, s_count, &n), 0);
    assert_int_equal(n, 2); /* not in the history yet, and the new one, stay */
    assert_int_equal(sd_sendq_sent_to(fx->q, "a@x", 0), 2); /* counts from 12 on */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_once_with_cursor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_due_order_and_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sending_becomes_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_after_and_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
