/* mail_text.c - a message's bytes as UTF-8 text: charset labels as real mail uses them, HTML
 * bodies as plain text. */
#include "mail.h"

#include <glib.h>
#include <iconv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Labels whose strict decoding fails on what senders really put under them. */
static const struct {
    const char *label; /* as in the message, compared without case */
    const char *iconv; /* what to decode with */
} s_charsets[] = {
    {"gb2312", "GB18030"},
    {"gbk", "GB18030"},
    {"x-gbk", "GB18030"},
    {"cp936", "GB18030"},
    {"gb_2312-80", "GB18030"},
    {"euc-cn", "GB18030"},
    {"csgb2312", "GB18030"},
    {"big5", "BIG5-HKSCS"},
    {"x-big5", "BIG5-HKSCS"},
    {"shift_jis", "CP932"},
    {"shift-jis", "CP932"},
    {"sjis", "CP932"},
    {"x-sjis", "CP932"},
    {"iso-2022-jp", "ISO-2022-JP-2"},
    {"ks_c_5601-1987", "CP949"},
    {"ks_c_5601", "CP949"},
    {"euc-kr", "CP949"},
    {"x-windows-949", "CP949"},
    {"unicode-1-1-utf-7", "UTF-7"},
};

const char *sd_mail_charset(const char *label)
{
    for (size_t i = 0; i < sizeof s_charsets / sizeof s_charsets[0]; i++)
        if (strcasecmp(label, s_charsets[i].label) == 0)
            return s_charsets[i].iconv;
    return label;
}

/* Growing output buffer; on memory exhaustion it keeps failing and s_buf_take returns NULL. */
typedef struct {
    char *data;  /* NUL-terminated when not NULL */
    size_t len;  /* bytes used */
    size_t cap;  /* bytes allocated */
    bool failed; /* an allocation failed */
} s_buf_t;

static void s_put(s_buf_t *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static char *s_buf_take(s_buf_t *b)
{
    if (b->failed) {
        free(b->data);
        return NULL;
    }
    if (!b->data)
        return strdup("");
    return b->data;
}

/* Converts with iconv; strict: NULL on any invalid byte. Lenient: U+FFFD per invalid byte.
 * NULL also when iconv does not know the charset. */
static char *s_iconv(const char *buf, size_t len, const char *charset, bool lenient,
                     size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return NULL;
    s_buf_t out = {0};
    char chunk[4096];
    char *in = (char *)buf;
    size_t left = len;
    bool bad = false;
    while (left > 0 && !bad) {
        char *o = chunk;
        size_t room = sizeof chunk;
        size_t r = iconv(cd, &in, &left, &o, &room);
        s_put(&out, chunk, (size_t)(o - chunk));
        if (r != (size_t)-1 || errno == E2BIG)
            continue;
        if (!lenient) {
            bad = true;
            break;
        }
        s_put(&out, "\xEF\xBF\xBD", 3); /* EILSEQ, or EINVAL: a truncated sequence at the end */
        in++;
        left--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    if (!bad) { /* flush the shift state (ISO-2022-JP) */
        char *o = chunk;
        size_t room = sizeof chunk;
        iconv(cd, NULL, NULL, &o, &room);
        s_put(&out, chunk, (size_t)(o - chunk));
    }
    iconv_close(cd);
    if (bad) {
        free(out.data);
        return NULL;
    }
    *out_len = out.len;
    return s_buf_take(&out);
}

/* LF line ends; no NUL (iconv output may hold a decoded NUL) nor other control character but
 * tab and LF: the node refuses them in a text. */
static char *s_lines(char *s, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            continue;
        if (s[i] == '\r') {
            s[j++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
            continue;
        }
        s[j++] = s[i];
    }
    s[j] = '\0';
    return s;
}

char *sd_mail_to_utf8(const char *buf, size_t len, const char *label)
{
    const char *charset = label && *label ? sd_mail_charset(label) : "UTF-8";
    size_t n = 0;
    char *s = s_iconv(buf, len, charset, false, &n);
    if (!s && g_utf8_validate_len(buf, len, NULL)) {
        s = malloc(len + 1);
        if (s) {
            memcpy(s, buf, len);
            s[n = len] = '\0';
        }
    }
    if (!s)
        s = s_iconv(buf, len, "GB18030", false, &n);
    if (!s)
        s = s_iconv(buf, len, charset, true, &n);
    if (!s) { /* a label iconv does not know, and bytes neither UTF-8 nor GB18030 */
        gchar *v = g_utf8_make_valid(buf, (gssize)len);
        s = v ? strdup(v) : NULL;
        n = s ? strlen(s) : 0;
        g_free(v);
    }
    if (s && !g_utf8_validate_len(s, n, NULL)) {
        /* iconv's UTF-8 takes 5-byte forms and a NUL here and there: the last word is GLib's,
         * NULs dropped first */
        size_t j = 0;
        for (size_t i = 0; i < n; i++)
            if (s[i])
                s[j++] = s[i];
        gchar *v = g_utf8_make_valid(s, (gssize)j);
        free(s);
        s = v ? strdup(v) : NULL;
        n = s ? strlen(s) : 0;
        g_free(v);
    }
    return s ? s_lines(s, n) : NULL;
}

/* ---- HTML ------------------------------------------------------------------------------ */

static const char *const s_blocks[] = {
    "p",      "div",        "br", "tr", "table", "ul",      "ol",      "h1",      "h2",
    "h3",     "h4",         "h5", "h6", "hr",    "pre",     "section", "article", "header",
    "footer", "blockquote", "dt", "dd", "dl",    "address", "center",  "form",    "title",
};

static const char *const s_hidden[] = {"script", "style", "head", "xml", "template"};

static const struct {
    const char *name; /* entity name without & and ; */
    uint32_t cp;      /* its code point */
} s_entities[] = {
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", ' '},     {"copy", 0xA9},     {"reg", 0xAE},     {"trade", 0x2122}, {"mdash", 0x2014},
    {"ndash", 0x2013}, {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"middot", 0xB7},   {"bull", 0x2022},  {"yen", 0xA5},     {"euro", 0x20AC},
    {"times", 0xD7},   {"deg", 0xB0},      {"laquo", 0xAB},   {"raquo", 0xBB},   {"ensp", ' '},
    {"emsp", ' '},     {"thinsp", ' '},    {"zwnj", 0x200C},  {"shy", 0xAD},
};

static bool s_in(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return true;
    return false;
}

static void s_put_cp(s_buf_t *b, uint32_t cp)
{
    char u[6];
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F)
        cp = ' '; /* &#22; and the like: no control character reaches the node */
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    s_put(b, u, (size_t)g_unichar_to_utf8(cp, u));
}

/* Decodes the entity at s (s[0] == '&') into b; returns the bytes it used (1 when it is no
 * entity: the '&' is text). */
static size_t s_entity(const char *s, s_buf_t *b)
{
    size_t n = 1;
    while (n < 40 && s[n] && s[n] != ';' && (g_ascii_isalnum(s[n]) || s[n] == '#'))
        n++;
    if (s[n] != ';' || n < 2) {
        s_put(b, "&", 1);
        return 1;
    }
    char name[48];
    memcpy(name, s + 1, n - 1);
    name[n - 1] = '\0';
    if (name[0] == '#') {
        bool hex = name[1] == 'x' || name[1] == 'X';
        char *end;
        unsigned long cp = strtoul(name + 1 + hex, &end, hex ? 16 : 10);
        if (*end || end == name + 1 + hex) {
            s_put(b, "&", 1);
            return 1;
        }
        s_put_cp(b, cp == 0xA0 ? ' ' : (uint32_t)(cp > 0x10FFFF ? 0xFFFD : cp));
        return n + 1;
    }
    for (size_t i = 0; i < sizeof s_entities / sizeof s_entities[0]; i++)
        if (strcmp(name, s_entities[i].name) == 0) {
            s_put_cp(b, s_entities[i].cp);
            return n + 1;
        }
    s_put(b, "&", 1);
    return 1;
}

/* Skips to just after the end of the element hidden at p (e.g. past "</style>"). */
static const char *s_skip_hidden(const char *p, const char *name)
{
    size_t n = strlen(name);
    for (const char *q = p; (q = strchr(q, '<')) != NULL; q++)
        if (q[1] == '/' && g_ascii_strncasecmp(q + 2, name, n) == 0 && !g_ascii_isalnum(q[2 + n])) {
            const char *gt = strchr(q, '>');
            return gt ? gt + 1 : q + strlen(q);
        }
    return p + strlen(p);
}

char *sd_mail_html_text(const char *html)
{
    s_buf_t b = {0};
    bool space = false; /* a blank is pending (collapsed) */
    const char *p = html;
    while (*p) {
        if (p[0] == '<' && p[1] == '!') { /* comment, doctype, <![if ...]> of Outlook */
            const char *end = strncmp(p, "<!--", 4) == 0 ? strstr(p + 4, "-->") : NULL;
            end = end ? end + 3 : strchr(p, '>');
            p = end ? (*end == '>' ? end + 1 : end) : p + strlen(p);
            continue;
        }
        if (p[0] == '<' && (g_ascii_isalpha(p[1]) || p[1] == '/' || p[1] == '?')) {
            const char *q = p + 1 + (p[1] == '/');
            char name[16];
            size_t n = 0;
            while (g_ascii_isalnum(*q) && n < sizeof name - 1)
                name[n++] = g_ascii_tolower(*q++);
            name[n] = '\0';
            const char *gt = strchr(p, '>');
            const char *next = gt ? gt + 1 : p + strlen(p);
            if (p[1] != '/' && s_in(name, s_hidden, G_N_ELEMENTS(s_hidden)))
                next = s_skip_hidden(next, name);
            bool at_line = !b.len || b.data[b.len - 1] == '\n';
            if (strcmp(name, "li") == 0 && p[1] != '/')
                s_put(&b, &"\n- "[at_line], 3 - at_line);
            else if (strcmp(name, "br") == 0)
                s_put(&b, "\n", 1); /* each <br> a line: <div><br></div> is an empty line */
            else if (s_in(name, s_blocks, G_N_ELEMENTS(s_blocks)) && !at_line)
                s_put(&b, "\n", 1); /* nested blocks end one line, not several */
            else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
                space = true;
            if (b.len && b.data[b.len - 1] == '\n')
                space = false;
            p = next;
            continue;
        }
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
            space = b.len && b.data[b.len - 1] != '\n';
            p++;
            continue;
        }
        if (space) {
            s_put(&b, " ", 1);
            space = false;
        }
        if (*p == '&')
            p += s_entity(p, &b);
        else
            s_put(&b, p++, 1);
    }
    char *s = s_buf_take(&b);
    if (s)
        sd_mail_trim_text(s);
    return s;
}

void sd_mail_trim_text(char *text)
{
    size_t j = 0, blank_lines = 0;
    const char *line = text;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        size_t m = n;
        while (m && (line[m - 1] == ' ' || line[m - 1] == '\t'))
            m--;
        if (m == 0) {
            blank_lines++;
        } else {
            if (j) /* at most one empty line between two of text; none at the start */
                for (size_t k = 0; k < (blank_lines ? 2 : 1); k++)
                    text[j++] = '\n';
            memmove(text + j, line, m);
            j += m;
            blank_lines = 0;
        }
        line += n + (nl != NULL);
    }
    text[j] = '\0';
}

size_t sd_mail_utf8_cut(const char *text, size_t max)
{
    size_t len = strlen(text);
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    return n;
}
