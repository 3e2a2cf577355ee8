/* server_channels.c - the server's side of the channels thread (server_impl.h): outbox requests
 * are handed over with their routing frames like search requests; what the thread sent is
 * written into the ticket's history here, on the server's thread, as the scheduler writes its own
 * events: a contact record (channel email or chat, direction out, call_id the Message-ID, summary
 * the subject; author mailer@SITE), found again by its call_id so it is written once, and for the
 * acknowledgement the ticket's ack with the promised reply time. */
#include "server_impl.h"

#include "contact.h"
#include "error.h"
#include "log.h"
#include "op_outbox.h"
#include "ticket.h"
#include "workflow.h"

#include <stdio.h>
#include <string.h>

int sd_server_channels_start(sd_server_t *s)
{
    const sd_config_t *cfg = s->cfg;
    if (cfg->mail.transport == SD_MAIL_OFF && cfg->chat.robot_count == 0)
        return 0; /* nothing to send: outbox requests are answered unavailable */
    char url[SD_MAIL_PATH_MAX + 2], err[256] = "";
    const char *base = cfg->mail.console_url[0] ? cfg->mail.console_url : s->http_url;
    size_t n = strlen(base);
    snprintf(url, sizeof url, "%s%s", base, n && base[n - 1] != '/' ? "/" : "");
    int rc = sd_channels_new(cfg, s->store, url, &s->channels, err, sizeof err);
    if (rc)
        sd_log(SD_LOG_ERROR, "channels: cannot start: reason=\"%s\"; nothing is sent",
               err[0] ? err : sd_strerror(rc));
    else
        sd_log(SD_LOG_INFO, "channels: started: mail=%s robots=%d console=%s",
               cfg->mail.transport == SD_MAIL_SMTP       ? "smtp"
               : cfg->mail.transport == SD_MAIL_SENDMAIL ? "sendmail"
                                                         : "off",
               cfg->chat.robot_count, url);
    return 0;
}

void sd_server_channels_stop(sd_server_t *s)
{
    sd_channels_destroy(&s->channels);
}

int sd_server_channels_hand(sd_server_t *s, sd_server_job_t *job)
{
    if (!s->channels)
        return sd_fault_set(&job->fault, SD_EUNAVAILABLE,
                            "this node sends no notices (mail/transport is off and no chat robot "
                            "is configured), so it has no outbox");
    uint64_t tag = ++s->next_tag;
    sd_server_asked_t *slot = &s->asked[tag % SD_SERVER_ASKED];
    if (slot->envelope)
        return sd_fault_set(&job->fault, SD_EBUSY,
                            "the node holds %d requests already; try again shortly",
                            SD_SERVER_ASKED);
    int rc = sd_channels_ask(s->channels, tag, &job->req);
    if (rc)
        return sd_fault_set(&job->fault, rc, "cannot hand the request over: %s", sd_strerror(rc));
    *slot = (sd_server_asked_t){.envelope = job->envelope, .from = job->from, .tag = tag};
    job->envelope = NULL;
    job->handed = true;
    return 0;
}

/* What the history write appends. */
typedef struct {
    const sd_server_t *s;
    const sd_channels_sent_t *sent;
    uint64_t now;
} s_record_t;

static int s_first_id(const char *rest, size_t len, void *arg)
{
    return sd_contact_index_rest(rest, len, arg, NULL) ?: 1;
}

/* The ticket's ack by the acknowledgement that was sent, when it is still new. */
static int s_ack(sd_journal_batch_t *batch, const s_record_t *r, const sd_ticket_t *t,
                 const char *author)
{
    if (t->status != SD_STATUS_NEW)
        return 0;
    sd_workflow_ctx_t wf = {.site = r->s->cfg->site,
                            .policy = &r->s->cfg->policy,
                            .sched = &r->s->cfg->sched,
                            .now_ms = r->now,
                            .hub = !strcmp(r->s->cfg->role, "hub"),
                            .author = author};
    sd_request_t req = {.op = SD_REQ_TICKET_ACK};
    sd_event_t ev = {0};
    sd_fault_t fault = {0};
    int rc = sd_workflow_build(&wf, t, &req, &ev, &fault);
    if (rc == SD_ETRANSITION)
        return 0;
    if (!rc) {
        snprintf(ev.key, sizeof ev.key, "%s", t->id);
        snprintf(ev.author, sizeof ev.author, "%s", author);
        rc = sd_journal_append(batch, &ev, NULL);
    }
    sd_event_clear(&ev);
    return rc;
}

static int s_fill(sd_journal_batch_t *batch, void *arg)
{
    const s_record_t *r = arg;
    const sd_channels_sent_t *x = r->sent;
    sd_store_txn_t *txn = sd_journal_txn(batch);
    char id[SD_ID_MAX + 1] = "", author[SD_NAME_MAX + 1];
    int rc =
        sd_store_index_find(txn, &sd_kind_contact, SD_CONTACT_INDEX_CALL, x->id, s_first_id, id);
    if (rc == 1 || id[0])
        return 0; /* recorded before (told again after a restart) */
    sd_ticket_t t = {0};
    rc = rc ?: sd_store_get_record(txn, &sd_kind_ticket, x->ticket, &t);
    if (!rc && !sd_ticket_exists(&t))
        rc = SD_ENOTFOUND;
    snprintf(author, sizeof author, "mailer@%s", r->s->cfg->site);
    sd_event_t ev = {0};
    rc = rc ?: sd_store_next_id(txn, &sd_kind_contact, id);
    rc = rc ?: sd_event_start(&ev, &sd_kind_contact, SD_CTOP_CREATE);
    if (!rc) {
        sd_contact_t *f = sd_event_contact(&ev);
        snprintf(ev.key, sizeof ev.key, "%s", id);
        snprintf(ev.author, sizeof ev.author, "%s", author);
        ev.mask |= sd_kind_register_mask(&sd_kind_contact, SD_CTREG_CREATED) |
                   sd_kind_register_mask(&sd_kind_contact, SD_CTREG_TICKET) |
                   sd_kind_register_mask(&sd_kind_contact, SD_CTREG_SUMMARY);
        f->created_at = r->now;
        f->channel = x->channel == SD_SENDQ_CHAT ? SD_CONTACT_CHAT : SD_CONTACT_EMAIL;
        f->direction = SD_CONTACT_OUT;
        f->at = x->sent_at;
        rc = sd_api_set_str(&f->origin_site, r->s->cfg->site) ?:
             sd_api_set_str(&f->from, r->s->cfg->mail.address) ?: sd_api_set_str(&f->to, x->to) ?:
             sd_api_set_str(&f->call_id, x->id) ?: sd_api_set_str(&f->agent, author) ?:
             sd_api_set_str(&f->ticket, x->ticket) ?: sd_api_set_str(&f->summary, x->subject);
        if (!rc && t.customer) {
            ev.mask |= sd_kind_register_mask(&sd_kind_contact, SD_CTREG_CUSTOMER);
            rc = sd_api_set_str(&f->customer, t.customer);
        }
        rc = rc ?: sd_journal_append(batch, &ev, NULL);
    }
    sd_event_clear(&ev);
    if (!rc && !strcmp(x->kind, "ack"))
        rc = s_ack(batch, r, &t, author);
    sd_ticket_clear(&t);
    return rc;
}

/* Writes the history of one sent entry and tells the thread. */
static void s_record(sd_server_t *s, const sd_channels_sent_t *sent)
{
    if (s->restoring) { /* its events would take this site's own seqs: told again later */
        sd_channels_recorded(s->channels, sent->id, SD_EUNAVAILABLE);
        return;
    }
    s_record_t r = {.s = s, .sent = sent, .now = (uint64_t)sd_clock_now(&s->cfg->sched.clock)};
    sd_journal_result_t made = {0};
    int rc = sd_journal_write(s->journal, r.now, s_fill, &r, &made);
    if (rc == SD_ENOTFOUND) {
        sd_log(SD_LOG_WARNING, "channels: ticket %s of <%s> is not here: no history written",
               sent->ticket, sent->id);
        rc = 0;
    } else if (rc) {
        sd_log(SD_LOG_ERROR, "channels: cannot write the history of <%s>: error=%s", sent->id,
               sd_error_name(rc));
    } else if (made.appended && s->replica) {
        sd_replica_publish_own(s->replica, made.first_seq, made.last_seq);
    }
    sd_channels_recorded(s->channels, sent->id, rc);
}

void sd_server_channels_take(sd_server_t *s)
{
    uint64_t tag;
    zframe_t *reply;
    sd_channels_sent_t *sent;
    while (s->channels && sd_channels_take(s->channels, &tag, &reply, &sent) == 0) {
        if (sent) {
            s_record(s, sent);
            free(sent);
            continue;
        }
        sd_server_forward(s, tag, &reply);
    }
}

int sd_api_channels_elsewhere(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                              sd_fault_t *fault)
{
    (void)ctx, (void)w;
    return sd_fault_set(fault, SD_EUNAVAILABLE, "%s is answered by the channels thread",
                        sd_req_op_name(req->op));
}
