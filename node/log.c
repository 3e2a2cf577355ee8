/* log.c - logging over zsys. */
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

void sd_log(sd_log_level_t level, const char *fmt, ...)
{
    if (level > s_level)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
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
