/* config_alerts.c - the alerts section: the flap window, the severity map and the monitoring
 * sources (config_channels.h). */
#include "config.h"

#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const sd_alert_severity_names[] = {"critical", "error", "warning", "info"};

int sd_alerts_severity(const char *word)
{
    for (int i = 0; word && i < SD_ALERT_SEV_COUNT_; i++)
        if (!strcasecmp(word, sd_alert_severity_names[i]))
            return i;
    if (word && (!strcasecmp(word, "page") || !strcasecmp(word, "high")))
        return SD_ALERT_SEV_CRITICAL;
    return SD_ALERT_SEV_WARNING;
}

/* Copies value into out (cap bytes); false when it does not fit. */
#define s_set(out, cap, value) (snprintf((out), (cap), "%s", (value)) < (int)(cap))

/* A source's name: letters, digits, '-', '_', '.'. */
static bool s_name(const char *v)
{
    if (!*v)
        return false;
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("-_.", *p)))
            return false;
    return true;
}

/* "IMPACT,URGENCY", each 1..3. */
static bool s_pair(const char *v, int *impact, int *urgency)
{
    return strlen(v) == 3 && v[0] >= '1' && v[0] <= '3' && v[1] == ',' && v[2] >= '1' &&
           v[2] <= '3' && (*impact = v[0] - '0') > 0 && (*urgency = v[2] - '0') > 0;
}

static int s_source(sd_alerts_config_t *al, zconfig_t *sec, char *why, size_t cap)
{
    if (al->nsources == SD_ALERT_SOURCES_MAX) {
        snprintf(why, cap, "alerts: at most %d sources", SD_ALERT_SOURCES_MAX);
        return SD_ECONFIG;
    }
    sd_alert_source_t *s = &al->sources[al->nsources];
    memset(s, 0, sizeof *s);
    const char *name = zconfig_value(sec) && *zconfig_value(sec) ? zconfig_value(sec) : "";
    bool has_kind = false;
    for (zconfig_t *item = zconfig_child(sec); item; item = zconfig_next(item)) {
        const char *key = zconfig_name(item);
        const char *value = zconfig_value(item) ? zconfig_value(item) : "";
        bool ok = true;
        const char *expect = "";
        if (!strcmp(key, "name")) {
            name = value;
        } else if (!strcmp(key, "kind")) {
            has_kind = ok = !strcmp(value, "alertmanager") || !strcmp(value, "pagerduty");
            s->kind =
                !strcmp(value, "pagerduty") ? SD_ALERT_SRC_PAGERDUTY : SD_ALERT_SRC_ALERTMANAGER;
            expect = "alertmanager or pagerduty";
        } else if (!strcmp(key, "user")) {
            ok = s_set(s->user, sizeof s->user, value) && value[0];
            expect = "the login of the source's desk user";
        } else if (!strcmp(key, "routing_key")) {
            ok = s_set(s->routing_key, sizeof s->routing_key, value) && value[0];
            expect = "the routing key its events carry (at most 128 bytes)";
        } else if (!strcmp(key, "team")) {
            ok = s_set(s->team, sizeof s->team, value);
            expect = "a team";
        } else if (!strcmp(key, "category")) {
            ok = s_set(s->category, sizeof s->category, value);
            expect = "a category (at most 64 bytes)";
        } else if (!strcmp(key, "site")) {
            ok = s_set(s->site, sizeof s->site, value) && value[0];
            expect = "a site id";
        } else {
            snprintf(why, cap,
                     "alerts/source: unknown option '%.64s' (known: name, kind, user, "
                     "routing_key, team, category, site)",
                     key);
            return SD_ECONFIG;
        }
        if (!ok) {
            snprintf(why, cap, "alerts/source/%s: bad value '%.64s' (%s)", key, value, expect);
            return SD_ECONFIG;
        }
    }
    if (!s_name(name) || !s_set(s->name, sizeof s->name, name)) {
        snprintf(why, cap,
                 "alerts/source: name = NAME is needed (letters, digits, '-', '_', '.'; "
                 "at most 64 bytes)");
        return SD_ECONFIG;
    }
    for (int i = 0; i < al->nsources; i++)
        if (!strcmp(al->sources[i].name, s->name)) {
            snprintf(why, cap, "alerts/source %s: named twice", s->name);
            return SD_ECONFIG;
        }
    if (!has_kind || !s->user[0]) {
        snprintf(why, cap, "alerts/source %s: kind and user are needed", s->name);
        return SD_ECONFIG;
    }
    al->nsources++;
    return 0;
}

int sd_config_alerts_item(sd_config_t *cfg, zconfig_t *item, char *why, size_t cap)
{
    sd_alerts_config_t *al = &cfg->alerts;
    const char *key = zconfig_name(item);
    const char *value = zconfig_value(item) ? zconfig_value(item) : "";
    if (!strcmp(key, "source"))
        return s_source(al, item, why, cap);
    if (zconfig_child(item)) {
        snprintf(why, cap, "alerts: only source takes a subsection");
        return SD_ECONFIG;
    }
    if (!strcmp(key, "flap_window")) {
        char *end;
        long n = strtol(value, &end, 10);
        if (!value[0] || *end || n < 0 || n > 604800) {
            snprintf(why, cap, "alerts/flap_window: bad value '%.64s' (0 to 604800 seconds)",
                     value);
            return SD_ECONFIG;
        }
        al->flap_window = (int)n;
        al->flap_window_set = true;
        return 0;
    }
    for (int i = 0; i < SD_ALERT_SEV_COUNT_; i++) {
        char name[32];
        snprintf(name, sizeof name, "severity_%s", sd_alert_severity_names[i]);
        if (strcmp(key, name) != 0)
            continue;
        if (!s_pair(value, &al->impact[i], &al->urgency[i])) {
            snprintf(why, cap, "alerts/%s: bad value '%.64s' (IMPACT,URGENCY, each 1 to 3)", key,
                     value);
            return SD_ECONFIG;
        }
        al->severity_set[i] = true;
        return 0;
    }
    snprintf(why, cap,
             "unknown option (known: flap_window, severity_critical, severity_error, "
             "severity_warning, severity_info, source)");
    return SD_ECONFIG;
}

int sd_config_alerts_done(sd_config_t *cfg, char *why, size_t cap)
{
    (void)why;
    (void)cap;
    static const int impact[] = {1, 2, 2, 3}, urgency[] = {1, 1, 2, 3};
    sd_alerts_config_t *al = &cfg->alerts;
    if (!al->flap_window_set)
        al->flap_window = 900;
    for (int i = 0; i < SD_ALERT_SEV_COUNT_; i++)
        if (!al->severity_set[i])
            al->impact[i] = impact[i], al->urgency[i] = urgency[i];
    return 0;
}
