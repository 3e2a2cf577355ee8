/* ticket.c - ticket field table, names of enum values, comments and msgpack form. */
#include "ticket.h"

#include "error.h"
#include "hlc.h"

#include <pthread.h>
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
};
const size_t sd_ticket_field_count = sizeof sd_ticket_fields / sizeof sd_ticket_fields[0];

/* Field masks per register, computed once: encoding a ticket asks for them
 * for every register, and replicas encode one per applied event. */
static uint64_t s_register_masks[SD_REG_COUNT_];
static pthread_once_t s_register_masks_once = PTHREAD_ONCE_INIT;

static void s_register_masks_init(void)
{
    for (size_t i = 0; i < sd_ticket_field_count; i++)
        if (sd_ticket_fields[i].group < SD_REG_COUNT_)
            s_register_masks[sd_ticket_fields[i].group] |= 1ull << i;
}

uint64_t sd_ticket_register_mask(int reg)
{
    pthread_once(&s_register_masks_once, s_register_masks_init);
    return reg >= 0 && reg < SD_REG_COUNT_ ? s_register_masks[reg] : 0;
}

uint64_t sd_ticket_all_fields(void)
{
    return (1ull << sd_ticket_field_count) - 1;
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

void sd_ticket_clear(sd_ticket_t *t)
{
    if (!t)
        return;
    sd_fields_free(sd_ticket_fields, sd_ticket_field_count, t, sd_ticket_all_fields());
    for (size_t i = 0; i < t->ncomments; i++)
        s_comment_free(&t->comments[i]);
    free(t->comments);
    memset(t, 0, sizeof *t);
}

static int s_comment_cmp(const sd_comment_t *a, const sd_comment_t *b)
{
    if (a->hlc != b->hlc)
        return a->hlc < b->hlc ? -1 : 1;
    int c = strcmp(a->origin, b->origin);
    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int sd_ticket_add_comment(sd_ticket_t *t, sd_comment_t *c)
{
    size_t at = t->ncomments;
    for (size_t i = 0; i < t->ncomments; i++) {
        sd_comment_t *x = &t->comments[i];
        if (x->seq == c->seq && strcmp(x->origin, c->origin) == 0) {
            s_comment_free(c);
            return 0;
        }
        if (at == t->ncomments && s_comment_cmp(c, x) < 0)
            at = i;
    }
    if (t->ncomments == t->comments_cap) {
        size_t cap = t->comments_cap ? t->comments_cap * 2 : 4;
        sd_comment_t *grown = realloc(t->comments, cap * sizeof *grown);
        if (!grown)
            return SD_ENOMEM;
        t->comments = grown;
        t->comments_cap = cap;
    }
    memmove(&t->comments[at + 1], &t->comments[at], (t->ncomments - at) * sizeof *c);
    t->comments[at] = *c;
    t->ncomments++;
    c->author = c->body = NULL;
    return 0;
}

void sd_ticket_encode(const sd_ticket_t *t, bool with_stamps, sd_mp_writer_t *w)
{
    /* Only registers some event wrote: before its create arrives a replica
     * may hold a ticket with a few registers, whose zero defaults (impact 0)
     * are no valid values. A created ticket has every register written. */
    uint64_t mask = 0;
    uint32_t fields = 0;
    for (int r = 0; r < SD_REG_COUNT_; r++)
        if (t->stamps[r].hlc != 0)
            mask |= sd_ticket_register_mask(r);
    for (uint64_t m = mask; m; m &= m - 1)
        fields++;
    sd_mp_map(w, fields + 4 + (with_stamps ? 1 : 0));
    sd_mp_str(w, "id");
    sd_mp_str(w, t->id);
    sd_fields_encode(sd_ticket_fields, sd_ticket_field_count, t, mask, w);
    sd_mp_str(w, "updated_at");
    sd_mp_u64(w, t->updated_at);
    sd_mp_str(w, "first_response_at");
    sd_mp_u64(w, t->first_response_at);
    sd_mp_str(w, "comments");
    sd_mp_array(w, (uint32_t)t->ncomments);
    for (size_t i = 0; i < t->ncomments; i++) {
        const sd_comment_t *c = &t->comments[i];
        sd_mp_map(w, 7);
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
    if (with_stamps) {
        sd_mp_str(w, "stamps");
        sd_mp_array(w, SD_REG_COUNT_ * 2);
        for (int r = 0; r < SD_REG_COUNT_; r++) {
            sd_mp_u64(w, t->stamps[r].hlc);
            sd_mp_str(w, t->stamps[r].origin);
        }
    }
}

/* Copies a str node into a fixed buffer of cap bytes (with NUL). */
static int s_copy_str(const sd_mp_node_t *v, char *out, size_t cap)
{
    size_t len;
    const char *s = sd_mp_bytes(v, &len);
    if (sd_mp_kind(v) != SD_MP_STR || len >= cap)
        return SD_ECORRUPT;
    memcpy(out, s, len);
    out[len] = 0;
    return 0;
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
        int rc = SD_ECORRUPT;
        if (!hlc || !pub || !seq || !origin || !author || !body || sd_mp_uint(hlc, &c.hlc) ||
            sd_mp_boolean(pub, &c.public_reply) || sd_mp_uint(seq, &c.seq) ||
            s_copy_str(origin, c.origin, sizeof c.origin) ||
            sd_field_decode(&author_field, author, "comment", &c, NULL) ||
            sd_field_decode(&body_field, body, "comment", &c, NULL) ||
            (rc = sd_ticket_add_comment(t, &c)) != 0) {
            s_comment_free(&c);
            return rc;
        }
    }
    return 0;
}

int sd_ticket_decode(const sd_mp_node_t *map, sd_ticket_t *t, sd_fault_t *fault)
{
    if (sd_mp_kind(map) != SD_MP_MAP)
        return sd_fault_set(fault, SD_ECORRUPT, "ticket: not a map");
    for (size_t i = 0; i < sd_mp_len(map); i++) {
        const sd_mp_node_t *k = sd_mp_key(map, i), *v = sd_mp_val(map, i);
        int rc = 0;
        if (sd_mp_str_eq(k, "id")) {
            rc = s_copy_str(v, t->id, sizeof t->id);
        } else if (sd_mp_str_eq(k, "updated_at")) {
            rc = sd_mp_uint(v, &t->updated_at);
        } else if (sd_mp_str_eq(k, "first_response_at")) {
            rc = sd_mp_uint(v, &t->first_response_at);
        } else if (sd_mp_str_eq(k, "comments")) {
            rc = s_decode_comments(v, t);
        } else if (sd_mp_str_eq(k, "stamps")) {
            if (sd_mp_kind(v) != SD_MP_ARRAY || sd_mp_len(v) != SD_REG_COUNT_ * 2)
                rc = SD_ECORRUPT;
            for (int r = 0; !rc && r < SD_REG_COUNT_; r++) {
                const sd_mp_node_t *origin = sd_mp_at(v, (size_t)r * 2 + 1);
                rc = sd_mp_uint(sd_mp_at(v, (size_t)r * 2), &t->stamps[r].hlc);
                if (!rc && sd_mp_kind(origin) == SD_MP_STR)
                    rc = s_copy_str(origin, t->stamps[r].origin, sizeof t->stamps[r].origin);
            }
        } else {
            size_t len;
            const char *name = sd_mp_bytes(k, &len);
            char key[32];
            if (!name || len >= sizeof key)
                return sd_fault_set(fault, SD_ECORRUPT, "ticket: bad key");
            memcpy(key, name, len);
            key[len] = 0;
            const sd_field_t *f = sd_ticket_field(key);
            rc = f ? sd_field_decode(f, v, "ticket", t, fault) : SD_ECORRUPT;
        }
        if (rc)
            return sd_fault_set(fault, SD_ECORRUPT, "ticket %s: stored record is corrupt", t->id);
    }
    return 0;
}
