/* cmd_outbox.h - `sundesk outbox list|retry`: the node's send queue of notices (mail, chat). */
#ifndef SD_CMD_OUTBOX_H
#define SD_CMD_OUTBOX_H

#include "cli.h"

extern const sd_cli_verb_t sd_outbox_verbs[];

#endif
