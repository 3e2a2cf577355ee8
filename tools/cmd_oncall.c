/* cmd_oncall.c - `sundesk oncall VERB`: oncall.* requests and how they show (cmd_oncall.h). */
#include "cmd_oncall.h"

#include "render.h"
#include "request.h"

#include <stdio.h>

/* An override's row (NULL: the header). */
static void s_print_row(const sd_mp_node_t *r)
{
    if (!r) {
        printf("%-16s %-16s %-12s %-17s  %-17s  %-9s %s\n", "ID", "ROSTER", "LOGIN", "FROM(UTC)",
               "UNTIL(UTC)", "STATE", "REASON");
        return;
    }
    int il, rl, ll, nl;
    const char *id = sd_cli_str_or_dash(r, "id", &il),
               *roster = sd_cli_str_or_dash(r, "roster", &rl);
    const char *login = sd_cli_str_or_dash(r, "login", &ll);
    const char *reason = sd_cli_str(r, "reason", &nl);
    char a[24], b[24];
    printf("%-16.*s %-16.*s %-12.*s %-17s  %-17s  %-9s %.*s\n", il, id, rl, roster, ll, login,
           sd_render_time(sd_cli_u64(r, "from_at"), a),
           sd_render_time(sd_cli_u64(r, "until_at"), b),
           sd_cli_bool(r, "cancelled") ? "cancelled" : "in force", nl, reason);
}

static int s_print_override(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    int il;
    sd_cli_str(r, "id", &il);
    if (!il)
        return sd_cli_fail("the node sent an override this client cannot read");
    s_print_row(NULL);
    s_print_row(r);
    return 0;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "overrides", s_print_row,
                             "(more: use --after with the last id for the next page)");
}

/* oncall.now: the person for the site, then a line per roster. */
static int s_print_now(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    const sd_mp_node_t *rosters = sd_cli_array(r, "rosters");
    if (!rosters)
        return sd_cli_fail("the node sent an on-call answer this client cannot read");
    char at[24];
    int sl, ol;
    const char *site = sd_cli_str(r, "site", &sl), *who = sd_cli_str(r, "on_call", &ol);
    printf("at %s%s%.*s: %s%.*s\n", sd_render_time(sd_cli_u64(r, "at"), at), sl ? " for " : "", sl,
           site, ol ? "on call " : "nobody on call (a site is on duty, or no roster has anyone)",
           ol, who);
    printf("%-16s %-20s %-9s %-12s %s\n", "ROSTER", "ZONE", "IN-HOURS", "ON-CALL", "SCHEDULED");
    for (size_t i = 0; i < sd_mp_len(rosters); i++) {
        const sd_mp_node_t *x = sd_mp_at(rosters, i);
        const sd_mp_node_t *sched = sd_mp_kind(x) == SD_MP_MAP ? sd_mp_get(x, "scheduled") : NULL;
        int nl, zl, cl, pl = 0, vl = 0;
        const char *name = sd_cli_str(x, "roster", &nl), *zone = sd_cli_str(x, "zone", &zl);
        const char *now = sd_cli_str_or_dash(x, "on_call", &cl);
        const char *planned = sched ? sd_cli_str(sched, "login", &pl) : "";
        const char *via = sched ? sd_cli_str(sched, "override", &vl) : "";
        printf("%-16.*s %-20.*s %-9s %-12.*s %.*s%s%.*s%s\n", nl, name, zl, zone,
               sd_cli_bool(x, "in_hours") ? "yes" : "no", cl, now, pl ? pl : 1, pl ? planned : "-",
               vl ? " (override " : "", vl, via, vl ? ")" : "");
    }
    return 0;
}

/* oncall.ics: the calendar text itself, to redirect into a file. */
static int s_print_ics(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    int len;
    const char *ics = sd_cli_str(r, "ics", &len);
    if (!len)
        return sd_cli_fail("the node sent no calendar");
    fwrite(ics, 1, (size_t)len, stdout);
    return 0;
}

const sd_cli_verb_t sd_oncall_verbs[] = {
    {"now", SD_REQ_ONCALL_NOW, "", "[--site S] [--from DATE]: who is on call now (or at DATE)",
     s_print_now, false,
     "Who answers a follow-the-sun ticket of site S when no site is on duty: the first roster\n"
     "of the schedule (schedule/oncall) that answers for S and has somebody in its hours\n"
     "(without --site: any roster). Then a line per roster: its zone, whether its on-call\n"
     "hours include the instant, who is on call, and whom the weekly rotation or an override\n"
     "names then. DATE: YYYY-MM-DD (UTC midnight), YYYY-MM-DDTHH:MM[:SS]Z (UTC) or Unix ms.",
     NULL},
    {"list", SD_REQ_ONCALL_LIST, "", "[--roster R] [--limit N] [--after ID]: the overrides",
     s_print_list, true, NULL, NULL},
    {"show", SD_REQ_ONCALL_GET, "id:ID", "ID: one override", s_print_override, false, NULL, NULL},
    {"override", SD_REQ_ONCALL_OVERRIDE, "roster login",
     "ROSTER LOGIN --from DATE --until DATE [--reason R]: LOGIN covers instead", s_print_override,
     false,
     "LOGIN is on call for ROSTER from --from until --until (UTC; the end excluded) instead\n"
     "of whom the weekly rotation names, within the roster's on-call hours only. The override\n"
     "is a record: it reaches every node, so every node pages the same person. Of overlapping\n"
     "overrides the last one written wins. Needs the manager role.\n"
     "DATE: YYYY-MM-DD (UTC midnight), YYYY-MM-DDTHH:MM[:SS]Z (UTC) or Unix ms.",
     NULL},
    {"cancel", SD_REQ_ONCALL_CANCEL, "id:ID", "ID [--reason R]: the rotation applies again",
     s_print_override, false, NULL, NULL},
    {"ics", SD_REQ_ONCALL_ICS, "roster",
     "ROSTER [--from DATE] [--until DATE]: its shifts as iCalendar", s_print_ics, false,
     "Writes the roster's shifts (stretches of its on-call hours with one person, overrides\n"
     "included) from --from (default now) until --until (default 28 days later, at most 92)\n"
     "as an iCalendar file (RFC 5545) on standard output, one event per shift in UTC, to\n"
     "import into a calendar application: sundesk oncall ics desk > desk-oncall.ics.\n"
     "The node serves the same at GET /api/v1/oncall/ROSTER.ics.",
     NULL},
    SD_CLI_VERBS_END,
};
