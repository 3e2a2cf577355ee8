/* tz.c - the CLI's display time zone through libc (TZ, tzset, localtime_r). */
#include "tz.h"

#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The zone times are shown in ("UTC" until sd_tz_use() says otherwise). */
static char s_zone[128] = "UTC";
static bool s_utc = true;

static bool s_is_utc_name(const char *zone)
{
    return !strcmp(zone, "UTC") || !strcmp(zone, "Etc/UTC") || !strcmp(zone, "UTC0") ||
           !strcmp(zone, "Z") || !strcmp(zone, "Etc/Zulu") || !strcmp(zone, "Zulu");
}

bool sd_tz_known(const char *zone)
{
    if (!zone || !*zone || strlen(zone) >= sizeof s_zone || zone[0] == '/' || strstr(zone, ".."))
        return false;
    if (s_is_utc_name(zone))
        return true;
    for (const char *p = zone; *p; p++)
        if (!(*p >= 'A' && *p <= 'Z') && !(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') &&
            !strchr("_-+/", *p))
            return false;
    const char *dir = getenv("TZDIR") && *getenv("TZDIR") ? getenv("TZDIR") : "/usr/share/zoneinfo";
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, zone);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char magic[4] = {0};
    size_t n = fread(magic, 1, sizeof magic, f);
    fclose(f);
    return n == 4 && !memcmp(magic, "TZif", 4); /* a directory or another file is not a zone */
}

/* Makes libc use zone (NULL: unset TZ). */
static void s_apply(const char *zone)
{
    if (zone)
        setenv("TZ", zone, 1);
    else
        unsetenv("TZ");
    tzset();
}

int sd_tz_use(const char *zone)
{
    if (zone && !sd_tz_known(zone))
        return SD_EINVAL;
    const char *env = getenv("TZ");
    if (!zone && env && *env)
        zone = env[0] == ':' ? env + 1 : env;
    if (!zone || !*zone || strlen(zone) >= sizeof s_zone)
        zone = "UTC";
    snprintf(s_zone, sizeof s_zone, "%s", zone);
    s_utc = s_is_utc_name(s_zone);
    s_apply(s_utc ? "UTC" : s_zone);
    return 0;
}

const char *sd_tz_name(void)
{
    return s_zone;
}

bool sd_tz_is_utc(void)
{
    return s_utc;
}

/* ms in the zone libc has now; utc picks the "Z" suffix. */
static const char *s_format(uint64_t ms, bool seconds, bool utc, char *buf, size_t cap)
{
    if (!ms) {
        snprintf(buf, cap, "-");
        return buf;
    }
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (utc ? !gmtime_r(&secs, &tm) : !localtime_r(&secs, &tm)) {
        snprintf(buf, cap, "-");
        return buf;
    }
    char when[24], offset[8] = "Z";
    strftime(when, sizeof when, seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &tm);
    if (!utc) {
        long off = tm.tm_gmtoff, a = off < 0 ? -off : off;
        if (a % 3600)
            snprintf(offset, sizeof offset, "%c%02ld%02ld", off < 0 ? '-' : '+', a / 3600 % 100,
                     a / 60 % 60);
        else
            snprintf(offset, sizeof offset, "%c%02ld", off < 0 ? '-' : '+', a / 3600 % 100);
    }
    snprintf(buf, cap, "%s%s", when, offset);
    return buf;
}

const char *sd_tz_format(uint64_t ms, bool seconds, char *buf, size_t cap)
{
    return s_format(ms, seconds, s_utc, buf, cap);
}

const char *sd_tz_format_in(const char *zone, uint64_t ms, char *buf, size_t cap)
{
    if (!sd_tz_known(zone))
        return NULL;
    bool utc = s_is_utc_name(zone);
    s_apply(utc ? "UTC" : zone);
    s_format(ms, false, utc, buf, cap);
    s_apply(s_utc ? "UTC" : s_zone);
    return buf;
}
