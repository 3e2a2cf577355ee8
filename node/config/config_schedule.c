/* config_schedule.c - the [schedule] section: site calendars, follow-the-sun policy, test clock. */
#include "config.h"

#include "error.h"
#include "utc.h"

#include <stdio.h>
#include <string.h>

/* Years of .ics holidays kept: calendar services publish a few years around now. */
#define ICS_FIRST_YEAR 2000
#define ICS_LAST_YEAR  2099

/* A calendar from one "site" subsection: name and zone first, then hours,
 * holidays and ics in any order. */
static int s_site(sd_schedule_t *sched, zconfig_t *sec, char *why, size_t cap)
{
    const char *name = zconfig_get(sec, "name", NULL), *zone = zconfig_get(sec, "zone", NULL);
    if (!name || !zone) {
        snprintf(why, cap, "a site needs name and zone");
        return SD_ECONFIG;
    }
    const char *team = zconfig_get(sec, "handover_team", NULL);
    if (team && (!team[0] || strlen(team) > SD_NAME_MAX)) {
        snprintf(why, cap, "%s/handover_team: a team name of 1-%d characters", name, SD_NAME_MAX);
        return SD_ECONFIG;
    }
    const char *assign = zconfig_get(sec, "handover_assign", "least_load");
    if (strcmp(assign, "least_load") != 0 && strcmp(assign, "queue") != 0) {
        snprintf(why, cap, "%s/handover_assign: least_load or queue, not '%s'", name, assign);
        return SD_ECONFIG;
    }
    sd_calendar_t *cal = NULL;
    int rc = sd_calendar_new(name, zone, &cal);
    if (rc) {
        snprintf(why, cap, "%s: bad name or unknown time zone '%s' (%s)", name, zone,
                 sd_strerror(rc));
        return SD_ECONFIG;
    }
    for (zconfig_t *item = zconfig_child(sec); item && !rc; item = zconfig_next(item)) {
        const char *key = zconfig_name(item);
        const char *value = zconfig_value(item) ? zconfig_value(item) : "";
        char err[200] = "";
        if (!strcmp(key, "name") || !strcmp(key, "zone") || !strcmp(key, "handover_team") ||
            !strcmp(key, "handover_assign"))
            continue;
        if (!strcmp(key, "hours"))
            rc = sd_calendar_add_hours(cal, value);
        else if (!strcmp(key, "holidays"))
            rc = sd_calendar_add_holidays(cal, value);
        else if (!strcmp(key, "ics"))
            rc = sd_calendar_import_ics(cal, value, ICS_FIRST_YEAR, ICS_LAST_YEAR, NULL, err,
                                        sizeof err);
        else {
            snprintf(
                why, cap,
                "%s/%s: unknown option (known: name, zone, hours, holidays, ics, handover_team, "
                "handover_assign)",
                name, key);
            rc = SD_ECONFIG;
            break;
        }
        if (rc)
            snprintf(why, cap, "%s/%s: %s%s", name, key, err[0] ? err : sd_strerror(rc),
                     !strcmp(key, "hours") ? " (e.g. \"mon-fri 09:00-12:00 13:00-18:00\")" : "");
    }
    if (!rc && !sched->sites && !(sched->sites = sd_calset_new()))
        rc = SD_ENOMEM;
    if (!rc && (rc = sd_calset_add(sched->sites, &cal)) != 0)
        snprintf(why, cap, "%s: %s", name, rc == SD_EDUPLICATE ? "listed twice" : "too many sites");
    sd_calendar_destroy(&cal);
    int i = rc ? -1 : sd_calset_find(sched->sites, name);
    if (i >= 0) {
        sched->handover_to_queue[i] = strcmp(assign, "queue") == 0;
        if (team && !(sched->handover_team[i] = strdup(team)))
            rc = SD_ENOMEM;
    }
    return rc ? SD_ECONFIG : 0;
}

int sd_config_schedule_item(sd_config_t *cfg, zconfig_t *item, char *why, size_t cap)
{
    sd_schedule_t *s = &cfg->sched;
    const char *key = zconfig_name(item);
    const char *value = zconfig_value(item) ? zconfig_value(item) : "";
    bool ok = true;
    int v[SD_ESCALATE_STEPS];
    if (!strcmp(key, "site"))
        return s_site(s, item, why, cap);
    if (!strcmp(key, "oncall"))
        return sd_config_oncall(s, item, why, cap);
    if (!strcmp(key, "follow_sun")) {
        memset(s->follow_sun, 0, sizeof s->follow_sun);
        char word[8];
        for (const char *p = value; ok && *p; p += strspn(p, " ,")) {
            size_t len = strcspn(p, " ,");
            int prio = -1;
            if (len < sizeof word) {
                memcpy(word, p, len);
                word[len] = 0;
                prio = sd_priority_value(word);
            }
            ok = prio >= 0;
            if (ok)
                s->follow_sun[prio] = true;
            p += len;
        }
    } else if (!strcmp(key, "warn_percent"))
        ok = sd_config_ints(value, &s->warn_percent, 1, 1, 99);
    else if (!strcmp(key, "escalate_minutes")) {
        ok = sd_config_ints(value, v, SD_ESCALATE_STEPS, 0, 100000);
        if (ok)
            memcpy(s->escalate_minutes, v, sizeof v);
    } else if (!strcmp(key, "takeover_grace_ms"))
        ok = sd_config_ints(value, &s->takeover_grace_ms, 1, 100, 86400000);
    else if (!strcmp(key, "tick_ms"))
        ok = sd_config_ints(value, &s->tick_ms, 1, 10, 60000);
    else if (!strcmp(key, "clock_start"))
        ok = sd_utc_parse(value, &s->clock_start) == 0;
    else if (!strcmp(key, "clock_speed"))
        ok = sd_config_ints(value, v, 1, 1, 100000) && (s->clock_speed = v[0]) > 0;
    else if (!strcmp(key, "clock_origin_ms")) {
        char *end;
        long long ms = strtoll(value, &end, 10);
        ok = end != value && *end == 0 && ms > 0;
        s->clock_origin = ms;
    } else {
        snprintf(why, cap,
                 "unknown option (known: site, oncall, follow_sun, warn_percent, escalate_minutes, "
                 "takeover_grace_ms, tick_ms, clock_start, clock_speed, clock_origin_ms)");
        return SD_ECONFIG;
    }
    if (!ok)
        snprintf(why, cap,
                 "bad value (follow_sun: priorities P1..P4; warn_percent 1-99; escalate_minutes: "
                 "3 numbers; takeover_grace_ms 100-86400000; tick_ms 10-60000; clock_start "
                 "YYYY-MM-DDTHH:MM[:SS]Z; clock_speed 1-100000; clock_origin_ms Unix ms)");
    return ok ? 0 : SD_ECONFIG;
}

int sd_config_schedule_done(sd_config_t *cfg, bool targets_set, char *why, size_t cap)
{
    sd_schedule_t *s = &cfg->sched;
    int64_t start = s->clock_start, speed = s->clock_speed, origin = s->clock_origin;
    if ((start || speed || origin) && !(start && speed)) {
        snprintf(why, cap, "schedule: the test clock needs clock_start and clock_speed");
        return SD_ECONFIG;
    }
    if (start)
        s->clock = sd_clock_accelerated(start, speed, origin);
    if (sd_config_oncall_done(s, why, cap) != 0)
        return SD_ECONFIG;
    /* Seed 001: urgent requests answered within an hour, normal ones within
     * one working day - 9 business hours once hours are business hours. */
    if (s->sites && !targets_set) {
        const uint64_t response[] = {1, 1, 9, 9}, resolve[] = {4, 8, 27, 45};
        for (int i = 0; i < SD_PRIORITY_COUNT_; i++) {
            cfg->policy.response_ms[i] = response[i] * SD_HOUR_MS;
            cfg->policy.resolve_ms[i] = resolve[i] * SD_HOUR_MS;
        }
    }
    return 0;
}
