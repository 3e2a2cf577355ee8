/* log.h - one-line key=value logging over czmq's zsys, level checked before formatting.
 *
 * Never log secrets or ticket bodies (titles, descriptions, comments): ids,
 * ops, sites, counts and error names only. */
#ifndef SD_LOG_H
#define SD_LOG_H

typedef enum { SD_LOG_ERROR, SD_LOG_WARNING, SD_LOG_INFO, SD_LOG_DEBUG } sd_log_level_t;

/* Sets the most detailed level that is written (default SD_LOG_INFO). */
void sd_log_set_level(sd_log_level_t level);

/* Level from a name ("error", "warning", "info", "debug"), or -1. */
int sd_log_level_value(const char *name);

/* Writes one line at level if enabled; the text is formatted only then. */
void sd_log(sd_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
