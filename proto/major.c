/* major.c - the major-incident rule kind: field table, matching and the notify list. */
#include "major.h"

#include "error.h"

#include <stdio.h>
#include <string.h>

#define OFF(m) offsetof(sd_major_t, m)
#define STR(n, reg, max, fl)                                                                       \
    {                                                                                              \
#n, SD_F_STR, fl, reg, OFF(n), 0, max, NULL                                                \
    }

static const sd_field_t s_fields[] = {
    {"created_at", SD_F_U64, 0, SD_MREG_CREATED, OFF(created_at), 0, 0, NULL},
    STR(origin_site, SD_MREG_CREATED, SD_SITE_MAX, SD_F_LINE),
    STR(category, SD_MREG_CATEGORY, SD_CATEGORY_MAX, SD_F_LINE),
    STR(site, SD_MREG_SITE, SD_SITE_MAX, SD_F_LINE),
    STR(service, SD_MREG_SERVICE, SD_MAJOR_SERVICE_MAX, SD_F_LINE),
    STR(notify, SD_MREG_NOTIFY, SD_MAJOR_NOTIFY_MAX, SD_F_LINE),
    STR(note, SD_MREG_NOTE, SD_NOTE_MAX, 0),
};

static bool s_match(const char *rule, const char *value)
{
    return !rule || !*rule || !strcmp(rule, SD_MAJOR_ANY) || (value && !strcmp(rule, value));
}

bool sd_major_matches(const sd_major_t *r, const char *category, const char *site)
{
    return s_match(r->category, category) && s_match(r->site, site);
}

/* True when the comma-and-space-separated list holds item[0..len). */
static bool s_holds(const char *list, const char *item, size_t len)
{
    for (const char *p = list; *p;) {
        const char *end = strstr(p, ", ");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && !memcmp(p, item, len))
            return true;
        if (!end)
            break;
        p = end + 2;
    }
    return false;
}

int sd_major_notify_merge(char *out, size_t cap, const char *list)
{
    size_t used = strlen(out);
    for (const char *p = list ? list : ""; *p;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *b = p, *e = end;
        while (b < e && *b == ' ')
            b++;
        while (e > b && e[-1] == ' ')
            e--;
        size_t n = (size_t)(e - b);
        if (n && !s_holds(out, b, n)) {
            size_t need = n + (used ? 2 : 0);
            if (used + need + 1 > cap)
                return SD_ETOOBIG;
            used += (size_t)snprintf(out + used, cap - used, "%s%.*s", used ? ", " : "", (int)n, b);
        }
        p = comma ? comma + 1 : end;
    }
    return 0;
}

static const char *const s_op_names[SD_MOP_COUNT_] = {"create", "update"};

const sd_kind_t sd_kind_major = {
    .name = "major",
    .id_counter = NULL, /* the id is the rule's name */
    .size = sizeof(sd_major_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = sizeof s_fields / sizeof s_fields[0],
    .nregisters = SD_MREG_COUNT_,
    .create_register = SD_MREG_CREATED,
    .ops = s_op_names,
    .nops = SD_MOP_COUNT_,
    .set_op = -1,
};
