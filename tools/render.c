/* render.c - JSON, tables, CSV and reports for the CLI. */
#include "render.h"

#include "event.h"
#include "hlc.h"
#include "tz.h"

#include <string.h>

static void s_json_str(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (c < 0x20)
                fprintf(out, "\\u%04x", c);
            else
                fputc(c, out);
        }
    }
    fputc('"', out);
}

void sd_render_json(FILE *out, const sd_mp_node_t *v)
{
    size_t len;
    const char *s;
    uint64_t u;
    int64_t i;
    bool b;
    switch (sd_mp_kind(v)) {
    case SD_MP_NIL:
        fputs("null", out);
        return;
    case SD_MP_BOOL:
        sd_mp_boolean(v, &b), fputs(b ? "true" : "false", out);
        return;
    case SD_MP_UINT:
        sd_mp_uint(v, &u), fprintf(out, "%llu", (unsigned long long)u);
        return;
    case SD_MP_INT:
        sd_mp_int(v, &i), fprintf(out, "%lld", (long long)i);
        return;
    case SD_MP_STR:
        s = sd_mp_bytes(v, &len), s_json_str(out, s, len);
        return;
    case SD_MP_BIN:
        s = sd_mp_bytes(v, &len);
        fputc('"', out);
        for (size_t k = 0; k < len; k++)
            fprintf(out, "%02x", (unsigned char)s[k]);
        fputc('"', out);
        return;
    case SD_MP_ARRAY:
        fputc('[', out);
        for (size_t k = 0; k < sd_mp_len(v); k++) {
            if (k)
                fputc(',', out);
            sd_render_json(out, sd_mp_at(v, k));
        }
        fputc(']', out);
        return;
    case SD_MP_MAP:
        fputc('{', out);
        for (size_t k = 0; k < sd_mp_len(v); k++) {
            if (k)
                fputc(',', out);
            const sd_mp_node_t *key = sd_mp_key(v, k);
            if (sd_mp_kind(key) == SD_MP_STR) {
                s = sd_mp_bytes(key, &len);
                s_json_str(out, s, len);
            } else {
                fputc('"', out);
                sd_render_json(out, key);
                fputc('"', out);
            }
            fputc(':', out);
            sd_render_json(out, sd_mp_val(v, k));
        }
        fputc('}', out);
        return;
    default:
        fputs("null", out);
        return;
    }
}

const char *sd_render_time(uint64_t ms, char *buf)
{
    return sd_tz_format(ms, false, buf, 24);
}

const char *sd_render_local_time(uint64_t ms, char *buf)
{
    return sd_tz_format(ms, true, buf, SD_TZ_TIME_MAX);
}

const char *sd_render_span(uint64_t from, uint64_t to, char *buf, size_t cap)
{
    if (!from || !to || to < from) {
        snprintf(buf, cap, "-");
        return buf;
    }
    uint64_t s = (to - from) / 1000;
    if (s < 60)
        snprintf(buf, cap, "%llus", (unsigned long long)s);
    else if (s < 3600)
        snprintf(buf, cap, "%llum%02llus", (unsigned long long)(s / 60),
                 (unsigned long long)(s % 60));
    else if (s < 86400)
        snprintf(buf, cap, "%lluh%02llum", (unsigned long long)(s / 3600),
                 (unsigned long long)(s / 60 % 60));
    else
        snprintf(buf, cap, "%llud%02lluh", (unsigned long long)(s / 86400),
                 (unsigned long long)(s / 3600 % 24));
    return buf;
}

static const char *s_or(const char *s, const char *dflt)
{
    return s && *s ? s : dflt;
}

const char *sd_render_hours(uint64_t ms, char *buf, size_t cap)
{
    uint64_t m = ms / 60000;
    snprintf(buf, cap, "%lluh %02llum", (unsigned long long)(m / 60), (unsigned long long)(m % 60));
    return buf;
}

void sd_render_indented(FILE *out, const char *text, size_t len, const char *indent)
{
    while (len > 0) {
        const char *nl = memchr(text, '\n', len);
        size_t line = nl ? (size_t)(nl - text) : len;
        fprintf(out, "%s%.*s\n", indent, (int)line, text);
        len -= nl ? line + 1 : line;
        text += nl ? line + 1 : line;
    }
}

const char *sd_render_sla(const sd_ticket_t *t, char *buf, size_t cap)
{
    const char *state =
        t->sla_state >= 0 && t->sla_state < SD_SLA_COUNT_ ? sd_sla_names[t->sla_state] : "?";
    snprintf(buf, cap, "%s%s", state, t->escalated ? " ESC" : "");
    return buf;
}

/* The card's SLA state, paused clock and last handover between sites. */
static void s_render_sla_lines(FILE *out, const sd_ticket_t *t)
{
    char a[24], b[24], state[24];
    fprintf(out, "  sla         %s", sd_render_sla(t, state, sizeof state));
    if (t->escalated)
        fprintf(out, " (escalated: manager notified)");
    if (t->sla_at)
        fprintf(out, " since %s", sd_render_time(t->sla_at, a));
    fprintf(out, "%s%s\n", t->sla_reason ? ": " : "", s_or(t->sla_reason, ""));
    if (t->sla_paused_at)
        fprintf(out, "  sla clock   paused since %s (pending)\n",
                sd_render_time(t->sla_paused_at, a));
    if (!t->handover_at)
        return;
    fprintf(out, "  handover    %s -> %s at %s\n", s_or(t->handover_from, "-"),
            s_or(t->owner_site, "-"), sd_render_time(t->handover_at, b));
    if (t->handover_note)
        sd_render_indented(out, t->handover_note, strlen(t->handover_note), "              ");
}

/* A due time in the viewer's zone and, when the owner site's zone is known and another, on the
 * site's clock beside it: "2027-03-28 09:00+08 (EMEA 2027-03-28 02:00+01)". */
static const char *s_due(const sd_ticket_t *t, const char *site_zone, uint64_t ms, char *buf,
                         size_t cap)
{
    char mine[SD_TZ_TIME_MAX], site[SD_TZ_TIME_MAX];
    sd_tz_format(ms, false, mine, sizeof mine);
    if (ms && site_zone && strcmp(site_zone, sd_tz_name()) &&
        sd_tz_format_in(site_zone, ms, site, sizeof site))
        snprintf(buf, cap, "%s (%s %s)", mine, s_or(t->owner_site, "site"), site);
    else
        snprintf(buf, cap, "%s", mine);
    return buf;
}

void sd_render_ticket(FILE *out, const sd_ticket_t *t, const char *site_zone)
{
    char a[24], b[24], due[2][80];
    fprintf(out, "%s  %s\n", t->id, s_or(t->title, ""));
    fprintf(out, "  status      %s%s%s\n", sd_status_name(t->status),
            t->status == SD_STATUS_PENDING ? " on " : "",
            t->status == SD_STATUS_PENDING ? sd_wait_names[t->waiting_on] : "");
    fprintf(out, "  type        %s%s\n", sd_type_name(t->type),
            t->major ? " (MAJOR INCIDENT)" : "");
    if (t->major && t->major_notify)
        fprintf(out, "  to notify   %s\n", t->major_notify);
    fprintf(out, "  priority    %s (impact %d, urgency %d)\n", sd_priority_name(t->priority),
            t->impact, t->urgency);
    fprintf(out, "  requester   %s via %s\n", s_or(t->requester, "-"), sd_channel_name(t->channel));
    fprintf(out, "  category    %s\n", s_or(t->category, "-"));
    fprintf(out, "  tier        %s since %s  team %s  assignee %s\n", sd_tier_name(t->tier),
            sd_render_time(t->tier_since, a), s_or(t->team, "-"), s_or(t->assignee, "-"));
    fprintf(out, "  owner       %s at site %s\n", s_or(t->owner, "-"), s_or(t->owner_site, "-"));
    if (t->assets && *t->assets)
        fprintf(out, "  assets      %s\n", t->assets);
    if (t->vendor || t->vendor_ref)
        fprintf(out, "  vendor      %s%s%s\n", s_or(t->vendor, "-"), t->vendor_ref ? "  ref " : "",
                s_or(t->vendor_ref, ""));
    if (t->follow_sun)
        fprintf(out, "  follow sun  yes: SLA on all sites' hours, handed from site to site\n");
    fprintf(out, "  created     %s  updated %s\n", sd_render_time(t->created_at, a),
            sd_render_time(t->updated_at, b));
    fprintf(out, "  times in    %s", sd_tz_name());
    if (site_zone)
        fprintf(out, "; site %s on %s", s_or(t->owner_site, "-"), site_zone);
    fputc('\n', out);
    fprintf(out, "  reply due   %s  promised %s\n",
            s_due(t, site_zone, t->response_due, due[0], sizeof due[0]),
            s_due(t, site_zone, t->reply_due, due[1], sizeof due[1]));
    fprintf(out, "  resolve due %s\n", s_due(t, site_zone, t->resolve_due, due[0], sizeof due[0]));
    s_render_sla_lines(out, t);
    if (t->acknowledged_at || t->first_response_at)
        fprintf(out, "  acknowledged %s  first response %s\n",
                sd_render_time(t->acknowledged_at, a), sd_render_time(t->first_response_at, b));
    if (t->resolved_at || t->resolution)
        fprintf(out, "  resolved    %s: %s\n", sd_render_time(t->resolved_at, a),
                s_or(t->resolution, "-"));
    if (t->article)
        fprintf(out, "  article     %s (the knowledge base article that solved it)\n", t->article);
    if (t->closed_at)
        fprintf(out, "  closed      %s  satisfaction %d/5%s%s\n", sd_render_time(t->closed_at, a),
                t->satisfaction, t->feedback ? "  " : "", s_or(t->feedback, ""));
    if (t->status_reason)
        fprintf(out, "  reason      %s\n", t->status_reason);
    if (t->reopen_count)
        fprintf(out, "  reopened    %llu time(s)\n", (unsigned long long)t->reopen_count);
    if (t->description && *t->description)
        fprintf(out, "\n%s\n", t->description);
    for (size_t i = 0; i < t->ncomments; i++) {
        const sd_comment_t *c = &t->comments[i];
        fprintf(out, "\n  [%s] %s %s:\n  %s\n", sd_render_time(sd_hlc_ms(c->hlc), a),
                c->public_reply ? "reply by" : "note by", s_or(c->author, "?"), s_or(c->body, ""));
    }
}

void sd_render_queue_header(FILE *out)
{
    fprintf(out, "%-14s %-3s %-12s %-6s %-16s %-19s %-12s %s\n", "ID", "PRI", "STATUS", "TIER",
            "ASSIGNEE", "RESOLVE DUE", "SLA", "TITLE");
}

void sd_render_queue_row(FILE *out, const sd_ticket_t *t)
{
    char due[24], sla[24];
    fprintf(out, "%-14s %-3s %-12s %-6s %-16.16s %-19s %-12s %.60s\n", t->id,
            sd_priority_name(t->priority), sd_status_name(t->status), sd_tier_name(t->tier),
            s_or(t->assignee, "-"), sd_render_time(t->resolve_due, due),
            sd_render_sla(t, sla, sizeof sla), s_or(t->title, ""));
}

static void s_csv(FILE *out, const char *s, bool last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
    fputs(last ? "\r\n" : ",", out);
}

void sd_render_csv_header(FILE *out)
{
    fputs("id,received,requester,channel,type,category,priority,title,status,acknowledged,"
          "reply_promised,team,assignee,last_update,resolved,completed,satisfaction,feedback\r\n",
          out);
}

void sd_render_csv_row(FILE *out, const sd_ticket_t *t)
{
    char buf[8][24], sat[8];
    snprintf(sat, sizeof sat, "%d", t->satisfaction);
    s_csv(out, t->id, false);
    s_csv(out, sd_render_time(t->created_at, buf[0]), false);
    s_csv(out, t->requester, false);
    s_csv(out, sd_channel_name(t->channel), false);
    s_csv(out, sd_type_name(t->type), false);
    s_csv(out, t->category, false);
    s_csv(out, sd_priority_name(t->priority), false);
    s_csv(out, t->title, false);
    s_csv(out, sd_status_name(t->status), false);
    s_csv(out, sd_render_time(t->acknowledged_at, buf[1]), false);
    s_csv(out, sd_render_time(t->reply_due, buf[2]), false);
    s_csv(out, t->team, false);
    s_csv(out, t->assignee, false);
    s_csv(out, sd_render_time(t->updated_at, buf[3]), false);
    s_csv(out, sd_render_time(t->resolved_at, buf[4]), false);
    s_csv(out, sd_render_time(t->closed_at, buf[5]), false);
    s_csv(out, t->satisfaction ? sat : "", false);
    s_csv(out, t->feedback, true);
}

void sd_render_report(FILE *out, const sd_ticket_t *t, const char *site_zone,
                      const sd_mp_node_t *events, const sd_mp_node_t *changes)
{
    char a[24], b[24];
    sd_render_ticket(out, t, site_zone);
    fprintf(out, "\nTimings\n");
    fprintf(out, "  to acknowledge   %s\n",
            sd_render_span(t->created_at, t->acknowledged_at, a, 24));
    fprintf(out, "  to first reply   %s (target %s)\n",
            sd_render_span(t->created_at, t->first_response_at, a, 24),
            sd_render_span(t->created_at, t->response_due, b, 24));
    fprintf(out, "  to resolve       %s (target %s)\n",
            sd_render_span(t->created_at, t->resolved_at, a, 24),
            sd_render_span(t->created_at, t->resolve_due, b, 24));
    fprintf(out, "  to close         %s\n", sd_render_span(t->created_at, t->closed_at, a, 24));
    bool met = t->resolved_at && t->resolved_at <= t->resolve_due;
    if (t->resolved_at)
        fprintf(out, "  resolution SLA   %s\n", met ? "met" : "BREACHED");
    fprintf(out, "\nHistory\n");
    sd_render_history(out, events, changes);
}

/* A changed field's value: a text as it is, nil as "-", a time (a field named *_at or *_due)
 * as a time in the CLI's zone, anything else as JSON. */
static void s_render_value(FILE *out, const char *field, size_t flen, const sd_mp_node_t *v)
{
    size_t len = 0;
    uint64_t ms = 0;
    const char *s = sd_mp_kind(v) == SD_MP_STR ? sd_mp_bytes(v, &len) : NULL;
    bool time = (flen > 3 && !memcmp(field + flen - 3, "_at", 3)) ||
                (flen > 4 && !memcmp(field + flen - 4, "_due", 4));
    char buf[24];
    if (s)
        fprintf(out, "%.*s", (int)len, s);
    else if (!v || sd_mp_kind(v) == SD_MP_NIL)
        fputc('-', out);
    else if (time && sd_mp_uint(v, &ms) == 0)
        fputs(sd_render_time(ms, buf), out);
    else
        sd_render_json(out, v);
}

/* An update's {from, to}: a line "field: OLD -> NEW" per field it changed. */
static void s_render_changes(FILE *out, const sd_mp_node_t *change)
{
    const sd_mp_node_t *from = sd_mp_kind(change) == SD_MP_MAP ? sd_mp_get(change, "from") : NULL;
    const sd_mp_node_t *to = sd_mp_kind(change) == SD_MP_MAP ? sd_mp_get(change, "to") : NULL;
    for (size_t i = 0; to && sd_mp_kind(to) == SD_MP_MAP && i < sd_mp_len(to); i++) {
        size_t flen = 0;
        const char *field = sd_mp_bytes(sd_mp_key(to, i), &flen);
        if (!field)
            continue;
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)flen, field);
        fprintf(out, "      %s: ", key);
        s_render_value(out, key, flen,
                       from && sd_mp_kind(from) == SD_MP_MAP ? sd_mp_get(from, key) : NULL);
        fputs(" -> ", out);
        s_render_value(out, key, flen, sd_mp_val(to, i));
        fputc('\n', out);
    }
}

void sd_render_history(FILE *out, const sd_mp_node_t *events, const sd_mp_node_t *changes)
{
    char a[24], sla[24];
    for (size_t i = 0; events && i < sd_mp_len(events); i++) {
        sd_event_t ev = {0};
        if (sd_event_decode_node(sd_mp_at(events, i), &ev, NULL) != 0) {
            fprintf(out, "  (an event this client cannot read)\n");
            continue;
        }
        fprintf(out, "  %s  %-8s by %-20s %s#%llu", sd_render_time(sd_hlc_ms(ev.hlc), a),
                sd_event_op_name(&ev), ev.author, ev.origin, (unsigned long long)ev.seq);
        const sd_ticket_t *f = sd_event_ticket(&ev);
        if (ev.kind != &sd_kind_ticket) {
            fputc('\n', out);
            sd_event_clear(&ev);
            continue;
        }
        if (ev.mask & sd_ticket_register_mask(SD_REG_STATUS))
            fprintf(out, "  -> %s", sd_status_name(f->status));
        if (ev.op == SD_OP_ASSIGN)
            fprintf(out, "  -> %s (%s)", s_or(f->assignee, "-"), sd_tier_name(f->tier));
        else if (ev.op == SD_OP_HANDOVER)
            fprintf(out, "  %s -> %s", s_or(f->handover_from, "-"), s_or(f->owner_site, "-"));
        else if (ev.op == SD_OP_ESCALATE)
            fprintf(out, "  -> %s", sd_tier_name(f->tier));
        else if (ev.op == SD_OP_SLA)
            fprintf(out, "  -> %s", sd_render_sla(f, sla, sizeof sla));
        if (ev.op == SD_OP_ESCALATE || ev.op == SD_OP_SLA)
            fprintf(out, ": %s", s_or(f->sla_reason, "-"));
        fputc('\n', out);
        if (ev.op == SD_OP_UPDATE && changes && i < sd_mp_len(changes))
            s_render_changes(out, sd_mp_at(changes, i));
        sd_event_clear(&ev);
    }
}
