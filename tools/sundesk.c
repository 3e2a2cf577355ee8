/* sundesk.c - the sundesk command-line client: global options, command dispatch and --help.
 *
 * Each command group lives in its own cmd_<group>.c (ticket, node and repl,
 * schedule and handover, whoami/login/logout, user, team, token, audit,
 * keygen, backup and restore); this file only knows their names. */
#include "cli.h"
#include "cmd_article.h"
#include "cmd_asset.h"
#include "cmd_audit.h"
#include "cmd_auth.h"
#include "cmd_backup.h"
#include "cmd_bulletin.h"
#include "cmd_message.h"
#include "cmd_alert.h"
#include "cmd_contact.h"
#include "cmd_keygen.h"
#include "cmd_major.h"
#include "cmd_oncall.h"
#include "cmd_node.h"
#include "cmd_schedule.h"
#include "cmd_search.h"
#include "cmd_outbox.h"
#include "cmd_customer.h"
#include "cmd_team.h"
#include "cmd_ticket.h"
#include "cmd_token.h"
#include "cmd_user.h"
#include "cmd_vendor.h"
#include "tz.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The commands that talk to a node (logout is run by sd_cmd_logout, which also forgets the
 * session file); keygen, backup and restore work on files. */
static const sd_cli_command_t s_commands[] = {
    {"ticket", sd_ticket_verbs},
    {"node", sd_node_verbs},
    {"repl", sd_repl_verbs},
    {"schedule", sd_schedule_verbs},
    {"handover", sd_handover_verbs},
    {"whoami", sd_whoami_verbs},
    {"login", sd_login_verbs},
    {"user", sd_user_verbs},
    {"team", sd_team_verbs},
    {"asset", sd_asset_verbs},
    {"vendor", sd_vendor_verbs},
    {"token", sd_token_verbs},
    {"contact", sd_contact_verbs},
    {"major", sd_major_verbs},
    {"oncall", sd_oncall_verbs},
    {"audit", sd_audit_verbs},
    {"customer", sd_customer_verbs},
    {"lookup", sd_lookup_verbs},
    {"search", sd_search_verbs},
    {"article", sd_article_verbs}, // the knowledge base and bulletins (issue 16)
    {"bulletin", sd_bulletin_verbs},
    {"message", sd_message_verbs}, // inbound mail and chat (issue 17)
    {"blob", sd_blob_verbs},
    {"alert", sd_alert_verbs},   // monitoring alerts (issue 17)
    {"outbox", sd_outbox_verbs}, // notifications out (issue 17)
    {"logout", sd_logout_verbs},
    {NULL, NULL},
};
const sd_cli_command_t *const sd_cli_commands = s_commands;

/* True for a command that is one verb: `sundesk whoami`, not `sundesk whoami VERB`. */
static bool s_single(const sd_cli_command_t *c)
{
    return !c->verbs[0].verb[0];
}

static void s_command_usage(FILE *out, const sd_cli_command_t *c)
{
    if (s_single(c)) {
        fprintf(out, "sundesk %s  %s\n", c->name, c->verbs[0].help);
        return;
    }
    fprintf(out, "sundesk %s VERB:\n", c->name);
    for (const sd_cli_verb_t *v = c->verbs; v->verb; v++)
        fprintf(out, "  %-14s %s\n", v->verb, v->help);
}

static void s_usage(FILE *out)
{
    fprintf(out,
            "usage: sundesk [--data DIR | --node ENDPOINT] [--token TOKEN] [--json]\n"
            "               [--timeout MS] [--tz ZONE] COMMAND [VERB] [ARGS]\n\n"
            "Talks to a sundeskd node. Exit status 0 on success; otherwise one line on\n"
            "stderr says what went wrong. `sundesk COMMAND VERB --help` explains a verb.\n\n"
            "  --data DIR       the node's data directory (default ./sundesk-data)\n"
            "  --node ENDPOINT  the node's client endpoint instead (ipc://... or tcp://...)\n"
            "  --token TOKEN    act as the token's user (default $SUNDESK_TOKEN, else the\n"
            "                   session `sundesk login` saved for this endpoint; \"\": none)\n"
            "  --json           machine-readable output\n"
            "  --timeout MS     how long to wait for the node (default 10000)\n"
            "  --tz ZONE        show times in ZONE, an IANA name such as Asia/Shanghai\n"
            "                   (default $TZ, else your desk user's time zone, else UTC):\n"
            "                   2026-11-30 16:00+08, and 08:00Z in UTC\n\n"
            "Who you are: on the node's ipc socket, your Unix account (root and the node's\n"
            "own account are the desk's bootstrap admin; others act as the desk user linked\n"
            "to them with `sundesk user link`); with a token, the token's user. A tcp\n"
            "endpoint always needs a token. `sundesk whoami` says who the node takes you for.\n");
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
                 "milliseconds; --since and --until also take a span back from now: 90m, 24h, 7d.\n"
                 "Example: sundesk ticket new --title 'VPN down' --requester li.wei\n");
}

/* COMMAND VERB ARGS... (or COMMAND ARGS... for a single-verb command): finds the verb and runs
 * it. */
static int s_command(sd_cli_opts_t *o, int argc, char **argv)
{
    const sd_cli_command_t *c = s_commands;
    while (c->name && strcmp(c->name, argv[0]))
        c++;
    if (!c->name)
        return sd_cli_fail(
            "unknown command '%s' (known: ticket, node, repl, schedule, handover, "
            "whoami, login, logout, user, team, token, audit, customer, lookup, keygen, backup, "
            "asset, vendor, search, "
            "article, bulletin, "
            "message, blob, "
            "alert, "
            "outbox, "
            "restore); see sundesk --help",
            argv[0]);
    const sd_cli_verb_t *v = c->verbs;
    if (!s_single(c)) {
        if (argc < 2 || !strcmp(argv[1], "--help")) {
            s_command_usage(argc < 2 ? stderr : stdout, c);
            return argc < 2 ? 2 : 0;
        }
        while (v->verb && strcmp(v->verb, argv[1]))
            v++;
        if (!v->verb)
            return sd_cli_fail("unknown verb '%s %s'; see sundesk %s --help", argv[0], argv[1],
                               argv[0]);
        argc--, argv++;
    }
    zsys_init();
    zsys_handler_set(NULL); /* let ^C end the CLI at once */
    return sd_cli_run(o, c->name, v, argc - 1, argv + 1);
}

int sd_cli_main(int argc, char **argv)
{
    sd_cli_opts_t o = {.data = "./sundesk-data", .timeout_ms = 10000};
    o.token = getenv("SUNDESK_TOKEN") && *getenv("SUNDESK_TOKEN") ? getenv("SUNDESK_TOKEN") : NULL;
    const char *zone = NULL;
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
        } else if (!strcmp(a, "author")) {
            return sd_cli_author_gone();
        }
        if (!value)
            return sd_cli_fail("--%s needs a value", a);
        i++;
        if (!strcmp(a, "data"))
            o.data = value;
        else if (!strcmp(a, "node"))
            o.node = value;
        else if (!strcmp(a, "token"))
            o.token = value; /* "": no token, not even the saved session */
        else if (!strcmp(a, "tz"))
            zone = value;
        else if (!strcmp(a, "timeout") && atoi(value) > 0)
            o.timeout_ms = atoi(value);
        else
            return sd_cli_fail("unknown option --%s; see sundesk --help", a);
    }
    o.zone_given = zone || (getenv("TZ") && *getenv("TZ"));
    if (sd_tz_use(zone) != 0) {
        sd_cli_fail("unknown time zone '%s' (an IANA name such as Europe/London, or UTC)", zone);
        return 2;
    }
    if (i >= argc) {
        s_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[i], "keygen"))
        return sd_cmd_keygen(argc - i - 1, argv + i + 1);
    if (!strcmp(argv[i], "backup") || !strcmp(argv[i], "restore"))
        return sd_cmd_backup(&o, argv[i][0] == 'r', argc - i - 1, argv + i + 1);
    if (!strcmp(argv[i], "logout"))
        return sd_cmd_logout(&o, argc - i - 1, argv + i + 1);
    if (!strcmp(argv[i], "customer") && argc - i > 1 && !strcmp(argv[i + 1], "import"))
        return sd_cmd_customer_import(&o, argc - i - 2, argv + i + 2);
    if (!strcmp(argv[i], "customer"))
        argc = i + sd_customer_words(argc - i, argv + i);
    if (!strcmp(argv[i], "search")) {
        int n = argc - i;
        char **words = sd_search_words(&n, argv + i);
        int rc = s_command(&o, n, words);
        if (words != argv + i)
            free(words);
        return rc;
    }
    if (!strcmp(argv[i], "article")) {
        char **words = argv + i;
        int n = sd_article_words(argc - i, &words);
        int rc = n < 0 ? 1 : s_command(&o, n, words);
        sd_article_words_free(words, argv + i);
        return rc;
    }
    return s_command(&o, argc - i, argv + i);
}
