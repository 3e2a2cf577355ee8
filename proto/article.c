/* article.c - the article kind: field table, versions as its set, derived current text
 * (article.h). */
#include "article.h"

#include "error.h"
#include "hlc.h"
#include "record.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sd_article_state_names[] = {"draft", "published", "retired"};
const char *const sd_article_audience_names[] = {"internal", "public"};

#define OFF(m) offsetof(sd_article_t, m)
#define STR(wire, m, reg, max, fl)                                                                 \
    {                                                                                              \
        wire, SD_F_STR, fl, reg, OFF(m), 0, max, NULL                                              \
    }
#define LINE1 (SD_F_LINE | SD_F_NONEMPTY)

static const sd_field_t s_fields[] = {
    {"created_at", SD_F_U64, 0, SD_KBREG_CREATED, OFF(created_at), 0, 0, NULL},
    STR("origin_site", origin_site, SD_KBREG_CREATED, SD_SITE_MAX, SD_F_LINE),
    STR("author", author, SD_KBREG_CREATED, SD_NAME_MAX, SD_F_LINE),
    STR("title", title, SD_KBREG_CONTENT, SD_TITLE_MAX, SD_F_LINE),
    STR("body", body, SD_KBREG_CONTENT, SD_TEXT_MAX, 0),
    STR("category", category, SD_KBREG_CONTENT, SD_CATEGORY_MAX, SD_F_LINE),
    STR("keywords", keywords, SD_KBREG_CONTENT, SD_ARTICLE_KEYWORDS_MAX, SD_F_LINE),
    STR("language", language, SD_KBREG_CONTENT, SD_LANG_MAX, SD_F_LINE),
    {"audience", SD_F_ENUM, 0, SD_KBREG_CONTENT, OFF(audience), 0, SD_AUDIENCE_COUNT_,
     sd_article_audience_names},
    STR("updated_by", updated_by, SD_KBREG_CONTENT, SD_NAME_MAX, SD_F_LINE),
    {"state", SD_F_ENUM, 0, SD_KBREG_STATE, OFF(state), 0, SD_ASTATE_COUNT_,
     sd_article_state_names},
    STR("linked", linked, SD_KBREG_LINK, SD_ID_MAX, SD_F_LINE),
};
#define NFIELDS (sizeof s_fields / sizeof s_fields[0])
_Static_assert(NFIELDS <= SD_KIND_FIELDS_MAX, "an article has at most 64 register fields");
_Static_assert(SD_KBREG_COUNT_ <= SD_KIND_REGISTERS_MAX, "too many article registers");

/* ---- versions ------------------------------------------------------------------------------ */

void sd_article_version_clear(sd_article_version_t *v)
{
    free(v->author), free(v->title), free(v->body);
    free(v->category), free(v->keywords), free(v->language);
    v->author = v->title = v->body = v->category = v->keywords = v->language = NULL;
}

_Static_assert(offsetof(sd_article_version_t, hlc) == offsetof(sd_set_stamp_t, hlc) &&
                   offsetof(sd_article_version_t, seq) == offsetof(sd_set_stamp_t, seq) &&
                   offsetof(sd_article_version_t, origin) == offsetof(sd_set_stamp_t, origin),
               "a version starts with its set stamp");

int sd_article_add_version(sd_article_t *a, sd_article_version_t *v)
{
    void *items = a->versions;
    int rc = sd_set_insert(&items, &a->nversions, &a->versions_cap, sizeof *v, v);
    a->versions = items;
    if (rc != 0)
        sd_article_version_clear(v); /* a duplicate, or no room */
    else
        memset(v, 0, sizeof *v);
    return rc < 0 ? rc : 0;
}

const sd_article_version_t *sd_article_version(const sd_article_t *a, uint64_t n)
{
    return n >= 1 && n <= a->nversions ? &a->versions[n - 1] : NULL;
}

void sd_article_helpful_counter(const char *id, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s", SD_ARTICLE_COUNT_HELPFUL, id);
}

/* ---- the set op and what follows from it ---------------------------------------------------- */

#define VOFF(m) offsetof(sd_article_version_t, m)
static const sd_field_t s_version_fields[] = {
    {"title", SD_F_STR, SD_F_REQUIRED | LINE1, 0, VOFF(title), 0, SD_TITLE_MAX, NULL},
    {"body", SD_F_STR, 0, 0, VOFF(body), 0, SD_TEXT_MAX, NULL},
    {"category", SD_F_STR, SD_F_LINE, 0, VOFF(category), 0, SD_CATEGORY_MAX, NULL},
    {"keywords", SD_F_STR, SD_F_LINE, 0, VOFF(keywords), 0, SD_ARTICLE_KEYWORDS_MAX, NULL},
    {"language", SD_F_STR, SD_F_LINE, 0, VOFF(language), 0, SD_LANG_MAX, NULL},
    {"audience", SD_F_ENUM, 0, 0, VOFF(audience), 0, SD_AUDIENCE_COUNT_, sd_article_audience_names},
    {"base_version", SD_F_U64, 0, 0, VOFF(base_version), 0, 0, NULL},
};
#define NVFIELDS (sizeof s_version_fields / sizeof s_version_fields[0])

static void s_item_clear(void *item)
{
    sd_article_version_clear(item);
}

static char *s_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Folds a version event: the version joins the set (the current text follows, s_after_fold). */
static int s_fold_version(void *record, const sd_event_t *ev)
{
    const sd_article_version_t *item = ev->item;
    sd_article_version_t v = {.hlc = ev->hlc,
                              .seq = ev->seq,
                              .audience = item->audience,
                              .base_version = item->base_version};
    strcpy(v.origin, ev->origin);
    v.author = strdup(ev->author);
    v.title = s_dup(item->title ? item->title : "");
    v.body = s_dup(item->body ? item->body : "");
    v.category = s_dup(item->category);
    v.keywords = s_dup(item->keywords);
    v.language = s_dup(item->language);
    if (!v.author || !v.title || !v.body || (item->category && !v.category) ||
        (item->keywords && !v.keywords) || (item->language && !v.language)) {
        sd_article_version_clear(&v);
        return SD_ENOMEM;
    }
    return sd_article_add_version(record, &v);
}

static void s_set(char **slot, const char *value)
{
    char *copy = s_dup(value);
    if (value && !copy)
        return; /* out of memory: the register keeps its value until the next fold */
    free(*slot);
    *slot = copy;
}

/* The first version makes CREATED, the last CONTENT, each stamped with that version's stamp:
 * a function of the set, whatever order its events came in. */
static void s_after_fold(void *record)
{
    sd_article_t *a = record;
    if (!a->nversions)
        return;
    const sd_article_version_t *first = &a->versions[0], *last = &a->versions[a->nversions - 1];
    a->created_at = sd_hlc_ms(first->hlc);
    s_set(&a->origin_site, first->origin);
    s_set(&a->author, first->author);
    a->stamps[SD_KBREG_CREATED].hlc = first->hlc;
    strcpy(a->stamps[SD_KBREG_CREATED].origin, first->origin);
    s_set(&a->title, last->title);
    s_set(&a->body, last->body);
    s_set(&a->category, last->category);
    s_set(&a->keywords, last->keywords);
    s_set(&a->language, last->language);
    a->audience = last->audience;
    s_set(&a->updated_by, last->author);
    a->stamps[SD_KBREG_CONTENT].hlc = last->hlc;
    strcpy(a->stamps[SD_KBREG_CONTENT].origin, last->origin);
}

/* ---- extras: version, the versions, and the counts a reader adds ----------------------------- */

/* A state never written is draft: shown so. */
static bool s_state_unset(const sd_article_t *a)
{
    return a->stamps[SD_KBREG_STATE].hlc == 0;
}

static uint32_t s_extra_count(const void *record, bool with_stamps)
{
    const sd_article_t *a = record;
    return 2 + (!with_stamps && a->counted ? 3 : 0) + (!with_stamps && s_state_unset(a));
}

static void s_str_or_nil(sd_mp_writer_t *w, const char *s)
{
    if (s)
        sd_mp_str(w, s);
    else
        sd_mp_nil(w);
}

/* The stored form of a version: all of it. */
static void s_encode_version(sd_mp_writer_t *w, const sd_article_version_t *v)
{
    sd_mp_map(w, 11);
    sd_mp_str(w, "hlc");
    sd_mp_u64(w, v->hlc);
    sd_mp_str(w, "origin");
    sd_mp_str(w, v->origin);
    sd_mp_str(w, "seq");
    sd_mp_u64(w, v->seq);
    sd_mp_str(w, "author");
    sd_mp_str(w, v->author);
    sd_mp_str(w, "title");
    sd_mp_str(w, v->title);
    sd_mp_str(w, "body");
    sd_mp_str(w, v->body);
    sd_mp_str(w, "category");
    s_str_or_nil(w, v->category);
    sd_mp_str(w, "keywords");
    s_str_or_nil(w, v->keywords);
    sd_mp_str(w, "language");
    s_str_or_nil(w, v->language);
    sd_mp_str(w, "audience");
    sd_mp_str(w, sd_article_audience_names[v->audience]);
    sd_mp_str(w, "base_version");
    sd_mp_u64(w, v->base_version);
}

/* Writes the comma-separated list as an array of strings. */
static void s_encode_list(sd_mp_writer_t *w, const char *list)
{
    uint32_t n = 0;
    for (const char *p = list; p && *p; p++)
        n += p == list || p[-1] == ',';
    sd_mp_array(w, n);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        sd_mp_strn(w, p, len);
        p = end ? end + 1 : p + len;
    }
}

static void s_encode_extra(const void *record, bool with_stamps, sd_mp_writer_t *w)
{
    const sd_article_t *a = record;
    sd_mp_str(w, "version");
    sd_mp_u64(w, a->nversions);
    bool all = with_stamps || !a->public_only;
    uint32_t shown = 0;
    for (size_t i = 0; i < a->nversions; i++)
        shown += all || a->versions[i].audience == SD_AUDIENCE_PUBLIC;
    sd_mp_str(w, "versions");
    sd_mp_array(w, shown);
    for (size_t i = 0; i < a->nversions; i++) {
        const sd_article_version_t *v = &a->versions[i];
        if (!all && v->audience != SD_AUDIENCE_PUBLIC)
            continue;
        if (with_stamps) {
            s_encode_version(w, v);
            continue;
        }
        sd_mp_map(w, 4);
        sd_mp_str(w, "version");
        sd_mp_u64(w, i + 1);
        sd_mp_str(w, "at");
        sd_mp_u64(w, sd_hlc_ms(v->hlc));
        sd_mp_str(w, "by");
        sd_mp_str(w, v->author);
        sd_mp_str(w, "title");
        sd_mp_str(w, v->title);
    }
    if (!with_stamps && s_state_unset(a)) {
        sd_mp_str(w, "state");
        sd_mp_str(w, sd_article_state_names[SD_ASTATE_DRAFT]);
    }
    if (with_stamps || !a->counted)
        return;
    sd_mp_str(w, "solved");
    sd_mp_u64(w, a->solved);
    sd_mp_str(w, "helpful");
    sd_mp_u64(w, a->helpful);
    sd_mp_str(w, "tickets");
    s_encode_list(w, a->tickets);
}

/* A stored version: the version event's fields, and its identity and author. */
static int s_decode_version(const sd_mp_node_t *m, sd_article_t *a)
{
    static const sd_field_t author_field = {"author",     SD_F_STR, 0,           0,
                                            VOFF(author), 0,        SD_NAME_MAX, NULL};
    sd_article_version_t v = {0};
    int rc = sd_mp_kind(m) == SD_MP_MAP ? 0 : SD_ECORRUPT;
    for (size_t i = 0; !rc && i < sd_mp_len(m); i++) {
        const sd_mp_node_t *key = sd_mp_key(m, i), *val = sd_mp_val(m, i);
        size_t len;
        const char *name = sd_mp_bytes(key, &len);
        int f = name ? sd_fields_find_bytes(s_version_fields, NVFIELDS, name, len) : -1;
        if (f >= 0)
            rc = sd_field_decode(&s_version_fields[f], val, "version", &v, NULL);
        else if (sd_mp_str_eq(key, "hlc"))
            rc = sd_mp_uint(val, &v.hlc);
        else if (sd_mp_str_eq(key, "seq"))
            rc = sd_mp_uint(val, &v.seq);
        else if (sd_mp_str_eq(key, "origin"))
            rc = sd_mp_copy_str(val, v.origin, sizeof v.origin);
        else if (sd_mp_str_eq(key, "author"))
            rc = sd_field_decode(&author_field, val, "version", &v, NULL);
        else
            rc = SD_ECORRUPT;
    }
    if (!rc && (!v.hlc || !v.author || !v.title))
        rc = SD_ECORRUPT;
    if (rc) {
        sd_article_version_clear(&v);
        return SD_ECORRUPT;
    }
    return sd_article_add_version(a, &v);
}

static int s_decode_extra(const sd_mp_node_t *key, const sd_mp_node_t *v, void *record)
{
    sd_article_t *a = record;
    if (sd_mp_str_eq(key, "version"))
        return 0; /* the count of versions: derived */
    if (!sd_mp_str_eq(key, "versions"))
        return 1;
    if (sd_mp_kind(v) != SD_MP_ARRAY)
        return SD_ECORRUPT;
    for (size_t i = 0; i < sd_mp_len(v); i++)
        if (s_decode_version(sd_mp_at(v, i), a))
            return SD_ECORRUPT;
    return 0;
}

static void s_clear_extra(void *record)
{
    sd_article_t *a = record;
    for (size_t i = 0; i < a->nversions; i++)
        sd_article_version_clear(&a->versions[i]);
    free(a->versions);
    free(a->tickets);
    a->versions = NULL;
    a->tickets = NULL;
    a->nversions = a->versions_cap = 0;
    a->counted = a->public_only = false;
    a->solved = a->helpful = 0;
}

/* ---- indexes --------------------------------------------------------------------------------- */

static int s_index_event(const sd_event_t *ev, sd_index_keys_t *keys)
{
    if (ev->op == SD_KBOP_LINK && sd_event_article(ev)->linked) {
        sd_index_begin(keys, SD_ARTICLE_INDEX_LINK);
        sd_index_str(keys, ev->key);
        sd_index_str(keys, sd_event_article(ev)->linked);
    }
    if (ev->op == SD_KBOP_HELPFUL) {
        char counter[sizeof SD_ARTICLE_COUNT_HELPFUL + SD_ID_MAX];
        sd_article_helpful_counter(ev->key, counter, sizeof counter);
        sd_index_count(keys, counter);
        sd_index_count(keys, SD_ARTICLE_COUNT_DEFLECTION);
    }
    return keys->error;
}

static const char *const s_op_names[SD_KBOP_COUNT_] = {"version", "publish", "retire", "link",
                                                       "helpful"};

const sd_kind_t sd_kind_article = {
    .name = "article",
    .id_counter = "article_no",
    .id_tag = "KB",
    .size = sizeof(sd_article_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = NFIELDS,
    .nregisters = SD_KBREG_COUNT_,
    .create_register = SD_KBREG_CREATED,
    .ops = s_op_names,
    .nops = SD_KBOP_COUNT_,
    .set_op = SD_KBOP_VERSION,
    .item_fields = s_version_fields,
    .nitem_fields = NVFIELDS,
    .item_size = sizeof(sd_article_version_t),
    .item_clear = s_item_clear,
    .fold_item = s_fold_version,
    .after_fold = s_after_fold,
    .extra_count = s_extra_count,
    .encode_extra = s_encode_extra,
    .decode_extra = s_decode_extra,
    .clear_extra = s_clear_extra,
    .index_event = s_index_event,
};
