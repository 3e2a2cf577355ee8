/* mail.h - one inbound e-mail parsed into the fields the desk keeps (GMime 3, only here).
 *
 * sundesk-mailgate reads one message from the MTA, parses it with sd_mail_parse and sends the
 * fields to the node (mail.ingest, proto/MAIL.md). Everything this module returns is valid
 * UTF-8 whatever the message's bytes were: charsets are mapped as mail in China needs them
 * (gb2312/gbk labels decoded as GB18030, ks_c_5601-1987/EUC-KR as CP949, Shift_JIS as CP932,
 * Big5 as Big5-HKSCS), raw 8-bit headers are tried as UTF-8 then GB18030, and a byte that is
 * still invalid becomes U+FFFD. No I/O: the caller reads the bytes and sends the result. */
#ifndef SD_MAIL_H
#define SD_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What kind of mail it is (REFERENCE.md "Loops"): only normal mail may open a ticket. */
typedef enum {
    SD_MAIL_NORMAL, /* a person wrote it */
    SD_MAIL_AUTO,   /* Auto-Submitted other than "no", Precedence bulk|junk, empty return path,
                       a delivery report that names no message */
    SD_MAIL_LIST,   /* List-Id, or Precedence: list */
    SD_MAIL_BOUNCE, /* a delivery-status report (or a null-sender report) naming the message
                       that failed (bounce_for) */
} sd_mail_class_t;

/* One attachment (any leaf part that is not the body text). */
typedef struct {
    char *name;          /* file name (UTF-8), or "" when the part has none */
    char *type;          /* "image/png", lower-case */
    unsigned char *data; /* the decoded bytes (transfer encoding removed) */
    size_t size;         /* bytes of data */
} sd_mail_attachment_t;

/* A parsed message. Every string is heap-allocated UTF-8 and never NULL ("" when absent); no
 * control character (one line: a tab or line break in a header is a blank) but in text (tab,
 * LF). */
typedef struct {
    char *message_id;       /* without the angle brackets; made from a hash of the bytes when the
                               message has none (message_id_made), so MTA retries match, or of
                               the id when it is longer than 255 bytes */
    bool message_id_made;   /* the message had no Message-ID */
    char *in_reply_to;      /* the first id of In-Reply-To, with its brackets: "<a@x>" */
    char *references;       /* References' ids with brackets, oldest first: "<a@x> <b@y>"; the
                               newest that fit in 4096 bytes */
    char *from;             /* the sender's address, lower-case (From, else Sender, else the
                               envelope sender) */
    char *from_name;        /* the sender's display name */
    char *to;               /* To's addresses, lower-case, joined by ", " */
    char *cc;               /* Cc's addresses, likewise */
    char *subject;          /* unfolded, decoded, trimmed */
    long long date_ms;      /* the Date header as Unix ms, or 0 when absent or unreadable */
    char *text;             /* the body as text, LF line ends, quoted reply text kept */
    bool html_only;         /* text was made from text/html (no text/plain part) */
    sd_mail_class_t cls;    /* normal, auto, list, bounce */
    char *bounce_for;       /* a bounce: the Message-ID of the message that bounced (no brackets) */
    char *bounce_recipient; /* a bounce: the recipient that failed (Final-Recipient), lower-case */
    char *bounce_status;    /* a bounce: its Status ("5.1.1") */
    sd_mail_attachment_t *attachments; /* count entries */
    size_t attachment_count;           /* entries of attachments */
} sd_mail_t;

/* Parses len bytes of one RFC 5322 message (an mbox "From " first line is skipped) into *mail
 * (zeroed by the call). sender: the envelope sender the MTA gave (Postfix's $SENDER; "" for a
 * null return path), or NULL when unknown (then the Return-Path header decides). Returns 0, or
 * -1 with a one-line reason in err (cap bytes) when the bytes are no message (no header at all).
 * Free with sd_mail_clear, also after a failure. */
int sd_mail_parse(const void *buf, size_t len, const char *sender, sd_mail_t *mail, char *err,
                  size_t cap);

/* Frees what mail owns and zeroes it; NULL-safe. */
void sd_mail_clear(sd_mail_t *mail);

/* The wire name of a class: "normal", "auto", "list", "bounce". */
const char *sd_mail_class_name(sd_mail_class_t cls);

/* ---- mail_text.c: charsets and HTML ---------------------------------------------------- */

/* The iconv name to decode a message's charset label with ("gb2312" -> "GB18030"), or label
 * itself when it needs no mapping. Static storage or label. */
const char *sd_mail_charset(const char *label);

/* buf[0..len) in charset label (NULL or "": unknown) as UTF-8, heap-allocated, never NULL but
 * on memory exhaustion: decoded with sd_mail_charset(label); when that fails (unknown label,
 * invalid bytes) tried as UTF-8, then GB18030, then the label's decoding with U+FFFD for each
 * invalid byte. CRLF and lone CR become LF; other control characters but tab are dropped. */
char *sd_mail_to_utf8(const char *buf, size_t len, const char *label);

/* The text of an HTML document (UTF-8): tags removed, script/style/head dropped, block elements
 * (p, div, br, li, tr, h1-h6, blockquote, ...) as line breaks, entities decoded, runs of blanks
 * as one, at most one empty line in a row. Heap-allocated; NULL only when out of memory. */
char *sd_mail_html_text(const char *html);

/* Trims blanks at line ends and empty lines at both ends of text, and makes each run of empty
 * lines one, in place. */
void sd_mail_trim_text(char *text);

/* ---- mail_json.c ---------------------------------------------------------------------- */

/* Writes the fields of mail as one JSON object (sorted keys, 2-space indent; attachments as
 * {name, type, size, sha256}) to out, as `sundesk-mailgate --dry-run` prints them, with "id"
 * when id is not NULL. text_max: a longer text is cut at a character boundary at or below it
 * and "text_truncated": true is added (as mail.ingest sends it). Returns 0, or -1 on a write
 * error or out of memory. */
int sd_mail_json(const sd_mail_t *mail, size_t text_max, const char *id, FILE *out);

/* The largest prefix of text of at most max bytes that ends on a UTF-8 character boundary. */
size_t sd_mail_utf8_cut(const char *text, size_t max);

#endif
