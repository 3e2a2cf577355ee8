/* alerts_json.c - the webhooks' bodies to alert.ingest's arguments (alerts_json.h). */
#include "alerts_json.h"

#include "alert.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_WHY_MAX SD_ALERTS_WHY_MAX

/* Copies text into a new JSON string of at most max bytes the node takes: control characters
 * become spaces (all of them when line, else all but tab, CR and LF); a longer text is cut at a
 * character boundary and ends with a visible "…" (never silently). */
static json_t *s_cut(const char *text, size_t max, bool line)
{
    size_t len = strlen(text);
    size_t keep = len <= max ? len : sd_utf8_cut(text, max - 3);
    char *buf = malloc(keep + 4);
    if (!buf)
        return NULL;
    for (size_t i = 0; i < keep; i++) {
        unsigned char ch = (unsigned char)text[i];
        bool ctl = ch < 0x20 || ch == 0x7f;
        buf[i] = ctl && (line || (ch != '\t' && ch != '\n' && ch != '\r')) ? ' ' : (char)ch;
    }
    if (keep < len)
        memcpy(buf + keep, "\xe2\x80\xa6", 4);
    else
        buf[keep] = 0;
    json_t *s = json_string(buf);
    free(buf);
    return s;
}

/* Sets args[key] to text as s_cut makes it (description and labels keep their lines); nothing for
 * NULL or "". */
static void s_put(json_t *args, const char *key, const char *text, size_t max)
{
    bool line = strcmp(key, "description") != 0 && strcmp(key, "labels") != 0;
    if (text && *text)
        json_object_set_new(args, key, s_cut(text, max, line));
}

/* The keys of obj are all in known (NULL-terminated)? Else why names the first other one. */
static bool s_known_keys(const json_t *obj, const char *const *known, const char *where, char *why)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        int i = 0;
        while (known[i] && strcmp(known[i], key))
            i++;
        if (!known[i]) {
            snprintf(why, S_WHY_MAX, "%s: unknown key '%.64s'", where, key);
            return false;
        }
    }
    return true;
}

/* obj[key] is a string (non-empty when required) or absent (when not required)? */
static bool s_str(const json_t *obj, const char *key, bool required, const char *where,
                  const char **out, char *why)
{
    json_t *v = json_object_get(obj, key);
    *out = json_is_string(v) ? json_string_value(v) : NULL;
    if ((!v || json_is_null(v)) && !required)
        return true;
    if (!json_is_string(v) || (required && !*json_string_value(v))) {
        snprintf(why, S_WHY_MAX, "%s.%s: %s", where, key,
                 v ? "expected a non-empty string" : "missing");
        return false;
    }
    return true;
}

/* "name=value" lines of an object of strings, in key order; false (why) for another value. */
static int s_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static char *s_lines(const json_t *obj, const char *skip1, const char *skip2, const char *where,
                     char *why)
{
    size_t n = json_object_size(obj), total = 1, k = 0;
    const char **keys = calloc(n + 1, sizeof *keys);
    const char *key;
    json_t *v;
    if (!keys)
        return NULL;
    json_object_foreach((json_t *)obj, key, v)
    {
        if (!json_is_string(v)) {
            snprintf(why, S_WHY_MAX, "%s.%.64s: expected a string", where, key);
            free(keys);
            return NULL;
        }
        if ((skip1 && !strcmp(key, skip1)) || (skip2 && !strcmp(key, skip2)))
            continue;
        keys[k++] = key;
        total += strlen(key) + json_string_length(v) + 2;
    }
    qsort(keys, k, sizeof *keys, s_cmp);
    char *out = malloc(total);
    if (out) {
        size_t used = 0;
        for (size_t i = 0; i < k; i++)
            used += (size_t)sprintf(out + used, "%s=%s\n", keys[i],
                                    json_string_value(json_object_get(obj, keys[i])));
        out[used] = 0;
    }
    free(keys);
    if (!out)
        snprintf(why, S_WHY_MAX, "out of memory");
    return out;
}

/* The common arguments of alert.ingest for src's alert key with status; NULL on no memory. */
static json_t *s_args(const sd_alerts_config_t *cfg, const sd_alert_source_t *src, const char *key,
                      const char *status, const char *severity)
{
    char id[SD_ID_MAX + 1];
    if (sd_alert_id_for(src->name, key, id) != 0)
        return NULL;
    int sev = sd_alerts_severity(severity);
    json_t *args = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i}", "id", id, "source", src->name,
                             "key", key, "status", status, "impact", cfg->impact[sev], "urgency",
                             cfg->urgency[sev], "flap_window", cfg->flap_window);
    if (args && src->team[0])
        json_object_set_new(args, "team", json_string(src->team));
    if (args && src->category[0])
        json_object_set_new(args, "category", json_string(src->category));
    if (args && severity && *severity)
        s_put(args, "severity", severity, SD_ALERT_SEVERITY_MAX);
    return args;
}

/* Checks one alert of the webhook; false with why. */
static bool s_am_check(const json_t *a, size_t i, char *why)
{
    static const char *const known[] = {"status", "labels",       "annotations", "startsAt",
                                        "endsAt", "generatorURL", "fingerprint", NULL};
    char where[32];
    const char *s;
    snprintf(where, sizeof where, "alerts[%zu]", i);
    if (!json_is_object(a)) {
        snprintf(why, S_WHY_MAX, "%s: expected an object", where);
        return false;
    }
    if (!s_known_keys(a, known, where, why) || !s_str(a, "fingerprint", true, where, &s, why) ||
        !s_str(a, "status", true, where, &s, why))
        return false;
    if (strcmp(s, "firing") && strcmp(s, "resolved")) {
        snprintf(why, S_WHY_MAX, "%s.status: expected firing or resolved", where);
        return false;
    }
    if (strlen(json_string_value(json_object_get(a, "fingerprint"))) > SD_ALERT_KEY_MAX) {
        snprintf(why, S_WHY_MAX, "%s.fingerprint: longer than %d bytes", where, SD_ALERT_KEY_MAX);
        return false;
    }
    json_t *labels = json_object_get(a, "labels"), *ann = json_object_get(a, "annotations");
    if ((labels && !json_is_object(labels)) || (ann && !json_is_object(ann))) {
        snprintf(why, S_WHY_MAX, "%s: labels and annotations are objects", where);
        return false;
    }
    return s_str(a, "generatorURL", false, where, &s, why) &&
           s_str(a, "startsAt", false, where, &s, why) && s_str(a, "endsAt", false, where, &s, why);
}

bool sd_alerts_am_check(const json_t *body, char *why)
{
    static const char *const known[] = {"receiver",
                                        "status",
                                        "alerts",
                                        "groupLabels",
                                        "commonLabels",
                                        "commonAnnotations",
                                        "externalURL",
                                        "version",
                                        "groupKey",
                                        "truncatedAlerts",
                                        NULL};
    const char *version;
    if (!s_known_keys(body, known, "body", why) ||
        !s_str(body, "version", true, "body", &version, why))
        return false;
    if (strcmp(version, "4") != 0) {
        snprintf(why, S_WHY_MAX, "body.version: '%.16s' (this door reads version 4)", version);
        return false;
    }
    json_t *alerts = json_object_get(body, "alerts");
    if (!json_is_array(alerts)) {
        snprintf(why, S_WHY_MAX, "body.alerts: expected an array");
        return false;
    }
    for (size_t i = 0; i < json_array_size(alerts); i++)
        if (!s_am_check(json_array_get(alerts, i), i, why))
            return false;
    return true;
}

json_t *sd_alerts_am_args(const sd_alerts_config_t *cfg, const sd_alert_source_t *src,
                          const json_t *a, char *why)
{
    json_t *labels = json_object_get(a, "labels"), *ann = json_object_get(a, "annotations");
    const char *fp = json_string_value(json_object_get(a, "fingerprint"));
    const char *status = json_string_value(json_object_get(a, "status"));
    const char *summary = json_string_value(json_object_get(ann, "summary"));
    const char *name = json_string_value(json_object_get(labels, "alertname"));
    json_t *args =
        s_args(cfg, src, fp, status, json_string_value(json_object_get(labels, "severity")));
    char *lab = labels ? s_lines(labels, NULL, NULL, "labels", why) : strdup("");
    char *more = ann ? s_lines(ann, "summary", "description", "annotations", why) : strdup("");
    if (!args || !lab || !more) {
        json_decref(args);
        args = NULL;
    } else {
        s_put(args, "title",
              summary && *summary ? summary
              : name && *name     ? name
                                  : fp,
              SD_TITLE_MAX);
        const char *desc = json_string_value(json_object_get(ann, "description"));
        size_t dlen = (desc ? strlen(desc) : 0) + strlen(more) + 2;
        char *text = malloc(dlen);
        if (text)
            snprintf(text, dlen, "%s%s%s", desc ? desc : "", desc && *more ? "\n" : "", more);
        s_put(args, "description", text, SD_TEXT_MAX);
        free(text);
        s_put(args, "labels", lab, SD_ALERT_LABELS_MAX);
        s_put(args, "url", json_string_value(json_object_get(a, "generatorURL")), SD_ALERT_URL_MAX);
    }
    free(lab);
    free(more);
    return args;
}

bool sd_alerts_pd_check(const sd_alert_source_t *src, const json_t *body, char *why)
{
    static const char *const known[] = {"routing_key", "event_action", "dedup_key",
                                        "client",      "client_url",   "images",
                                        "links",       "payload",      NULL};
    static const char *const pknown[] = {"summary",   "source",         "severity",
                                         "timestamp", "component",      "group",
                                         "class",     "custom_details", NULL};
    const char *rk, *action, *dedup, *s;
    if (!s_known_keys(body, known, "body", why) ||
        !s_str(body, "routing_key", true, "body", &rk, why) ||
        !s_str(body, "event_action", true, "body", &action, why) ||
        !s_str(body, "dedup_key", false, "body", &dedup, why) ||
        !s_str(body, "client", false, "body", &s, why) ||
        !s_str(body, "client_url", false, "body", &s, why))
        return false;
    const char *arrays[] = {"images", "links"};
    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(body, arrays[i]);
        if (v && !json_is_array(v) && !json_is_null(v)) {
            snprintf(why, S_WHY_MAX, "body.%s: expected an array", arrays[i]);
            return false;
        }
    }
    if (src->routing_key[0] && strcmp(rk, src->routing_key) != 0) {
        snprintf(why, S_WHY_MAX, "body.routing_key: not the routing key of source %s", src->name);
        return false;
    }
    bool trigger = !strcmp(action, "trigger");
    if (!trigger && strcmp(action, "acknowledge") && strcmp(action, "resolve")) {
        snprintf(why, S_WHY_MAX, "body.event_action: expected trigger, acknowledge or resolve");
        return false;
    }
    if (dedup && strlen(dedup) > SD_ALERT_KEY_MAX) {
        snprintf(why, S_WHY_MAX, "body.dedup_key: longer than 255 bytes");
        return false;
    }
    if (!trigger && (!dedup || !*dedup)) {
        snprintf(why, S_WHY_MAX, "body.dedup_key: required by %s", action);
        return false;
    }
    json_t *p = json_object_get(body, "payload");
    if (!trigger && !p)
        return true;
    if (!json_is_object(p)) {
        snprintf(why, S_WHY_MAX, "body.payload: %s", p ? "expected an object" : "missing");
        return false;
    }
    if (!s_known_keys(p, pknown, "payload", why) || !s_str(p, "summary", true, "payload", &s, why))
        return false;
    if (strlen(s) > 1024) {
        snprintf(why, S_WHY_MAX, "payload.summary: longer than 1024 bytes");
        return false;
    }
    if (!s_str(p, "source", true, "payload", &s, why) ||
        !s_str(p, "severity", true, "payload", &s, why))
        return false;
    if (strcmp(s, "critical") && strcmp(s, "error") && strcmp(s, "warning") && strcmp(s, "info")) {
        snprintf(why, S_WHY_MAX, "payload.severity: expected critical, error, warning or info");
        return false;
    }
    return s_str(p, "timestamp", false, "payload", &s, why) &&
           s_str(p, "component", false, "payload", &s, why) &&
           s_str(p, "group", false, "payload", &s, why) &&
           s_str(p, "class", false, "payload", &s, why);
}

json_t *sd_alerts_pd_args(const sd_alerts_config_t *cfg, const sd_alert_source_t *src,
                          const json_t *body, const char *dedup)
{
    const char *action = json_string_value(json_object_get(body, "event_action"));
    json_t *p = json_object_get(body, "payload");
    const char *status = !strcmp(action, "trigger")       ? "firing"
                         : !strcmp(action, "acknowledge") ? "acknowledged"
                                                          : "resolved";
    json_t *args =
        s_args(cfg, src, dedup, status, json_string_value(json_object_get(p, "severity")));
    if (!args)
        return NULL;
    if (p) {
        s_put(args, "title", json_string_value(json_object_get(p, "summary")), SD_TITLE_MAX);
        json_t *d = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "summary",
                              json_object_get(p, "summary"), "source", json_object_get(p, "source"),
                              "component", json_object_get(p, "component"), "group",
                              json_object_get(p, "group"), "class", json_object_get(p, "class"),
                              "custom_details", json_object_get(p, "custom_details"));
        char *text = d ? json_dumps(d, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
        s_put(args, "description", text, SD_TEXT_MAX);
        free(text);
        json_decref(d);
    }
    s_put(args, "url", json_string_value(json_object_get(body, "client_url")), SD_ALERT_URL_MAX);
    return args;
}
