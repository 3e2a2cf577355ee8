/* mail_parse.c - one message's MIME structure, headers and class, with GMime 3. */
#include "mail.h"

#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_REFERENCES_MAX                                                                           \
    4096                /* bytes of References kept: the newest ids; threading reads them          \
                          newest first */
#define S_DEPTH_MAX 32  /* multipart nesting read */
#define S_MSGID_MAX 255 /* a longer Message-ID is replaced by a hash of it (SD_MSGID_MAX) */

/* GMime is set up once per process; parser options decode raw 8-bit header bytes as UTF-8,
 * then GB18030, and take the malformed MIME that real mailers send. */
static GMimeParserOptions *s_options(void)
{
    static GMimeParserOptions *options;
    if (!options) {
        g_mime_init();
        options = g_mime_parser_options_new();
        static const char *fallback[] = {"UTF-8", "GB18030", NULL};
        g_mime_parser_options_set_fallback_charsets(options, fallback);
        g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_address_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_parameter_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
    }
    return options;
}

const char *sd_mail_class_name(sd_mail_class_t cls)
{
    static const char *const names[] = {"normal", "auto", "list", "bounce"};
    return (unsigned)cls < G_N_ELEMENTS(names) ? names[cls] : "normal";
}

/* s (may be NULL) as valid UTF-8 on one line (control characters as blanks), blanks trimmed,
 * heap (malloc) - never NULL unless out of memory. */
static char *s_clean(const char *s)
{
    if (!s)
        return strdup("");
    gchar *v = g_utf8_make_valid(s, -1);
    for (char *p = v; *p; p++) /* one line, no control characters (the node's rule) */
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            *p = ' ';
    char *out = strdup(g_strstrip(v));
    g_free(v);
    return out;
}

/* The raw value of header name of obj with its encoded-words' charset labels mapped as
 * sd_mail_charset says ("=?gb2312?" read as GB18030), unfolded; g_free it. NULL when absent. */
static char *s_raw_header(GMimeObject *obj, const char *name)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(obj);
    GMimeHeader *h = list ? g_mime_header_list_get_header(list, name) : NULL;
    const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
    if (!raw)
        return NULL;
    GString *out = g_string_sized_new(strlen(raw));
    for (const char *p = raw; *p;) {
        if (*p == '\r' || *p == '\n') {
            p++;
            continue;
        }
        const char *q = p[0] == '=' && p[1] == '?' ? strchr(p + 2, '?') : NULL;
        if (q && q - p < 64) {
            char label[64];
            memcpy(label, p + 2, (size_t)(q - p - 2));
            label[q - p - 2] = '\0';
            char *star = strchr(label, '*'); /* RFC 2231 language: =?gb2312*zh?B?...?= */
            if (star)
                *star = '\0';
            g_string_append(out, "=?");
            g_string_append(out, sd_mail_charset(label));
            p = q;
            continue;
        }
        g_string_append_c(out, *p++);
    }
    return g_string_free(out, FALSE);
}

/* The decoded text of an unstructured header (Subject), heap; "" when absent. */
static char *s_header_text(GMimeObject *obj, const char *name)
{
    char *raw = s_raw_header(obj, name);
    if (!raw)
        return strdup("");
    char *text = g_mime_utils_header_decode_text(s_options(), raw);
    char *out = s_clean(text);
    g_free(text);
    g_free(raw);
    return out;
}

/* The header's first word, lower-case, e.g. "auto-replied" of "Auto-Replied; x=y"; g_free. */
static char *s_header_word(GMimeObject *obj, const char *name)
{
    const char *v = g_mime_object_get_header(obj, name);
    if (!v)
        return NULL;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strcspn(v, " \t;\r\n");
    return g_ascii_strdown(v, (gssize)n);
}

/* The mailboxes of an address list, groups flattened, appended to out. */
static void s_mailboxes(InternetAddressList *list, GPtrArray *out)
{
    for (int i = 0; list && i < internet_address_list_length(list); i++) {
        InternetAddress *a = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(a))
            s_mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out);
        else if (INTERNET_ADDRESS_IS_MAILBOX(a))
            g_ptr_array_add(out, a);
    }
}

/* The address list header name of obj parsed; unref it. NULL when absent. */
static InternetAddressList *s_addresses(GMimeObject *obj, const char *name)
{
    char *raw = s_raw_header(obj, name);
    if (!raw)
        return NULL;
    InternetAddressList *list = internet_address_list_parse(s_options(), raw);
    g_free(raw);
    return list;
}

static char *s_lower_addr(InternetAddress *a)
{
    const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
    gchar *low = g_utf8_strdown(addr ? addr : "", -1);
    char *out = s_clean(low);
    g_free(low);
    return out;
}

/* Addresses of header name joined by ", ", lower-case, heap. */
static char *s_address_line(GMimeObject *obj, const char *name)
{
    InternetAddressList *list = s_addresses(obj, name);
    GPtrArray *boxes = g_ptr_array_new();
    s_mailboxes(list, boxes);
    GString *line = g_string_new("");
    for (guint i = 0; i < boxes->len; i++) {
        char *a = s_lower_addr(boxes->pdata[i]);
        if (a && *a)
            g_string_append_printf(line, "%s%s", line->len ? ", " : "", a);
        free(a);
    }
    g_ptr_array_free(boxes, TRUE);
    if (list)
        g_object_unref(list);
    char *out = s_clean(line->str);
    g_string_free(line, TRUE);
    return out;
}

/* From (else Sender): the first mailbox's address and display name. */
static void s_sender(GMimeObject *obj, sd_mail_t *m)
{
    InternetAddressList *list = s_addresses(obj, "From");
    if (!list || internet_address_list_length(list) == 0) {
        if (list)
            g_object_unref(list);
        list = s_addresses(obj, "Sender");
    }
    GPtrArray *boxes = g_ptr_array_new();
    s_mailboxes(list, boxes);
    if (boxes->len) {
        m->from = s_lower_addr(boxes->pdata[0]);
        m->from_name = s_clean(internet_address_get_name(boxes->pdata[0]));
    }
    g_ptr_array_free(boxes, TRUE);
    if (list)
        g_object_unref(list);
}

/* In-Reply-To's first id (no brackets) and References' newest S_REFERENCES_MAX ids. */
static void s_thread_ids(GMimeObject *obj, sd_mail_t *m)
{
    const char *irt = g_mime_object_get_header(obj, "In-Reply-To");
    GMimeReferences *refs = irt ? g_mime_references_parse(s_options(), irt) : NULL;
    if (refs && g_mime_references_length(refs) > 0) {
        gchar *first = g_strdup_printf("<%s>", g_mime_references_get_message_id(refs, 0));
        m->in_reply_to = s_clean(first);
        g_free(first);
    }
    if (refs)
        g_mime_references_free(refs);
    const char *rh = g_mime_object_get_header(obj, "References");
    refs = rh ? g_mime_references_parse(s_options(), rh) : NULL;
    GString *line = g_string_new("");
    int n = refs ? g_mime_references_length(refs) : 0, first = n;
    for (size_t bytes = 0; first > 0; first--) { /* the newest that fit */
        bytes += strlen(g_mime_references_get_message_id(refs, first - 1)) + 3;
        if (bytes > S_REFERENCES_MAX)
            break;
    }
    for (int i = first; i < n; i++)
        g_string_append_printf(line, "%s<%s>", line->len ? " " : "",
                               g_mime_references_get_message_id(refs, i));
    if (refs)
        g_mime_references_free(refs);
    m->references = s_clean(line->str);
    g_string_free(line, TRUE);
}

/* Makes bytes->data a NUL-terminated buffer (never NULL, even when empty); the NUL is not
 * counted in bytes->len. */
static GByteArray *s_terminate(GByteArray *bytes)
{
    g_byte_array_append(bytes, (const guint8 *)"", 1);
    g_byte_array_set_size(bytes, bytes->len - 1);
    return bytes;
}

/* The decoded bytes of a leaf part (transfer encoding removed), NUL-terminated;
 * g_byte_array_unref it. */
static GByteArray *s_content(GMimePart *part)
{
    GByteArray *bytes = g_byte_array_new();
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    if (w) {
        GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);
        g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
        g_mime_data_wrapper_write_to_stream(w, mem);
        g_object_unref(mem);
    }
    return s_terminate(bytes);
}

/* RFC 3676: joins the soft line breaks of format=flowed text (in place). */
static void s_unflow(char *text, bool delsp)
{
    size_t j = 0;
    for (size_t i = 0; text[i]; i++) {
        if (text[i] == '\n' && i > 0 && text[i - 1] == ' ') {
            size_t start = i; /* a signature separator "-- " is no soft break */
            while (start > 0 && text[start - 1] != '\n')
                start--;
            if (!(i - start == 3 && strncmp(text + start, "-- ", 3) == 0)) {
                if (delsp && j > 0)
                    j--;
                size_t q = i + 1; /* the next line's quote marks and space-stuffing go */
                while (text[q] == '>')
                    q++;
                if (text[q] == ' ')
                    q++;
                i = q - 1;
                continue;
            }
        }
        text[j++] = text[i];
    }
    text[j] = '\0';
}

/* A text part's content as UTF-8 text; HTML made plain. */
static char *s_part_text(GMimePart *part, bool html)
{
    GByteArray *bytes = s_content(part);
    const char *label = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    char meta[32] = "";
    if (!label && html) { /* <meta charset="gbk"> or http-equiv content="...; charset=gbk" */
        gchar *head = g_ascii_strdown((const char *)bytes->data, MIN(bytes->len, 2048));
        const char *c = strstr(head, "charset=");
        if (c) {
            c += 8 + (c[8] == '"' || c[8] == '\'');
            size_t n = strspn(c, "abcdefghijklmnopqrstuvwxyz0123456789-_");
            if (n < sizeof meta) {
                memcpy(meta, c, n);
                meta[n] = '\0';
                label = meta;
            }
        }
        g_free(head);
    }
    char *text = sd_mail_to_utf8((const char *)bytes->data, bytes->len, label);
    g_byte_array_unref(bytes);
    if (text && !html) {
        const char *format = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "format");
        const char *delsp = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "delsp");
        if (format && g_ascii_strcasecmp(format, "flowed") == 0)
            s_unflow(text, delsp && g_ascii_strcasecmp(delsp, "yes") == 0);
    }
    if (text && html) {
        char *plain = sd_mail_html_text(text);
        free(text);
        text = plain;
    }
    if (text)
        sd_mail_trim_text(text);
    return text;
}

/* What the walk over the parts collects. */
typedef struct {
    GString *plain;        /* the text/plain body parts, joined */
    GString *html;         /* the text of the text/html body parts, joined */
    GArray *attachments;   /* sd_mail_attachment_t */
    GMimeObject *dsn;      /* a message/delivery-status part (borrowed), or NULL */
    GMimeObject *original; /* a message/rfc822 or text/rfc822-headers part, or NULL */
} s_walk_t;

static void s_join(GString *s, char *text)
{
    if (text && *text)
        g_string_append_printf(s, "%s%s", s->len ? "\n\n" : "", text);
    free(text);
}

static void s_attach(s_walk_t *w, GMimeObject *obj, const char *name, GByteArray *bytes)
{
    sd_mail_attachment_t a = {0};
    gchar *type = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(obj));
    gchar *low = g_ascii_strdown(type, -1);
    a.type = s_clean(low);
    a.name = s_clean(name);
    a.size = bytes->len;
    a.data = malloc(bytes->len ? bytes->len : 1);
    if (a.data)
        memcpy(a.data, bytes->data, bytes->len);
    g_free(type);
    g_free(low);
    g_array_append_val(w->attachments, a);
}

static void s_walk(GMimeObject *obj, s_walk_t *w, int depth)
{
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        /* Deeper parts (only a hostile message has them) stay in the raw message. */
        for (int i = 0; depth < S_DEPTH_MAX && i < g_mime_multipart_get_count(mp); i++)
            s_walk(g_mime_multipart_get_part(mp, i), w, depth + 1);
        return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) { /* an attached message: kept whole, not read as body */
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        GByteArray *bytes = g_byte_array_new();
        if (inner) {
            GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);
            g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
            g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, mem);
            g_object_unref(mem);
        }
        s_terminate(bytes);
        const char *name = g_mime_object_get_content_disposition_parameter(obj, "filename");
        s_attach(w, obj, name ? name : "message.eml", bytes);
        g_byte_array_unref(bytes);
        if (!w->original)
            w->original = obj;
        return;
    }
    if (!GMIME_IS_PART(obj))
        return;
    GMimePart *part = GMIME_PART(obj);
    const char *filename = g_mime_part_get_filename(part);
    const char *disp = g_mime_object_get_disposition(obj);
    bool attached = filename || (disp && g_ascii_strcasecmp(disp, "attachment") == 0);
    if (!attached && g_mime_content_type_is_type(ct, "text", "plain")) {
        s_join(w->plain, s_part_text(part, false));
        return;
    }
    if (!attached && g_mime_content_type_is_type(ct, "text", "html")) {
        s_join(w->html, s_part_text(part, true));
        return;
    }
    if (g_mime_content_type_is_type(ct, "message", "delivery-status") ||
        g_mime_content_type_is_type(ct, "message", "global-delivery-status"))
        w->dsn = obj;
    if (g_mime_content_type_is_type(ct, "text", "rfc822-headers") ||
        g_mime_content_type_is_type(ct, "message", "rfc822-headers"))
        w->original = obj;
    GByteArray *bytes = s_content(part);
    s_attach(w, obj, filename, bytes);
    g_byte_array_unref(bytes);
}

/* The value of field name (e.g. "Status") in header-shaped text, or NULL; g_free it. From the
 * first block that has it: a DSN's per-recipient fields follow its per-message ones. */
static char *s_field(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = text; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        if (g_ascii_strncasecmp(line, name, n) != 0 || line[n] != ':')
            continue;
        GString *value = g_string_new("");
        for (const char *v = line + n + 1;;) { /* with its folded continuation lines */
            size_t len = strcspn(v, "\n");
            g_string_append_len(value, v, (gssize)len);
            g_string_append_c(value, ' ');
            if (v[len] != '\n' || (v[len + 1] != ' ' && v[len + 1] != '\t'))
                break;
            v += len + 1;
        }
        return g_strstrip(g_string_free(value, FALSE));
    }
    return NULL;
}

/* A bounce's original Message-ID, failed recipient and status, from the parts s_walk found. */
static void s_bounce(s_walk_t *w, sd_mail_t *m)
{
    if (w->original && GMIME_IS_MESSAGE_PART(w->original)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(w->original));
        const char *id = inner ? g_mime_message_get_message_id(inner) : NULL;
        m->bounce_for = s_clean(id);
    } else if (w->original) {
        GByteArray *bytes = s_content(GMIME_PART(w->original));
        char *text = sd_mail_to_utf8((const char *)bytes->data, bytes->len, "UTF-8");
        char *id = text ? s_field(text, "Message-ID") : NULL;
        GMimeReferences *refs = id ? g_mime_references_parse(s_options(), id) : NULL;
        m->bounce_for = s_clean(refs && g_mime_references_length(refs)
                                    ? g_mime_references_get_message_id(refs, 0)
                                    : NULL);
        if (refs)
            g_mime_references_free(refs);
        g_free(id);
        free(text);
        g_byte_array_unref(bytes);
    }
    if (!w->dsn)
        return;
    GByteArray *bytes = s_content(GMIME_PART(w->dsn));
    char *text = sd_mail_to_utf8((const char *)bytes->data, bytes->len, "UTF-8");
    g_byte_array_unref(bytes);
    if (!text)
        return;
    char *rcpt = s_field(text, "Final-Recipient");
    if (!rcpt)
        rcpt = s_field(text, "Original-Recipient");
    const char *addr = rcpt ? strchr(rcpt, ';') : NULL; /* "rfc822; user@example.com" */
    addr = addr ? addr + 1 : rcpt;
    gchar *low = addr ? g_utf8_strdown(addr, -1) : NULL;
    free(m->bounce_recipient);
    m->bounce_recipient = s_clean(low ? g_strstrip(low) : NULL);
    char *status = s_field(text, "Status");
    free(m->bounce_status);
    m->bounce_status = s_clean(status);
    g_free(low);
    g_free(rcpt);
    g_free(status);
    free(text);
}

/* Auto-Submitted, Precedence, List-Id, the return path, a delivery-status report. */
static sd_mail_class_t s_class(GMimeObject *obj, GMimeObject *body, const char *sender, s_walk_t *w,
                               sd_mail_t *m)
{
    GMimeContentType *ct = body ? g_mime_object_get_content_type(body) : NULL;
    const char *report = ct ? g_mime_content_type_get_parameter(ct, "report-type") : NULL;
    bool dsn = ct && g_mime_content_type_is_type(ct, "multipart", "report") && report &&
               g_ascii_strcasecmp(report, "delivery-status") == 0;
    const char *rp = g_mime_object_get_header(obj, "Return-Path");
    bool null_sender = sender ? !*sender : rp && strspn(rp, " \t<>") == strlen(rp);
    if (dsn || w->dsn || (null_sender && w->original)) {
        s_bounce(w, m);
        if (m->bounce_for && *m->bounce_for)
            return SD_MAIL_BOUNCE;
        /* a report that names no message: nothing to attach it to; auto (never a ticket) */
        if (dsn || w->dsn)
            return SD_MAIL_AUTO;
    }
    char *auto_submitted = s_header_word(obj, "Auto-Submitted");
    char *precedence = s_header_word(obj, "Precedence");
    bool is_auto = (auto_submitted && strcmp(auto_submitted, "no") != 0) ||
                   (precedence && (!strcmp(precedence, "bulk") || !strcmp(precedence, "junk"))) ||
                   g_mime_object_get_header(obj, "X-Autoreply") ||
                   g_mime_object_get_header(obj, "X-Autorespond");
    bool is_list =
        (precedence && !strcmp(precedence, "list")) || g_mime_object_get_header(obj, "List-Id");
    g_free(auto_submitted);
    g_free(precedence);
    if (is_auto)
        return SD_MAIL_AUTO;
    if (is_list)
        return SD_MAIL_LIST;
    return null_sender ? SD_MAIL_AUTO : SD_MAIL_NORMAL;
}

/* "sundesk-<32 hex of SHA-256 of the bytes>@mailgate.invalid": the same bytes again (an MTA's
 * retry) get the same id. */
static char *s_made_id(const void *buf, size_t len)
{
    gchar *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, buf, len);
    char *id = g_strdup_printf("sundesk-%.32s@mailgate.invalid", sum);
    char *out = strdup(id);
    g_free(sum);
    g_free(id);
    return out;
}

/* Makes every string field non-NULL (""), as the header promises. */
static int s_fill(sd_mail_t *m)
{
    char **fields[] = {&m->message_id, &m->in_reply_to,      &m->references,
                       &m->from,       &m->from_name,        &m->to,
                       &m->cc,         &m->subject,          &m->text,
                       &m->bounce_for, &m->bounce_recipient, &m->bounce_status};
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
        if (!*fields[i] && !(*fields[i] = strdup("")))
            return -1;
    return 0;
}

int sd_mail_parse(const void *buf, size_t len, const char *sender, sd_mail_t *m, char *err,
                  size_t cap)
{
    memset(m, 0, sizeof *m);
    const char *bytes = buf;
    if (len >= 5 && memcmp(bytes, "From ", 5) == 0) { /* an mbox envelope line */
        const char *nl = memchr(bytes, '\n', len);
        size_t skip = nl ? (size_t)(nl - bytes) + 1 : len;
        bytes += skip;
        len -= skip;
    }
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(bytes, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, s_options());
    g_object_unref(parser);
    g_object_unref(stream);
    GMimeObject *obj = msg ? GMIME_OBJECT(msg) : NULL;
    if (!msg || g_mime_header_list_get_count(g_mime_object_get_header_list(obj)) == 0) {
        snprintf(err, cap, "not an e-mail message: no header found");
        if (msg)
            g_object_unref(msg);
        return -1;
    }
    const char *id = g_mime_message_get_message_id(msg);
    m->message_id = s_clean(id);
    if (m->message_id && (!*m->message_id || strlen(m->message_id) > S_MSGID_MAX ||
                          strpbrk(m->message_id, " <>\""))) {
        /* none (or only blanks): a hash of the bytes, the same on a retry; too long or too odd
         * to be a key (the node reads a key up to a blank or '>'): a hash of it */
        bool none = !*m->message_id;
        char *made = none ? s_made_id(bytes, len) : s_made_id(m->message_id, strlen(m->message_id));
        free(m->message_id);
        m->message_id = made;
        m->message_id_made = true;
    }
    s_thread_ids(obj, m);
    s_sender(obj, m);
    if ((!m->from || !*m->from) && sender && *sender) { /* no From: the envelope's sender */
        free(m->from);
        gchar *low = g_utf8_strdown(sender, -1);
        m->from = s_clean(low);
        g_free(low);
    }
    m->to = s_address_line(obj, "To");
    m->cc = s_address_line(obj, "Cc");
    m->subject = s_header_text(obj, "Subject");
    GDateTime *date = g_mime_message_get_date(msg);
    if (date && g_date_time_to_unix(date) > 0)
        m->date_ms = g_date_time_to_unix(date) * 1000;

    s_walk_t w = {g_string_new(""), g_string_new(""),
                  g_array_new(FALSE, TRUE, sizeof(sd_mail_attachment_t)), NULL, NULL};
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    if (body)
        s_walk(body, &w, 0);
    m->cls = s_class(obj, body, sender, &w, m);
    if (w.plain->len) {
        m->text = strdup(w.plain->str);
    } else {
        m->text = strdup(w.html->str);
        m->html_only = w.html->len > 0;
    }
    m->attachment_count = w.attachments->len;
    m->attachments = (sd_mail_attachment_t *)(void *)g_array_free(w.attachments, FALSE);
    g_string_free(w.plain, TRUE);
    g_string_free(w.html, TRUE);
    g_object_unref(msg);
    if (s_fill(m)) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    return 0;
}

void sd_mail_clear(sd_mail_t *m)
{
    if (!m)
        return;
    char *fields[] = {m->message_id, m->in_reply_to,      m->references,
                      m->from,       m->from_name,        m->to,
                      m->cc,         m->subject,          m->text,
                      m->bounce_for, m->bounce_recipient, m->bounce_status};
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
        free(fields[i]);
    for (size_t i = 0; i < m->attachment_count; i++) {
        free(m->attachments[i].name);
        free(m->attachments[i].type);
        free(m->attachments[i].data);
    }
    g_free(m->attachments);
    memset(m, 0, sizeof *m);
}
