/* sundesk.c - the sundesk command-line client: git-style sub-commands over the client API. */
#include "cli.h"
#include "cmd_backup.h"
#include "cmd_schedule.h"
#include "error.h"
#include "keys.h"
#include "render.h"
#include "request.h"
#include "ticket.h"

#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int s_print_ticket(sd_cli_t *cli, const sd_mp_node_t *r);
static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r);
static int s_print_report(sd_cli_t *cli, const sd_mp_node_t *r);
static int s_print_repl(sd_cli_t *cli, const sd_mp_node_t *r);
static int s_print_status(sd_cli_t *cli, const sd_mp_node_t *r);

/* A ticket verb whose result is the ticket (s_print_ticket), without longer help. */
#define TICKET_VERB(verb, op, positional, help)                                                    \
    {                                                                                              \
        verb, op, positional, help, s_print_ticket, false, NULL                                    \
    }

static const sd_cli_verb_t s_ticket_verbs[] = {
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

static const sd_cli_verb_t s_node_verbs[] = {
    {"ping", SD_REQ_NODE_PING, "", "is the node up? site, role and version", NULL, false, NULL},
    {"status", SD_REQ_NODE_STATUS, "", "uptime, ticket counts, store size, replication",
     s_print_status, false, NULL},
    {"digest", SD_REQ_NODE_DIGEST, "", "digest of the node's state (equal = same state)", NULL,
     false, NULL},
    {NULL, 0, NULL, NULL, NULL, false, NULL},
};

static const sd_cli_verb_t s_repl_verbs[] = {
    {"status", SD_REQ_REPL_STATUS, "", "per peer: connected, heartbeat age, vector, lag, refused",
     s_print_repl, false, NULL},
    {NULL, 0, NULL, NULL, NULL, false, NULL},
};

static const sd_cli_command_t s_commands[] = {
    {"ticket", s_ticket_verbs},      {"node", s_node_verbs},          {"repl", s_repl_verbs},
    {"schedule", sd_schedule_verbs}, {"handover", sd_handover_verbs}, {NULL, NULL},
};
const sd_cli_command_t *const sd_cli_commands = s_commands;

static void s_command_usage(FILE *out, const sd_cli_command_t *c)
{
    fprintf(out, "sundesk %s VERB:\n", c->name);
    for (const sd_cli_verb_t *v = c->verbs; v->verb; v++)
        fprintf(out, "  %-14s %s\n", v->verb, v->help);
}

static void s_usage(FILE *out)
{
    fprintf(out, "usage: sundesk [--data DIR | --node ENDPOINT] [--json] [--author NAME]\n"
                 "               [--timeout MS] COMMAND VERB [ARGS]\n\n"
                 "Talks to a sundeskd node. Exit status 0 on success; otherwise one line on\n"
                 "stderr says what went wrong. `sundesk COMMAND VERB --help` explains a verb.\n\n"
                 "  --data DIR       the node's data directory (default ./sundesk-data)\n"
                 "  --node ENDPOINT  the node's client endpoint instead (ipc://... or tcp://...)\n"
                 "  --json           machine-readable output\n"
                 "  --author NAME    who is acting (default $SUNDESK_AUTHOR, then $USER)\n"
                 "  --timeout MS     how long to wait for the node (default 10000)\n");
    for (const sd_cli_command_t *c = s_commands; c->name; c++) {
        fputc('\n', out);
        s_command_usage(out, c);
    }
    fprintf(out, "\nsundesk keygen NAME --site SITE [--role site|hub] [--dir DIR]\n"
                 "  writes DIR/NAME.cert (public: give it to peers) and NAME.cert_secret (0600)\n"
                 "\nsundesk [--data DIR] backup DEST\n"
                 "  hot, compacted, consistent copy of the node's store into DEST (new or empty)\n"
                 "sundesk --data DIR restore SRC\n"
                 "  puts backup SRC into an empty DIR; the node then catches up from its peers\n");
    fprintf(out, "\nTIME and DATE: YYYY-MM-DD (UTC midnight), UTC YYYY-MM-DDTHH:MM[:SS]Z or Unix\n"
                 "milliseconds; --since also takes a span back from now: 90m, 24h, 7d.\n"
                 "Example: sundesk ticket new --title 'VPN down' --requester ann@example.com\n");
}

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

/* The repl status table: a line per peer. */
static int s_print_repl(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    const sd_mp_node_t *peers = sd_cli_array(r, "peers");
    const sd_mp_node_t *vector = sd_mp_kind(r) == SD_MP_MAP ? sd_mp_get(r, "vector") : NULL;
    printf("vector ");
    sd_cli_print_json(vector);
    printf("%-16s %-5s %-10s %-11s %-8s %-9s %-8s %-10s %s\n", "PEER", "ROLE", "CONNECTED",
           "HEARTBEAT", "LAG", "BEHIND", "REFUSED", "REPAIRED", "ITS VECTOR");
    for (size_t i = 0; peers && i < sd_mp_len(peers); i++) {
        const sd_mp_node_t *p = sd_mp_at(peers, i);
        int len, rlen;
        const char *site = sd_cli_str(p, "site", &len), *role = sd_cli_str(p, "role", &rlen);
        const sd_mp_node_t *age =
            sd_mp_kind(p) == SD_MP_MAP ? sd_mp_get(p, "heartbeat_age_ms") : NULL;
        char agebuf[24], behind[24];
        if (age && sd_mp_kind(age) == SD_MP_UINT)
            snprintf(agebuf, sizeof agebuf, "%llums ago",
                     (unsigned long long)sd_cli_u64(p, "heartbeat_age_ms"));
        else
            snprintf(agebuf, sizeof agebuf, "never");
        snprintf(behind, sizeof behind, "%.1fs", (double)sd_cli_u64(p, "lag_ms") / 1000);
        printf("%-16.*s %-5.*s %-10s %-11s %-8llu %-9s %-8llu %-10llu ", len, site, rlen, role,
               sd_cli_bool(p, "connected") ? "yes" : "NO", agebuf,
               (unsigned long long)sd_cli_u64(p, "lag_events"), behind,
               (unsigned long long)sd_cli_u64(p, "refused"),
               (unsigned long long)sd_cli_u64(p, "applied_sync"));
        sd_cli_print_json(sd_mp_kind(p) == SD_MP_MAP ? sd_mp_get(p, "vector") : NULL);
    }
    return 0;
}

/* node status: a few lines an administrator reads at a glance. */
static int s_print_status(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    int slen, rlen, vlen;
    const char *site = sd_cli_str(r, "site", &slen), *role = sd_cli_str(r, "role", &rlen);
    const char *version = sd_cli_str(r, "version", &vlen);
    uint64_t up_s = sd_cli_u64(r, "uptime_ms") / 1000;
    printf("site %.*s (%.*s), sundesk %.*s, up %llud %02lluh %02llum %02llus\n", slen, site, rlen,
           role, vlen, version, (unsigned long long)(up_s / 86400),
           (unsigned long long)(up_s / 3600 % 24), (unsigned long long)(up_s / 60 % 60),
           (unsigned long long)(up_s % 60));
    printf(
        "requests %llu (errors %llu); %llu commits carrying %llu writes\n",
        (unsigned long long)sd_cli_u64(r, "requests"), (unsigned long long)sd_cli_u64(r, "errors"),
        (unsigned long long)sd_cli_u64(r, "commits"), (unsigned long long)sd_cli_u64(r, "writes"));
    printf("store %.1f MiB used of a %.1f MiB map\n",
           (double)sd_cli_u64(r, "used_bytes") / (1 << 20),
           (double)sd_cli_u64(r, "map_bytes") / (1 << 20));
    const sd_mp_node_t *tickets = sd_mp_kind(r) == SD_MP_MAP ? sd_mp_get(r, "tickets") : NULL;
    printf("tickets:");
    for (int i = 0; i < SD_STATUS_COUNT_; i++)
        printf(" %s %llu%s", sd_status_name(i),
               (unsigned long long)sd_cli_u64(tickets, sd_status_name(i)),
               i + 1 < SD_STATUS_COUNT_ ? "," : "\n");
    printf("SLA breaches held: %llu\n", (unsigned long long)sd_cli_u64(r, "sla_breaches"));
    if (sd_cli_bool(r, "restoring"))
        printf("RESTORING from a backup: writes refused until this site's events are back\n");
    const sd_mp_node_t *repl = sd_mp_kind(r) == SD_MP_MAP ? sd_mp_get(r, "replication") : NULL;
    const sd_mp_node_t *peers = repl ? sd_cli_array(repl, "peers") : NULL;
    if (!peers) {
        printf("replication: off\n");
        return 0;
    }
    uint64_t connected = 0, lag = 0;
    for (size_t i = 0; i < sd_mp_len(peers); i++) {
        connected += sd_cli_bool(sd_mp_at(peers, i), "connected");
        lag += sd_cli_u64(sd_mp_at(peers, i), "lag_events");
    }
    printf("replication: %llu of %zu upstreams connected, %llu events behind, %llu connections "
           "refused (details: sundesk repl status)\n",
           (unsigned long long)connected, sd_mp_len(peers), (unsigned long long)lag,
           (unsigned long long)sd_cli_u64(repl, "refused_connections"));
    return 0;
}

/* sundesk keygen NAME --site SITE [--role site|hub] [--dir DIR] */
static int s_keygen(int argc, char **argv)
{
    const char *name = NULL, *site = NULL, *role = "site", *dir = ".";
    if (argc == 1 && !strcmp(argv[0], "--help")) {
        printf("usage: sundesk keygen NAME --site SITE [--role site|hub] [--dir DIR]\n"
               "Writes DIR/NAME.cert (public: give it to the peers, for their certs directory)\n"
               "and DIR/NAME.cert_secret (mode 0600: never copy it, keep it for this node's\n"
               "replication/cert). SITE is this node's site id; refuses to overwrite a key.\n");
        return 0;
    }
    for (int i = 0; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--site")   ? &site
                            : !strcmp(argv[i], "--role") ? &role
                            : !strcmp(argv[i], "--dir")  ? &dir
                                                         : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (!slot && !name && argv[i][0] != '-')
            name = argv[i];
        else
            return sd_cli_fail("keygen: bad argument '%s'; see sundesk --help", argv[i]);
    }
    if (!name || !site)
        return sd_cli_fail(
            "keygen: usage: sundesk keygen NAME --site SITE [--role site|hub] [--dir DIR]");
    int rc = sd_keys_generate(dir, name, site, role);
    if (rc == SD_EDUPLICATE)
        return sd_cli_fail("keygen: %s/%s.cert exists; not overwriting a key", dir, name);
    if (rc == SD_ERANGE)
        return sd_cli_fail("keygen: site must be A-Z 0-9 - _ (max 16), role site or hub");
    if (rc)
        return sd_cli_fail("keygen: cannot write %s/%s.cert: %s", dir, name, strerror(errno));
    printf("%s/%s.cert\n%s/%s.cert_secret\n", dir, name, dir, name);
    return 0;
}

/* COMMAND VERB ARGS...: finds the verb and runs it. */
static int s_command(sd_cli_opts_t *o, int argc, char **argv)
{
    const sd_cli_command_t *c = s_commands;
    while (c->name && strcmp(c->name, argv[0]))
        c++;
    if (!c->name)
        return sd_cli_fail("unknown command '%s' (known: ticket, node, repl, schedule, handover, "
                           "keygen, backup, restore); see sundesk --help",
                           argv[0]);
    if (argc < 2 || !strcmp(argv[1], "--help")) {
        s_command_usage(argc < 2 ? stderr : stdout, c);
        return argc < 2 ? 2 : 0;
    }
    for (const sd_cli_verb_t *v = c->verbs; v->verb; v++)
        if (!strcmp(v->verb, argv[1])) {
            zsys_init();
            zsys_handler_set(NULL); /* let ^C end the CLI at once */
            return sd_cli_run(o, c->name, v, argc - 2, argv + 2);
        }
    return sd_cli_fail("unknown verb '%s %s'; see sundesk %s --help", argv[0], argv[1], argv[0]);
}

int sd_cli_main(int argc, char **argv)
{
    sd_cli_opts_t o = {.data = "./sundesk-data", .timeout_ms = 10000};
    o.author = getenv("SUNDESK_AUTHOR") ? getenv("SUNDESK_AUTHOR") : getenv("USER");
    if (!o.author || !*o.author)
        o.author = "agent";
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        const char *a = argv[i] + 2;
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "help")) {
            s_usage(stdout);
            return 0;
        } else if (!strcmp(a, "version")) {
            printf("sundesk %s\n", SD_VERSION);
            return 0;
        } else if (!strcmp(a, "json")) {
            o.json = true;
            continue;
        }
        if (!value)
            return sd_cli_fail("--%s needs a value", a);
        i++;
        if (!strcmp(a, "data"))
            o.data = value;
        else if (!strcmp(a, "node"))
            o.node = value;
        else if (!strcmp(a, "author"))
            o.author = value;
        else if (!strcmp(a, "timeout") && atoi(value) > 0)
            o.timeout_ms = atoi(value);
        else
            return sd_cli_fail("unknown option --%s; see sundesk --help", a);
    }
    if (i >= argc) {
        s_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[i], "keygen"))
        return s_keygen(argc - i - 1, argv + i + 1);
    if (!strcmp(argv[i], "backup") || !strcmp(argv[i], "restore"))
        return sd_cmd_backup(&o, argv[i][0] == 'r', argc - i - 1, argv + i + 1);
    return s_command(&o, argc - i, argv + i);
}
