/* cli.c - option parsing, the request/reply round trip and result readers for the sundesk CLI. */
#include "cli.h"

#include "error.h"
#include "prompt.h"
#include "render.h"
#include "request.h"
#include "session.h"
#include "tz.h"
#include "utc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

/* Options that set an argument to a fixed value: --public, --breached, ... */
static const struct {
    const char *option; /* CLI spelling */
    const char *arg;    /* argument it sets */
    const char *value;  /* to this */
} s_flags[] = {
    {"public", "public", "true"},
    {"major", "major", "true"},
    {"open", "open", "true"},
    {"all", "open", "false"},
    {"follow-sun", "follow_sun", "true"},
    {"no-follow-sun", "follow_sun", "false"},
    {"breached", "sla", "breached"},
    {"at-risk", "sla", "at_risk"},
    {"vip", "vip", "true"},
    {"no-vip", "vip", "false"},
    {"current", "current", "true"},
};

/* Other spellings of valued options, in the ops of one argument group (SD_ARGS_NONE: all). */
static const struct {
    const char *option; /* CLI spelling */
    const char *arg;    /* argument name */
    int group;          /* sd_args_group_t where it applies */
} s_aliases[] = {
    {"on", "waiting_on", SD_ARGS_NONE},       {"to", "site", SD_ARGS_TICKET},
    {"to", "site", SD_ARGS_REPORT},           {"name", "display_name", SD_ARGS_USER},
    {"name", "display_name", SD_ARGS_TEAM},   {"org", "organisation", SD_ARGS_CUSTOMER},
    {"dept", "department", SD_ARGS_CUSTOMER}, {"name", "display_name", SD_ARGS_VENDOR},
    {"incident", "major", SD_ARGS_BULLETIN},
};

/* Arguments that are points in time; true: a span back from now is allowed. */
static const struct {
    const char *arg; /* argument name */
    bool relative;   /* "24h" means 24 hours ago */
} s_times[] = {{"reply_due", false}, {"from", false},       {"since", true},       {"until", true},
               {"at", false},        {"valid_from", false}, {"valid_until", false}};

/* Arguments never taken from the command line, where ps and the shell history would show them:
 * the CLI asks for them (sd_cli_password), or reads them from stdin with this option. */
static const struct {
    const char *arg;    /* argument name */
    const char *option; /* the flag that reads it from stdin */
} s_secrets[] = {{"password", "password-stdin"}};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int sd_cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sundesk: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

static uint64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* "24h", "90m", "7d", "30s" into ms; false when text is not such a span. */
static bool s_parse_span(const char *text, uint64_t *ms)
{
    static const char units[] = "smhd";
    static const uint64_t unit_ms[] = {1000, 60000, 3600000, 86400000};
    char *end;
    if (!isdigit((unsigned char)text[0]))
        return false;
    unsigned long long n = strtoull(text, &end, 10);
    const char *unit = *end ? strchr(units, *end) : NULL;
    if (!unit || end[1] || n > 100000ull * 365)
        return false;
    *ms = n * unit_ms[unit - units];
    return true;
}

int sd_cli_parse_time(const char *text, bool relative, uint64_t *ms)
{
    uint64_t span;
    if (relative && s_parse_span(text, &span)) {
        uint64_t now = s_now_ms();
        *ms = span < now ? now - span : 0;
        return 0;
    }
    if (text[0] && strspn(text, "0123456789") == strlen(text) && strlen(text) <= 15) {
        *ms = strtoull(text, NULL, 10);
        return 0;
    }
    /* A date is its midnight and the Z may be left out; the shared parser
     * (proto/utc.h) does the rest, refusing dates that do not exist. */
    char full[48];
    size_t len = strlen(text);
    if (len + sizeof "T00:00Z" > sizeof full)
        return -1;
    snprintf(full, sizeof full, "%s%s", text,
             !strchr(text, 'T')     ? "T00:00Z"
             : text[len - 1] != 'Z' ? "Z"
                                    : "");
    int64_t t;
    if (sd_utc_parse(full, &t) != 0)
        return -1;
    *ms = (uint64_t)t;
    return 0;
}

/* True when alias i applies to the ops of op's group. */
static bool s_alias_applies(size_t i, int op)
{
    const sd_req_spec_t *spec = sd_req_spec(op);
    return s_aliases[i].group == SD_ARGS_NONE || (spec && spec->group == s_aliases[i].group);
}

/* The secret argument named arg (s_secrets), or -1. */
static int s_secret(const char *arg)
{
    for (size_t i = 0; i < COUNT(s_secrets); i++)
        if (!strcmp(s_secrets[i].arg, arg))
            return (int)i;
    return -1;
}

/* The CLI spelling of argument arg of op: "--to" for a ticket's site, "--name" for a user's
 * display_name, "--breached/--at-risk" for sla, "--password-stdin" for the password, else "--"
 * arg with dashes. */
static void s_option_of(int op, const char *arg, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < COUNT(s_aliases); i++)
        if (!strcmp(s_aliases[i].arg, arg) && s_alias_applies(i, op))
            used += (size_t)snprintf(out, cap, "--%s", s_aliases[i].option);
    if (s_secret(arg) >= 0)
        used += (size_t)snprintf(out, cap, "--%s", s_secrets[s_secret(arg)].option);
    for (size_t i = 0; i < COUNT(s_flags) && used < cap; i++)
        if (!strcmp(s_flags[i].arg, arg))
            used += (size_t)snprintf(out + used, cap - used, "%s--%s", used ? "/" : "",
                                     s_flags[i].option);
    if (used)
        return;
    snprintf(out, cap, "--%s", arg);
    for (char *p = out + 2; *p; p++)
        *p = *p == '_' ? '-' : *p;
}

/* True when argument name of req's op was given. */
static bool s_has(const sd_request_t *req, const char *name)
{
    return sd_request_has(req, sd_req_arg_find(req->op, name));
}

/* Sets argument field of req from text; option is how the user spelt it. */
static int s_set_field(sd_request_t *req, const char *option, const char *field, const char *text)
{
    char timebuf[24];
    int i = sd_req_arg_find(req->op, field);
    if (i < 0)
        return sd_cli_fail("unknown option --%s; see sundesk --help", option);
    char spelling[64];
    s_option_of(req->op, field, spelling, sizeof spelling);
    if (sd_request_has(req, i))
        return strcmp(spelling + 2, option)
                   ? sd_cli_fail("--%s: already given (%s)", option, spelling)
                   : sd_cli_fail("--%s: given twice", option);
    const sd_field_t *fields;
    size_t nfields = sd_req_op_fields(req->op, &fields);
    bool time = (size_t)i < nfields && fields[i].kind == SD_F_U64; /* a contact's --from is text */
    for (size_t k = 0; k < COUNT(s_times) && time; k++) {
        uint64_t ms;
        if (strcmp(field, s_times[k].arg))
            continue;
        if (sd_cli_parse_time(text, s_times[k].relative, &ms) != 0)
            return sd_cli_fail(
                "--%s: expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS]Z (UTC)%s or "
                "Unix ms, not '%s'",
                option, s_times[k].relative ? ", a span back from now (24h, 90m, 7d)" : "", text);
        snprintf(timebuf, sizeof timebuf, "%llu", (unsigned long long)ms);
        text = timebuf;
    }
    sd_fault_t fault = {0};
    if (sd_request_set(req, i, text, &fault) != 0) {
        /* The field's message names the wire argument; say what the user typed. */
        const char *colon = strchr(fault.text, ':');
        return strncmp(fault.text, "--", 2) == 0 && colon ? sd_cli_fail("--%s%s", option, colon)
                                                          : sd_cli_fail("%s", fault.text);
    }
    return 0;
}

int sd_cli_set_arg(sd_request_t *req, const char *name, const char *text)
{
    char field[32];
    snprintf(field, sizeof field, "%s", name);
    for (size_t i = 0; i < COUNT(s_aliases); i++)
        if (!strcmp(field, s_aliases[i].option) && s_alias_applies(i, req->op))
            snprintf(field, sizeof field, "%s", s_aliases[i].arg);
    for (char *p = field; *p; p++)
        *p = *p == '-' ? '_' : *p;
    return s_set_field(req, name, field, text);
}

/* The options of op from its argument group (proto/ops.def): required ones first. */
static void s_options_usage(FILE *out, int op)
{
    const sd_req_spec_t *spec = sd_req_spec(op);
    const sd_field_t *fields;
    size_t n = sd_req_op_fields(op, &fields);
    if (!spec || !(spec->required | spec->optional))
        return;
    int column = fprintf(out, "\nArguments of %s:", spec->name) - 1;
    for (int pass = 0; pass < 2; pass++) {
        uint64_t mask = pass ? spec->optional : spec->required;
        for (size_t i = 0; i < n; i++) {
            char option[64], word[68];
            if (!(mask & (1ull << i)))
                continue;
            s_option_of(op, fields[i].name, option, sizeof option);
            int len = snprintf(word, sizeof word, pass ? "[%s]" : "%s", option);
            if (column + 1 + len > 79) {
                fputs("\n ", out);
                column = 1;
            }
            column += fprintf(out, " %s", word);
        }
    }
    fputc('\n', out);
}

void sd_cli_verb_usage(FILE *out, const char *command, const sd_cli_verb_t *verb)
{
    fprintf(out, "sundesk %s%s%s  %s\n", command, verb->verb[0] ? " " : "", verb->verb, verb->help);
    if (verb->detail)
        fprintf(out, "\n%s\n", verb->detail);
    s_options_usage(out, verb->op);
    fprintf(out, "\nGlobal options (before the command): --data DIR | --node ENDPOINT, --json,\n"
                 "--token TOKEN, --timeout MS; see sundesk --help.\n");
}

int sd_cli_author_gone(void)
{
    sd_cli_fail("--author is gone: the node records who you are (see sundesk whoami)");
    return 2;
}

/* A flag option: sets its argument; 1 when name is none, -1 after an error. */
static int s_flag(sd_request_t *req, const char *name)
{
    for (size_t i = 0; i < COUNT(s_flags); i++)
        if (!strcmp(name, s_flags[i].option))
            return s_set_field(req, name, s_flags[i].arg, s_flags[i].value) ? -1 : 0;
    return 1;
}

/* Next word of a verb's positional list at *pos: the argument's name into name and how the
 * help calls it into shown ("id:LOGIN": id, LOGIN; "id": id, ID); false at the end. */
static bool s_next_name(const char **pos, char *name, size_t cap, char *shown, size_t shown_cap)
{
    while (**pos == ' ')
        (*pos)++;
    size_t len = strcspn(*pos, " "), arg = strcspn(*pos, " :");
    snprintf(name, cap, "%.*s", (int)arg, *pos);
    if (arg < len) {
        snprintf(shown, shown_cap, "%.*s", (int)(len - arg - 1), *pos + arg + 1);
    } else {
        snprintf(shown, shown_cap, "%s", name);
        for (char *p = shown; *p; p++)
            *p = *p == '_' ? '-' : (char)toupper((unsigned char)*p);
    }
    *pos += len;
    return len > 0;
}

/* A word of the verb that starts with "--" and is none of the op's arguments: --help, --json,
 * --csv, --password-stdin (when the op takes a password), a refused spelling. Returns 0 when
 * handled, -1 when option is an argument, else the exit status after a message. */
static int s_cli_option(sd_cli_t *cli, const sd_request_t *req, const char *option)
{
    if (!strcmp(option, "help")) {
        sd_cli_verb_usage(stdout, cli->command, cli->verb);
        exit(0);
    }
    if (!strcmp(option, "json") || !strcmp(option, "csv")) {
        *(option[0] == 'j' ? &cli->opts->json : &cli->opts->csv) = true;
        return 0;
    }
    if (!strcmp(option, "author"))
        return sd_cli_author_gone();
    for (size_t i = 0; i < COUNT(s_secrets); i++) {
        if (sd_req_arg_find(req->op, s_secrets[i].arg) < 0)
            continue;
        if (!strcmp(option, s_secrets[i].option))
            return cli->opts->password_stdin = true, 0;
        if (!strcmp(option, s_secrets[i].arg))
            return sd_cli_fail("--%s: not on the command line, where ps and the shell history "
                               "show it; type it when asked, or pipe it with --%s",
                               option, s_secrets[i].option);
    }
    return -1;
}

/* Fills req from the verb's positional words and --name value options. A
 * positional argument may also be given as an option. */
static int s_parse_args(sd_cli_t *cli, const sd_cli_verb_t *verb, int argc, char **argv,
                        sd_request_t *req)
{
    const char *pos = verb->positional;
    char name[32], shown[32];
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) == 0 && a[2]) {
            const char *option = a + 2;
            if (!strcmp(option, "out") && req->op == SD_REQ_BLOB_GET && i + 1 < argc) {
                cli->opts->out = argv[++i]; /* blob get: where the bytes go */
                continue;
            }
            int rc = s_cli_option(cli, req, option);
            if (rc >= 0) {
                if (rc)
                    return rc;
            } else if ((rc = s_flag(req, option)) <= 0) {
                if (rc < 0)
                    return 1;
            } else if (i + 1 >= argc) {
                return sd_cli_fail("--%s needs a value", option);
            } else if (sd_cli_set_arg(req, option, argv[++i])) {
                return 1;
            }
            continue;
        }
        bool named;
        while ((named = s_next_name(&pos, name, sizeof name, shown, sizeof shown)) &&
               s_has(req, name))
            ; /* given as an option already: the word is the next one's */
        if (!named)
            return sd_cli_fail("unexpected argument '%s'; see sundesk %s --help", a, cli->words);
        if (sd_cli_set_arg(req, name, a))
            return 1;
    }
    while (s_next_name(&pos, name, sizeof name, shown, sizeof shown)) {
        if (s_has(req, name))
            continue;
        char option[64];
        s_option_of(req->op, name, option, sizeof option);
        return sd_cli_fail("%s: missing %s (or %s %s); see sundesk %s --help", cli->words, shown,
                           option, shown, cli->words);
    }
    return 0;
}

int sd_cli_print_json(const sd_mp_node_t *value)
{
    if (value)
        sd_render_json(stdout, value);
    else
        fputs("null", stdout);
    putchar('\n');
    return 0;
}

/* Default human output: one "key value" line per entry of the result map. A
 * text is shown as it is (quotes and escapes are for --json); numbers, flags,
 * lists and maps as JSON. */
static int s_print_entries(const sd_mp_node_t *r)
{
    if (sd_mp_kind(r) != SD_MP_MAP)
        return sd_cli_print_json(r);
    for (size_t i = 0; i < sd_mp_len(r); i++) {
        size_t len = 0;
        const char *k = sd_mp_bytes(sd_mp_key(r, i), &len);
        const sd_mp_node_t *v = sd_mp_val(r, i);
        printf("%-12.*s ", k ? (int)len : 1, k ? k : "?");
        int vlen;
        const char *text = sd_cli_text(v, &vlen);
        if (sd_mp_kind(v) == SD_MP_STR)
            printf("%.*s\n", vlen, text);
        else
            sd_cli_print_json(v);
    }
    return 0;
}

/* The node's refusal as one line: "args.site: ..." names the wire argument, so it says the
 * option instead (a secret by its name: it has no option). Returns 1. */
static int s_refused(int op, const char *message)
{
    const char *colon = strchr(message, ':');
    char field[32], option[64];
    if (strncmp(message, "args.", 5) || !colon || colon - message - 5 >= (long)sizeof field)
        return sd_cli_fail("%s", message);
    snprintf(field, sizeof field, "%.*s", (int)(colon - message - 5), message + 5);
    if (s_secret(field) >= 0)
        return sd_cli_fail("%s", message + 5);
    s_option_of(op, field, option, sizeof option);
    return sd_cli_fail("%s%s", option, colon);
}

/* sd_cli_call; with quiet_absent, refusals as not_found or forbidden return their code
 * unprinted. */
static int s_call(sd_cli_t *cli, sd_request_t *req, sd_reply_t *reply, bool quiet_absent)
{
    /* Borrowed for the call only: the request must not free or keep the token. */
    bool lend = !req->token && cli->token;
    if (lend)
        req->token = cli->token;
    int rc = sd_client_call(cli->client, req, reply);
    if (lend)
        req->token = NULL;
    if (rc)
        return sd_cli_fail("%s (%s)",
                           rc == SD_ETIMEOUT ? "the node did not answer; is sundeskd running?"
                                             : sd_strerror(rc),
                           cli->endpoint);
    if (!reply->ok) {
        int code = reply->code;
        bool quiet = quiet_absent && (code == SD_ENOTFOUND || code == SD_EFORBIDDEN);
        rc = quiet ? code : s_refused(req->op, reply->message);
        sd_reply_clear(reply);
        return rc;
    }
    if (!reply->result) {
        sd_reply_clear(reply);
        return sd_cli_fail("the node sent a reply this client cannot read");
    }
    return 0;
}

int sd_cli_call(sd_cli_t *cli, sd_request_t *req, sd_reply_t *reply)
{
    return s_call(cli, req, reply, false);
}

int sd_cli_lookup(sd_cli_t *cli, sd_request_t *req, sd_reply_t *reply)
{
    return s_call(cli, req, reply, true);
}

int sd_cli_endpoint(const sd_cli_opts_t *o, char *out, size_t cap)
{
    if (o->node) {
        if (snprintf(out, cap, "%s", o->node) >= (int)cap)
            return sd_cli_fail("--node: endpoint too long");
    } else if (sd_endpoint_for_data(o->data, out, cap) != 0) {
        return sd_cli_fail("data directory path too long: %s", o->data);
    }
    return 0;
}

/* Connects cli to the node the options name. Returns 0, or 1 after a message. */
static int s_connect(sd_cli_t *cli)
{
    const sd_cli_opts_t *o = cli->opts;
    if (sd_cli_endpoint(o, cli->endpoint, sizeof cli->endpoint))
        return 1;
    /* A socket we may not open looks like no node at all to ZeroMQ: say so. */
    const char *path = strncmp(cli->endpoint, "ipc://", 6) == 0 ? cli->endpoint + 6 : NULL;
    if (path && access(path, W_OK) != 0 && errno == EACCES)
        return sd_cli_fail("permission denied on %s: run as the node's user or a member of its "
                           "group",
                           path);
    int rc = sd_client_new(cli->endpoint, o->timeout_ms, &cli->client);
    if (rc == SD_EUNAVAILABLE)
        return sd_cli_fail("no node is running at %s; start one with: sundeskd --data %s",
                           o->node ? o->node : o->data, o->node ? "DIR" : o->data);
    return rc ? sd_cli_fail("%s", sd_strerror(rc)) : 0;
}

/* The token the calls carry: --token (or $SUNDESK_TOKEN), else the session saved for the
 * endpoint, else none (the node then knows an ipc caller by its Unix account); --token "" is
 * none. Returns 0, or 1 after a message, which never shows the token. */
static int s_token(sd_cli_t *cli)
{
    char saved[SD_TOKEN_MAX + 1], path[4096];
    const char *token = cli->opts->token;
    int rc = token ? 0 : sd_session_find(cli->endpoint, saved, sizeof saved);
    if (rc == SD_ENOTFOUND || (token && !*token))
        return 0;
    if (rc == SD_EIO || rc == SD_ETOOLONG)
        return sd_cli_fail("cannot read the saved sessions in %s: %s; repair or remove it",
                           sd_session_path(path, sizeof path) ? "?" : path,
                           rc == SD_EIO ? strerror(errno) : "a token is too long");
    if (rc)
        return 0; /* no home directory: nothing was saved */
    cli->token = strdup(token ? token : saved);
    explicit_bzero(saved, sizeof saved);
    return cli->token ? 0 : sd_cli_fail("%s", sd_strerror(SD_ENOMEM));
}

int sd_cli_open(sd_cli_t *cli)
{
    return s_connect(cli) ?: s_token(cli);
}

int sd_cli_password(sd_cli_t *cli, sd_request_t *req, const char *prompt, bool confirm)
{
    char first[SD_PASSWORD_MAX + 2], again[SD_PASSWORD_MAX + 2];
    bool from_stdin = cli->opts->password_stdin;
    int rc = from_stdin ? sd_prompt_stdin(first, sizeof first)
                        : sd_prompt_tty(prompt, first, sizeof first);
    if (!rc && confirm && !from_stdin) {
        rc = sd_prompt_tty("Retype it: ", again, sizeof again);
        if (!rc && strcmp(first, again) != 0)
            rc = SD_EINVAL;
        explicit_bzero(again, sizeof again);
    }
    int i = sd_req_arg_find(req->op, "password");
    sd_fault_t fault = {0};
    if (!rc && sd_request_set(req, i, first, &fault) != 0)
        rc = sd_cli_fail("password: %s",
                         strchr(fault.text, ':') ? strchr(fault.text, ':') + 2 : fault.text);
    else if (rc == SD_EUNAVAILABLE)
        rc = sd_cli_fail("no terminal to ask for the password on; pipe it with --password-stdin");
    else if (rc == SD_EMISSING)
        rc = sd_cli_fail("no password given%s", from_stdin ? " on stdin" : "");
    else if (rc == SD_ETOOLONG)
        rc = sd_cli_fail("password: longer than %d bytes", SD_PASSWORD_MAX);
    else if (rc == SD_EINVAL)
        rc = sd_cli_fail("the two passwords differ; nothing changed");
    else if (rc)
        rc = sd_cli_fail("cannot read the password: %s", strerror(errno));
    explicit_bzero(first, sizeof first);
    return rc;
}

/* Wipes the secret arguments of req (the password) before the request is freed. */
static void s_wipe_secrets(sd_request_t *req)
{
    const sd_field_t *fields;
    sd_req_op_fields(req->op, &fields);
    for (size_t k = 0; k < COUNT(s_secrets); k++) {
        int i = sd_req_arg_find(req->op, s_secrets[k].arg);
        /* A group's field offsets are offsets in sd_args_t (args.h). */
        char **text = i >= 0 ? (char **)((char *)&req->args + fields[i].offset) : NULL;
        if (text && *text)
            explicit_bzero(*text, strlen(*text));
    }
}

/* With no --tz and no $TZ, human output shows times in the caller's own zone (the user's
 * time_zone, one auth.whoami) when the command reads: writing verbs print an id or a status
 * (and scripts that create many tickets pay no second round trip), node, repl and whoami no
 * times.
 * Nothing is printed when the node cannot say: times then stay in UTC. */
static void s_user_zone(sd_cli_t *cli)
{
    const char *command = cli->command;
    if (cli->opts->zone_given || cli->opts->json || sd_req_op_writes(cli->verb->op) ||
        !strcmp(command, "node") || !strcmp(command, "repl") || !strcmp(command, "whoami"))
        return;
    sd_request_t req = {.op = SD_REQ_AUTH_WHOAMI, .token = cli->token};
    sd_reply_t reply = {0};
    int rc = sd_client_call(cli->client, &req, &reply), zlen = 0;
    req.token = NULL; /* borrowed from cli */
    const char *zone = !rc && reply.ok ? sd_cli_str(reply.result, "time_zone", &zlen) : NULL;
    char name[128];
    if (zlen > 0 && zlen < (int)sizeof name) {
        snprintf(name, sizeof name, "%.*s", zlen, zone);
        sd_tz_use(name); /* an unknown zone leaves UTC */
    }
    sd_reply_clear(&reply);
    sd_request_clear(&req);
}

int sd_cli_run(sd_cli_opts_t *opts, const char *command, const sd_cli_verb_t *verb, int argc,
               char **argv)
{
    sd_cli_t cli = {.opts = opts, .command = command, .verb = verb};
    sd_request_t req = {.op = verb->op};
    sd_reply_t reply = {0};
    snprintf(cli.words, sizeof cli.words, "%s%s%s", command, verb->verb[0] ? " " : "", verb->verb);
    int rc = s_parse_args(&cli, verb, argc, argv, &req) ?: s_connect(&cli) ?: s_token(&cli);
    if (!rc)
        s_user_zone(&cli);
    rc = rc ?: (verb->prepare ? verb->prepare(&cli, &req) : 0);
    rc = rc ?: sd_cli_call(&cli, &req, &reply);
    if (!rc) {
        if (opts->json && !verb->own_json)
            rc = sd_cli_print_json(reply.result);
        else
            rc = verb->print ? verb->print(&cli, reply.result) : s_print_entries(reply.result);
    }
    sd_reply_clear(&reply);
    s_wipe_secrets(&req);
    sd_request_clear(&req);
    sd_client_destroy(&cli.client);
    if (cli.token)
        explicit_bzero(cli.token, strlen(cli.token));
    free(cli.token);
    return rc;
}

int sd_cli_print_rows(const sd_cli_t *cli, const sd_mp_node_t *result, const char *key,
                      void (*row)(const sd_mp_node_t *entry), const char *more)
{
    const sd_mp_node_t *entries = sd_cli_array(result, key);
    if (!entries)
        return sd_cli_fail("the node sent a list this client cannot read");
    if (cli->opts->json)
        return sd_cli_print_json(entries);
    row(NULL);
    for (size_t i = 0; i < sd_mp_len(entries); i++)
        row(sd_mp_at(entries, i));
    if (sd_cli_bool(result, "more"))
        puts(more);
    return 0;
}

const char *sd_cli_text(const sd_mp_node_t *value, int *len)
{
    size_t n = 0;
    const char *s = value && sd_mp_kind(value) == SD_MP_STR ? sd_mp_bytes(value, &n) : NULL;
    *len = s ? (int)n : 0;
    return s ? s : "";
}

const char *sd_cli_str(const sd_mp_node_t *map, const char *key, int *len)
{
    return sd_cli_text(map && sd_mp_kind(map) == SD_MP_MAP ? sd_mp_get(map, key) : NULL, len);
}

const char *sd_cli_str_or_dash(const sd_mp_node_t *map, const char *key, int *len)
{
    const char *text = sd_cli_str(map, key, len);
    if (*len)
        return text;
    *len = 1;
    return "-";
}

uint64_t sd_cli_u64(const sd_mp_node_t *map, const char *key)
{
    const sd_mp_node_t *v = map && sd_mp_kind(map) == SD_MP_MAP ? sd_mp_get(map, key) : NULL;
    uint64_t u = 0;
    if (v)
        sd_mp_uint(v, &u);
    return u;
}

bool sd_cli_bool(const sd_mp_node_t *map, const char *key)
{
    const sd_mp_node_t *v = map && sd_mp_kind(map) == SD_MP_MAP ? sd_mp_get(map, key) : NULL;
    bool b = false;
    if (v)
        sd_mp_boolean(v, &b);
    return b;
}

const sd_mp_node_t *sd_cli_array(const sd_mp_node_t *map, const char *key)
{
    const sd_mp_node_t *v = map && sd_mp_kind(map) == SD_MP_MAP ? sd_mp_get(map, key) : NULL;
    return v && sd_mp_kind(v) == SD_MP_ARRAY ? v : NULL;
}

void sd_cli_print_labelled(const sd_mp_node_t *map, const sd_cli_label_t *lines, size_t n,
                           int width)
{
    for (size_t i = 0; i < n; i++) {
        int len;
        const char *text = sd_cli_str(map, lines[i].key, &len);
        if (len)
            printf("  %-*s %.*s\n", width, lines[i].label, len, text);
    }
}

int sd_cli_record_start(sd_cli_t *cli, const sd_mp_node_t *record, const char *what, int new_op,
                        const char **id, int *len)
{
    *id = sd_cli_str(record, "id", len);
    if (!*len)
        return sd_cli_fail("the node sent %s %s this client cannot read",
                           strchr("aeiou", what[0]) ? "an" : "a", what);
    if (cli->opts->json)
        return sd_cli_print_json(record);
    if (cli->verb->op != new_op)
        return -1;
    printf("%.*s\n", *len, *id);
    return 0;
}
