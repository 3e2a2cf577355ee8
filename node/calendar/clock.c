/* clock.c - real, accelerated and manual clocks. */
#include "clock.h"

#include "error.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t s_system_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

sd_clock_t sd_clock_real(void)
{
    return (sd_clock_t){.kind = SD_CLOCK_REAL};
}

sd_clock_t sd_clock_accelerated(int64_t start_ms, int64_t speed, int64_t origin_ms)
{
    return (sd_clock_t){.kind = SD_CLOCK_ACCELERATED,
                        .start_ms = start_ms,
                        .real_start_ms = origin_ms ? origin_ms : s_system_ms(),
                        .speed = speed < 1 ? 1 : speed};
}

sd_clock_t sd_clock_manual(int64_t now_ms)
{
    return (sd_clock_t){.kind = SD_CLOCK_MANUAL, .start_ms = now_ms};
}

void sd_clock_set(sd_clock_t *clock, int64_t now_ms)
{
    if (clock->kind == SD_CLOCK_MANUAL)
        clock->start_ms = now_ms;
}

int64_t sd_clock_now(const sd_clock_t *clock)
{
    switch (clock->kind) {
    case SD_CLOCK_ACCELERATED:
        return clock->start_ms + (s_system_ms() - clock->real_start_ms) * clock->speed;
    case SD_CLOCK_MANUAL:
        return clock->start_ms;
    default:
        return s_system_ms();
    }
}

int sd_clock_parse_utc(const char *text, int64_t *ms)
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
