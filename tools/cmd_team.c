/* cmd_team.c - `sundesk team VERB`: team.* requests and how teams show (cmd_team.h). */
#include "cmd_team.h"

#include "render.h"
#include "request.h"

#include <stdio.h>

/* A row of the list (NULL: the header), and after a change the team as it is now. */
static void s_print_row(const sd_mp_node_t *t)
{
    int ilen, nlen, slen, tlen, mlen;
    const char *id = sd_cli_str(t, "id", &ilen),
               *name = sd_cli_str_or_dash(t, "display_name", &nlen);
    const char *site = sd_cli_str_or_dash(t, "site", &slen),
               *tier = sd_cli_str_or_dash(t, "tier", &tlen);
    const char *manager = sd_cli_str_or_dash(t, "manager", &mlen);
    if (!t) {
        printf("%-20s %-30s %-9s %-6s %s\n", "NAME", "DISPLAY NAME", "SITE", "TIER", "MANAGER");
        return;
    }
    printf("%-20.*s %-30.*s %-9.*s %-6.*s %.*s\n", ilen, id, nlen, name, slen, site, tlen, tier,
           mlen, manager);
}

static int s_print_team(sd_cli_t *cli, const sd_mp_node_t *t)
{
    int ilen;
    sd_cli_str(t, "id", &ilen);
    if (!ilen)
        return sd_cli_fail("the node sent a team this client cannot read");
    if (cli->verb->op == SD_REQ_TEAM_GET) {
        char a[24], b[24];
        int olen;
        const char *origin = sd_cli_str(t, "origin_site", &olen);
        s_print_row(NULL);
        s_print_row(t);
        printf("created %s at site %.*s, updated %s\n",
               sd_render_time(sd_cli_u64(t, "created_at"), a), olen, origin,
               sd_render_time(sd_cli_u64(t, "updated_at"), b));
    } else {
        s_print_row(t);
    }
    return 0;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "teams", s_print_row,
                             "(more: use --after with the last name for the next page)");
}

const sd_cli_verb_t sd_team_verbs[] = {
    {"new", SD_REQ_TEAM_NEW, "id:NAME",
     "NAME [--name D] [--site S] [--tier T] [--manager LOGIN]: add a team", s_print_team, false,
     "NAME is the team's id (as in a ticket's --team and a user's --teams): lower-case letters,\n"
     "digits, '.', '_', '-'. --name: a longer display name. Needs the admin role.",
     NULL},
    {"show", SD_REQ_TEAM_GET, "id:NAME", "NAME: the team", s_print_team, false, NULL, NULL},
    {"list", SD_REQ_TEAM_LIST, "", "[--site S] [--limit N] [--after NAME]: the teams, by name",
     s_print_list, true, NULL, NULL},
    {"update", SD_REQ_TEAM_UPDATE, "id:NAME",
     "NAME [--name D] [--site S] [--tier T] [--manager LOGIN]: change it", s_print_team, false,
     NULL, NULL},
    SD_CLI_VERBS_END,
};
