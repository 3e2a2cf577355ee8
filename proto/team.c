/* team.c - the team kind's field table and descriptor. */
#include "team.h"

#include "ticket.h"

#include <stddef.h>

#define OFF(m) offsetof(sd_team_t, m)

static const sd_field_t s_fields[] = {
    {"created_at", SD_F_U64, 0, SD_TREG_CREATED, OFF(created_at), 0, 0, NULL},
    {"origin_site", SD_F_STR, SD_F_LINE, SD_TREG_CREATED, OFF(origin_site), 0, SD_SITE_MAX, NULL},
    {"display_name", SD_F_STR, SD_F_LINE, SD_TREG_NAME, OFF(display_name), 0, SD_NAME_MAX, NULL},
    {"site", SD_F_STR, SD_F_LINE, SD_TREG_SITE, OFF(site), 0, SD_SITE_MAX, NULL},
    {"tier", SD_F_ENUM, 0, SD_TREG_TIER, OFF(tier), 0, SD_TIER_COUNT_, sd_tier_names},
    {"manager", SD_F_STR, SD_F_LINE, SD_TREG_MANAGER, OFF(manager), 0, SD_ID_MAX, NULL},
};

static const char *const s_op_names[SD_TOP_COUNT_] = {"create", "update"};

const sd_kind_t sd_kind_team = {
    .name = "team",
    .id_counter = NULL, /* the id is the name the create gives */
    .size = sizeof(sd_team_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = sizeof s_fields / sizeof s_fields[0],
    .nregisters = SD_TREG_COUNT_,
    .create_register = SD_TREG_CREATED,
    .ops = s_op_names,
    .nops = SD_TOP_COUNT_,
    .set_op = -1,
};
