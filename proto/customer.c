/* customer.c - the customer kind: field table, indexes, merge resolution (customer.h). */
#include "customer.h"

#include "error.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define OFF(m) offsetof(sd_customer_t, m)
#define STR(wire, m, reg, max, fl)                                                                 \
    {                                                                                              \
        wire, SD_F_STR, fl, reg, OFF(m), 0, max, NULL                                              \
    }
#define LINE1 (SD_F_LINE | SD_F_NONEMPTY)

static const sd_field_t s_fields[] = {
    {"created_at", SD_F_U64, 0, SD_CREG_CREATED, OFF(created_at), 0, 0, NULL},
    STR("origin_site", origin_site, SD_CREG_CREATED, SD_SITE_MAX, SD_F_LINE),
    STR("name", name, SD_CREG_NAME, SD_NAME_MAX, LINE1),
    STR("organisation", organisation, SD_CREG_ORG, SD_NAME_MAX, SD_F_LINE),
    STR("department", department, SD_CREG_ORG, SD_NAME_MAX, SD_F_LINE),
    STR("emails", emails, SD_CREG_EMAILS, SD_CUSTOMER_LIST_MAX, SD_F_LINE),
    STR("phones", phones, SD_CREG_PHONES, SD_CUSTOMER_LIST_MAX, SD_F_LINE),
    STR("phones_e164", phones_e164, SD_CREG_PHONES, SD_CUSTOMER_E164_MAX, SD_F_LINE),
    STR("language", language, SD_CREG_LANGUAGE, SD_LANG_MAX, SD_F_LINE),
    STR("time_zone", time_zone, SD_CREG_TIME_ZONE, SD_NAME_MAX, SD_F_LINE),
    STR("home_site", home_site, SD_CREG_HOME_SITE, SD_SITE_MAX, SD_F_LINE),
    {"vip", SD_F_BOOL, 0, SD_CREG_VIP, OFF(vip), 0, 0, NULL},
    STR("notes", notes, SD_CREG_NOTES, SD_NOTE_MAX, 0),
    STR("user", user, SD_CREG_USER, SD_NAME_MAX, SD_F_LINE),
    STR("merged_into", merged_into, SD_CREG_MERGED, SD_ID_MAX, SD_F_LINE),
};
#define NFIELDS (sizeof s_fields / sizeof s_fields[0])
_Static_assert(NFIELDS <= SD_KIND_FIELDS_MAX, "a customer has at most 64 register fields");
_Static_assert(SD_CREG_COUNT_ <= SD_KIND_REGISTERS_MAX, "too many customer registers");

int sd_customer_each(const char *list, int (*fn)(const char *item, void *arg), void *arg)
{
    char item[SD_CUSTOMER_LIST_MAX + 1];
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *next = end ? end + 1 : p + len;
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len && len < sizeof item) {
            memcpy(item, p, len);
            item[len] = 0;
            int rc = fn(item, arg);
            if (rc)
                return rc;
        }
        p = next;
    }
    return 0;
}

bool sd_customer_email_valid(const char *addr)
{
    size_t n = strlen(addr);
    const char *at = strchr(addr, '@');
    if (n == 0 || n > SD_NAME_MAX || !at || at == addr || strchr(at + 1, '@'))
        return false;
    const char *dot = strrchr(at, '.');
    if (!dot || dot == at + 1 || !dot[1])
        return false;
    for (const char *p = addr; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("<>(),;:\"[]\\", *p))
            return false;
    return true;
}

/* Copies an id (at most SD_ID_MAX bytes kept). */
static void s_id_copy(char *out, const char *id)
{
    size_t n = strnlen(id, SD_ID_MAX);
    memcpy(out, id, n);
    out[n] = 0;
}

int sd_customer_resolve(const char *id, sd_customer_merged_fn merged, void *arg, char *out)
{
    char path[SD_CUSTOMER_MERGES_MAX + 1][SD_ID_MAX + 1];
    s_id_copy(path[0], id);
    for (int i = 0; i < SD_CUSTOMER_MERGES_MAX; i++) {
        char into[SD_ID_MAX + 1] = "";
        int rc = merged(path[i], into, arg);
        if (rc)
            return rc;
        if (!into[0]) {
            s_id_copy(out, path[i]);
            return 0;
        }
        for (int j = 0; j <= i; j++) {
            if (strcmp(path[j], into) != 0)
                continue;
            /* A cycle path[j..i]: its smallest id survives, at every node alike. */
            int best = j;
            for (int k = j + 1; k <= i; k++)
                if (strcmp(path[k], path[best]) < 0)
                    best = k;
            s_id_copy(out, path[best]);
            return 0;
        }
        s_id_copy(path[i + 1], into);
    }
    return SD_ETOOBIG;
}

/* ---- the kind -------------------------------------------------------------------------- */

static const char *const s_op_names[SD_COP_COUNT_] = {"create", "update", "merge"};

typedef struct {
    sd_index_keys_t *keys;
    const char *index;
    const char *id;
    bool lower;
} s_entries_t;

static int s_entry(const char *item, void *arg)
{
    s_entries_t *e = arg;
    char v[SD_CUSTOMER_LIST_MAX + 1];
    size_t i = 0;
    for (; item[i] && i < sizeof v - 1; i++)
        v[i] = e->lower && item[i] >= 'A' && item[i] <= 'Z' ? (char)(item[i] + 32) : item[i];
    v[i] = 0;
    sd_index_begin(e->keys, e->index);
    sd_index_str(e->keys, v);
    sd_index_str(e->keys, e->id);
    return 0;
}

static int s_index(const void *record, sd_index_keys_t *keys)
{
    const sd_customer_t *c = record;
    s_entries_t e = {keys, SD_CUSTOMER_INDEX_EMAIL, c->id, true};
    sd_customer_each(c->emails, s_entry, &e);
    e.index = SD_CUSTOMER_INDEX_PHONE, e.lower = false;
    sd_customer_each(c->phones_e164, s_entry, &e);
    if (c->user && *c->user) {
        e.index = SD_CUSTOMER_INDEX_USER;
        s_entry(c->user, &e);
    }
    if (c->merged_into && *c->merged_into) {
        e.index = SD_CUSTOMER_INDEX_MERGED;
        s_entry(c->merged_into, &e);
    }
    if (c->name && *c->name) {
        e.index = SD_CUSTOMER_INDEX_NAME, e.lower = true;
        s_entry(c->name, &e);
    }
    return keys->error;
}

const sd_kind_t sd_kind_customer = {
    .name = "customer",
    .id_counter = "customer_no",
    .id_tag = "C",
    .size = sizeof(sd_customer_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = NFIELDS,
    .nregisters = SD_CREG_COUNT_,
    .create_register = SD_CREG_CREATED,
    .ops = s_op_names,
    .nops = SD_COP_COUNT_,
    .set_op = -1,
    .index = s_index,
};
