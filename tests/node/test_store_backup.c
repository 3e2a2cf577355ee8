/* test_store_backup.c - hot backups of a store another process has open, their restore, and what a
 * restored store needs to rejoin: its own later events applied from a peer and fresh ids. */
#include "store_backup.h"
#include "ticket_store.h"
#include "store_fixture.h"

#include <sys/stat.h>

/* Backs up fx's store from a child process, as the CLI does beside a running
 * node (LMDB must not open one environment twice in one process). */
static int s_backup_in_child(fx_t *fx, const char *dest, sd_backup_info_t *info)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char err[512];
        sd_backup_info_t got = {0};
        int rc = sd_backup_copy(fx->dir, dest, &got, err, sizeof err);
        if (rc)
            fprintf(stderr, "backup: %s\n", err);
        ssize_t n = write(fds[1], &got, sizeof got);
        _exit(rc == 0 && n == (ssize_t)sizeof got ? 0 : 1);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], info, sizeof *info);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && n == (ssize_t)sizeof *info ? 0 : -1;
}

typedef struct {
    sd_store_txn_t *txn; /* where to apply */
    int applied;         /* how many were applied */
} s_apply_t;

static int s_apply_one(const void *event, size_t len, void *arg)
{
    s_apply_t *a = arg;
    sd_event_t ev = {0};
    assert_int_equal(sd_event_decode(event, len, &ev, NULL), 0);
    int rc = sd_store_apply(a->txn, &ev);
    sd_event_clear(&ev);
    a->applied += rc == 0;
    return rc;
}

/* Applies to txn the events of origin from seq `from` on held by source. */
static int s_apply_from(sd_store_t *source, sd_store_txn_t *txn, const char *origin, uint64_t from)
{
    sd_store_txn_t *read;
    s_apply_t a = {.txn = txn};
    assert_int_equal(sd_store_begin(source, false, &read), 0);
    assert_int_equal(sd_store_events_from(read, origin, from, 1000, s_apply_one, &a), 0);
    sd_store_abort(&read);
    return a.applied;
}

static void test_backup_restore_and_rejoin(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1], backup[300], restored[300], hex_live[65], hex_restored[65];
    sd_store_txn_t *txn;
    sd_backup_info_t info = {0};
    snprintf(backup, sizeof backup, "%s/backup", fx->dir);
    snprintf(restored, sizeof restored, "%s/restored", fx->dir);

    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    s_new(fx, txn, id, "bob@example.com", "2", "2");
    s_ack_assign(fx, txn, id, "carol");
    assert_int_equal(sd_store_commit(&txn), 0);
    assert_int_equal(s_backup_in_child(fx, backup, &info), 0);
    assert_string_equal(info.site, "HQ");
    assert_int_equal(info.tickets, 1);
    assert_int_equal(info.events, 3);
    assert_true(info.bytes > 0);

    /* After the backup: two more tickets, so HQ-000002 and -000003 exist. */
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    s_new(fx, txn, id, "dan@example.com", "1", "1");
    s_new(fx, txn, id, "eve@example.com", "3", "3");
    assert_int_equal(sd_store_commit(&txn), 0);
    assert_string_equal(id, "HQ-000003");

    char err[512];
    assert_int_equal(sd_backup_restore(backup, restored, &info, err, sizeof err), 0);
    assert_true(sd_backup_restoring(restored));
    assert_int_equal(sd_backup_restore(backup, restored, &info, err, sizeof err), SD_EDUPLICATE);
    assert_non_null(strstr(err, "already holds a store"));

    /* The restored store takes back HQ's later events from a peer, as
     * replication does, and then hands out ids after them. */
    sd_store_t *back = NULL;
    assert_int_equal(sd_store_open(restored, "HQ", &back), 0);
    assert_int_equal(sd_store_begin(back, true, &txn), 0);
    assert_int_equal(s_apply_from(fx->store, txn, "HQ", 4), 2);
    assert_int_equal(sd_store_commit(&txn), 0);
    s_digest(fx->store, hex_live);
    s_digest(back, hex_restored);
    assert_string_equal(hex_live, hex_restored);
    assert_int_equal(sd_store_begin(back, true, &txn), 0);
    assert_int_equal(sd_store_next_ticket_id(txn, id), 0);
    assert_string_equal(id, "HQ-000004");
    sd_store_abort(&txn);
    sd_store_close(&back);

    assert_int_equal(sd_backup_restore_done(restored), 0);
    assert_false(sd_backup_restoring(restored));
}

static void test_refusals(void **state)
{
    fx_t *fx = *state;
    char err[512], path[300], target[300];
    sd_backup_info_t info;
    snprintf(path, sizeof path, "%s/empty", fx->dir);
    snprintf(target, sizeof target, "%s/target", fx->dir);
    mkdir(path, 0700);
    assert_int_equal(sd_backup_copy(path, target, &info, err, sizeof err), SD_ENOTFOUND);
    assert_non_null(strstr(err, "no store in"));
    assert_int_equal(sd_backup_restore(path, target, &info, err, sizeof err), SD_ENOTFOUND);
    /* Not a sundesk store: an LMDB file of something else. */
    snprintf(path, sizeof path, "%s/other", fx->dir);
    mkdir(path, 0700);
    snprintf(target, sizeof target, "%s/other/data.mdb", fx->dir);
    FILE *f = fopen(target, "w");
    assert_non_null(f);
    fputs("not an LMDB file at all, just some text that is long enough", f);
    fclose(f);
    snprintf(target, sizeof target, "%s/target", fx->dir);
    assert_int_not_equal(sd_backup_restore(path, target, &info, err, sizeof err), 0);
    assert_false(sd_backup_restoring(target));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backup_restore_and_rejoin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
