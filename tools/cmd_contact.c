/* cmd_contact.c - `sundesk contact VERB`: contact.* requests and how contacts show
 * (cmd_contact.h). */
#include "cmd_contact.h"

#include "render.h"
#include "request.h"

#include <stdio.h>

/* A row of the list (NULL: the header). */
static void s_print_row(const sd_mp_node_t *c)
{
    if (!c) {
        printf("%-18s %-16s %-8s %-3s %-16s %-14s %-10s %s\n", "ID", "AT (UTC)", "CHANNEL", "DIR",
               "CUSTOMER", "TICKET", "OUTCOME", "SUMMARY");
        return;
    }
    char at[24];
    int il, chl, dl, cul, tl, ol, sl;
    const char *id = sd_cli_str_or_dash(c, "id", &il),
               *channel = sd_cli_str_or_dash(c, "channel", &chl);
    const char *dir = sd_cli_str_or_dash(c, "direction", &dl),
               *customer = sd_cli_str_or_dash(c, "customer", &cul);
    const char *ticket = sd_cli_str_or_dash(c, "ticket", &tl),
               *outcome = sd_cli_str_or_dash(c, "outcome", &ol);
    const char *summary = sd_cli_str_or_dash(c, "summary", &sl);
    int first_line = 0;
    while (first_line < sl && summary[first_line] != '\n' && first_line < 60)
        first_line++;
    printf("%-18.*s %-16s %-8.*s %-3.*s %-16.*s %-14.*s %-10.*s %.*s\n", il, id,
           sd_render_time(sd_cli_u64(c, "at"), at), chl, channel, dl, dir, cul, customer, tl,
           ticket, ol, outcome, first_line, summary);
}

static int s_print_contact(sd_cli_t *cli, const sd_mp_node_t *c)
{
    int il;
    const char *id = sd_cli_str(c, "id", &il);
    if (!il)
        return sd_cli_fail("the node sent a contact this client cannot read");
    if (cli->verb->op == SD_REQ_CONTACT_NEW) {
        printf("%.*s\n", il, id);
        return 0;
    }
    s_print_row(NULL);
    s_print_row(c);
    int fl, tl, cl, al;
    const char *from = sd_cli_str_or_dash(c, "from", &fl), *to = sd_cli_str_or_dash(c, "to", &tl);
    const char *call = sd_cli_str_or_dash(c, "call_id", &cl),
               *agent = sd_cli_str_or_dash(c, "agent", &al);
    printf("from %.*s to %.*s, call %.*s, agent %.*s", fl, from, tl, to, cl, call, al, agent);
    if (sd_cli_u64(c, "ended_at"))
        printf(", %llu s", (unsigned long long)sd_cli_u64(c, "duration"));
    printf("\n");
    int sl;
    const char *summary = sd_cli_str(c, "summary", &sl);
    if (sl)
        printf("%.*s\n", sl, summary);
    return 0;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "contacts", s_print_row,
                             "(more: use --after with the last id for the next page)");
}

const sd_cli_verb_t sd_contact_verbs[] = {
    {"new", SD_REQ_CONTACT_NEW, "",
     "--channel call|email|chat|walk_in|portal [--customer C] [--ticket T]\n"
     "                 [--summary S] [--direction in|out] [--from F] [--to T] [--at TIME]: record "
     "a contact",
     s_print_contact, false,
     "Prints the new contact's id (SITE-CT-000001). --customer: the customer id (none for an\n"
     "unknown caller); --ticket: the ticket it belongs to (must exist); --at: when (default now);\n"
     "--agent: who took it (default: you); --call-id: the telephone system's call id (one\n"
     "contact per call); --outcome: answered, missed, ... Needs the agent or manager role.",
     NULL},
    {"show", SD_REQ_CONTACT_GET, "id", "ID: the contact", s_print_contact, false, NULL, NULL},
    {"update", SD_REQ_CONTACT_UPDATE, "id",
     "ID [--summary S] [--outcome O] [--ticket T] [--customer C]: complete it", s_print_contact,
     false,
     "--outcome answered records when the call was answered, ended or missed when it ended (and\n"
     "its duration). An empty --ticket \"\" unlinks the ticket.",
     NULL},
    {"list", SD_REQ_CONTACT_LIST, "",
     "[--customer C] [--ticket T] [--channel CH] [--call-id ID] [--limit N] [--after ID]:\n"
     "                 the contact history, newest first",
     s_print_list, true, NULL, NULL},
    SD_CLI_VERBS_END,
};
