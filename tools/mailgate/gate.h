/* gate.h - sundesk-mailgate's conversation with the node: blobs, then mail.ingest.
 *
 * One message per run: the raw bytes and each attachment go up as blobs (blob.put in parts of
 * SD_BLOB_PART_MAX bytes, joined by blob.join when there are several), then mail.ingest with
 * the parsed fields (proto/MAIL.md). Every call is idempotent on the node (blobs are named by
 * their content, the message by its Message-ID), so a run the MTA repeats after a failure at
 * any point stores nothing twice. */
#ifndef SD_GATE_H
#define SD_GATE_H

#include "mail.h"

#include <stddef.h>

/* Exit statuses (sysexits.h), as the MTA reads them. */
enum {
    SD_GATE_OK = 0,    /* stored, or stored before */
    SD_GATE_DATA = 65, /* EX_DATAERR: never deliverable; the MTA bounces it */
    SD_GATE_TEMP = 75, /* EX_TEMPFAIL: the MTA keeps the message and tries again */
    SD_GATE_PERM = 77, /* EX_NOPERM: the node refused the token */
};

#define SD_GATE_TEXT_MAX 32768 /* bytes of text sent inline (SD_MESSAGE_TEXT_MAX) */

/* Where the node is and who the gateway is. */
typedef struct {
    const char *data;       /* the node's data directory (its ipc socket), or NULL */
    const char *node;       /* an endpoint, "tcp://127.0.0.1:7300", or NULL */
    const char *token_file; /* a 0600 file holding the API token, or NULL (ipc: the account) */
    const char *queue;      /* the queue name for new tickets, or NULL */
    const char *sender;     /* the envelope sender ($SENDER of Postfix), or NULL */
    int timeout_ms;         /* per call */
} sd_gate_opts_t;

/* The record id of the e-mail with Message-ID message_id (no brackets) into id: "M-" and 30
 * hex digits (sd_message_id_for). Returns 0, or -1 for an empty message_id. */
int sd_gate_message_id(const char *message_id, char id[64]);

/* The address mail.ingest gets as from, into out (cap bytes): the message's when it is an
 * address the node takes (sd_customer_email_valid), else the envelope sender's, else for mail
 * that opens no ticket (auto, list, bounce) "unknown@mailgate.invalid". Returns 0, or -1 (a
 * person's mail without a usable address: refused, 65). */
int sd_gate_from(const sd_mail_t *m, const char *sender, char *out, size_t cap);

/* Stores one message: blobs, then mail.ingest. Prints one line to stderr when it fails (to
 * stdout the message's id, ticket and state when it succeeds). Returns an SD_GATE_* status. */
int sd_gate_deliver(const sd_gate_opts_t *o, const char *raw, size_t len, const sd_mail_t *m);

#endif
