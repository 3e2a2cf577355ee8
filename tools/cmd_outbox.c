/* cmd_outbox.c - `sundesk outbox VERB` (cmd_outbox.h). */
#include "cmd_outbox.h"

#include "render.h"
#include "request.h"

#include <stdio.h>
#include <string.h>

/* A row of a list (NULL: the header). */
static void s_print_row(const sd_mp_node_t *e)
{
    if (!e) {
        printf("%-8s %-7s %-9s %-12s %-3s %-16s %-28s %s\n", "STATE", "CHANNEL", "KIND", "TICKET",
               "TRY", "WHEN", "TO", "ID");
        return;
    }
    char when[24];
    int slen, clen, klen, tlen, olen, ilen;
    const char *state = sd_cli_str(e, "state", &slen), *ch = sd_cli_str(e, "channel", &clen);
    const char *kind = sd_cli_str(e, "kind", &klen),
               *ticket = sd_cli_str_or_dash(e, "ticket", &tlen);
    const char *to = sd_cli_str_or_dash(e, "to", &olen), *id = sd_cli_str(e, "id", &ilen);
    uint64_t at = sd_cli_u64(e, "sent_at");
    if (!at)
        at = sd_cli_u64(e, "next_at") ? sd_cli_u64(e, "next_at") : sd_cli_u64(e, "created_at");
    printf("%-8.*s %-7.*s %-9.*s %-12.*s %-3llu %-16.16s %-28.*s %.*s\n", slen, state, clen, ch,
           klen, kind, tlen, ticket, (unsigned long long)sd_cli_u64(e, "attempts"),
           sd_render_time(at, when), olen, to, ilen, id);
    int elen;
    const char *err = sd_cli_str(e, "error", &elen);
    if (elen)
        printf("    %.*s\n", elen, err);
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "entries", s_print_row,
                             "(more: use --after with the last id for the next page)");
}

static int s_print_entry(sd_cli_t *cli, const sd_mp_node_t *e)
{
    if (cli->opts->json)
        return sd_cli_print_json(e);
    s_print_row(NULL);
    s_print_row(e);
    return 0;
}

const sd_cli_verb_t sd_outbox_verbs[] = {
    {"list", SD_REQ_OUTBOX_LIST, "",
     "[--state S] [--ticket ID] [--limit N] [--after ID]: the notices this node sends",
     s_print_list, true,
     "The node's send queue: each mail or chat notice it made from the desk's events, by\n"
     "Message-ID. --state: queued (waiting for its time), sending, sent, failed (given up:\n"
     "refused, or too many tries) or unknown (the node stopped while handing it to the MTA:\n"
     "it may have been sent; never resent by itself). Needs the agent role.",
     NULL},
    {"retry", SD_REQ_OUTBOX_RETRY, "id", "ID: send a failed or unknown notice again", s_print_entry,
     true,
     "Puts the notice back in the queue, due now. For an unknown one, check first (the\n"
     "recipient's mailbox, the MTA's log) that it did not arrive: this sends it again.\n"
     "Needs the manager role.",
     NULL},
    SD_CLI_VERBS_END,
};
