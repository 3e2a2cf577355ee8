/* mailtext.c - the notices' templates (built in, overridable from mail/templates) and the MIME
 * form of a mail (notice.h). */
#include "notice.h"

#include "calendar.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- templates ----------------------------------------------------------------------------- */

typedef struct {
    const char *what, *lang, *subject, *body;
} s_template_t;

/* The built-in templates. Mail bodies end with the link; chat ones are one paragraph. */
static const s_template_t s_builtin[] = {
    {"ack", "zh-CN", "[{ticket}] 我们已收到您的请求：{title}",
     "您好，\n\n我们已收到您的请求，编号 {ticket}：\n  {title}\n\n"
     "我们承诺在 {reply_due} 之前答复您。\n\n"
     "如需补充信息，请直接回复本邮件（请保留主题中的编号 [{ticket}]）。\n"
     "查看请求：{url}\n\nIT 服务台\n"},
    {"ack", "en", "[{ticket}] We received your request: {title}",
     "Hello,\n\nWe received your request, number {ticket}:\n  {title}\n\n"
     "We will reply by {reply_due}.\n\n"
     "To add anything, reply to this mail (keep [{ticket}] in the subject).\n"
     "Your request: {url}\n\nIT Service Desk\n"},
    {"reply", "zh-CN", "[{ticket}] 回复：{title}",
     "{text}\n\n--\n请求 {ticket}：{url}\n如需补充信息，请直接回复本邮件。\n"},
    {"reply", "en", "[{ticket}] Re: {title}",
     "{text}\n\n--\nRequest {ticket}: {url}\nTo add anything, reply to this mail.\n"},
    {"resolved", "zh-CN", "[{ticket}] 已解决：{title}",
     "您好，\n\n您的请求 {ticket} 已解决：\n\n{text}\n\n"
     "问题已解决，请确认关闭；问题仍在，请重新打开：\n{url}\n"
     "（也可以直接回复本邮件重新打开请求。）\n\nIT 服务台\n"},
    {"resolved", "en", "[{ticket}] Resolved: {title}",
     "Hello,\n\nYour request {ticket} is resolved:\n\n{text}\n\n"
     "Please confirm it to close it, or reopen it if the problem remains:\n{url}\n"
     "(Replying to this mail reopens it too.)\n\nIT Service Desk\n"},
    {"major", "zh-CN", "[{ticket}] 重大事件：{title}",
     "重大事件 {ticket}（{priority}，{site}）：\n  {title}\n\n{text}\n\n进展：{url}\n"},
    {"major", "en", "[{ticket}] Major incident: {title}",
     "Major incident {ticket} ({priority}, {site}):\n  {title}\n\n{text}\n\nFollow it: {url}\n"},
    {"bulletin", "zh-CN", "服务公告：{title}", "{text}\n\n--\nIT 服务台 {url}\n"},
    {"bulletin", "en", "Service bulletin: {title}", "{text}\n\n--\nIT Service Desk {url}\n"},
    {"new_p1", "zh-CN", "", "新的 {priority} 工单 {ticket}（{site}）：{title}"},
    {"new_p1", "en", "", "New {priority} ticket {ticket} ({site}): {title}"},
    {"new_p2", "zh-CN", "", "新的 {priority} 工单 {ticket}（{site}）：{title}"},
    {"new_p2", "en", "", "New {priority} ticket {ticket} ({site}): {title}"},
    {"breach", "zh-CN", "", "工单 {ticket} 已违反 SLA：{title}（{text}）"},
    {"breach", "en", "", "Ticket {ticket} breached its SLA: {title} ({text})"},
    {"handover", "zh-CN", "", "工单 {ticket} 已移交 {site}：{title}"},
    {"handover", "en", "", "Ticket {ticket} handed over to {site}: {title}"},
    {"major", "zh-CN", "", "重大事件 {ticket}：{title}（{text}）"},
    {"major", "en", "", "Major incident {ticket}: {title} ({text})"},
    {"bulletin", "zh-CN", "", "服务公告：{title}：{text}"},
    {"bulletin", "en", "", "Service bulletin: {title}: {text}"},
    {"page", "zh-CN", "", "值班呼叫：工单 {ticket} 需要 {text} 处理：{title}"},
    {"page", "en", "", "On-call page: ticket {ticket} needs {text}: {title}"},
};

/* A template by name: mail ones by their name, chat ones as "chat_WHAT". */
static const s_template_t *s_find(const char *what, const char *lang)
{
    bool chat = !strncmp(what, "chat_", 5);
    const char *name = chat ? what + 5 : what;
    for (size_t i = 0; i < sizeof s_builtin / sizeof s_builtin[0]; i++) {
        const s_template_t *t = &s_builtin[i];
        if (!strcmp(t->what, name) && !strcmp(t->lang, lang) && (t->subject[0] == 0) == chat)
            return t;
    }
    return NULL;
}

/* Appends text with its {placeholders} replaced. */
static void s_expand(FILE *out, const char *text, const sd_notice_vars_t *v)
{
    static const char *const names[] = {"ticket", "title", "reply_due", "url",
                                        "text",   "site",  "priority",  "requester"};
    const char *vals[] = {v->ticket, v->title, v->reply_due, v->url,
                          v->text,   v->site,  v->priority,  v->requester};
    for (const char *p = text; *p;) {
        const char *end = *p == '{' ? strchr(p, '}') : NULL;
        size_t i = 0;
        for (; end && i < sizeof names / sizeof names[0]; i++)
            if ((size_t)(end - p - 1) == strlen(names[i]) && !strncmp(p + 1, names[i], end - p - 1))
                break;
        if (end && i < sizeof names / sizeof names[0]) {
            fputs(vals[i] ? vals[i] : "", out);
            p = end + 1;
        } else {
            fputc(*p++, out);
        }
    }
}

/* Reads DIR/LANG/WHAT.txt into *text (malloc'd). SD_ENOTFOUND when there is none. */
static int s_read_file(const char *dir, const char *lang, const char *what, char **text)
{
    char path[SD_MAIL_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s/%s.txt", dir, lang, what);
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? SD_ENOTFOUND : SD_EIO;
    char *buf = malloc(SD_TEXT_MAX + 1);
    size_t n = buf ? fread(buf, 1, SD_TEXT_MAX + 1, f) : 0;
    bool bad = ferror(f) || n > SD_TEXT_MAX;
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return buf ? SD_EIO : SD_ENOMEM;
    }
    buf[n] = 0;
    *text = buf;
    return 0;
}

int sd_notice_render(const char *dir, const char *lang, const char *what, const sd_notice_vars_t *v,
                     char **subject, char **body)
{
    const char *l = !strncmp(lang ? lang : "", "zh", 2) ? "zh-CN" : "en";
    *subject = *body = NULL;
    char *file = NULL;
    const char *subj_text = NULL, *body_text = NULL;
    int rc = dir && dir[0] ? s_read_file(dir, l, what, &file) : SD_ENOTFOUND;
    if (rc == 0) { /* "Subject: ..." then a blank line, then the body; or only a body (chat) */
        if (!strncmp(file, "Subject:", 8)) {
            char *nl = strchr(file, '\n');
            subj_text = file + 8 + (file[8] == ' ');
            body_text = nl ? nl + 1 + (nl[1] == '\n') : "";
            if (nl)
                *nl = 0;
        } else {
            subj_text = "";
            body_text = file;
        }
    } else if (rc == SD_ENOTFOUND) {
        const s_template_t *t = s_find(what, l);
        if (!t) {
            free(file);
            return SD_ENOTFOUND;
        }
        subj_text = t->subject, body_text = t->body;
        rc = 0;
    }
    if (rc)
        return rc;
    size_t sn, bn;
    FILE *s = open_memstream(subject, &sn), *b = s ? open_memstream(body, &bn) : NULL;
    if (!b) {
        if (s)
            fclose(s);
        free(*subject);
        free(file);
        *subject = NULL;
        return SD_ENOMEM;
    }
    s_expand(s, subj_text, v);
    s_expand(b, body_text, v);
    bool failed = fclose(s) != 0;
    failed |= fclose(b) != 0;
    free(file);
    if (failed) {
        free(*subject);
        free(*body);
        *subject = *body = NULL;
        return SD_ENOMEM;
    }
    for (char *p = *subject; *p; p++) /* a subject is one line */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return 0;
}

/* ---- MIME -------------------------------------------------------------------------------- */

static const char s_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void s_base64(FILE *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        fputc(s_b64[v >> 18 & 63], out);
        fputc(s_b64[v >> 12 & 63], out);
        fputc(i + 1 < n ? s_b64[v >> 6 & 63] : '=', out);
        fputc(i + 2 < n ? s_b64[v & 63] : '=', out);
    }
}

static bool s_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x7f || (unsigned char)*s < ' ')
            return false;
    return true;
}

char *sd_mail_subject(const char *subject)
{
    if (s_ascii(subject))
        return strdup(subject);
    char *out = NULL;
    size_t len;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        return NULL;
    /* "=?UTF-8?B?" + base64 + "?=" within 75 bytes: at most 45 bytes of text per word (60 of
     * base64), cut between UTF-8 characters. */
    const unsigned char *p = (const unsigned char *)subject;
    size_t left = strlen(subject);
    for (bool first = true; left; first = false) {
        size_t n = left < 45 ? left : 45;
        while (n < left && n > 0 && (p[n] & 0xC0) == 0x80)
            n--;
        fputs(first ? "=?UTF-8?B?" : "\n =?UTF-8?B?", f);
        s_base64(f, p, n);
        fputs("?=", f);
        p += n, left -= n;
    }
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

void sd_notice_time(uint64_t t, const char *zone, char *out, size_t cap)
{
    int32_t off = 0;
    sd_calendar_t *cal = NULL;
    bool zoned = zone && zone[0] && sd_calendar_new("TZ", zone, &cal) == 0 &&
                 sd_calendar_utc_offset(cal, (int64_t)t, &off) == 0;
    sd_calendar_destroy(&cal);
    time_t local = (time_t)(t / 1000) + (zoned ? off : 0);
    struct tm tm;
    gmtime_r(&local, &tm);
    int a = off < 0 ? -off : off;
    snprintf(out, cap, "%04d-%02d-%02d %02d:%02d (%s, UTC%c%02d:%02d)", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, zoned ? zone : "UTC",
             off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

char *sd_mail_format(const sd_mail_head_t *h, const char *text)
{
    char *subject = sd_mail_subject(h->subject ? h->subject : "");
    char *out = NULL;
    size_t len;
    FILE *f = subject ? open_memstream(&out, &len) : NULL;
    if (!f) {
        free(subject);
        return NULL;
    }
    time_t secs = (time_t)(h->date_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char date[64];
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    fprintf(f, "From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: %s\n", h->from, h->to, subject,
            date, h->message_id);
    if (h->in_reply_to && h->in_reply_to[0])
        fprintf(f, "In-Reply-To: %s\n", h->in_reply_to);
    if (h->references && h->references[0])
        fprintf(f, "References: %s\n", h->references);
    if (h->ticket && h->ticket[0])
        fprintf(f, "X-Sundesk-Ticket: %s\n", h->ticket);
    fprintf(f,
            "Auto-Submitted: %s\nX-Auto-Response-Suppress: All\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n",
            h->auto_replied ? "auto-replied" : "auto-generated");
    const unsigned char *p = (const unsigned char *)text;
    for (size_t left = strlen(text); left;) { /* 76 characters a line: 57 bytes */
        size_t n = left < 57 ? left : 57;
        s_base64(f, p, n);
        fputc('\n', f);
        p += n, left -= n;
    }
    free(subject);
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}
