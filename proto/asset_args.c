/* asset_args.c - the field tables of the asset and vendor groups. */
#include "asset_args.h"
#include "user.h"

#include "args_table.h"
#include "asset.h"
#include "sizes.h"

#define T sd_asset_args_t
const sd_field_t sd_asset_args_fields[SD_ARG_ASSET_COUNT_] = {
    [SD_ARG_ASSET_ID] = STR(T, id, SD_ID_MAX, LINE1),
    [SD_ARG_ASSET_KIND] = STR(T, kind, SD_ASSET_KIND_MAX, LINE1),
    [SD_ARG_ASSET_MODEL] = STR(T, model, SD_ASSET_MODEL_MAX, SD_F_LINE),
    [SD_ARG_ASSET_SERIAL] = STR(T, serial, SD_ASSET_MODEL_MAX, SD_F_LINE),
    [SD_ARG_ASSET_OWNER] = STR(T, owner, SD_ID_MAX, SD_F_LINE),
    [SD_ARG_ASSET_SITE] = STR(T, site, SD_SITE_MAX, LINE1),
    [SD_ARG_ASSET_STATUS] = ENUM(T, status, sd_asset_status_names, SD_ASSET_STATUS_COUNT_),
    [SD_ARG_ASSET_WARRANTY_END] = STR(T, warranty_end, SD_ASSET_DATE_MAX, SD_F_LINE),
    [SD_ARG_ASSET_NOTES] = STR(T, notes, SD_ASSET_NOTES_MAX, 0),
    [SD_ARG_ASSET_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_ASSET_AFTER] = STR(T, after, SD_ID_MAX, LINE1),
};
#undef T

#define T sd_vendor_args_t
const sd_field_t sd_vendor_args_fields[SD_ARG_VENDOR_COUNT_] = {
    [SD_ARG_VENDOR_ID] = STR(T, id, SD_LOGIN_MAX, LINE1),
    [SD_ARG_VENDOR_DISPLAY_NAME] = STR(T, display_name, SD_NAME_MAX, LINE1),
    [SD_ARG_VENDOR_TERMS] = STR(T, terms, SD_ASSET_NOTES_MAX, 0),
    [SD_ARG_VENDOR_CONTACTS] = STR(T, contacts, SD_ASSET_NOTES_MAX, 0),
    [SD_ARG_VENDOR_ESCALATION_PHONE] = STR(T, escalation_phone, SD_PHONE_MAX, SD_F_LINE),
    [SD_ARG_VENDOR_ESCALATION_EMAIL] = STR(T, escalation_email, SD_NAME_MAX, SD_F_LINE),
    [SD_ARG_VENDOR_NOTES] = STR(T, notes, SD_ASSET_NOTES_MAX, 0),
    [SD_ARG_VENDOR_LIMIT] = INT(T, limit, 1, SD_LIST_MAX),
    [SD_ARG_VENDOR_AFTER] = STR(T, after, SD_ID_MAX, LINE1),
};
#undef T
