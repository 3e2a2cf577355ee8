/* cmd_audit.c - `sundesk audit`: audit.list as a table (cmd_audit.h). */
#include "cmd_audit.h"

#include "render.h"
#include "request.h"
#include "tz.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* An entry (NULL: the header): when (in the CLI's zone, tz.h), where, who, what on which record,
 * and for a refusal how the caller was known and why it was refused. */
static void s_print_row(const sd_mp_node_t *e)
{
    int slen, ulen, olen, rlen, xlen, vlen, wlen;
    const char *site = sd_cli_str(e, "site", &slen), *user = sd_cli_str(e, "user", &ulen);
    const char *op = sd_cli_str(e, "op", &olen), *record = sd_cli_str(e, "record", &rlen);
    const char *outcome = sd_cli_str(e, "outcome", &xlen), *via = sd_cli_str(e, "via", &vlen);
    const char *why = sd_cli_str(e, "reason", &wlen);
    char at[SD_TZ_TIME_MAX];
    if (!e) {
        printf("%-22s %-8s %-20s %-16s %-16s %-15s %s\n", "TIME", "SITE", "USER", "OP", "RECORD",
               "OUTCOME", "VIA: REASON (refusals)");
        return;
    }
    bool refused = xlen != 2 || memcmp(outcome, "ok", 2) != 0;
    printf("%-22s %-8.*s %-20.*s %-16.*s %-16.*s %-*.*s",
           sd_render_local_time(sd_cli_u64(e, "at"), at), slen, site, ulen ? ulen : 1,
           ulen ? user : "-", olen, op, rlen ? rlen : 1, rlen ? record : "-", refused ? 15 : 0,
           xlen, outcome);
    if (refused)
        printf(" via %.*s: %.*s", vlen ? vlen : 1, vlen ? via : "-", wlen, why);
    putchar('\n');
}

static int s_print_audit(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(
        cli, r, "entries", s_print_row,
        "(more: these are the newest; raise --limit or narrow --since/--until)");
}

const sd_cli_verb_t sd_audit_verbs[] = {
    {"", SD_REQ_AUDIT_LIST, "",
     "[--user U] [--since TIME] [--until TIME] [--ticket ID] [--limit N]:\n"
     "                 who did what, and what was refused",
     s_print_audit, true,
     "The newest --limit N (default 100) entries, oldest first: every event (outcome ok; the\n"
     "user is the authenticated author, the site where it was made) and this node's refusals\n"
     "(outcome forbidden or unauthenticated, with how the caller was known and why). Times\n"
     "are in the CLI's zone (--tz, $TZ, else UTC). --user U: only U's; --ticket ID: only\n"
     "that ticket's; --since and --until bound the time (a span such as 24h counts back from now). "
     "--json: the raw entries.",
     NULL},
    SD_CLI_VERBS_END,
};
