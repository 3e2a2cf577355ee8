/* cmd_ticket.c - `sundesk ticket VERB`: the request workflow's verbs and how their results show. */
#include "cmd_ticket.h"

#include "render.h"
#include "request.h"
#include "ticket.h"

#include <stdio.h>

static int s_print_ticket(sd_cli_t *cli, const sd_mp_node_t *r);
static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r);
static int s_print_report(sd_cli_t *cli, const sd_mp_node_t *r);

/* A ticket verb whose result is the ticket (s_print_ticket), without longer help. */
#define TICKET_VERB(verb, op, positional, help)                                                    \
    {                                                                                              \
        verb, op, positional, help, s_print_ticket, false, NULL                                    \
    }

const sd_cli_verb_t sd_ticket_verbs[] = {
    {"new", SD_REQ_TICKET_NEW, "",
     "record a request: --title T --requester R [--description D]\n"
     "                 [--type incident|service_request|change|problem] [--major]\n"
     "                 [--channel phone|email|web|chat|walk_in|monitoring] [--category C]\n"
     "                 [--impact 1-3] [--urgency 1-3] [--tier L1] [--team T] [--assignee A]\n"
     "                 [--follow-sun]",
     s_print_ticket, false,
     "Prints the new ticket's id. --follow-sun makes it a 7x24 follow-the-sun ticket: its SLA\n"
     "clock runs on the union of all sites' hours and the desk hands it from site to site\n"
     "(by default the schedule's follow_sun priorities, e.g. P1, follow the sun)."},
    TICKET_VERB("show", SD_REQ_TICKET_GET, "id", "ID: the ticket card"),
    {"list", SD_REQ_TICKET_LIST, "",
     "the queue: [--status S] [--priority P1-P4] [--assignee A] [--requester R]\n"
     "                 [--open] [--breached | --at-risk] [--limit N] [--after ID] [--csv]",
     s_print_list, true,
     "Filters combine. --breached / --at-risk: only tickets in that SLA state. The SLA column\n"
     "shows ok, at_risk or breached, with ESC when the manager was notified."},
    {"report", SD_REQ_TICKET_GET, "id", "ID: full report (card, timings, comments, history)",
     s_print_report, true, NULL},
    {"history", SD_REQ_TICKET_HISTORY, "id", "ID: every event of the ticket (JSON), oldest first",
     NULL, false, NULL},
    TICKET_VERB("ack", SD_REQ_TICKET_ACK, "id",
                "ID [--reply-due TIME]: tell the customer it is accepted"),
    TICKET_VERB("assign", SD_REQ_TICKET_ASSIGN, "id assignee",
                "ID AGENT [--team T] [--tier L1.5]: route it"),
    TICKET_VERB("start", SD_REQ_TICKET_START, "id", "ID: work starts (or resumes after pending)"),
    {"pending", SD_REQ_TICKET_PENDING, "id waiting_on", "ID customer|vendor [--reason R]: wait",
     s_print_ticket, false, "The SLA clocks stop while a ticket is pending."},
    TICKET_VERB("resolve", SD_REQ_TICKET_RESOLVE, "id resolution",
                "ID RESOLUTION: record what was done"),
    TICKET_VERB("close", SD_REQ_TICKET_CLOSE, "id satisfaction",
                "ID SATISFACTION(1-5) [--feedback F]: customer confirmed"),
    TICKET_VERB("reopen", SD_REQ_TICKET_REOPEN, "id reason",
                "ID REASON: reopen a resolved/closed ticket"),
    TICKET_VERB("cancel", SD_REQ_TICKET_CANCEL, "id reason", "ID REASON: withdraw an open ticket"),
    TICKET_VERB("comment", SD_REQ_TICKET_COMMENT, "id body",
                "ID TEXT [--public]: work note, or reply"),
    {"update", SD_REQ_TICKET_UPDATE, "id",
     "ID [--title..] [--impact N] [--urgency N] [--category C]\n"
     "                 [--follow-sun | --no-follow-sun] ...: change fields",
     s_print_ticket, false,
     "A new impact, urgency, requester or follow-the-sun flag recomputes the priority and moves\n"
     "the due times, keeping the business time already used."},
    {"handover", SD_REQ_TICKET_HANDOVER, "id site",
     "ID --to SITE [--note TEXT]: hand an open ticket to another site", s_print_ticket, false,
     "SITE becomes the ticket's owner site. The stored handover note is TEXT followed by a\n"
     "generated summary (status, tier, what it awaits, last action, SLA time left). SITE must be\n"
     "a site of the desk's schedule (any site id when no calendars are configured) and not the\n"
     "owner already. `sundesk handover report` lists the handovers."},
    {NULL, 0, NULL, NULL, NULL, false, NULL},
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

/* A writing op's or ticket.get's result: the new id, the card, or where it stands now. */
static int s_print_ticket(sd_cli_t *cli, const sd_mp_node_t *r)
{
    sd_ticket_t t = {0};
    if (s_decode_ticket(r, &t))
        return 1;
    if (cli->verb->op == SD_REQ_TICKET_NEW)
        printf("%s\n", t.id);
    else if (cli->verb->op == SD_REQ_TICKET_GET)
        sd_render_ticket(stdout, &t);
    else if (cli->verb->op == SD_REQ_TICKET_HANDOVER)
        printf("%s now owned by site %s\n", t.id, t.owner_site ? t.owner_site : "-");
    else
        printf("%s %s\n", t.id, sd_status_name(t.status));
    sd_ticket_clear(&t);
    return 0;
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
        if (cli->opts->json) {
            printf("{\"ticket\":");
            sd_render_json(stdout, ticket);
            printf(",\"events\":");
            sd_cli_print_json(events);
            printf("}\n");
        } else {
            sd_render_report(stdout, &t, events);
        }
        sd_reply_clear(&reply);
    }
    sd_ticket_clear(&t);
    sd_request_clear(&req);
    return rc;
}
