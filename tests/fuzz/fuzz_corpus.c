/* fuzz_corpus.c - writes the seed corpora of tests/fuzz from real encodings (make_corpus.sh runs
 * it; the files are committed under corpus/<harness>/).
 *
 *   fuzz_corpus node ENDPOINT OUT   sends a desk's day of requests to the node at ENDPOINT and
 *                                   keeps each request and its reply: OUT/request, OUT/reply
 *   fuzz_corpus store DIR SITE OUT  reads SITE's store in DIR (no node running on it); keeps its
 *                                   events (OUT/event), records of every kind (OUT/record: the
 *                                   kind's index byte, then the record), the heartbeat and sync
 *                                   requests of its vector (OUT/heartbeat, OUT/sync_request) and
 *                                   sync replies of its events (OUT/sync_reply, fuzz_sync_reply's
 *                                   framing) */
#include "client.h"
#include "error.h"
#include "record.h"
#include "store.h"
#include "sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REPLY_EVENTS 6 /* events per sync reply seed */

/* A day at the desk, one request per line: op, then |name=value pairs (command-line text). */
static const char *const s_requests[] = {
    "node.ping",
    "node.status",
    "auth.whoami",
    "team.new|id=messaging|display_name=Messaging|site=LOCAL|tier=L1",
    "user.new|id=carol|display_name=Carol Ng|role=agent|sites=LOCAL|teams=messaging|tier=L1.5|"
    "email=carol@example.com|home_site=LOCAL",
    "user.new|id=bob|display_name=Bob Li|role=requester|email=bob@example.com",
    "token.new|user=carol|name=ci|days=30",
    "ticket.new|title=Mail stuck in outbox|requester=bob|type=incident|description=Since "
    "10:00.\nOutlook only.|channel=chat|category=email|impact=2|urgency=2|team=messaging",
    "ticket.new|title=VPN down|impact=1|urgency=1|major=yes",
    "ticket.ack|id=LOCAL-000001",
    "ticket.assign|id=LOCAL-000001|assignee=carol|team=messaging|tier=L2",
    "ticket.start|id=LOCAL-000001",
    "ticket.comment|id=LOCAL-000001|body=Cleared the cache.|public=yes",
    "ticket.comment|id=LOCAL-000001|body=Suspect the profile",
    "ticket.pending|id=LOCAL-000001|waiting_on=customer|reason=Need a screenshot",
    "ticket.start|id=LOCAL-000001",
    "ticket.update|id=LOCAL-000002|urgency=2|category=network",
    "ticket.resolve|id=LOCAL-000001|resolution=Rebuilt the profile",
    "ticket.close|id=LOCAL-000001|satisfaction=4|feedback=ok",
    "ticket.reopen|id=LOCAL-000001|reason=Broke again",
    "ticket.cancel|id=LOCAL-000002|reason=Duplicate",
    "ticket.close|id=LOCAL-000002|satisfaction=5",
    "ticket.get|id=LOCAL-000001",
    "ticket.history|id=LOCAL-000001",
    "ticket.list|open=1|limit=20",
    "ticket.list|status=pending|priority=P3|after=LOCAL-000001",
    "user.get|id=carol",
    "user.list",
    "user.grant|id=bob|role=agent|sites=LOCAL",
    "user.disable|id=bob",
    "team.list",
    "token.list|user=carol",
    "schedule.now",
    "handover.report",
    "audit.list|user=bob",
    "node.digest",
    "repl.status",
    "ticket.get|id=LOCAL-999999",
    NULL};

static int s_save(const char *out, const char *dir, const char *name, const void *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", out, dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/%s", out, dir, name);
    FILE *f = fopen(path, "wb");
    int rc = f && fwrite(data, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc)
        fprintf(stderr, "fuzz_corpus: cannot write %s\n", path);
    return rc;
}

/* Fills req from one line of s_requests. Returns 0 or -1. */
static int s_parse(const char *line, sd_request_t *req)
{
    char *copy = strdup(line), *save = NULL;
    char *op = copy ? strtok_r(copy, "|", &save) : NULL;
    int rc = op && (req->op = sd_req_op_value(op)) >= 0 ? 0 : -1;
    for (char *pair; !rc && (pair = strtok_r(NULL, "|", &save)) != NULL;) {
        char *eq = strchr(pair, '=');
        sd_fault_t fault = {0};
        if (eq)
            *eq = 0;
        if (!eq || sd_request_set(req, sd_req_arg_find(req->op, pair), eq + 1, &fault) != 0) {
            fprintf(stderr, "fuzz_corpus: %s: %s\n", line, fault.text);
            rc = -1;
        }
    }
    free(copy);
    return rc;
}

static int s_node(const char *endpoint, const char *out)
{
    sd_client_t *client = NULL;
    if (sd_client_new(endpoint, 5000, &client) != 0)
        return 1;
    sd_mp_writer_t *w = sd_mp_writer_new();
    int rc = w ? 0 : 1;
    for (int i = 0; !rc && s_requests[i]; i++) {
        sd_request_t req = {.id = (uint64_t)i + 1};
        rc = s_parse(s_requests[i], &req);
        char name[64];
        snprintf(name, sizeof name, "%02d-%s", i, sd_req_op_name(req.op));
        void *reply = NULL;
        size_t len, reply_len = 0;
        sd_mp_writer_reset(w);
        sd_request_encode(&req, w);
        const void *data = sd_mp_writer_data(w, &len);
        rc = rc ?: s_save(out, "request", name, data, len);
        rc = rc ?: sd_client_call_raw(client, data, len, &reply, &reply_len);
        rc = rc ?: s_save(out, "reply", name, reply, reply_len);
        free(reply);
        sd_request_clear(&req);
    }
    sd_mp_writer_destroy(&w);
    sd_client_destroy(&client);
    return rc ? 1 : 0;
}

/* ---- from a store ------------------------------------------------------------ */

typedef struct {
    const char *out;        /* where the seeds go */
    int n;                  /* events seen */
    sd_mp_writer_t *frames; /* the sync reply being gathered */
    int nframes;            /* its events */
    const sd_kind_t *kind;  /* records: their kind */
    int kind_index;         /* ... its index in sd_kinds */
    sd_mp_writer_t *w;      /* scratch */
} s_dump_t;

static int s_flush_reply(s_dump_t *d)
{
    size_t len;
    const void *data = sd_mp_writer_data(d->frames, &len);
    char name[32];
    snprintf(name, sizeof name, "reply-%02d", d->n);
    int rc = d->nframes ? s_save(d->out, "sync_reply", name, data, len) : 0;
    sd_mp_writer_reset(d->frames);
    d->nframes = 0;
    return rc;
}

static int s_event(const void *event, size_t len, void *arg)
{
    s_dump_t *d = arg;
    char name[32];
    snprintf(name, sizeof name, "event-%03d", d->n++);
    uint8_t prefix[2] = {(uint8_t)(len >> 8), (uint8_t)len};
    sd_mp_raw(d->frames, prefix, 2); /* raw bytes: the framing, not msgpack */
    sd_mp_raw(d->frames, event, len);
    int rc = s_save(d->out, "event", name, event, len);
    if (!rc && ++d->nframes == REPLY_EVENTS)
        rc = s_flush_reply(d);
    return rc;
}

static int s_record(const void *record, void *arg)
{
    s_dump_t *d = arg;
    uint8_t index = (uint8_t)d->kind_index;
    char name[96];
    snprintf(name, sizeof name, "%s-%s", d->kind->name, sd_record_cid(d->kind, record));
    sd_mp_writer_reset(d->w);
    sd_mp_raw(d->w, &index, 1);
    sd_record_encode(d->kind, record, true, d->w);
    size_t len;
    const void *data = sd_mp_writer_data(d->w, &len);
    return s_save(d->out, "record", name, data, len);
}

static int s_store(const char *dir, const char *site, const char *out)
{
    sd_store_t *store = NULL;
    sd_store_txn_t *txn = NULL;
    s_dump_t d = {.out = out, .frames = sd_mp_writer_new(), .w = sd_mp_writer_new()};
    int rc = d.frames && d.w ? sd_store_open(dir, site, &store) : SD_ENOMEM;
    rc = rc ?: sd_store_begin(store, false, &txn);
    rc = rc ?: sd_store_events_all(txn, s_event, &d);
    rc = rc ?: s_flush_reply(&d);
    for (size_t k = 0; !rc && k < sd_kind_count; k++) {
        d.kind = sd_kinds[k];
        d.kind_index = (int)k;
        rc = sd_store_records(txn, d.kind, NULL, s_record, &d);
    }
    sd_vector_t vector;
    rc = rc ?: sd_store_vector(txn, &vector);
    if (!rc) {
        sd_mp_writer_reset(d.w);
        sd_heartbeat_encode(site, &vector, d.w);
        size_t len;
        const void *data = sd_mp_writer_data(d.w, &len);
        rc = s_save(out, "heartbeat", "heartbeat", data, len);
        for (size_t i = 0; !rc && i < vector.count; i++) {
            sd_sync_request_t req = {.from = vector.entries[i].seq};
            strcpy(req.origin, vector.entries[i].origin);
            sd_mp_writer_reset(d.w);
            sd_sync_request_encode(&req, d.w);
            data = sd_mp_writer_data(d.w, &len);
            rc = s_save(out, "sync_request", req.origin, data, len);
        }
    }
    sd_store_abort(&txn);
    sd_store_close(&store);
    sd_mp_writer_destroy(&d.frames);
    sd_mp_writer_destroy(&d.w);
    if (rc)
        fprintf(stderr, "fuzz_corpus: store %s: %s\n", dir, sd_strerror(rc));
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "node") == 0)
        return s_node(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "store") == 0)
        return s_store(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: fuzz_corpus node ENDPOINT OUT | fuzz_corpus store DIR SITE OUT\n");
    return 2;
}
