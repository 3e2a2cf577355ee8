/* test_faults.c - the store, the journal's group commit and the backup's restore when LMDB or the
 * disk fails under them (failures injected with --wrap: faults.h).
 *
 * What must hold whatever fails: a write that returns an error left nothing of its batch in the
 * store (same digest, same applied seqs, ids and clock), the store stays usable (the next write
 * takes the seqs and ids the failed one would have), and it opens again with the same content. */
#include "faults.h"
#include "node_test.h"
#include "ticket_store.h"

#include "error.h"
#include "journal.h"
#include "store_backup.h"
#include "workflow.h"

#include <errno.h>
#include <lmdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#define T0    1760000000000ull /* a wall time in ms */
#define BATCH 3                /* tickets per batch; the first also gets a comment */

typedef struct {
    char dir[256];         /* the store's directory */
    sd_store_t *store;     /* the store */
    sd_journal_t *journal; /* HQ's journal over it */
} fx_t;

/* Opens the store in dir, and HQ's journal over it. */
static void s_open(fx_t *fx, const char *dir)
{
    assert_int_equal(sd_store_open(dir, "HQ", &fx->store), 0);
    assert_int_equal(sd_journal_open(fx->store, "HQ", &fx->journal), 0);
}

static void s_close(fx_t *fx)
{
    sd_journal_close(&fx->journal);
    sd_store_close(&fx->store);
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-faults") != 0)
        return -1;
    s_open(fx, fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_fault_clear();
    s_close(fx);
    sd_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

/* One client batch as the server makes it: BATCH new tickets, then a comment on the first, each
 * checked by the workflow and appended through the journal. */
static int s_fill(sd_journal_batch_t *batch, void *arg)
{
    char(*ids)[SD_ID_MAX + 1] = arg;
    sd_policy_t policy;
    sd_policy_default(&policy);
    sd_workflow_ctx_t ctx = {
        .site = "HQ", .policy = &policy, .now_ms = sd_journal_now(batch), .author = "ann"};
    sd_ticket_t first = {0};
    int rc = 0;
    for (int i = 0; i <= BATCH && !rc; i++) {
        sd_request_t req = {0};
        sd_event_t ev = {0};
        if (i < BATCH)
            assert_int_equal(sd_test_request(&req, SD_REQ_TICKET_NEW, "title", "Disk on fire",
                                             "requester", "bob@example.com", NULL),
                             0);
        else
            assert_int_equal(sd_test_request(&req, SD_REQ_TICKET_COMMENT, "id", ids[0], "body",
                                             "Smoke seen", NULL),
                             0);
        rc = i < BATCH ? 0 : sd_store_get_ticket(sd_journal_txn(batch), ids[0], &first);
        rc = rc ?: sd_workflow_build(&ctx, i < BATCH ? NULL : &first, &req, &ev, NULL);
        if (!rc && i < BATCH)
            rc = sd_store_next_ticket_id(sd_journal_txn(batch), ev.key);
        else if (!rc)
            strcpy(ev.key, ids[0]);
        rc = rc ?: sd_journal_append(batch, &ev, NULL);
        if (!rc && i < BATCH)
            strcpy(ids[i], ev.key);
        sd_event_clear(&ev);
        sd_request_clear(&req);
    }
    sd_ticket_clear(&first);
    return rc;
}

/* What the store holds, to compare before and after a failure. */
typedef struct {
    char digest[SD_DIGEST_BYTES * 2 + 1]; /* every record */
    uint64_t seq;                         /* HQ's events applied */
    uint64_t clock;                       /* the journal's clock */
    uint64_t tickets;                     /* tickets counted */
} s_state_t;

static s_state_t s_state(fx_t *fx)
{
    s_state_t st = {.clock = sd_journal_clock(fx->journal)};
    uint64_t counts[SD_STATUS_COUNT_];
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_digest(txn, st.digest), 0);
    assert_int_equal(sd_store_applied(txn, "HQ", &st.seq), 0);
    assert_int_equal(sd_store_count(txn, counts), 0);
    sd_store_abort(&txn);
    for (int s = 0; s < SD_STATUS_COUNT_; s++)
        st.tickets += counts[s];
    return st;
}

static void s_assert_same(const s_state_t *a, const s_state_t *b)
{
    assert_string_equal(a->digest, b->digest);
    assert_int_equal(a->seq, b->seq);
    assert_int_equal(a->clock, b->clock);
    assert_int_equal(a->tickets, b->tickets);
}

/* A batch that commits: its events take the next seqs, its tickets the next ids. */
static void s_write_ok(fx_t *fx, uint64_t first_seq, int first_id)
{
    char ids[BATCH][SD_ID_MAX + 1], want[SD_ID_MAX + 1];
    sd_journal_result_t made;
    assert_int_equal(sd_journal_write(fx->journal, T0, s_fill, ids, &made), 0);
    assert_int_equal(made.first_seq, first_seq);
    assert_int_equal(made.appended, BATCH + 1);
    snprintf(want, sizeof want, "HQ-%06d", first_id);
    assert_string_equal(ids[0], want);
}

/* The group commit fails (EIO; ENOSPC): the write returns the store's error, nothing of the
 * batch is in the store, the clock did not move, and the next batch takes the same seqs and ids. */
static void s_commit_fails(fx_t *fx, int error, int expect)
{
    s_write_ok(fx, 1, 1);
    s_state_t before = s_state(fx);
    char ids[BATCH][SD_ID_MAX + 1];
    sd_journal_result_t made = {.appended = 99};
    int fired = sd_fault_fired(SD_FAULT_COMMIT);
    sd_fault_arm(SD_FAULT_COMMIT, 1, error, false);
    assert_int_equal(sd_journal_write(fx->journal, T0 + 1000, s_fill, ids, &made), expect);
    assert_int_equal(sd_fault_fired(SD_FAULT_COMMIT), fired + 1);
    assert_int_equal(made.appended, 0);
    s_state_t after = s_state(fx);
    s_assert_same(&before, &after);

    s_write_ok(fx, BATCH + 2, BATCH + 1);
    /* The store opens again and holds exactly the two batches that committed. */
    s_state_t live = s_state(fx);
    s_close(fx);
    s_open(fx, fx->dir);
    s_state_t reopened = s_state(fx);
    s_assert_same(&live, &reopened);
    assert_int_equal(reopened.tickets, 2 * BATCH);
    assert_int_equal(reopened.seq, 2 * (BATCH + 1));
}

static void test_commit_eio_applies_nothing(void **state)
{
    s_commit_fails(*state, EIO, SD_EIO);
}

static void test_commit_enospc_applies_nothing(void **state)
{
    s_commit_fails(*state, ENOSPC, SD_EFULL);
}

/* mdb_put fails at each put of a batch in turn (an event, the vector, a record, an index entry,
 * a counter, the clock): every time the batch fails whole and leaves the store as it was. */
static void test_put_fails_anywhere_in_a_batch(void **state)
{
    fx_t *fx = *state;
    s_write_ok(fx, 1, 1);
    int calls = sd_fault_calls(SD_FAULT_PUT);
    s_write_ok(fx, BATCH + 2, BATCH + 1);
    int puts = sd_fault_calls(SD_FAULT_PUT) - calls;
    assert_true(puts > 2 * BATCH);
    s_state_t before = s_state(fx);
    for (int nth = 1; nth <= puts; nth++) {
        char ids[BATCH][SD_ID_MAX + 1];
        int fired = sd_fault_fired(SD_FAULT_PUT);
        sd_fault_arm(SD_FAULT_PUT, nth, EIO, false);
        assert_int_equal(sd_journal_write(fx->journal, T0 + 1000, s_fill, ids, NULL), SD_EIO);
        assert_int_equal(sd_fault_fired(SD_FAULT_PUT), fired + 1);
        s_state_t after = s_state(fx);
        s_assert_same(&before, &after);
    }
    sd_fault_clear();
    s_write_ok(fx, 2 * (BATCH + 1) + 1, 2 * BATCH + 1);
}

/* A full map at a put (MDB_MAP_FULL) is not a failure: the journal grows the map and redoes the
 * batch, which commits once, with the seqs, ids and stamps it would have had. */
static void test_full_map_mid_batch_is_redone(void **state)
{
    fx_t *fx = *state;
    int calls = sd_fault_calls(SD_FAULT_PUT);
    s_write_ok(fx, 1, 1);
    int puts = sd_fault_calls(SD_FAULT_PUT) - calls;
    const int at[] = {1, puts / 2, puts};
    for (int i = 0; i < 3; i++) {
        s_state_t before = s_state(fx);
        calls = sd_fault_calls(SD_FAULT_PUT);
        sd_fault_arm(SD_FAULT_PUT, at[i], MDB_MAP_FULL, false);
        s_write_ok(fx, before.seq + 1, (int)before.tickets + 1);
        /* The attempt up to the full map, then the whole batch once more. */
        assert_int_equal(sd_fault_calls(SD_FAULT_PUT) - calls, at[i] + puts);
        s_state_t after = s_state(fx);
        assert_int_equal(after.seq, before.seq + BATCH + 1);
        assert_int_equal(after.clock, before.clock + BATCH + 1); /* no hole in the stamps */
    }
}

/* ---- restoring a backup when the disk fails --------------------------------------- */

typedef struct {
    char src[300];  /* the backup */
    char dest[300]; /* the data directory restored into */
} s_backup_t;

static void s_backup(fx_t *fx, s_backup_t *b)
{
    s_write_ok(fx, 1, 1);
    char err[256] = "";
    sd_backup_info_t info;
    snprintf(b->src, sizeof b->src, "%s/backup", fx->dir);
    snprintf(b->dest, sizeof b->dest, "%s/restored", fx->dir);
    assert_int_equal(sd_backup_copy(fx->dir, b->src, &info, err, sizeof err), 0);
    assert_int_equal(info.tickets, BATCH);
}

static bool s_exists(const char *dir, const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

/* The restored store opens and holds what the live one holds. */
static void s_assert_restored(fx_t *fx, const s_backup_t *b)
{
    s_state_t live = s_state(fx);
    s_close(fx);
    s_open(fx, b->dest);
    s_state_t restored = s_state(fx);
    s_assert_same(&live, &restored);
}

/* The disk fills up (ENOSPC) or fails (EIO) while the restore copies data.mdb, at its first
 * write or part-way through: the restore says so, leaves no data.mdb and no partial copy behind,
 * and a second restore into the same directory, once the disk is fine, gives the whole store. */
static void test_restore_write_fails(void **state)
{
    fx_t *fx = *state;
    s_backup_t b;
    s_backup(fx, &b);
    const struct {
        int nth, error, expect;
    } cases[] = {
        {1, ENOSPC, SD_EFULL}, {2, ENOSPC, SD_EFULL}, {2, EIO, SD_EIO}, {4, ENOSPC, SD_EFULL}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        sd_backup_info_t info;
        /* Writes of 1 KiB, so that the copy takes several and the third is part-way. */
        sd_fault_short_writes(true);
        int calls = sd_fault_calls(SD_FAULT_WRITE);
        sd_fault_arm(SD_FAULT_WRITE, cases[i].nth, cases[i].error, false);
        assert_int_equal(sd_backup_restore(b.src, b.dest, &info, err, sizeof err), cases[i].expect);
        assert_int_equal(sd_fault_calls(SD_FAULT_WRITE) - calls, cases[i].nth);
        /* The first write is the RESTORED marker (it goes before the copy), then data.mdb's. */
        assert_non_null(strstr(err, cases[i].nth == 1 ? "RESTORED" : "data.mdb"));
        assert_false(s_exists(b.dest, "data.mdb"));
        assert_false(s_exists(b.dest, SD_STORE_PARTIAL));
        sd_fault_clear();
    }
    char err[256] = "";
    sd_backup_info_t info;
    assert_int_equal(sd_backup_restore(b.src, b.dest, &info, err, sizeof err), 0);
    assert_int_equal(info.tickets, BATCH);
    s_assert_restored(fx, &b);
}

/* Short writes (a write that takes only part of the buffer) are not failures: the restore goes
 * on writing the rest, and the copy is whole. */
static void test_restore_short_writes_are_completed(void **state)
{
    fx_t *fx = *state;
    s_backup_t b;
    s_backup(fx, &b);
    char err[256] = "";
    sd_backup_info_t info;
    int calls = sd_fault_calls(SD_FAULT_WRITE);
    sd_fault_short_writes(true);
    assert_int_equal(sd_backup_restore(b.src, b.dest, &info, err, sizeof err), 0);
    sd_fault_clear();
    assert_true(sd_fault_calls(SD_FAULT_WRITE) - calls > 1);
    s_assert_restored(fx, &b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_eio_applies_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_enospc_applies_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_fails_anywhere_in_a_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_map_mid_batch_is_redone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_write_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_short_writes_are_completed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
