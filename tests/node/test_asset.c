/* test_asset.c - the asset kind in the store: two sites that move one asset at once, to two
 * customers at two sites, converge on one move whole (owner and site are one last-writer-wins
 * register) in every store, whatever order the events arrive in, with the same "owner" index
 * entries and the same state digest; and the shape checks of tags, customer ids and dates. */
#include "node_test.h"

#include "asset.h"
#include "digest.h"
#include "error.h"
#include "event.h"
#include "record.h"
#include "store.h"
#include "ticket.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define T0      1700000000000ull
#define MINUTE  (60ull * 1000)
#define NEVENTS 4

/* An asset event on LT-0042 made at (ms, origin, seq): the registers regs, from zero. */
static void s_event(sd_event_t *ev, int op, uint64_t ms, const char *origin, uint64_t seq)
{
    assert_int_equal(sd_event_start(ev, &sd_kind_asset, op), 0);
    snprintf(ev->origin, sizeof ev->origin, "%s", origin);
    snprintf(ev->key, sizeof ev->key, "LT-0042");
    snprintf(ev->author, sizeof ev->author, "carol");
    ev->seq = seq;
    ev->hlc = ms << 16;
}

/* A move: owner and site, written together. */
static void s_move(sd_event_t *ev, uint64_t ms, const char *origin, uint64_t seq, const char *owner,
                   const char *site)
{
    s_event(ev, SD_AOP_UPDATE, ms, origin, seq);
    ev->mask |= sd_kind_register_mask(&sd_kind_asset, SD_AREG_PLACE);
    sd_event_asset(ev)->owner = strdup(owner);
    sd_event_asset(ev)->site = strdup(site);
}

/* The story: HQ makes the laptop for HQ-C-000001; APAC and EMEA, each not having seen the other,
 * move it in the same millisecond to a customer of theirs; APAC then sends it to repair. */
static void s_story(sd_event_t ev[NEVENTS])
{
    s_event(&ev[0], SD_AOP_CREATE, T0, "HQ", 1);
    ev[0].mask = sd_kind_all_fields(&sd_kind_asset);
    sd_asset_t *a = sd_event_asset(&ev[0]);
    a->created_at = T0;
    a->origin_site = strdup("HQ");
    a->kind = strdup("laptop");
    a->serial = strdup("PF-3X9K2");
    a->owner = strdup("HQ-C-000001");
    a->site = strdup("HQ");
    a->status = SD_ASSET_IN_USE;
    s_move(&ev[1], T0 + MINUTE, "APAC", 1, "APAC-C-000007", "APAC");
    s_move(&ev[2], T0 + MINUTE, "EMEA", 1, "EMEA-C-000002", "EMEA");
    s_event(&ev[3], SD_AOP_UPDATE, T0 + 2 * MINUTE, "APAC", 2);
    ev[3].mask |= sd_kind_register_mask(&sd_kind_asset, SD_AREG_STATUS);
    sd_event_asset(&ev[3])->status = SD_ASSET_REPAIR;
}

static int s_apply_one(sd_store_txn_t *txn, void *arg)
{
    return sd_store_apply(txn, arg);
}

static int s_count_entry(const char *rest, size_t len, void *arg)
{
    (void)len;
    assert_string_equal(rest, "LT-0042");
    (*(int *)arg)++;
    return 0;
}

/* How many "owner" index entries customer has. */
static int s_owned(sd_store_txn_t *txn, const char *customer)
{
    int n = 0;
    assert_int_equal(
        sd_store_index_find(txn, &sd_kind_asset, SD_ASSET_INDEX_OWNER, customer, s_count_entry, &n),
        0);
    return n;
}

/* A store in dir gets the events in order; returns its state digest in hex. */
static void s_replay(const char *dir, sd_event_t ev[NEVENTS], const int order[NEVENTS],
                     char hex[SD_DIGEST_BYTES * 2 + 1])
{
    sd_store_t *store = NULL;
    assert_int_equal(sd_store_open(dir, "SIN", &store), 0);
    for (int i = 0; i < NEVENTS; i++)
        assert_int_equal(sd_store_write(store, s_apply_one, NULL, &ev[order[i]]), 0);
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(store, false, &txn), 0);
    sd_asset_t a = {0};
    assert_int_equal(sd_store_get_record(txn, &sd_kind_asset, "LT-0042", &a), 0);
    assert_true(sd_record_exists(&sd_kind_asset, &a));
    /* The later move by (hlc, origin) wins whole: EMEA's, owner and site together. */
    assert_string_equal(a.owner, "EMEA-C-000002");
    assert_string_equal(a.site, "EMEA");
    assert_int_equal(a.status, SD_ASSET_REPAIR); /* another register: APAC's change stays */
    assert_string_equal(a.kind, "laptop");
    assert_int_equal(s_owned(txn, "EMEA-C-000002"), 1);
    assert_int_equal(s_owned(txn, "APAC-C-000007"), 0);
    assert_int_equal(s_owned(txn, "HQ-C-000001"), 0);
    assert_int_equal(sd_store_digest(txn, hex), 0);
    sd_store_abort(&txn);
    sd_record_clear(&sd_kind_asset, &a);
    sd_store_close(&store);
}

static void test_concurrent_moves_converge(void **state)
{
    (void)state;
    /* Orders a replica may see (each origin's own events stay in seq order): the create first
     * or last, either move first. */
    static const int orders[][NEVENTS] = {
        {0, 1, 3, 2}, {0, 2, 1, 3}, {2, 1, 3, 0}, {1, 2, 0, 3}, {1, 3, 2, 0}};
    sd_event_t ev[NEVENTS] = {0};
    s_story(ev);
    char first[SD_DIGEST_BYTES * 2 + 1] = "";
    for (size_t o = 0; o < sizeof orders / sizeof orders[0]; o++) {
        char dir[256], hex[SD_DIGEST_BYTES * 2 + 1];
        assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-asset"), 0);
        s_replay(dir, ev, orders[o], hex);
        sd_test_rmtree(dir);
        if (o == 0)
            memcpy(first, hex, sizeof first);
        else
            assert_string_equal(hex, first);
    }
    for (int i = 0; i < NEVENTS; i++)
        sd_event_clear(&ev[i]);
}

/* A ticket stored before tickets had the assets and vendor registers (its stamps stop at the
 * sla register) loads, without them; one stamp too many is corrupt. */
static void test_ticket_stored_before_assets_loads(void **state)
{
    (void)state;
    sd_kind_t before = sd_kind_ticket; /* the kind as it was: unregistered, masks worked out anew */
    before.nregisters = SD_REG_ASSETS;
    before.nfields = (size_t)(sd_kind_field(&sd_kind_ticket, "assets") - sd_kind_ticket.fields);
    sd_ticket_t t = {.id = "APAC-000001",
                     .title = strdup("old"),
                     .requester = strdup("ann"),
                     .impact = 2,
                     .urgency = 2};
    for (int r = 0; r < SD_REG_ASSETS; r++)
        t.stamps[r].hlc = T0 << 16;
    for (int pass = 0; pass < 2; pass++) {
        sd_mp_writer_t *w = sd_mp_writer_new();
        sd_record_encode(pass ? &sd_kind_ticket : &before, &t, true, w);
        size_t len;
        const void *bytes = sd_mp_writer_data(w, &len);
        sd_mp_doc_t *doc = NULL;
        assert_int_equal(sd_mp_doc_parse(bytes, len, &doc), 0);
        sd_ticket_t back = {0};
        sd_fault_t fault;
        /* pass 0: the old record now; pass 1: a record of today read by the old kind */
        int rc =
            sd_record_decode(pass ? &before : &sd_kind_ticket, sd_mp_doc_root(doc), &back, &fault);
        if (rc != (pass ? SD_ECORRUPT : 0))
            fail_msg("pass %d: %d %s", pass, rc, fault.text);
        if (!pass) {
            assert_string_equal(back.title, "old");
            assert_null(back.assets);
            assert_int_equal(back.stamps[SD_REG_VENDOR].hlc, 0);
        }
        sd_ticket_clear(&back);
        sd_mp_doc_destroy(&doc);
        sd_mp_writer_destroy(&w);
    }
    sd_ticket_clear(&t);
}

static void test_shapes(void **state)
{
    (void)state;
    sd_fault_t fault;
    assert_int_equal(sd_asset_tag_check("LT-0042", "args.id", &fault), 0);
    assert_int_equal(sd_asset_tag_check("srv_01.sha", "args.id", &fault), 0);
    assert_int_equal(sd_asset_tag_check("LT 0042", "args.id", &fault), SD_ERANGE);
    assert_int_equal(sd_asset_tag_check("", "args.id", &fault), SD_ERANGE);
    assert_int_equal(sd_asset_tag_check("A23456789012345678901234567890123", "args.id", &fault),
                     SD_ERANGE);
    assert_int_equal(sd_asset_tags_check("LT-0042, PH-0007", "args.assets", &fault), 0);
    assert_int_equal(sd_asset_tags_check("", "args.assets", &fault), 0);
    assert_int_equal(sd_asset_tags_check("LT-0042,,", "args.assets", &fault), SD_ERANGE);
    assert_int_equal(sd_asset_tags_check("LT-0042,bad/tag", "args.assets", &fault), SD_ERANGE);
    assert_true(sd_customer_id_shape("APAC-C-000001"));
    assert_true(sd_customer_id_shape("EU-WEST-C-1234567"));
    assert_false(sd_customer_id_shape("APAC-000001")); /* a ticket id */
    assert_false(sd_customer_id_shape("APAC-C-0001"));
    assert_false(sd_customer_id_shape("apac-C-000001"));
    assert_false(sd_customer_id_shape("-C-000001"));
    assert_true(sd_asset_date_valid("2027-03-31"));
    assert_false(sd_asset_date_valid("2027-13-01"));
    assert_false(sd_asset_date_valid("31/03/2027"));
    assert_false(sd_asset_date_valid("2027-3-31"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_moves_converge),
        cmocka_unit_test(test_ticket_stored_before_assets_loads),
        cmocka_unit_test(test_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
