/* notice.h - what the desk tells people, and how it is written: the rules that turn a committed
 * event into notices (notice.c), the templates and the MIME form of a mail (mailtext.c), and the
 * hand-off to the MTA (deliver.c). Used by the channels thread (channels.h); no thread of its own.
 *
 * The rules (proto/NOTIFY.md says them for users):
 * - Only events newer than SD_NOTICE_MAX_AGE_MS (a new or restored node never replays history
 *   into mail), and for a ticket only at the site that owned it when the event was made (its
 *   timeline's owner register as of the event's clock: a ticket handed over is told about by one
 *   site; a handover: the site that made it; a bulletin: its origin site).
 * - Mail: a new ticket with an address (the requester's, when it is one, else its customer's
 *   first) gets the acknowledgement with the promised reply time (response_due in the customer's
 *   time zone, else the ticket's origin site's); a public comment not written by the intake
 *   (sd_message_of_comment: the customer's own mail or chat) goes to that address
 *   In-Reply-To the newest inbound message; a resolve sends the resolution with the console link
 *   to confirm or reopen; declaring a major incident mails the addresses of major_notify; a new
 *   bulletin mails mail/bulletin_to. Never to an address the intake marked bounced.
 * - Chat (delivered by the robots of the chat section): new_p1, new_p2, breach, handover, major,
 *   bulletin, page.
 * - A notice's Message-ID is sd_mailid_make(ticket, hex of BLAKE2b over "origin:seq:what",
 *   domain): the same event makes the same id after a crash. */
#ifndef SD_NOTICE_H
#define SD_NOTICE_H

#include "config.h"
#include "event.h"
#include "sendq.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_NOTICE_MAX_AGE_MS (24ull * 3600 * 1000) /* older events make no notice */
#define SD_NOTICE_PER_EVENT  4                     /* most notices one event makes */

/* What the rules need besides the event. */
typedef struct {
    const sd_config_t *cfg;  /* site, mail, chat */
    const char *console_url; /* base of links ("" none) */
    uint64_t now_ms;         /* the node's clock */
    bool chat;               /* robots are configured: make chat notices */
} sd_notice_ctx_t;

/* The notices ev (decoded) makes, read against txn (the records as they are now), into
 * out[0..SD_NOTICE_PER_EVENT) (zeroed by the caller; the bodies are yours). Returns how many
 * (0: none), or SD_ENOMEM / a store error. */
int sd_notice_make(const sd_notice_ctx_t *ctx, sd_store_txn_t *txn, const sd_event_t *ev,
                   sd_sendq_entry_t out[SD_NOTICE_PER_EVENT]);

/* ---- mailtext.c ------------------------------------------------------------------------------ */

/* The values a template's {placeholders} take; NULL: "". */
typedef struct {
    const char *ticket, *title, *reply_due, *url, *text, *site, *priority, *requester;
} sd_notice_vars_t;

/* Renders template what ("ack", "reply", "resolved", "major", "bulletin", or a chat event) in
 * language lang (zh-CN or en; another falls back to zh-CN when it starts with "zh", else en):
 * the file DIR/LANG/WHAT.txt of mail/templates when it exists ("Subject: ..." line, a blank
 * line, the body), else the built-in one. *subject and *body are malloc'd. Returns 0,
 * SD_ENOTFOUND (no such template), SD_ENOMEM, SD_EIO (a template file that cannot be read). */
int sd_notice_render(const char *dir, const char *lang, const char *what, const sd_notice_vars_t *v,
                     char **subject, char **body);

/* The header fields of a mail besides its text. */
typedef struct {
    const char *from;        /* the desk's address */
    const char *to;          /* comma-separated addresses */
    const char *subject;     /* UTF-8 */
    const char *message_id;  /* with brackets */
    const char *in_reply_to; /* with brackets, or NULL */
    const char *references;  /* or NULL */
    const char *ticket;      /* X-Sundesk-Ticket, or NULL */
    bool auto_replied;       /* Auto-Submitted: auto-replied (the acknowledgement) */
    uint64_t date_ms;        /* Date */
} sd_mail_head_t;

/* The whole RFC 5322 message (LF line ends): the headers, MIME 1.0, text/plain UTF-8 in base64,
 * the subject RFC 2047-encoded when not ASCII. Returns a malloc'd string, or NULL (no memory). */
char *sd_mail_format(const sd_mail_head_t *h, const char *text);

/* The subject as an RFC 2047 header value (encoded words of at most 75 bytes, folded), into a
 * malloc'd string; ASCII text is returned as it is. NULL: no memory. */
char *sd_mail_subject(const char *subject);

/* Local time t (Unix ms) in IANA zone ("" or unknown: UTC) as "2026-11-29 18:30 (Asia/Shanghai,
 * UTC+08:00)" into out. */
void sd_notice_time(uint64_t t, const char *zone, char *out, size_t cap);

/* ---- deliver.c ------------------------------------------------------------------------------- */

#define SD_DELIVER_TIMEOUT_MS 60000 /* most a hand-off may take */

/* Hands the mail text (LF line ends) to the MTA by the mail section's transport: `sendmail -t
 * -i` (its stdin, waiting at most timeout_ms for its exit, killed after), or SMTP by libcurl to
 * smtp_url (envelope from the desk's address, to each of rcpt, comma-separated). Returns 0
 * (taken), SD_EBUSY (a temporary failure: try later), SD_EIO (refused; err says why). */
int sd_deliver_mail(const sd_mail_config_t *m, const char *rcpt, const char *text, int timeout_ms,
                    char *err, size_t cap);

#endif
