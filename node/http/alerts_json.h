/* alerts_json.h - the monitoring webhooks' bodies (jansson) checked and mapped to the arguments
 * of alert.ingest (proto/ALERTS.md): no HTTP here, so the mapping is tested on its own
 * (tests/node/test_alerts_json.c). The door is alerts.c.
 *
 * Checks are strict: an unknown top-level key, a missing or mistyped field, a wrong version,
 * status, action or severity fails with why (SD_ALERTS_WHY_MAX bytes) naming it, e.g.
 * "alerts[1].fingerprint: missing". Texts are made to fit the node's fields visibly: control
 * characters become spaces (one-line fields: all of them), a longer text is cut at a character
 * boundary and ends with "…". */
#ifndef SD_ALERTS_JSON_H
#define SD_ALERTS_JSON_H

#include "config.h"

#include <jansson.h>
#include <stdbool.h>

#define SD_ALERTS_WHY_MAX 320 /* bytes of a refusal's reason */

/* The Alertmanager webhook body (version 4) and each of its alerts. */
bool sd_alerts_am_check(const json_t *body, char *why);

/* alert.ingest's arguments for one alert (checked by sd_alerts_am_check) of source src: id,
 * source, key (fingerprint), status (its own), title (annotations.summary, else
 * labels.alertname, else the fingerprint), description (annotations.description, then the other
 * annotations as name=value lines), severity (labels.severity), labels (name=value lines in name
 * order), url (generatorURL), impact and urgency (cfg's severity map), team and category (src's),
 * flap_window (cfg's). A new object, or NULL (why set, or "" when out of memory). */
json_t *sd_alerts_am_args(const sd_alerts_config_t *cfg, const sd_alert_source_t *src,
                          const json_t *alert, char *why);

/* A PagerDuty Events v2 body for source src (its routing_key when it sets one). */
bool sd_alerts_pd_check(const sd_alert_source_t *src, const json_t *body, char *why);

/* alert.ingest's arguments of a checked PagerDuty event with dedup_key dedup (the body's, or
 * one made for a trigger without): status firing | acknowledged | resolved for trigger |
 * acknowledge | resolve, title (payload.summary), description (summary, source, component,
 * group, class, custom_details as indented JSON), severity, url (client_url), impact and
 * urgency, team, category, flap_window. A new object, or NULL when out of memory. */
json_t *sd_alerts_pd_args(const sd_alerts_config_t *cfg, const sd_alert_source_t *src,
                          const json_t *body, const char *dedup);

#endif
