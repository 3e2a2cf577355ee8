/* cmd_alert.c - `sundesk alert VERB` (cmd_alert.h). */
#include "cmd_alert.h"

#include "alert.h"
#include "render.h"
#include "request.h"

#include <stdio.h>
#include <string.h>

/* A row of a list (NULL: the header). */
static void s_print_row(const sd_mp_node_t *a)
{
    if (!a) {
        printf("%-32s %-12s %-14s %-16s %-16s %s\n", "ID", "STATE", "SOURCE", "TICKET", "FIRED",
               "TITLE");
        return;
    }
    char fired[24];
    int ilen, slen, srclen, tklen, tlen;
    const char *id = sd_cli_str(a, "id", &ilen), *state = sd_cli_str_or_dash(a, "state", &slen);
    const char *src = sd_cli_str_or_dash(a, "source", &srclen);
    const char *ticket = sd_cli_str_or_dash(a, "ticket", &tklen);
    const char *title = sd_cli_str(a, "title", &tlen);
    printf("%-32.*s %-12.*s %-14.*s %-16.*s %-16.16s %.*s\n", ilen, id, slen, state, srclen, src,
           tklen, ticket, sd_render_time(sd_cli_u64(a, "fired_at"), fired), tlen, title);
}

static int s_print_alert(sd_cli_t *cli, const sd_mp_node_t *a)
{
    int ilen;
    const char *id;
    int rc = sd_cli_record_start(cli, a, "alert", SD_REQ_ALERT_INGEST, &id, &ilen);
    if (rc >= 0)
        return rc;
    static const sd_cli_label_t lines[] = {{"state", "state"},       {"source", "source"},
                                           {"key", "key"},           {"ticket", "ticket"},
                                           {"severity", "severity"}, {"url", "link"}};
    char t1[24], t2[24], t3[24];
    int tlen;
    const char *title = sd_cli_str(a, "title", &tlen);
    printf("%.*s (%.*s)\n", tlen, title, ilen, id);
    sd_cli_print_labelled(a, lines, sizeof lines / sizeof lines[0], 12);
    printf("  %-12s %s (%llu times)\n", "fired", sd_render_time(sd_cli_u64(a, "fired_at"), t1),
           (unsigned long long)sd_cli_u64(a, "fires"));
    if (sd_cli_u64(a, "acked_at"))
        printf("  %-12s %s\n", "acknowledged", sd_render_time(sd_cli_u64(a, "acked_at"), t2));
    if (sd_cli_u64(a, "resolved_at"))
        printf("  %-12s %s\n", "resolved", sd_render_time(sd_cli_u64(a, "resolved_at"), t3));
    int llen;
    const char *labels = sd_cli_str(a, "labels", &llen);
    if (llen) {
        printf("  labels\n");
        sd_render_indented(stdout, labels, (size_t)llen, "    ");
        if (labels[llen - 1] != '\n')
            putchar('\n');
    }
    return 0;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "alerts", s_print_row,
                             "(more: use --after with the last id for the next page)");
}

/* ingest: the id is the source's and key's (alert.h) unless given. */
static int s_prepare_ingest(sd_cli_t *cli, sd_request_t *req)
{
    (void)cli;
    const sd_alert_args_t *a = &req->args.alert;
    char id[SD_ID_MAX + 1];
    sd_fault_t fault;
    if (sd_request_has(req, SD_ARG_ALERT_ID) || sd_alert_id_for(a->source, a->key, id) != 0)
        return 0;
    return sd_request_set(req, SD_ARG_ALERT_ID, id, &fault) ? sd_cli_fail("%s", fault.text) : 0;
}

const sd_cli_verb_t sd_alert_verbs[] = {
    {"list", SD_REQ_ALERT_LIST, "",
     "[--source S] [--state firing|acknowledged|resolved] [--ticket ID] [--limit N]\n"
     "                 [--after ID]: the monitoring alerts",
     s_print_list, true, NULL, NULL},
    {"show", SD_REQ_ALERT_GET, "id", "ID: one alert, its state and its ticket", s_print_alert, true,
     NULL, NULL},
    {"ingest", SD_REQ_ALERT_INGEST, "",
     "--source S --key K --status firing|acknowledged|resolved [--title T]\n"
     "                 [--impact N] [--urgency N] [--team T] ...: report an alert",
     s_print_alert, true,
     "What the monitoring webhooks (POST /api/v1/alerts/alertmanager and /alerts/events) do\n"
     "for each alert, for scripts and tests: a firing alert opens a ticket (one per open\n"
     "alert; a repeat changes nothing), resolved resolves it unless a person replied\n"
     "publicly, firing again within --flap-window seconds (default 900) of the resolve\n"
     "reopens it, acknowledged acknowledges a new ticket. The id is AL- + 29 hex of\n"
     "BLAKE2b-128 of SOURCE \\n KEY (worked out here). Needs the agent role.",
     s_prepare_ingest},
    SD_CLI_VERBS_END,
};
