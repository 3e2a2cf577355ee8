/* sync.c - replica decisions and the heartbeat and sync-request messages. */
#include "sync.h"

#include "error.h"

#include <stddef.h>
#include <string.h>

bool sd_sync_may_send(const sd_peer_t *peer, const char *self, const char *origin)
{
    if (peer->also[0] && strcmp(peer->also, origin) == 0)
        return true;
    if (strcmp(origin, self) == 0) /* nobody else makes this node's events */
        return false;
    return peer->role == SD_ROLE_HUB || strcmp(peer->site, origin) == 0;
}

sd_recv_t sd_sync_classify(const sd_peer_t *peer, const char *self, const sd_event_t *ev,
                           uint64_t applied)
{
    if (!sd_sync_may_send(peer, self, ev->origin))
        return SD_RECV_REFUSED;
    if (ev->seq <= applied)
        return SD_RECV_DUPLICATE;
    return ev->seq == applied + 1 ? SD_RECV_APPLY : SD_RECV_GAP;
}

size_t sd_sync_plan(const sd_peer_t *peer, const char *self, const sd_vector_t *ours,
                    const sd_vector_t *theirs, sd_sync_request_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < theirs->count && n < cap; i++) {
        const sd_vector_entry_t *e = &theirs->entries[i];
        uint64_t have = sd_vector_get(ours, e->origin);
        if (e->seq > have && sd_sync_may_send(peer, self, e->origin)) {
            strcpy(out[n].origin, e->origin);
            out[n].from = have + 1;
            n++;
        }
    }
    return n;
}

void sd_heartbeat_encode(const char *site, const sd_vector_t *vector, sd_mp_writer_t *w)
{
    sd_mp_map(w, 3);
    sd_mp_str(w, "v");
    sd_mp_u64(w, SD_PROTO_VERSION);
    sd_mp_str(w, "site");
    sd_mp_str(w, site);
    sd_mp_str(w, "vector");
    sd_vector_encode(vector, w);
}

/* Parses buf as a map and checks "v"; the caller reads the rest. */
static int s_open(const void *buf, size_t len, sd_mp_doc_t **doc, const char *what,
                  sd_fault_t *fault)
{
    if (len > SD_MESSAGE_MAX)
        return sd_fault_set(fault, SD_ETOOBIG, "%s: %zu bytes (max %d)", what, len, SD_MESSAGE_MAX);
    int rc = sd_mp_doc_parse(buf, len, doc);
    if (rc)
        return sd_fault_set(fault, rc, "%s: %s", what, sd_strerror(rc));
    const sd_mp_node_t *root = sd_mp_doc_root(*doc), *v = sd_mp_get(root, "v");
    uint64_t version = 0;
    if (sd_mp_kind(root) != SD_MP_MAP || !v || sd_mp_uint(v, &version) != 0)
        rc = sd_fault_set(fault, SD_ETYPE, "%s: expected a map with \"v\"", what);
    else if (version != SD_PROTO_VERSION)
        rc = sd_fault_set(fault, SD_EVERSION, "%s.v: version %llu is not supported", what,
                          (unsigned long long)version);
    if (rc)
        sd_mp_doc_destroy(doc);
    return rc;
}

/* Copies a site id str node into out; SD_ERANGE when it is no site id. */
static int s_site(const sd_mp_node_t *n, char out[SD_SITE_MAX + 1])
{
    size_t len;
    const char *s = n ? sd_mp_bytes(n, &len) : NULL;
    if (!s || sd_mp_kind(n) != SD_MP_STR || len > SD_SITE_MAX)
        return SD_ERANGE;
    memcpy(out, s, len);
    out[len] = 0;
    return sd_site_valid(out) ? 0 : SD_ERANGE;
}

int sd_heartbeat_decode(const void *buf, size_t len, char site[SD_SITE_MAX + 1],
                        sd_vector_t *vector, sd_fault_t *fault)
{
    sd_mp_doc_t *doc = NULL;
    int rc = s_open(buf, len, &doc, "heartbeat", fault);
    if (rc)
        return rc;
    const sd_mp_node_t *root = sd_mp_doc_root(doc), *vec = sd_mp_get(root, "vector");
    if (sd_mp_len(root) != 3 || s_site(sd_mp_get(root, "site"), site) != 0 || !vec)
        rc = sd_fault_set(fault, SD_ETYPE, "heartbeat: expected {v, site, vector}");
    else
        rc = sd_vector_decode(vec, vector, fault);
    sd_mp_doc_destroy(&doc);
    return rc;
}

void sd_sync_request_encode(const sd_sync_request_t *req, sd_mp_writer_t *w)
{
    sd_mp_map(w, 3);
    sd_mp_str(w, "v");
    sd_mp_u64(w, SD_PROTO_VERSION);
    sd_mp_str(w, "origin");
    sd_mp_str(w, req->origin);
    sd_mp_str(w, "from");
    sd_mp_u64(w, req->from);
}

int sd_sync_request_decode(const void *buf, size_t len, sd_sync_request_t *req, sd_fault_t *fault)
{
    sd_mp_doc_t *doc = NULL;
    int rc = s_open(buf, len, &doc, "sync request", fault);
    if (rc)
        return rc;
    const sd_mp_node_t *root = sd_mp_doc_root(doc), *from = sd_mp_get(root, "from");
    if (sd_mp_len(root) != 3 || s_site(sd_mp_get(root, "origin"), req->origin) != 0 || !from ||
        sd_mp_uint(from, &req->from) != 0 || req->from == 0)
        rc = sd_fault_set(fault, SD_ETYPE, "sync request: expected {v, origin, from >= 1}");
    sd_mp_doc_destroy(&doc);
    return rc;
}
