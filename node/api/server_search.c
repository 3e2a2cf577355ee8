/* server_search.c - the server's side of the search thread (server_impl.h): search requests are
 * decoded, identified and authorized on the server's thread like any other, then handed with
 * their routing frames to the search thread, whose replies are forwarded unchanged; the server's
 * thread never runs a query. */
#include "server_impl.h"

#include "error.h"
#include "log.h"
#include "op_search.h"

#include <string.h>

void sd_server_committed(void *arg, const sd_kind_t *kind, const char *key, int op)
{
    sd_server_t *s = arg;
    if (s->changes)
        sd_changes_publish(s->changes, kind, key, op);
    if (s->search)
        sd_search_wake(s->search, kind, key, op);
    sd_channels_wake(s->channels);
}

int sd_server_search_start(sd_server_t *s)
{
    char err[sizeof s->search_down] = "";
    int rc = sd_search_new(s->store, &s->search, err, sizeof err);
    if (rc) {
        if (strcmp(err, s->search_down) != 0) /* once per reason, not every retry */
            sd_log(SD_LOG_ERROR,
                   "search: cannot start: reason=\"%s\"; serving without search, next try in %d s",
                   err[0] ? err : sd_strerror(rc), SD_SERVER_SEARCH_RETRY_MS / 1000);
        snprintf(s->search_down, sizeof s->search_down, "%s", err[0] ? err : sd_strerror(rc));
        s->search_retry_at = zclock_mono() + SD_SERVER_SEARCH_RETRY_MS;
    } else if (s->search_down[0]) {
        sd_log(SD_LOG_INFO, "search: started");
        s->search_down[0] = 0;
    }
    return 0;
}

bool sd_server_search_retry(sd_server_t *s)
{
    if (s->search || zclock_mono() < s->search_retry_at)
        return false;
    sd_server_search_start(s);
    return s->search != NULL;
}

int sd_server_search_hand(sd_server_t *s, sd_server_job_t *job)
{
    if (!s->search)
        return sd_fault_set(&job->fault, SD_EUNAVAILABLE,
                            "search is not running on this node: %s (it tries again every %d s; "
                            "the log says more)",
                            s->search_down, SD_SERVER_SEARCH_RETRY_MS / 1000);
    uint64_t tag = ++s->next_tag;
    sd_server_asked_t *slot = &s->asked[tag % SD_SERVER_ASKED];
    if (slot->envelope)
        return sd_fault_set(&job->fault, SD_EBUSY,
                            "the node holds %d searches already; try again shortly",
                            SD_SERVER_ASKED);
    int rc = sd_search_ask(s->search, tag, &job->req, job->who.login, job->scope);
    if (rc)
        return sd_fault_set(&job->fault, rc, "cannot hand the search over: %s", sd_strerror(rc));
    *slot = (sd_server_asked_t){.envelope = job->envelope, .from = job->from, .tag = tag};
    job->envelope = NULL;
    job->handed = true;
    return 0;
}

void sd_server_search_replies(sd_server_t *s)
{
    uint64_t tag;
    zframe_t *reply;
    while (s->search && sd_search_take(s->search, &tag, &reply) == 0)
        sd_server_forward(s, tag, &reply);
}

void sd_server_forward(sd_server_t *s, uint64_t tag, zframe_t **reply)
{
    sd_server_asked_t *slot = &s->asked[tag % SD_SERVER_ASKED];
    if (!slot->envelope || slot->tag != tag) {
        zframe_destroy(reply);
        return;
    }
    zmsg_append(slot->envelope, reply);
    sd_outbox_send(s->outbox, s->clients[slot->from], &slot->envelope, zclock_mono());
    slot->envelope = NULL;
}

void sd_server_search_stop(sd_server_t *s)
{
    sd_search_destroy(&s->search);
    for (int i = 0; i < SD_SERVER_ASKED; i++)
        zmsg_destroy(&s->asked[i].envelope);
}

int sd_api_search_elsewhere(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                            sd_fault_t *fault)
{
    (void)ctx, (void)w;
    return sd_fault_set(fault, SD_EUNAVAILABLE, "%s is answered by the search thread",
                        sd_req_op_name(req->op));
}
