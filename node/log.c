/* log.c - logging over zsys, and the per-subject limit on refusal lines (log.h). */
#include "log.h"

#include <czmq.h>
#include <stdarg.h>
#include <stdio.h>

static sd_log_level_t s_level = SD_LOG_INFO;

void sd_log_set_level(sd_log_level_t level)
{
    s_level = level;
}

int sd_log_level_value(const char *name)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

/* Writes one line at level if enabled; the text is formatted only then. */
static void s_vlog(sd_log_level_t level, const char *fmt, va_list ap)
{
    if (level > s_level)
        return;
    char line[1024];
    vsnprintf(line, sizeof line, fmt, ap);
    switch (level) {
    case SD_LOG_ERROR:
        zsys_error("%s", line);
        break;
    case SD_LOG_WARNING:
        zsys_warning("%s", line);
        break;
    case SD_LOG_INFO:
        zsys_info("%s", line);
        break;
    case SD_LOG_DEBUG:
        zsys_debug("%s", line);
        break;
    }
}

void sd_log(sd_log_level_t level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    s_vlog(level, fmt, ap);
    va_end(ap);
}

void sd_log_limit_tick(sd_log_limit_t *l, int64_t now_ms)
{
    if (!l->since || now_ms - l->since < SD_LOG_LIMIT_MS)
        return;
    if (l->held)
        sd_log(SD_LOG_WARNING, "%s ... and %llu more refused in the last minute", l->subject,
               (unsigned long long)l->held);
    l->since = 0;
    l->lines = 0;
    l->held = 0;
}

void sd_log_limited(sd_log_limit_t *l, int64_t now_ms, const char *fmt, ...)
{
    sd_log_limit_tick(l, now_ms);
    if (!l->since)
        l->since = now_ms > 0 ? now_ms : 1;
    if (l->lines < SD_LOG_LIMIT_LINES) {
        l->lines++;
        va_list ap;
        va_start(ap, fmt);
        s_vlog(SD_LOG_WARNING, fmt, ap);
        va_end(ap);
    } else {
        l->held++;
        l->dropped++;
    }
}
