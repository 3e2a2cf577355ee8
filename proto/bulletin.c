/* bulletin.c - the bulletin kind: field table and the "current" rule (bulletin.h). */
#include "bulletin.h"

#include <stddef.h>
#include <string.h>

const char *const sd_bulletin_severity_names[] = {"info", "outage", "maintenance"};
const char *const sd_bulletin_state_names[] = {"active", "withdrawn"};

#define OFF(m) offsetof(sd_bulletin_t, m)
#define STR(wire, m, reg, max, fl)                                                                 \
    {                                                                                              \
        wire, SD_F_STR, fl, reg, OFF(m), 0, max, NULL                                              \
    }
#define U64(wire, m, reg)                                                                          \
    {                                                                                              \
        wire, SD_F_U64, 0, reg, OFF(m), 0, 0, NULL                                                 \
    }

static const sd_field_t s_fields[] = {
    U64("created_at", created_at, SD_BLREG_CREATED),
    STR("origin_site", origin_site, SD_BLREG_CREATED, SD_SITE_MAX, SD_F_LINE),
    STR("author", author, SD_BLREG_CREATED, SD_NAME_MAX, SD_F_LINE),
    STR("title", title, SD_BLREG_TITLE, SD_TITLE_MAX, SD_F_LINE | SD_F_NONEMPTY),
    STR("body", body, SD_BLREG_BODY, SD_TEXT_MAX, 0),
    {"severity", SD_F_ENUM, 0, SD_BLREG_SEVERITY, OFF(severity), 0, SD_SEVERITY_COUNT_,
     sd_bulletin_severity_names},
    STR("sites", sites, SD_BLREG_SITES, SD_BULLETIN_SITES_MAX, SD_F_LINE),
    STR("category", category, SD_BLREG_CATEGORY, SD_CATEGORY_MAX, SD_F_LINE),
    U64("valid_from", valid_from, SD_BLREG_WINDOW),
    U64("valid_until", valid_until, SD_BLREG_WINDOW),
    STR("major", major, SD_BLREG_MAJOR, SD_ID_MAX, SD_F_LINE),
    {"state", SD_F_ENUM, 0, SD_BLREG_STATE, OFF(state), 0, SD_BSTATE_COUNT_,
     sd_bulletin_state_names},
};
#define NFIELDS (sizeof s_fields / sizeof s_fields[0])
_Static_assert(NFIELDS <= SD_KIND_FIELDS_MAX, "a bulletin has at most 64 register fields");
_Static_assert(SD_BLREG_COUNT_ <= SD_KIND_REGISTERS_MAX, "too many bulletin registers");

bool sd_bulletin_site_listed(const char *list, const char *site)
{
    size_t n = site ? strlen(site) : 0;
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ",");
        size_t trimmed = len;
        while (trimmed && p[trimmed - 1] == ' ')
            trimmed--;
        if (n && trimmed == n && memcmp(p, site, n) == 0)
            return true;
        p += len;
    }
    return false;
}

bool sd_bulletin_current(const sd_bulletin_t *b, uint64_t now_ms, const char *site, bool major_over)
{
    if (b->state != SD_BSTATE_ACTIVE || now_ms < b->valid_from || now_ms >= b->valid_until)
        return false;
    if (b->major && *b->major && major_over)
        return false;
    return !site || !b->sites || !*b->sites || sd_bulletin_site_listed(b->sites, site);
}

/* ---- the kind -------------------------------------------------------------------------- */

/* The reader's judgement: shown in the client view once worked out. */
static uint32_t s_extra_count(const void *record, bool with_stamps)
{
    const sd_bulletin_t *b = record;
    return !with_stamps && b->judged ? 1 : 0;
}

static void s_encode_extra(const void *record, bool with_stamps, sd_mp_writer_t *w)
{
    const sd_bulletin_t *b = record;
    if (with_stamps || !b->judged)
        return;
    sd_mp_str(w, "current");
    sd_mp_bool(w, b->current);
}

static const char *const s_op_names[SD_BLOP_COUNT_] = {"create", "update", "withdraw"};

const sd_kind_t sd_kind_bulletin = {
    .name = "bulletin",
    .id_counter = "bulletin_no",
    .id_tag = "BL",
    .size = sizeof(sd_bulletin_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = NFIELDS,
    .nregisters = SD_BLREG_COUNT_,
    .create_register = SD_BLREG_CREATED,
    .ops = s_op_names,
    .nops = SD_BLOP_COUNT_,
    .set_op = -1,
    .extra_count = s_extra_count,
    .encode_extra = s_encode_extra,
};
