/* config_channels.c - the defaults of the channels' sections and their checks after the whole
 * file is read (config_channels.h); each section's keys are its own file's. */
#include "config.h"

#include <string.h>

int sd_config_mail_done(sd_config_t *cfg, char *why, size_t cap);
int sd_config_alerts_done(sd_config_t *cfg, char *why, size_t cap);
int sd_config_chat_done(sd_config_t *cfg, char *why, size_t cap);

void sd_config_channels_defaults(sd_config_t *cfg)
{
    memset(&cfg->mail, 0, sizeof cfg->mail);
    memset(&cfg->alerts, 0, sizeof cfg->alerts);
    memset(&cfg->chat, 0, sizeof cfg->chat);
    sd_mail_config_t *m = &cfg->mail;
    m->transport = SD_MAIL_OFF;
    strcpy(m->sendmail, "/usr/sbin/sendmail");
    m->unknown_sender = SD_UNKNOWN_OPEN;
    m->max_bytes = 10L * 1024 * 1024;
    m->auto_per_hour = 10;
    strcpy(m->language, "zh-CN");
}

int sd_config_channels_done(sd_config_t *cfg, char *why, size_t cap)
{
    return sd_config_mail_done(cfg, why, cap) ?: sd_config_alerts_done(cfg, why, cap)
                                              ?: sd_config_chat_done(cfg, why, cap);
}
