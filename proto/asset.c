/* asset.c - the asset and vendor kinds: field tables, descriptors, tag and date checks. */
#include "asset.h"

#include "error.h"

#include <stddef.h>
#include <string.h>

const char *const sd_asset_status_names[SD_ASSET_STATUS_COUNT_] = {"in_use", "in_stock", "repair",
                                                                   "retired"};

#define STR(T, wire, m, reg, max, fl)                                                              \
    {                                                                                              \
        wire, SD_F_STR, fl, reg, offsetof(T, m), 0, max, NULL                                      \
    }

/* ---- assets -------------------------------------------------------------------------------- */

#define A sd_asset_t
static const sd_field_t s_asset_fields[] = {
    {"created_at", SD_F_U64, 0, SD_AREG_CREATED, offsetof(A, created_at), 0, 0, NULL},
    STR(A, "origin_site", origin_site, SD_AREG_CREATED, SD_SITE_MAX, SD_F_LINE),
    STR(A, "kind", kind, SD_AREG_KIND, SD_ASSET_KIND_MAX, SD_F_LINE),
    STR(A, "model", model, SD_AREG_MODEL, SD_ASSET_MODEL_MAX, SD_F_LINE),
    STR(A, "serial", serial, SD_AREG_SERIAL, SD_ASSET_MODEL_MAX, SD_F_LINE),
    STR(A, "owner", owner, SD_AREG_PLACE, SD_ID_MAX, SD_F_LINE),
    STR(A, "site", site, SD_AREG_PLACE, SD_SITE_MAX, SD_F_LINE),
    {"status", SD_F_ENUM, 0, SD_AREG_STATUS, offsetof(A, status), 0, SD_ASSET_STATUS_COUNT_,
     sd_asset_status_names},
    STR(A, "warranty_end", warranty_end, SD_AREG_WARRANTY, SD_ASSET_DATE_MAX, SD_F_LINE),
    STR(A, "notes", notes, SD_AREG_NOTES, SD_ASSET_NOTES_MAX, 0),
};

static const char *const s_asset_ops[SD_AOP_COUNT_] = {"create", "update"};

/* By owner (customer.lookup lists a customer's assets) and by serial number. */
static int s_asset_index(const void *record, sd_index_keys_t *keys)
{
    const sd_asset_t *a = record;
    if (a->owner && *a->owner) {
        sd_index_begin(keys, SD_ASSET_INDEX_OWNER);
        sd_index_str(keys, a->owner);
        sd_index_str(keys, a->id);
    }
    if (a->serial && *a->serial) {
        sd_index_begin(keys, SD_ASSET_INDEX_SERIAL);
        sd_index_str(keys, a->serial);
        sd_index_str(keys, a->id);
    }
    return keys->error;
}

const sd_kind_t sd_kind_asset = {
    .name = "asset",
    .id_counter = NULL, /* the id is the tag the create names */
    .size = sizeof(A),
    .id_offset = offsetof(A, id),
    .updated_offset = offsetof(A, updated_at),
    .stamps_offset = offsetof(A, stamps),
    .fields = s_asset_fields,
    .nfields = sizeof s_asset_fields / sizeof s_asset_fields[0],
    .nregisters = SD_AREG_COUNT_,
    .create_register = SD_AREG_CREATED,
    .ops = s_asset_ops,
    .nops = SD_AOP_COUNT_,
    .set_op = -1,
    .index = s_asset_index,
};
#undef A

/* ---- vendors ------------------------------------------------------------------------------- */

#define V sd_vendor_t
static const sd_field_t s_vendor_fields[] = {
    {"created_at", SD_F_U64, 0, SD_VREG_CREATED, offsetof(V, created_at), 0, 0, NULL},
    STR(V, "origin_site", origin_site, SD_VREG_CREATED, SD_SITE_MAX, SD_F_LINE),
    STR(V, "display_name", display_name, SD_VREG_NAME, SD_NAME_MAX, SD_F_LINE),
    STR(V, "terms", terms, SD_VREG_TERMS, SD_ASSET_NOTES_MAX, 0),
    STR(V, "contacts", contacts, SD_VREG_CONTACTS, SD_ASSET_NOTES_MAX, 0),
    STR(V, "escalation_phone", escalation_phone, SD_VREG_ESCALATION, SD_PHONE_MAX, SD_F_LINE),
    STR(V, "escalation_email", escalation_email, SD_VREG_ESCALATION, SD_NAME_MAX, SD_F_LINE),
    STR(V, "notes", notes, SD_VREG_NOTES, SD_ASSET_NOTES_MAX, 0),
};

static const char *const s_vendor_ops[SD_VOP_COUNT_] = {"create", "update"};

const sd_kind_t sd_kind_vendor = {
    .name = "vendor",
    .id_counter = NULL, /* the id is the name the create gives */
    .size = sizeof(V),
    .id_offset = offsetof(V, id),
    .updated_offset = offsetof(V, updated_at),
    .stamps_offset = offsetof(V, stamps),
    .fields = s_vendor_fields,
    .nfields = sizeof s_vendor_fields / sizeof s_vendor_fields[0],
    .nregisters = SD_VREG_COUNT_,
    .create_register = SD_VREG_CREATED,
    .ops = s_vendor_ops,
    .nops = SD_VOP_COUNT_,
    .set_op = -1,
};
#undef V

/* ---- checks -------------------------------------------------------------------------------- */

static bool s_tag_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

static bool s_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int sd_asset_tag_check(const char *tag, const char *where, sd_fault_t *fault)
{
    size_t n = strlen(tag);
    bool ok = n >= 1 && n <= SD_ID_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = s_tag_char(tag[i]);
    if (!ok)
        return sd_fault_set(fault, SD_ERANGE,
                            "%s: '%s' is not an asset tag (1 to %d of A-Z a-z 0-9 . _ -)", where,
                            tag, SD_ID_MAX);
    return 0;
}

int sd_asset_tags_check(const char *list, const char *where, sd_fault_t *fault)
{
    char tag[SD_ID_MAX + 2];
    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, ",");
        size_t n = len;
        while (n && p[n - 1] == ' ')
            n--;
        if (n > SD_ID_MAX)
            n = SD_ID_MAX + 1; /* too long: checked below as such */
        memcpy(tag, p, n);
        tag[n] = 0;
        int rc = sd_asset_tag_check(tag, where, fault);
        if (rc)
            return rc;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

bool sd_customer_id_shape(const char *id)
{
    const char *tag = NULL; /* the last "-C-": a site id may hold one too */
    for (const char *p = strstr(id, "-C-"); p; p = strstr(p + 1, "-C-"))
        tag = p;
    if (!tag || tag == id || tag - id > SD_SITE_MAX)
        return false;
    char site[SD_SITE_MAX + 1];
    memcpy(site, id, (size_t)(tag - id));
    site[tag - id] = 0;
    size_t n = strlen(tag + 3);
    return sd_site_valid(site) && n >= 6 && strlen(id) <= SD_ID_MAX && s_digits(tag + 3, n);
}

bool sd_asset_date_valid(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !s_digits(s, 4) || !s_digits(s + 5, 2) ||
        !s_digits(s + 8, 2))
        return false;
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
