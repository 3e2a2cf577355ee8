/* cmd_vendor.c - `sundesk vendor VERB`: vendor.* requests and how vendors show (cmd_vendor.h). */
#include "cmd_vendor.h"

#include "cmd_asset.h"
#include "render.h"
#include "request.h"

#include <stdio.h>

/* A row of the list (NULL: the header). */
static void s_print_row(const sd_mp_node_t *v)
{
    static const char *const cols[][2] = {{"id", "NAME"},
                                          {"display_name", "DISPLAY NAME"},
                                          {"escalation_phone", "ESCALATION PHONE"},
                                          {"escalation_email", "ESCALATION E-MAIL"}};
    static const int widths[] = {20, 30, 18};
    sd_cli_row(v, cols, widths, 4);
}

static int s_print_vendor(sd_cli_t *cli, const sd_mp_node_t *v)
{
    int ilen;
    const char *id = sd_cli_str(v, "id", &ilen);
    if (!ilen)
        return sd_cli_fail("the node sent a vendor this client cannot read");
    if (cli->verb->op != SD_REQ_VENDOR_GET) {
        s_print_row(v);
        return 0;
    }
    printf("%.*s\n", ilen, id);
    sd_cli_card_line(v, "name", "display_name");
    sd_cli_card_line(v, "escalation", "escalation_phone");
    sd_cli_card_line(v, "e-mail", "escalation_email");
    sd_cli_card_line(v, "contacts", "contacts");
    sd_cli_card_line(v, "terms", "terms");
    sd_cli_card_line(v, "notes", "notes");
    return 0;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "vendors", s_print_row,
                             "(more: use --after with the last name for the next page)");
}

const sd_cli_verb_t sd_vendor_verbs[] = {
    {"new", SD_REQ_VENDOR_NEW, "id:NAME",
     "NAME [--name D] [--terms T] [--contacts C] [--escalation-phone P]\n"
     "                 [--escalation-email E] [--notes N]: add a vendor",
     s_print_vendor, false,
     "NAME is the vendor's id (as in `ticket pending ID vendor --vendor NAME`): lower-case\n"
     "letters, digits, '.', '_', '-'. --terms: the contract and support terms; --contacts: who\n"
     "to call. Needs the manager or admin role.",
     NULL},
    {"show", SD_REQ_VENDOR_GET, "id:NAME", "NAME: the vendor card", s_print_vendor, false, NULL,
     NULL},
    {"list", SD_REQ_VENDOR_LIST, "", "[--limit N] [--after NAME]: the vendors, by name",
     s_print_list, true, NULL, NULL},
    {"update", SD_REQ_VENDOR_UPDATE, "id:NAME",
     "NAME [--name D] [--terms T] [--contacts C] [--escalation-phone P] ...: change it",
     s_print_vendor, false, NULL, NULL},
    SD_CLI_VERBS_END,
};
