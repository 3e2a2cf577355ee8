/* search.c - the search thread: its life, its requests, the catching up and the rebuild
 * (search.h). */
#include "search_impl.h"

#include "error.h"
#include "log.h"
#include "permission.h"

#include <errno.h>
#include <ftw.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define S_LOOK_MS 1000 /* the thread looks at the log this often even when not woken */
#define S_IDLE_MS 20   /* it waits this long for a request or a wake-up when idle */

struct sd_search {
    zactor_t *actor;    /* the thread; its pipe carries requests and replies */
    atomic_bool woken;  /* events were committed since the thread last looked */
    void *thread_state; /* the thread's s_thread_t, freed once the thread has ended */
};

/* What the thread owns. */
typedef struct {
    sd_search_t *self;        /* for the wake flag */
    sd_store_t *store;        /* borrowed */
    char root[PATH_MAX - 32]; /* DATADIR/search */
    sd_search_index_t live;   /* the index queries read */
    sd_xreader_t *reader;     /* a reader of it */
    sd_search_index_t build;  /* search.reindex: the index being rebuilt (x NULL when none) */
    uint64_t behind;          /* events the live index lacks, as of its last step */
    bool failing;             /* the last step failed (logged once) */
    sd_mp_writer_t *w;        /* scratch for replies */
} s_thread_t;

bool sd_search_op(int op)
{
    return op == SD_REQ_SEARCH_QUERY || op == SD_REQ_SEARCH_SUGGEST || op == SD_REQ_SEARCH_STATUS ||
           op == SD_REQ_SEARCH_REINDEX;
}

void sd_search_wake(void *arg, const sd_kind_t *kind, const char *key, int op)
{
    (void)kind, (void)key, (void)op;
    if (arg)
        atomic_store(&((sd_search_t *)arg)->woken, true);
}

zsock_t *sd_search_socket(sd_search_t *s)
{
    return zactor_sock(s->actor);
}

static void s_job_free(sd_search_job_t **job)
{
    if (!*job)
        return;
    sd_fields_free(sd_search_args_fields, SD_ARG_SEARCH_COUNT_, &(*job)->args, ~0ull);
    free(*job);
    *job = NULL;
}

int sd_search_ask(sd_search_t *s, uint64_t tag, sd_request_t *req, const char *login, int scope)
{
    sd_search_job_t *job = calloc(1, sizeof *job);
    if (!job)
        return SD_ENOMEM;
    *job = (sd_search_job_t){.tag = tag,
                             .id = req->id,
                             .op = req->op,
                             .present = req->present,
                             .own = scope == SD_SCOPE_OWN};
    snprintf(job->login, sizeof job->login, "%s", login);
    if (sd_req_spec(req->op)->group == SD_ARGS_SEARCH) {
        job->args = req->args.search;
        memset(&req->args.search, 0, sizeof req->args.search);
    }
    if (zsock_send(zactor_sock(s->actor), "sp", "ASK", job) != 0) {
        req->args.search = job->args;
        free(job);
        return SD_ENOMEM;
    }
    return 0;
}

int sd_search_take(sd_search_t *s, uint64_t *tag, zframe_t **reply)
{
    zsock_t *pipe = zactor_sock(s->actor);
    if (!(zsock_events(pipe) & ZMQ_POLLIN))
        return SD_ENOTFOUND;
    zmsg_t *msg = zmsg_recv(pipe);
    zframe_t *t = msg ? zmsg_pop(msg) : NULL;
    *reply = msg ? zmsg_pop(msg) : NULL;
    zmsg_destroy(&msg);
    if (!t || !*reply || zframe_size(t) != sizeof *tag) {
        zframe_destroy(&t);
        zframe_destroy(reply);
        return SD_ENOTFOUND;
    }
    memcpy(tag, zframe_data(t), sizeof *tag);
    zframe_destroy(&t);
    return 0;
}

/* ---- the thread ---------------------------------------------------------------------------- */

static int s_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Removes directory dir and all in it (none: fine). */
static void s_rm_tree(const char *dir)
{
    nftw(dir, s_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void s_path(const s_thread_t *t, const char *leaf, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", t->root, leaf);
}

/* Opens the live index and its reader. */
static int s_open_live(s_thread_t *t, char *err, size_t cap)
{
    char dir[PATH_MAX];
    s_path(t, "live", dir, sizeof dir);
    int rc = sd_search_index_open(&t->live, dir, err, cap);
    if (rc && rc != SD_ENOMEM) { /* damaged, or not ours: the index is derived, start again */
        sd_log(SD_LOG_WARNING, "search: cannot open the index (%s); rebuilding it from the log",
               err);
        s_rm_tree(dir);
        rc = sd_search_index_open(&t->live, dir, err, cap);
    }
    if (!rc) { /* a new index gets its first revision before a reader opens it */
        char marker[SD_VECTOR_MAX * (SD_SITE_MAX + 24)];
        sd_search_marker(&t->live.vector, marker, sizeof marker);
        rc = sd_xindex_commit(t->live.x, marker, err, cap);
    }
    return rc ?: sd_xreader_open(dir, &t->reader, err, cap);
}

/* Writes the reply to job: an error (rc, fault) or what w holds. */
static void s_send(s_thread_t *t, zsock_t *pipe, const sd_search_job_t *job, int rc,
                   sd_fault_t *fault)
{
    if (rc == 0 && sd_mp_writer_error(t->w))
        rc = sd_fault_set(fault, SD_ENOMEM, "out of memory encoding the reply");
    if (rc) {
        if (fault->code != rc)
            sd_fault_set(fault, rc, "%s", sd_strerror(rc));
        sd_mp_writer_reset(t->w);
        sd_reply_error(t->w, job->id, rc, fault->text);
    }
    size_t len;
    const void *data = sd_mp_writer_data(t->w, &len);
    zmsg_t *msg = zmsg_new();
    zmsg_addmem(msg, &job->tag, sizeof job->tag);
    zmsg_addmem(msg, data, len);
    zmsg_send(&msg, pipe);
}

/* search.status: {indexed, docs, behind, rebuilding}. */
static int s_status(s_thread_t *t, const sd_search_job_t *job)
{
    t->behind = sd_search_behind(t->store, &t->live.vector);
    sd_reply_ok_begin(t->w, job->id);
    sd_mp_map(t->w, 4);
    sd_mp_str(t->w, "indexed");
    sd_vector_encode(&t->live.vector, t->w);
    sd_mp_str(t->w, "docs");
    sd_mp_u64(t->w, sd_xindex_docs(t->live.x));
    sd_mp_str(t->w, "behind");
    sd_mp_u64(t->w, t->behind);
    sd_mp_str(t->w, "rebuilding");
    sd_mp_bool(t->w, t->build.x != NULL);
    return 0;
}

/* search.reindex: starts a rebuild into DATADIR/search/build (one already going goes on). */
static int s_reindex(s_thread_t *t, const sd_search_job_t *job, sd_fault_t *fault)
{
    if (!t->build.x) {
        char dir[PATH_MAX], err[256] = "";
        s_path(t, "build", dir, sizeof dir);
        s_rm_tree(dir);
        int rc = sd_search_index_open(&t->build, dir, err, sizeof err);
        if (rc)
            return sd_fault_set(fault, rc, "cannot start the rebuild: %s", err);
        sd_log(SD_LOG_INFO, "search: rebuild started: dir=%s", dir);
    }
    sd_reply_ok_begin(t->w, job->id);
    sd_mp_map(t->w, 1);
    sd_mp_str(t->w, "started");
    sd_mp_bool(t->w, true);
    return 0;
}

static void s_serve(s_thread_t *t, zsock_t *pipe, sd_search_job_t *job)
{
    sd_fault_t fault = {0};
    char err[256] = "";
    int rc = 0;
    sd_mp_writer_reset(t->w);
    if (job->op == SD_REQ_SEARCH_STATUS) {
        rc = s_status(t, job);
    } else if (job->op == SD_REQ_SEARCH_REINDEX) {
        rc = s_reindex(t, job, &fault);
    } else if ((rc = sd_xreader_reopen(t->reader, err, sizeof err)) != 0) {
        sd_fault_set(&fault, rc, "search index: %s", err);
    } else {
        rc = sd_search_answer(t->reader, t->store, job, t->w, &fault);
    }
    s_send(t, pipe, job, rc, &fault);
}

/* The rebuilt index caught up: it becomes the live one. */
static void s_swap(s_thread_t *t)
{
    char live[PATH_MAX], old[PATH_MAX], err[256] = "";
    s_path(t, "live", live, sizeof live);
    s_path(t, "old", old, sizeof old);
    sd_xreader_close(&t->reader);
    sd_search_index_close(&t->live);
    sd_search_index_close(&t->build);
    s_rm_tree(old);
    if (rename(live, old) != 0 || rename(t->build.dir, live) != 0)
        sd_log(SD_LOG_ERROR, "search: cannot swap the rebuilt index in: reason=\"%s\"",
               strerror(errno));
    s_rm_tree(old);
    if (s_open_live(t, err, sizeof err) != 0)
        sd_log(SD_LOG_ERROR, "search: cannot open the index: reason=\"%s\"", err);
    else
        sd_log(SD_LOG_INFO, "search: rebuild done: docs=%llu",
               (unsigned long long)sd_xindex_docs(t->live.x));
}

/* One step of the live index and one of a rebuild. Returns true when more work waits. */
static bool s_work(s_thread_t *t)
{
    char err[256] = "";
    uint64_t behind = 0;
    bool more = false;
    int n = t->live.x ? sd_search_index_step(&t->live, t->store, SD_SEARCH_BATCH, &behind, err,
                                             sizeof err)
                      : 0;
    if (n < 0 && !t->failing)
        sd_log(SD_LOG_ERROR, "search: indexing failed: error=%s reason=\"%s\"", sd_error_name(n),
               err);
    t->failing = n < 0;
    if (n >= 0) {
        t->behind = behind;
        more = behind > 0;
    }
    if (t->build.x) {
        n = sd_search_index_step(&t->build, t->store, SD_SEARCH_BATCH, &behind, err, sizeof err);
        if (n < 0) {
            sd_log(SD_LOG_ERROR, "search: rebuild failed: error=%s reason=\"%s\"", sd_error_name(n),
                   err);
            sd_search_index_close(&t->build);
        } else if (behind == 0) {
            s_swap(t);
        } else {
            more = true;
        }
    }
    return more;
}

static void s_thread(zsock_t *pipe, void *arg)
{
    s_thread_t *t = arg;
    zsock_signal(pipe, 0);
    int64_t next_look = 0;
    bool more = true;
    for (bool running = true; running;) {
        zmq_pollitem_t item = {zsock_resolve(pipe), 0, ZMQ_POLLIN, 0};
        /* Requests first: at most one step of indexing stands between two of them. */
        if (zmq_poll(&item, 1, more ? 0 : S_IDLE_MS) < 0 && zmq_errno() != EINTR)
            break;
        for (int served = 0; served < 64 && (zsock_events(pipe) & ZMQ_POLLIN); served++) {
            char *cmd = NULL;
            sd_search_job_t *job = NULL;
            if (zsock_recv(pipe, "sp", &cmd, &job) != 0) {
                running = false;
                break;
            }
            running = !cmd || strcmp(cmd, "$TERM") != 0;
            if (running && job)
                s_serve(t, pipe, job);
            s_job_free(&job);
            zstr_free(&cmd);
            if (!running)
                break;
        }
        int64_t now = zclock_mono();
        if (atomic_exchange(&t->self->woken, false) || now >= next_look) {
            more = true;
            next_look = now + S_LOOK_MS;
        }
        if (running && more)
            more = s_work(t);
    }
}

int sd_search_new(sd_store_t *store, sd_search_t **out, char *err, size_t cap)
{
    *out = NULL;
    sd_search_t *s = calloc(1, sizeof *s);
    s_thread_t *t = calloc(1, sizeof *t);
    if (!s || !t || !(t->w = sd_mp_writer_new())) {
        free(s);
        free(t);
        return SD_ENOMEM;
    }
    t->self = s;
    t->store = store;
    snprintf(t->root, sizeof t->root, "%s/search", sd_store_dir(store));
    char build[PATH_MAX];
    s_path(t, "build", build, sizeof build);
    s_rm_tree(build); /* a rebuild a stop cut short starts again when asked */
    int rc = mkdir(t->root, 0700) != 0 && errno != EEXIST ? SD_EIO : 0;
    if (rc)
        snprintf(err, cap, "cannot make %s: %s", t->root, strerror(errno));
    rc = rc ?: s_open_live(t, err, cap);
    if (!rc && !(s->actor = zactor_new(s_thread, t)))
        rc = SD_ENOMEM;
    if (rc) {
        sd_xreader_close(&t->reader);
        sd_search_index_close(&t->live);
        sd_mp_writer_destroy(&t->w);
        free(t);
        free(s);
        return rc;
    }
    /* The thread's state is freed by sd_search_destroy once the thread has ended. */
    s->thread_state = t;
    *out = s;
    return 0;
}

void sd_search_destroy(sd_search_t **search)
{
    if (!search || !*search)
        return;
    sd_search_t *s = *search;
    zactor_destroy(&s->actor); /* returns once the thread has ended */
    s_thread_t *t = s->thread_state;
    if (t) {
        sd_xreader_close(&t->reader);
        sd_search_index_close(&t->live);
        sd_search_index_close(&t->build);
        sd_mp_writer_destroy(&t->w);
        free(t);
    }
    free(s);
    *search = NULL;
}
