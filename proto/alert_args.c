/* alert_args.c - the alert group's field table. */
#include "alert.h"
#include "alert_args.h"
#include "args_table.h"
#include "sizes.h"

#define T sd_alert_args_t
const sd_field_t sd_alert_args_fields[SD_ARG_ALERT_COUNT_] = {
    [SD_ARG_ALERT_ID] = STR(T, id, SD_ID_MAX, LINE1),
    [SD_ARG_ALERT_SOURCE] = STR(T, source, SD_ALERT_SOURCE_MAX, LINE1),
    [SD_ARG_ALERT_KEY] = STR(T, key, SD_ALERT_KEY_MAX, LINE1),
    [SD_ARG_ALERT_STATUS] = ENUM(T, status, sd_alert_state_names, SD_ALERT_STATE_COUNT_),
    [SD_ARG_ALERT_TITLE] = STR(T, title, SD_TITLE_MAX, LINE1),
    [SD_ARG_ALERT_DESCRIPTION] = STR(T, description, SD_TEXT_MAX, 0),
    [SD_ARG_ALERT_SEVERITY] = STR(T, severity, SD_ALERT_SEVERITY_MAX, SD_F_LINE),
    [SD_ARG_ALERT_LABELS] = STR(T, labels, SD_ALERT_LABELS_MAX, 0),
    [SD_ARG_ALERT_URL] = STR(T, url, SD_ALERT_URL_MAX, SD_F_LINE),
    [SD_ARG_ALERT_IMPACT] = INT(T, impact, 1, 3),
    [SD_ARG_ALERT_URGENCY] = INT(T, urgency, 1, 3),
    [SD_ARG_ALERT_TEAM] = STR(T, team, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_ALERT_CATEGORY] = STR(T, category, SD_CATEGORY_MAX, SD_F_LINE),
    [SD_ARG_ALERT_FLAP_WINDOW] = INT(T, flap_window, 0, 604800),
    [SD_ARG_ALERT_STATE] = ENUM(T, state, sd_alert_state_names, SD_ALERT_STATE_COUNT_),
    [SD_ARG_ALERT_TICKET] = STR(T, ticket, SD_ID_MAX, LINE1),
    [SD_ARG_ALERT_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_ALERT_AFTER] = STR(T, after, SD_ID_MAX, SD_F_LINE),
};
#undef T
