/* cmd_vendor.h - `sundesk vendor VERB`: the vendors tickets wait on (name, contract terms,
 * contacts, escalation phone and e-mail).
 *
 * The verb table for sundesk.c: vendor.new, vendor.get, vendor.list and vendor.update. */
#ifndef SD_CMD_VENDOR_H
#define SD_CMD_VENDOR_H

#include "cli.h"

/* `sundesk vendor VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_vendor_verbs[];

#endif
