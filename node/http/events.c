/* events.c - the change feed and its Server-Sent Event streams (events.h). */
#include "events.h"

#include "bridge.h"
#include "digest.h"
#include "error.h"
#include "json_mp.h"
#include "log.h"
#include "problem.h"
#include "user.h"

#include <czmq.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#define S_SEEN 64 /* records whose last sent version a stream remembers */

struct sd_changes {
    zsock_t *pub; /* bound at SD_CHANGES_ENDPOINT */
};

int sd_changes_new(sd_changes_t **out)
{
    *out = NULL;
    sd_changes_t *c = calloc(1, sizeof *c);
    if (!c)
        return SD_ENOMEM;
    c->pub = zsock_new(ZMQ_PUB);
    if (!c->pub || zsock_bind(c->pub, "%s", SD_CHANGES_ENDPOINT) != 0) {
        zsock_destroy(&c->pub);
        free(c);
        return SD_EIO;
    }
    zsock_set_linger(c->pub, 0);
    *out = c;
    return 0;
}

void sd_changes_destroy(sd_changes_t **changes)
{
    if (!changes || !*changes)
        return;
    zsock_destroy(&(*changes)->pub);
    free(*changes);
    *changes = NULL;
}

void sd_changes_publish(void *arg, const sd_kind_t *kind, const char *key, int op)
{
    sd_changes_t *c = arg;
    /* PUB never blocks: a subscriber that does not keep up loses changes, not the node. */
    zstr_sendx(c->pub, kind->name, key, sd_kind_op_name(kind, op), NULL);
}

struct sd_streams {
    atomic_int open;       /* streams open now */
    atomic_bool stopping;  /* the server is stopping: every stream ends */
    pthread_mutex_t mutex; /* one thread at a time on calls */
    zsock_t *calls;        /* PUB bound at SD_CALLS_ENDPOINT: non-record events */
};

sd_streams_t *sd_streams_new(void)
{
    sd_streams_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    atomic_init(&s->open, 0);
    atomic_init(&s->stopping, false);
    s->calls = zsock_new(ZMQ_PUB);
    if (!s->calls || zsock_bind(s->calls, "%s", SD_CALLS_ENDPOINT) != 0 ||
        pthread_mutex_init(&s->mutex, NULL) != 0) {
        zsock_destroy(&s->calls);
        free(s);
        return NULL;
    }
    zsock_set_linger(s->calls, 0);
    return s;
}

int sd_streams_call(sd_streams_t *s, const char *login, const char *json)
{
    pthread_mutex_lock(&s->mutex);
    int rc = zstr_sendx(s->calls, SD_EVENTS_CALL, login ? login : "", json, NULL);
    pthread_mutex_unlock(&s->mutex);
    return rc == 0 ? 0 : SD_EIO;
}

void sd_streams_stop(sd_streams_t *s)
{
    if (s)
        atomic_store(&s->stopping, true);
}

void sd_streams_destroy(sd_streams_t **streams)
{
    if (!streams || !*streams)
        return;
    zsock_destroy(&(*streams)->calls);
    pthread_mutex_destroy(&(*streams)->mutex);
    free(*streams);
    *streams = NULL;
}

/* One open stream, owned by its connection's thread. */
typedef struct {
    sd_streams_t *streams;       /* shared state */
    zsock_t *sub;                /* the change feed */
    char *token;                 /* the caller's token (heap, wiped at the end) */
    char *out;                   /* bytes to send (heap) */
    size_t len, off, cap;        /* their length, how far sent, allocation */
    int64_t next_keepalive;      /* monotonic ms of the next keepalive line */
    uint64_t next_id;            /* the `id:` of the next event */
    bool ended;                  /* the caller's token stopped working */
    char login[SD_NAME_MAX + 1]; /* who the caller is (auth.whoami) */
    bool agent;                  /* an agent or manager of this node's site: calls for all */
    struct {
        char key[SD_ID_MAX + 1]; /* a record */
        char version[33];        /* the version last sent of it */
    } seen[S_SEEN];
    size_t nseen; /* entries written so far (a ring beyond S_SEEN) */
} s_stream_t;

static void s_append(s_stream_t *st, const char *text, size_t len)
{
    if (st->len + len > st->cap) {
        size_t cap = st->cap ? st->cap : 4096;
        while (cap < st->len + len)
            cap *= 2;
        char *grown = realloc(st->out, cap);
        if (!grown)
            return; /* the change is lost to this stream; the client refetches on reconnect */
        st->out = grown;
        st->cap = cap;
    }
    memcpy(st->out + st->len, text, len);
    st->len += len;
}

/* True when the caller was sent key at this version already; else remembers it. */
static bool s_seen(s_stream_t *st, const char *key, const char *version)
{
    size_t n = st->nseen < S_SEEN ? st->nseen : S_SEEN;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(st->seen[i].key, key)) {
            if (!strcmp(st->seen[i].version, version))
                return true;
            strcpy(st->seen[i].version, version);
            return false;
        }
    size_t slot = st->nseen++ % S_SEEN;
    snprintf(st->seen[slot].key, sizeof st->seen[slot].key, "%s", key);
    strcpy(st->seen[slot].version, version);
    return false;
}

/* Asks the node for kind's record key as the caller sees it; appends an event when the view
 * changed. */
static void s_change(s_stream_t *st, const char *kind, const char *key, const char *op)
{
    char get[48];
    snprintf(get, sizeof get, "%s.get", kind);
    if (sd_req_op_value(get) < 0)
        return; /* a kind without a get (tokens): nothing a stream shows */
    sd_mp_writer_t *w = sd_mp_writer_new();
    if (!w)
        return;
    sd_mp_map(w, 1);
    sd_mp_str(w, "id");
    sd_mp_str(w, key);
    size_t len;
    const void *args = sd_mp_writer_data(w, &len);
    sd_bridge_call_t call = {.op = get, .args = args, .args_len = len, .auth = st->token};
    sd_reply_t reply;
    int rc = sd_bridge_call(&call, &reply);
    sd_mp_writer_destroy(&w);
    char version[33];
    if (!rc && !reply.ok && reply.code == SD_EUNAUTHENTICATED)
        st->ended = true;
    if (!rc && reply.ok && sd_mp_node_version(reply.result, version) == 0 &&
        !s_seen(st, key, version)) {
        json_t *data =
            json_pack("{s:s, s:s, s:o}", "id", key, "op", op, kind, sd_mp_to_json(reply.result));
        char *text = data ? json_dumps(data, JSON_COMPACT) : NULL;
        if (text) {
            char head[96];
            int n =
                snprintf(head, sizeof head,
                         "id: %llu\nevent: %s\ndata: ", (unsigned long long)++st->next_id, kind);
            s_append(st, head, (size_t)n);
            s_append(st, text, strlen(text));
            s_append(st, "\n\n", 2);
        }
        free(text);
        json_decref(data);
    }
    sd_reply_clear(&reply);
}

/* Appends a `call` event (data: json) when it is for this stream's caller. */
static void s_call(s_stream_t *st, const char *login, const char *json)
{
    if (login[0] ? strcmp(login, st->login) != 0 : !st->agent)
        return;
    char head[96];
    int n = snprintf(head, sizeof head,
                     "id: %llu\nevent: call\ndata: ", (unsigned long long)++st->next_id);
    s_append(st, head, (size_t)n);
    s_append(st, json, strlen(json));
    s_append(st, "\n\n", 2);
}

/* The next bytes of the stream: waits for changes (a second at a time, to notice a stop). */
static ssize_t s_read(void *arg, char *buf, size_t max)
{
    s_stream_t *st = arg;
    for (;;) {
        if (st->off < st->len) {
            size_t n = st->len - st->off < max ? st->len - st->off : max;
            memcpy(buf, st->out + st->off, n);
            st->off += n;
            return (ssize_t)n;
        }
        st->len = st->off = 0;
        if (st->ended || atomic_load(&st->streams->stopping))
            return -1;
        int64_t now = zclock_mono();
        if (now >= st->next_keepalive) {
            st->next_keepalive = now + SD_EVENTS_KEEPALIVE_MS;
            static const char keepalive[] = ": keepalive\n\n";
            s_append(st, keepalive, sizeof keepalive - 1);
            continue;
        }
        int64_t wait = st->next_keepalive - now;
        zmq_pollitem_t item = {zsock_resolve(st->sub), 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, wait < 1000 ? wait : 1000) <= 0)
            continue;
        char *kind = NULL, *key = NULL, *op = NULL;
        if (zstr_recvx(st->sub, &kind, &key, &op, NULL) == 3 && !strcmp(kind, SD_EVENTS_CALL))
            s_call(st, key, op);
        else if (kind && key && op)
            s_change(st, kind, key, op);
        zstr_free(&kind);
        zstr_free(&key);
        zstr_free(&op);
    }
}

static void s_done(void *arg)
{
    s_stream_t *st = arg;
    atomic_fetch_sub(&st->streams->open, 1);
    zsock_destroy(&st->sub);
    if (st->token) {
        memset(st->token, 0, strlen(st->token));
        free(st->token);
    }
    free(st->out);
    free(st);
}

/* Reads auth.whoami's result: the login into login, and whether an agent or manager role holds
 * at the node's site (a role without a site limit, or one that lists it). */
static bool s_site_agent(const sd_mp_node_t *who, char *login, size_t cap)
{
    char site[SD_SITE_MAX + 1] = "", role[16], sites[256];
    sd_mp_copy_str(sd_mp_get(who, "user"), login, cap);
    sd_mp_copy_str(sd_mp_get(who, "site"), site, sizeof site);
    const sd_mp_node_t *roles = sd_mp_get(who, "roles");
    for (size_t i = 0; roles && i < sd_mp_len(roles); i++) {
        const sd_mp_node_t *r = sd_mp_at(roles, i);
        role[0] = sites[0] = 0;
        sd_mp_copy_str(sd_mp_get(r, "role"), role, sizeof role);
        sd_mp_copy_str(sd_mp_get(r, "sites"), sites, sizeof sites);
        if ((!strcmp(role, "agent") || !strcmp(role, "manager")) &&
            (!sites[0] || sd_list_has(sites, site)))
            return true;
    }
    return false;
}

void sd_streams_serve(sd_streams_t *streams, const sd_http_caller_t *c)
{
    /* Who asks is checked once now (and again with every change it is sent). */
    sd_reply_t reply;
    if (sd_routes_call(c, "auth.whoami", NULL, NULL, NULL, &reply) != 0)
        return;
    char login[SD_NAME_MAX + 1] = "";
    bool agent = s_site_agent(reply.result, login, sizeof login);
    sd_reply_clear(&reply);
    if (atomic_fetch_add(&streams->open, 1) >= SD_EVENTS_MAX_STREAMS) {
        atomic_fetch_sub(&streams->open, 1);
        sd_problem_send(c->req, 503, "unavailable", "too many live streams open; try later", NULL);
        return;
    }
    s_stream_t *st = calloc(1, sizeof *st);
    if (st) {
        st->streams = streams;
        st->token = strdup(c->token);
        st->sub = zsock_new_sub(SD_CHANGES_ENDPOINT, "");
        snprintf(st->login, sizeof st->login, "%s", login);
        st->agent = agent;
    }
    if (st && st->sub && zsock_connect(st->sub, "%s", SD_CALLS_ENDPOINT) != 0)
        zsock_destroy(&st->sub);
    if (!st || !st->token || !st->sub) {
        if (st)
            s_done(st);
        else
            atomic_fetch_sub(&streams->open, 1);
        sd_problem_send(c->req, 500, "no_memory", "cannot open a stream", NULL);
        return;
    }
    zsock_set_linger(st->sub, 0);
    /* The client reconnects after 3 s; the first line opens the stream at once. */
    static const char hello[] = "retry: 3000\n: connected\n\n";
    s_append(st, hello, sizeof hello - 1);
    st->next_keepalive = zclock_mono() + SD_EVENTS_KEEPALIVE_MS;
    sd_http_add_header(c->req, "Cache-Control", "no-store");
    sd_http_add_header(c->req, "X-Accel-Buffering", "no");
    sd_http_stream(c->req, 200, "text/event-stream; charset=utf-8", s_read, st, s_done);
}
