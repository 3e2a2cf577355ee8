/* op_contact.h - the contact history's ops: contact.new, contact.update, contact.list
 * (contact.get is the generic sd_api_record_get), and the walk other ops use to show a
 * customer's or a ticket's last contacts (customer.lookup).
 *
 * Handlers of proto/ops.def (the contracts of sd_api_read_fn and sd_api_write_fn, dispatch.h).
 * The server has checked the caller's rights before any of them runs. */
#ifndef SD_OP_CONTACT_H
#define SD_OP_CONTACT_H

#include "dispatch.h"

/* contact.new (channel required; direction "in", at now and agent the caller by default; a
 * call_id already recorded is SD_EDUPLICATE, a ticket that does not exist SD_ENOTFOUND) and
 * contact.update (customer, ticket, summary, outcome; an outcome "answered" sets answered_at
 * once, "ended" or "missed" sets ended_at and duration in seconds since answered_at).
 * SD_ENOTFOUND, SD_EDUPLICATE, SD_EMISSING (an update with nothing to change), SD_ENOMEM. */
int sd_api_contact_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                         sd_event_t *ev, sd_fault_t *fault);

/* {contacts, more}: newest first (by `at`, then id), filtered by customer, ticket, channel and
 * call_id; limit (default 100) and after (the last id of the previous page). */
int sd_api_contact_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault);

/* Encodes into items (one contact map each, as contact.get shows it) the newest contacts of
 * index entry `index` (SD_CONTACT_INDEX_CUSTOMER, _TICKET, _CALL, or _AT with part "") whose
 * first part is `part`, those after id `after` (NULL: from the newest) that keep() accepts
 * (NULL: all), at most limit; *count gets how many, *more whether one was left. arg goes to
 * keep. Returns 0, SD_ENOMEM, the store's errors. */
int sd_api_contacts_walk(sd_store_txn_t *txn, const char *index, const char *part,
                         const char *after, int limit,
                         bool (*keep)(const void *contact, const void *arg), const void *arg,
                         sd_mp_writer_t *items, uint32_t *count, bool *more);

#endif
