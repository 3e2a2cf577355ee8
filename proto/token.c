/* token.c - the API token kind's field table and descriptor. */
#include "token.h"

#include <stddef.h>

#define OFF(m) offsetof(sd_token_t, m)
#define LINE1  (SD_F_LINE | SD_F_NONEMPTY)

static const sd_field_t s_fields[] = {
    {"created_at", SD_F_U64, 0, SD_KREG_CREATED, OFF(created_at), 0, 0, NULL},
    {"origin_site", SD_F_STR, SD_F_LINE, SD_KREG_CREATED, OFF(origin_site), 0, SD_SITE_MAX, NULL},
    {"user", SD_F_STR, LINE1, SD_KREG_CREATED, OFF(user), 0, SD_ID_MAX, NULL},
    {"name", SD_F_STR, SD_F_LINE, SD_KREG_CREATED, OFF(name), 0, SD_NAME_MAX, NULL},
    {"hash", SD_F_STR, LINE1 | SD_F_SECRET, SD_KREG_CREATED, OFF(hash), 0, SD_TOKEN_HASH_HEX, NULL},
    {"expires_at", SD_F_U64, 0, SD_KREG_CREATED, OFF(expires_at), 0, 0, NULL},
    {"revoked_at", SD_F_U64, SD_F_MAX, SD_KREG_REVOKED, OFF(revoked_at), 0, 0, NULL},
};

/* The hash of the secret, so a presented token finds its record without a scan. */
static int s_index(const void *record, sd_index_keys_t *keys)
{
    const sd_token_t *t = record;
    if (t->hash) {
        sd_index_begin(keys, SD_TOKEN_INDEX_HASH);
        sd_index_str(keys, t->hash);
        sd_index_str(keys, t->id);
    }
    return keys->error;
}

static const char *const s_op_names[SD_KOP_COUNT_] = {"create", "revoke"};

const sd_kind_t sd_kind_token = {
    .name = "token",
    .id_counter = "token_no",
    .id_tag = "TOK",
    .size = sizeof(sd_token_t),
    .id_offset = OFF(id),
    .updated_offset = OFF(updated_at),
    .stamps_offset = OFF(stamps),
    .fields = s_fields,
    .nfields = sizeof s_fields / sizeof s_fields[0],
    .nregisters = SD_KREG_COUNT_,
    .create_register = SD_KREG_CREATED,
    .ops = s_op_names,
    .nops = SD_KOP_COUNT_,
    .set_op = -1,
    .index = s_index,
};
