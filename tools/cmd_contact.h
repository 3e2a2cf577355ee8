/* cmd_contact.h - `sundesk contact VERB`: the contact history (calls, e-mails, chats, walk-ins,
 * portal visits with a customer).
 *
 * The verb table for sundesk.c: contact.new, contact.get, contact.update and contact.list, each
 * shown as a card, a table or the new id. */
#ifndef SD_CMD_CONTACT_H
#define SD_CMD_CONTACT_H

#include "cli.h"

/* `sundesk contact VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_contact_verbs[];

#endif
