/* message_args.c - the message group's field table. */
#include "args_table.h"
#include "message.h"
#include "message_args.h"
#include "sizes.h"

#define T sd_message_args_t
const sd_field_t sd_message_args_fields[SD_ARG_MESSAGE_COUNT_] = {
    [SD_ARG_MESSAGE_ID] = STR(T, id, SD_ID_MAX, LINE1),
    [SD_ARG_MESSAGE_MESSAGE_ID] = STR(T, message_id, SD_MSGID_MAX, LINE1),
    [SD_ARG_MESSAGE_IN_REPLY_TO] = STR(T, in_reply_to, SD_MESSAGE_REFS_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_REFERENCES] = STR(T, references, SD_MESSAGE_REFS_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_FROM] = STR(T, from, SD_NAME_MAX, LINE1),
    [SD_ARG_MESSAGE_FROM_NAME] = STR(T, from_name, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_TO] = STR(T, to, SD_MESSAGE_ADDRS_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_CC] = STR(T, cc, SD_MESSAGE_ADDRS_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_SUBJECT] = STR(T, subject, SD_MESSAGE_SUBJ_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_TEXT] = STR(T, text, SD_MESSAGE_TEXT_MAX, 0),
    [SD_ARG_MESSAGE_TEXT_TRUNCATED] = SCALAR(T, "text_truncated", SD_F_BOOL, text_truncated),
    [SD_ARG_MESSAGE_TEXT_BLOB] = STR(T, text_blob, SD_BLOB_ID_MAX, LINE1),
    [SD_ARG_MESSAGE_HTML_ONLY] = SCALAR(T, "html_only", SD_F_BOOL, html_only),
    [SD_ARG_MESSAGE_RECEIVED_AT] = SCALAR(T, "received_at", SD_F_U64, received_at),
    [SD_ARG_MESSAGE_RAW] = STR(T, raw, SD_BLOB_ID_MAX, LINE1),
    [SD_ARG_MESSAGE_ATTACHMENTS] = STR(T, attachments, SD_MESSAGE_ATT_MAX, 0),
    [SD_ARG_MESSAGE_CLASS] = {"class", SD_F_ENUM, 0, 0, offsetof(T, msg_class), 0, SD_MCLASS_COUNT_,
                              sd_message_class_names},
    [SD_ARG_MESSAGE_BOUNCE_FOR] = STR(T, bounce_for, SD_MSGID_MAX, LINE1),
    [SD_ARG_MESSAGE_BOUNCE_RECIPIENT] = STR(T, bounce_recipient, SD_NAME_MAX, LINE1),
    [SD_ARG_MESSAGE_BOUNCE_STATUS] = STR(T, bounce_status, SD_MESSAGE_STATUS_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_QUEUE] = STR(T, queue, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_SOURCE] = STR(T, source, SD_CATEGORY_MAX, LINE1),
    [SD_ARG_MESSAGE_CONVERSATION] = STR(T, conversation, SD_NAME_MAX, LINE1),
    [SD_ARG_MESSAGE_SENDER] = STR(T, sender, SD_NAME_MAX, LINE1),
    [SD_ARG_MESSAGE_SENDER_NAME] = STR(T, sender_name, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_TICKET] = STR(T, ticket, SD_ID_MAX, LINE1),
    [SD_ARG_MESSAGE_STATE] = ENUM(T, state, sd_message_state_names, SD_MSTATE_COUNT_),
    [SD_ARG_MESSAGE_CHANNEL] = ENUM(T, channel, sd_message_channel_names, SD_MCHAN_COUNT_),
    [SD_ARG_MESSAGE_LIMIT] = INT(T, limit, 1, SD_BLOB_PART_MAX),
    [SD_ARG_MESSAGE_AFTER] = STR(T, after, SD_ID_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_DATA] = {"data", SD_F_BIN, 0, 0, offsetof(T, data), 0, SD_BLOB_PART_MAX, NULL},
    [SD_ARG_MESSAGE_PARTS] = STR(T, parts, SD_BLOB_PARTS_MAX, LINE1),
    [SD_ARG_MESSAGE_TYPE] = STR(T, type, SD_BLOB_TYPE_MAX, SD_F_LINE),
    [SD_ARG_MESSAGE_BLOB] = STR(T, blob, SD_BLOB_ID_MAX, LINE1),
    [SD_ARG_MESSAGE_OFFSET] = SCALAR(T, "offset", SD_F_U64, offset),
};
#undef T
