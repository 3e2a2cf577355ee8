/* clock.h - the one clock the node's scheduling reads: real, accelerated for tests, or set by hand.
 *
 * Due times, SLA warnings, escalations and handovers all compare against
 * sd_clock_now(). A real node uses the system clock. A test can start a node
 * on an accelerated clock ([schedule] clock_start and clock_speed in the
 * config: off by default) so a simulated day passes in minutes, or drive a
 * manual clock from a unit test, so a week plays in milliseconds. */
#ifndef SD_CLOCK_H
#define SD_CLOCK_H

#include <stdint.h>

typedef enum {
    SD_CLOCK_REAL,        /* the system clock */
    SD_CLOCK_ACCELERATED, /* start + (real elapsed) x speed */
    SD_CLOCK_MANUAL       /* whatever sd_clock_set said */
} sd_clock_kind_t;

/* A clock value; copy it freely. */
typedef struct {
    int kind;              /* sd_clock_kind_t */
    int64_t start_ms;      /* ACCELERATED: simulated time at real_start_ms; MANUAL: now */
    int64_t real_start_ms; /* ACCELERATED: system time when it started */
    int64_t speed;         /* ACCELERATED: simulated ms per real ms */
} sd_clock_t;

/* The system clock. */
sd_clock_t sd_clock_real(void);

/* A clock that reads start_ms at system time origin_ms (0: now) and runs
 * speed times faster than the system clock (speed >= 1). Nodes given the same
 * three values read the same time. */
sd_clock_t sd_clock_accelerated(int64_t start_ms, int64_t speed, int64_t origin_ms);

/* A clock that stands at now_ms until sd_clock_set moves it. */
sd_clock_t sd_clock_manual(int64_t now_ms);

/* Moves a manual clock to now_ms (no effect on other kinds). */
void sd_clock_set(sd_clock_t *clock, int64_t now_ms);

/* Unix ms, UTC, as the clock reads now. */
int64_t sd_clock_now(const sd_clock_t *clock);

#endif
