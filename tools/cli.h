/* cli.h - what every sundesk sub-command shares: options, verbs, argument parsing, one call.
 *
 * A command ("ticket", "schedule", ...) is a table of verbs. A verb names the
 * request it sends, which arguments come as positional words, its help, and
 * how its result is shown. sd_cli_run() turns the words after the verb into
 * the request's arguments (--name VALUE, flags, positional words), sends it,
 * and hands the result to the verb's printer. Everything that goes wrong is
 * one line on stderr ("sundesk: ...") and a non-zero exit status; the parser
 * never trusts the node's reply to have the shape it expects. */
#ifndef SD_CLI_H
#define SD_CLI_H

#include "client.h"
#include "endpoint.h"
#include "mp.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Global options, before the command. */
typedef struct {
    const char *data;    /* --data DIR */
    const char *node;    /* --node ENDPOINT */
    const char *token;   /* --token TOKEN or $SUNDESK_TOKEN; NULL: the session saved by login */
    bool json;           /* --json */
    bool csv;            /* --csv (ticket list) */
    bool password_stdin; /* --password-stdin (verbs that send a password) */
    int timeout_ms;      /* --timeout MS */
    bool zone_given;     /* --tz or $TZ chose the display zone (tz.h); else the user's, or UTC */
    const char *out;     /* blob get --out FILE: where the bytes go (default: stdout) */
    const char *blob;    /* blob get: the blob being read (borrowed from the request) */
} sd_cli_opts_t;

typedef struct sd_cli_verb sd_cli_verb_t;

/* One run of a verb: the options, the command word and the connection. */
typedef struct {
    sd_cli_opts_t *opts;            /* global and per-verb options */
    const char *command;            /* "ticket", "schedule", ... */
    const sd_cli_verb_t *verb;      /* the verb being run */
    char words[48];                 /* how it was called, for messages: "user new", "whoami" */
    sd_client_t *client;            /* connected, for printers that need a second call */
    char endpoint[SD_ENDPOINT_MAX]; /* where the node is, for messages */
    char *token; /* the "auth" every call carries (heap, wiped when freed), or NULL */
} sd_cli_t;

/* Shows a successful result (borrowed: it dies with the reply). Returns the
 * exit status: 0, or 1 after sd_cli_fail() when the result cannot be read. */
typedef int (*sd_cli_print_fn)(sd_cli_t *cli, const sd_mp_node_t *result);

/* Completes a request after its words were parsed and the connection made, before it is sent
 * (asks for a password). Returns 0, or the exit status after sd_cli_fail(). */
typedef int (*sd_cli_prepare_fn)(sd_cli_t *cli, sd_request_t *req);

/* A command that is one verb ("sundesk whoami", "sundesk audit") has a single verb named "". */
struct sd_cli_verb {
    const char *verb;          /* word after the command; "" for a command without verbs */
    int op;                    /* sd_req_op_t */
    const char *positional;    /* argument names in order, space-separated; "id:LOGIN" names
                                  the word as the help does (default: the name in capitals) */
    const char *help;          /* one line (continuations indented by 17 blanks) */
    sd_cli_print_fn print;     /* human output; NULL: one "key value" line per result entry */
    bool own_json;             /* print also writes --json output (else: the result as JSON) */
    const char *detail;        /* longer help for `COMMAND VERB --help`, or NULL */
    sd_cli_prepare_fn prepare; /* completes the request before it is sent, or NULL */
};

/* A verb without longer help or preparation, shown by print. */
#define SD_CLI_VERB(verb, op, positional, help, print)                                             \
    {                                                                                              \
        verb, op, positional, help, print, false, NULL, NULL                                       \
    }

/* The end of a verb table. */
#define SD_CLI_VERBS_END SD_CLI_VERB(NULL, 0, NULL, NULL, NULL)

/* A command word and its verbs (the table ends with a NULL verb). */
typedef struct {
    const char *name;           /* "ticket" */
    const sd_cli_verb_t *verbs; /* its verbs */
} sd_cli_command_t;

/* Prints "sundesk: " and the message on stderr; returns 1 (the exit status). */
int sd_cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The one line for a --author option (the node now records who acts); returns 2, the exit
 * status of a command line that cannot work. */
int sd_cli_author_gone(void);

/* A point in time for an option, into Unix ms: digits (Unix ms),
 * "YYYY-MM-DD" (UTC midnight) or "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC); with
 * relative also "N" + s/m/h/d: that long before now. Returns 0 or -1. */
int sd_cli_parse_time(const char *text, bool relative, uint64_t *ms);

/* Parses the verb's words (argv after the verb), connects to the node the
 * options name, sends the request and prints the reply. `--help` among the
 * words prints the verb's help and exits 0. Returns the exit status. */
int sd_cli_run(sd_cli_opts_t *opts, const char *command, const sd_cli_verb_t *verb, int argc,
               char **argv);

/* Connects cli (its opts set) to the node the options name and picks the token its calls carry,
 * for a command that sends many requests itself (customer import); the caller destroys
 * cli->client and frees cli->token. Returns 0, or 1 after sd_cli_fail(). */
int sd_cli_open(sd_cli_t *cli);

/* Sends req on cli's connection, with cli's token as its "auth" when req has none. Returns 0
 * with *reply filled (free it with sd_reply_clear) when the node answered ok; otherwise 1 after
 * one line on stderr (the node's message, or why there was no answer). */
int sd_cli_call(sd_cli_t *cli, sd_request_t *req, sd_reply_t *reply);

/* sd_cli_call for a lookup whose "no" is an answer: a refusal as not_found or forbidden returns
 * SD_ENOTFOUND or SD_EFORBIDDEN with nothing printed and no reply to clear. */
int sd_cli_lookup(sd_cli_t *cli, sd_request_t *req, sd_reply_t *reply);

/* The endpoint the options name (--node, else the one of --data DIR) into out. Returns 0, or 1
 * after sd_cli_fail(). */
int sd_cli_endpoint(const sd_cli_opts_t *opts, char *out, size_t cap);

/* Sets req's "password" argument from what the user types at the terminal (no echo) after
 * prompt, or from one line of stdin with --password-stdin. confirm: a new password, asked
 * twice on a terminal. Returns 0, or 1 after sd_cli_fail(). */
int sd_cli_password(sd_cli_t *cli, sd_request_t *req, const char *prompt, bool confirm);

/* Sets argument name (a CLI spelling: dashes allowed) of req from text, as
 * the command line does; name must be an argument of req->op's group
 * (proto/args.h). Returns 0, or 1 after sd_cli_fail(). */
int sd_cli_set_arg(sd_request_t *req, const char *name, const char *text);

/* The help of one verb ("sundesk COMMAND VERB ...") with its detail and the
 * options of its op, from the op's argument group. */
void sd_cli_verb_usage(FILE *out, const char *command, const sd_cli_verb_t *verb);

/* Every command word with its verbs, ending with a NULL name (sundesk.c). */
extern const sd_cli_command_t *const sd_cli_commands;

/* The whole sundesk command line (tools/main.c calls it). Returns the exit status. */
int sd_cli_main(int argc, char **argv);

/* Writes value as JSON and a newline on stdout; returns 0. */
int sd_cli_print_json(const sd_mp_node_t *value);

/* NULL-safe readers of a result (a node may be NULL or of another kind). */
/* Text of a str value, "" (length 0) when it is not one. */
const char *sd_cli_text(const sd_mp_node_t *value, int *len);
/* Text of str entry key of a map, "" (length 0) when absent, nil or not a str. */
const char *sd_cli_str(const sd_mp_node_t *map, const char *key, int *len);
/* sd_cli_str, or "-" (length 1) when the entry is absent, nil, empty or not a str: a table cell. */
const char *sd_cli_str_or_dash(const sd_mp_node_t *map, const char *key, int *len);
/* Value of uint entry key, 0 when absent or not a uint. */
uint64_t sd_cli_u64(const sd_mp_node_t *map, const char *key);
/* Value of bool entry key, false when absent or not a bool. */
bool sd_cli_bool(const sd_mp_node_t *map, const char *key);
/* Array entry key, or NULL when absent or not an array. */
const sd_mp_node_t *sd_cli_array(const sd_mp_node_t *map, const char *key);
/* A list result as a table: row(NULL) prints the header line, row() each entry of array key,
 * then the line more when the result says there are more; with --json only the array, as JSON
 * (the verb is own_json). Returns 0, or 1 after a message when the result has no such array. */
int sd_cli_print_rows(const sd_cli_t *cli, const sd_mp_node_t *result, const char *key,
                      void (*row)(const sd_mp_node_t *entry), const char *more);

/* The start of the printer of a record (what: "article"): its id into *id and *len; -1 to go on
 * printing, else the exit status, the record handled: printed as JSON with --json, its id alone
 * after the create op new_op, or a message when it has no id. */
int sd_cli_record_start(sd_cli_t *cli, const sd_mp_node_t *record, const char *what, int new_op,
                        const char **id, int *len);

/* A text entry of a record shown on a line of its own: its key and the label shown. */
typedef struct {
    const char *key;   /* key in the result map */
    const char *label; /* what the line calls it */
} sd_cli_label_t;

/* Prints "  LABEL  VALUE" (the label padded to width) for each of the n keys that map holds
 * as non-empty text, in the order given. */
void sd_cli_print_labelled(const sd_mp_node_t *map, const sd_cli_label_t *lines, size_t n,
                           int width);

#endif
