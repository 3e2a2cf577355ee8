/* utc.h - UTC date-times as the config and the CLI write them, into Unix ms. No I/O.
 *
 * One parser for "YYYY-MM-DDTHH:MM[:SS]Z", shared by the node (the config's
 * [schedule] clock_start) and the sundesk CLI (--from, --since, --reply-due),
 * so both accept and refuse the same texts. */
#ifndef SD_UTC_H
#define SD_UTC_H

#include <stdint.h>

/* Parses "2026-03-02T09:30:00Z" (UTC; the seconds are optional, the Z is
 * required) into Unix ms. Refuses years before 1970, fields out of range and
 * dates that do not exist (2026-02-31). Returns 0 and *ms, or SD_EINVAL
 * (*ms untouched). */
int sd_utc_parse(const char *text, int64_t *ms);

#endif
