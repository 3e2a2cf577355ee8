/* store_backup.c - hot compacted copies of the store and their restore (store_backup.h). */
#include "store_backup.h"

#include "config.h"
#include "store_impl.h"

#include <fcntl.h>
#include <stdarg.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPY_CHUNK (1u << 20)

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

/* Opens dir's store read-only: without a lock file for a backup (nothing else
 * uses it), beside the running node (lock = true) for the live store. */
static int s_open(const char *dir, bool lock, MDB_env **env, char *err, size_t cap)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    if (stat(path, &st) != 0)
        return s_fail(err, cap, SD_ENOTFOUND, "no store in %s (no data.mdb)", dir);
    int rc = mdb_env_create(env);
    if (!rc) {
        mdb_env_set_maxdbs(*env, DB_N);
        rc = mdb_env_open(*env, dir, MDB_RDONLY | MDB_NOTLS | (lock ? 0 : MDB_NOLOCK), 0600);
    }
    if (rc) {
        mdb_env_close(*env);
        *env = NULL;
        return s_fail(err, cap, s_err(rc), "cannot open the store in %s: %s", dir,
                      mdb_strerror(rc));
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

/* Checks that dir holds a sundesk store of a known schema and says what is in it. */
static int s_inspect(const char *dir, sd_backup_info_t *info, char *err, size_t cap)
{
    MDB_env *env;
    int rc = s_open(dir, false, &env, err, cap);
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
        return s_fail(err, cap, SD_ECORRUPT, "%s: not a sundesk store (%s)", dir, mdb_strerror(rc));
    /* A schema-2 store is upgraded by the node that opens it (store_upgrade.c). */
    if (strcmp(schema, SD_STORE_SCHEMA) != 0 && strcmp(schema, "2") != 0)
        return s_fail(err, cap, SD_ECORRUPT, "%s: store schema '%s', this build reads '%s'", dir,
                      schema, SD_STORE_SCHEMA);
    char path[4096];
    struct stat fst;
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    info->bytes = stat(path, &fst) == 0 ? (uint64_t)fst.st_size : 0;
    return 0;
}

/* Makes dir for a backup or restore: it may exist only as an empty directory. */
static int s_empty_dir(const char *dir, char *err, size_t cap)
{
    if (mkdir(dir, 0700) == 0)
        return 0;
    if (errno != EEXIST)
        return s_fail(err, cap, SD_EIO, "cannot create %s: %s", dir, strerror(errno));
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    if (stat(path, &st) == 0)
        return s_fail(err, cap, SD_EDUPLICATE, "%s already holds a store; not overwriting it", dir);
    return 0;
}

int sd_backup_copy(const char *datadir, const char *dest, sd_backup_info_t *info, char *err,
                   size_t cap)
{
    MDB_env *env;
    char path[4096];
    int rc = s_open(datadir, true, &env, err, cap);
    if (rc)
        return rc;
    if ((rc = s_empty_dir(dest, err, cap)) != 0) {
        mdb_env_close(env);
        return rc;
    }
    snprintf(path, sizeof path, "%s/data.mdb", dest);
    /* The node may grow the map while we copy; then take the new size and
     * start again (the copy is one read transaction, all or nothing). */
    int lrc;
    for (int tries = 0;
         (lrc = mdb_env_copy2(env, dest, MDB_CP_COMPACT)) == MDB_MAP_RESIZED && tries < 3;
         tries++) {
        unlink(path);
        mdb_env_set_mapsize(env, 0);
    }
    mdb_env_close(env);
    if (lrc) {
        unlink(path);
        return s_fail(err, cap, s_err(lrc), "copying %s to %s failed: %s", datadir, dest,
                      mdb_strerror(lrc));
    }
    if ((rc = s_sync_path(path)) != 0 || (rc = s_sync_path(dest)) != 0)
        return s_fail(err, cap, rc, "cannot sync %s to disk: %s", path, strerror(errno));
    return s_inspect(dest, info, err, cap);
}

/* Copies file from to file to, synced; to must not exist. */
static int s_copy_file(const char *from, const char *to, char *err, size_t cap)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    char *buf = malloc(COPY_CHUNK);
    int rc = in < 0 || out < 0 ? s_err(errno) : buf ? 0 : SD_ENOMEM;
    ssize_t n = 0;
    while (!rc && (n = read(in, buf, COPY_CHUNK)) > 0)
        for (ssize_t done = 0, w; !rc && done < n; done += w)
            if ((w = write(out, buf + done, (size_t)(n - done))) < 0)
                rc = s_err(errno);
    if (!rc && (n < 0 || fsync(out) != 0))
        rc = s_err(errno);
    free(buf);
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && !rc)
        rc = s_err(errno);
    if (rc)
        return s_fail(err, cap, rc, "copying %s to %s failed: %s", from, to, strerror(errno));
    return 0;
}

int sd_backup_restore(const char *src, const char *datadir, sd_backup_info_t *info, char *err,
                      size_t cap)
{
    int rc = s_inspect(src, info, err, cap) ?: s_empty_dir(datadir, err, cap);
    if (rc)
        return rc;
    /* Hold the node's lock while restoring: no node may start half-way. */
    char lock[4096], from[4096], tmp[4096], to[4096], mark[4096];
    snprintf(lock, sizeof lock, "%s/%s", datadir, SD_LOCK_NAME);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return s_fail(err, cap, SD_EIO, "cannot create %s: %s", lock, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return s_fail(err, cap, SD_EUNAVAILABLE, "a node is running on %s; stop it first", datadir);
    }
    snprintf(from, sizeof from, "%s/data.mdb", src);
    snprintf(tmp, sizeof tmp, "%s/data.mdb.restoring", datadir);
    snprintf(to, sizeof to, "%s/data.mdb", datadir);
    s_mark_path(mark, datadir);
    unlink(tmp); /* left by an interrupted restore */
    /* The marker goes first: a store without it would take writes at once. */
    FILE *m = fopen(mark, "w");
    bool written = m && fprintf(m, "restored from %s (site %s)\n", src, info->site) > 0 &&
                   fflush(m) == 0 && fsync(fileno(m)) == 0;
    if ((m && fclose(m) != 0) || !written)
        rc = s_fail(err, cap, SD_EIO, "cannot write %s: %s", mark, strerror(errno));
    rc = rc ?: s_copy_file(from, tmp, err, cap);
    if (rc)
        unlink(tmp);
    if (!rc && rename(tmp, to) != 0)
        rc = s_fail(err, cap, SD_EIO, "cannot rename %s: %s", tmp, strerror(errno));
    if (!rc && s_sync_path(datadir) != 0)
        rc = s_fail(err, cap, SD_EIO, "cannot sync %s: %s", datadir, strerror(errno));
    close(fd);
    return rc;
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
