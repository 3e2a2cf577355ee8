/* cmd_ticket.c - `sundesk ticket VERB`: the request workflow's verbs and how their results show. */
#include "cmd_ticket.h"

#include "cmd_search.h"

#include "error.h"
#include "render.h"
#include "request.h"
#include "ticket.h"
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int s_print_ticket(sd_cli_t *cli, const sd_mp_node_t *r);
static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r);
static int s_print_report(sd_cli_t *cli, const sd_mp_node_t *r);
static int s_print_history(sd_cli_t *cli, const sd_mp_node_t *r);

/* A ticket verb whose result is the ticket (s_print_ticket), without longer help. */
#define TICKET_VERB(verb, op, positional, help)                                                    \
    SD_CLI_VERB(verb, op, positional, help, s_print_ticket)

const sd_cli_verb_t sd_ticket_verbs[] = {
    {"new", SD_REQ_TICKET_NEW, "",
     "record a request: --title T [--requester LOGIN] [--description D]\n"
     "                 [--type incident|service_request|change|problem] [--major]\n"
     "                 [--channel phone|email|web|chat|walk_in|monitoring] [--category C]\n"
     "                 [--impact 1-3] [--urgency 1-3] [--tier L1] [--team T] [--assignee A]\n"
     "                 [--follow-sun] [--assets TAG,TAG]",
     s_print_ticket, false,
     "Prints the new ticket's id. The requester is you unless --requester names another desk\n"
     "user; you become its owner. --assignee must be an active user with the agent or manager\n"
     "role. --follow-sun makes it a 7x24 follow-the-sun ticket: its SLA clock runs on the\n"
     "union of all sites' hours and the desk hands it from site to site (by default the\n"
     "schedule's follow_sun priorities, e.g. P1, follow the sun).",
     NULL},
    {"show", SD_REQ_TICKET_GET, "id", "ID: the ticket card", s_print_ticket, false,
     "Shows requester, assignee and owner as \"Display Name (login)\" when the node lets you\n"
     "see their user records.",
     NULL},
    {"list", SD_REQ_TICKET_LIST, "",
     "the queue: [--status S] [--priority P1-P4] [--assignee A] [--requester R]\n"
     "                 [--open] [--breached | --at-risk] [--site SITE] [--team T] [--limit N]\n"
     "                 [--after ID] [--csv]",
     s_print_list, true,
     "Filters combine. --breached / --at-risk: only tickets in that SLA state. --site: only\n"
     "tickets whose owner site is SITE; --team: only tickets of team T. The SLA column\n"
     "shows ok, at_risk or breached, with ESC when the manager was notified.",
     NULL},
    {"suggest", SD_REQ_SEARCH_SUGGEST, "ticket:ID",
     "ID [--limit N]: published articles that may answer the ticket (its title and description)",
     sd_search_print_hits, true, NULL, NULL},
    {"counts", SD_REQ_TICKET_COUNTS, "",
     "[--all]: open tickets by owner site, priority and SLA state; all by status", NULL, false,
     "Counts for a dashboard: the open tickets (new to pending; with --all every\n"
     "ticket) by owner site, by priority and by SLA state, and every ticket by status.",
     NULL},
    {"report", SD_REQ_TICKET_GET, "id", "ID: full report (card, timings, comments, history)",
     s_print_report, true, NULL, NULL},
    {"history", SD_REQ_TICKET_HISTORY, "id", "ID: every event of the ticket, oldest first",
     s_print_history, false,
     "A line per event: time, what, who (the authenticated user), origin#seq and the new state;\n"
     "under an update, a line \"field: OLD -> NEW\" per field it changed. --json gives the\n"
     "node's answer: {events, changes}.",
     NULL},
    TICKET_VERB("ack", SD_REQ_TICKET_ACK, "id",
                "ID [--reply-due TIME]: tell the customer it is accepted"),
    TICKET_VERB("assign", SD_REQ_TICKET_ASSIGN, "id assignee",
                "ID AGENT [--team T] [--tier L1.5]: route it"),
    TICKET_VERB("start", SD_REQ_TICKET_START, "id", "ID: work starts (or resumes after pending)"),
    {"pending", SD_REQ_TICKET_PENDING, "id waiting_on",
     "ID customer|vendor [--reason R] [--vendor V --vendor-ref REF]: wait", s_print_ticket, false,
     "The SLA clocks stop while a ticket is pending. On a vendor: --vendor names it (see\n"
     "`sundesk vendor list`) and --vendor-ref gives its RMA or case number; both stay on the\n"
     "ticket after it resumes.",
     NULL},
    TICKET_VERB("resolve", SD_REQ_TICKET_RESOLVE, "id resolution",
                "ID RESOLUTION [--article KB-ID]: record what was done (and the\n"
                "                 knowledge base article that solved it)"),
    TICKET_VERB("close", SD_REQ_TICKET_CLOSE, "id satisfaction",
                "ID SATISFACTION(1-5) [--feedback F]: customer confirmed"),
    TICKET_VERB("reopen", SD_REQ_TICKET_REOPEN, "id reason",
                "ID REASON: reopen a resolved/closed ticket"),
    TICKET_VERB("cancel", SD_REQ_TICKET_CANCEL, "id reason", "ID REASON: withdraw an open ticket"),
    TICKET_VERB("comment", SD_REQ_TICKET_COMMENT, "id body",
                "ID TEXT [--public]: work note, or reply"),
    {"update", SD_REQ_TICKET_UPDATE, "id",
     "ID [--title..] [--impact N] [--urgency N] [--category C]\n"
     "                 [--follow-sun | --no-follow-sun] [--assets TAG,TAG] ...: change fields",
     s_print_ticket, false,
     "A new impact, urgency, requester or follow-the-sun flag recomputes the priority and moves\n"
     "the due times, keeping the business time already used.",
     NULL},
    {"handover", SD_REQ_TICKET_HANDOVER, "id site",
     "ID --to SITE [--note TEXT]: hand an open ticket to another site", s_print_ticket, false,
     "SITE becomes the ticket's owner site. The stored handover note is TEXT followed by a\n"
     "generated summary (status, tier, what it awaits, last action, SLA time left). SITE must be\n"
     "a site of the desk's schedule (any site id when no calendars are configured) and not the\n"
     "owner already. `sundesk handover report` lists the handovers.",
     NULL},
    {"declare-major", SD_REQ_TICKET_DECLARE_MAJOR, "id",
     "ID [--note TEXT]: declare a major incident; prints whom to notify", s_print_ticket, false,
     "Sets the ticket's major flag and records on it, in the same event, whom the major-incident\n"
     "contact list says to notify: the union of the notify lists of every rule whose category\n"
     "and site match the ticket's (\"*\" matches all; `sundesk major list`). Nothing is sent\n"
     "yet: the list is shown here and on the ticket card (\"to notify\").",
     NULL},
    SD_CLI_VERBS_END,
};

/* Reads a ticket from a result; 1 after a message when it cannot. */
static int s_decode_ticket(const sd_mp_node_t *node, sd_ticket_t *t)
{
    if (!node || sd_ticket_decode(node, t, NULL) != 0) {
        sd_ticket_clear(t);
        return sd_cli_fail("the node sent a ticket this client cannot read");
    }
    return 0;
}

/* "Li Wei (li.wei)" for login into *shown (heap), from user.get; *shown stays NULL for a name
 * that is no login (an e-mail address, root@SITE) and for a user the node does not know or
 * does not show this caller. Returns 0, or 1 after a message when the lookup failed. */
static int s_display_name(sd_cli_t *cli, const char *login, char **shown)
{
    sd_request_t req = {.op = SD_REQ_USER_GET};
    sd_reply_t reply = {0};
    *shown = NULL;
    if (sd_login_check(login, "id", NULL) != 0 ||
        sd_request_set(&req, SD_ARG_USER_ID, login, NULL) != 0) {
        sd_request_clear(&req);
        return 0;
    }
    int rc = sd_cli_lookup(cli, &req, &reply);
    if (!rc) {
        int len;
        const char *name = sd_cli_str(reply.result, "display_name", &len);
        if (len && asprintf(shown, "%.*s (%s)", len, name, login) < 0) {
            *shown = NULL;
            rc = sd_cli_fail("%s", sd_strerror(SD_ENOMEM));
        }
        sd_reply_clear(&reply);
    }
    sd_request_clear(&req);
    return rc == SD_ENOTFOUND || rc == SD_EFORBIDDEN ? 0 : rc;
}

/* The card's people (requester, assignee, owner) as "Display Name (login)". The ticket is the
 * client's copy, read for showing only, so its logins are replaced in place. */
static int s_display_names(sd_cli_t *cli, sd_ticket_t *t)
{
    char **people[] = {&t->requester, &t->assignee, &t->owner};
    enum { NPEOPLE = sizeof people / sizeof people[0] };
    char *shown[NPEOPLE] = {0};
    int rc = 0;
    for (size_t i = 0; i < NPEOPLE && !rc; i++) {
        const char *login = *people[i];
        for (size_t k = 0; k < i && login && !shown[i]; k++) /* asked already */
            if (shown[k] && *people[k] && !strcmp(*people[k], login))
                shown[i] = strdup(shown[k]);
        if (login && !shown[i])
            rc = s_display_name(cli, login, &shown[i]);
    }
    for (size_t i = 0; i < NPEOPLE; i++) {
        if (!shown[i])
            continue;
        free(*people[i]);
        *people[i] = shown[i];
    }
    return rc;
}

/* The owner site's IANA zone from schedule.now into zone ("" when the node has no site
 * calendars, does not know the site or does not answer: the card then shows no site time).
 * One request, made only for the card and the report; its refusals print nothing. */
static void s_site_zone(sd_cli_t *cli, const char *site, char *zone, size_t cap)
{
    sd_request_t req = {.op = SD_REQ_SCHEDULE_NOW, .token = cli->token};
    sd_reply_t reply = {0};
    zone[0] = '\0';
    int rc = site ? sd_client_call(cli->client, &req, &reply) : SD_ENOTFOUND;
    req.token = NULL; /* borrowed from cli */
    const sd_mp_node_t *sites = !rc && reply.ok ? sd_cli_array(reply.result, "sites") : NULL;
    for (size_t i = 0; sites && i < sd_mp_len(sites); i++) {
        int slen, zlen;
        const char *name = sd_cli_str(sd_mp_at(sites, i), "site", &slen);
        const char *z = sd_cli_str(sd_mp_at(sites, i), "zone", &zlen);
        if (slen == (int)strlen(site) && !memcmp(name, site, (size_t)slen) && zlen &&
            (size_t)zlen < cap)
            snprintf(zone, cap, "%.*s", zlen, z);
    }
    sd_reply_clear(&reply);
    sd_request_clear(&req);
}

/* A writing op's or ticket.get's result: the new id, the card, or where it stands now. */
static int s_print_ticket(sd_cli_t *cli, const sd_mp_node_t *r)
{
    sd_ticket_t t = {0};
    if (s_decode_ticket(r, &t))
        return 1;
    int rc = 0;
    char zone[128];
    if (cli->verb->op == SD_REQ_TICKET_GET)
        s_site_zone(cli, t.owner_site, zone, sizeof zone);
    if (cli->verb->op == SD_REQ_TICKET_NEW)
        printf("%s\n", t.id);
    else if (cli->verb->op == SD_REQ_TICKET_GET && !(rc = s_display_names(cli, &t)))
        sd_render_ticket(stdout, &t, zone[0] ? zone : NULL);
    else if (cli->verb->op == SD_REQ_TICKET_DECLARE_MAJOR)
        printf("%s declared a major incident; to notify: %s\n", t.id,
               t.major_notify ? t.major_notify : "nobody (no major-incident rule matches)");
    else if (cli->verb->op == SD_REQ_TICKET_HANDOVER)
        printf("%s now owned by site %s\n", t.id, t.owner_site ? t.owner_site : "-");
    else if (cli->verb->op != SD_REQ_TICKET_GET)
        printf("%s %s\n", t.id, sd_status_name(t.status));
    sd_ticket_clear(&t);
    return rc;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *result)
{
    const sd_cli_opts_t *o = cli->opts;
    const sd_mp_node_t *tickets = sd_cli_array(result, "tickets");
    if (!tickets)
        return sd_cli_fail("the node sent a list this client cannot read");
    if (o->json)
        return sd_cli_print_json(tickets);
    o->csv ? sd_render_csv_header(stdout) : sd_render_queue_header(stdout);
    for (size_t i = 0; i < sd_mp_len(tickets); i++) {
        sd_ticket_t t = {0};
        if (s_decode_ticket(sd_mp_at(tickets, i), &t))
            return 1;
        o->csv ? sd_render_csv_row(stdout, &t) : sd_render_queue_row(stdout, &t);
        sd_ticket_clear(&t);
    }
    if (sd_cli_bool(result, "more") && !o->csv)
        printf("(more: use --after with the last id for the next page)\n");
    return 0;
}

/* The report needs two calls: the ticket and its history. */
static int s_print_report(sd_cli_t *cli, const sd_mp_node_t *ticket)
{
    sd_request_t req = {.op = SD_REQ_TICKET_HISTORY};
    sd_ticket_t t = {0};
    sd_reply_t reply = {0};
    if (s_decode_ticket(ticket, &t))
        return 1;
    int rc = sd_cli_set_arg(&req, "id", t.id) ?: sd_cli_call(cli, &req, &reply);
    if (!rc) {
        const sd_mp_node_t *events = sd_cli_array(reply.result, "events");
        const sd_mp_node_t *changes = sd_cli_array(reply.result, "changes");
        if (cli->opts->json) {
            printf("{\"ticket\":");
            sd_render_json(stdout, ticket);
            printf(",\"events\":");
            sd_render_json(stdout, events);
            printf(",\"changes\":");
            sd_cli_print_json(changes);
            printf("}\n");
        } else if (!(rc = s_display_names(cli, &t))) {
            char zone[128];
            s_site_zone(cli, t.owner_site, zone, sizeof zone);
            sd_render_report(stdout, &t, zone[0] ? zone : NULL, events, changes);
        }
        sd_reply_clear(&reply);
    }
    sd_ticket_clear(&t);
    sd_request_clear(&req);
    return rc;
}

/* ticket.history's {events, changes} as lines (render.h). */
static int s_print_history(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    const sd_mp_node_t *events = sd_cli_array(r, "events");
    if (!events)
        return sd_cli_fail("the node sent a history this client cannot read");
    sd_render_history(stdout, events, sd_cli_array(r, "changes"));
    return 0;
}
