/* test_kind.c - a record kind the core has never heard of goes through fold, store and digest.
 *
 * The kind here (an "asset" with a name, an owner and a state; an index by owner and a counter
 * per state) is declared in this file only, the way a new kind's own files declare it. Nothing
 * in proto/record.c, node/store/fold.c or node/store/store*.c is told about it: the store keeps
 * its records, timeline, index entries and counters from the descriptor alone. */
#include "node_test.h"

#include "fold.h"
#include "hlc.h"
#include "record.h"
#include "store.h"
#include "ticket_store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

enum { REG_CREATED, REG_OWNER, REG_STATE, REG_COUNT_ };
enum { OP_CREATE, OP_REASSIGN, OP_RETIRE, OP_COUNT_ };

typedef struct {
    char id[SD_ID_MAX + 1];
    uint64_t created_at; /* REG_CREATED */
    char *tag;           /* REG_CREATED: asset tag */
    char *owner;         /* REG_OWNER */
    int state;           /* REG_STATE: 0 in use, 1 retired */
    uint64_t updated_at;
    sd_stamp_t stamps[REG_COUNT_];
} s_asset_t;

static const char *const s_states[] = {"in_use", "retired"};
static const char *const s_ops[OP_COUNT_] = {"create", "reassign", "retire"};

#define OFF(m) offsetof(s_asset_t, m)
static const sd_field_t s_fields[] = {
    {"created_at", SD_F_U64, 0, REG_CREATED, OFF(created_at), 0, 0, NULL},
    {"tag", SD_F_STR, SD_F_LINE, REG_CREATED, OFF(tag), 0, 64, NULL},
    {"owner", SD_F_STR, SD_F_LINE, REG_OWNER, OFF(owner), 0, SD_NAME_MAX, NULL},
    {"state", SD_F_ENUM, 0, REG_STATE, OFF(state), 0, 2, s_states},
};

static int s_index(const void *record, sd_index_keys_t *keys)
{
    const s_asset_t *a = record;
    char counter[32];
    if (a->owner) {
        sd_index_begin(keys, "owner");
        sd_index_str(keys, a->owner);
        sd_index_str(keys, a->id);
    }
    snprintf(counter, sizeof counter, "state.%s", s_states[a->state]);
    sd_index_count(keys, counter);
    return keys->error;
}

static const sd_kind_t s_asset_kind = {
    .name = "asset",
    .id_counter = "asset_no",
    .id_tag = "A",
    .size = sizeof(s_asset_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = sizeof s_fields / sizeof s_fields[0],
    .nregisters = REG_COUNT_,
    .create_register = REG_CREATED,
    .ops = s_ops,
    .nops = OP_COUNT_,
    .set_op = -1,
    .index = s_index,
};

static uint64_t s_mask(int reg)
{
    return sd_kind_register_mask(&s_asset_kind, reg);
}

typedef struct {
    char dir[128];
    sd_store_t *store;
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-kind") != 0 ||
        sd_store_open(fx->dir, "HQ", &fx->store) != 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_store_close(&fx->store);
    sd_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

/* Makes and applies one asset event of HQ with seq and a given owner / state. */
static void s_apply(fx_t *fx, const char *id, uint64_t seq, int op, const char *owner, int state)
{
    sd_event_t ev = {0};
    assert_int_equal(sd_event_start(&ev, &s_asset_kind, op), 0);
    strcpy(ev.origin, "HQ");
    ev.seq = seq;
    ev.hlc = ((1700000000000ull + seq) << 16);
    strcpy(ev.key, id);
    strcpy(ev.author, "admin");
    s_asset_t *f = ev.fields;
    if (op == OP_CREATE) {
        ev.mask = s_mask(REG_CREATED) | s_mask(REG_OWNER) | s_mask(REG_STATE);
        f->created_at = 1700000000000ull;
        f->tag = strdup("LT-0042");
    } else {
        ev.mask = op == OP_REASSIGN ? s_mask(REG_OWNER) : s_mask(REG_STATE);
    }
    f->owner = owner ? strdup(owner) : NULL;
    f->state = state;
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    assert_int_equal(sd_store_apply(txn, &ev), 0);
    assert_int_equal(sd_store_commit(&txn), 0);
    sd_event_clear(&ev);
}

static int s_count_event(const void *event, size_t len, void *arg)
{
    (void)event, (void)len;
    (*(int *)arg)++;
    return 0;
}

static void test_new_kind_through_the_store(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1], before[65], after[65];
    sd_store_txn_t *txn;

    /* Ids come from the kind's own counter and tag. */
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    assert_int_equal(sd_store_next_id(txn, &s_asset_kind, id), 0);
    assert_int_equal(sd_store_commit(&txn), 0);
    assert_string_equal(id, "HQ-A-000001");

    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_digest(txn, before), 0);
    sd_store_abort(&txn);

    s_apply(fx, id, 1, OP_CREATE, "ann", 0);
    s_apply(fx, id, 2, OP_REASSIGN, "bob", 0);
    s_apply(fx, id, 3, OP_RETIRE, NULL, 1);

    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    s_asset_t a = {0};
    assert_int_equal(sd_store_get_record(txn, &s_asset_kind, id, &a), 0);
    assert_true(sd_record_exists(&s_asset_kind, &a));
    assert_string_equal(a.tag, "LT-0042");
    assert_string_equal(a.owner, "bob"); /* the retire event did not write the owner register */
    assert_int_equal(a.state, 1);
    assert_int_equal(a.updated_at, 1700000000003ull);
    sd_record_clear(&s_asset_kind, &a);

    /* Its timeline holds its three events, in clock order. */
    int n = 0;
    assert_int_equal(sd_store_timeline(txn, &s_asset_kind, id, s_count_event, &n), 0);
    assert_int_equal(n, 3);

    /* Counters follow the record: one retired asset, none in use. */
    uint64_t in_use = 9, retired = 9;
    assert_int_equal(sd_store_counter(txn, &s_asset_kind, "state.in_use", &in_use), 0);
    assert_int_equal(sd_store_counter(txn, &s_asset_kind, "state.retired", &retired), 0);
    assert_int_equal(in_use, 0);
    assert_int_equal(retired, 1);

    /* A ticket of the same id is another record: kinds do not collide. */
    sd_ticket_t t = {0};
    assert_int_equal(sd_store_get_ticket(txn, id, &t), SD_ENOTFOUND);

    /* The digest covers it. */
    assert_int_equal(sd_store_digest(txn, after), 0);
    assert_string_not_equal(before, after);
    sd_store_abort(&txn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_kind_through_the_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
