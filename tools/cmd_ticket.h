/* cmd_ticket.h - `sundesk ticket VERB`: new, show, list, report and the workflow's steps.
 *
 * The verb table for sundesk.c. Each verb sends one ticket request
 * (proto/PROTOCOL.md) and shows its result: the new id, the ticket card, the
 * queue (a table or CSV), the full report, or the ticket's new status. */
#ifndef SD_CMD_TICKET_H
#define SD_CMD_TICKET_H

#include "cli.h"

/* `sundesk ticket VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_ticket_verbs[];

#endif
