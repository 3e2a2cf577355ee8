/* cmd_schedule.c - `sundesk schedule now|coverage` and `sundesk handover report`. */
#include "cmd_schedule.h"

#include "render.h"
#include "request.h"

#include <stdio.h>
#include <string.h>

/* Indent of the coverage table's local-time lines: the START and END columns. */
#define SPAN_COLUMNS 38

/* Array key of result r, or NULL after saying that the node sent what unreadable. */
static const sd_mp_node_t *s_array(const sd_mp_node_t *r, const char *key, const char *what)
{
    const sd_mp_node_t *array = sd_cli_array(r, key);
    if (!array)
        sd_cli_fail("the node sent %s this client cannot read", what);
    return array;
}

/* schedule.now: a line per site. */
static int s_print_now(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    const sd_mp_node_t *sites = s_array(r, "sites", "a schedule");
    if (!sites)
        return 1;
    char at[24];
    printf("node clock %s\n", sd_render_time(sd_cli_u64(r, "now"), at));
    printf("%-16s %-24s %-21s %-8s %s\n", "SITE", "ZONE", "LOCAL-TIME", "ON-DUTY", "UNTIL(UTC)");
    for (size_t i = 0; i < sd_mp_len(sites); i++) {
        const sd_mp_node_t *s = sd_mp_at(sites, i);
        int nlen, zlen, llen;
        const char *name = sd_cli_str(s, "site", &nlen), *zone = sd_cli_str(s, "zone", &zlen);
        const char *local = sd_cli_str(s, "local_time", &llen);
        printf("%-16.*s %-24.*s %-21.*s %-8s %s\n", nlen, name, zlen, zone, llen, local,
               sd_cli_bool(s, "on_duty") ? "yes" : "no",
               sd_render_time(sd_cli_u64(s, "until"), at));
    }
    return 0;
}

/* The SITES cell: the names on duty, or the gap. */
static void s_print_cover(const sd_mp_node_t *names)
{
    if (!names || sd_mp_len(names) == 0) {
        printf("GAP - nobody on duty\n");
        return;
    }
    for (size_t k = 0; k < sd_mp_len(names); k++) {
        int len;
        const char *name = sd_cli_text(sd_mp_at(names, k), &len);
        printf("%s%.*s", k ? ", " : "", len, name);
    }
    putchar('\n');
}

/* schedule.coverage: a row per stretch with its sites' local times, then the gaps. */
static int s_print_coverage(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    const sd_mp_node_t *intervals = s_array(r, "intervals", "a coverage");
    if (!intervals)
        return 1;
    char a[24], b[24], total[32];
    printf("%-19s  %-19s  %s\n", "START", "END", "SITES");
    for (size_t i = 0; i < sd_mp_len(intervals); i++) {
        const sd_mp_node_t *iv = sd_mp_at(intervals, i);
        printf("%-19s  %-19s  ", sd_render_time(sd_cli_u64(iv, "start"), a),
               sd_render_time(sd_cli_u64(iv, "end"), b));
        s_print_cover(sd_cli_array(iv, "sites"));
        const sd_mp_node_t *local = sd_mp_kind(iv) == SD_MP_MAP ? sd_mp_get(iv, "local") : NULL;
        for (size_t k = 0; local && sd_mp_kind(local) == SD_MP_MAP && k < sd_mp_len(local); k++) {
            int klen, vlen;
            const char *site = sd_cli_text(sd_mp_key(local, k), &klen);
            const char *span = sd_cli_text(sd_mp_val(local, k), &vlen);
            printf("%*s%-16.*s %.*s\n", SPAN_COLUMNS, "", klen, site, vlen, span);
        }
        const sd_mp_node_t *oncall = sd_cli_array(iv, "oncall"); /* a gap's on-call shifts */
        for (size_t k = 0; oncall && k < sd_mp_len(oncall); k++) {
            const sd_mp_node_t *s = sd_mp_at(oncall, k);
            int ll, rl;
            const char *login = sd_cli_str(s, "login", &ll), *roster = sd_cli_str(s, "roster", &rl);
            printf("%*son call %.*s (%.*s) %s - %s\n", SPAN_COLUMNS, "", ll, login, rl, roster,
                   sd_render_time(sd_cli_u64(s, "start"), a),
                   sd_render_time(sd_cli_u64(s, "end"), b));
        }
    }
    uint64_t gaps = sd_cli_u64(r, "gaps");
    printf("%llu gap%s, total %s uncovered\n", (unsigned long long)gaps, gaps == 1 ? "" : "s",
           sd_render_hours(sd_cli_u64(r, "gap_ms"), total, sizeof total));
    uint64_t true_gaps = sd_cli_u64(r, "true_gaps");
    printf("%llu true gap%s (nobody on call either), total %s\n", (unsigned long long)true_gaps,
           true_gaps == 1 ? "" : "s",
           sd_render_hours(sd_cli_u64(r, "true_gap_ms"), total, sizeof total));
    return 0;
}

/* The handovers of a report, a block each, its note indented; with taken_from, only those the
 * hub took from that site. */
static int s_handovers(const sd_mp_node_t *r, const char *taken_from)
{
    const sd_mp_node_t *list = s_array(r, "handovers", "a handover report");
    if (!list)
        return 1;
    char at[24];
    size_t shown = 0;
    for (size_t i = 0; i < sd_mp_len(list); i++) {
        const sd_mp_node_t *h = sd_mp_at(list, i);
        int ilen, flen, tlen, blen, olen, nlen, rlen;
        const char *id = sd_cli_str(h, "id", &ilen), *from = sd_cli_str(h, "from", &flen);
        const char *to = sd_cli_str(h, "to", &tlen), *by = sd_cli_str(h, "by", &blen);
        const char *origin = sd_cli_str(h, "origin", &olen), *note = sd_cli_str(h, "note", &nlen);
        const char *receiver = sd_cli_str(h, "receiver", &rlen);
        bool taken = sd_cli_bool(h, "taken");
        if (taken_from && (!taken || (size_t)flen != strlen(taken_from) ||
                           memcmp(from, taken_from, (size_t)flen) != 0))
            continue;
        printf("%s%s  %.*s  %.*s -> %.*s  by %.*s (at %.*s)%s\n", shown++ ? "\n" : "",
               sd_render_time(sd_cli_u64(h, "at"), at), ilen, id, flen ? flen : 1,
               flen ? from : "-", tlen, to, blen, by, olen, origin,
               taken ? ", taken: the owner site was silent" : "");
        if (receiver)
            printf("    received by %.*s\n", rlen, receiver);
        sd_render_indented(stdout, note, (size_t)nlen, "    ");
    }
    if (!shown)
        printf(taken_from ? "nothing taken from %s\n" : "no handovers\n", taken_from);
    return 0;
}

/* handover.report: every handover. */
static int s_print_handovers(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    if (s_handovers(r, NULL))
        return 1;
    if (sd_cli_bool(r, "more"))
        printf("(more: raise --limit, or use a later --since)\n");
    return 0;
}

/* handover taken SITE: the site asked about (one command per process). */
static char s_taken_site[SD_SITE_MAX + 1];

static int s_prepare_taken(sd_cli_t *cli, sd_request_t *req)
{
    (void)cli;
    snprintf(s_taken_site, sizeof s_taken_site, "%s",
             req->args.report.site ? req->args.report.site : "");
    return 0;
}

/* handover taken SITE: the report's moves the hub made from SITE. */
static int s_print_taken(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    if (s_handovers(r, s_taken_site))
        return 1;
    if (sd_cli_bool(r, "more"))
        printf("(more: raise --limit, or use a later --since)\n");
    return 0;
}

const sd_cli_verb_t sd_schedule_verbs[] = {
    {"now", SD_REQ_SCHEDULE_NOW, "", "which sites are on duty now, and until when", s_print_now,
     false,
     "A line per site of the desk's schedule: its time zone, its local time, whether it is on\n"
     "duty and when that next changes (UTC; - when never). Fails on a node without site\n"
     "calendars (no site in its [schedule] config): the desk then runs 7x24.",
     NULL},
    {"coverage", SD_REQ_SCHEDULE_COVERAGE, "",
     "[--from DATE] [--days N]: who is on duty when; the gaps", s_print_coverage, false,
     "Splits --days N (1-31, default 7) days from --from DATE (default now) into stretches\n"
     "with the same sites on duty. Each row: START and END (UTC), the sites on duty or\n"
     "\"GAP - nobody on duty\", then every site's local time for the stretch. The last line\n"
     "counts the gaps and the time no site covers; under a gap, the on-call shifts of the\n"
     "rosters (schedule/oncall), and a last line for the true gaps, when nobody is on call\n"
     "either. A stretch across a DST change shows each site's UTC offsets at its ends.\n"
     "DATE: YYYY-MM-DD (UTC midnight), YYYY-MM-DDTHH:MM[:SS]Z (UTC) or Unix ms.",
     NULL},
    SD_CLI_VERBS_END,
};

const sd_cli_verb_t sd_handover_verbs[] = {
    {"report", SD_REQ_HANDOVER_REPORT, "",
     "[--site S] [--since T] [--limit N]: tickets moved between sites", s_print_handovers, false,
     "The handovers between sites, oldest first: when, which ticket, from -> to, who made\n"
     "it (an agent, or scheduler@SITE at the end of a shift) and at which site, then the\n"
     "handover note. --site: only moves from or to that site. --since T: only moves at or\n"
     "after T, given as YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS]Z (UTC), Unix ms, or a span back\n"
     "from now such as 90m, 24h or 7d. --limit N: at most N (1-1000, default 100).\n"
     "\"received by NAME\": the person who got the ticket (the agent the receiving site gave\n"
     "it to, or the person on call the hub took it for); \"taken\": the hub moved it because\n"
     "the owner site was silent.",
     NULL},
    {"taken", SD_REQ_HANDOVER_REPORT, "site",
     "SITE [--since T] [--limit N]: the tickets the hub took from SITE while it was silent",
     s_print_taken, false,
     "What the hub took from SITE while SITE's node was silent (no heartbeat for the\n"
     "takeover grace): the returning site's list. Taken tickets stay where they went (no\n"
     "ping-pong). Each block: when, the ticket, SITE -> where it went, who received it, the\n"
     "note. --since, --limit: as for handover report (the limit counts every move from or to\n"
     "SITE).",
     s_prepare_taken},
    SD_CLI_VERBS_END,
};
