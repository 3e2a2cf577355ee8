/* message.c - the message kind: field table, ids, indexes (message.h). */
#include "message.h"

#include "digest.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sd_message_channel_names[] = {"email", "chat"};
const char *const sd_message_class_names[] = {"normal", "auto", "list", "bounce"};
const char *const sd_message_state_names[] = {"ticket", "held", "ignored", "bounce", "discarded"};
const char *const sd_message_thread_names[] = {"none",    "in_reply_to",  "references",
                                               "subject", "conversation", "new"};

#define OFF(m) offsetof(sd_message_t, m)
#define STR(wire, m, reg, max, fl)                                                                 \
    {                                                                                              \
        wire, SD_F_STR, fl, reg, OFF(m), 0, max, NULL                                              \
    }
#define SCALAR(wire, kind, m, reg)                                                                 \
    {                                                                                              \
        wire, kind, 0, reg, OFF(m), 0, 0, NULL                                                     \
    }
#define ENUMF(wire, m, reg, count, names)                                                          \
    {                                                                                              \
        wire, SD_F_ENUM, 0, reg, OFF(m), 0, count, names                                           \
    }
#define C SD_MSGREG_CREATED
#define R SD_MSGREG_ROUTE

static const sd_field_t s_fields[] = {
    SCALAR("created_at", SD_F_U64, created_at, C),
    STR("site", site, C, SD_SITE_MAX, SD_F_LINE),
    ENUMF("channel", channel, C, SD_MCHAN_COUNT_, sd_message_channel_names),
    STR("message_id", message_id, C, SD_MSGID_MAX, SD_F_LINE),
    STR("in_reply_to", in_reply_to, C, SD_MESSAGE_REFS_MAX, SD_F_LINE),
    STR("references", references, C, SD_MESSAGE_REFS_MAX, SD_F_LINE),
    STR("from", from, C, SD_NAME_MAX, SD_F_LINE),
    STR("from_name", from_name, C, SD_NAME_MAX, SD_F_LINE),
    STR("to", to, C, SD_MESSAGE_ADDRS_MAX, SD_F_LINE),
    STR("cc", cc, C, SD_MESSAGE_ADDRS_MAX, SD_F_LINE),
    STR("subject", subject, C, SD_MESSAGE_SUBJ_MAX, SD_F_LINE),
    STR("text", text, C, SD_MESSAGE_TEXT_MAX, 0),
    SCALAR("text_truncated", SD_F_BOOL, text_truncated, C),
    STR("text_blob", text_blob, C, SD_BLOB_ID_MAX, SD_F_LINE),
    SCALAR("html_only", SD_F_BOOL, html_only, C),
    SCALAR("received_at", SD_F_U64, received_at, C),
    STR("raw", raw, C, SD_BLOB_ID_MAX, SD_F_LINE),
    STR("attachments", attachments, C, SD_MESSAGE_ATT_MAX, 0),
    ENUMF("class", msg_class, C, SD_MCLASS_COUNT_, sd_message_class_names),
    STR("bounce_for", bounce_for, C, SD_MSGID_MAX, SD_F_LINE),
    STR("bounce_recipient", bounce_recipient, C, SD_NAME_MAX, SD_F_LINE),
    STR("bounce_status", bounce_status, C, SD_MESSAGE_STATUS_MAX, SD_F_LINE),
    STR("queue", queue, C, SD_NAME_MAX, SD_F_LINE),
    STR("source", source, C, SD_CATEGORY_MAX, SD_F_LINE),
    STR("conversation", conversation, C, SD_NAME_MAX, SD_F_LINE),
    ENUMF("state", state, R, SD_MSTATE_COUNT_, sd_message_state_names),
    STR("ticket", ticket, R, SD_ID_MAX, SD_F_LINE),
    ENUMF("thread_by", thread_by, R, SD_THREAD_COUNT_, sd_message_thread_names),
    STR("customer", customer, R, SD_ID_MAX, SD_F_LINE),
    STR("comment", comment, R, SD_SITE_MAX + 21, SD_F_LINE),
};
#define NFIELDS (sizeof s_fields / sizeof s_fields[0])
_Static_assert(NFIELDS <= SD_KIND_FIELDS_MAX, "a message has at most 64 register fields");
_Static_assert(SD_MSGREG_COUNT_ <= SD_KIND_REGISTERS_MAX, "too many message registers");
_Static_assert(2 + SD_MESSAGE_ID_HEX == SD_ID_MAX, "a message id fills SD_ID_MAX");

int sd_message_id_for(const char *channel, const char *key, char id[SD_ID_MAX + 1])
{
    if (!channel || !key || !*key ||
        (strcmp(channel, "email") != 0 && strcmp(channel, "chat") != 0))
        return SD_EINVAL;
    char hex[2 * 16 + 1]; /* BLAKE2b-128 */
    if (sd_hash_pair_hex(channel, key, 16, hex) != 0)
        return SD_ENOMEM; /* libsodium cannot start */
    snprintf(id, SD_ID_MAX + 1, "M-%.*s", SD_MESSAGE_ID_HEX, hex);
    return 0;
}

static bool s_hex_tail(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[n] == 0;
}

bool sd_message_id_valid(const char *id)
{
    return id && strncmp(id, "M-", 2) == 0 && strlen(id) == 2 + SD_MESSAGE_ID_HEX &&
           s_hex_tail(id + 2, SD_MESSAGE_ID_HEX);
}

bool sd_blob_id_valid(const char *id)
{
    return id && strncmp(id, "b2-", 3) == 0 && strlen(id) == SD_BLOB_ID_LEN &&
           s_hex_tail(id + 3, 64);
}

void sd_message_lower(char *s)
{
    for (; s && *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

int sd_message_attachment_each(const char *list, int (*fn)(const sd_message_att_t *a, void *arg),
                               void *arg)
{
    char line[SD_MESSAGE_ATT_MAX + 1];
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, "\n");
        if (len >= sizeof line)
            return SD_ECORRUPT;
        memcpy(line, p, len);
        line[len] = 0;
        p += len + (p[len] == '\n');
        if (!len)
            continue;
        char *f[4] = {line, NULL, NULL, NULL};
        for (int i = 1; i < 4; i++) {
            char *tab = strchr(f[i - 1], '\t');
            if (!tab)
                return SD_ECORRUPT;
            *tab = 0;
            f[i] = tab + 1;
        }
        char *end;
        sd_message_att_t a = {f[0], strtoull(f[1], &end, 10), f[2], f[3]};
        if (*end || !sd_blob_id_valid(a.blob))
            return SD_ECORRUPT;
        int rc = fn(&a, arg);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- the kind -------------------------------------------------------------------------- */

static const char *const s_op_names[SD_MSGOP_COUNT_] = {"create", "route"};

/* Puts entry index: part, [at,] id. */
static void s_entry(sd_index_keys_t *keys, const char *index, const char *part, bool with_at,
                    uint64_t at, const char *id)
{
    sd_index_begin(keys, index);
    sd_index_str(keys, part);
    if (with_at)
        sd_index_u64(keys, at);
    sd_index_str(keys, id);
}

static int s_index(const void *record, sd_index_keys_t *keys)
{
    const sd_message_t *m = record;
    uint64_t at = m->received_at;
    if (m->ticket && *m->ticket)
        s_entry(keys, SD_MESSAGE_INDEX_TICKET, m->ticket, true, at, m->id);
    if (m->channel == SD_MCHAN_EMAIL && m->message_id && *m->message_id)
        s_entry(keys, SD_MESSAGE_INDEX_MSGID, m->message_id, false, 0, m->id);
    if (m->from && *m->from)
        s_entry(keys, SD_MESSAGE_INDEX_FROM, m->from, true, at, m->id);
    if (m->state == SD_MSTATE_HELD) {
        sd_index_begin(keys, SD_MESSAGE_INDEX_HELD);
        sd_index_u64(keys, at);
        sd_index_str(keys, m->id);
    }
    if (m->msg_class == SD_MCLASS_BOUNCE && m->bounce_recipient && *m->bounce_recipient)
        s_entry(keys, SD_MESSAGE_INDEX_BOUNCED, m->bounce_recipient, true, at, m->id);
    if (m->raw && *m->raw)
        s_entry(keys, SD_MESSAGE_INDEX_BLOB, m->raw, false, 0, m->id);
    if (m->channel == SD_MCHAN_CHAT && m->source && m->conversation) {
        sd_index_begin(keys, SD_MESSAGE_INDEX_CHAT);
        sd_index_str(keys, m->source);
        sd_index_str(keys, m->conversation);
        sd_index_u64(keys, at);
        sd_index_str(keys, m->id);
    }
    if (m->comment && *m->comment)
        s_entry(keys, SD_MESSAGE_INDEX_COMMENT, m->comment, false, 0, m->id);
    return keys->error;
}

/* A create's id is the one its content names (sd_message_id_for), at every node. */
static int s_check_event(const sd_event_t *ev, bool origin_hub, sd_fault_t *fault)
{
    (void)origin_hub;
    if (ev->op != SD_MSGOP_CREATE)
        return 0;
    const sd_message_t *m = sd_event_message(ev);
    char key[SD_MSGID_MAX + 2 * SD_NAME_MAX + 4], id[SD_ID_MAX + 1];
    if (m->channel == SD_MCHAN_CHAT)
        snprintf(key, sizeof key, "%s\n%s\n%s", m->source ? m->source : "",
                 m->conversation ? m->conversation : "", m->message_id ? m->message_id : "");
    else
        snprintf(key, sizeof key, "%s", m->message_id ? m->message_id : "");
    if (sd_message_id_for(sd_message_channel_names[m->channel], key, id) != 0 ||
        strcmp(id, ev->key) != 0)
        return sd_fault_set(fault, SD_EFORBIDDEN, "message %s: the id is not its content's",
                            ev->key);
    return 0;
}

const sd_kind_t sd_kind_message = {
    .name = "message",
    .id_counter = NULL,
    .id_tag = NULL,
    .size = sizeof(sd_message_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = NFIELDS,
    .nregisters = SD_MSGREG_COUNT_,
    .create_register = SD_MSGREG_CREATED,
    .ops = s_op_names,
    .nops = SD_MSGOP_COUNT_,
    .set_op = -1,
    .check_event = s_check_event,
    .index = s_index,
};
