/* sundesk.c - the sundesk command-line client: global options, command dispatch and --help.
 *
 * Each command group lives in its own cmd_<group>.c (ticket, node and repl,
 * schedule and handover, keygen, backup and restore); this file only knows
 * their names. */
#include "cli.h"
#include "cmd_backup.h"
#include "cmd_keygen.h"
#include "cmd_node.h"
#include "cmd_schedule.h"
#include "cmd_ticket.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The commands that talk to a node; keygen, backup and restore work on files. */
static const sd_cli_command_t s_commands[] = {
    {"ticket", sd_ticket_verbs},     {"node", sd_node_verbs},         {"repl", sd_repl_verbs},
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
        return sd_cmd_keygen(argc - i - 1, argv + i + 1);
    if (!strcmp(argv[i], "backup") || !strcmp(argv[i], "restore"))
        return sd_cmd_backup(&o, argv[i][0] == 'r', argc - i - 1, argv + i + 1);
    return s_command(&o, argc - i, argv + i);
}
