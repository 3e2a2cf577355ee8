/* asset.h - the asset kind (a laptop, phone, server or licence the desk looks after) and the
 * vendor kind (a supplier tickets wait on).
 *
 * An asset's id is its tag ("LT-0042": 1 to 32 bytes of A-Z a-z 0-9 . _ -, named by asset.new);
 * a vendor's id is its name (a login-like name, sd_login_check). Every field is a
 * last-writer-wins register. An asset's owner and site share one register (SD_AREG_PLACE): a
 * move between customers writes both, so two concurrent moves converge on one of them whole,
 * never on the owner of one and the site of the other. */
#ifndef SD_ASSET_H
#define SD_ASSET_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stdbool.h>
#include <stdint.h>

#define SD_ASSET_KIND_MAX  32   /* free-text kind: laptop, phone, server, licence */
#define SD_ASSET_MODEL_MAX 128  /* model, serial number */
#define SD_ASSET_DATE_MAX  10   /* warranty end, "YYYY-MM-DD" */
#define SD_ASSET_NOTES_MAX 4096 /* notes, a vendor's terms and contacts */
#define SD_ASSETS_LIST_MAX 512  /* a ticket's asset tags, comma-separated */
#define SD_VENDOR_REF_MAX  128  /* a vendor's RMA or case number */

#define SD_ASSET_INDEX_OWNER  "owner"  /* entries: owner (customer id), asset tag */
#define SD_ASSET_INDEX_SERIAL "serial" /* entries: serial number, asset tag */

typedef enum { SD_AOP_CREATE, SD_AOP_UPDATE, SD_AOP_COUNT_ } sd_asset_op_t;

typedef enum {
    SD_ASSET_IN_USE,
    SD_ASSET_IN_STOCK,
    SD_ASSET_REPAIR,
    SD_ASSET_RETIRED,
    SD_ASSET_STATUS_COUNT_
} sd_asset_status_t;

extern const char *const sd_asset_status_names[]; /* SD_ASSET_STATUS_COUNT_ */

typedef enum {
    SD_AREG_CREATED,  /* created_at, origin_site */
    SD_AREG_KIND,     /* kind */
    SD_AREG_MODEL,    /* model */
    SD_AREG_SERIAL,   /* serial */
    SD_AREG_PLACE,    /* owner, site: a move writes both */
    SD_AREG_STATUS,   /* status */
    SD_AREG_WARRANTY, /* warranty_end */
    SD_AREG_NOTES,    /* notes */
    SD_AREG_COUNT_
} sd_asset_register_t;

typedef struct {
    char id[SD_ID_MAX + 1]; /* asset tag */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* Unix ms */
    char *origin_site;      /* site that created it */
    char *kind;             /* laptop, phone, server, licence, ... */
    char *model;            /* "ThinkPad T14 Gen 4" */
    char *serial;           /* maker's serial number */
    char *owner;            /* customer id (SITE-C-000001), NULL when none */
    char *site;             /* the site it is at */
    int status;             /* sd_asset_status_t */
    char *warranty_end;     /* "YYYY-MM-DD", NULL when unknown */
    char *notes;            /* free text */
    sd_stamp_t stamps[SD_AREG_COUNT_];
} sd_asset_t;

typedef enum { SD_VOP_CREATE, SD_VOP_UPDATE, SD_VOP_COUNT_ } sd_vendor_op_t;

typedef enum {
    SD_VREG_CREATED,    /* created_at, origin_site */
    SD_VREG_NAME,       /* display_name */
    SD_VREG_TERMS,      /* terms */
    SD_VREG_CONTACTS,   /* contacts */
    SD_VREG_ESCALATION, /* escalation_phone, escalation_email */
    SD_VREG_NOTES,      /* notes */
    SD_VREG_COUNT_
} sd_vendor_register_t;

typedef struct {
    char id[SD_ID_MAX + 1]; /* vendor name */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* Unix ms */
    char *origin_site;      /* site that created it */
    char *display_name;     /* "Lenovo China" */
    char *terms;            /* contract and support terms */
    char *contacts;         /* who to call, free text */
    char *escalation_phone; /* escalation phone number */
    char *escalation_email; /* escalation e-mail address */
    char *notes;            /* free text */
    sd_stamp_t stamps[SD_VREG_COUNT_];
} sd_vendor_t;

extern const sd_kind_t sd_kind_asset;
extern const sd_kind_t sd_kind_vendor;

/* The asset an event carries (ev->kind must be the asset kind). */
static inline sd_asset_t *sd_event_asset(const sd_event_t *ev)
{
    return (sd_asset_t *)ev->fields;
}

/* The vendor an event carries (ev->kind must be the vendor kind). */
static inline sd_vendor_t *sd_event_vendor(const sd_event_t *ev)
{
    return (sd_vendor_t *)ev->fields;
}

/* 0 when tag is an asset tag (1 to 32 bytes of A-Z a-z 0-9 . _ -), else SD_ERANGE with the reason
 * in fault, naming the argument `where`. */
int sd_asset_tag_check(const char *tag, const char *where, sd_fault_t *fault);

/* True when id has the shape of a customer id: a site id, "-C-", six or more digits. */
bool sd_customer_id_shape(const char *id);

/* True when s is a date "YYYY-MM-DD" (month 01-12, day 01-31). */
bool sd_asset_date_valid(const char *s);

/* 0 when every comma-separated item of list is an asset tag ("" is none), else SD_ERANGE. */
int sd_asset_tags_check(const char *list, const char *where, sd_fault_t *fault);

#endif
