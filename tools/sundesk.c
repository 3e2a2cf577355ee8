/* sundesk.c - the sundesk command-line client: git-style sub-commands over the client API. */
#include "client.h"
#include "config.h"
#include "error.h"
#include "keys.h"
#include "render.h"
#include "request.h"
#include "ticket.h"

#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Global options, before the command. */
typedef struct {
    const char *data;   /* --data DIR */
    const char *node;   /* --node ENDPOINT */
    const char *author; /* --author NAME */
    bool json;          /* --json */
    bool csv;           /* --csv (ticket list) */
    int timeout_ms;     /* --timeout MS */
} s_opts_t;

/* A CLI verb: which request it sends and which arguments come positionally. */
typedef struct {
    const char *verb;       /* word after "ticket" / "node" */
    int op;                 /* sd_req_op_t */
    const char *positional; /* argument names in order, space-separated */
    const char *help;       /* one line */
} s_verb_t;

static const s_verb_t s_ticket_verbs[] = {
    {"new", SD_REQ_TICKET_NEW, "",
     "record a request: --title T --requester R [--description D]\n"
     "                 [--type incident|service_request|change|problem] [--major]\n"
     "                 [--channel phone|email|web|chat|walk_in|monitoring] [--category C]\n"
     "                 [--impact 1-3] [--urgency 1-3] [--tier L1] [--team T] [--assignee A]"},
    {"show", SD_REQ_TICKET_GET, "id", "ID: the ticket card"},
    {"list", SD_REQ_TICKET_LIST, "",
     "the queue: [--status S] [--priority P1-P4] [--assignee A] [--requester R]\n"
     "                 [--open] [--limit N] [--after ID] [--csv]"},
    {"report", SD_REQ_TICKET_GET, "id", "ID: full report (card, timings, comments, history)"},
    {"ack", SD_REQ_TICKET_ACK, "id", "ID [--reply-due TIME]: tell the customer it is accepted"},
    {"assign", SD_REQ_TICKET_ASSIGN, "id assignee", "ID AGENT [--team T] [--tier L1.5]: route it"},
    {"start", SD_REQ_TICKET_START, "id", "ID: work starts (or resumes after pending)"},
    {"pending", SD_REQ_TICKET_PENDING, "id waiting_on", "ID customer|vendor [--reason R]: wait"},
    {"resolve", SD_REQ_TICKET_RESOLVE, "id resolution", "ID RESOLUTION: record what was done"},
    {"close", SD_REQ_TICKET_CLOSE, "id satisfaction",
     "ID SATISFACTION(1-5) [--feedback F]: customer confirmed"},
    {"reopen", SD_REQ_TICKET_REOPEN, "id reason", "ID REASON: reopen a resolved/closed ticket"},
    {"cancel", SD_REQ_TICKET_CANCEL, "id reason", "ID REASON: withdraw an open ticket"},
    {"comment", SD_REQ_TICKET_COMMENT, "id body", "ID TEXT [--public]: work note, or reply"},
    {"update", SD_REQ_TICKET_UPDATE, "id",
     "ID [--title..] [--impact N] [--urgency N] [--category C] ...: change fields"},
    {NULL, 0, NULL, NULL},
};

static const s_verb_t s_node_verbs[] = {
    {"ping", SD_REQ_NODE_PING, "", "is the node up? site, role and version"},
    {"status", SD_REQ_NODE_STATUS, "", "uptime, ticket counts, store size"},
    {"digest", SD_REQ_NODE_DIGEST, "", "digest of the node's state (equal = same state)"},
    {NULL, 0, NULL, NULL},
};

static const s_verb_t s_repl_verbs[] = {
    {"status", SD_REQ_REPL_STATUS, "", "per peer: connected, heartbeat age, vector, lag, refused"},
    {NULL, 0, NULL, NULL},
};

static void s_usage(FILE *out)
{
    fprintf(out, "usage: sundesk [--data DIR | --node ENDPOINT] [--json] [--author NAME]\n"
                 "               [--timeout MS] COMMAND VERB [ARGS]\n\n"
                 "Talks to a sundeskd node. Exit status 0 on success; otherwise one line on\n"
                 "stderr says what went wrong.\n\n"
                 "  --data DIR       the node's data directory (default ./sundesk-data)\n"
                 "  --node ENDPOINT  the node's client endpoint instead (ipc://... or tcp://...)\n"
                 "  --json           machine-readable output\n"
                 "  --author NAME    who is acting (default $SUNDESK_AUTHOR, then $USER)\n"
                 "  --timeout MS     how long to wait for the node (default 10000)\n\n"
                 "sundesk ticket VERB:\n");
    for (const s_verb_t *v = s_ticket_verbs; v->verb; v++)
        fprintf(out, "  %-14s %s\n", v->verb, v->help);
    fprintf(out, "\nsundesk node VERB:\n");
    for (const s_verb_t *v = s_node_verbs; v->verb; v++)
        fprintf(out, "  %-14s %s\n", v->verb, v->help);
    fprintf(out, "\nsundesk repl VERB:\n");
    for (const s_verb_t *v = s_repl_verbs; v->verb; v++)
        fprintf(out, "  %-14s %s\n", v->verb, v->help);
    fprintf(out, "\nsundesk keygen NAME --site SITE [--role site|hub] [--dir DIR]\n"
                 "  writes DIR/NAME.cert (public: give it to peers) and NAME.cert_secret (0600)\n");
    fprintf(out, "\nTIME is Unix milliseconds or UTC 'YYYY-MM-DDTHH:MM[:SS]'.\n"
                 "Example: sundesk ticket new --title 'VPN down' --requester ann@example.com\n");
}

static int s_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int s_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sundesk: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

/* "2026-11-24T18:00[:00][Z]" (UTC) or Unix ms, into ms. */
static bool s_parse_time(const char *text, char *out, size_t cap)
{
    struct tm tm = {0};
    const char *end = strptime(text, "%Y-%m-%dT%H:%M", &tm);
    if (!end)
        return false;
    if (*end == ':')
        end = strptime(end, ":%S", &tm);
    if (end && *end == 'Z')
        end++;
    if (!end || *end)
        return false;
    snprintf(out, cap, "%lld", (long long)timegm(&tm) * 1000);
    return true;
}

/* Sets argument `name` (a CLI spelling: dashes allowed) from text. */
static int s_set_arg(sd_request_t *req, const char *name, const char *text)
{
    char field[32], timebuf[32];
    snprintf(field, sizeof field, "%s", name);
    for (char *p = field; *p; p++)
        if (*p == '-')
            *p = '_';
    if (strcmp(field, "on") == 0)
        strcpy(field, "waiting_on");
    int i = sd_fields_find(sd_args_fields, sd_args_field_count, field);
    if (i < 0)
        return s_fail("unknown option --%s; see sundesk --help", name);
    if (strcmp(field, "reply_due") == 0 && strchr(text, 'T')) {
        if (!s_parse_time(text, timebuf, sizeof timebuf))
            return s_fail("--%s: expected YYYY-MM-DDTHH:MM (UTC) or Unix ms", name);
        text = timebuf;
    }
    sd_fault_t fault = {0};
    if (sd_field_parse(&sd_args_fields[i], text, &req->args, &fault) != 0)
        return s_fail("%s", fault.text);
    req->present |= 1ull << i;
    return 0;
}

static bool s_is_flag(const char *name)
{
    return !strcmp(name, "public") || !strcmp(name, "major") || !strcmp(name, "open");
}

/* Fills req from the verb's positional words and --name value options. */
static int s_parse_args(const s_verb_t *verb, int argc, char **argv, s_opts_t *o, sd_request_t *req)
{
    const char *pos = verb->positional;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) == 0 && a[2]) {
            const char *name = a + 2;
            if (!strcmp(name, "help")) {
                s_usage(stdout);
                exit(0);
            } else if (!strcmp(name, "json")) {
                o->json = true;
            } else if (!strcmp(name, "csv")) {
                o->csv = true;
            } else if (s_is_flag(name)) {
                if (s_set_arg(req, name, "true"))
                    return 1;
            } else if (i + 1 >= argc) {
                return s_fail("--%s needs a value", name);
            } else if (s_set_arg(req, name, argv[++i])) {
                return 1;
            }
            continue;
        }
        while (*pos == ' ')
            pos++;
        if (!*pos)
            return s_fail("unexpected argument '%s'; see sundesk --help", a);
        char name[32];
        size_t len = strcspn(pos, " ");
        snprintf(name, sizeof name, "%.*s", (int)len, pos);
        pos += len;
        if (s_set_arg(req, name, a))
            return 1;
    }
    while (*pos == ' ')
        pos++;
    if (*pos) {
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(pos, " "), pos);
        for (char *p = name; *p; p++)
            *p = *p == '_' ? '-' : (char)toupper(*p);
        return s_fail("ticket %s: missing %s; see sundesk --help", verb->verb, name);
    }
    if (sd_req_op_writes(req->op) && !sd_request_has(req, "author"))
        if (s_set_arg(req, "author", o->author))
            return 1;
    return 0;
}

static int s_decode_ticket(const sd_mp_node_t *node, sd_ticket_t *t)
{
    if (sd_ticket_decode(node, t, NULL) != 0) {
        sd_ticket_clear(t);
        return s_fail("the node sent a ticket this client cannot read");
    }
    return 0;
}

static int s_print_list(const s_opts_t *o, const sd_mp_node_t *result)
{
    const sd_mp_node_t *tickets = sd_mp_get(result, "tickets");
    const sd_mp_node_t *more = sd_mp_get(result, "more");
    if (!tickets || sd_mp_kind(tickets) != SD_MP_ARRAY)
        return s_fail("the node sent a list this client cannot read");
    if (o->json) {
        sd_render_json(stdout, tickets);
        putchar('\n');
        return 0;
    }
    o->csv ? sd_render_csv_header(stdout) : sd_render_queue_header(stdout);
    for (size_t i = 0; i < sd_mp_len(tickets); i++) {
        sd_ticket_t t = {0};
        if (s_decode_ticket(sd_mp_at(tickets, i), &t))
            return 1;
        o->csv ? sd_render_csv_row(stdout, &t) : sd_render_queue_row(stdout, &t);
        sd_ticket_clear(&t);
    }
    bool more_left = false;
    if (more && sd_mp_boolean(more, &more_left) == 0 && more_left && !o->csv)
        printf("(more: use --after with the last id for the next page)\n");
    return 0;
}

/* The report needs two calls: the ticket and its history. */
static int s_report(sd_client_t *client, const s_opts_t *o, sd_reply_t *ticket_reply)
{
    sd_request_t req = {.op = SD_REQ_TICKET_HISTORY};
    sd_ticket_t t = {0};
    sd_reply_t reply;
    if (s_decode_ticket(ticket_reply->result, &t))
        return 1;
    int rc = s_set_arg(&req, "id", t.id);
    if (!rc && (rc = sd_client_call(client, &req, &reply)) != 0)
        rc = s_fail("%s", sd_strerror(rc));
    else if (!rc && !reply.ok)
        rc = s_fail("%s", reply.message);
    if (!rc) {
        const sd_mp_node_t *events = sd_mp_get(reply.result, "events");
        if (o->json) {
            printf("{\"ticket\":");
            sd_render_json(stdout, ticket_reply->result);
            printf(",\"events\":");
            sd_render_json(stdout, events);
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
static int s_print_repl(const sd_mp_node_t *r)
{
    const sd_mp_node_t *peers = sd_mp_get(r, "peers");
    printf("vector ");
    sd_render_json(stdout, sd_mp_get(r, "vector"));
    printf("\n%-16s %-5s %-10s %-11s %-8s %-9s %-8s %-10s %s\n", "PEER", "ROLE", "CONNECTED",
           "HEARTBEAT", "LAG", "BEHIND", "REFUSED", "REPAIRED", "ITS VECTOR");
    for (size_t i = 0; peers && i < sd_mp_len(peers); i++) {
        const sd_mp_node_t *p = sd_mp_at(peers, i);
        size_t len;
        const char *site = sd_mp_bytes(sd_mp_get(p, "site"), &len);
        uint64_t age = 0, lag = 0, lag_ms = 0, refused = 0, repaired = 0;
        bool connected = false, heard = sd_mp_uint(sd_mp_get(p, "heartbeat_age_ms"), &age) == 0;
        sd_mp_boolean(sd_mp_get(p, "connected"), &connected);
        sd_mp_uint(sd_mp_get(p, "lag_events"), &lag);
        sd_mp_uint(sd_mp_get(p, "lag_ms"), &lag_ms);
        sd_mp_uint(sd_mp_get(p, "refused"), &refused);
        sd_mp_uint(sd_mp_get(p, "applied_sync"), &repaired);
        char agebuf[24];
        snprintf(agebuf, sizeof agebuf, heard ? "%llums ago" : "never", (unsigned long long)age);
        size_t rlen;
        const char *role = sd_mp_bytes(sd_mp_get(p, "role"), &rlen);
        char behind[24];
        snprintf(behind, sizeof behind, "%.1fs", (double)lag_ms / 1000);
        printf("%-16.*s %-5.*s %-10s %-11s %-8llu %-9s %-8llu %-10llu ", (int)len, site, (int)rlen,
               role, connected ? "yes" : "NO", agebuf, (unsigned long long)lag, behind,
               (unsigned long long)refused, (unsigned long long)repaired);
        sd_render_json(stdout, sd_mp_get(p, "vector"));
        putchar('\n');
    }
    return 0;
}

static int s_print(sd_client_t *client, const s_opts_t *o, const s_verb_t *verb, sd_reply_t *reply)
{
    const sd_mp_node_t *r = reply->result;
    if (verb->op == SD_REQ_TICKET_LIST)
        return s_print_list(o, r);
    if (!strcmp(verb->verb, "report"))
        return s_report(client, o, reply);
    if (o->json) {
        sd_render_json(stdout, r);
        putchar('\n');
        return 0;
    }
    if (verb->op == SD_REQ_REPL_STATUS)
        return s_print_repl(r);
    if (verb->op >= SD_REQ_NODE_PING && verb->op <= SD_REQ_NODE_DIGEST) {
        for (size_t i = 0; i < sd_mp_len(r); i++) {
            size_t len;
            const char *k = sd_mp_bytes(sd_mp_key(r, i), &len);
            printf("%-12.*s ", (int)len, k);
            sd_render_json(stdout, sd_mp_val(r, i));
            putchar('\n');
        }
        return 0;
    }
    sd_ticket_t t = {0};
    if (s_decode_ticket(r, &t))
        return 1;
    if (verb->op == SD_REQ_TICKET_NEW)
        printf("%s\n", t.id);
    else if (verb->op == SD_REQ_TICKET_GET)
        sd_render_ticket(stdout, &t);
    else
        printf("%s %s\n", t.id, sd_status_name(t.status));
    sd_ticket_clear(&t);
    return 0;
}

static int s_run(s_opts_t *o, const s_verb_t *verb, int argc, char **argv)
{
    sd_request_t req = {.op = verb->op};
    sd_reply_t reply = {0};
    sd_client_t *client = NULL;
    char endpoint[SD_ENDPOINT_MAX];
    int rc = s_parse_args(verb, argc, argv, o, &req);
    if (rc)
        goto done;
    if (o->node)
        snprintf(endpoint, sizeof endpoint, "%s", o->node);
    else if (sd_config_endpoint_for(o->data, endpoint, sizeof endpoint) != 0) {
        rc = s_fail("data directory path too long: %s", o->data);
        goto done;
    }
    rc = sd_client_new(endpoint, o->timeout_ms, &client);
    if (rc) {
        rc = rc == SD_EUNAVAILABLE
                 ? s_fail("no node is running at %s; start one with: sundeskd --data %s",
                          o->node ? o->node : o->data, o->node ? "DIR" : o->data)
                 : s_fail("%s", sd_strerror(rc));
        goto done;
    }
    rc = sd_client_call(client, &req, &reply);
    if (rc) {
        rc = s_fail("%s (%s)",
                    rc == SD_ETIMEOUT ? "the node did not answer; is sundeskd running?"
                                      : sd_strerror(rc),
                    endpoint);
        goto done;
    }
    rc = reply.ok ? s_print(client, o, verb, &reply) : s_fail("%s", reply.message);
done:
    sd_reply_clear(&reply);
    sd_request_clear(&req);
    sd_client_destroy(&client);
    return rc;
}

/* sundesk keygen NAME --site SITE [--role site|hub] [--dir DIR] */
static int s_keygen(int argc, char **argv)
{
    const char *name = NULL, *site = NULL, *role = "site", *dir = ".";
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
            return s_fail("keygen: bad argument '%s'; see sundesk --help", argv[i]);
    }
    if (!name || !site)
        return s_fail(
            "keygen: usage: sundesk keygen NAME --site SITE [--role site|hub] [--dir DIR]");
    int rc = sd_keys_generate(dir, name, site, role);
    if (rc == SD_EDUPLICATE)
        return s_fail("keygen: %s/%s.cert exists; not overwriting a key", dir, name);
    if (rc == SD_ERANGE)
        return s_fail("keygen: site must be A-Z 0-9 - _ (max 16), role site or hub");
    if (rc)
        return s_fail("keygen: cannot write %s/%s.cert: %s", dir, name, strerror(errno));
    printf("%s/%s.cert\n%s/%s.cert_secret\n", dir, name, dir, name);
    return 0;
}

int main(int argc, char **argv)
{
    s_opts_t o = {.data = "./sundesk-data", .timeout_ms = 10000};
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
            return s_fail("--%s needs a value", a);
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
            return s_fail("unknown option --%s; see sundesk --help", a);
    }
    if (i + 1 >= argc) {
        s_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[i], "keygen"))
        return s_keygen(argc - i - 1, argv + i + 1);
    const char *command = argv[i], *verb = argv[i + 1];
    const s_verb_t *table = !strcmp(command, "ticket") ? s_ticket_verbs
                            : !strcmp(command, "node") ? s_node_verbs
                            : !strcmp(command, "repl") ? s_repl_verbs
                                                       : NULL;
    if (!table)
        return s_fail(
            "unknown command '%s' (known: ticket, node, repl, keygen); see sundesk --help",
            command);
    for (const s_verb_t *v = table; v->verb; v++)
        if (!strcmp(v->verb, verb)) {
            zsys_init();
            zsys_handler_set(NULL); /* let ^C end the CLI at once */
            return s_run(&o, v, argc - i - 2, argv + i + 2);
        }
    return s_fail("unknown verb '%s %s'; see sundesk --help", command, verb);
}
