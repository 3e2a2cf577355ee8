/* alert.h - the alert record kind: one alert of a monitoring source (Prometheus Alertmanager,
 * a PagerDuty Events v2 sender), correlated on its structured key only.
 *
 * An alert's id is not counted: it is "AL-" + the first 29 lowercase hex digits of BLAKE2b-128
 * over source + "\n" + key (29, not 32: an id is at most SD_ID_MAX = 32 bytes; 116 bits still
 * make a collision among a desk's alerts out of reach; the message kind cuts its M- ids alike) (the
 * Alertmanager fingerprint, or the PagerDuty dedup_key), so the same alert reaching two sites'
 * nodes is one record, merged by the fold (sd_alert_id_for). Every field is a last-writer-wins
 * register. The ticket it opened is `ticket`; `state` is what the source said last (firing,
 * acknowledged, resolved). Indexes: "ticket" (ticket id -> alert id), "source" (source -> alert
 * id). The rules (node/api/op_alert.c, proto/ALERTS.md). */
#ifndef SD_ALERT_H
#define SD_ALERT_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stdbool.h>
#include <stdint.h>

#define SD_ALERT_KEY_MAX      255  /* fingerprint or dedup_key (PagerDuty's limit) */
#define SD_ALERT_SOURCE_MAX   64   /* a source's name (config alerts/source NAME) */
#define SD_ALERT_LABELS_MAX   4096 /* "name=value" lines */
#define SD_ALERT_URL_MAX      1024 /* generatorURL, client_url */
#define SD_ALERT_SEVERITY_MAX 32   /* critical, error, warning, info, or a source's own word */

#define SD_ALERT_ID_HEX 29 /* hex digits after "AL-" */

#define SD_ALERT_INDEX_TICKET "ticket" /* ticket id, alert id */
#define SD_ALERT_INDEX_SOURCE "source" /* source, alert id */

typedef enum {
    SD_ALOP_CREATE,
    SD_ALOP_FIRE,
    SD_ALOP_ACK,
    SD_ALOP_RESOLVE,
    SD_ALOP_COUNT_
} sd_alert_op_t;

typedef enum {
    SD_ALREG_CREATED, /* created_at, origin_site, source, key */
    SD_ALREG_DESC,    /* title, description, severity, labels, url */
    SD_ALREG_STATE,   /* state, fired_at, acked_at, resolved_at, fires */
    SD_ALREG_TICKET,  /* ticket */
    SD_ALREG_COUNT_
} sd_alert_register_t;

typedef enum {
    SD_ALERT_FIRING,
    SD_ALERT_ACKNOWLEDGED,
    SD_ALERT_RESOLVED,
    SD_ALERT_STATE_COUNT_
} sd_alert_state_t;

extern const char *const sd_alert_state_names[]; /* SD_ALERT_STATE_COUNT_ */

typedef struct {
    char id[SD_ID_MAX + 1]; /* AL-<29 hex> */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* Unix ms */
    char *origin_site;      /* site that first recorded it */
    char *source;           /* the source's name (config) */
    char *key;              /* fingerprint or dedup_key */
    char *title;            /* summary / alertname */
    char *description;      /* annotations' description, custom details */
    char *severity;         /* the source's word */
    char *labels;           /* "name=value" lines */
    char *url;              /* generatorURL or client_url */
    int state;              /* sd_alert_state_t */
    uint64_t fired_at;      /* the last trigger that opened or reopened its ticket */
    uint64_t acked_at;      /* acknowledged (PagerDuty) */
    uint64_t resolved_at;   /* the last resolve */
    uint64_t fires;         /* triggers that opened or reopened a ticket */
    char *ticket;           /* the ticket it opened */
    sd_stamp_t stamps[SD_ALREG_COUNT_];
} sd_alert_t;

extern const sd_kind_t sd_kind_alert;

/* The alert an event carries (ev->kind must be the alert kind). */
static inline sd_alert_t *sd_event_alert(const sd_event_t *ev)
{
    return (sd_alert_t *)ev->fields;
}

/* The id of the alert of source with key: "AL-" + the first 29 hex digits of
 * BLAKE2b-128(source "\n" key).
 * Returns 0, or SD_EINVAL for an empty source or key. */
int sd_alert_id_for(const char *source, const char *key, char id[SD_ID_MAX + 1]);

/* The state named name (firing, acknowledged, resolved), or -1. */
int sd_alert_state_value(const char *name);

#endif
