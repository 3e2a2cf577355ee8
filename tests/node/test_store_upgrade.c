/* test_store_upgrade.c - a schema-2 store (tests/node/data/store-v2, written by the code of that
 * schema) is upgraded on open by replaying its log, and ends up exactly where a fresh store that
 * applied the same events is: same digest, same tickets, same counters. */
#include "node_test.h"

#include "store.h"
#include "ticket_store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

typedef struct {
    char dir[128];       /* temporary directory */
    char upgraded[200];  /* the fixture's copy, upgraded */
    char fresh[200];     /* a new store fed the fixture's events */
    sd_store_t *old;     /* the upgraded store */
    sd_store_t *replay;  /* the fresh one */
    sd_store_txn_t *txn; /* write transaction on the fresh store */
    int rc;              /* first apply error */
} fx_t;

/* Copies the fixture's data.mdb into dir. */
static void s_copy_fixture(const char *dir)
{
    char src[512], dst[512], cmd[1200];
    snprintf(src, sizeof src, "%s/store-v2/data.mdb", SD_TEST_DATA);
    snprintf(dst, sizeof dst, "%s/data.mdb", dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", src, dst);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-upgrade") != 0)
        return -1;
    snprintf(fx->upgraded, sizeof fx->upgraded, "%s/upgraded", fx->dir);
    snprintf(fx->fresh, sizeof fx->fresh, "%s/fresh", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_store_close(&fx->old);
    sd_store_close(&fx->replay);
    sd_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

static int s_apply_bytes(const void *bytes, size_t len, void *arg)
{
    fx_t *fx = arg;
    sd_event_t ev = {0};
    int rc = sd_event_decode(bytes, len, &ev, NULL);
    rc = rc ?: sd_store_apply(fx->txn, &ev);
    sd_event_clear(&ev);
    return fx->rc = rc;
}

static void s_digest(sd_store_t *store, char hex[65])
{
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_begin(store, false, &txn), 0);
    assert_int_equal(sd_store_digest(txn, hex), 0);
    sd_store_abort(&txn);
}

static void test_upgrade_equals_replay(void **state)
{
    fx_t *fx = *state;
    s_copy_fixture(fx->upgraded);
    assert_int_equal(sd_store_open(fx->upgraded, "APAC", &fx->old), 0);

    /* The log and vector are kept: feed every origin's events to a fresh store. */
    sd_vector_t v;
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_begin(fx->old, false, &txn), 0);
    assert_int_equal(sd_store_vector(txn, &v), 0);
    assert_int_equal(v.count, 2); /* APAC and HUB */
    assert_int_equal(sd_store_open(fx->fresh, "APAC", &fx->replay), 0);
    assert_int_equal(sd_store_begin(fx->replay, true, &fx->txn), 0);
    for (size_t i = 0; i < v.count; i++)
        assert_int_equal(
            sd_store_events_from(txn, v.entries[i].origin, 1, SIZE_MAX, s_apply_bytes, fx), 0);
    assert_int_equal(sd_store_commit(&fx->txn), 0);

    /* The upgraded store's tickets and counters are the replayed ones. */
    uint64_t counts_old[SD_STATUS_COUNT_], counts_new[SD_STATUS_COUNT_], b_old, b_new;
    assert_int_equal(sd_store_count(txn, counts_old), 0);
    assert_int_equal(sd_store_sla_breaches(txn, &b_old), 0);
    sd_store_abort(&txn);
    assert_int_equal(sd_store_begin(fx->replay, false, &txn), 0);
    assert_int_equal(sd_store_count(txn, counts_new), 0);
    assert_int_equal(sd_store_sla_breaches(txn, &b_new), 0);
    sd_store_abort(&txn);
    assert_memory_equal(counts_old, counts_new, sizeof counts_old);
    assert_int_equal(b_old, b_new);
    uint64_t total = 0;
    for (int s = 0; s < SD_STATUS_COUNT_; s++)
        total += counts_old[s];
    assert_int_equal(total, 7); /* the fixture's tickets */

    char a[65], b[65];
    s_digest(fx->old, a);
    s_digest(fx->replay, b);
    assert_string_equal(a, b);

    /* Opening again finds schema 3: nothing is replayed twice, the state stays. */
    sd_store_close(&fx->old);
    assert_int_equal(sd_store_open(fx->upgraded, "APAC", &fx->old), 0);
    s_digest(fx->old, b);
    assert_string_equal(a, b);

    /* New ids continue after the fixture's. */
    char id[SD_ID_MAX + 1];
    assert_int_equal(sd_store_begin(fx->old, true, &txn), 0);
    assert_int_equal(sd_store_next_ticket_id(txn, id), 0);
    sd_store_abort(&txn);
    assert_string_equal(id, "APAC-000006");
}

/* A schema-2 store of another site is still refused, not upgraded. */
static void test_upgrade_keeps_site_check(void **state)
{
    fx_t *fx = *state;
    s_copy_fixture(fx->upgraded);
    assert_int_equal(sd_store_open(fx->upgraded, "EMEA", &fx->old), SD_ECONFIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_upgrade_equals_replay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_keeps_site_check, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
