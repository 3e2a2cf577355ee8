/* notice.c - the rules that turn a committed event into notices (notice.h). */
#include "notice.h"

#include "bulletin.h"
#include "calendar.h"
#include "customer.h"
#include "digest.h"
#include "error.h"
#include "hlc.h"
#include "mailid.h"
#include "record.h"
#include "ticket.h"
#include "message.h"
#include "message_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a ticket's mail goes to, in which language and time zone. */
typedef struct {
    char to[SD_SENDQ_TO_MAX + 1]; /* "" none */
    char lang[SD_LANG_MAX + 1];
    char zone[SD_CAL_ZONE_MAX + 1];
    char in_reply_to[SD_MAILID_MAX + 1]; /* the newest inbound message's id, with brackets */
    char references[SD_SENDQ_TO_MAX + 1];
} s_reach_t;

static bool s_is_address(const char *a)
{
    return a && strchr(a, '@') && !strpbrk(a, " <>,;\"");
}

/* Fills r for ticket t: the requester when it is an address, else its customer's first e-mail;
 * the customer's language and zone, else the config's language and the origin site's zone. */
static int s_reach(const sd_notice_ctx_t *ctx, sd_store_txn_t *txn, const sd_ticket_t *t,
                   s_reach_t *r)
{
    *r = (s_reach_t){0};
    snprintf(r->lang, sizeof r->lang, "%s", ctx->cfg->mail.language);
    const sd_calset_t *set = ctx->cfg->sched.sites;
    const char *site = t->origin_site ? t->origin_site : t->owner_site;
    int at = set && site ? sd_calset_find(set, site) : -1;
    if (at >= 0)
        snprintf(r->zone, sizeof r->zone, "%s", sd_calendar_zone(sd_calset_at(set, (size_t)at)));
    if (s_is_address(t->requester))
        snprintf(r->to, sizeof r->to, "%s", t->requester);
    if (t->customer) {
        sd_customer_t c = {0};
        int rc = sd_store_get_record(txn, &sd_kind_customer, t->customer, &c);
        if (rc == 0 && sd_record_exists(&sd_kind_customer, &c)) {
            if (!r->to[0] && c.emails)
                snprintf(r->to, sizeof r->to, "%.*s", (int)strcspn(c.emails, ", "), c.emails);
            if (c.language && c.language[0])
                snprintf(r->lang, sizeof r->lang, "%s", c.language);
            if (c.time_zone && c.time_zone[0])
                snprintf(r->zone, sizeof r->zone, "%s", c.time_zone);
        }
        sd_record_clear(&sd_kind_customer, &c);
        if (rc && rc != SD_ENOTFOUND)
            return rc;
    }
    if (r->to[0] && sd_message_bounced(txn, r->to))
        r->to[0] = 0;
    sd_message_t m = {0};
    if (sd_message_latest(txn, t->id, &m) == 0 && m.message_id && m.message_id[0]) {
        snprintf(r->in_reply_to, sizeof r->in_reply_to, "%s%s%s", m.message_id[0] == '<' ? "" : "<",
                 m.message_id, m.message_id[0] == '<' ? "" : ">");
        snprintf(r->references, sizeof r->references, "%s%s%s", m.references ? m.references : "",
                 m.references ? " " : "", r->in_reply_to);
    }
    sd_record_clear(&sd_kind_message, &m);
    return 0;
}

/* The notice's id into e->id: from the event's origin and seq and what it is. */
static int s_id(const sd_notice_ctx_t *ctx, const sd_event_t *ev, const char *ticket,
                const char *what, sd_sendq_entry_t *e)
{
    char seed[SD_SITE_MAX + 64], hex[17], id[SD_MAILID_MAX + 1];
    snprintf(seed, sizeof seed, "%s:%llu:%s", ev->origin, (unsigned long long)ev->seq, what);
    if (sd_hash_hex(seed, strlen(seed), 8, hex) != 0) /* BLAKE2b-64 */
        return SD_EINVAL;
    if (!ticket || !ticket[0]) { /* a bulletin: about no ticket, so no ticket in its id */
        int n = snprintf(e->id, sizeof e->id, "sundesk-%s.%s.%s@%.150s", what, ev->key, hex,
                         ctx->cfg->mail.domain);
        return n > 0 && (size_t)n < sizeof e->id ? 0 : SD_ETOOLONG;
    }
    int rc = sd_mailid_make(ticket, hex, ctx->cfg->mail.domain, id, sizeof id);
    if (rc)
        return rc;
    snprintf(e->id, sizeof e->id, "%.*s", (int)strlen(id) - 2, id + 1);
    return 0;
}

/* One notice: rendered from template what into e. chat: a chat notice (body the text). */
static int s_notice(const sd_notice_ctx_t *ctx, const sd_event_t *ev, const char *ticket,
                    const char *what, bool chat, const char *to, const s_reach_t *r,
                    const sd_notice_vars_t *v, sd_sendq_entry_t *e)
{
    char name[SD_SENDQ_KIND_MAX + 8];
    snprintf(name, sizeof name, "%s%s", chat ? "chat_" : "", what);
    *e = (sd_sendq_entry_t){.state = SD_SENDQ_QUEUED,
                            .channel = chat ? SD_SENDQ_CHAT : SD_SENDQ_EMAIL,
                            .created_at = ctx->now_ms,
                            .next_at = ctx->now_ms,
                            .event_at = sd_hlc_ms(ev->hlc)};
    snprintf(e->ticket, sizeof e->ticket, "%s", ticket ? ticket : "");
    snprintf(e->kind, sizeof e->kind, "%s", what);
    snprintf(e->to, sizeof e->to, "%s", to ? to : "");
    int rc = s_id(ctx, ev, ticket, name, e);
    char *subject = NULL, *text = NULL;
    rc = rc
             ?: sd_notice_render(ctx->cfg->mail.templates, r ? r->lang : ctx->cfg->mail.language,
                                 name, v, &subject, &text);
    if (rc)
        return rc;
    snprintf(e->subject, sizeof e->subject, "%s", chat ? what : subject);
    free(subject);
    if (chat) {
        e->body = text;
        return 0;
    }
    char msgid[SD_MAILID_MAX + 3];
    snprintf(msgid, sizeof msgid, "<%s>", e->id);
    sd_mail_head_t h = {.from = ctx->cfg->mail.address,
                        .to = e->to,
                        .subject = e->subject,
                        .message_id = msgid,
                        .in_reply_to = r && !strcmp(what, "reply") ? r->in_reply_to : NULL,
                        .references = r && !strcmp(what, "reply") ? r->references : NULL,
                        .ticket = ticket,
                        .auto_replied = !strcmp(what, "ack"),
                        .date_ms = ctx->now_ms};
    e->body = sd_mail_format(&h, text);
    free(text);
    return e->body ? 0 : SD_ENOMEM;
}

/* The addresses of a list (comma or space separated) into out, comma-separated. */
static void s_addresses(const char *list, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ", ;");
        char a[SD_MAIL_ADDR_MAX + 1];
        if (n && n < sizeof a) {
            memcpy(a, p, n);
            a[n] = 0;
            if (s_is_address(a) && used + n + 2 < cap)
                used += (size_t)snprintf(out + used, cap - used, "%s%s", used ? "," : "", a);
        }
        p += n;
        p += strspn(p, ", ;");
    }
}

/* The ticket's owner site as of an event's clock, from the ticket's timeline as this node has
 * it: the last event at or before that clock that set the owner register. */
typedef struct {
    uint64_t hlc;                /* the event's clock */
    uint64_t mask;               /* the owner register's bit */
    char owner[SD_SITE_MAX + 1]; /* found so far ("" none) */
} s_owner_t;

static int s_owner_one(const void *bytes, size_t len, void *arg)
{
    s_owner_t *o = arg;
    sd_event_t e = {0};
    if (sd_event_decode(bytes, len, &e, NULL) == 0 && e.kind == &sd_kind_ticket &&
        e.hlc <= o->hlc && (e.mask & o->mask) && sd_event_ticket(&e)->owner_site)
        snprintf(o->owner, sizeof o->owner, "%s", sd_event_ticket(&e)->owner_site);
    sd_event_clear(&e);
    return 0;
}

/* True when this site sends the notices of ticket event ev: it owned the ticket when the event
 * was made (so that a ticket handed over between two events is told about once, by one site);
 * a handover's notice is the handing site's. */
static bool s_mine(const sd_notice_ctx_t *ctx, sd_store_txn_t *txn, const sd_event_t *ev,
                   const sd_ticket_t *t)
{
    const char *site = ctx->cfg->site;
    if (ev->op == SD_OP_HANDOVER)
        return !strcmp(ev->origin, site);
    s_owner_t o = {.hlc = ev->hlc, .mask = sd_kind_register_mask(&sd_kind_ticket, SD_REG_OWNER)};
    if (sd_store_timeline(txn, &sd_kind_ticket, t->id, s_owner_one, &o) != 0 || !o.owner[0])
        snprintf(o.owner, sizeof o.owner, "%s", t->owner_site ? t->owner_site : "");
    return !strcmp(o.owner, site);
}

/* The notices of a ticket event. */
static int s_ticket(const sd_notice_ctx_t *ctx, sd_store_txn_t *txn, const sd_event_t *ev,
                    sd_sendq_entry_t *out)
{
    sd_ticket_t t = {0};
    int rc = sd_store_get_record(txn, &sd_kind_ticket, ev->key, &t);
    if (rc || !sd_ticket_exists(&t)) {
        sd_ticket_clear(&t);
        return rc == SD_ENOTFOUND ? 0 : rc;
    }
    if (!s_mine(ctx, txn, ev, &t)) {
        sd_ticket_clear(&t);
        return 0;
    }
    const sd_ticket_t *f = sd_event_ticket(ev);
    s_reach_t r;
    rc = s_reach(ctx, txn, &t, &r);
    char url[SD_MAIL_PATH_MAX + 64], due[128] = "", prio[8];
    snprintf(url, sizeof url, "%s#/tickets/%s", ctx->console_url, t.id);
    snprintf(prio, sizeof prio, "%s",
             t.priority >= 0 && t.priority < SD_PRIORITY_COUNT_ ? sd_priority_names[t.priority]
                                                                : "");
    if (t.response_due)
        sd_notice_time(t.response_due, r.zone, due, sizeof due);
    sd_notice_vars_t v = {.ticket = t.id,
                          .title = t.title,
                          .reply_due = due,
                          .url = url,
                          .site = t.owner_site,
                          .priority = prio,
                          .requester = t.requester};
    int n = 0;
    bool mail = ctx->cfg->mail.transport != SD_MAIL_OFF && ctx->cfg->mail.address[0];
    uint64_t major_mask = sd_kind_register_mask(&sd_kind_ticket, SD_REG_MAJOR);
    if (!rc && ev->op == SD_OP_CREATE) {
        if (mail && r.to[0] && t.status == SD_STATUS_NEW)
            rc = s_notice(ctx, ev, t.id, "ack", false, r.to, &r, &v, &out[n++]);
        if (!rc && ctx->chat && (t.priority == SD_P1 || t.priority == SD_P2))
            rc = s_notice(ctx, ev, t.id, t.priority == SD_P1 ? "new_p1" : "new_p2", true, NULL, &r,
                          &v, &out[n++]);
    } else if (!rc && ev->op == SD_OP_COMMENT) {
        const sd_comment_t *c = ev->item;
        v.text = c ? c->body : NULL;
        /* the customer's own mail or chat, added by the intake, is not echoed back */
        if (mail && r.to[0] && c && c->public_reply &&
            !sd_message_of_comment(txn, ev->origin, ev->seq, NULL))
            rc = s_notice(ctx, ev, t.id, "reply", false, r.to, &r, &v, &out[n++]);
    } else if (!rc && ev->op == SD_OP_RESOLVE) {
        v.text = t.resolution;
        if (mail && r.to[0])
            rc = s_notice(ctx, ev, t.id, "resolved", false, r.to, &r, &v, &out[n++]);
    } else if (!rc && ev->op == SD_OP_SLA && f->sla_state == SD_SLA_BREACHED) {
        v.text = f->sla_reason;
        if (ctx->chat)
            rc = s_notice(ctx, ev, t.id, "breach", true, NULL, &r, &v, &out[n++]);
    } else if (!rc && ev->op == SD_OP_HANDOVER) {
        v.site = f->owner_site;
        if (ctx->chat)
            rc = s_notice(ctx, ev, t.id, "handover", true, NULL, &r, &v, &out[n++]);
    } else if (!rc && ev->op == SD_OP_PAGE) {
        v.text = f->oncall;
        if (ctx->chat)
            rc = s_notice(ctx, ev, t.id, "page", true, NULL, &r, &v, &out[n++]);
    }
    if (!rc && (ev->mask & major_mask) && f->major) {
        char to[SD_SENDQ_TO_MAX + 1];
        s_addresses(f->major_notify, to, sizeof to);
        v.text = f->major_note;
        if (mail && to[0])
            rc = s_notice(ctx, ev, t.id, "major", false, to, NULL, &v, &out[n++]);
        if (!rc && ctx->chat)
            rc = s_notice(ctx, ev, t.id, "major", true, NULL, &r, &v, &out[n++]);
    }
    sd_ticket_clear(&t);
    return rc ? rc : n;
}

/* A new bulletin: mail to bulletin_to and the robots, from its origin site. */
static int s_bulletin(const sd_notice_ctx_t *ctx, const sd_event_t *ev, sd_sendq_entry_t *out)
{
    const sd_bulletin_t *b = ev->fields;
    if (ev->op != SD_BLOP_CREATE || strcmp(ev->origin, ctx->cfg->site) != 0)
        return 0;
    sd_notice_vars_t v = {
        .title = b->title, .text = b->body, .url = ctx->console_url, .site = ev->origin};
    int n = 0, rc = 0;
    if (ctx->cfg->mail.transport != SD_MAIL_OFF && ctx->cfg->mail.address[0] &&
        ctx->cfg->mail.bulletin_to[0]) {
        char to[SD_SENDQ_TO_MAX + 1];
        s_addresses(ctx->cfg->mail.bulletin_to, to, sizeof to);
        rc = s_notice(ctx, ev, NULL, "bulletin", false, to, NULL, &v, &out[n++]);
    }
    if (!rc && ctx->chat)
        rc = s_notice(ctx, ev, NULL, "bulletin", true, NULL, NULL, &v, &out[n++]);
    return rc ? rc : n;
}

int sd_notice_make(const sd_notice_ctx_t *ctx, sd_store_txn_t *txn, const sd_event_t *ev,
                   sd_sendq_entry_t out[SD_NOTICE_PER_EVENT])
{
    uint64_t at = sd_hlc_ms(ev->hlc);
    if (at + SD_NOTICE_MAX_AGE_MS < ctx->now_ms)
        return 0; /* history: never replayed into mail */
    int n = 0;
    if (ev->kind == &sd_kind_ticket)
        n = s_ticket(ctx, txn, ev, out);
    else if (ev->kind == &sd_kind_bulletin)
        n = s_bulletin(ctx, ev, out);
    if (n < 0)
        for (int i = 0; i < SD_NOTICE_PER_EVENT; i++)
            sd_sendq_entry_clear(&out[i]);
    return n;
}
