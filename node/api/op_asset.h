/* op_asset.h - the asset ops (asset.*) and the vendor ops (vendor.*).
 *
 * Handlers of proto/ops.def (the contracts of sd_api_read_fn and sd_api_write_fn, dispatch.h).
 * The server has checked the caller's rights before any of them runs; what they check is the
 * data: a tag or name that is no name, an owner that is no customer id (its shape only: the
 * customer may live at another site and not be here yet), a date that is no date. asset.get and
 * vendor.get are the generic sd_api_record_get. */
#ifndef SD_OP_ASSET_H
#define SD_OP_ASSET_H

#include "dispatch.h"

/* asset.new, asset.update: the asset event. A change of owner is a move between customers:
 * owner and site are one register, written together. SD_ENOTFOUND (no such asset),
 * SD_EDUPLICATE (asset.new of an existing tag), SD_ERANGE (a bad tag, owner, site or date),
 * SD_EMISSING (an update that changes nothing), SD_ENOMEM. */
int sd_api_asset_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                       sd_event_t *ev, sd_fault_t *fault);

/* {assets, more}: assets in tag order, filtered by owner, site, status and kind. */
int sd_api_asset_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);

/* Writes the array of the assets that owners[0..n) own (asset index "owner"), each as asset.get
 * shows it, in owner then tag order, at most 100: what customer.lookup's card shows under
 * "assets". Returns 0, SD_ENOMEM or the store's errors (the writer then holds a partial array:
 * the caller drops the reply). */
int sd_api_asset_card(const sd_api_ctx_t *ctx, const char (*owners)[SD_ID_MAX + 1], int n,
                      sd_mp_writer_t *w);

/* vendor.new, vendor.update: the vendor event. SD_ENOTFOUND, SD_EDUPLICATE, SD_ERANGE (a bad
 * name), SD_EMISSING, SD_ENOMEM. */
int sd_api_vendor_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                        sd_event_t *ev, sd_fault_t *fault);

/* {vendors, more}: vendors in name order. */
int sd_api_vendor_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);

#endif
