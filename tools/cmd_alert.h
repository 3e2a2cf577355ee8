/* cmd_alert.h - `sundesk alert VERB`: monitoring alerts (proto/ALERTS.md).
 *
 * The verb table for sundesk.c: alert.list, .get (show), and .ingest (what the HTTP door
 * calls; for scripts and tests: the id is worked out from --source and --key). */
#ifndef SD_CMD_ALERT_H
#define SD_CMD_ALERT_H

#include "cli.h"

/* `sundesk alert VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_alert_verbs[];

#endif
