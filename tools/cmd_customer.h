/* cmd_customer.h - `sundesk customer VERB` and `sundesk lookup`: the desk's customers and the
 * caller's card.
 *
 * The verb tables for sundesk.c: customer.new (prints the new id), customer.get, .update,
 * .merge, .list, .find, and lookup (customer.lookup: profile, VIP, assets, open tickets, the last
 * closed ones, the last contacts). `customer import FILE.csv` (cmd_customer_import.c) checks
 * every row first and imports nothing when one is bad, then sends the rows pipelined. */
#ifndef SD_CMD_CUSTOMER_H
#define SD_CMD_CUSTOMER_H

#include "cli.h"

/* `sundesk customer VERB`. Ends with a NULL verb. */
extern const sd_cli_verb_t sd_customer_verbs[];

/* `sundesk lookup --phone P | --email E | --id ID`. */
extern const sd_cli_verb_t sd_lookup_verbs[];

/* Rewrites the words of `customer new|update ...` (argv[0] is "customer") in place into the
 * request's options: repeated --email and --phone become one --emails and one --phones
 * (comma-separated), --site becomes --home-site. Returns the new count of words (never more).
 * Joined values are heap copies that live until exit. */
int sd_customer_words(int argc, char **argv);

/* `sundesk customer import FILE.csv [--country CC] [--batch N]` (argv: the words after
 * "import"). Returns the exit status. */
int sd_cmd_customer_import(sd_cli_opts_t *opts, int argc, char **argv);

#endif
