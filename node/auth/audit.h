/* audit.h - the refusals a node records: failed authentications and missing rights.
 *
 * What was done is already in the event log (every event names its authenticated author and
 * origin site); what was refused is not, so the server reports each refusal here and the
 * audit trail (audit.list) shows both. Refusals are this node's own: kept in the store's
 * "denials" table, never replicated. They hold no secrets (no token, no password, only what
 * the refusal message says). Rate-limited: at most SD_AUDIT_PER_MIN per identity per minute
 * are kept one by one; the rest of that minute become one "N more refusals" entry, so a
 * client hammering the node cannot fill its disk. Pending entries are written by
 * sd_audit_flush in a write transaction of their own. Not thread-safe: the server owns it. */
#ifndef SD_AUDIT_H
#define SD_AUDIT_H

#include "store.h"

#include <stdint.h>

#define SD_AUDIT_PER_MIN 10  /* refusals per identity per minute kept one by one */
#define SD_AUDIT_PENDING 256 /* most refusals waiting for a flush */
#define SD_AUDIT_REASON  200 /* bytes of a refusal's reason */

typedef struct sd_audit sd_audit_t;

/* Returns 0 and *audit (owned: sd_audit_destroy), or SD_ENOMEM. */
int sd_audit_new(const char *site, sd_audit_t **audit);
void sd_audit_destroy(sd_audit_t **audit);

/* Records that op (wire name) on record (NULL for none) by who (login, or "" when unknown),
 * proven via, was refused at now_ms with code and reason. */
void sd_audit_refused(sd_audit_t *a, uint64_t now_ms, const char *who, const char *via,
                      const char *op, const char *record, int code, const char *reason);

/* True when refusals wait to be written. */
bool sd_audit_pending(const sd_audit_t *a);

/* Writes the waiting refusals (and due "N more" entries) into the store. Returns 0 or the
 * store's error (the entries are then dropped, and the count logged). */
int sd_audit_flush(sd_audit_t *a, sd_store_t *store, uint64_t now_ms);

#endif
