/* message_args.h - the argument group of the message, mail, chat and blob ops (message.*,
 * mail.ingest, chat.ingest, blob.*). See args.h and proto/MAIL.md. */
#ifndef SD_MESSAGE_ARGS_H
#define SD_MESSAGE_ARGS_H

#include "mp.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SD_ARG_MESSAGE_ID,
    SD_ARG_MESSAGE_MESSAGE_ID,
    SD_ARG_MESSAGE_IN_REPLY_TO,
    SD_ARG_MESSAGE_REFERENCES,
    SD_ARG_MESSAGE_FROM,
    SD_ARG_MESSAGE_FROM_NAME,
    SD_ARG_MESSAGE_TO,
    SD_ARG_MESSAGE_CC,
    SD_ARG_MESSAGE_SUBJECT,
    SD_ARG_MESSAGE_TEXT,
    SD_ARG_MESSAGE_TEXT_TRUNCATED,
    SD_ARG_MESSAGE_TEXT_BLOB,
    SD_ARG_MESSAGE_HTML_ONLY,
    SD_ARG_MESSAGE_RECEIVED_AT,
    SD_ARG_MESSAGE_RAW,
    SD_ARG_MESSAGE_ATTACHMENTS,
    SD_ARG_MESSAGE_CLASS,
    SD_ARG_MESSAGE_BOUNCE_FOR,
    SD_ARG_MESSAGE_BOUNCE_RECIPIENT,
    SD_ARG_MESSAGE_BOUNCE_STATUS,
    SD_ARG_MESSAGE_QUEUE,
    SD_ARG_MESSAGE_SOURCE,
    SD_ARG_MESSAGE_CONVERSATION,
    SD_ARG_MESSAGE_SENDER,
    SD_ARG_MESSAGE_SENDER_NAME,
    SD_ARG_MESSAGE_TICKET,
    SD_ARG_MESSAGE_STATE,
    SD_ARG_MESSAGE_CHANNEL,
    SD_ARG_MESSAGE_LIMIT,
    SD_ARG_MESSAGE_AFTER,
    SD_ARG_MESSAGE_DATA,
    SD_ARG_MESSAGE_PARTS,
    SD_ARG_MESSAGE_TYPE,
    SD_ARG_MESSAGE_BLOB,
    SD_ARG_MESSAGE_OFFSET,
    SD_ARG_MESSAGE_COUNT_
} sd_message_arg_t;

#define SD_BLOB_PARTS_MAX 16384 /* blob.join parts: comma-separated ids (240 parts, 11 MiB) */

/* Arguments of the message ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;               /* M-<30 hex>: the message (mail.ingest: sd_message_id_for) */
    char *message_id;       /* mail: Message-ID without brackets; chat: the source's id */
    char *in_reply_to;      /* mail: In-Reply-To header */
    char *references;       /* mail: References header */
    char *from;             /* mail: sender's address */
    char *from_name;        /* mail: sender's display name */
    char *to;               /* mail: To, comma-separated */
    char *cc;               /* mail: Cc, comma-separated */
    char *subject;          /* mail: subject */
    char *text;             /* mail, chat: body text */
    bool text_truncated;    /* mail: text is the start; text_blob the whole */
    char *text_blob;        /* mail: blob of the whole text */
    bool html_only;         /* mail: the text was made from HTML */
    uint64_t received_at;   /* mail: Date (Unix ms; default: now) */
    char *raw;              /* mail: blob of the raw message */
    char *attachments;      /* mail: BLOB\tSIZE\tTYPE\tNAME lines */
    int msg_class;          /* mail: sd_message_class_t ("class") */
    char *bounce_for;       /* mail bounce: Message-ID of the failed mail */
    char *bounce_recipient; /* mail bounce: the failed address */
    char *bounce_status;    /* mail bounce: DSN status */
    char *queue;            /* mail: the mailgate's queue */
    char *source;           /* chat: the source */
    char *conversation;     /* chat: conversation id */
    char *sender;           /* chat: sender's id on the source */
    char *sender_name;      /* chat: sender's name */
    char *ticket;           /* message.list filter */
    int state;              /* message.list filter: sd_message_state_t */
    int channel;            /* message.list filter: sd_message_channel_t */
    int limit;              /* message.list: most messages; blob.get: most bytes */
    char *after;            /* message.list: resume after this id */
    sd_bin_t data;          /* blob.put: the bytes */
    char *parts;            /* blob.join: blob ids, comma-separated, in order */
    char *type;             /* blob.join: MIME type */
    char *blob;             /* blob.get: the blob id */
    uint64_t offset;        /* blob.get: first byte */
} sd_message_args_t;

extern const sd_field_t sd_message_args_fields[SD_ARG_MESSAGE_COUNT_];

#endif
