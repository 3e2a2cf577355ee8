/* ticket_args.c - the ticket group's field table: names, types and limits on the wire. */
#include "args_table.h"
#include "asset.h"
#include "sizes.h"
#include "ticket.h"
#include "ticket_args.h"
#include "user.h"

#define T sd_ticket_args_t
const sd_field_t sd_ticket_args_fields[SD_ARG_TICKET_COUNT_] = {
    [SD_ARG_TICKET_ID] = STR(T, id, SD_ID_MAX, LINE1),
    [SD_ARG_TICKET_TYPE] = ENUM(T, type, sd_type_names, SD_TYPE_COUNT_),
    [SD_ARG_TICKET_MAJOR] = SCALAR(T, "major", SD_F_BOOL, major),
    [SD_ARG_TICKET_TITLE] = STR(T, title, SD_TITLE_MAX, LINE1),
    [SD_ARG_TICKET_DESCRIPTION] = STR(T, description, SD_TEXT_MAX, 0),
    [SD_ARG_TICKET_REQUESTER] = STR(T, requester, SD_NAME_MAX, LINE1),
    [SD_ARG_TICKET_CHANNEL] = ENUM(T, channel, sd_channel_names, SD_CHANNEL_COUNT_),
    [SD_ARG_TICKET_CATEGORY] = STR(T, category, SD_CATEGORY_MAX, SD_F_LINE),
    [SD_ARG_TICKET_IMPACT] = INT(T, impact, 1, 3),
    [SD_ARG_TICKET_URGENCY] = INT(T, urgency, 1, 3),
    [SD_ARG_TICKET_TIER] = ENUM(T, tier, sd_tier_names, SD_TIER_COUNT_),
    [SD_ARG_TICKET_TEAM] = STR(T, team, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_TICKET_ASSIGNEE] = STR(T, assignee, SD_NAME_MAX, LINE1),
    [SD_ARG_TICKET_REPLY_DUE] = SCALAR(T, "reply_due", SD_F_U64, reply_due),
    [SD_ARG_TICKET_WAITING_ON] = ENUM(T, waiting_on, sd_wait_names, SD_WAIT_COUNT_),
    [SD_ARG_TICKET_REASON] = STR(T, reason, SD_TEXT_MAX, 0),
    [SD_ARG_TICKET_RESOLUTION] = STR(T, resolution, SD_TEXT_MAX, SD_F_NONEMPTY),
    [SD_ARG_TICKET_SATISFACTION] = INT(T, satisfaction, 1, 5),
    [SD_ARG_TICKET_FEEDBACK] = STR(T, feedback, SD_NOTE_MAX, 0),
    [SD_ARG_TICKET_BODY] = STR(T, body, SD_COMMENT_MAX, SD_F_NONEMPTY),
    [SD_ARG_TICKET_PUBLIC] = SCALAR(T, "public", SD_F_BOOL, public_reply),
    [SD_ARG_TICKET_STATUS] = ENUM(T, status, sd_status_names, SD_STATUS_COUNT_),
    [SD_ARG_TICKET_PRIORITY] = ENUM(T, priority, sd_priority_names, SD_PRIORITY_COUNT_),
    [SD_ARG_TICKET_OPEN] = SCALAR(T, "open", SD_F_BOOL, open),
    [SD_ARG_TICKET_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_TICKET_AFTER] = STR(T, after, SD_ID_MAX, SD_F_LINE),
    [SD_ARG_TICKET_FOLLOW_SUN] = SCALAR(T, "follow_sun", SD_F_BOOL, follow_sun),
    [SD_ARG_TICKET_SITE] = STR(T, site, SD_SITE_MAX, LINE1),
    [SD_ARG_TICKET_NOTE] = STR(T, note, SD_TEXT_MAX, 0),
    [SD_ARG_TICKET_SLA] = ENUM(T, sla, sd_sla_names, SD_SLA_COUNT_),
    [SD_ARG_TICKET_CUSTOMER] = STR(T, customer, SD_ID_MAX, LINE1),
    [SD_ARG_TICKET_PHONE] = STR(T, phone, SD_PHONE_MAX, LINE1),
    [SD_ARG_TICKET_EMAIL] = STR(T, email, SD_NAME_MAX, LINE1),
    [SD_ARG_TICKET_ASSETS] = STR(T, assets, SD_ASSETS_LIST_MAX, SD_F_LINE),
    [SD_ARG_TICKET_VENDOR] = STR(T, vendor, SD_LOGIN_MAX, LINE1),
    [SD_ARG_TICKET_VENDOR_REF] = STR(T, vendor_ref, SD_VENDOR_REF_MAX, SD_F_LINE),
    [SD_ARG_TICKET_ARTICLE] = STR(T, article, SD_ID_MAX, LINE1),
};
#undef T
