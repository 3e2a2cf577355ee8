/* test_customer.c - the customer kind's merge under concurrency: edits made at two sites while
 * one of them merges the customer keep both, every arrival order of the same events folds to
 * byte-identical customers (node/store/fold.c), and merges made at the same time at two sites
 * into each other resolve to the same survivor everywhere (sd_customer_resolve). */
#include "customer.h"
#include "error.h"
#include "event.h"
#include "fold.h"
#include "record.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define T0 1700000000000ull
#define N  4 /* events of a scenario (every order of them is folded) */

/* An event of op on customer id at (ms, origin, seq) writing register reg with value (a
 * string field `field`, or merged_into for a merge). */
static void s_event(sd_event_t *ev, const char *id, int op, int reg, const char *field,
                    const char *value, uint64_t ms, const char *origin, uint64_t seq)
{
    assert_int_equal(sd_event_start(ev, &sd_kind_customer, op), 0);
    snprintf(ev->origin, sizeof ev->origin, "%s", origin);
    snprintf(ev->key, sizeof ev->key, "%s", id);
    snprintf(ev->author, sizeof ev->author, "li");
    ev->seq = seq;
    ev->hlc = ms << 16;
    ev->mask |= sd_kind_register_mask(&sd_kind_customer, reg);
    sd_customer_t *f = sd_event_customer(ev);
    if (op == SD_COP_CREATE) {
        f->created_at = ms;
        f->origin_site = strdup(origin);
        ev->mask |= sd_kind_register_mask(&sd_kind_customer, SD_CREG_CREATED);
    }
    const sd_field_t *fd = sd_kind_field(&sd_kind_customer, field);
    assert_non_null(fd);
    *(char **)((char *)f + fd->offset) = strdup(value);
}

/* Folds events (in the order of idx) into a fresh customer; returns it encoded (heap). */
static char *s_fold(sd_event_t *events, const int *idx, int n, size_t *len, sd_customer_t *out)
{
    sd_customer_t *c = sd_record_new(&sd_kind_customer);
    for (int i = 0; i < n; i++)
        assert_int_equal(sd_fold_apply(c, &events[idx[i]]), 0);
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_record_encode(&sd_kind_customer, c, true, w);
    const void *data = sd_mp_writer_data(w, len);
    char *copy = malloc(*len);
    memcpy(copy, data, *len);
    sd_mp_writer_destroy(&w);
    if (out)
        sd_fields_copy(sd_kind_customer.fields, sd_kind_customer.nfields, out, c, ~0ull);
    sd_record_destroy(&sd_kind_customer, (void **)&c);
    return copy;
}

/* Every order of the N events folds to the same bytes; *final gets the result. */
static void s_all_orders_equal(sd_event_t *events, sd_customer_t *final)
{
    int idx[N] = {0, 1, 2, 3}, c[N] = {0}, perms = 0;
    size_t first_len = 0;
    char *first = NULL;
    for (int i = 0;;) { /* Heap's algorithm */
        size_t len;
        char *bytes = s_fold(events, idx, N, &len, perms == 0 ? final : NULL);
        if (!first) {
            first = bytes, first_len = len;
        } else {
            assert_int_equal(len, first_len);
            assert_memory_equal(bytes, first, len);
            free(bytes);
        }
        perms++;
        while (i < N && c[i] >= i)
            c[i++] = 0;
        if (i >= N)
            break;
        int j = i % 2 ? c[i] : 0, t = idx[j];
        idx[j] = idx[i], idx[i] = t;
        c[i]++;
        i = 0;
    }
    free(first);
    assert_int_equal(perms, 24);
}

static void s_clear(sd_event_t *events)
{
    for (int i = 0; i < N; i++)
        sd_event_clear(&events[i]);
}

/* APAC renames the customer and then merges it into C2; EMEA, not having seen either, changes
 * its phones and its notes. Every order: the merge and all three edits are kept. */
static void test_merge_keeps_concurrent_edits(void **state)
{
    (void)state;
    sd_event_t ev[N] = {0};
    const char *id = "HUB-C-000001";
    s_event(&ev[0], id, SD_COP_CREATE, SD_CREG_NAME, "name", "Wang Fang", T0, "HUB", 1);
    s_event(&ev[1], id, SD_COP_UPDATE, SD_CREG_NAME, "name", "Wang Fang (Finance)", T0 + 1000,
            "APAC", 1);
    s_event(&ev[2], id, SD_COP_MERGE, SD_CREG_MERGED, "merged_into", "HUB-C-000002", T0 + 2000,
            "APAC", 2);
    s_event(&ev[3], id, SD_COP_UPDATE, SD_CREG_PHONES, "phones", "021 5555 0101", T0 + 1500, "EMEA",
            1);
    sd_customer_t final = {0};
    s_all_orders_equal(ev, &final);
    assert_string_equal(final.merged_into, "HUB-C-000002");
    assert_string_equal(final.name, "Wang Fang (Finance)");
    assert_string_equal(final.phones, "021 5555 0101");
    sd_record_clear(&sd_kind_customer, &final);
    s_clear(ev);
}

/* Two sites merge the same duplicate into different customers at the same time: the later
 * merge (by clock, then origin) wins in every order. */
static void test_concurrent_merges_of_one_customer_converge(void **state)
{
    (void)state;
    sd_event_t ev[N] = {0};
    const char *id = "HUB-C-000003";
    s_event(&ev[0], id, SD_COP_CREATE, SD_CREG_NAME, "name", "Li Na", T0, "HUB", 1);
    s_event(&ev[1], id, SD_COP_MERGE, SD_CREG_MERGED, "merged_into", "HUB-C-000001", T0 + 3000,
            "APAC", 1);
    s_event(&ev[2], id, SD_COP_MERGE, SD_CREG_MERGED, "merged_into", "HUB-C-000002", T0 + 3000,
            "EMEA", 1);
    s_event(&ev[3], id, SD_COP_UPDATE, SD_CREG_NOTES, "notes", "VIP since 2024", T0 + 2000, "AMER",
            1);
    sd_customer_t final = {0};
    s_all_orders_equal(ev, &final);
    assert_string_equal(final.merged_into, "HUB-C-000002"); /* same clock: EMEA > APAC */
    assert_string_equal(final.notes, "VIP since 2024");
    sd_record_clear(&sd_kind_customer, &final);
    s_clear(ev);
}

/* ---- survivors ------------------------------------------------------------------------------ */

/* What a node holds: id -> merged_into ("" for a survivor; NULL id ends the table). */
typedef struct {
    const char *id, *into;
} s_link_t;

static int s_merged(const char *id, char *into, void *arg)
{
    for (const s_link_t *l = arg; l->id; l++) {
        if (!strcmp(l->id, id)) {
            snprintf(into, SD_ID_MAX + 1, "%s", l->into);
            return 0;
        }
    }
    return SD_ENOTFOUND;
}

static void s_survives(const s_link_t *links, const char *from, const char *want)
{
    char out[SD_ID_MAX + 1];
    assert_int_equal(sd_customer_resolve(from, s_merged, (void *)links, out), 0);
    assert_string_equal(out, want);
}

/* APAC merged C1 into C2 while EMEA merged C2 into C1: once both events are everywhere, both
 * ids lead to C1 (the smallest of the cycle) at every node, whichever id is asked. */
static void test_cross_merges_resolve_to_the_smallest_id(void **state)
{
    (void)state;
    const s_link_t both[] = {
        {"EMEA-C-000001", "APAC-C-000007"}, {"APAC-C-000007", "EMEA-C-000001"}, {NULL, NULL}};
    s_survives(both, "EMEA-C-000001", "APAC-C-000007");
    s_survives(both, "APAC-C-000007", "APAC-C-000007");
    /* A longer cycle, entered from outside it. */
    const s_link_t ring[] = {{"X-C-000009", "X-C-000005"},
                             {"X-C-000005", "X-C-000007"},
                             {"X-C-000007", "X-C-000006"},
                             {"X-C-000006", "X-C-000005"},
                             {NULL, NULL}};
    s_survives(ring, "X-C-000009", "X-C-000005");
    s_survives(ring, "X-C-000006", "X-C-000005");
    /* A chain ends at its survivor; a customer not merged is its own. */
    const s_link_t chain[] = {{"A-C-000001", "A-C-000002"},
                              {"A-C-000002", "A-C-000003"},
                              {"A-C-000003", ""},
                              {NULL, NULL}};
    s_survives(chain, "A-C-000001", "A-C-000003");
    s_survives(chain, "A-C-000003", "A-C-000003");
    /* A merge into a customer this node has not received yet: not found, not a guess. */
    const s_link_t early[] = {{"A-C-000001", "B-C-000001"}, {NULL, NULL}};
    char out[SD_ID_MAX + 1];
    assert_int_equal(sd_customer_resolve("A-C-000001", s_merged, (void *)early, out), SD_ENOTFOUND);
}

/* The index entries a customer is in: each e-mail lower-cased, each E.164 number, the linked
 * user, the merge target and the name. */
static void test_index_entries(void **state)
{
    (void)state;
    sd_customer_t c = {.name = "Wang Fang",
                       .emails = "Wang.Fang@Example.com, wf@corp.cn",
                       .phones_e164 = "+862155550101,+8613800138000",
                       .user = "wang",
                       .merged_into = "HUB-C-000002"};
    snprintf(c.id, sizeof c.id, "HUB-C-000001");
    sd_index_keys_t keys = {0};
    assert_int_equal(sd_kind_customer.index(&c, &keys), 0);
    const char *want[] = {"email\0wang.fang@example.com\0HUB-C-000001",
                          "email\0wf@corp.cn\0HUB-C-000001",
                          "phone\0+862155550101\0HUB-C-000001",
                          "phone\0+8613800138000\0HUB-C-000001",
                          "user\0wang\0HUB-C-000001",
                          "merged\0HUB-C-000002\0HUB-C-000001",
                          "name\0wang fang\0HUB-C-000001"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        size_t len = 0; /* three NUL-terminated parts */
        for (int part = 0; part < 3; part++)
            len += strlen(want[i] + len) + 1;
        if (!sd_index_has(&keys, SD_INDEX_ENTRY, (const uint8_t *)want[i], len))
            fail_msg("no entry %zu (%s)", i, want[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_keeps_concurrent_edits),
        cmocka_unit_test(test_concurrent_merges_of_one_customer_converge),
        cmocka_unit_test(test_cross_merges_resolve_to_the_smallest_id),
        cmocka_unit_test(test_index_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
