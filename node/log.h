/* log.h - one-line key=value logging over czmq's zsys, level checked before formatting.
 *
 * Never log secrets or ticket bodies (titles, descriptions, comments): ids,
 * ops, sites, counts and error names only. */
#ifndef SD_LOG_H
#define SD_LOG_H

#include <stdint.h>

typedef enum { SD_LOG_ERROR, SD_LOG_WARNING, SD_LOG_INFO, SD_LOG_DEBUG } sd_log_level_t;

/* Sets the most detailed level that is written (default SD_LOG_INFO). */
void sd_log_set_level(sd_log_level_t level);

/* Level from a name ("error", "warning", "info", "debug"), or -1. */
int sd_log_level_value(const char *name);

/* Writes one line at level if enabled; the text is formatted only then. */
void sd_log(sd_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- refusals, rate-limited ---------------------------------------------------------------
 *
 * A peer that sends what it may not can make one refusal after another; one line each would let
 * it fill the disk. A limit gives one subject (a peer, a socket) at most SD_LOG_LIMIT_LINES lines
 * a window of SD_LOG_LIMIT_MS; the lines past that are counted, and when the window ends one line
 * "SUBJECT ... and K more refused in the last minute" says how many. */

#define SD_LOG_LIMIT_LINES 10    /* most lines per subject per window */
#define SD_LOG_LIMIT_MS    60000 /* the window */

/* One subject's budget. Zero-initialised, it has written nothing; set subject before use. */
typedef struct {
    char subject[64]; /* what the summary line opens with, e.g. "event refused: peer=APAC" */
    int64_t since;    /* monotonic ms the window began; 0: no window open */
    unsigned lines;   /* lines written in the window */
    uint64_t held;    /* lines held back in the window */
    uint64_t dropped; /* lines held back since the start */
} sd_log_limit_t;

/* Writes one WARNING line unless limit's window has had its lines (then counts it in held).
 * now_ms is a monotonic clock. A window that is over is ended first (sd_log_limit_tick). */
void sd_log_limited(sd_log_limit_t *limit, int64_t now_ms, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Ends limit's window when it is over: writes the summary line when lines were held back. Call
 * it on a timer so that the summary comes even when the peer has gone quiet. */
void sd_log_limit_tick(sd_log_limit_t *limit, int64_t now_ms);

#endif
