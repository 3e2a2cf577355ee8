/* op_customer.h - the customer ops (proto/customer.h): new, get, update, list, merge, find,
 * lookup, and the customer a ticket.new names (by id, phone or e-mail).
 *
 * Handlers of proto/ops.def (the contracts of sd_api_read_fn and sd_api_write_fn, dispatch.h).
 * Phone numbers are found by their E.164 form with the node's policy/phone_country; e-mails
 * lower-cased; a merged customer's id leads to its survivor (sd_customer_resolve). Every read
 * goes through the kind's index entries: none walks the customers. */
#ifndef SD_OP_CUSTOMER_H
#define SD_OP_CUSTOMER_H

#include "customer.h"
#include "dispatch.h"

/* customer.new, customer.update, customer.merge: the customer event. SD_ENOTFOUND (no such
 * customer, or merge into an unknown one), SD_ERANGE (a bad e-mail, phone number, site or
 * login), SD_ETRANSITION (update or merge of a merged customer, a merge into itself or into a
 * customer merged into it), SD_EMISSING (an update with nothing), SD_ENOMEM. */
int sd_api_customer_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                          sd_event_t *ev, sd_fault_t *fault);

/* The customer record (of the survivor when id was merged). SD_ENOTFOUND. */
int sd_api_customer_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault);

/* {customers, more}: customers in id order, filtered by home site, vip, organisation. */
int sd_api_customer_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                         sd_fault_t *fault);

/* {customers}: the surviving customers with the phone number or e-mail, or whose name starts
 * with name (case-insensitive for ASCII), at most limit (default 20). SD_EMISSING (none of
 * the three), SD_ERANGE (not a phone number). */
int sd_api_customer_find(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                         sd_fault_t *fault);

/* {customer, assets: [], open_tickets, past_tickets, contacts: []}: the card of the caller with
 * the phone number, e-mail or id; open tickets (newest first) and the last 10 resolved, closed
 * or cancelled ones, of the customer and of those merged into it. SD_ENOTFOUND (one line:
 * "no customer has phone +86..."), SD_EMISSING, SD_ERANGE. */
int sd_api_customer_lookup(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                           sd_fault_t *fault);

/* The surviving customer found by id, phone (E.164 with default_cc) or e-mail (the first one
 * given of the three) into *c (zeroed; the caller clears it with sd_record_clear). Returns 0,
 * SD_ENOTFOUND (fault set: "no customer has phone +86..."), SD_ERANGE (not a phone number or
 * address), the store's errors. */
int sd_api_customer_find_one(sd_store_txn_t *txn, const char *default_cc, const char *id,
                             const char *phone, const char *email, sd_customer_t *c,
                             sd_fault_t *fault);

/* ticket.new with `customer`, `phone` or `email`: the customer found (sd_api_customer_find_one
 * with the policy's country), the ticket built by the workflow with the requester (when not
 * given: the customer's linked user, else its first e-mail), its `customer` set and one
 * priority step up for a VIP customer (the policy's list still counts). SD_ENOTFOUND,
 * SD_ERANGE, SD_EFORBIDDEN (a caller with scope own), the workflow's errors. */
int sd_api_ticket_new_for_customer(const sd_api_write_ctx_t *ctx, const sd_request_t *req,
                                   sd_event_t *ev, sd_fault_t *fault);

/* The survivor of customer id into out (SD_ID_MAX + 1). SD_ENOTFOUND, the store's errors. */
int sd_api_customer_survivor(sd_store_txn_t *txn, const char *id, char *out);

#endif
