/* config_alerts.c - the alerts section (config_channels.h). */
#include "config.h"

#include "error.h"

#include <stdio.h>

int sd_config_alerts_item(sd_config_t *cfg, zconfig_t *item, char *why, size_t cap)
{
    (void)cfg;
    (void)item;
    snprintf(why, cap, "the alerts section takes no options in this version");
    return SD_ECONFIG;
}

int sd_config_alerts_done(sd_config_t *cfg, char *why, size_t cap)
{
    (void)cfg;
    (void)why;
    (void)cap;
    return 0;
}
