/* cmd_article.h - `sundesk article VERB`: the knowledge base.
 *
 * The verb table for sundesk.c: article.new (prints the new id), .update, .get (show), .list,
 * .version, .diff (prints the unified diff), .publish, .retire, .link, .helpful. */
#ifndef SD_CMD_ARTICLE_H
#define SD_CMD_ARTICLE_H

#include "cli.h"

/* `sundesk article VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_article_verbs[];

/* Rewrites the words of `article ...` ((*argv)[0] is "article") into a new array (*argv is
 * replaced; it and the texts it holds live until exit): `--body-file FILE` becomes `--body` and
 * the file's text ("-" reads stdin), `show ID --version N` becomes `version ID --version N`,
 * `diff ID FROM TO` becomes `diff ID --from FROM --to TO`. Returns the new count of words, or
 * -1 after sd_cli_fail (the file cannot be read, or is over the protocol's text limit). */
int sd_article_words(int argc, char ***argv);

#endif
