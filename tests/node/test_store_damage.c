/* test_store_damage.c - damaged store files (cut short at several points, empty, garbage, a
 * meta that claims pages the file lacks) give one clean line from the check, from
 * sd_store_open, from a restore and from the start-up check, and never SIGBUS; copies are 0600
 * under any umask and a partial one is never taken for a store; and a file short only by free
 * pages, which LMDB itself leaves, is accepted exactly when LMDB can read all of it.
 *
 * The test builds files with LMDB directly: the healthy short file needs pages freed in one
 * place, which the store's API (events only append) does not give. */
#include "store_backup.h"
#include "store_check.h"
#include "store_fixture.h"

#include <fcntl.h>
#include <lmdb.h>
#include <signal.h>
#include <sys/stat.h>

/* Where LMDB 0.9 keeps a meta's fields (mdb.c: MDB_page header, then MDB_meta: magic,
 * version, address, mapsize, two MDB_db of a u32, two u16 and five size_t, last_pg). */
#define PAGE_HEAD    (sizeof(size_t) + 8)
#define META_FLAGS   (sizeof(size_t) + 2)
#define META_VERSION (PAGE_HEAD + 4)
#define META_PSIZE   (PAGE_HEAD + 8 + sizeof(void *) + sizeof(size_t))
#define META_LAST_PG (META_PSIZE + 2 * (8 + 5 * sizeof(size_t)))

/* The bytes of a whole store: fx's, with some tickets, closed. */
typedef struct {
    uint8_t *bytes; /* the file */
    size_t len;     /* its length */
    unsigned psize; /* its page size */
} s_file_t;

static void s_read_file(const char *path, s_file_t *f)
{
    struct stat st;
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0 && fstat(fd, &st) == 0);
    f->len = (size_t)st.st_size;
    f->bytes = malloc(f->len);
    assert_non_null(f->bytes);
    assert_int_equal(read(fd, f->bytes, f->len), (ssize_t)f->len);
    close(fd);
    uint32_t psize;
    memcpy(&psize, f->bytes + META_PSIZE, 4);
    f->psize = psize;
}

/* Writes len bytes into DIR/NAME/data.mdb (NAME made 0700) and the path into path. */
static void s_write_store(fx_t *fx, const char *name, const void *bytes, size_t len, char path[512])
{
    snprintf(path, 512, "%s/%s", fx->dir, name);
    assert_int_equal(mkdir(path, 0700), 0);
    strcat(path, "/data.mdb");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, len), (ssize_t)len);
    close(fd);
}

/* A backup of fx's store with 40 tickets, read into *f: compacted, so every page of it is in
 * use and any cut loses some (a live store may end in free pages: test_free_tail). */
static void s_whole_store(fx_t *fx, s_file_t *f)
{
    char id[SD_ID_MAX + 1], path[300], err[1024];
    sd_store_txn_t *txn;
    sd_backup_info_t info;
    for (int i = 0; i < 40; i++) {
        assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
        s_new(fx, txn, id, "bob@example.com", "2", "2");
        assert_int_equal(sd_store_commit(&txn), 0);
    }
    sd_store_close(&fx->store); /* one process maps one environment once */
    snprintf(path, sizeof path, "%s/backup", fx->dir);
    assert_int_equal(sd_backup_copy(fx->dir, path, &info, err, sizeof err), 0);
    assert_int_equal(info.tickets, 40);
    strcat(path, "/data.mdb");
    s_read_file(path, f);
    assert_true(f->psize >= 512 && f->len >= 8 * f->psize);
}

/* Runs fn(arg) in a child; returns its exit status, or 128 + the signal that killed it. */
static int s_in_child(int (*fn)(const char *arg), const char *arg)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Die of the signal, as sundeskd would, rather than in cmocka's handler. */
        signal(SIGBUS, SIG_DFL);
        signal(SIGSEGV, SIG_DFL);
        _exit(fn(arg));
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* sd_store_open of a data.mdb's directory: -rc as an exit status. */
static int s_open_child(const char *path)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = 0;
    sd_store_t *store = NULL;
    int rc = sd_store_open(dir, "HQ", &store);
    sd_store_close(&store);
    return -rc;
}

/* One damaged file: the check, sd_store_open, the start-up check and a restore all refuse it
 * cleanly; the check's line names the file and has `what`. */
static void s_assert_refused(fx_t *fx, const char *name, const void *bytes, size_t len,
                             const char *what)
{
    char path[512], err[1024], target[512];
    sd_backup_info_t info;
    s_write_store(fx, name, bytes, len, path);
    assert_int_equal(sd_store_check(path, err, sizeof err), SD_ECORRUPT);
    assert_non_null(strstr(err, path));
    if (!strstr(err, what))
        fail_msg("%s: '%s' lacks '%s'", name, err, what);
    assert_null(strchr(err, '\n'));

    assert_int_equal(s_in_child(s_open_child, path), -SD_ECORRUPT);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, (off_t)len); /* not made a new store, not grown */

    *strrchr(path, '/') = 0; /* the data directory */
    assert_int_equal(sd_backup_check_store(path, err, sizeof err), SD_ECORRUPT);
    assert_non_null(strstr(err, "restore a backup"));

    snprintf(target, sizeof target, "%s/restored-%s", fx->dir, name);
    assert_int_equal(sd_backup_restore(path, target, &info, err, sizeof err), SD_ECORRUPT);
    assert_non_null(strstr(err, "restore from another backup"));
    strcat(target, "/data.mdb");
    assert_int_not_equal(access(target, F_OK), 0);
}

static void test_whole_store_passes(void **state)
{
    fx_t *fx = *state;
    s_file_t f;
    char path[512], err[1024];
    s_whole_store(fx, &f);
    s_write_store(fx, "whole", f.bytes, f.len, path);
    assert_int_equal(sd_store_check(path, err, sizeof err), 0);
    assert_int_equal(s_in_child(s_open_child, path), 0);
    *strrchr(path, '/') = 0;
    assert_int_equal(sd_backup_check_store(path, err, sizeof err), 0);
    /* No file: a new store, not an error of the start-up check. */
    snprintf(path, sizeof path, "%s/new", fx->dir);
    assert_int_equal(sd_store_check(path, err, sizeof err), SD_ENOTFOUND);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(sd_backup_check_store(path, err, sizeof err), 0);
    free(f.bytes);
}

static void test_cut_short(void **state)
{
    fx_t *fx = *state;
    s_file_t f;
    s_whole_store(fx, &f);
    size_t ps = f.psize;
    s_assert_refused(fx, "empty", f.bytes, 0, "is empty");
    s_assert_refused(fx, "in-page-0", f.bytes, 100, "cut short");
    s_assert_refused(fx, "end-of-page-0", f.bytes, ps, "cut short");
    s_assert_refused(fx, "in-meta-1", f.bytes, ps + 100, "cut short");
    s_assert_refused(fx, "two-pages", f.bytes, 2 * ps, "cut short");
    s_assert_refused(fx, "mid-data", f.bytes, f.len / 2, "cut short");
    s_assert_refused(fx, "last-page", f.bytes, f.len - ps, "cut short");
    s_assert_refused(fx, "last-byte", f.bytes, f.len - 1, "cut short");
    free(f.bytes);
}

static void test_garbage_and_bad_metas(void **state)
{
    fx_t *fx = *state;
    s_file_t f;
    s_whole_store(fx, &f);
    uint8_t *bytes = malloc(f.len);
    assert_non_null(bytes);
    for (size_t i = 0; i < f.len; i++)
        bytes[i] = (uint8_t)("garbage, not a store "[i % 21]);
    s_assert_refused(fx, "garbage", bytes, f.len, "not an LMDB file");

    /* Both metas claim 100 pages more than the file holds. */
    memcpy(bytes, f.bytes, f.len);
    for (size_t m = 0; m < 2; m++) {
        size_t last;
        memcpy(&last, bytes + m * f.psize + META_LAST_PG, sizeof last);
        last += 100;
        memcpy(bytes + m * f.psize + META_LAST_PG, &last, sizeof last);
    }
    s_assert_refused(fx, "last-page-beyond", bytes, f.len, "cut short");

    memcpy(bytes, f.bytes, f.len);
    memset(bytes + f.psize, 0x5a, f.psize);
    s_assert_refused(fx, "meta-1-garbage", bytes, f.len, "page 1 is not an LMDB meta page");

    memcpy(bytes, f.bytes, f.len);
    bytes[META_VERSION] = 7;
    s_assert_refused(fx, "version", bytes, f.len, "data version 7");

    memcpy(bytes, f.bytes, f.len);
    uint32_t psize = 3000;
    memcpy(bytes + META_PSIZE, &psize, 4);
    s_assert_refused(fx, "page-size", bytes, f.len, "page size of 3000");

    memcpy(bytes, f.bytes, f.len);
    bytes[META_FLAGS] = 0;
    s_assert_refused(fx, "not-meta", bytes, f.len, "not an LMDB file");
    free(bytes);
    free(f.bytes);
}

/* The mode bits of path. */
static unsigned s_mode(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* Copies are 0600 (in a 0700 directory when they make it) under any umask; a partial copy left
 * by a killed backup is no store, is replaced by the next backup, and a data directory holding
 * only what a stopped restore left is refused at start-up. */
static void test_copies_private_and_whole(void **state)
{
    fx_t *fx = *state;
    s_file_t f;
    char dest[512], path[600], err[1024];
    sd_backup_info_t info;
    s_whole_store(fx, &f);
    mode_t old = umask(0);
    snprintf(dest, sizeof dest, "%s/b-new", fx->dir);
    assert_int_equal(sd_backup_copy(fx->dir, dest, &info, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/data.mdb", dest);
    assert_int_equal(s_mode(dest), 0700);
    assert_int_equal(s_mode(path), 0600);
    snprintf(dest, sizeof dest, "%s/b-existing", fx->dir);
    assert_int_equal(mkdir(dest, 0777), 0);
    assert_int_equal(sd_backup_copy(fx->dir, dest, &info, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/data.mdb", dest);
    assert_int_equal(s_mode(path), 0600);
    umask(0277);
    snprintf(dest, sizeof dest, "%s/b-strict", fx->dir);
    assert_int_equal(sd_backup_copy(fx->dir, dest, &info, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/data.mdb", dest);
    assert_int_equal(s_mode(dest), 0700);
    assert_int_equal(s_mode(path), 0600);
    umask(old);

    /* What a backup killed half-way leaves: the first half of the copy, under its own name. */
    snprintf(dest, sizeof dest, "%s/killed", fx->dir);
    assert_int_equal(mkdir(dest, 0700), 0);
    snprintf(path, sizeof path, "%s/%s", dest, SD_STORE_PARTIAL);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, f.bytes, f.len / 2), (ssize_t)(f.len / 2));
    close(fd);
    snprintf(path, sizeof path, "%s/restored", fx->dir);
    assert_int_equal(sd_backup_restore(dest, path, &info, err, sizeof err), SD_ENOTFOUND);
    assert_int_equal(sd_backup_check_store(dest, err, sizeof err), SD_ECORRUPT);
    assert_non_null(strstr(err, "run the restore again"));
    assert_int_equal(sd_backup_copy(fx->dir, dest, &info, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/%s", dest, SD_STORE_PARTIAL);
    assert_int_not_equal(access(path, F_OK), 0);
    assert_int_equal(sd_backup_check_store(dest, err, sizeof err), 0);

    /* A restore that stopped after its marker, before its copy. */
    snprintf(dest, sizeof dest, "%s/marked", fx->dir);
    assert_int_equal(mkdir(dest, 0700), 0);
    snprintf(path, sizeof path, "%s/%s", dest, SD_RESTORED_MARK);
    FILE *mark = fopen(path, "w");
    assert_non_null(mark);
    fclose(mark);
    assert_int_equal(sd_backup_check_store(dest, err, sizeof err), SD_ECORRUPT);
    free(f.bytes);
}

/* ---- a file short only by free pages ----------------------------------- */

#define FREE_KEYS 20

static void s_ok(int rc)
{
    if (rc)
        fail_msg("lmdb: %s", mdb_strerror(rc));
}

/* An LMDB environment in dir whose last pages are free: a large database "b" written, then
 * dropped, then many small commits to "a" that reuse the lowest free pages. */
static void s_build_free_tail(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi a, b;
    char key[16], value[1000];
    memset(value, 'v', sizeof value);
    s_ok(mdb_env_create(&env));
    mdb_env_set_maxdbs(env, 4);
    s_ok(mdb_env_open(env, dir, 0, 0600));
    s_ok(mdb_txn_begin(env, NULL, 0, &txn));
    s_ok(mdb_dbi_open(txn, "a", MDB_CREATE, &a));
    s_ok(mdb_dbi_open(txn, "b", MDB_CREATE, &b));
    for (int i = 0; i < 400; i++) {
        MDB_val k = {.mv_size = (size_t)snprintf(key, sizeof key, "%05d", i), .mv_data = key};
        MDB_val v = {.mv_size = sizeof value, .mv_data = value};
        s_ok(mdb_put(txn, i < FREE_KEYS ? a : b, &k, &v, 0));
    }
    s_ok(mdb_txn_commit(txn));
    s_ok(mdb_txn_begin(env, NULL, 0, &txn));
    s_ok(mdb_drop(txn, b, 1));
    s_ok(mdb_txn_commit(txn));
    for (int round = 0; round < 3 * FREE_KEYS; round++) {
        MDB_val k = {.mv_size = (size_t)snprintf(key, sizeof key, "%05d", round % FREE_KEYS),
                     .mv_data = key};
        MDB_val v = {.mv_size = sizeof value, .mv_data = value};
        value[0] = (char)('a' + round % 26);
        s_ok(mdb_txn_begin(env, NULL, 0, &txn));
        s_ok(mdb_put(txn, a, &k, &v, 0));
        s_ok(mdb_txn_commit(txn));
    }
    mdb_env_close(env);
}

/* Reads every entry of the free list (dbi 0), the main tree (dbi 1) and "a" in a read
 * transaction: 0, or an LMDB error. */
static int s_read_dbs(MDB_env *env)
{
    MDB_txn *txn;
    MDB_dbi a;
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) ?: mdb_dbi_open(txn, "a", 0, &a);
    MDB_dbi dbis[3] = {0, 1, a};
    for (int d = 0; !rc && d < 3; d++) {
        rc = mdb_cursor_open(txn, dbis[d], &cur);
        while (!rc && (rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0)
            ;
        rc = rc == MDB_NOTFOUND ? 0 : rc;
        mdb_cursor_close(cur);
    }
    mdb_txn_abort(txn);
    return rc;
}

/* Reads all of the environment in dir, writes to "a" (reusing free pages) and reads it all
 * again: exit 0, 1 on an LMDB error, or a signal when a page it needs is past the end. */
static int s_read_all(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi a;
    MDB_val k = {.mv_size = 3, .mv_data = "new"};
    int rc = mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 4);
    rc = rc ?: mdb_env_open(env, dir, 0, 0600);
    rc = rc ?: s_read_dbs(env);
    rc = rc ?: mdb_txn_begin(env, NULL, 0, &txn);
    rc = rc ?: mdb_dbi_open(txn, "a", 0, &a) ?: mdb_put(txn, a, &k, &k, 0) ?: mdb_txn_commit(txn);
    rc = rc ?: s_read_dbs(env);
    mdb_env_close(env);
    return rc ? 1 : 0;
}

/* Cut at every page from the end down: the check accepts a cut exactly when LMDB can read and
 * write all of the cut file (the cut pages are free); some cuts are of each kind. */
static void test_free_tail(void **state)
{
    fx_t *fx = *state;
    char dir[512], cut[512], file[600], err[1024];
    s_file_t f;
    snprintf(dir, sizeof dir, "%s/lmdb", fx->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    s_build_free_tail(dir);
    snprintf(file, sizeof file, "%s/data.mdb", dir);
    s_read_file(file, &f);
    assert_int_equal(f.len % f.psize, 0);
    int accepted = 0, refused = 0;
    for (size_t pages = f.len / f.psize; pages >= 2; pages--) {
        snprintf(cut, sizeof cut, "%s/cut-%zu", fx->dir, pages);
        assert_int_equal(mkdir(cut, 0700), 0);
        snprintf(file, sizeof file, "%s/data.mdb", cut);
        int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, f.bytes, pages * f.psize), (ssize_t)(pages * f.psize));
        close(fd);
        int check = sd_store_check(file, err, sizeof err);
        int lmdb = s_in_child(s_read_all, cut);
        if (check != 0 && check != SD_ECORRUPT)
            fail_msg("%zu pages: check %d: %s", pages, check, err);
        if ((check == 0) != (lmdb == 0))
            fail_msg("%zu of %zu pages: check says %s, LMDB's full read %s (status %d)", pages,
                     f.len / f.psize, check ? err : "whole", lmdb ? "fails" : "works", lmdb);
        accepted += check == 0 && pages < f.len / f.psize;
        refused += check != 0;
        sd_test_rmtree(cut);
    }
    assert_true(accepted > 0 && refused > 0);
    free(f.bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_whole_store_passes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_short, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_and_bad_metas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copies_private_and_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_tail, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
