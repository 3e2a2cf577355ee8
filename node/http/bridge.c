/* bridge.c - one request of the client protocol over the node's in-process socket (bridge.h). */
#include "bridge.h"

#include "error.h"

#include <czmq.h>
#include <pthread.h>
#include <stdatomic.h>

#define S_POOL 32 /* idle sockets kept for the next calls */

/* Sockets between calls. A socket per call cost about a fifth of the node's CPU under load
 * (made, connected, and closed by libzmq's reaper each time); kept ones move between the
 * connection threads under this mutex (a full memory barrier, as libzmq asks). A socket whose
 * call timed out is closed, never kept: its late reply must reach nobody. */
static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static zsock_t *s_pool[S_POOL];
static int s_idle;
static atomic_uint_fast64_t s_next_id = 1;

static zsock_t *s_take(void)
{
    zsock_t *sock = NULL;
    pthread_mutex_lock(&s_lock);
    if (s_idle > 0)
        sock = s_pool[--s_idle];
    pthread_mutex_unlock(&s_lock);
    if (sock)
        return sock;
    if (!(sock = zsock_new(ZMQ_DEALER)))
        return NULL;
    zsock_set_linger(sock, 0);
    if (zsock_connect(sock, "%s", SD_BRIDGE_ENDPOINT) != 0)
        zsock_destroy(&sock);
    return sock;
}

static void s_give(zsock_t **sock)
{
    pthread_mutex_lock(&s_lock);
    if (s_idle < S_POOL) {
        s_pool[s_idle++] = *sock;
        *sock = NULL;
    }
    pthread_mutex_unlock(&s_lock);
    zsock_destroy(sock);
}

void sd_bridge_shutdown(void)
{
    pthread_mutex_lock(&s_lock);
    while (s_idle > 0)
        zsock_destroy(&s_pool[--s_idle]);
    pthread_mutex_unlock(&s_lock);
}

static void s_key_str(sd_mp_writer_t *w, const char *key, const char *value)
{
    sd_mp_str(w, key);
    sd_mp_str(w, value);
}

/* The reply, or NULL after SD_BRIDGE_TIMEOUT_MS or when the node is stopping (the server loop
 * then answers nothing more: waiting on would hold up the stop). */
static zframe_t *s_wait(zsock_t *sock)
{
    int64_t end = zclock_mono() + SD_BRIDGE_TIMEOUT_MS;
    while (!zsys_interrupted && zclock_mono() < end) {
        zmq_pollitem_t item = {zsock_resolve(sock), 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, 200) > 0)
            return zframe_recv(sock);
    }
    return NULL;
}

int sd_bridge_call(const sd_bridge_call_t *call, sd_reply_t *reply)
{
    *reply = (sd_reply_t){0};
    sd_mp_writer_t *w = sd_mp_writer_new();
    if (!w)
        return SD_ENOMEM;
    uint32_t pairs = 3 + (call->args != NULL) + (call->auth != NULL) + (call->if_match != NULL) +
                     (call->idempotency_key != NULL);
    sd_mp_map(w, pairs);
    sd_mp_str(w, "v");
    sd_mp_u64(w, 1);
    uint64_t id = atomic_fetch_add(&s_next_id, 1);
    sd_mp_str(w, "id");
    sd_mp_u64(w, id);
    s_key_str(w, "op", call->op);
    if (call->args) {
        sd_mp_str(w, "args");
        sd_mp_raw(w, call->args, call->args_len);
    }
    if (call->auth)
        s_key_str(w, "auth", call->auth);
    if (call->if_match)
        s_key_str(w, "if_match", call->if_match);
    if (call->idempotency_key)
        s_key_str(w, "idempotency_key", call->idempotency_key);
    int rc = sd_mp_writer_error(w) ? SD_ENOMEM : 0;
    zsock_t *sock = rc ? NULL : s_take();
    if (!rc && !sock)
        rc = SD_EIO;
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    zframe_t *frame = rc ? NULL : zframe_new(data, len);
    if (!rc && (!frame || zframe_send(&frame, sock, 0) != 0)) {
        zframe_destroy(&frame);
        rc = SD_EIO;
    }
    if (!rc) {
        zframe_t *answer = s_wait(sock);
        if (!answer)
            rc = SD_ETIMEOUT;
        else if (sd_reply_decode(zframe_data(answer), zframe_size(answer), reply) != 0)
            rc = SD_EMSGPACK;
        else if (reply->id != id) /* cannot happen on a socket that never timed out */
            rc = SD_EMSGPACK;
        zframe_destroy(&answer);
    }
    if (rc)
        zsock_destroy(&sock);
    else
        s_give(&sock);
    sd_mp_writer_destroy(&w);
    return rc;
}
