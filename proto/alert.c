/* alert.c - the alert kind: field table, id, indexes (alert.h). */
#include "alert.h"

#include "digest.h"
#include "error.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const sd_alert_state_names[] = {"firing", "acknowledged", "resolved"};

#define OFF(m) offsetof(sd_alert_t, m)
#define STR(wire, m, reg, max, fl)                                                                 \
    {                                                                                              \
        wire, SD_F_STR, fl, reg, OFF(m), 0, max, NULL                                              \
    }
#define U64(wire, m, reg)                                                                          \
    {                                                                                              \
        wire, SD_F_U64, 0, reg, OFF(m), 0, 0, NULL                                                 \
    }

static const sd_field_t s_fields[] = {
    U64("created_at", created_at, SD_ALREG_CREATED),
    STR("origin_site", origin_site, SD_ALREG_CREATED, SD_SITE_MAX, SD_F_LINE),
    STR("source", source, SD_ALREG_CREATED, SD_ALERT_SOURCE_MAX, SD_F_LINE),
    STR("key", key, SD_ALREG_CREATED, SD_ALERT_KEY_MAX, SD_F_LINE),
    STR("title", title, SD_ALREG_DESC, SD_TITLE_MAX, SD_F_LINE),
    STR("description", description, SD_ALREG_DESC, SD_TEXT_MAX, 0),
    STR("severity", severity, SD_ALREG_DESC, SD_ALERT_SEVERITY_MAX, SD_F_LINE),
    STR("labels", labels, SD_ALREG_DESC, SD_ALERT_LABELS_MAX, 0),
    STR("url", url, SD_ALREG_DESC, SD_ALERT_URL_MAX, SD_F_LINE),
    {"state", SD_F_ENUM, 0, SD_ALREG_STATE, OFF(state), 0, SD_ALERT_STATE_COUNT_,
     sd_alert_state_names},
    U64("fired_at", fired_at, SD_ALREG_STATE),
    U64("acked_at", acked_at, SD_ALREG_STATE),
    U64("resolved_at", resolved_at, SD_ALREG_STATE),
    U64("fires", fires, SD_ALREG_STATE),
    STR("ticket", ticket, SD_ALREG_TICKET, SD_ID_MAX, SD_F_LINE),
};
#define NFIELDS (sizeof s_fields / sizeof s_fields[0])
_Static_assert(NFIELDS <= SD_KIND_FIELDS_MAX, "an alert has at most 64 register fields");
_Static_assert(SD_ALREG_COUNT_ <= SD_KIND_REGISTERS_MAX, "too many alert registers");

int sd_alert_id_for(const char *source, const char *key, char id[SD_ID_MAX + 1])
{
    if (!source || !*source || !key || !*key)
        return SD_EINVAL;
    char hex[2 * 16 + 1]; /* BLAKE2b-128 */
    if (sd_hash_pair_hex(source, key, 16, hex) != 0)
        return SD_EINVAL;
    _Static_assert(3 + SD_ALERT_ID_HEX <= SD_ID_MAX, "an alert id fits SD_ID_MAX");
    snprintf(id, SD_ID_MAX + 1, "AL-%.*s", SD_ALERT_ID_HEX, hex);
    return 0;
}

int sd_alert_state_value(const char *name)
{
    for (int i = 0; name && i < SD_ALERT_STATE_COUNT_; i++)
        if (!strcmp(name, sd_alert_state_names[i]))
            return i;
    return -1;
}

/* ---- the kind -------------------------------------------------------------------------- */

static const char *const s_op_names[SD_ALOP_COUNT_] = {"create", "fire", "ack", "resolve"};

static int s_index(const void *record, sd_index_keys_t *keys)
{
    const sd_alert_t *a = record;
    if (a->ticket && *a->ticket) {
        sd_index_begin(keys, SD_ALERT_INDEX_TICKET);
        sd_index_str(keys, a->ticket);
        sd_index_str(keys, a->id);
    }
    if (a->source && *a->source) {
        sd_index_begin(keys, SD_ALERT_INDEX_SOURCE);
        sd_index_str(keys, a->source);
        sd_index_str(keys, a->id);
    }
    return keys->error;
}

const sd_kind_t sd_kind_alert = {
    .name = "alert",
    .size = sizeof(sd_alert_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = NFIELDS,
    .nregisters = SD_ALREG_COUNT_,
    .create_register = SD_ALREG_CREATED,
    .ops = s_op_names,
    .nops = SD_ALOP_COUNT_,
    .set_op = -1,
    .index = s_index,
};
