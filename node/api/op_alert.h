/* op_alert.h - the alert ops (proto/alert.h): ingest, get (generic), list.
 *
 * alert.ingest is what the monitoring door (node/http/alerts.c) calls once per alert, as the
 * source's desk user; its id is sd_alert_id_for(source, key), so a repeat, an HA twin or the
 * same alert reaching another site names the same record. The rules (proto/ALERTS.md):
 * - firing, no alert yet (or resolved longer than flap_window ago, or its ticket is gone): a
 *   new ticket (channel monitoring, the request's title, impact, urgency, team, category; its
 *   event appended through ctx->batch), and the alert records it (op create or fire);
 * - firing while resolved within flap_window: its ticket is reopened when it was resolved or
 *   closed (op fire, fires + 1);
 * - resolved: its open ticket is resolved when no person has replied publicly
 *   (first_response_at unset; a new or acknowledged ticket is first acknowledged and assigned
 *   to the caller, as the workflow asks), else an internal note says the alert recovered and
 *   the ticket stays open (op resolve);
 * - acknowledged: a new ticket is acknowledged (op ack);
 * - anything that changes nothing (firing while firing or acknowledged, resolved while
 *   resolved, acknowledged while acknowledged or resolved) writes nothing and answers the
 *   record as it is (SD_API_NO_EVENT): repeats are idempotent. */
#ifndef SD_OP_ALERT_H
#define SD_OP_ALERT_H

#include "alert.h"
#include "dispatch.h"

#define SD_ALERT_FLAP_WINDOW_S 900 /* default flap_window, seconds */

/* alert.ingest. SD_EINVAL (the id is not sd_alert_id_for(source, key), or the record's source
 * or key differ), SD_ENOMEM, the store's errors. */
int sd_api_alert_ingest(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                        sd_event_t *ev, sd_fault_t *fault);

/* {alerts, more} in id order, filtered by source, state, ticket. */
int sd_api_alert_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);

#endif
