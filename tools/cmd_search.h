/* cmd_search.h - `sundesk search QUERY|status|reindex` and the printer of `sundesk ticket suggest
 * ID`: full-text search over tickets, articles and customers (proto/SEARCH.md). */
#ifndef SD_CMD_SEARCH_H
#define SD_CMD_SEARCH_H

#include "cli.h"

/* `sundesk search VERB`: query (what `sundesk search WORDS...` runs), status, reindex. Ends with
 * a NULL verb. */
extern const sd_cli_verb_t sd_search_verbs[];

/* Prints the hits of search.query or search.suggest: a line per hit (kind, id, score, title),
 * its snippet under it with the matches in [brackets]. Returns 0, or 1 after a message. */
int sd_search_print_hits(sd_cli_t *cli, const sd_mp_node_t *result);

/* Rewrites `search WORDS...` (argv[0] is "search") into `search query WORDS...` when the word
 * after "search" is no verb. Returns the words to use: argv itself, or a heap array with one more
 * word that the caller frees (the words themselves stay argv's); *argc is updated. */
char **sd_search_words(int *argc, char **argv);

#endif
