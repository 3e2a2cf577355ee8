/* cmd_message.h - `sundesk message VERB` (inbound mail and chat: list, show, release, discard)
 * and `sundesk blob get BLOB [--out FILE]` (a blob's bytes: a mail's raw form, an attachment).
 * proto/MAIL.md. */
#ifndef SD_CMD_MESSAGE_H
#define SD_CMD_MESSAGE_H

#include "cli.h"

/* `sundesk message VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_message_verbs[];

/* `sundesk blob VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_blob_verbs[];

#endif
