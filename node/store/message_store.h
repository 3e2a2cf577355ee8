/* message_store.h - reads over the message kind's index entries (proto/message.h): a ticket's
 * messages, the newest inbound one, an address's bounces, the message a Message-ID names, held
 * messages, the open conversation of a chat. */
#ifndef SD_MESSAGE_STORE_H
#define SD_MESSAGE_STORE_H

#include "message.h"
#include "store.h"

#include <stdbool.h>

/* The newest inbound e-mail of ticket that a person wrote (class normal, on the ticket; by
 * received_at): its from, message_id, references, subject, ... into *out (zeroed; the caller clears
 * it with sd_record_clear(&sd_kind_message, out)). Returns 0, SD_ENOTFOUND when the ticket has
 * none, the store's errors. */
int sd_message_latest(sd_store_txn_t *txn, const char *ticket, sd_message_t *out);

/* True when a delivery failure report names address (case-insensitive) as failed and no
 * message came from it since. */
bool sd_message_bounced(sd_store_txn_t *txn, const char *address);

/* The id of the message whose Message-ID is msgid (angle brackets and blanks ignored) into id.
 * Returns 0, SD_ENOTFOUND, the store's errors. */
int sd_message_by_msgid(sd_store_txn_t *txn, const char *msgid, char id[SD_ID_MAX + 1]);

/* True when the ticket comment made by event (origin, seq) is an inbound message (a customer's
 * mail or chat, or a bounce note) that the intake added, not a reply of the desk: id (may be
 * NULL) gets the message's id. */
bool sd_message_of_comment(sd_store_txn_t *txn, const char *origin, uint64_t seq,
                           char id[SD_ID_MAX + 1]);

/* Calls fn with the id of each message of index `index` (SD_MESSAGE_INDEX_TICKET, _FROM,
 * _BOUNCED: entries part, received_at, id) whose first part is `part`, oldest first. Non-zero
 * from fn stops and is returned; else 0 or the store's errors. */
int sd_message_each(sd_store_txn_t *txn, const char *index, const char *part,
                    int (*fn)(const char *id, uint64_t at, void *arg), void *arg);

/* Calls fn with the id of each held message, oldest first (as sd_message_each). */
int sd_message_each_held(sd_store_txn_t *txn, int (*fn)(const char *id, uint64_t at, void *arg),
                         void *arg);

/* The newest message of chat conversation (source, conversation) into id. Returns 0,
 * SD_ENOTFOUND, the store's errors. */
int sd_message_chat_latest(sd_store_txn_t *txn, const char *source, const char *conversation,
                           char id[SD_ID_MAX + 1]);

/* ---- blobs: a local table, never replicated, not in the digest (blob_store.c) ---------- */

/* Stores data[0..len) (len <= SD_BLOB_PART_MAX) as a blob; id gets "b2-" + the hex of its
 * BLAKE2b-256. Storing the same bytes again changes nothing. Returns 0, SD_ETOOBIG, the
 * store's errors. */
int sd_blob_put(sd_store_txn_t *txn, const void *data, size_t len, char id[SD_BLOB_ID_MAX + 1]);

/* Makes the blob of the parts' contents one after the other, of MIME type `type` (NULL or ""
 * for application/octet-stream): id gets the id of the whole content, *size its bytes. The
 * parts must be here (SD_ENOTFOUND, missing gets the first missing one's id). Returns 0,
 * SD_ENOTFOUND, SD_EINVAL (no parts, a bad id), the store's errors. */
int sd_blob_join(sd_store_txn_t *txn, const char *const *parts, size_t nparts, const char *type,
                 char id[SD_BLOB_ID_MAX + 1], uint64_t *size, char missing[SD_BLOB_ID_MAX + 1]);

/* Reads at most limit bytes of blob id from offset into buf; *got gets how many, *size the
 * blob's whole size, type (SD_BLOB_TYPE_MAX + 1 bytes) its type. Returns 0, SD_ENOTFOUND,
 * SD_ERANGE (offset past the end), SD_ECORRUPT, the store's errors. */
int sd_blob_read(sd_store_txn_t *txn, const char *id, uint64_t offset, void *buf, size_t limit,
                 size_t *got, uint64_t *size, char type[SD_BLOB_TYPE_MAX + 1]);

/* True when blob id is here. */
bool sd_blob_has(sd_store_txn_t *txn, const char *id);

#endif
