/* contact.c - the contact kind's field table, index entries and descriptor. */
#include "contact.h"

#include "error.h"

#include <string.h>

const char *const sd_contact_channel_names[SD_CONTACT_CHANNEL_COUNT_] = {"call", "email", "chat",
                                                                         "walk_in", "portal"};
const char *const sd_contact_direction_names[SD_CONTACT_DIRECTION_COUNT_] = {"in", "out"};

#define OFF(m) offsetof(sd_contact_t, m)
#define STR(n, reg, max)                                                                           \
    {                                                                                              \
#n, SD_F_STR, SD_F_LINE, reg, OFF(n), 0, max, NULL                                         \
    }
#define U64(n, reg)                                                                                \
    {                                                                                              \
#n, SD_F_U64, 0, reg, OFF(n), 0, 0, NULL                                                   \
    }

static const sd_field_t s_fields[] = {
    U64(created_at, SD_CTREG_CREATED),
    STR(origin_site, SD_CTREG_CREATED, SD_SITE_MAX),
    {"channel", SD_F_ENUM, 0, SD_CTREG_CREATED, OFF(channel), 0, SD_CONTACT_CHANNEL_COUNT_,
     sd_contact_channel_names},
    {"direction", SD_F_ENUM, 0, SD_CTREG_CREATED, OFF(direction), 0, SD_CONTACT_DIRECTION_COUNT_,
     sd_contact_direction_names},
    U64(at, SD_CTREG_CREATED),
    STR(from, SD_CTREG_CREATED, SD_CONTACT_ADDRESS_MAX),
    STR(to, SD_CTREG_CREATED, SD_CONTACT_ADDRESS_MAX),
    STR(call_id, SD_CTREG_CREATED, SD_CONTACT_CALL_ID_MAX),
    STR(agent, SD_CTREG_CREATED, SD_NAME_MAX),
    STR(customer, SD_CTREG_CUSTOMER, SD_ID_MAX),
    STR(ticket, SD_CTREG_TICKET, SD_ID_MAX),
    {"summary", SD_F_STR, 0, SD_CTREG_SUMMARY, OFF(summary), 0, SD_CONTACT_SUMMARY_MAX, NULL},
    STR(outcome, SD_CTREG_OUTCOME, SD_CONTACT_OUTCOME_MAX),
    U64(answered_at, SD_CTREG_OUTCOME),
    U64(ended_at, SD_CTREG_OUTCOME),
    U64(duration, SD_CTREG_OUTCOME),
};

/* "index, part, ~at, id": newest first within one part. */
static void s_entry(sd_index_keys_t *keys, const char *index, const char *part,
                    const sd_contact_t *c)
{
    if (!part || !*part)
        return;
    sd_index_begin(keys, index);
    sd_index_str(keys, part);
    sd_index_u64(keys, ~c->at);
    sd_index_str(keys, c->id);
}

static int s_index(const void *record, sd_index_keys_t *keys)
{
    const sd_contact_t *c = record;
    s_entry(keys, SD_CONTACT_INDEX_CUSTOMER, c->customer, c);
    s_entry(keys, SD_CONTACT_INDEX_TICKET, c->ticket, c);
    s_entry(keys, SD_CONTACT_INDEX_CALL, c->call_id, c);
    sd_index_begin(keys, SD_CONTACT_INDEX_AT);
    sd_index_str(keys, "");
    sd_index_u64(keys, ~c->at);
    sd_index_str(keys, c->id);
    return keys->error;
}

int sd_contact_index_rest(const char *rest, size_t len, char id[SD_ID_MAX + 1], uint64_t *at)
{
    if (len < 10 || len > 8 + SD_ID_MAX + 1 || rest[len - 1] != 0 ||
        memchr(rest + 8, 0, len - 9) != NULL)
        return SD_ECORRUPT;
    if (at)
        *at = ~sd_index_get_be64((const uint8_t *)rest);
    memcpy(id, rest + 8, len - 8);
    return 0;
}

static const char *const s_op_names[SD_CTOP_COUNT_] = {"create", "update"};

_Static_assert(sizeof s_fields / sizeof s_fields[0] <= SD_KIND_FIELDS_MAX, "too many fields");

const sd_kind_t sd_kind_contact = {
    .name = "contact",
    .id_counter = "contact_no",
    .id_tag = "CT",
    .size = sizeof(sd_contact_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = sizeof s_fields / sizeof s_fields[0],
    .nregisters = SD_CTREG_COUNT_,
    .create_register = SD_CTREG_CREATED,
    .ops = s_op_names,
    .nops = SD_CTOP_COUNT_,
    .set_op = -1,
    .index = s_index,
};
