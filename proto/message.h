/* message.h - the message record kind: one inbound message of any channel (e-mail, chat).
 *
 * A message's id is not from a counter: it is made from what the message is, so the same mail
 * delivered twice, or at two sites, is one record (merged by the fold):
 *     "M-" + the first 30 lowercase hex digits of BLAKE2b-128 over "CHANNEL\n" + key
 * where key is, for e-mail, the Message-ID without its angle brackets and, for chat, source +
 * "\n" + conversation + "\n" + message_id (sd_message_id_for). The id has 32 bytes, the most a
 * record id may have (SD_ID_MAX).
 *
 * Registers: what arrived (written once, by the intake: channel, addresses, subject, text,
 * blobs, class, bounce fields, chat source and conversation, site, created_at) and the route
 * (state, ticket, thread_by, customer: set by the intake and by message.release /
 * message.discard). Attachments are one string, a line per attachment:
 *     BLOB \t SIZE \t TYPE \t NAME \n
 * (sd_message_attachment_each reads it). Indexes: "ticket" (ticket, received_at, id: the
 * messages of a ticket), "msgid" (Message-ID without brackets, id), "from" (address,
 * received_at, id), "held" (received_at, id: messages waiting for release), "bounced"
 * (bounce_recipient, received_at, id), "blob" (blob id, id: which message holds a blob), "chat"
 * (source NUL conversation, received_at, id), "comment" (the comment event's "ORIGIN:SEQ", id:
 * which ticket comments are inbound messages, not the desk's replies). See proto/MAIL.md. */
#ifndef SD_MESSAGE_H
#define SD_MESSAGE_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_MESSAGE_ID_HEX     30    /* hex digits after "M-" */
#define SD_MSGID_MAX          255   /* a Message-ID without brackets (mailid.h) */
#define SD_MESSAGE_REFS_MAX   4096  /* References / In-Reply-To header text */
#define SD_MESSAGE_ADDRS_MAX  2048  /* to, cc: comma-separated addresses */
#define SD_MESSAGE_SUBJ_MAX   998   /* subject, one line */
#define SD_MESSAGE_TEXT_MAX   32768 /* text kept in the record (the rest: text_blob) */
#define SD_MESSAGE_ATT_MAX    4096  /* the attachments string */
#define SD_MESSAGE_ATTS_MAX   16    /* attachments of one message */
#define SD_MESSAGE_STATUS_MAX 64    /* bounce_status ("5.1.1 ...") */
#define SD_BLOB_ID_LEN        67    /* "b2-" + 64 hex digits */
#define SD_BLOB_ID_MAX        SD_BLOB_ID_LEN
#define SD_BLOB_PART_MAX      49152 /* bytes of one blob.put / blob.get */
#define SD_BLOB_TYPE_MAX      128   /* a MIME type */

#define SD_MESSAGE_INDEX_TICKET  "ticket"
#define SD_MESSAGE_INDEX_MSGID   "msgid"
#define SD_MESSAGE_INDEX_FROM    "from"
#define SD_MESSAGE_INDEX_HELD    "held"
#define SD_MESSAGE_INDEX_BOUNCED "bounced"
#define SD_MESSAGE_INDEX_BLOB    "blob"
#define SD_MESSAGE_INDEX_CHAT    "chat"
#define SD_MESSAGE_INDEX_COMMENT "comment"

typedef enum { SD_MSGOP_CREATE, SD_MSGOP_ROUTE, SD_MSGOP_COUNT_ } sd_message_op_t;

typedef enum {
    SD_MSGREG_CREATED, /* everything that arrived */
    SD_MSGREG_ROUTE,   /* state, ticket, thread_by, customer */
    /* New registers go last. */
    SD_MSGREG_COUNT_
} sd_message_register_t;

typedef enum { SD_MCHAN_EMAIL, SD_MCHAN_CHAT, SD_MCHAN_COUNT_ } sd_message_channel_t;
typedef enum {
    SD_MCLASS_NORMAL,
    SD_MCLASS_AUTO,
    SD_MCLASS_LIST,
    SD_MCLASS_BOUNCE,
    SD_MCLASS_COUNT_
} sd_message_class_t;
typedef enum {
    SD_MSTATE_TICKET,    /* on a ticket (opened it or added to it) */
    SD_MSTATE_HELD,      /* an unknown sender's, waiting for message.release / discard */
    SD_MSTATE_IGNORED,   /* auto-generated or list mail: kept, no ticket */
    SD_MSTATE_BOUNCE,    /* a delivery failure report: a note on the ticket it is about */
    SD_MSTATE_DISCARDED, /* dropped by message.discard */
    SD_MSTATE_COUNT_
} sd_message_state_t;
typedef enum {
    SD_THREAD_NONE, /* no ticket (ignored, held, discarded, a bounce about nothing known) */
    SD_THREAD_IN_REPLY_TO,
    SD_THREAD_REFERENCES,
    SD_THREAD_SUBJECT,
    SD_THREAD_CONVERSATION,
    SD_THREAD_NEW,
    SD_THREAD_COUNT_
} sd_message_thread_t;

extern const char *const sd_message_channel_names[]; /* SD_MCHAN_COUNT_ */
extern const char *const sd_message_class_names[];   /* SD_MCLASS_COUNT_ */
extern const char *const sd_message_state_names[];   /* SD_MSTATE_COUNT_ */
extern const char *const sd_message_thread_names[];  /* SD_THREAD_COUNT_ */

typedef struct {
    char id[SD_ID_MAX + 1]; /* M-<30 hex> */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    /* SD_MSGREG_CREATED */
    uint64_t created_at;    /* when the node took it (Unix ms) */
    char *site;             /* the site whose node took it (and holds its blobs) */
    int channel;            /* sd_message_channel_t */
    char *message_id;       /* e-mail: Message-ID without brackets; chat: the source's id */
    char *in_reply_to;      /* e-mail: In-Reply-To header text */
    char *references;       /* e-mail: References header text */
    char *from;             /* sender's address (lower-case) or chat user id */
    char *from_name;        /* sender's display name */
    char *to;               /* To addresses, comma-separated */
    char *cc;               /* Cc addresses, comma-separated */
    char *subject;          /* one line */
    char *text;             /* body text (at most SD_MESSAGE_TEXT_MAX bytes) */
    bool text_truncated;    /* text is the start: the whole text is blob text_blob */
    char *text_blob;        /* the whole text, when truncated */
    bool html_only;         /* the text was made from HTML */
    uint64_t received_at;   /* when the message was sent/received (Unix ms) */
    char *raw;              /* blob id of the raw message */
    char *attachments;      /* BLOB\tSIZE\tTYPE\tNAME lines */
    int msg_class;          /* sd_message_class_t (wire "class") */
    char *bounce_for;       /* bounce: the Message-ID of the mail that failed */
    char *bounce_recipient; /* bounce: the address that failed (lower-case) */
    char *bounce_status;    /* bounce: the DSN status */
    char *queue;            /* the mailgate's queue name */
    char *source;           /* chat: the source (robot, platform) */
    char *conversation;     /* chat: the conversation id */
    /* SD_MSGREG_ROUTE */
    int state;      /* sd_message_state_t */
    char *ticket;   /* the ticket it is on */
    int thread_by;  /* sd_message_thread_t */
    char *customer; /* the customer its sender is */
    char *comment;  /* "ORIGIN:SEQ": the ticket's comment event the intake made of it */
    sd_stamp_t stamps[SD_MSGREG_COUNT_];
} sd_message_t;

extern const sd_kind_t sd_kind_message;

/* The message an event carries (ev->kind must be the message kind). */
static inline sd_message_t *sd_event_message(const sd_event_t *ev)
{
    return (sd_message_t *)ev->fields;
}

/* The id of the message of channel ("email", "chat") with key (see above) into id. Returns 0,
 * SD_EINVAL (an unknown channel, an empty key). */
int sd_message_id_for(const char *channel, const char *key, char id[SD_ID_MAX + 1]);

/* True when id has the shape of a message id (M- and 30 lowercase hex digits). */
bool sd_message_id_valid(const char *id);

/* True when id has the shape of a blob id (b2- and 64 lowercase hex digits). */
bool sd_blob_id_valid(const char *id);

/* One attachment of a message. Strings borrowed from the call's buffer. */
typedef struct {
    const char *blob; /* blob id */
    uint64_t size;    /* bytes */
    const char *type; /* MIME type */
    const char *name; /* file name */
} sd_message_att_t;

/* Calls fn with each attachment of the attachments string; non-zero from fn stops and is
 * returned. A malformed line is SD_ECORRUPT. */
int sd_message_attachment_each(const char *list, int (*fn)(const sd_message_att_t *a, void *arg),
                               void *arg);

/* Lower-cases an address in place (ASCII). */
void sd_message_lower(char *s);

#endif
