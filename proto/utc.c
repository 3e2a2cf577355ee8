/* utc.c - the UTC date-time parser (utc.h). */
#include "utc.h"

#include "error.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int sd_utc_parse(const char *text, int64_t *ms)
{
    struct tm tm = {0};
    int n = 0;
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &n) != 5)
        return SD_EINVAL;
    const char *rest = text + n;
    if (rest[0] == ':') {
        int k = 0;
        if (sscanf(rest, ":%2d%n", &tm.tm_sec, &k) != 1)
            return SD_EINVAL;
        rest += k;
    }
    if (strcmp(rest, "Z") != 0 || tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
        tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
        return SD_EINVAL;
    int day = tm.tm_mday, mon = tm.tm_mon;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    /* timegm normalises 02-31 into March: refuse dates that do not exist. */
    if (t == (time_t)-1 || tm.tm_mday != day || tm.tm_mon != mon - 1)
        return SD_EINVAL;
    *ms = (int64_t)t * 1000;
    return 0;
}
