/* oncall_kind.c - the on-call override kind: field table and descriptor (oncall_kind.h). */
#include "oncall_kind.h"

#include <stddef.h>

#define OFF(m) offsetof(sd_oncall_t, m)
#define STR(n, reg, max, fl)                                                                       \
    {                                                                                              \
#n, SD_F_STR, fl, reg, OFF(n), 0, max, NULL                                                \
    }

static const sd_field_t s_fields[] = {
    {"created_at", SD_F_U64, 0, SD_OREG_CREATED, OFF(created_at), 0, 0, NULL},
    STR(origin_site, SD_OREG_CREATED, SD_SITE_MAX, SD_F_LINE),
    STR(roster, SD_OREG_SPAN, SD_NAME_MAX, SD_F_LINE),
    STR(login, SD_OREG_SPAN, SD_NAME_MAX, SD_F_LINE),
    {"from_at", SD_F_U64, 0, SD_OREG_SPAN, OFF(from_at), 0, 0, NULL},
    {"until_at", SD_F_U64, 0, SD_OREG_SPAN, OFF(until_at), 0, 0, NULL},
    STR(reason, SD_OREG_SPAN, SD_NOTE_MAX, 0),
    {"cancelled", SD_F_BOOL, 0, SD_OREG_CANCEL, OFF(cancelled), 0, 0, NULL},
    STR(cancel_reason, SD_OREG_CANCEL, SD_NOTE_MAX, 0),
};

static const char *const s_op_names[SD_OOP_COUNT_] = {"create", "cancel"};

const sd_kind_t sd_kind_oncall = {
    .name = "oncall",
    .id_counter = "oncall_no",
    .id_tag = "O",
    .size = sizeof(sd_oncall_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = sizeof s_fields / sizeof s_fields[0],
    .nregisters = SD_OREG_COUNT_,
    .create_register = SD_OREG_CREATED,
    .ops = s_op_names,
    .nops = SD_OOP_COUNT_,
    .set_op = -1,
};
