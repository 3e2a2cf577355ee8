/* mailid.h - the Message-IDs of the mail the desk sends, and finding the ticket in one.
 *
 * Every message the desk sends about a ticket carries the ticket's id in its Message-ID:
 *     <sundesk.APAC-000042.7f3a09c2d1e4b5a6@desk.example.com>
 * so a reply (In-Reply-To, References) threads to its ticket at any site, without a lookup and
 * without the sending site's mail domain: the local part starts "sundesk.", then the ticket id
 * (SITE-DIGITS, SITE of A-Z, 0-9, '-', '_'), then '.' and a unique part of hex digits.
 * No I/O; nothing allocated. */
#ifndef SD_MAILID_H
#define SD_MAILID_H

#include "sizes.h"

#include <stdbool.h>
#include <stddef.h>

#define SD_MAILID_MAX 255 /* a Message-ID as the desk keeps it (RFC 5322 allows more; 998/line) */

/* Writes "<sundesk.TICKET.UNIQUE@DOMAIN>" into out (cap bytes). unique: 1..32 lowercase hex
 * digits, such as the event's origin and seq hashed, so the same notice gets the same id again
 * after a restart. Returns 0, or SD_EINVAL (a bad ticket id, unique or domain) or SD_ETOOLONG
 * (out too small). */
int sd_mailid_make(const char *ticket, const char *unique, const char *domain, char *out,
                   size_t cap);

/* The ticket id inside msgid (with or without the angle brackets; surrounding blanks ignored)
 * when it is one of the desk's (the shape above): true and ticket filled; false otherwise. */
bool sd_mailid_ticket(const char *msgid, char ticket[SD_ID_MAX + 1]);

/* The first ticket id found in a References or In-Reply-To header's text: its message ids are
 * tried from the last (the newest) to the first. true and ticket filled, or false. */
bool sd_mailid_references_ticket(const char *references, char ticket[SD_ID_MAX + 1]);

#endif
