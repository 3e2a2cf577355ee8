/* config_oncall.c - schedule/oncall: on-call rosters (node/desk/oncall.h), and the hours they add
 * to a follow-the-sun ticket's SLA clock. */
#include "config.h"

#include "error.h"
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const s_days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* "mon 09:00" into a weekday and minutes. */
static bool s_handoff(const char *text, int *day, int *min)
{
    char d[4];
    int h, m, used = 0;
    if (sscanf(text, "%3s %d:%d%n", d, &h, &m, &used) != 3 || text[used] || h < 0 || h > 23 ||
        m < 0 || m > 59)
        return false;
    for (int i = 0; i < 7; i++)
        if (!strcasecmp(d, s_days[i])) {
            *day = i;
            *min = h * 60 + m;
            return true;
        }
    return false;
}

/* Space- or comma-separated words of text, each passed to fn; stops at the first error. */
static int s_words(const char *text,
                   int (*fn)(sd_oncall_roster_t *, const sd_schedule_t *, const char *),
                   sd_oncall_roster_t *r, const sd_schedule_t *sched)
{
    char word[SD_NAME_MAX + 1];
    for (const char *p = text + strspn(text, " ,"); *p; p += strspn(p, " ,")) {
        size_t n = strcspn(p, " ,");
        if (n > SD_NAME_MAX)
            return SD_EINVAL;
        memcpy(word, p, n);
        word[n] = 0;
        int rc = fn(r, sched, word);
        if (rc)
            return rc;
        p += n;
    }
    return 0;
}

static int s_member(sd_oncall_roster_t *r, const sd_schedule_t *sched, const char *login)
{
    (void)sched;
    sd_fault_t fault = {0};
    if (sd_login_check(login, "members", &fault) != 0)
        return SD_EINVAL;
    if (r->nmembers == SD_ONCALL_MEMBERS_MAX)
        return SD_ETOOBIG;
    return (r->members[r->nmembers++] = strdup(login)) ? 0 : SD_ENOMEM;
}

static int s_site(sd_oncall_roster_t *r, const sd_schedule_t *sched, const char *site)
{
    int i = sched->sites ? sd_calset_find(sched->sites, site) : -1;
    if (i < 0)
        return SD_ENOTFOUND;
    r->sites |= 1ull << i;
    return 0;
}

static int s_holiday(sd_oncall_roster_t *r, const sd_schedule_t *sched, const char *date)
{
    (void)sched;
    if (r->nholidays == SD_ONCALL_HOLIDAYS_MAX)
        return SD_ETOOBIG;
    return sd_date_parse(date, &r->holidays[r->nholidays++]);
}

/* One option of a roster; name and zone are read first. */
static int s_option(sd_oncall_roster_t *r, const sd_schedule_t *sched, const char *key,
                    const char *value)
{
    if (!strcmp(key, "name") || !strcmp(key, "zone"))
        return 0;
    if (!strcmp(key, "team")) {
        if (!value[0] || strlen(value) > SD_NAME_MAX)
            return SD_EINVAL;
        snprintf(r->team, sizeof r->team, "%s", value);
        return 0;
    }
    if (!strcmp(key, "sites"))
        return s_words(value, s_site, r, sched);
    if (!strcmp(key, "members"))
        return s_words(value, s_member, r, sched);
    if (!strcmp(key, "holidays"))
        return s_words(value, s_holiday, r, sched);
    if (!strcmp(key, "handoff"))
        return s_handoff(value, &r->handoff_day, &r->handoff_min) ? 0 : SD_EINVAL;
    if (!strcmp(key, "start"))
        return sd_date_parse(value, &r->start_day);
    if (!strcmp(key, "hours")) {
        r->gaps = !strcmp(value, "gaps");
        return r->gaps ? 0 : sd_calendar_add_hours(r->cal, value);
    }
    return SD_ECONFIG;
}

int sd_config_oncall(sd_schedule_t *sched, zconfig_t *sec, char *why, size_t cap)
{
    const char *name = zconfig_get(sec, "name", NULL), *zone = zconfig_get(sec, "zone", NULL);
    sd_fault_t fault = {0};
    if (!name || !zone || sd_login_check(name, "name", &fault) != 0) {
        snprintf(why, cap, "oncall: a roster needs a name (a login-like word) and a zone");
        return SD_ECONFIG;
    }
    for (size_t i = 0; i < sched->noncall; i++)
        if (!strcmp(sched->oncall[i]->name, name)) {
            snprintf(why, cap, "oncall %s: listed twice", name);
            return SD_ECONFIG;
        }
    if (sched->noncall == SD_ONCALL_ROSTERS_MAX) {
        snprintf(why, cap, "oncall %s: more than %d rosters", name, SD_ONCALL_ROSTERS_MAX);
        return SD_ECONFIG;
    }
    sd_oncall_roster_t *r = calloc(1, sizeof *r);
    if (!r)
        return SD_ENOMEM;
    snprintf(r->name, sizeof r->name, "%s", name);
    r->gaps = true;
    r->start_day = 0; /* 1970-01-01: the rotation counts from the first handoff after it */
    int rc = sd_calendar_new("ONCALL", zone, &r->cal);
    if (rc)
        snprintf(why, cap, "oncall %s: unknown time zone '%s'", name, zone);
    for (zconfig_t *item = zconfig_child(sec); item && !rc; item = zconfig_next(item)) {
        const char *key = zconfig_name(item);
        rc = s_option(r, sched, key, zconfig_value(item) ? zconfig_value(item) : "");
        if (rc == SD_ECONFIG)
            snprintf(why, cap,
                     "oncall %s/%s: unknown option (known: name, zone, team, sites, members, "
                     "handoff, start, hours, holidays)",
                     name, key);
        else if (rc)
            snprintf(why, cap,
                     "oncall %s/%s: bad value (sites: sites listed before it; members: logins; "
                     "handoff: \"mon 09:00\"; start, holidays: YYYY-MM-DD; hours: gaps or "
                     "working hours)",
                     name, key);
    }
    if (!rc && !zconfig_get(sec, "handoff", NULL)) {
        snprintf(why, cap, "oncall %s: handoff is required (e.g. \"mon 09:00\")", name);
        rc = SD_ECONFIG;
    }
    sched->oncall[sched->noncall++] = r; /* freed by sd_schedule_clear either way */
    return rc ? SD_ECONFIG : 0;
}

int sd_config_oncall_done(sd_schedule_t *sched, char *why, size_t cap)
{
    bool explicit = false;
    for (size_t i = 0; i < sched->noncall; i++) {
        const sd_oncall_roster_t *r = sched->oncall[i];
        if (r->nmembers && r->gaps)
            sched->oncall_always = true;
        explicit |= r->nmembers && !r->gaps;
    }
    if (sched->oncall_always || !explicit || !sched->sites)
        return 0;
    /* The follow-the-sun clock: every site and the rosters' own hours. */
    int rc = (sched->cover = sd_calset_new()) ? 0 : SD_ENOMEM;
    for (size_t i = 0; !rc && i < sd_calset_size(sched->sites); i++) {
        const sd_calendar_t *site = sd_calset_at(sched->sites, i);
        sd_calendar_t *copy = NULL;
        rc = sd_calendar_copy(site, sd_calendar_site(site), &copy)
                 ?: sd_calset_add(sched->cover, &copy);
        sd_calendar_destroy(&copy);
    }
    for (size_t i = 0; !rc && i < sched->noncall; i++) {
        const sd_oncall_roster_t *r = sched->oncall[i];
        char id[SD_SITE_MAX + 1];
        snprintf(id, sizeof id, "ONCALL-%u", (unsigned)i % 1000u); /* i < SD_CALSET_MAX */
        sd_calendar_t *copy = NULL;
        if (r->nmembers && !r->gaps)
            rc = sd_calendar_copy(r->cal, id, &copy) ?: sd_calset_add(sched->cover, &copy);
        sd_calendar_destroy(&copy);
    }
    if (rc)
        snprintf(why, cap, "oncall: %s (more than %d sites and rosters?)", sd_strerror(rc),
                 SD_CALSET_MAX);
    return rc ? SD_ECONFIG : 0;
}
