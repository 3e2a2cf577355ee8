/* alerts.h - monitoring alerts at the HTTP door: POST /api/v1/alerts/alertmanager (the
 * Prometheus Alertmanager webhook, version 4) and POST /api/v1/alerts/events (the PagerDuty
 * Events v2 shape). Each alert becomes one alert.ingest (node/api/op_alert.h) called with the
 * caller's own token, so the alert's and its ticket's events are the source's desk user's.
 *
 * The caller's token must be a source's user (config alerts/source: kind, user): another
 * user's token is 403, none 401. The body is at most SD_ALERTS_MAX_BODY bytes (413 over it)
 * and read strictly: an unknown top-level key, a missing or mistyped field, a wrong version or
 * status is a 400 whose detail names it; nothing is ingested then.
 *
 * Alertmanager: each alert by its own `status` (not the group's), correlated on `fingerprint`;
 * title = annotations.summary, else labels.alertname; description = annotations.description
 * and the other annotations; severity = labels.severity. Answer 200
 * {"alerts": [{"fingerprint", "status", "alert": id, "ticket"}]}.
 * PagerDuty: event_action trigger | acknowledge | resolve, dedup_key (made when a trigger has
 * none), payload {summary, source, severity, ...} for a trigger. Answer 202
 * {"status": "success", "message": "Event processed", "dedup_key"}. A refusal of either is a
 * problem (problem.h) with code bad_json and the reason as its detail.
 * Severity maps to the new ticket's impact and urgency by alerts/severity_*; team and category
 * come from the source. A node that is busy answers 503 (both senders retry). */
#ifndef SD_ALERTS_HTTP_H
#define SD_ALERTS_HTTP_H

#include "config.h"
#include "routes.h"

#define SD_ALERTS_MAX_BODY (512 * 1024) /* bytes of one webhook body */

/* Answers POST /api/v1/alerts/alertmanager (pagerduty false) or /api/v1/alerts/events. */
void sd_alerts_serve(const sd_alerts_config_t *cfg, const sd_http_caller_t *caller, bool pagerduty);

#endif
