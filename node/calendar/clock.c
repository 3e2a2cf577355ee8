/* clock.c - real, accelerated and manual clocks. */
#include "clock.h"

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
