/* store_backup.c - hot compacted copies of the store and their restore (store_backup.h). */
#include "store_backup.h"

#include "config.h"
#include "store_check.h"
#include "store_impl.h"

#include <fcntl.h>
#include <stdarg.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPY_CHUNK (1u << 20)

/* What to do about a damaged file, said after what is wrong with it. */
#define ADVICE_LIVE                                                                                \
    "the store is damaged: move its data directory aside and restore a backup into it "            \
    "(sundesk --data DIR restore BACKUP)"
#define ADVICE_COPY "this backup is damaged: restore from another backup"

/* DIR/RESTORED into mark (4096 bytes). */
static void s_mark_path(char mark[4096], const char *datadir)
{
    snprintf(mark, 4096, "%s/%s", datadir, SD_RESTORED_MARK);
}

static int s_fail(char *err, size_t cap, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return rc;
}

/* fsync on a path (a file, or a directory so that new names in it last). */
static int s_sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return SD_EIO;
    int rc = fsync(fd) == 0 ? 0 : s_err(errno);
    close(fd);
    return rc;
}

/* fsync of the directory holding path: a directory made there lasts only once it is synced. */
static int s_sync_parent(const char *path)
{
    char parent[4096];
    size_t len = (size_t)snprintf(parent, sizeof parent, "%s", path);
    while (len > 1 && parent[len - 1] == '/')
        parent[--len] = 0;
    char *slash = strrchr(parent, '/');
    if (!slash)
        return s_sync_path(".");
    slash[slash == parent] = 0;
    return s_sync_path(parent);
}

/* Reads an entry of meta into out (NUL-terminated, cut to cap). */
static int s_meta_str(MDB_txn *txn, MDB_dbi meta, const char *name, char *out, size_t cap)
{
    s_key_t k = {.n = 0};
    s_key_str(&k, name);
    MDB_val key = s_val(&k), v;
    int rc = mdb_get(txn, meta, &key, &v);
    if (rc)
        return rc;
    snprintf(out, cap, "%.*s", (int)v.mv_size, (const char *)v.mv_data);
    return 0;
}

/* Checks the store file at path before anything maps it (store_check.h): one line in err,
 * what is wrong then `advice`. SD_ENOTFOUND without a line: the callers say what is missing. */
static int s_check(const char *path, const char *advice, char *err, size_t cap)
{
    char why[1024];
    int rc = sd_store_check(path, why, sizeof why);
    if (rc && rc != SD_ENOTFOUND)
        s_fail(err, cap, rc, "%s; %s", why, advice);
    return rc;
}

/* Opens an environment read-only: the live store in a directory beside its running node
 * (flags 0: LMDB's reader table in lock.mdb), or a backup's file alone (MDB_NOSUBDIR |
 * MDB_NOLOCK: nothing else uses it). The file was checked (s_check). */
static int s_open(const char *path, unsigned flags, MDB_env **env, char *err, size_t cap)
{
    int rc = mdb_env_create(env);
    if (!rc) {
        mdb_env_set_maxdbs(*env, DB_N);
        rc = mdb_env_open(*env, path, MDB_RDONLY | MDB_NOTLS | flags, 0600);
    }
    if (rc) {
        mdb_env_close(*env);
        *env = NULL;
        return s_fail(err, cap, s_err(rc), "cannot open the store %s: %s", path, mdb_strerror(rc));
    }
    return 0;
}

/* Tickets in a store: the sum of its per-status counters ("ticket.status.*" in meta; in a
 * schema-2 store "count.*"), which a scan of a large store would take much longer to tell. */
static int s_count_tickets(MDB_txn *txn, MDB_dbi meta, const char *schema, uint64_t *n)
{
    const char *prefix = strcmp(schema, "2") == 0 ? "count." : "ticket.status.";
    size_t plen = strlen(prefix);
    MDB_cursor *cur;
    MDB_val k = {.mv_size = plen, .mv_data = (void *)prefix}, v;
    int rc = mdb_cursor_open(txn, meta, &cur);
    *n = 0;
    if (rc)
        return rc;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
            break;
        if (v.mv_size == 8)
            *n += s_get_be64(v.mv_data);
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Checks that the (checked) store file at path is a sundesk store of a known schema and says
 * what is in it. */
static int s_inspect(const char *path, sd_backup_info_t *info, char *err, size_t cap)
{
    MDB_env *env;
    int rc = s_open(path, MDB_NOSUBDIR | MDB_NOLOCK, &env, err, cap);
    if (rc)
        return rc;
    MDB_txn *txn = NULL;
    MDB_dbi meta, events;
    MDB_stat st;
    char schema[16] = "";
    memset(info, 0, sizeof *info);
    rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
    rc = rc ?: mdb_dbi_open(txn, "meta", 0, &meta);
    rc = rc ?: s_meta_str(txn, meta, "schema", schema, sizeof schema);
    rc = rc ?: s_meta_str(txn, meta, "site", info->site, sizeof info->site);
    rc = rc ?: s_count_tickets(txn, meta, schema, &info->tickets);
    rc = rc ?: mdb_dbi_open(txn, "events", 0, &events);
    rc = rc ?: mdb_stat(txn, events, &st);
    info->events = rc ? 0 : st.ms_entries;
    mdb_txn_abort(txn);
    mdb_env_close(env);
    if (rc)
        return s_fail(err, cap, SD_ECORRUPT, "%s: not a sundesk store (%s)", path,
                      mdb_strerror(rc));
    /* A schema-2 store is upgraded by the node that opens it (store_upgrade.c). */
    if (strcmp(schema, SD_STORE_SCHEMA) != 0 && strcmp(schema, "2") != 0)
        return s_fail(err, cap, SD_ECORRUPT, "%s: store schema '%s', this build reads '%s'", path,
                      schema, SD_STORE_SCHEMA);
    struct stat fst;
    info->bytes = stat(path, &fst) == 0 ? (uint64_t)fst.st_size : 0;
    return 0;
}

/* The directory a copy goes into (a backup's DEST, a restore's DIR): made 0700 whatever the
 * umask, or an existing one without a store. Returns an open descriptor of it (for fsync), locked
 * so that two copies never write into one directory, and removes a partial copy an earlier,
 * interrupted one left; or -1 after a line in err (*rc the code). */
static int s_target(const char *dir, int *rc, char *err, size_t cap)
{
    char path[4096];
    struct stat st;
    bool made = mkdir(dir, 0700) == 0;
    if (!made && errno != EEXIST) {
        *rc = s_fail(err, cap, SD_EIO, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    if (!made && lstat(path, &st) == 0) {
        *rc = s_fail(err, cap, SD_EDUPLICATE, "%s already holds a store; not overwriting it", dir);
        return -1;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || (made && fchmod(fd, 0700) != 0)) {
        *rc = s_fail(err, cap, SD_EIO, "cannot use %s: %s", dir, strerror(errno));
    } else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        *rc =
            s_fail(err, cap, SD_EUNAVAILABLE, "another backup or restore is writing into %s", dir);
    } else {
        snprintf(path, sizeof path, "%s/%s", dir, SD_STORE_PARTIAL);
        unlink(path);
        *rc = made && s_sync_parent(dir) != 0
                  ? s_fail(err, cap, SD_EIO, "cannot sync the parent of %s", dir)
                  : 0;
    }
    if (*rc && fd >= 0)
        close(fd);
    return *rc ? -1 : fd;
}

/* Creates the file path for a copy: new, 0600 whatever the umask. *fd or an error line. */
static int s_create(const char *path, int *fd, char *err, size_t cap)
{
    unlink(path);
    *fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (*fd >= 0 && fchmod(*fd, 0600) == 0)
        return 0;
    int rc = s_fail(err, cap, s_err(errno), "cannot create %s: %s", path, strerror(errno));
    if (*fd >= 0)
        close(*fd);
    return rc;
}

/* Puts the complete, synced and checked copy tmp in place as dir/data.mdb, durably: only a
 * rename makes a data.mdb, so a copy stopped half-way (even by SIGKILL) never looks whole. */
static int s_install(int dirfd, const char *dir, const char *tmp, char *err, size_t cap)
{
    char to[4096];
    snprintf(to, sizeof to, "%s/data.mdb", dir);
    if (rename(tmp, to) != 0)
        return s_fail(err, cap, SD_EIO, "cannot rename %s: %s", tmp, strerror(errno));
    if (fsync(dirfd) != 0)
        return s_fail(err, cap, SD_EIO, "cannot sync %s: %s", dir, strerror(errno));
    return 0;
}

/* Writes a compacted copy of env (one read transaction) into the new file tmp, synced. */
static int s_copy_env(MDB_env *env, const char *tmp, char *err, size_t cap)
{
    int fd, lrc = 0;
    for (int tries = 0; tries < 4; tries++) {
        int rc = s_create(tmp, &fd, err, cap);
        if (rc)
            return rc;
        lrc = mdb_env_copyfd2(env, fd, MDB_CP_COMPACT);
        if (!lrc && fsync(fd) != 0)
            lrc = errno;
        if (close(fd) != 0 && !lrc)
            lrc = errno;
        if (lrc != MDB_MAP_RESIZED)
            break;
        /* The node grew the map while we copied: take the new size and start again. */
        mdb_env_set_mapsize(env, 0);
    }
    if (lrc)
        return s_fail(err, cap, s_err(lrc), "copying into %s failed: %s", tmp, mdb_strerror(lrc));
    return 0;
}

int sd_backup_copy(const char *datadir, const char *dest, sd_backup_info_t *info, char *err,
                   size_t cap)
{
    MDB_env *env;
    char live[4096], tmp[4096];
    snprintf(live, sizeof live, "%s/data.mdb", datadir);
    int rc = s_check(live, ADVICE_LIVE, err, cap);
    if (rc == SD_ENOTFOUND)
        return s_fail(err, cap, rc, "no store in %s (no data.mdb)", datadir);
    if (rc || (rc = s_open(datadir, 0, &env, err, cap)) != 0)
        return rc;
    int dirfd = s_target(dest, &rc, err, cap);
    if (dirfd < 0) {
        mdb_env_close(env);
        return rc;
    }
    snprintf(tmp, sizeof tmp, "%s/%s", dest, SD_STORE_PARTIAL);
    rc = s_copy_env(env, tmp, err, cap);
    mdb_env_close(env);
    /* The copy is checked as a restore will check it before it is named data.mdb. */
    rc = rc ?: s_check(tmp, "the copy is damaged: try the backup again", err, cap);
    rc = rc ?: s_inspect(tmp, info, err, cap);
    rc = rc ?: s_install(dirfd, dest, tmp, err, cap);
    if (rc)
        unlink(tmp);
    close(dirfd);
    return rc;
}

/* Copies file from into the new file to, synced. */
static int s_copy_file(const char *from, const char *to, char *err, size_t cap)
{
    int out, in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return s_fail(err, cap, s_err(errno), "cannot read %s: %s", from, strerror(errno));
    int rc = s_create(to, &out, err, cap);
    if (rc) {
        close(in);
        return rc;
    }
    char *buf = malloc(COPY_CHUNK);
    rc = buf ? 0 : SD_ENOMEM;
    ssize_t n = 0;
    while (!rc && (n = read(in, buf, COPY_CHUNK)) > 0)
        for (ssize_t done = 0, w; !rc && done < n; done += w)
            if ((w = write(out, buf + done, (size_t)(n - done))) < 0)
                rc = s_err(errno);
    if (!rc && (n < 0 || fsync(out) != 0))
        rc = s_err(errno);
    free(buf);
    close(in);
    if (close(out) != 0 && !rc)
        rc = s_err(errno);
    if (rc)
        return s_fail(err, cap, rc, "copying %s to %s failed: %s", from, to, strerror(errno));
    return 0;
}

/* Writes the RESTORED marker (0600, synced) saying where the store came from. */
static int s_mark(const char *datadir, const char *src, const char *site, char *err, size_t cap)
{
    char mark[4096], text[4096 + 64];
    s_mark_path(mark, datadir);
    int len = snprintf(text, sizeof text, "restored from %s (site %s)\n", src, site);
    int fd = open(mark, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool written = fd >= 0 && fchmod(fd, 0600) == 0 &&
                   write(fd, text, (size_t)len) == (ssize_t)len && fsync(fd) == 0;
    if ((fd >= 0 && close(fd) != 0) || !written)
        return s_fail(err, cap, s_err(errno ? errno : EIO), "cannot write %s: %s", mark,
                      strerror(errno));
    return 0;
}

int sd_backup_restore(const char *src, const char *datadir, sd_backup_info_t *info, char *err,
                      size_t cap)
{
    char from[4096], tmp[4096], lock[4096];
    snprintf(from, sizeof from, "%s/data.mdb", src);
    int rc = s_check(from, ADVICE_COPY, err, cap);
    if (rc == SD_ENOTFOUND)
        return s_fail(err, cap, rc, "no store in %s (no data.mdb)", src);
    if (rc || (rc = s_inspect(from, info, err, cap)) != 0)
        return rc;
    int dirfd = s_target(datadir, &rc, err, cap);
    if (dirfd < 0)
        return rc;
    /* Hold the node's lock while restoring: no node may start half-way. */
    snprintf(lock, sizeof lock, "%s/%s", datadir, SD_LOCK_NAME);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        rc = s_fail(err, cap, SD_EIO, "cannot create %s: %s", lock, strerror(errno));
    else if (flock(fd, LOCK_EX | LOCK_NB) != 0)
        rc = s_fail(err, cap, SD_EUNAVAILABLE, "a node is running on %s; stop it first", datadir);
    snprintf(tmp, sizeof tmp, "%s/%s", datadir, SD_STORE_PARTIAL);
    /* The marker goes first: a store without it would take writes at once. */
    rc = rc ?: s_mark(datadir, src, info->site, err, cap);
    rc = rc ?: s_copy_file(from, tmp, err, cap);
    /* Checked again: the backup may have changed (or been cut) while we copied it. */
    rc = rc ?: s_check(tmp, ADVICE_COPY, err, cap);
    rc = rc ?: s_install(dirfd, datadir, tmp, err, cap);
    if (rc)
        unlink(tmp);
    if (fd >= 0)
        close(fd);
    close(dirfd);
    return rc;
}

int sd_backup_check_store(const char *datadir, char *err, size_t cap)
{
    char path[4096], mark[4096];
    snprintf(path, sizeof path, "%s/data.mdb", datadir);
    int rc = s_check(path, ADVICE_LIVE, err, cap);
    if (rc != SD_ENOTFOUND)
        return rc;
    /* No store, but a restore began here: a new, empty store would hide that it never ended. */
    snprintf(path, sizeof path, "%s/%s", datadir, SD_STORE_PARTIAL);
    s_mark_path(mark, datadir);
    if (access(path, F_OK) == 0 || access(mark, F_OK) == 0)
        return s_fail(err, cap, SD_ECORRUPT,
                      "%s holds no data.mdb, only what a restore that stopped half-way left: run "
                      "the restore again",
                      datadir);
    return 0;
}

bool sd_backup_restoring(const char *datadir)
{
    char mark[4096];
    s_mark_path(mark, datadir);
    return access(mark, F_OK) == 0;
}

int sd_backup_restore_done(const char *datadir)
{
    char mark[4096];
    s_mark_path(mark, datadir);
    if (unlink(mark) != 0 && errno != ENOENT)
        return SD_EIO;
    return s_sync_path(datadir);
}
