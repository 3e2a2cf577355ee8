/* customer_args.c - the customer group's field table. */
#include "args_table.h"
#include "customer.h"
#include "customer_args.h"
#include "sizes.h"

#define T sd_customer_args_t
const sd_field_t sd_customer_args_fields[SD_ARG_CUSTOMER_COUNT_] = {
    [SD_ARG_CUSTOMER_ID] = STR(T, id, SD_ID_MAX, LINE1),
    [SD_ARG_CUSTOMER_NAME] = STR(T, name, SD_NAME_MAX, LINE1),
    [SD_ARG_CUSTOMER_ORGANISATION] = STR(T, organisation, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_CUSTOMER_DEPARTMENT] = STR(T, department, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_CUSTOMER_EMAILS] = STR(T, emails, SD_CUSTOMER_LIST_MAX, SD_F_LINE),
    [SD_ARG_CUSTOMER_PHONES] = STR(T, phones, SD_CUSTOMER_LIST_MAX, SD_F_LINE),
    [SD_ARG_CUSTOMER_LANGUAGE] = STR(T, language, SD_LANG_MAX, SD_F_LINE),
    [SD_ARG_CUSTOMER_TIME_ZONE] = STR(T, time_zone, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_CUSTOMER_HOME_SITE] = STR(T, home_site, SD_SITE_MAX, LINE1),
    [SD_ARG_CUSTOMER_VIP] = SCALAR(T, "vip", SD_F_BOOL, vip),
    [SD_ARG_CUSTOMER_NOTES] = STR(T, notes, SD_NOTE_MAX, 0),
    [SD_ARG_CUSTOMER_USER] = STR(T, user, SD_ID_MAX, SD_F_LINE),
    [SD_ARG_CUSTOMER_INTO] = STR(T, into, SD_ID_MAX, LINE1),
    [SD_ARG_CUSTOMER_PHONE] = STR(T, phone, SD_PHONE_MAX, LINE1),
    [SD_ARG_CUSTOMER_EMAIL] = STR(T, email, SD_NAME_MAX, LINE1),
    [SD_ARG_CUSTOMER_SITE] = STR(T, site, SD_SITE_MAX, LINE1),
    [SD_ARG_CUSTOMER_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_CUSTOMER_AFTER] = STR(T, after, SD_ID_MAX, SD_F_LINE),
};
#undef T
