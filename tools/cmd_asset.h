/* cmd_asset.h - `sundesk asset VERB`: the desk's assets (tag, kind, model, serial, owner, site,
 * status, warranty).
 *
 * The verb table for sundesk.c: asset.new, asset.get, asset.list and asset.update, each shown
 * as a card, a table or a one-line summary. */
#ifndef SD_CMD_ASSET_H
#define SD_CMD_ASSET_H

#include "cli.h"

/* `sundesk asset VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_asset_verbs[];

/* Prints "  LABEL  TEXT" for str entry key of map m when it is set; multi-line text indented
 * under it. For the cards of assets and vendors. */
void sd_cli_card_line(const sd_mp_node_t *m, const char *label, const char *key);

/* Prints one row of a table of n columns: for column i, entry cols[i][0] of map m ("-" when
 * unset) left-aligned in widths[i] characters, the last column as it is; m NULL: the headings
 * cols[i][1], as the header line. */
void sd_cli_row(const sd_mp_node_t *m, const char *const (*cols)[2], const int *widths, int n);

#endif
