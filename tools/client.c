/* client.c - synchronous DEALER client. */
#include "client.h"

#include "error.h"

#include <czmq.h>
#include <string.h>
#include <sys/stat.h>

struct sd_client {
    zsock_t *dealer;        /* connected to the node */
    int timeout_ms;         /* per call */
    uint64_t next_id;       /* request ids, to match replies */
    sd_mp_writer_t *writer; /* request encoding buffer */
};

int sd_client_new(const char *endpoint, int timeout_ms, sd_client_t **out)
{
    *out = NULL;
    if (strncmp(endpoint, "ipc://", 6) == 0) {
        struct stat st;
        if (stat(endpoint + 6, &st) != 0 || !S_ISSOCK(st.st_mode))
            return SD_EUNAVAILABLE;
    }
    sd_client_t *c = calloc(1, sizeof *c);
    if (!c)
        return SD_ENOMEM;
    c->timeout_ms = timeout_ms;
    c->next_id = 1;
    c->writer = sd_mp_writer_new();
    c->dealer = zsock_new(ZMQ_DEALER);
    if (!c->writer || !c->dealer) {
        sd_client_destroy(&c);
        return SD_ENOMEM;
    }
    zsock_set_linger(c->dealer, 0);
    if (zsock_connect(c->dealer, "%s", endpoint) < 0) {
        sd_client_destroy(&c);
        return SD_EUNAVAILABLE;
    }
    *out = c;
    return 0;
}

void sd_client_destroy(sd_client_t **client)
{
    if (!client || !*client)
        return;
    zsock_destroy(&(*client)->dealer);
    sd_mp_writer_destroy(&(*client)->writer);
    free(*client);
    *client = NULL;
}

/* Waits for one single-frame message; SD_ETIMEOUT when none comes in time. */
static int s_recv(sd_client_t *c, int64_t deadline, zframe_t **frame)
{
    for (;;) {
        int64_t left = deadline - zclock_mono();
        if (left <= 0)
            return SD_ETIMEOUT;
        zmq_pollitem_t item = {zsock_resolve(c->dealer), 0, ZMQ_POLLIN, 0};
        int n = zmq_poll(&item, 1, (long)left);
        if (n < 0)
            return zmq_errno() == EINTR ? SD_ETIMEOUT : SD_EIO;
        if (n == 0)
            continue;
        zmsg_t *msg = zmsg_recv(c->dealer);
        if (!msg)
            return SD_EIO;
        *frame = zmsg_pop(msg);
        zmsg_destroy(&msg);
        return *frame ? 0 : SD_EMSGPACK;
    }
}

int sd_client_send(sd_client_t *c, sd_request_t *req)
{
    req->id = c->next_id++;
    sd_mp_writer_reset(c->writer);
    sd_request_encode(req, c->writer);
    if (sd_mp_writer_error(c->writer))
        return SD_ENOMEM;
    size_t len;
    const void *data = sd_mp_writer_data(c->writer, &len);
    return zsock_send(c->dealer, "b", data, len) == 0 ? 0 : SD_EIO;
}

int sd_client_call(sd_client_t *c, sd_request_t *req, sd_reply_t *reply)
{
    memset(reply, 0, sizeof *reply);
    int rc = sd_client_send(c, req);
    if (rc)
        return rc;
    int64_t deadline = zclock_mono() + c->timeout_ms;
    for (;;) {
        zframe_t *frame = NULL;
        rc = s_recv(c, deadline, &frame);
        if (rc)
            return rc;
        rc = sd_reply_decode(zframe_data(frame), zframe_size(frame), reply);
        zframe_destroy(&frame);
        if (rc)
            return rc;
        if (reply->id == req->id)
            return 0;
        sd_reply_clear(reply); /* a late answer to an earlier, abandoned call */
    }
}

int sd_client_recv(sd_client_t *c, sd_reply_t *reply)
{
    memset(reply, 0, sizeof *reply);
    zframe_t *frame = NULL;
    int rc = s_recv(c, zclock_mono() + c->timeout_ms, &frame);
    if (rc)
        return rc;
    rc = sd_reply_decode(zframe_data(frame), zframe_size(frame), reply);
    zframe_destroy(&frame);
    return rc;
}

int sd_client_call_raw(sd_client_t *c, const void *data, size_t len, void **out, size_t *out_len)
{
    *out = NULL;
    if (zsock_send(c->dealer, "b", data, len) != 0)
        return SD_EIO;
    zframe_t *frame = NULL;
    int rc = s_recv(c, zclock_mono() + c->timeout_ms, &frame);
    if (rc)
        return rc;
    *out_len = zframe_size(frame);
    *out = malloc(*out_len ? *out_len : 1);
    if (*out)
        memcpy(*out, zframe_data(frame), *out_len);
    zframe_destroy(&frame);
    return *out ? 0 : SD_ENOMEM;
}
