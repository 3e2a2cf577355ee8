/* tz.h - the time zone the sundesk CLI shows times in, and times formatted in it.
 *
 * The CLI is single-threaded and links neither libical nor the daemon, so this module uses the
 * system zoneinfo through libc: sd_tz_use() sets TZ and calls tzset(), and every time is then
 * formatted with localtime_r(). The zone is chosen once per run, before any time is printed:
 * `--tz ZONE`, else $TZ, else UTC. A time is "YYYY-MM-DD HH:MM" followed by its offset in the
 * ISO 8601 style: "Z" when the zone is UTC, else the offset of that instant, "+08", "-05",
 * "+0530" ("+00" for London in winter: a zone that is not UTC never shows "Z"). The zone's
 * name is shown where a whole card is printed (sd_tz_name()). */
#ifndef SD_TZ_H
#define SD_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes a formatted time needs, with its NUL: "2027-03-28 01:59:59+0545". */
#define SD_TZ_TIME_MAX 32

/* True if zone is "UTC" or an IANA name with a zoneinfo file ($TZDIR, else
 * /usr/share/zoneinfo): letters, digits, '_', '-', '+' and '/' only, no "..", not absolute. */
bool sd_tz_known(const char *zone);

/* Shows times in zone from now on: an IANA name, checked with sd_tz_known(); NULL takes $TZ
 * (as libc reads it, a leading ':' dropped from the name), and UTC when $TZ is unset or empty.
 * Sets the process's TZ (the CLI has one thread). Returns 0, or SD_EINVAL for an unknown zone
 * (nothing changed). */
int sd_tz_use(const char *zone);

/* The zone's name: "UTC", "Asia/Shanghai". Borrowed, valid until the next sd_tz_use(). */
const char *sd_tz_name(void);

/* True when times are shown in UTC (suffix "Z"). */
bool sd_tz_is_utc(void);

/* Unix ms as "2026-11-30 16:00+08" in the zone of sd_tz_use() ("...:SS" first with seconds),
 * "-" for 0. cap is at least SD_TZ_TIME_MAX. Returns buf. */
const char *sd_tz_format(uint64_t ms, bool seconds, char *buf, size_t cap);

/* The same in another zone (an IANA name, e.g. a site's), or NULL when zone is unknown; the
 * CLI's own zone is restored before it returns. */
const char *sd_tz_format_in(const char *zone, uint64_t ms, char *buf, size_t cap);

#endif
