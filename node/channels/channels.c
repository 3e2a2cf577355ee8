/* channels.c - the channels thread: following the log into the send queue, and handing the
 * queue's entries off (channels.h). */
#include "channels.h"

#include "clock.h"
#include "error.h"
#include "event.h"
#include "log.h"
#include "notice.h"
#include "robot.h"
#include "ticket.h"
#include "outbox_args.h"
#include "request.h"
#include "vector.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_LOOK_MS 1000 /* the thread looks at the log and the queue this often when not woken */

struct sd_channels {
    zactor_t *actor;    /* the thread */
    atomic_bool woken;  /* events were committed since the thread last looked */
    void *thread_state; /* the thread's s_thread_t, freed once the thread has ended */
};

/* A request handed to the thread. */
typedef struct {
    uint64_t tag, id;                /* the server's tag, the request's id */
    int op;                          /* sd_req_op_t */
    int state;                       /* outbox.list: sd_sendq_state_t, -1 any */
    char ticket[SD_ID_MAX + 1];      /* outbox.list: "" any */
    char after[SD_SENDQ_ID_MAX + 1]; /* outbox.list: "" from the first */
    int limit;                       /* outbox.list */
    char entry[SD_SENDQ_ID_MAX + 1]; /* outbox.retry */
} s_job_t;

typedef struct {
    sd_channels_t *self;
    const sd_config_t *cfg;
    sd_store_t *store;
    sd_sendq_t *q;
    char console_url[SD_MAIL_PATH_MAX];
    sd_vector_t cursor; /* the events already turned into notices */
    bool failing;       /* the last step failed (logged once) */
    sd_mp_writer_t *w;  /* scratch for replies */
} s_thread_t;

bool sd_channels_op(int op)
{
    return op == SD_REQ_OUTBOX_LIST || op == SD_REQ_OUTBOX_RETRY;
}

void sd_channels_wake(sd_channels_t *c)
{
    if (c)
        atomic_store(&c->woken, true);
}

zsock_t *sd_channels_socket(sd_channels_t *c)
{
    return zactor_sock(c->actor);
}

int sd_channels_ask(sd_channels_t *c, uint64_t tag, const sd_request_t *req)
{
    s_job_t *job = calloc(1, sizeof *job);
    if (!job)
        return SD_ENOMEM;
    const sd_outbox_args_t *a = &req->args.outbox;
    *job = (s_job_t){.tag = tag, .id = req->id, .op = req->op, .state = -1, .limit = 50};
    if (sd_request_has(req, SD_ARG_OUTBOX_STATE))
        job->state = a->state;
    if (a->limit > 0)
        job->limit = a->limit;
    snprintf(job->ticket, sizeof job->ticket, "%s", a->ticket ? a->ticket : "");
    snprintf(job->after, sizeof job->after, "%s", a->after ? a->after : "");
    snprintf(job->entry, sizeof job->entry, "%s", a->id ? a->id : "");
    if (zsock_send(zactor_sock(c->actor), "sp", "ASK", job) != 0) {
        free(job);
        return SD_ENOMEM;
    }
    return 0;
}

int sd_channels_take(sd_channels_t *c, uint64_t *tag, zframe_t **reply, sd_channels_sent_t **sent)
{
    zsock_t *pipe = zactor_sock(c->actor);
    *reply = NULL;
    *sent = NULL;
    if (!(zsock_events(pipe) & ZMQ_POLLIN))
        return SD_ENOTFOUND;
    zmsg_t *msg = zmsg_recv(pipe);
    char *what = msg ? zmsg_popstr(msg) : NULL;
    zframe_t *a = msg ? zmsg_pop(msg) : NULL, *b = msg ? zmsg_pop(msg) : NULL;
    int rc = SD_ENOTFOUND;
    if (what && !strcmp(what, "REPLY") && a && b && zframe_size(a) == sizeof *tag) {
        memcpy(tag, zframe_data(a), sizeof *tag);
        *reply = b;
        b = NULL;
        rc = 0;
    } else if (what && !strcmp(what, "SENT") && a && zframe_size(a) == sizeof **sent) {
        if ((*sent = malloc(sizeof **sent)) != NULL) {
            memcpy(*sent, zframe_data(a), sizeof **sent);
            rc = 0;
        }
    }
    zstr_free(&what);
    zframe_destroy(&a);
    zframe_destroy(&b);
    zmsg_destroy(&msg);
    return rc;
}

void sd_channels_recorded(sd_channels_t *c, const char *id, int rc)
{
    zsock_send(zactor_sock(c->actor), "ssi", "RECORDED", id, rc);
}

/* ---- following the log ------------------------------------------------------------------- */

/* The events of one step, decoded. */
typedef struct {
    sd_event_t *ev; /* the events read */
    size_t n, cap;  /* used and allocated */
    int rc;         /* first failure */
} s_events_t;

static int s_take_event(const void *bytes, size_t len, void *arg)
{
    s_events_t *e = arg;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        sd_event_t *more = realloc(e->ev, cap * sizeof *more);
        if (!more)
            return e->rc = SD_ENOMEM;
        e->ev = more, e->cap = cap;
    }
    sd_event_t *ev = &e->ev[e->n];
    *ev = (sd_event_t){0};
    if (sd_event_decode(bytes, len, ev, NULL) != 0)
        return e->rc = SD_ECORRUPT;
    e->n++;
    return 0;
}

static uint64_t s_now(const s_thread_t *t)
{
    return (uint64_t)sd_clock_now(&t->cfg->sched.clock);
}

/* Reads the events past the cursor (at most SD_CHANNELS_BATCH), makes their notices and commits
 * them with the new cursor. Returns the events read (0: caught up) or an SD_E* code. */
static int s_step(s_thread_t *t)
{
    sd_store_txn_t *txn;
    sd_vector_t held, to = t->cursor;
    int rc = sd_store_begin_reader(t->store, &txn);
    if (rc)
        return rc;
    rc = sd_store_vector(txn, &held);
    sd_notice_ctx_t nctx = {.cfg = t->cfg,
                            .console_url = t->console_url,
                            .now_ms = s_now(t),
                            .chat = t->cfg->chat.robot_count > 0};
    sd_sendq_entry_t *made = NULL;
    size_t nmade = 0, read = 0;
    for (size_t i = 0; !rc && i < held.count && read < SD_CHANNELS_BATCH; i++) {
        const char *origin = held.entries[i].origin;
        uint64_t from = sd_vector_get(&t->cursor, origin) + 1;
        if (from > held.entries[i].seq)
            continue;
        s_events_t e = {0};
        rc = sd_store_events_from(txn, origin, from, SD_CHANNELS_BATCH - read, s_take_event, &e)
                 ?: e.rc;
        size_t use = e.n > SD_CHANNELS_BATCH - read ? SD_CHANNELS_BATCH - read : e.n;
        if (!rc && use) { /* room for the notices of these events */
            sd_sendq_entry_t *grown =
                realloc(made, (nmade + use * SD_NOTICE_PER_EVENT) * sizeof *made);
            if (grown)
                made = grown;
            else
                rc = SD_ENOMEM;
        }
        for (size_t k = 0; !rc && k < use; k++) {
            memset(made + nmade, 0, SD_NOTICE_PER_EVENT * sizeof *made);
            int n = sd_notice_make(&nctx, txn, &e.ev[k], made + nmade);
            if (n < 0 && n != SD_ENOMEM) { /* a notice that cannot be made is logged, not fatal */
                sd_log(SD_LOG_WARNING, "channels: no notice for event: origin=%s seq=%llu error=%s",
                       e.ev[k].origin, (unsigned long long)e.ev[k].seq, sd_error_name(n));
                n = 0;
            }
            rc = n < 0 ? n : 0;
            nmade += n > 0 ? (size_t)n : 0;
            sd_vector_set(&to, origin, e.ev[k].seq);
        }
        read += use;
        for (size_t k = 0; k < e.n; k++)
            sd_event_clear(&e.ev[k]);
        free(e.ev);
    }
    sd_store_abort(&txn);
    if (!rc && read) {
        char marker[SD_VECTOR_MAX * (SD_SITE_MAX + 24)];
        size_t used = 0;
        marker[0] = 0;
        for (size_t i = 0; i < to.count; i++)
            used += (size_t)snprintf(marker + used, sizeof marker - used, "%s%s:%llu", i ? "," : "",
                                     to.entries[i].origin, (unsigned long long)to.entries[i].seq);
        size_t added = 0;
        rc = sd_sendq_add(t->q, made, nmade, marker, &added);
        if (!rc) {
            t->cursor = to;
            for (size_t i = 0; i < nmade; i++)
                sd_log(SD_LOG_INFO, "channels: queued: id=<%s> kind=%s channel=%s ticket=%s",
                       made[i].id, made[i].kind, sd_sendq_channel_names[made[i].channel],
                       made[i].ticket[0] ? made[i].ticket : "-");
        }
    }
    for (size_t i = 0; i < nmade; i++)
        sd_sendq_entry_clear(&made[i]);
    free(made);
    return rc ? rc : (int)read;
}

/* Parses the queue's cursor marker into t->cursor. */
static int s_load_cursor(s_thread_t *t)
{
    char marker[SD_VECTOR_MAX * (SD_SITE_MAX + 24)];
    int rc = sd_sendq_cursor(t->q, marker, sizeof marker);
    t->cursor = (sd_vector_t){0};
    for (const char *p = marker; !rc && *p;) {
        const char *colon = strchr(p, ':');
        char origin[SD_SITE_MAX + 1];
        if (!colon || colon == p || (size_t)(colon - p) > SD_SITE_MAX)
            return SD_ECORRUPT;
        snprintf(origin, sizeof origin, "%.*s", (int)(colon - p), p);
        char *end;
        unsigned long long seq = strtoull(colon + 1, &end, 10);
        if (end == colon + 1 || (*end && *end != ','))
            return SD_ECORRUPT;
        rc = sd_vector_set(&t->cursor, origin, seq);
        p = *end ? end + 1 : end;
    }
    if (rc || marker[0])
        return rc;
    /* A new queue starts at the log's end: a new or restored node replays nothing. */
    sd_store_txn_t *txn;
    rc = sd_store_begin_reader(t->store, &txn);
    rc = rc ?: sd_store_vector(txn, &t->cursor);
    sd_store_abort(&txn);
    return rc;
}

/* ---- handing off ------------------------------------------------------------------------- */

/* Tells the server what was sent, for the ticket's history. */
static void s_tell_sent(zsock_t *pipe, const sd_sendq_entry_t *e)
{
    sd_channels_sent_t s = {.channel = e->channel, .sent_at = e->sent_at};
    snprintf(s.id, sizeof s.id, "%s", e->id);
    snprintf(s.ticket, sizeof s.ticket, "%s", e->ticket);
    snprintf(s.kind, sizeof s.kind, "%s", e->kind);
    snprintf(s.to, sizeof s.to, "%s", e->to);
    snprintf(s.subject, sizeof s.subject, "%s", e->subject);
    zmsg_t *msg = zmsg_new();
    zmsg_addstr(msg, "SENT");
    zmsg_addmem(msg, &s, sizeof s);
    zmsg_send(&msg, pipe);
}

/* The address of e->to that had auto_per_hour mails within the window, or NULL. */
static const char *s_over_rate(s_thread_t *t, const sd_sendq_entry_t *e, uint64_t now, char *buf,
                               size_t cap)
{
    uint64_t since = now > SD_CHANNELS_RATE_WINDOW_MS ? now - SD_CHANNELS_RATE_WINDOW_MS : 0;
    for (const char *p = e->to; *p;) {
        size_t n = strcspn(p, ",");
        snprintf(buf, cap, "%.*s", (int)n, p);
        if (sd_sendq_sent_to(t->q, buf, since) >= (size_t)t->cfg->mail.auto_per_hour)
            return buf;
        p += n + (p[n] == ',');
    }
    return NULL;
}

/* Posts chat notice e to every robot that wants it and has not taken it yet (e->to keeps the
 * robots that have). A rate-limited robot: SD_EBUSY with e->next_at when it may post again. */
static int s_chat(s_thread_t *t, sd_sendq_entry_t *e, uint64_t now, char *err, size_t cap)
{
    sd_ticket_t tk = {0};
    sd_store_txn_t *txn;
    if (e->ticket[0] && sd_store_begin_reader(t->store, &txn) == 0) {
        sd_store_get_record(txn, &sd_kind_ticket, e->ticket, &tk);
        sd_store_abort(&txn);
    }
    char url[SD_MAIL_PATH_MAX + 64];
    snprintf(url, sizeof url, "%s%s%s", t->console_url, e->ticket[0] ? "#/tickets/" : "",
             e->ticket);
    const char *prio = tk.priority >= 0 && tk.priority < SD_PRIORITY_COUNT_ && e->ticket[0]
                           ? sd_priority_names[tk.priority]
                           : "";
    sd_robot_msg_t m = {.event = e->kind,
                        .ticket = e->ticket,
                        .priority = prio,
                        .team = tk.team ? tk.team : "",
                        .site = tk.owner_site ? tk.owner_site : t->cfg->site,
                        .text = e->body ? e->body : "",
                        .url = t->console_url[0] ? url : ""};
    /* The vendors check their signatures' timestamps against the real time and count their
     * limits on it: the robots run on the wall clock, whatever clock the desk runs on. */
    uint64_t wall = (uint64_t)zclock_time(), retry_at = 0;
    int wanted = 0;
    int rc = sd_robot_post_all(&t->cfg->chat, &m, wall, e->to, sizeof e->to, &wanted, &retry_at,
                               err, cap);
    if (rc == SD_EBUSY)
        e->next_at = now + (retry_at > wall ? retry_at - wall : 1000);
    if (!rc && !wanted) { /* sent to no one: nothing for the ticket's history */
        snprintf(err, cap, "no robot of the chat section takes %s notices%s%s", e->kind,
                 tk.team && tk.team[0] ? " of team " : "", tk.team ? tk.team : "");
        rc = SD_ENOTFOUND;
    }
    sd_ticket_clear(&tk);
    return rc;
}

/* Hands one due entry off. Returns true when one was handled. */
static bool s_deliver_one(s_thread_t *t, zsock_t *pipe)
{
    uint64_t now = s_now(t);
    sd_sendq_entry_t e;
    if (sd_sendq_due(t->q, now, &e, NULL) != 0)
        return false;
    char err[SD_SENDQ_ERROR_MAX + 1] = "", who[SD_MAIL_ADDR_MAX + 1];
    int rc;
    const char *over =
        e.channel == SD_SENDQ_EMAIL ? s_over_rate(t, &e, now, who, sizeof who) : NULL;
    e.state = SD_SENDQ_SENDING;
    e.attempts++;
    if (over) { /* held (not a failed try) until the hour's count allows it */
        snprintf(err, sizeof err,
                 "held: %.128s had %d automatic mails in the last hour (mail/auto_per_hour)", over,
                 t->cfg->mail.auto_per_hour);
        e.next_at = now + SD_CHANNELS_RATE_WINDOW_MS / 6;
        rc = SD_EBUSY;
    } else if ((rc = sd_sendq_put(t->q, &e)) != 0) { /* committed before the hand-off */
        sd_log(SD_LOG_ERROR, "channels: cannot mark sending: id=<%s> error=%s", e.id,
               sd_error_name(rc));
        sd_sendq_entry_clear(&e);
        return false;
    } else if (e.channel == SD_SENDQ_EMAIL) {
        rc = sd_deliver_mail(&t->cfg->mail, e.to, e.body ? e.body : "", SD_DELIVER_TIMEOUT_MS, err,
                             sizeof err);
    } else {
        rc = s_chat(t, &e, now, err, sizeof err);
    }
    now = s_now(t);
    bool chat = e.channel == SD_SENDQ_CHAT;
    if (rc == 0 || (chat && rc == SD_ENOTFOUND)) { /* no robot wants it: done, nothing told */
        e.recorded = rc != 0;
        e.state = SD_SENDQ_SENT;
        e.sent_at = now;
        e.error[0] = 0;
    } else if (rc == SD_EBUSY && e.next_at > now) {
        e.state = SD_SENDQ_QUEUED; /* a rate limit (a robot's, auto_per_hour): not a failed try */
        e.attempts--;
    } else if ((rc == SD_EBUSY || (chat && rc == SD_EIO)) && e.attempts < SD_CHANNELS_ATTEMPTS) {
        /* a robot that failed (down, refused) is tried again with the backoff */
        uint64_t wait = (uint64_t)SD_CHANNELS_BACKOFF_MS << (e.attempts - 1);
        e.state = SD_SENDQ_QUEUED;
        e.next_at = now + (wait < SD_CHANNELS_BACKOFF_MAX_MS ? wait : SD_CHANNELS_BACKOFF_MAX_MS);
    } else {
        e.state = SD_SENDQ_FAILED;
    }
    if (rc)
        snprintf(e.error, sizeof e.error, "%s", err);
    int prc = sd_sendq_put(t->q, &e);
    sd_log(rc ? SD_LOG_WARNING : SD_LOG_INFO,
           "channels: %s: id=<%s> kind=%s ticket=%s attempts=%u%s%s%s",
           sd_sendq_state_names[e.state], e.id, e.kind, e.ticket[0] ? e.ticket : "-", e.attempts,
           rc ? " reason=\"" : "", rc ? err : "", rc ? "\"" : "");
    if (prc)
        sd_log(SD_LOG_ERROR, "channels: cannot record the hand-off: id=<%s> error=%s", e.id,
               sd_error_name(prc));
    if (!prc && rc == 0 && e.ticket[0])
        s_tell_sent(pipe, &e);
    sd_sendq_entry_clear(&e);
    return true;
}

/* The chat notices posted in the last minute, counted again in their robots' limiters (kept in
 * memory): a burst stays within per_minute across a restart. */
typedef struct {
    const sd_chat_config_t *chat;
    uint64_t now, wall; /* the desk's clock, the wall clock */
} s_recent_t;

static int s_recent_post(const sd_sendq_entry_t *e, void *arg)
{
    const s_recent_t *r = arg;
    if (e->channel == SD_SENDQ_CHAT && e->to[0] && e->sent_at <= r->now &&
        e->sent_at + 60000 > r->now)
        sd_robot_note_posted(r->chat, e->to, r->wall - (r->now - e->sent_at));
    return 0;
}

/* Entries sent but not in the history yet (a stop between the two) are told again. */
static int s_unrecorded(const sd_sendq_entry_t *e, void *arg)
{
    if (!e->recorded && e->ticket[0])
        s_tell_sent(arg, e);
    return 0;
}

static void s_recorded(s_thread_t *t, const char *id, int rc)
{
    sd_sendq_entry_t e;
    if (rc != 0 || sd_sendq_get(t->q, id, &e) != 0)
        return;
    e.recorded = true;
    sd_sendq_put(t->q, &e);
    sd_sendq_entry_clear(&e);
}

/* ---- requests ---------------------------------------------------------------------------- */

typedef struct {
    sd_mp_writer_t *w;
    int limit, n;
    char last[SD_SENDQ_ID_MAX + 1];
    bool more;
} s_list_t;

static void s_entry_map(sd_mp_writer_t *w, const sd_sendq_entry_t *e)
{
    sd_mp_map(w, 12);
    sd_mp_str(w, "id"), sd_mp_str(w, e->id);
    sd_mp_str(w, "state"), sd_mp_str(w, sd_sendq_state_names[e->state]);
    sd_mp_str(w, "channel"), sd_mp_str(w, sd_sendq_channel_names[e->channel]);
    sd_mp_str(w, "kind"), sd_mp_str(w, e->kind);
    sd_mp_str(w, "ticket"), e->ticket[0] ? sd_mp_str(w, e->ticket) : sd_mp_nil(w);
    sd_mp_str(w, "to"), sd_mp_str(w, e->to);
    sd_mp_str(w, "subject"), sd_mp_str(w, e->subject);
    sd_mp_str(w, "attempts"), sd_mp_u64(w, e->attempts);
    sd_mp_str(w, "created_at"), sd_mp_u64(w, e->created_at);
    sd_mp_str(w, "next_at"), sd_mp_u64(w, e->state == SD_SENDQ_QUEUED ? e->next_at : 0);
    sd_mp_str(w, "sent_at"), sd_mp_u64(w, e->sent_at);
    sd_mp_str(w, "error"), e->error[0] ? sd_mp_str(w, e->error) : sd_mp_nil(w);
}

static int s_list_one(const sd_sendq_entry_t *e, void *arg)
{
    s_list_t *l = arg;
    if (l->n == l->limit) {
        l->more = true;
        return 1;
    }
    s_entry_map(l->w, e);
    snprintf(l->last, sizeof l->last, "%s", e->id);
    l->n++;
    return 0;
}

static void s_serve(s_thread_t *t, zsock_t *pipe, const s_job_t *job)
{
    sd_mp_writer_t *w = t->w;
    sd_mp_writer_reset(w);
    int rc = 0;
    char fault[SD_SENDQ_ID_MAX + 128] = "";
    if (job->op == SD_REQ_OUTBOX_LIST) {
        /* the entries first into a scratch writer: their count heads the array */
        sd_mp_writer_t *items = sd_mp_writer_new();
        s_list_t l = {.w = items, .limit = job->limit};
        rc = items ? sd_sendq_list(t->q, job->state, job->ticket, job->after, s_list_one, &l)
                   : SD_ENOMEM;
        rc = rc == 1 ? 0 : rc;
        if (!rc) {
            size_t len;
            const void *data = sd_mp_writer_data(items, &len);
            sd_reply_ok_begin(w, job->id);
            sd_mp_map(w, 2);
            sd_mp_str(w, "entries");
            sd_mp_array(w, (uint32_t)l.n);
            sd_mp_raw(w, data, len);
            sd_mp_str(w, "more");
            sd_mp_bool(w, l.more);
        }
        sd_mp_writer_destroy(&items);
    } else {
        rc = sd_sendq_retry(t->q, job->entry, s_now(t));
        if (rc == SD_ENOTFOUND)
            snprintf(fault, sizeof fault, "args.id: no outbox entry %s", job->entry);
        else if (rc == SD_ETRANSITION)
            snprintf(fault, sizeof fault,
                     "outbox entry %s is not failed or unknown: nothing to retry", job->entry);
        sd_sendq_entry_t e;
        if (!rc && (rc = sd_sendq_get(t->q, job->entry, &e)) == 0) {
            sd_log(SD_LOG_INFO, "channels: retry: id=<%s>", e.id);
            sd_reply_ok_begin(w, job->id);
            s_entry_map(w, &e);
            sd_sendq_entry_clear(&e);
        }
    }
    if (!rc && sd_mp_writer_error(w))
        rc = SD_ENOMEM;
    if (rc) {
        sd_mp_writer_reset(w);
        sd_reply_error(w, job->id, rc, fault[0] ? fault : sd_strerror(rc));
    }
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    zmsg_t *msg = zmsg_new();
    zmsg_addstr(msg, "REPLY");
    zmsg_addmem(msg, &job->tag, sizeof job->tag);
    zmsg_addmem(msg, data, len);
    zmsg_send(&msg, pipe);
}

/* ---- the thread -------------------------------------------------------------------------- */

/* Removes the entries that are over (sendq.h, sd_sendq_prune). */
static void s_prune(s_thread_t *t)
{
    uint64_t now = s_now(t);
    size_t removed = 0;
    int rc = sd_sendq_prune(t->q, now > SD_CHANNELS_KEEP_MS ? now - SD_CHANNELS_KEEP_MS : 0,
                            now > SD_CHANNELS_RATE_WINDOW_MS ? now - SD_CHANNELS_RATE_WINDOW_MS : 0,
                            &removed);
    if (rc)
        sd_log(SD_LOG_WARNING, "channels: cannot prune the send queue: error=%s",
               sd_error_name(rc));
    else if (removed)
        sd_log(SD_LOG_INFO, "channels: pruned: entries=%zu", removed);
}

static void s_thread(zsock_t *pipe, void *arg)
{
    s_thread_t *t = arg;
    zsock_signal(pipe, 0);
    sd_sendq_list(t->q, SD_SENDQ_SENT, NULL, NULL, s_unrecorded, pipe);
    s_recent_t recent = {.chat = &t->cfg->chat, .now = s_now(t), .wall = (uint64_t)zclock_time()};
    if (t->cfg->chat.robot_count)
        sd_sendq_list(t->q, SD_SENDQ_SENT, NULL, NULL, s_recent_post, &recent);
    int64_t next_look = 0, next_prune = 0;
    bool more = true;
    for (bool running = true; running;) {
        zmq_pollitem_t item = {zsock_resolve(pipe), 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, more ? 0 : 20) < 0 && zmq_errno() != EINTR)
            break;
        while (running && (zsock_events(pipe) & ZMQ_POLLIN)) {
            zmsg_t *msg = zmsg_recv(pipe);
            char *cmd = msg ? zmsg_popstr(msg) : NULL;
            running = cmd && strcmp(cmd, "$TERM") != 0;
            if (running && !strcmp(cmd, "ASK")) {
                zframe_t *f = zmsg_pop(msg);
                s_job_t *job =
                    f && zframe_size(f) == sizeof job ? *(s_job_t **)zframe_data(f) : NULL;
                if (job)
                    s_serve(t, pipe, job);
                free(job);
                zframe_destroy(&f);
            } else if (running && !strcmp(cmd, "RECORDED")) {
                char *id = zmsg_popstr(msg), *rc = zmsg_popstr(msg);
                if (id && rc)
                    s_recorded(t, id, atoi(rc));
                zstr_free(&id);
                zstr_free(&rc);
            }
            zstr_free(&cmd);
            zmsg_destroy(&msg);
        }
        if (!running)
            break;
        int64_t now = zclock_mono();
        if (now >= next_prune) {
            next_prune = now + SD_CHANNELS_RATE_WINDOW_MS;
            s_prune(t);
        }
        if (atomic_exchange(&t->self->woken, false) || now >= next_look) {
            more = true;
            next_look = now + S_LOOK_MS;
        }
        if (!more)
            continue;
        int n = s_step(t);
        if (n < 0 && !t->failing)
            sd_log(SD_LOG_ERROR, "channels: reading the log failed: error=%s", sd_error_name(n));
        t->failing = n < 0;
        bool sent = s_deliver_one(t, pipe);
        more = n > 0 || sent;
    }
}

int sd_channels_new(const sd_config_t *cfg, sd_store_t *store, const char *console_url,
                    sd_channels_t **out, char *err, size_t cap)
{
    *out = NULL;
    sd_channels_t *c = calloc(1, sizeof *c);
    s_thread_t *t = calloc(1, sizeof *t);
    if (!c || !t || !(t->w = sd_mp_writer_new())) {
        free(c);
        free(t);
        return SD_ENOMEM;
    }
    t->self = c, t->cfg = cfg, t->store = store;
    snprintf(t->console_url, sizeof t->console_url, "%s", console_url ? console_url : "");
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/sendq", sd_store_dir(store));
    size_t unknown = 0;
    int rc = sd_sendq_open(dir, &t->q, &unknown, err, cap);
    if (!rc && (rc = s_load_cursor(t)) != 0)
        snprintf(err, cap, "send queue %s: its cursor is unreadable (%s)", dir, sd_strerror(rc));
    if (!rc && !(c->actor = zactor_new(s_thread, t)))
        rc = SD_ENOMEM;
    if (rc) {
        sd_sendq_close(&t->q);
        sd_mp_writer_destroy(&t->w);
        free(t);
        free(c);
        return rc;
    }
    if (unknown)
        sd_log(SD_LOG_WARNING,
               "channels: %zu notices were being handed off when the node stopped: state "
               "unknown, not resent (outbox list --state unknown; outbox retry ID)",
               unknown);
    c->thread_state = t;
    *out = c;
    return 0;
}

void sd_channels_destroy(sd_channels_t **channels)
{
    if (!channels || !*channels)
        return;
    sd_channels_t *c = *channels;
    zactor_destroy(&c->actor);
    s_thread_t *t = c->thread_state;
    if (t) {
        sd_sendq_close(&t->q);
        sd_mp_writer_destroy(&t->w);
        free(t);
    }
    free(c);
    *channels = NULL;
}
