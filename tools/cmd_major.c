/* cmd_major.c - `sundesk major VERB`: major.* requests and how rules show (cmd_major.h). */
#include "cmd_major.h"

#include "request.h"

#include <stdio.h>

/* A row of the list (NULL: the header). */
static void s_print_row(const sd_mp_node_t *r)
{
    if (!r) {
        printf("%-20s %-20s %-9s %-24s %s\n", "NAME", "CATEGORY", "SITE", "SERVICE", "NOTIFY");
        return;
    }
    int il, cl, sl, vl, nl;
    const char *id = sd_cli_str_or_dash(r, "id", &il),
               *category = sd_cli_str_or_dash(r, "category", &cl);
    const char *site = sd_cli_str_or_dash(r, "site", &sl),
               *service = sd_cli_str_or_dash(r, "service", &vl);
    const char *notify = sd_cli_str_or_dash(r, "notify", &nl);
    printf("%-20.*s %-20.*s %-9.*s %-24.*s %.*s\n", il, id, cl, category, sl, site, vl, service, nl,
           notify);
}

static int s_print_rule(sd_cli_t *cli, const sd_mp_node_t *r)
{
    int il, nl;
    sd_cli_str(r, "id", &il);
    if (!il)
        return sd_cli_fail("the node sent a rule this client cannot read");
    s_print_row(NULL);
    s_print_row(r);
    const char *note = sd_cli_str(r, "note", &nl);
    if (cli->verb->op == SD_REQ_MAJOR_GET && nl)
        printf("%.*s\n", nl, note);
    return 0;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "majors", s_print_row,
                             "(more: use --after with the last name for the next page)");
}

const sd_cli_verb_t sd_major_verbs[] = {
    {"new", SD_REQ_MAJOR_NEW, "id:NAME",
     "NAME --notify \"a,b\" [--category C] [--site S] [--service S] [--note N]: add a rule",
     s_print_rule, false,
     "A rule of the major-incident contact list: when a ticket whose category is C (\"*\": any;\n"
     "the default) at site S (\"*\": any; the default) is declared a major incident\n"
     "(`sundesk ticket declare-major`), the people of --notify (logins, e-mail addresses or\n"
     "phone numbers, comma-separated) are to be notified. NAME: lower-case letters, digits,\n"
     "'.', '_', '-'. Needs the manager or admin role.",
     NULL},
    {"show", SD_REQ_MAJOR_GET, "id:NAME", "NAME: the rule", s_print_rule, false, NULL, NULL},
    {"list", SD_REQ_MAJOR_LIST, "",
     "[--category C] [--site S] [--limit N] [--after NAME]: the rules, by name", s_print_list, true,
     NULL, NULL},
    {"update", SD_REQ_MAJOR_UPDATE, "id:NAME",
     "NAME [--notify L] [--category C] [--site S] [--service S] [--note N]: change it",
     s_print_rule, false, NULL, NULL},
    SD_CLI_VERBS_END,
};
