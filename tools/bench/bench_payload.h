/* bench_payload.h - the ticket both halves of the ticket-creation benchmark send, byte for byte. */
#ifndef SD_BENCH_PAYLOAD_H
#define SD_BENCH_PAYLOAD_H

#include <stddef.h>

/* Error codes (SD_E*) are those of proto/error.h. */

/* The fixed fields of every benchmark ticket. Kept in one place so that the
 * sundesk and the PostgreSQL clients send the same payload sizes. */
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

#endif
