/* ticket.c - ticket field table, names of enum values, comments and msgpack form. */
#include "ticket.h"

#include "asset.h"
#include "error.h"
#include "hlc.h"
#include "record.h"

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *const sd_type_names[] = {"incident", "service_request", "change", "problem"};
const char *const sd_channel_names[] = {"phone", "email", "web", "chat", "walk_in", "monitoring"};
const char *const sd_status_names[] = {"new",     "acknowledged", "assigned", "in_progress",
                                       "pending", "resolved",     "closed",   "cancelled"};
const char *const sd_tier_names[] = {"L1", "L1.5", "L2", "L3", "vendor"};
const char *const sd_priority_names[] = {"P1", "P2", "P3", "P4"};
const char *const sd_wait_names[] = {"none", "customer", "vendor"};
const char *const sd_sla_names[] = {"ok", "at_risk", "breached"};

#define OFF(m) offsetof(sd_ticket_t, m)
#define STR(n, reg, max, fl)                                                                       \
    {                                                                                              \
#n, SD_F_STR, fl, reg, OFF(n), 0, max, NULL                                                \
    }
#define U64(n, reg)                                                                                \
    {                                                                                              \
#n, SD_F_U64, 0, reg, OFF(n), 0, 0, NULL                                                   \
    }
#define INT(n, reg, lo, hi)                                                                        \
    {                                                                                              \
#n, SD_F_INT, 0, reg, OFF(n), lo, hi, NULL                                                 \
    }
#define BOOL(n, reg)                                                                               \
    {                                                                                              \
#n, SD_F_BOOL, 0, reg, OFF(n), 0, 0, NULL                                                  \
    }
#define ENUM(n, reg, names, count)                                                                 \
    {                                                                                              \
#n, SD_F_ENUM, 0, reg, OFF(n), 0, count, names                                             \
    }

const sd_field_t sd_ticket_fields[] = {
    U64(created_at, SD_REG_CREATED),
    STR(origin_site, SD_REG_CREATED, SD_SITE_MAX, SD_F_LINE),
    ENUM(type, SD_REG_TYPE, sd_type_names, SD_TYPE_COUNT_),
    BOOL(major, SD_REG_TYPE),
    STR(major_notify, SD_REG_MAJOR, SD_TEXT_MAX, SD_F_LINE),
    STR(major_note, SD_REG_MAJOR, SD_TEXT_MAX, 0),
    STR(title, SD_REG_TITLE, SD_TITLE_MAX, SD_F_LINE | SD_F_NONEMPTY),
    STR(description, SD_REG_DESC, SD_TEXT_MAX, 0),
    STR(requester, SD_REG_REQUESTER, SD_NAME_MAX, SD_F_LINE | SD_F_NONEMPTY),
    ENUM(channel, SD_REG_REQUESTER, sd_channel_names, SD_CHANNEL_COUNT_),
    STR(category, SD_REG_CATEGORY, SD_CATEGORY_MAX, SD_F_LINE),
    INT(impact, SD_REG_PRIORITY, 1, 3),
    INT(urgency, SD_REG_PRIORITY, 1, 3),
    ENUM(priority, SD_REG_PRIORITY, sd_priority_names, SD_PRIORITY_COUNT_),
    BOOL(follow_sun, SD_REG_PRIORITY),
    U64(response_due, SD_REG_PRIORITY),
    U64(resolve_due, SD_REG_PRIORITY),
    ENUM(tier, SD_REG_ASSIGN, sd_tier_names, SD_TIER_COUNT_),
    U64(tier_since, SD_REG_ASSIGN),
    STR(team, SD_REG_ASSIGN, SD_NAME_MAX, SD_F_LINE),
    STR(assignee, SD_REG_ASSIGN, SD_NAME_MAX, SD_F_LINE),
    STR(owner, SD_REG_OWNER, SD_NAME_MAX, SD_F_LINE),
    STR(owner_site, SD_REG_OWNER, SD_SITE_MAX, SD_F_LINE),
    STR(handover_from, SD_REG_OWNER, SD_SITE_MAX, SD_F_LINE),
    U64(handover_at, SD_REG_OWNER),
    STR(handover_note, SD_REG_OWNER, SD_NOTE_MAX, 0),
    ENUM(status, SD_REG_STATUS, sd_status_names, SD_STATUS_COUNT_),
    U64(acknowledged_at, SD_REG_STATUS),
    U64(reply_due, SD_REG_STATUS),
    ENUM(waiting_on, SD_REG_STATUS, sd_wait_names, SD_WAIT_COUNT_),
    U64(resolved_at, SD_REG_STATUS),
    STR(resolution, SD_REG_STATUS, SD_TEXT_MAX, 0),
    U64(closed_at, SD_REG_STATUS),
    INT(satisfaction, SD_REG_STATUS, 0, 5),
    STR(feedback, SD_REG_STATUS, SD_NOTE_MAX, 0),
    STR(status_reason, SD_REG_STATUS, SD_TEXT_MAX, 0),
    U64(reopen_count, SD_REG_STATUS),
    U64(sla_paused_at, SD_REG_STATUS),
    ENUM(sla_state, SD_REG_SLA, sd_sla_names, SD_SLA_COUNT_),
    BOOL(escalated, SD_REG_SLA),
    STR(sla_reason, SD_REG_SLA, SD_NOTE_MAX, 0),
    U64(sla_at, SD_REG_SLA),
    STR(customer, SD_REG_CUSTOMER, SD_ID_MAX, SD_F_LINE),
    STR(assets, SD_REG_ASSETS, SD_ASSETS_LIST_MAX, SD_F_LINE),
    STR(vendor, SD_REG_VENDOR, SD_ID_MAX, SD_F_LINE),
    STR(vendor_ref, SD_REG_VENDOR, SD_VENDOR_REF_MAX, SD_F_LINE),
    STR(oncall, SD_REG_PAGE, SD_NAME_MAX, SD_F_LINE),
    U64(paged_at, SD_REG_PAGE),
    STR(article, SD_REG_ARTICLE, SD_ID_MAX, SD_F_LINE),
};
const size_t sd_ticket_field_count = sizeof sd_ticket_fields / sizeof sd_ticket_fields[0];

uint64_t sd_ticket_register_mask(int reg)
{
    return sd_kind_register_mask(&sd_kind_ticket, reg);
}

uint64_t sd_ticket_all_fields(void)
{
    return sd_kind_all_fields(&sd_kind_ticket);
}

const sd_field_t *sd_ticket_field(const char *name)
{
    int i = sd_fields_find(sd_ticket_fields, sd_ticket_field_count, name);
    return i < 0 ? NULL : &sd_ticket_fields[i];
}

static const char *s_name(const char *const *names, int count, int v)
{
    return v >= 0 && v < count ? names[v] : "?";
}

static int s_value(const char *const *names, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *sd_status_name(int v)
{
    return s_name(sd_status_names, SD_STATUS_COUNT_, v);
}

const char *sd_priority_name(int v)
{
    return s_name(sd_priority_names, SD_PRIORITY_COUNT_, v);
}

const char *sd_tier_name(int v)
{
    return s_name(sd_tier_names, SD_TIER_COUNT_, v);
}

const char *sd_type_name(int v)
{
    return s_name(sd_type_names, SD_TYPE_COUNT_, v);
}

const char *sd_channel_name(int v)
{
    return s_name(sd_channel_names, SD_CHANNEL_COUNT_, v);
}

int sd_status_value(const char *name)
{
    return s_value(sd_status_names, SD_STATUS_COUNT_, name);
}

int sd_priority_value(const char *name)
{
    return s_value(sd_priority_names, SD_PRIORITY_COUNT_, name);
}

static void s_comment_free(sd_comment_t *c)
{
    free(c->author);
    free(c->body);
    c->author = c->body = NULL;
}

/* The comments: what a ticket owns beyond its registers. */
static void s_clear_comments(void *record)
{
    sd_ticket_t *t = record;
    for (size_t i = 0; i < t->ncomments; i++)
        s_comment_free(&t->comments[i]);
    free(t->comments);
    t->comments = NULL;
    t->ncomments = t->comments_cap = 0;
}

bool sd_ticket_exists(const sd_ticket_t *t)
{
    return sd_record_exists(&sd_kind_ticket, t);
}

void sd_ticket_clear(sd_ticket_t *t)
{
    sd_record_clear(&sd_kind_ticket, t);
}

_Static_assert(offsetof(sd_comment_t, hlc) == offsetof(sd_set_stamp_t, hlc) &&
                   offsetof(sd_comment_t, seq) == offsetof(sd_set_stamp_t, seq) &&
                   offsetof(sd_comment_t, origin) == offsetof(sd_set_stamp_t, origin),
               "a comment starts with its set stamp");

int sd_ticket_add_comment(sd_ticket_t *t, sd_comment_t *c)
{
    void *items = t->comments;
    int rc = sd_set_insert(&items, &t->ncomments, &t->comments_cap, sizeof *c, c);
    t->comments = items;
    if (rc == 1)
        s_comment_free(c); /* a duplicate */
    if (rc < 0)
        return rc;
    c->author = c->body = NULL;
    return 0;
}

void sd_ticket_encode(const sd_ticket_t *t, bool with_stamps, sd_mp_writer_t *w)
{
    sd_record_encode(&sd_kind_ticket, t, with_stamps, w);
}

/* Beyond the registers a ticket holds first_response_at and its comments. */
static uint32_t s_extra_count(const void *record, bool with_stamps)
{
    (void)record, (void)with_stamps;
    return 2;
}

static void s_encode_extra(const void *record, bool with_stamps, sd_mp_writer_t *w)
{
    const sd_ticket_t *t = record;
    (void)with_stamps;
    sd_mp_str(w, "first_response_at");
    sd_mp_u64(w, t->first_response_at);
    sd_mp_str(w, "comments");
    sd_mp_array(w, (uint32_t)t->ncomments);
    for (size_t i = 0; i < t->ncomments; i++) {
        const sd_comment_t *c = &t->comments[i];
        sd_mp_map(w, c->inbound ? 8 : 7); /* "inbound" only when set: older stores' bytes stay */
        if (c->inbound) {
            sd_mp_str(w, "inbound");
            sd_mp_bool(w, true);
        }
        sd_mp_str(w, "at");
        sd_mp_u64(w, sd_hlc_ms(c->hlc));
        sd_mp_str(w, "hlc");
        sd_mp_u64(w, c->hlc);
        sd_mp_str(w, "author");
        sd_mp_str(w, c->author);
        sd_mp_str(w, "public");
        sd_mp_bool(w, c->public_reply);
        sd_mp_str(w, "body");
        sd_mp_str(w, c->body);
        sd_mp_str(w, "origin");
        sd_mp_str(w, c->origin);
        sd_mp_str(w, "seq");
        sd_mp_u64(w, c->seq);
    }
}

static int s_decode_comments(const sd_mp_node_t *arr, sd_ticket_t *t)
{
    static const sd_field_t body_field = {
        "body", SD_F_STR, 0, 0, offsetof(sd_comment_t, body), 0, SD_COMMENT_MAX, NULL};
    static const sd_field_t author_field = {
        "author", SD_F_STR, 0, 0, offsetof(sd_comment_t, author), 0, SD_NAME_MAX, NULL};
    if (sd_mp_kind(arr) != SD_MP_ARRAY)
        return SD_ECORRUPT;
    for (size_t i = 0; i < sd_mp_len(arr); i++) {
        const sd_mp_node_t *m = sd_mp_at(arr, i);
        sd_comment_t c = {0};
        const sd_mp_node_t *hlc = sd_mp_get(m, "hlc"), *pub = sd_mp_get(m, "public");
        const sd_mp_node_t *seq = sd_mp_get(m, "seq"), *origin = sd_mp_get(m, "origin");
        const sd_mp_node_t *author = sd_mp_get(m, "author"), *body = sd_mp_get(m, "body");
        const sd_mp_node_t *inbound = sd_mp_get(m, "inbound");
        int rc = SD_ECORRUPT;
        if (!hlc || !pub || !seq || !origin || !author || !body || sd_mp_uint(hlc, &c.hlc) ||
            (inbound && sd_mp_boolean(inbound, &c.inbound)) ||
            sd_mp_boolean(pub, &c.public_reply) || sd_mp_uint(seq, &c.seq) ||
            sd_mp_copy_str(origin, c.origin, sizeof c.origin) ||
            sd_field_decode(&author_field, author, "comment", &c, NULL) ||
            sd_field_decode(&body_field, body, "comment", &c, NULL) ||
            (rc = sd_ticket_add_comment(t, &c)) != 0) {
            s_comment_free(&c);
            return rc;
        }
    }
    return 0;
}

static int s_decode_extra(const sd_mp_node_t *key, const sd_mp_node_t *v, void *record)
{
    sd_ticket_t *t = record;
    if (sd_mp_str_eq(key, "first_response_at"))
        return sd_mp_uint(v, &t->first_response_at) ? SD_ECORRUPT : 0;
    if (sd_mp_str_eq(key, "comments"))
        return s_decode_comments(v, t) ? SD_ECORRUPT : 0;
    return 1;
}

int sd_ticket_decode(const sd_mp_node_t *map, sd_ticket_t *t, sd_fault_t *fault)
{
    return sd_record_decode(&sd_kind_ticket, map, t, fault);
}

/* ---- the ticket kind ------------------------------------------------------ */

static const char *const s_op_names[SD_OP_COUNT_] = {
    "create", "ack",     "assign", "start",    "pending",  "resolve", "close", "reopen",
    "cancel", "comment", "update", "handover", "escalate", "sla",     "page",
};

const char *sd_op_name(int op)
{
    return op >= 0 && op < SD_OP_COUNT_ ? s_op_names[op] : "?";
}

/* A comment event's fields: body and public flag. */
#define COFF(m) offsetof(sd_comment_t, m)
static const sd_field_t s_comment_fields[] = {
    {"body", SD_F_STR, SD_F_REQUIRED | SD_F_NONEMPTY, 0, COFF(body), 0, SD_COMMENT_MAX, NULL},
    {"public", SD_F_BOOL, SD_F_REQUIRED, 0, COFF(public_reply), 0, 0, NULL},
    {"inbound", SD_F_BOOL, SD_F_OMIT_ZERO, 0, COFF(inbound), 0, 0, NULL},
};

static void s_item_clear(void *item)
{
    s_comment_free(item);
}

/* Folds a comment event: the comment joins the set (the first response follows, s_after_fold). */
static int s_fold_comment(void *record, const sd_event_t *ev)
{
    sd_ticket_t *t = record;
    const sd_comment_t *item = ev->item;
    sd_comment_t c = {.hlc = ev->hlc,
                      .seq = ev->seq,
                      .public_reply = item->public_reply,
                      .inbound = item->inbound};
    strcpy(c.origin, ev->origin);
    c.author = strdup(ev->author);
    c.body = strdup(item->body ? item->body : "");
    if (!c.author || !c.body) {
        s_comment_free(&c);
        return SD_ENOMEM;
    }
    return sd_ticket_add_comment(t, &c);
}

/* The first response is the earliest public reply by someone other than the requester (and not
 * the requester's own mail or chat taken in by a channel): worked out from the comments and the
 * requester as they are now, whatever order they arrived in. */
static void s_after_fold(void *record)
{
    sd_ticket_t *t = record;
    t->first_response_at = 0;
    for (size_t i = 0; i < t->ncomments; i++) {
        const sd_comment_t *c = &t->comments[i];
        uint64_t ms = sd_hlc_ms(c->hlc);
        if (c->public_reply && !c->inbound &&
            !(t->requester && strcmp(c->author, t->requester) == 0) &&
            (t->first_response_at == 0 || ms < t->first_response_at))
            t->first_response_at = ms;
    }
}

void sd_ticket_status_counter(int status, char *out, size_t cap)
{
    snprintf(out, cap, "status.%s", sd_status_name(status));
}

void sd_ticket_queue_key(const sd_ticket_t *t, sd_index_keys_t *keys)
{
    sd_index_begin(keys, SD_TICKET_INDEX_QUEUE);
    sd_index_u8(keys, sd_status_open(t->status) ? 0 : 1);
    sd_index_u8(keys, (uint8_t)t->priority);
    sd_index_u64(keys, t->resolve_due);
    sd_index_str(keys, t->id);
}

/* An entry "index, name, id" for the tickets of one person; none when name is not set. */
static void s_by_name(sd_index_keys_t *keys, const char *index, const char *name, const char *id)
{
    if (!name)
        return;
    sd_index_begin(keys, index);
    sd_index_str(keys, name);
    sd_index_str(keys, id);
}

static int s_index(const void *record, sd_index_keys_t *keys)
{
    const sd_ticket_t *t = record;
    char counter[32];
    sd_ticket_queue_key(t, keys);
    s_by_name(keys, SD_TICKET_INDEX_REQUESTER, t->requester, t->id);
    s_by_name(keys, SD_TICKET_INDEX_ASSIGNEE, t->assignee, t->id);
    s_by_name(keys, SD_TICKET_INDEX_CUSTOMER, t->customer, t->id);
    s_by_name(keys, SD_TICKET_INDEX_ARTICLE, t->article, t->id);
    if (t->article && (t->status == SD_STATUS_RESOLVED || t->status == SD_STATUS_CLOSED)) {
        char solved[sizeof SD_TICKET_COUNT_SOLVED + SD_ID_MAX];
        snprintf(solved, sizeof solved, "%s%s", SD_TICKET_COUNT_SOLVED, t->article);
        sd_index_count(keys, solved);
    }
    sd_ticket_status_counter(t->status, counter, sizeof counter);
    sd_index_count(keys, counter);
    /* Breached is final: a ticket counts once, however many nodes recorded its breach. */
    if (t->sla_state == SD_SLA_BREACHED)
        sd_index_count(keys, SD_TICKET_COUNT_SLA_BREACHES);
    return keys->error;
}

static int s_index_event(const sd_event_t *ev, sd_index_keys_t *keys)
{
    if (ev->op == SD_OP_HANDOVER) {
        sd_index_begin(keys, SD_TICKET_INDEX_HANDOVERS);
        sd_index_u64(keys, ev->hlc);
        sd_index_str(keys, ev->origin);
        sd_index_u64(keys, ev->seq);
    }
    return keys->error;
}

/* Only the owner site hands a ticket over (or a hub, taking over from a silent site): another
 * site's event that moves the owner is a forgery. */
static int s_check_event(const sd_event_t *ev, bool origin_hub, sd_fault_t *fault)
{
    const sd_ticket_t *f = sd_event_ticket(ev);
    if (ev->op != SD_OP_HANDOVER || origin_hub)
        return 0;
    if (!f->handover_from || strcmp(f->handover_from, ev->origin) != 0)
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "event %s#%llu: site %s hands over ticket %s owned by %s", ev->origin,
                            (unsigned long long)ev->seq, ev->origin, ev->key,
                            f->handover_from ? f->handover_from : "?");
    return 0;
}

#define TOFF(m) offsetof(sd_ticket_t, m)
_Static_assert(sizeof sd_ticket_fields / sizeof sd_ticket_fields[0] <= SD_KIND_FIELDS_MAX,
               "a ticket has at most 64 register fields");
_Static_assert(SD_REG_COUNT_ <= SD_KIND_REGISTERS_MAX, "too many ticket registers");

const sd_kind_t sd_kind_ticket = {
    .name = "ticket",
    .id_counter = "ticket_no",
    .id_tag = NULL,
    .size = sizeof(sd_ticket_t),
    .id_offset = TOFF(id),
    .updated_offset = TOFF(updated_at),
    .stamps_offset = TOFF(stamps),
    .fields = sd_ticket_fields,
    .nfields = sizeof sd_ticket_fields / sizeof sd_ticket_fields[0],
    .nregisters = SD_REG_COUNT_,
    .create_register = SD_REG_CREATED,
    .ops = s_op_names,
    .nops = SD_OP_COUNT_,
    .set_op = SD_OP_COMMENT,
    .item_fields = s_comment_fields,
    .nitem_fields = sizeof s_comment_fields / sizeof s_comment_fields[0],
    .item_size = sizeof(sd_comment_t),
    .item_clear = s_item_clear,
    .fold_item = s_fold_comment,
    .after_fold = s_after_fold,
    .check_event = s_check_event,
    .extra_count = s_extra_count,
    .encode_extra = s_encode_extra,
    .decode_extra = s_decode_extra,
    .clear_extra = s_clear_comments,
    .index = s_index,
    .index_event = s_index_event,
};
