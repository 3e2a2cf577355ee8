/* config_chat.c - the chat section: `robot NAME` subsections, each a group robot or webhook
 * the desk posts its notices to (config_channels.h; node/channels/robot.c sends). */
#include "config.h"

#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const s_kinds[] = {"wecom", "dingtalk", "feishu", "webhook", NULL};
static const char *const s_events[] = {"new_p1", "new_p2",   "breach", "handover",
                                       "major",  "bulletin", "page",   NULL};

/* value into out; false when it does not fit (the key is then refused). */
static bool s_copy(char *out, size_t cap, const char *value)
{
    return (size_t)snprintf(out, cap, "%s", value) < cap;
}

/* A comma list of names (spaces after commas allowed), each printable ASCII without spaces. */
static bool s_names(char *out, size_t cap, const char *list)
{
    if (!s_copy(out, cap, list))
        return false;
    for (const char *p = list; *p; p++)
        if ((*p < ' ' || *p >= 0x7f) || (*p == ' ' && p > list && p[-1] != ',' && p[-1] != ' '))
            return false;
    return true;
}

/* The events key: names from s_events into bits; "all" = every one. */
static bool s_event_bits(const char *list, unsigned *bits)
{
    char buf[256], *save = NULL;
    if (!s_copy(buf, sizeof buf, list))
        return false;
    *bits = 0;
    for (char *e = strtok_r(buf, ", ", &save); e; e = strtok_r(NULL, ", ", &save)) {
        int k = 0;
        if (!strcmp(e, "all")) {
            *bits = SD_ROBOT_EV_ALL;
            continue;
        }
        while (s_events[k] && strcmp(e, s_events[k]) != 0)
            k++;
        if (!s_events[k])
            return false;
        *bits |= 1u << k;
    }
    return *bits != 0;
}

static bool s_robot_name(const char *name)
{
    if (!name[0] || strlen(name) > SD_NAME_MAX)
        return false;
    for (const char *p = name; *p; p++)
        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9') &&
            !strchr("-_.", *p))
            return false;
    return true;
}

static int s_robot_key(sd_robot_config_t *r, const char *key, const char *value, char *why,
                       size_t cap)
{
    const char *expect;
    bool ok;
    if (!strcmp(key, "kind")) {
        int k = 0;
        while (s_kinds[k] && strcmp(value, s_kinds[k]) != 0)
            k++;
        ok = s_kinds[k] != NULL;
        r->kind = ok ? k : r->kind;
        expect = "wecom, dingtalk, feishu or webhook";
    } else if (!strcmp(key, "url")) {
        ok = s_copy(r->url, sizeof r->url, value) &&
             (!strncmp(value, "http://", 7) || !strncmp(value, "https://", 8)) &&
             !strpbrk(value, " \t\r\n");
        expect = "an http:// or https:// URL";
    } else if (!strcmp(key, "secret_file")) {
        ok = s_copy(r->secret_file, sizeof r->secret_file, value) && value[0] == '/';
        expect = "an absolute path";
    } else if (!strcmp(key, "events")) {
        ok = s_event_bits(value, &r->events);
        expect = "a comma list of new_p1, new_p2, breach, handover, major, bulletin, page";
    } else if (!strcmp(key, "teams")) {
        ok = s_names(r->teams, sizeof r->teams, value);
        expect = "a comma list of team names";
    } else if (!strcmp(key, "sites")) {
        ok = s_names(r->sites, sizeof r->sites, value);
        expect = "a comma list of site ids";
    } else if (!strcmp(key, "per_minute")) {
        char *end;
        long n = strtol(value, &end, 10);
        ok = value[0] && !*end && n >= 1 && n <= 600;
        r->per_minute = ok ? (int)n : r->per_minute;
        expect = "1 to 600";
    } else {
        snprintf(why, cap,
                 "unknown option '%.64s' (known: kind, url, secret_file, events, teams, sites, "
                 "per_minute)",
                 key);
        return SD_ECONFIG;
    }
    /* Never echo a value that could be a secret: a url may carry the robot's key. */
    if (!ok)
        snprintf(why, cap, "bad %s (%s)", key, expect);
    return ok ? 0 : SD_ECONFIG;
}

int sd_config_chat_item(sd_config_t *cfg, zconfig_t *item, char *why, size_t cap)
{
    sd_chat_config_t *c = &cfg->chat;
    const char *key = zconfig_name(item);
    if (strcmp(key, "robot") != 0) {
        snprintf(why, cap, "unknown option (the chat section holds `robot NAME` subsections)");
        return SD_ECONFIG;
    }
    /* The robot's name: its `name` key (as the schedule's sites), or `robot = NAME`. */
    const char *name = zconfig_value(item) ? zconfig_value(item) : "";
    zconfig_t *named = zconfig_locate(item, "name");
    if (named && zconfig_value(named))
        name = zconfig_value(named);
    if (!s_robot_name(name)) {
        snprintf(why, cap, "robot '%.64s': a name of letters, digits, '-', '_' or '.' is needed",
                 name);
        return SD_ECONFIG;
    }
    for (int i = 0; i < c->robot_count; i++)
        if (!strcmp(c->robots[i].name, name)) {
            snprintf(why, cap, "robot %s is configured twice", name);
            return SD_ECONFIG;
        }
    if (c->robot_count == SD_CHAT_ROBOTS_MAX) {
        snprintf(why, cap, "at most %d robots", SD_CHAT_ROBOTS_MAX);
        return SD_ECONFIG;
    }
    sd_robot_config_t *r = &c->robots[c->robot_count];
    memset(r, 0, sizeof *r);
    strcpy(r->name, name);
    r->kind = -1;
    r->events = SD_ROBOT_EV_ALL;
    r->per_minute = 20;
    for (zconfig_t *k = zconfig_child(item); k; k = zconfig_next(k)) {
        char one[200];
        const char *value = zconfig_value(k) ? zconfig_value(k) : "";
        if (zconfig_child(k)) {
            snprintf(why, cap, "robot %s/%s: a robot takes keys, not subsections", name,
                     zconfig_name(k));
            return SD_ECONFIG;
        }
        if (!strcmp(zconfig_name(k), "name"))
            continue;
        if (s_robot_key(r, zconfig_name(k), value, one, sizeof one) != 0) {
            snprintf(why, cap, "robot %s/%s: %s", name, zconfig_name(k), one);
            return SD_ECONFIG;
        }
    }
    if (r->kind < 0 || !r->url[0]) {
        snprintf(why, cap, "robot %s: kind and url are needed", name);
        return SD_ECONFIG;
    }
    c->robot_count++;
    return 0;
}

/* After the file: each robot's secret file must exist and be its owner's only. A secret is
 * optional (a DingTalk or Feishu robot may be guarded by keywords or addresses instead, a
 * webhook then posts unsigned); wecom signs nothing. */
int sd_config_chat_done(sd_config_t *cfg, char *why, size_t cap)
{
    for (int i = 0; i < cfg->chat.robot_count; i++) {
        const sd_robot_config_t *r = &cfg->chat.robots[i];
        struct stat st;
        if (r->kind == SD_ROBOT_WECOM && r->secret_file[0]) {
            snprintf(why, cap,
                     "chat/robot %s: a wecom robot signs nothing: remove secret_file "
                     "(its key is in the url)",
                     r->name);
            return SD_ECONFIG;
        }
        if (r->secret_file[0] &&
            (stat(r->secret_file, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0)) {
            snprintf(why, cap,
                     "chat/robot %s: secret_file %s must exist and be readable by its owner "
                     "only (chmod 600)",
                     r->name, r->secret_file);
            return SD_ECONFIG;
        }
        if (r->secret_file[0] && access(r->secret_file, R_OK) != 0) {
            snprintf(why, cap,
                     "chat/robot %s: secret_file %s cannot be read by this process (its owner "
                     "should be the user sundeskd runs as)",
                     r->name, r->secret_file);
            return SD_ECONFIG;
        }
    }
    return 0;
}
