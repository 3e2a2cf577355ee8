/* asset_args.h - the argument groups of the asset ops (asset.*) and the vendor ops (vendor.*).
 * See args.h for how groups work. */
#ifndef SD_ASSET_ARGS_H
#define SD_ASSET_ARGS_H

#include "mp.h"

/* ---- asset --------------------------------------------------------------- */

typedef enum {
    SD_ARG_ASSET_ID,
    SD_ARG_ASSET_KIND,
    SD_ARG_ASSET_MODEL,
    SD_ARG_ASSET_SERIAL,
    SD_ARG_ASSET_OWNER,
    SD_ARG_ASSET_SITE,
    SD_ARG_ASSET_STATUS,
    SD_ARG_ASSET_WARRANTY_END,
    SD_ARG_ASSET_NOTES,
    SD_ARG_ASSET_LIMIT,
    SD_ARG_ASSET_AFTER,
    SD_ARG_ASSET_COUNT_
} sd_asset_arg_t;

/* Arguments of the asset ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;           /* asset tag */
    char *kind;         /* laptop, phone, ...; list filter */
    char *model;        /* model */
    char *serial;       /* serial number */
    char *owner;        /* customer id ("" for none); list filter */
    char *site;         /* its site; list filter */
    int status;         /* sd_asset_status_t; list filter */
    char *warranty_end; /* "YYYY-MM-DD" ("" for unknown) */
    char *notes;        /* free text */
    int limit;          /* list: most assets */
    char *after;        /* list: resume after this tag */
} sd_asset_args_t;

extern const sd_field_t sd_asset_args_fields[SD_ARG_ASSET_COUNT_];

/* ---- vendor -------------------------------------------------------------- */

typedef enum {
    SD_ARG_VENDOR_ID,
    SD_ARG_VENDOR_DISPLAY_NAME,
    SD_ARG_VENDOR_TERMS,
    SD_ARG_VENDOR_CONTACTS,
    SD_ARG_VENDOR_ESCALATION_PHONE,
    SD_ARG_VENDOR_ESCALATION_EMAIL,
    SD_ARG_VENDOR_NOTES,
    SD_ARG_VENDOR_LIMIT,
    SD_ARG_VENDOR_AFTER,
    SD_ARG_VENDOR_COUNT_
} sd_vendor_arg_t;

/* Arguments of the vendor ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;               /* vendor name */
    char *display_name;     /* longer name */
    char *terms;            /* contract and support terms */
    char *contacts;         /* who to call */
    char *escalation_phone; /* escalation phone number */
    char *escalation_email; /* escalation e-mail address */
    char *notes;            /* free text */
    int limit;              /* list: most vendors */
    char *after;            /* list: resume after this name */
} sd_vendor_args_t;

extern const sd_field_t sd_vendor_args_fields[SD_ARG_VENDOR_COUNT_];

#endif
