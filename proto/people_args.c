/* people_args.c - the field tables of the user, team, token and audit groups. */
#include "args_table.h"
#include "people_args.h"
#include "sizes.h"
#include "ticket.h"
#include "user.h"

#define T sd_user_args_t
const sd_field_t sd_user_args_fields[SD_ARG_USER_COUNT_] = {
    [SD_ARG_USER_ID] = STR(T, id, SD_LOGIN_MAX, LINE1),
    [SD_ARG_USER_DISPLAY_NAME] = STR(T, display_name, SD_NAME_MAX, LINE1),
    [SD_ARG_USER_EMAIL] = STR(T, email, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_USER_PHONE] = STR(T, phone, SD_PHONE_MAX, SD_F_LINE),
    [SD_ARG_USER_LANGUAGE] = STR(T, language, SD_LANG_MAX, SD_F_LINE),
    [SD_ARG_USER_TIME_ZONE] = STR(T, time_zone, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_USER_HOME_SITE] = STR(T, home_site, SD_SITE_MAX, LINE1),
    [SD_ARG_USER_TEAMS] = STR(T, teams, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_USER_TIER] = ENUM(T, tier, sd_tier_names, SD_TIER_COUNT_),
    [SD_ARG_USER_ROLE] = ENUM(T, role, sd_role_names, SD_ROLE_COUNT_),
    [SD_ARG_USER_SITES] = STR(T, sites, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_USER_UNIX] = {"unix", SD_F_STR, SD_F_LINE, 0, offsetof(T, unix_name), 0, SD_LOGIN_MAX,
                          NULL},
    [SD_ARG_USER_PASSWORD] = STR(T, password, SD_PASSWORD_MAX, LINE1),
    [SD_ARG_USER_REASON] = STR(T, reason, SD_TEXT_MAX, 0),
    [SD_ARG_USER_SITE] = STR(T, site, SD_SITE_MAX, LINE1),
    [SD_ARG_USER_TEAM] = STR(T, team, SD_ID_MAX, LINE1),
    [SD_ARG_USER_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_USER_AFTER] = STR(T, after, SD_ID_MAX, LINE1),
};
#undef T

#define T sd_team_args_t
const sd_field_t sd_team_args_fields[SD_ARG_TEAM_COUNT_] = {
    [SD_ARG_TEAM_ID] = STR(T, id, SD_LOGIN_MAX, LINE1),
    [SD_ARG_TEAM_DISPLAY_NAME] = STR(T, display_name, SD_NAME_MAX, LINE1),
    [SD_ARG_TEAM_SITE] = STR(T, site, SD_SITE_MAX, LINE1),
    [SD_ARG_TEAM_TIER] = ENUM(T, tier, sd_tier_names, SD_TIER_COUNT_),
    [SD_ARG_TEAM_MANAGER] = STR(T, manager, SD_LOGIN_MAX, LINE1),
    [SD_ARG_TEAM_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_TEAM_AFTER] = STR(T, after, SD_ID_MAX, LINE1),
};
#undef T

#define T sd_token_args_t
const sd_field_t sd_token_args_fields[SD_ARG_TOKEN_COUNT_] = {
    [SD_ARG_TOKEN_ID] = STR(T, id, SD_ID_MAX, LINE1),
    [SD_ARG_TOKEN_USER] = STR(T, user, SD_LOGIN_MAX, LINE1),
    [SD_ARG_TOKEN_NAME] = STR(T, name, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_TOKEN_DAYS] = INT(T, days, 1, 3650),
    [SD_ARG_TOKEN_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_TOKEN_AFTER] = STR(T, after, SD_ID_MAX, LINE1),
};
#undef T

#define T sd_audit_args_t
const sd_field_t sd_audit_args_fields[SD_ARG_AUDIT_COUNT_] = {
    [SD_ARG_AUDIT_USER] = STR(T, user, SD_NAME_MAX, LINE1),
    [SD_ARG_AUDIT_SINCE] = SCALAR(T, "since", SD_F_U64, since),
    [SD_ARG_AUDIT_UNTIL] = SCALAR(T, "until", SD_F_U64, until),
    [SD_ARG_AUDIT_TICKET] = STR(T, ticket, SD_ID_MAX, LINE1),
    [SD_ARG_AUDIT_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
};
#undef T
