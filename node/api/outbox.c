/* outbox.c - replies waiting for a client that does not read them fast enough (outbox.h). */
#include "outbox.h"

#include "error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ID_MAX 255 /* a ZeroMQ routing id is 1..255 bytes */

/* One client connection with replies waiting. */
typedef struct {
    zsock_t *sock;                   /* the client socket it is on; NULL: a free slot */
    uint8_t id[ID_MAX];              /* its routing id */
    size_t idlen;                    /* ... its length */
    zmsg_t *replies[SD_OUTBOX_MSGS]; /* waiting replies, a ring from head, oldest first */
    size_t head, count;              /* the ring */
    size_t bytes;                    /* their size */
    int64_t moved;                   /* monotonic ms libzmq last took one, or waiting began */
} s_client_t;

struct sd_outbox {
    s_client_t clients[SD_OUTBOX_CLIENTS]; /* clients with replies waiting */
    size_t bytes;                          /* bytes waiting, all clients */
    size_t nclients;                       /* slots in use */
    uint64_t waited, dropped;              /* counters (sd_outbox_stats_t) */
};

int sd_outbox_new(sd_outbox_t **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : SD_ENOMEM;
}

/* Drops what waits for c (counted as dropped) and frees its slot. */
static void s_release(sd_outbox_t *o, s_client_t *c)
{
    for (; c->count; c->count--, c->head = (c->head + 1) % SD_OUTBOX_MSGS) {
        zmsg_destroy(&c->replies[c->head]);
        o->dropped++;
    }
    o->bytes -= c->bytes;
    o->nclients--;
    memset(c, 0, sizeof *c);
}

void sd_outbox_destroy(sd_outbox_t **outbox)
{
    if (!outbox || !*outbox)
        return;
    for (size_t i = 0; i < SD_OUTBOX_CLIENTS; i++)
        if ((*outbox)->clients[i].sock)
            s_release(*outbox, &(*outbox)->clients[i]);
    free(*outbox);
    *outbox = NULL;
}

void sd_outbox_socket(zsock_t *sock)
{
    zsock_set_sndhwm(sock, SD_OUTBOX_SNDHWM);
    zsock_set_rcvhwm(sock, SD_OUTBOX_RCVHWM);
    /* A full pipe then fails the send with EAGAIN (a gone client with EHOSTUNREACH) instead of
     * dropping the reply without a word. */
    zsock_set_router_mandatory(sock, 1);
}

/* The slot of the client with routing id `id` on sock, or -1 when nothing waits for it. */
static int s_find(const sd_outbox_t *o, const zsock_t *sock, zframe_t *id)
{
    size_t len = zframe_size(id);
    for (int i = 0; o->nclients && i < SD_OUTBOX_CLIENTS; i++) {
        const s_client_t *c = &o->clients[i];
        if (c->sock == sock && c->idlen == len && memcmp(c->id, zframe_data(id), len) == 0)
            return i;
    }
    return -1;
}

/* Hands msg to libzmq without blocking; msg stays the caller's. Returns 0, or the errno of the
 * first frame: EAGAIN (the client's pipe is full), EHOSTUNREACH (no such client). A ROUTER checks
 * only the routing id frame; once that is taken the other frames cannot fail. */
static int s_offer(zsock_t *sock, zmsg_t *msg)
{
    size_t n = zmsg_size(msg), i = 0;
    for (zframe_t *f = zmsg_first(msg); f; f = zmsg_next(msg), i++) {
        int flags = ZFRAME_REUSE | ZFRAME_DONTWAIT | (i + 1 < n ? ZFRAME_MORE : 0);
        if (zframe_send(&f, sock, flags) != 0)
            return zmq_errno() ? zmq_errno() : EIO;
    }
    return 0;
}

/* A free slot for the client with routing id `id` on sock, or NULL when all are taken. */
static s_client_t *s_claim(sd_outbox_t *o, zsock_t *sock, zframe_t *id, int64_t now_ms)
{
    if (zframe_size(id) == 0 || zframe_size(id) > ID_MAX)
        return NULL;
    for (size_t i = 0; i < SD_OUTBOX_CLIENTS; i++) {
        s_client_t *c = &o->clients[i];
        if (c->sock)
            continue;
        c->sock = sock;
        c->idlen = zframe_size(id);
        memcpy(c->id, zframe_data(id), c->idlen);
        c->moved = now_ms;
        o->nclients++;
        return c;
    }
    return NULL;
}

void sd_outbox_send(sd_outbox_t *o, zsock_t *sock, zmsg_t **reply, int64_t now_ms)
{
    zframe_t *id = *reply ? zmsg_first(*reply) : NULL;
    if (!id) {
        zmsg_destroy(reply);
        return;
    }
    int at = s_find(o, sock, id);
    s_client_t *c = at >= 0 ? &o->clients[at] : NULL;
    if (!c) {
        int err = s_offer(sock, *reply);
        if (err == 0) {
            zmsg_destroy(reply);
            return;
        }
        /* A client that went away is not waited for. */
        if (err == EAGAIN)
            c = s_claim(o, sock, id, now_ms);
    }
    if (!c || c->count == SD_OUTBOX_MSGS) {
        zmsg_destroy(reply);
        o->dropped++;
        return;
    }
    size_t size = zmsg_content_size(*reply);
    c->replies[(c->head + c->count++) % SD_OUTBOX_MSGS] = *reply;
    *reply = NULL;
    c->bytes += size;
    o->bytes += size;
    o->waited++;
}

bool sd_outbox_over(const sd_outbox_t *o, zsock_t *sock, zframe_t *id, size_t pending,
                    size_t pending_all, size_t *waiting)
{
    int at = s_find(o, sock, id);
    *waiting = (at >= 0 ? o->clients[at].bytes : 0) + pending;
    return *waiting >= SD_OUTBOX_CLIENT_BYTES ||
           (*waiting > 0 && o->bytes + pending_all >= SD_OUTBOX_TOTAL_BYTES);
}

/* Offers c's waiting replies in order until libzmq takes no more; adds how many it took to
 * *moved. Frees c's slot when nothing waits any more, or c is gone or stalled. */
static void s_flush_one(sd_outbox_t *o, s_client_t *c, int64_t now_ms, size_t *moved)
{
    while (c->count) {
        zmsg_t **next = &c->replies[c->head];
        int err = s_offer(c->sock, *next);
        if (err == EAGAIN)
            break;
        if (err) { /* gone: nothing more can reach it */
            s_release(o, c);
            return;
        }
        size_t size = zmsg_content_size(*next);
        zmsg_destroy(next);
        c->bytes -= size;
        o->bytes -= size;
        c->head = (c->head + 1) % SD_OUTBOX_MSGS;
        c->count--;
        c->moved = now_ms;
        (*moved)++;
    }
    if (!c->count || now_ms - c->moved >= SD_OUTBOX_STALL_MS)
        s_release(o, c);
}

size_t sd_outbox_flush(sd_outbox_t *o, int64_t now_ms)
{
    size_t moved = 0;
    zsock_t *seen = NULL;
    for (size_t i = 0; o->nclients && i < SD_OUTBOX_CLIENTS; i++) {
        s_client_t *c = &o->clients[i];
        if (!c->sock)
            continue;
        /* libzmq learns that its I/O thread emptied a pipe from a command that a send handles
         * at most once a millisecond; reading ZMQ_EVENTS handles it now. */
        if (c->sock != seen)
            zsock_events(seen = c->sock);
        s_flush_one(o, c, now_ms, &moved);
    }
    return moved;
}

bool sd_outbox_waiting(const sd_outbox_t *o)
{
    return o->nclients > 0;
}

void sd_outbox_stats(const sd_outbox_t *o, sd_outbox_stats_t *st)
{
    *st = (sd_outbox_stats_t){
        .waited = o->waited, .dropped = o->dropped, .bytes = o->bytes, .clients = o->nclients};
}
