/* bench_payload.h - the ticket both halves of the ticket-creation benchmark send, byte for byte. */
#ifndef SD_BENCH_PAYLOAD_H
#define SD_BENCH_PAYLOAD_H

#include "request.h"

#include <stddef.h>

/* Error codes (SD_E*) are those of proto/error.h. */

/* The fixed fields of every benchmark ticket. Kept in one place so that the
 * sundesk and the PostgreSQL clients send the same payload sizes. (No author: the node
 * records the authenticated caller, the bootstrap admin on the ipc socket.) */
#define SD_BENCH_TYPE     "incident"
#define SD_BENCH_CHANNEL  "email"
#define SD_BENCH_CATEGORY "network"
#define SD_BENCH_IMPACT   "2"
#define SD_BENCH_URGENCY  "2"

/* Description of every ticket: ~200 bytes, like a short e-mail body. */
extern const char sd_bench_description[];

/* Title of ticket number seq (0-based) of client number client (0-based),
 * e.g. "VPN drops every few minutes (c003 #000042)", into buf[0..cap).
 * Returns 0, SD_EINVAL when buf is NULL or the text does not fit in cap. */
int sd_bench_title(char *buf, size_t cap, int client, int seq);

/* Requester of that ticket: one of 1000 users, "user123@example.com", so that
 * the requester index sees realistic repetition. Returns as sd_bench_title(). */
int sd_bench_requester(char *buf, size_t cap, int client, int seq);

/* Sets argument name of req from command-line text, as the CLI does, and
 * marks it present. Returns 0, or an error with the reason in why. */
int sd_bench_set_arg(sd_request_t *req, const char *name, const char *text, char *why, size_t cap);

/* Makes req a ticket.new with the fields every benchmark ticket shares (the
 * same payload as pg_workload's INSERT); title and requester are set per
 * ticket. Returns 0, or an error with the reason in why. */
int sd_bench_ticket_template(sd_request_t *req, char *why, size_t cap);

#endif
