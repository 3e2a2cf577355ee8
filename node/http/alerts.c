/* alerts.c - the monitoring door: Alertmanager and PagerDuty webhooks to alert.ingest
 * (alerts.h). */
#include "alerts.h"

#include "alerts_json.h"

#include "alert.h"
#include "error.h"
#include "problem.h"
#include "secrets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_WHY_MAX SD_ALERTS_WHY_MAX

/* A refusal of the body: a problem (problem.h) whose detail is the reason, as every route's. */
static void s_bad(const sd_http_caller_t *c, bool pagerduty, const char *why)
{
    (void)pagerduty;
    sd_problem_send(c->req, 400, "bad_json", why, NULL);
}

/* The string key of map n copied into out (cap bytes); "" when absent or no string. */
static const char *s_mp_str(const sd_mp_node_t *n, const char *key, char *out, size_t cap)
{
    if (sd_mp_copy_str(sd_mp_get(n, key), out, cap) != 0)
        out[0] = 0;
    return out;
}

/* The source whose user the caller is (of the kind asked), or NULL after answering. */
static const sd_alert_source_t *s_source(const sd_alerts_config_t *cfg, const sd_http_caller_t *c,
                                         bool pagerduty)
{
    sd_reply_t reply;
    if (sd_routes_call(c, "auth.whoami", NULL, NULL, NULL, &reply) != 0)
        return NULL;
    char user[SD_NAME_MAX + 1];
    const char *login = *s_mp_str(reply.result, "user", user, sizeof user) ? user : NULL;
    const sd_alert_source_t *found = NULL;
    int kind = pagerduty ? SD_ALERT_SRC_PAGERDUTY : SD_ALERT_SRC_ALERTMANAGER;
    for (int i = 0; login && cfg && i < cfg->nsources && !found; i++)
        if (cfg->sources[i].kind == kind && !strcmp(cfg->sources[i].user, login))
            found = &cfg->sources[i];
    if (!found) {
        char detail[S_WHY_MAX];
        snprintf(detail, sizeof detail,
                 "forbidden: %.128s is the user of no %s source (config alerts/source)",
                 login ? login : "this token", pagerduty ? "pagerduty" : "alertmanager");
        sd_problem_send(c->req, 403, "forbidden", detail, NULL);
    }
    sd_reply_clear(&reply);
    return found;
}

/* ---- Alertmanager ------------------------------------------------------------------------- */

static void s_alertmanager(const sd_alerts_config_t *cfg, const sd_alert_source_t *src,
                           const sd_http_caller_t *c, const json_t *body)
{
    char why[S_WHY_MAX] = "";
    if (!sd_alerts_am_check(body, why)) {
        s_bad(c, false, why);
        return;
    }
    json_t *alerts = json_object_get(body, "alerts"), *done = json_array();
    for (size_t i = 0; done && i < json_array_size(alerts); i++) {
        const json_t *a = json_array_get(alerts, i);
        json_t *args = sd_alerts_am_args(cfg, src, a, why);
        sd_reply_t reply;
        if (!args) {
            sd_problem_send(c->req, why[0] ? 400 : 500, why[0] ? "bad_json" : "no_memory",
                            why[0] ? why : "out of memory", NULL);
            json_decref(done);
            return;
        }
        int rc = sd_routes_call(c, "alert.ingest", args, NULL, NULL, &reply);
        json_decref(args);
        if (rc) { /* answered with the node's refusal; the sender retries the group */
            json_decref(done);
            return;
        }
        char ticket[SD_ID_MAX + 1], id[SD_ID_MAX + 1];
        s_mp_str(reply.result, "ticket", ticket, sizeof ticket);
        s_mp_str(reply.result, "id", id, sizeof id);
        json_array_append_new(done, json_pack("{s:O, s:O, s:s?, s:s?}", "fingerprint",
                                              json_object_get(a, "fingerprint"), "status",
                                              json_object_get(a, "status"), "alert", id, "ticket",
                                              *ticket ? ticket : NULL));
        sd_reply_clear(&reply);
    }
    json_t *out = done ? json_pack("{s:o}", "alerts", done) : NULL;
    if (out)
        sd_http_json(c->req, 200, NULL, out);
    else
        sd_problem_send(c->req, 500, "no_memory", "out of memory", NULL);
    json_decref(out);
}

/* ---- PagerDuty Events v2 ------------------------------------------------------------------ */

static void s_pagerduty(const sd_alerts_config_t *cfg, const sd_alert_source_t *src,
                        const sd_http_caller_t *c, const json_t *body)
{
    char why[S_WHY_MAX] = "";
    if (!sd_alerts_pd_check(src, body, why)) {
        s_bad(c, true, why);
        return;
    }
    const char *dedup = json_string_value(json_object_get(body, "dedup_key"));
    char made[33];
    if (!dedup || !*dedup) { /* PagerDuty makes one for a trigger without: so does the desk */
        sd_secret_random_hex(16, made);
        dedup = made;
    }
    json_t *args = sd_alerts_pd_args(cfg, src, body, dedup);
    if (!args) {
        sd_problem_send(c->req, 500, "no_memory", "out of memory", NULL);
        return;
    }
    sd_reply_t reply;
    int rc = sd_routes_call(c, "alert.ingest", args, NULL, NULL, &reply);
    json_decref(args);
    if (rc)
        return;
    sd_reply_clear(&reply);
    json_t *out = json_pack("{s:s, s:s, s:s}", "status", "success", "message", "Event processed",
                            "dedup_key", dedup);
    sd_http_json(c->req, 202, NULL, out);
    json_decref(out);
}

void sd_alerts_serve(const sd_alerts_config_t *cfg, const sd_http_caller_t *c, bool pagerduty)
{
    size_t len;
    const char *text = sd_http_body(c->req, &len);
    if (sd_http_body_too_big(c->req) || len > SD_ALERTS_MAX_BODY) {
        sd_problem_send(c->req, 413, "too_big", "the request body is over 524288 bytes (512 KB)",
                        NULL);
        return;
    }
    if (!c->token) {
        sd_problem_send(c->req, 401, "unauthenticated",
                        "send the source's API token: Authorization: Bearer TOKEN", NULL);
        return;
    }
    json_error_t err;
    json_t *body = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &err);
    const sd_alert_source_t *src = NULL;
    char why[S_WHY_MAX];
    if (body && json_is_object(body) && !(src = s_source(cfg, c, pagerduty))) {
        /* answered: 401, 403 */
    } else if (!body || !json_is_object(body)) {
        if (body)
            snprintf(why, sizeof why, "the body must be a JSON object");
        else
            snprintf(why, sizeof why, "the body is not valid JSON: %s (line %d, column %d)",
                     err.text, err.line, err.column);
        s_bad(c, pagerduty, why);
    } else if (pagerduty) {
        s_pagerduty(cfg, src, c, body);
    } else {
        s_alertmanager(cfg, src, c, body);
    }
    json_decref(body);
}
