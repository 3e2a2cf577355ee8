/* cmd_bulletin.c - `sundesk bulletin VERB` (cmd_bulletin.h). */
#include "cmd_bulletin.h"

#include "render.h"
#include "request.h"

#include <stdio.h>
#include <string.h>

/* A row of a list (NULL: the header). */
static void s_print_row(const sd_mp_node_t *b)
{
    if (!b) {
        printf("%-17s %-11s %-3s %-16s %-16s %-12s %s\n", "ID", "SEVERITY", "NOW", "FROM", "UNTIL",
               "SITES", "TITLE");
        return;
    }
    char from[24], until[24];
    int ilen, slen, sitelen, tlen;
    const char *id = sd_cli_str(b, "id", &ilen), *sev = sd_cli_str_or_dash(b, "severity", &slen);
    const char *sites = sd_cli_str(b, "sites", &sitelen), *title = sd_cli_str(b, "title", &tlen);
    if (!sitelen)
        sites = "all", sitelen = 3;
    printf("%-17.*s %-11.*s %-3s %-16.16s %-16.16s %-12.*s %.*s\n", ilen, id, slen, sev,
           sd_cli_bool(b, "current") ? "yes" : "-",
           sd_render_time(sd_cli_u64(b, "valid_from"), from),
           sd_render_time(sd_cli_u64(b, "valid_until"), until), sitelen, sites, tlen, title);
}

static int s_print_bulletin(sd_cli_t *cli, const sd_mp_node_t *b)
{
    int ilen;
    const char *id;
    int rc = sd_cli_record_start(cli, b, "bulletin", SD_REQ_BULLETIN_NEW, &id, &ilen);
    if (rc >= 0)
        return rc;
    static const sd_cli_label_t lines[] = {{"severity", "severity"},    {"state", "state"},
                                           {"sites", "sites"},          {"category", "category"},
                                           {"major", "major incident"}, {"author", "author"}};
    char from[24], until[24];
    int tlen;
    const char *title = sd_cli_str(b, "title", &tlen);
    printf("%.*s (%.*s)%s\n", tlen, title, ilen, id,
           sd_mp_get(b, "current") ? (sd_cli_bool(b, "current") ? "  CURRENT" : "  not current")
                                   : "");
    sd_cli_print_labelled(b, lines, sizeof lines / sizeof lines[0], 14);
    printf("  %-14s %s .. %s\n", "valid", sd_render_time(sd_cli_u64(b, "valid_from"), from),
           sd_render_time(sd_cli_u64(b, "valid_until"), until));
    int blen;
    const char *body = sd_cli_str(b, "body", &blen);
    if (blen) {
        putchar('\n');
        sd_render_indented(stdout, body, (size_t)blen, "  ");
        if (body[blen - 1] != '\n')
            putchar('\n');
    }
    return 0;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "bulletins", s_print_row,
                             "(more: use --after with the last id for the next page)");
}

const sd_cli_verb_t sd_bulletin_verbs[] = {
    {"new", SD_REQ_BULLETIN_NEW, "",
     "--title T --valid-until TIME [--valid-from TIME] [--severity S] [--sites A,B]\n"
     "                 [--category C] [--incident TICKET] [--body TEXT]: post a bulletin",
     s_print_bulletin, true,
     "Severity is info (the default), outage or maintenance. --sites limits who sees it\n"
     "(default: every site). It is shown from --valid-from (default: now) until\n"
     "--valid-until. --incident names a major incident (a ticket declared major): the\n"
     "bulletin stops being current when that ticket is resolved, closed or cancelled.\n"
     "Needs the manager role.",
     NULL},
    {"update", SD_REQ_BULLETIN_UPDATE, "id",
     "ID [--title T] [--valid-until TIME] ...: change it (--sites \"\" for every site)",
     s_print_bulletin, true, NULL, NULL},
    {"show", SD_REQ_BULLETIN_GET, "id", "ID: the bulletin, and whether it is current for you",
     s_print_bulletin, true, NULL, NULL},
    {"list", SD_REQ_BULLETIN_LIST, "",
     "[--current] [--limit N] [--after ID]: the bulletins (--current: shown now,\n"
     "                 to your site)",
     s_print_list, true,
     "A requester sees only the bulletins current for their site, with or without --current.",
     NULL},
    {"withdraw", SD_REQ_BULLETIN_WITHDRAW, "id", "ID: stop showing it", s_print_bulletin, true,
     NULL, NULL},
    SD_CLI_VERBS_END,
};
