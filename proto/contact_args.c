/* contact_args.c - the field tables of the contact and major groups. */
#include "contact_args.h"

#include "args_table.h"
#include "contact.h"
#include "major.h"
#include "sizes.h"
#include "user.h"

#define T sd_contact_args_t
const sd_field_t sd_contact_args_fields[SD_ARG_CONTACT_COUNT_] = {
    [SD_ARG_CONTACT_ID] = STR(T, id, SD_ID_MAX, LINE1),
    [SD_ARG_CONTACT_CUSTOMER] = STR(T, customer, SD_ID_MAX, SD_F_LINE),
    [SD_ARG_CONTACT_TICKET] = STR(T, ticket, SD_ID_MAX, SD_F_LINE),
    [SD_ARG_CONTACT_CHANNEL] =
        ENUM(T, channel, sd_contact_channel_names, SD_CONTACT_CHANNEL_COUNT_),
    [SD_ARG_CONTACT_DIRECTION] =
        ENUM(T, direction, sd_contact_direction_names, SD_CONTACT_DIRECTION_COUNT_),
    [SD_ARG_CONTACT_AT] = SCALAR(T, "at", SD_F_U64, at),
    [SD_ARG_CONTACT_FROM] = STR(T, from, SD_CONTACT_ADDRESS_MAX, SD_F_LINE),
    [SD_ARG_CONTACT_TO] = STR(T, to, SD_CONTACT_ADDRESS_MAX, SD_F_LINE),
    [SD_ARG_CONTACT_CALL_ID] = STR(T, call_id, SD_CONTACT_CALL_ID_MAX, LINE1),
    [SD_ARG_CONTACT_AGENT] = STR(T, agent, SD_LOGIN_MAX, LINE1),
    [SD_ARG_CONTACT_SUMMARY] = STR(T, summary, SD_CONTACT_SUMMARY_MAX, 0),
    [SD_ARG_CONTACT_OUTCOME] = STR(T, outcome, SD_CONTACT_OUTCOME_MAX, SD_F_LINE),
    [SD_ARG_CONTACT_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_CONTACT_AFTER] = STR(T, after, SD_ID_MAX, LINE1),
};
#undef T

#define T sd_major_args_t
const sd_field_t sd_major_args_fields[SD_ARG_MAJOR_COUNT_] = {
    [SD_ARG_MAJOR_ID] = STR(T, id, SD_LOGIN_MAX, LINE1),
    [SD_ARG_MAJOR_CATEGORY] = STR(T, category, SD_CATEGORY_MAX, LINE1),
    [SD_ARG_MAJOR_SITE] = STR(T, site, SD_SITE_MAX, LINE1),
    [SD_ARG_MAJOR_SERVICE] = STR(T, service, SD_MAJOR_SERVICE_MAX, SD_F_LINE),
    [SD_ARG_MAJOR_NOTIFY] = STR(T, notify, SD_MAJOR_NOTIFY_MAX, LINE1),
    [SD_ARG_MAJOR_NOTE] = STR(T, note, SD_NOTE_MAX, 0),
    [SD_ARG_MAJOR_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_MAJOR_AFTER] = STR(T, after, SD_ID_MAX, LINE1),
};
#undef T
