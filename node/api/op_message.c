/* op_message.c - the intake of inbound mail and chat, release and discard (op_message.h). */
#include "op_message.h"

#include "customer.h"
#include "error.h"
#include "mailid.h"
#include "message_store.h"
#include "op_customer.h"
#include "op_ticket.h"
#include "record.h"
#include "ticket_store.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_CUT_MARK "\n[…] (cut: the whole text is in message %s)"

/* One intake being decided: the message event's record, and where it went. */
typedef struct {
    const sd_api_write_ctx_t *ctx;
    sd_message_t *m;   /* the message event's fields */
    sd_fault_t *fault; /* why a refusal */
} s_in_t;

/* ---- text helpers --------------------------------------------------------------------- */

/* Copies s into out (cap bytes), cut at a UTF-8 boundary to leave room for `tail` (a format
 * with one %s: the message id) when it does not fit. single: newlines become spaces. */
static void s_fit(char *out, size_t cap, const char *s, const char *tail, const char *id,
                  bool single)
{
    size_t n = strlen(s ? s : "");
    char mark[160] = "";
    if (n >= cap && tail)
        snprintf(mark, sizeof mark, tail, id);
    size_t room = n < cap ? n : cap - 1 - strlen(mark);
    room = sd_utf8_cut(s ? s : "", room);
    memcpy(out, s ? s : "", room);
    snprintf(out + room, cap - room, "%s", n < cap ? "" : mark);
    for (char *p = out; single && *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
}

/* True when addr (lower-case) is in the comma-separated list (case-insensitive). */
static bool s_addr_in(const char *list, const char *addr)
{
    size_t n = strlen(addr);
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ",");
        const char *q = p;
        size_t l = len;
        const char *lt = memchr(q, '<', l); /* "Name <a@b>" */
        if (lt) {
            l -= (size_t)(lt + 1 - q), q = lt + 1;
            const char *gt = memchr(q, '>', l);
            l = gt ? (size_t)(gt - q) : l;
        }
        while (l && q[l - 1] == ' ')
            l--;
        if (l == n && strncasecmp(q, addr, n) == 0)
            return true;
        p += len;
    }
    return false;
}

/* ---- the ticket's events, by the ticket ops' own builders -------------------------------- */

/* Appends the event request r makes on ticket cur (NULL: a new ticket, whose id goes into id)
 * and reads the ticket after it into *after (zeroed; cleared by the caller) when not NULL. */
static int s_ticket_event(s_in_t *in, const sd_ticket_t *cur, sd_request_t *r, char *id,
                          sd_ticket_t *after)
{
    sd_event_t tev = {0};
    int rc = sd_api_ticket_write(in->ctx, cur, r, &tev, in->fault);
    if (!rc && r->op == SD_REQ_TICKET_COMMENT) /* the sender's words, not the desk's reply */
        sd_event_comment(&tev)->inbound = r->args.ticket.public_reply;
    if (!rc && !cur)
        rc = sd_store_next_id(in->ctx->txn, &sd_kind_ticket, tev.key);
    else if (!rc)
        snprintf(tev.key, sizeof tev.key, "%s", cur->id);
    if (!rc && id)
        snprintf(id, SD_ID_MAX + 1, "%s", tev.key);
    rc = rc ?: sd_journal_append(in->ctx->batch, &tev, after);
    if (!rc && r->op == SD_REQ_TICKET_COMMENT) { /* the message names its comment */
        char c[SD_SITE_MAX + 24];
        snprintf(c, sizeof c, "%s:%llu", tev.origin, (unsigned long long)tev.seq);
        rc = sd_api_set_str(&in->m->comment, c);
    }
    sd_event_clear(&tev);
    return rc;
}

/* The customer whose address from is, into cid ("" when none). */
static int s_customer_of(s_in_t *in, const char *from, char cid[SD_ID_MAX + 1])
{
    sd_customer_t c = {0};
    sd_fault_t quiet = {0};
    cid[0] = 0;
    if (!from || !sd_customer_email_valid(from))
        return 0;
    int rc = sd_api_customer_find_one(in->ctx->txn, in->ctx->wf->policy->phone_country, NULL, NULL,
                                      from, &c, &quiet);
    if (!rc)
        snprintf(cid, SD_ID_MAX + 1, "%s", c.id);
    sd_record_clear(&sd_kind_customer, &c);
    return rc == SD_ENOTFOUND || rc == SD_ERANGE ? 0 : rc;
}

/* Opens a ticket for message m: title the subject, description the text (cut with a mark),
 * requester the sender, channel email or chat, the customer its address names. */
static int s_open_ticket(s_in_t *in, const char *customer)
{
    sd_message_t *m = in->m;
    char title[SD_TITLE_MAX + 1], desc[SD_TEXT_MAX + 1];
    const char *subject = m->subject && *m->subject ? m->subject : NULL;
    char first[1024] = ""; /* longer than a title: s_fit marks the cut */
    if (!subject) {        /* a chat message or a mail without subject: its first line */
        const char *text = m->text ? m->text + strspn(m->text, " \t\r\n") : "";
        size_t n = strcspn(text, "\r\n");
        if (!n)
            text = "(no subject)", n = strlen(text);
        n = n < sizeof first - 1 ? n : sd_utf8_cut(text, sizeof first - 1);
        memcpy(first, text, n);
        first[n] = 0;
    }
    s_fit(title, sizeof title, subject ? subject : first, "…%.0s", "", true);
    s_fit(desc, sizeof desc, m->text ? m->text : "", S_CUT_MARK, m->id, false);
    sd_request_t r = {.op = SD_REQ_TICKET_NEW};
    sd_ticket_args_t *a = &r.args.ticket;
    a->title = title, a->description = desc, a->requester = m->from;
    a->channel = m->channel == SD_MCHAN_CHAT ? SD_CHANNEL_CHAT : SD_CHANNEL_EMAIL;
    r.present = SD_ARG(TICKET, TITLE) | SD_ARG(TICKET, DESCRIPTION) | SD_ARG(TICKET, REQUESTER) |
                SD_ARG(TICKET, CHANNEL);
    if (customer && *customer) {
        a->customer = (char *)customer;
        r.present |= SD_ARG(TICKET, CUSTOMER);
    }
    char id[SD_ID_MAX + 1];
    int rc = s_ticket_event(in, NULL, &r, id, NULL);
    rc = rc ?: sd_api_set_str(&m->ticket, id) ?: sd_api_set_str(&m->customer, customer);
    m->state = SD_MSTATE_TICKET;
    m->thread_by = SD_THREAD_NEW;
    return rc;
}

/* Adds message m to ticket t: reopens it when resolved, then a comment (public: the sender's
 * reply; else an internal note) whose text says who wrote it. */
static int s_add_to_ticket(s_in_t *in, const sd_ticket_t *t, bool public_reply, const char *note)
{
    sd_message_t *m = in->m;
    sd_ticket_t reopened = {0};
    char body[SD_COMMENT_MAX + 1];
    char who[2 * SD_NAME_MAX + 8];
    if (m->from_name && *m->from_name)
        snprintf(who, sizeof who, "%s <%s>", m->from_name, m->from ? m->from : "");
    else
        snprintf(who, sizeof who, "%s", m->from ? m->from : "");
    int rc = 0;
    if (t->status == SD_STATUS_RESOLVED) {
        char reason[SD_TEXT_MAX + 1];
        snprintf(reason, sizeof reason, "%s replied by %s (message %s)", who,
                 m->channel == SD_MCHAN_CHAT ? "chat" : "e-mail", m->id);
        sd_request_t r = {.op = SD_REQ_TICKET_REOPEN};
        r.args.ticket.id = (char *)t->id, r.args.ticket.reason = reason;
        r.present = SD_ARG(TICKET, ID) | SD_ARG(TICKET, REASON);
        rc = s_ticket_event(in, t, &r, NULL, &reopened);
        t = &reopened;
    }
    int head =
        snprintf(body, sizeof body, "%s %s:\n\n", note ? "Delivery report about mail to" : who,
                 note ? (m->bounce_recipient ? m->bounce_recipient : "?") : "wrote");
    s_fit(body + head, sizeof body - (size_t)head,
          note      ? note
          : m->text ? m->text
                    : "",
          S_CUT_MARK, m->id, false);
    sd_request_t r = {.op = SD_REQ_TICKET_COMMENT};
    r.args.ticket.id = (char *)t->id, r.args.ticket.body = body,
    r.args.ticket.public_reply = public_reply;
    r.present = SD_ARG(TICKET, ID) | SD_ARG(TICKET, BODY) | SD_ARG(TICKET, PUBLIC);
    rc = rc ?: s_ticket_event(in, t, &r, NULL, NULL);
    rc = rc ?: sd_api_set_str(&m->ticket, t->id) ?: sd_api_set_str(&m->customer, t->customer);
    sd_ticket_clear(&reopened);
    return rc;
}

/* ---- threading --------------------------------------------------------------------------- */

/* The ticket a Message-ID names: the desk's own ids carry it (mailid.h), else an earlier
 * inbound message's ticket. */
static bool s_ticket_of_msgid(s_in_t *in, const char *msgid, char ticket[SD_ID_MAX + 1])
{
    if (sd_mailid_ticket(msgid, ticket))
        return true;
    char id[SD_ID_MAX + 1];
    if (sd_message_by_msgid(in->ctx->txn, msgid, id) != 0 || strcmp(id, in->m->id) == 0)
        return false;
    sd_message_t *prev = sd_record_new(&sd_kind_message);
    bool found = prev && sd_store_get_record(in->ctx->txn, &sd_kind_message, id, prev) == 0 &&
                 prev->ticket && *prev->ticket;
    if (found)
        snprintf(ticket, SD_ID_MAX + 1, "%s", prev->ticket);
    sd_record_destroy(&sd_kind_message, (void **)&prev);
    return found;
}

/* The ticket the References text names, its message ids tried newest (last) first. */
static bool s_ticket_of_refs(s_in_t *in, const char *refs, char ticket[SD_ID_MAX + 1])
{
    size_t n = refs ? strlen(refs) : 0;
    while (n) {
        size_t end = n;
        while (end && (refs[end - 1] == ' ' || refs[end - 1] == '\t' || refs[end - 1] == ','))
            end--;
        size_t start = end;
        while (start && refs[start - 1] != ' ' && refs[start - 1] != '\t' && refs[start - 1] != ',')
            start--;
        if (end > start && end - start <= SD_MSGID_MAX + 2) {
            char one[SD_MSGID_MAX + 3];
            memcpy(one, refs + start, end - start);
            one[end - start] = 0;
            if (s_ticket_of_msgid(in, one, ticket))
                return true;
        }
        n = start;
    }
    return false;
}

/* The [SITE-000042] tag of a subject into ticket. */
static bool s_subject_tag(const char *subject, char ticket[SD_ID_MAX + 1])
{
    for (const char *p = subject ? strchr(subject, '[') : NULL; p; p = strchr(p + 1, '[')) {
        size_t n = strcspn(p + 1, "]");
        if (!p[1 + n] || n < 3 || n > SD_ID_MAX)
            continue;
        const char *dash = NULL;
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++) {
            char c = p[1 + i];
            ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (c == '-')
                dash = p + 1 + i;
        }
        if (!ok || !dash || dash == p + 1 || dash == p + n)
            continue;
        for (const char *d = dash + 1; d < p + 1 + n && ok; d++)
            ok = *d >= '0' && *d <= '9';
        if (ok) {
            memcpy(ticket, p + 1, n);
            ticket[n] = 0;
            return true;
        }
    }
    return false;
}

typedef struct {
    sd_store_txn_t *txn;
    const char *addr;
    bool known;
} s_known_t;

static int s_known_msg(const char *id, uint64_t at, void *arg)
{
    (void)at;
    s_known_t *k = arg;
    sd_message_t *m = sd_record_new(&sd_kind_message);
    if (!m)
        return SD_ENOMEM;
    if (sd_store_get_record(k->txn, &sd_kind_message, id, m) == 0 &&
        ((m->from && strcmp(m->from, k->addr) == 0) || s_addr_in(m->cc, k->addr)))
        k->known = true;
    sd_record_destroy(&sd_kind_message, (void **)&m);
    return k->known;
}

/* May from thread to ticket t by its subject tag: the requester, its customer's address, or a
 * sender or Cc of a message of the ticket. */
static bool s_tag_allowed(s_in_t *in, const sd_ticket_t *t, const char *from)
{
    if (!from)
        return false;
    if (t->requester && strcasecmp(t->requester, from) == 0)
        return true;
    if (t->customer && *t->customer) {
        sd_customer_t c = {0};
        bool in_list = sd_store_get_record(in->ctx->txn, &sd_kind_customer, t->customer, &c) == 0 &&
                       s_addr_in(c.emails, from);
        sd_record_clear(&sd_kind_customer, &c);
        if (in_list)
            return true;
    }
    s_known_t k = {in->ctx->txn, from, false};
    sd_message_each(in->ctx->txn, SD_MESSAGE_INDEX_TICKET, t->id, s_known_msg, &k);
    return k.known;
}

/* Reads ticket id into *t: true when it exists here. */
static bool s_ticket_here(s_in_t *in, const char *id, sd_ticket_t *t)
{
    sd_ticket_clear(t);
    return sd_store_get_ticket(in->ctx->txn, id, t) == 0 && sd_ticket_exists(t);
}

/* The ticket an e-mail threads to (the rules of MAIL.md), into *t; m->thread_by says how. */
static bool s_thread(s_in_t *in, sd_ticket_t *t)
{
    sd_message_t *m = in->m;
    char id[SD_ID_MAX + 1];
    if (m->in_reply_to && s_ticket_of_refs(in, m->in_reply_to, id) && s_ticket_here(in, id, t)) {
        m->thread_by = SD_THREAD_IN_REPLY_TO;
        return true;
    }
    if (m->references && s_ticket_of_refs(in, m->references, id) && s_ticket_here(in, id, t)) {
        m->thread_by = SD_THREAD_REFERENCES;
        return true;
    }
    if (s_subject_tag(m->subject, id) && s_ticket_here(in, id, t) &&
        s_tag_allowed(in, t, m->from)) {
        m->thread_by = SD_THREAD_SUBJECT;
        return true;
    }
    return false;
}

/* Routes message m: ignored, bounce, on a ticket (threaded or new) or held. */
static int s_route(s_in_t *in, bool may_hold)
{
    sd_message_t *m = in->m;
    sd_ticket_t t = {0};
    int rc = 0;
    m->thread_by = SD_THREAD_NONE;
    if (m->msg_class == SD_MCLASS_AUTO || m->msg_class == SD_MCLASS_LIST) {
        m->state = SD_MSTATE_IGNORED;
        return 0;
    }
    if (m->msg_class == SD_MCLASS_BOUNCE) {
        char id[SD_ID_MAX + 1];
        m->state = SD_MSTATE_BOUNCE;
        if (m->bounce_for && s_ticket_of_refs(in, m->bounce_for, id) && s_ticket_here(in, id, &t)) {
            char note[SD_NOTE_MAX];
            snprintf(note, sizeof note, "status %s; the mail %s was not delivered. %s",
                     m->bounce_status ? m->bounce_status : "unknown", m->bounce_for,
                     m->text ? m->text : "");
            m->thread_by = SD_THREAD_IN_REPLY_TO;
            rc = s_add_to_ticket(in, &t, false, note);
        }
        sd_ticket_clear(&t);
        return rc;
    }
    bool threaded = m->channel == SD_MCHAN_EMAIL && s_thread(in, &t);
    if (!threaded && m->channel == SD_MCHAN_CHAT) {
        char last[SD_ID_MAX + 1];
        sd_message_t *prev = sd_record_new(&sd_kind_message);
        if (!prev)
            return SD_ENOMEM;
        threaded = sd_message_chat_latest(in->ctx->txn, m->source, m->conversation, last) == 0 &&
                   sd_store_get_record(in->ctx->txn, &sd_kind_message, last, prev) == 0 &&
                   prev->ticket && s_ticket_here(in, prev->ticket, &t) && sd_status_open(t.status);
        sd_record_destroy(&sd_kind_message, (void **)&prev);
        if (threaded)
            m->thread_by = SD_THREAD_CONVERSATION;
    }
    /* A reply to a closed or cancelled ticket starts a new one. */
    if (threaded && (t.status == SD_STATUS_CLOSED || t.status == SD_STATUS_CANCELLED))
        threaded = false, m->thread_by = SD_THREAD_NONE;
    if (threaded) {
        m->state = SD_MSTATE_TICKET;
        rc = s_add_to_ticket(in, &t, true, NULL);
        sd_ticket_clear(&t);
        return rc;
    }
    sd_ticket_clear(&t);
    char customer[SD_ID_MAX + 1];
    rc = s_customer_of(in, m->from, customer);
    if (rc)
        return rc;
    const sd_config_t *cfg = in->ctx->cfg;
    if (may_hold && !customer[0] && cfg && cfg->mail.unknown_sender == SD_UNKNOWN_HOLD) {
        m->state = SD_MSTATE_HELD;
        return 0;
    }
    return s_open_ticket(in, customer);
}

/* ---- the message event -------------------------------------------------------------------- */

/* The reply {message: record as message.get shows it}. */
static void s_reply(const sd_api_write_ctx_t *ctx, uint64_t req_id, sd_message_t *m)
{
    sd_mp_writer_reset(ctx->reply);
    sd_reply_ok_begin(ctx->reply, req_id);
    sd_mp_map(ctx->reply, 1);
    sd_mp_str(ctx->reply, "message");
    sd_api_record_view(ctx->reply, &sd_kind_message, m, ctx->scope);
}

/* Appends event ev (its message built) and answers with the record after it. */
static int s_commit(const sd_api_write_ctx_t *ctx, const sd_request_t *req, sd_event_t *ev,
                    sd_fault_t *fault)
{
    sd_message_t *after = sd_record_new(&sd_kind_message);
    int rc = after ? 0 : SD_ENOMEM;
    snprintf(ev->author, sizeof ev->author, "%s", ctx->wf->author);
    rc = rc ?: sd_journal_append(ctx->batch, ev, after);
    if (!rc)
        s_reply(ctx, req->id, after);
    if (rc == SD_ENOMEM)
        sd_fault_set(fault, rc, "out of memory");
    sd_record_destroy(&sd_kind_message, (void **)&after);
    sd_event_clear(ev);
    return rc ? rc : SD_API_NO_EVENT;
}

/* The blob id arg names is here (blob.put before mail.ingest). */
static int s_blob_here(const sd_api_write_ctx_t *ctx, const char *what, const char *id,
                       sd_fault_t *fault)
{
    if (!sd_blob_id_valid(id))
        return sd_fault_set(fault, SD_EINVAL, "args.%s: %s is not a blob id (b2-<64 hex>)", what,
                            id);
    if (!sd_blob_has(ctx->txn, id))
        return sd_fault_set(fault, SD_ENOTFOUND, "args.%s: blob %s is not at this node", what, id);
    return 0;
}

typedef struct {
    const sd_api_write_ctx_t *ctx;
    sd_fault_t *fault;
    int count;
} s_atts_t;

static int s_att_check(const sd_message_att_t *a, void *arg)
{
    s_atts_t *s = arg;
    if (++s->count > SD_MESSAGE_ATTS_MAX)
        return sd_fault_set(s->fault, SD_ETOOBIG, "args.attachments: more than %d",
                            SD_MESSAGE_ATTS_MAX);
    return s_blob_here(s->ctx, "attachments", a->blob, s->fault);
}

/* The checks of a mail.ingest's arguments. */
static int s_mail_check(const sd_api_write_ctx_t *ctx, const sd_message_args_t *a, char *from,
                        sd_fault_t *fault)
{
    char want[SD_ID_MAX + 1], key[SD_MSGID_MAX + 1];
    const char *k = a->message_id;
    while (*k == '<' || *k == ' ')
        k++;
    snprintf(key, sizeof key, "%.*s", (int)strcspn(k, "> "), k);
    if (sd_message_id_for("email", key, want) != 0 || strcmp(want, a->id) != 0)
        return sd_fault_set(fault, SD_EINVAL,
                            "args.id: %s is not the id of Message-ID <%s> (that is %s)", a->id, key,
                            want);
    if (!sd_customer_email_valid(from))
        return sd_fault_set(fault, SD_EINVAL, "args.from: %s is not an e-mail address", from);
    if (a->text_truncated && !a->text_blob)
        return sd_fault_set(fault, SD_EMISSING, "args.text_blob: a truncated text needs it");
    if (a->msg_class == SD_MCLASS_BOUNCE && !a->bounce_for)
        return sd_fault_set(fault, SD_EMISSING, "args.bounce_for: a bounce names the mail");
    int rc = a->raw ? s_blob_here(ctx, "raw", a->raw, fault) : 0;
    rc = rc ?: a->text_blob ? s_blob_here(ctx, "text_blob", a->text_blob, fault) : 0;
    s_atts_t atts = {ctx, fault, 0};
    rc = rc ?: sd_message_attachment_each(a->attachments, s_att_check, &atts);
    if (rc == SD_ECORRUPT)
        return sd_fault_set(fault, SD_EINVAL,
                            "args.attachments: one line per attachment: BLOB\\tSIZE\\tTYPE\\tNAME");
    return rc;
}

/* Starts the create event of message id with the node's site and clock. */
static int s_start(const sd_api_write_ctx_t *ctx, const char *id, uint64_t received_at,
                   sd_event_t *ev)
{
    int rc = sd_event_start(ev, &sd_kind_message, SD_MSGOP_CREATE);
    if (rc)
        return rc;
    snprintf(ev->key, sizeof ev->key, "%s", id);
    ev->mask = sd_kind_register_mask(&sd_kind_message, SD_MSGREG_CREATED) |
               sd_kind_register_mask(&sd_kind_message, SD_MSGREG_ROUTE);
    sd_message_t *m = sd_event_message(ev);
    snprintf(m->id, sizeof m->id, "%s", id);
    m->created_at = ctx->wf->now_ms;
    m->received_at = received_at ? received_at : ctx->wf->now_ms;
    return sd_api_set_str(&m->site, ctx->wf->site);
}

/* Copies the request's string from into *to (a batch redone after a map growth runs the
 * handler again on the same request: nothing is taken from it). Once *rc is set, nothing. */
static void s_take(int *rc, char **to, const char *from)
{
    if (!*rc)
        *rc = sd_api_set_str(to, from);
}

int sd_api_mail_ingest(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                       sd_event_t *ev, sd_fault_t *fault)
{
    (void)ev;
    const sd_message_args_t *a = &req->args.message;
    char from[SD_NAME_MAX + 1];
    snprintf(from, sizeof from, "%s", a->from);
    sd_message_lower(from);
    if (cur) { /* the same message again (an MTA's retry): the same answer, nothing written */
        s_reply(ctx, req->id, (sd_message_t *)cur);
        return SD_API_NO_EVENT;
    }
    int rc = s_mail_check(ctx, a, from, fault);
    if (rc)
        return rc;
    sd_event_t mev = {0};
    rc = s_start(ctx, a->id, a->received_at, &mev);
    sd_message_t *m = rc ? NULL : sd_event_message(&mev);
    if (m) {
        char key[SD_MSGID_MAX + 1];
        const char *k = a->message_id;
        while (*k == '<' || *k == ' ')
            k++;
        snprintf(key, sizeof key, "%.*s", (int)strcspn(k, "> "), k);
        m->channel = SD_MCHAN_EMAIL;
        rc = sd_api_set_str(&m->message_id, key) ?: sd_api_set_str(&m->from, from);
        s_take(&rc, &m->in_reply_to, a->in_reply_to), s_take(&rc, &m->references, a->references);
        s_take(&rc, &m->from_name, a->from_name), s_take(&rc, &m->to, a->to);
        s_take(&rc, &m->cc, a->cc), s_take(&rc, &m->subject, a->subject);
        s_take(&rc, &m->text, a->text), s_take(&rc, &m->text_blob, a->text_blob);
        s_take(&rc, &m->raw, a->raw), s_take(&rc, &m->attachments, a->attachments);
        s_take(&rc, &m->bounce_for, a->bounce_for), s_take(&rc, &m->queue, a->queue);
        s_take(&rc, &m->bounce_status, a->bounce_status);
        s_take(&rc, &m->bounce_recipient, a->bounce_recipient);
        sd_message_lower(m->bounce_recipient);
        m->text_truncated = a->text_truncated, m->html_only = a->html_only;
        m->msg_class = a->msg_class;
        s_in_t in = {ctx, m, fault};
        rc = rc ?: s_route(&in, true);
    }
    if (rc) {
        sd_event_clear(&mev);
        return rc == SD_ENOMEM ? sd_fault_set(fault, rc, "out of memory") : rc;
    }
    return s_commit(ctx, req, &mev, fault);
}

int sd_api_chat_ingest(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                       sd_event_t *ev, sd_fault_t *fault)
{
    (void)ev, (void)cur; /* the id is made here: the record is read here */
    const sd_message_args_t *a = &req->args.message;
    char key[SD_CATEGORY_MAX + SD_NAME_MAX + SD_MSGID_MAX + 48], id[SD_ID_MAX + 1];
    uint64_t at = a->received_at ? a->received_at : ctx->wf->now_ms;
    char made[48] = "";
    if (!a->message_id) { /* no id from the source: the sender, the time and the text name it */
        unsigned long long h = 1469598103934665603ull; /* FNV-1a */
        char when[24];
        snprintf(when, sizeof when, "%llu", (unsigned long long)at);
        const char *parts[] = {a->sender, "\n", when, "\n", a->text};
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
            for (const char *c = parts[i]; *c; c++)
                h = (h ^ (unsigned char)*c) * 1099511628211ull;
        snprintf(made, sizeof made, "%s.%016llx", when, h);
    }
    snprintf(key, sizeof key, "%s\n%s\n%s", a->source, a->conversation,
             a->message_id ? a->message_id : made);
    int rc = sd_message_id_for("chat", key, id);
    if (rc)
        return sd_fault_set(fault, SD_EINVAL, "args: no chat message id can be made");
    sd_message_t *old = sd_record_new(&sd_kind_message);
    if (!old)
        return sd_fault_set(fault, SD_ENOMEM, "out of memory");
    rc = sd_store_get_record(ctx->txn, &sd_kind_message, id, old);
    if (!rc && sd_record_exists(&sd_kind_message, old)) { /* a retry */
        s_reply(ctx, req->id, old);
        sd_record_destroy(&sd_kind_message, (void **)&old);
        return SD_API_NO_EVENT;
    }
    sd_record_destroy(&sd_kind_message, (void **)&old);
    if (rc && rc != SD_ENOTFOUND)
        return rc;
    sd_event_t mev = {0};
    rc = s_start(ctx, id, at, &mev);
    sd_message_t *m = rc ? NULL : sd_event_message(&mev);
    if (m) {
        m->channel = SD_MCHAN_CHAT;
        rc = sd_api_set_str(&m->message_id, a->message_id ? a->message_id : made);
        s_take(&rc, &m->source, a->source), s_take(&rc, &m->conversation, a->conversation);
        s_take(&rc, &m->from, a->sender), s_take(&rc, &m->from_name, a->sender_name);
        s_take(&rc, &m->text, a->text);
        s_in_t in = {ctx, m, fault};
        rc = rc ?: s_route(&in, false);
    }
    if (rc) {
        sd_event_clear(&mev);
        return rc == SD_ENOMEM ? sd_fault_set(fault, rc, "out of memory") : rc;
    }
    return s_commit(ctx, req, &mev, fault);
}

int sd_api_message_route(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                         sd_event_t *ev, sd_fault_t *fault)
{
    (void)ev;
    const sd_message_t *m = cur;
    const char *id = req->args.message.id;
    if (!m)
        return sd_fault_set(fault, SD_ENOTFOUND, "message %s does not exist", id);
    if (m->state != SD_MSTATE_HELD && m->state != SD_MSTATE_IGNORED)
        return sd_fault_set(fault, SD_ETRANSITION,
                            "message %s is %s: only a held or ignored "
                            "message is released or discarded",
                            id, sd_message_state_names[m->state]);
    sd_event_t mev = {0};
    int rc = sd_event_start(&mev, &sd_kind_message, SD_MSGOP_ROUTE);
    rc = rc ?: sd_api_take(&mev, cur, SD_MSGREG_ROUTE);
    if (rc)
        return sd_fault_set(fault, SD_ENOMEM, "out of memory");
    snprintf(mev.key, sizeof mev.key, "%s", id);
    sd_message_t *f = sd_event_message(&mev);
    if (req->op == SD_REQ_MESSAGE_DISCARD) {
        f->state = SD_MSTATE_DISCARDED;
    } else {
        /* The ticket is opened from the message as it arrived (the created register). */
        sd_message_t *full = sd_record_new(&sd_kind_message);
        rc = full
                 ? sd_fields_copy(sd_kind_message.fields, sd_kind_message.nfields, full, cur, ~0ull)
                 : SD_ENOMEM;
        if (!rc) {
            snprintf(full->id, sizeof full->id, "%s", id);
            char customer[SD_ID_MAX + 1];
            s_in_t in = {ctx, full, fault};
            rc = s_customer_of(&in, full->from, customer) ?: s_open_ticket(&in, customer);
            f->state = full->state, f->thread_by = full->thread_by;
            rc = rc ?: sd_api_set_str(&f->ticket, full->ticket) ?:
                        sd_api_set_str(&f->customer, full->customer);
        }
        sd_record_destroy(&sd_kind_message, (void **)&full);
    }
    if (rc) {
        sd_event_clear(&mev);
        return rc == SD_ENOMEM ? sd_fault_set(fault, rc, "out of memory") : rc;
    }
    return s_commit(ctx, req, &mev, fault);
}
