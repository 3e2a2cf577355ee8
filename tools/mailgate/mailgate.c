/* mailgate.c - sundesk-mailgate: the MTA pipes one message in; it becomes a message record.
 *
 * Run by the MTA per message (an /etc/aliases pipe, or fetchmail/getmail6 for an IMAP box):
 * reads the message from stdin, parses it (mail.h), puts the raw bytes and each attachment as
 * blobs and calls mail.ingest (gate.h). The exit status tells the MTA what to do: 0 stored
 * (also a message the node had already), 75 retry later (node unreachable, busy, no answer in
 * time, or something wrong on this side: the MTA keeps the message), 65 never (too big, not a
 * message, or refused by the node as malformed: the MTA bounces it with our stderr line), 77
 * the node refused our token. */
#include "gate.h"
#include "mail.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_DEFAULT_MAX_BYTES (10u * 1024 * 1024)

static void s_usage(FILE *out)
{
    fprintf(out,
            "usage: sundesk-mailgate [--data DIR | --node ENDPOINT] [--token-file FILE]\n"
            "                        [--queue NAME] [--max-bytes N] [--timeout SECONDS] "
            "[--dry-run]\n"
            "\n"
            "Reads one e-mail message on stdin (as an MTA's pipe alias gives it) and hands it\n"
            "to the sundesk node: a new ticket, a reply on its ticket, or a held, ignored or\n"
            "bounce message (proto/MAIL.md). The raw message and its attachments are stored as\n"
            "blobs.\n"
            "\n"
            "  --data DIR         the node of this data directory (its ipc socket)\n"
            "  --node ENDPOINT    the node at ENDPOINT (tcp://HOST:PORT or ipc://PATH)\n"
            "  --token-file FILE  the API token of the mail gateway's desk user (mode 0600)\n"
            "  --queue NAME       the queue (team) new tickets go to, e.g. support\n"
            "  --max-bytes N      refuse a larger message (default 10485760)\n"
            "  --timeout SECONDS  wait this long for each answer of the node (default 30)\n"
            "  --dry-run          print the parsed fields as JSON; talk to no node\n"
            "\n"
            "Exit status: 0 stored (or stored before), 75 try again later (the node is down or\n"
            "busy, or a local problem: see stderr), 65 refused for good (too big, not a\n"
            "message), 77 the node refused the token.\n"
            "Postfix: support: \"|/usr/bin/sundesk-mailgate --node tcp://127.0.0.1:7300 "
            "--token-file /etc/sundesk/mailgate.token --queue support\"\n");
}

/* Reads stdin whole into *out (malloc'd); SD_GATE_DATA (65) when it exceeds max bytes. */
static int s_read_all(size_t max, char **out, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return SD_GATE_TEMP;
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                free(buf);
                fprintf(stderr,
                        "sundesk-mailgate: message refused: larger than %zu bytes (the desk's "
                        "limit for one message)\n",
                        max);
                return SD_GATE_DATA;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                fprintf(stderr, "sundesk-mailgate: out of memory reading the message\n");
                return SD_GATE_TEMP;
            }
            buf = p;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n, stdin);
        n += r;
        if (r == 0) {
            if (ferror(stdin)) {
                free(buf);
                fprintf(stderr, "sundesk-mailgate: reading stdin: %s\n", strerror(errno));
                return SD_GATE_TEMP;
            }
            break;
        }
    }
    if (n > max) {
        free(buf);
        fprintf(stderr,
                "sundesk-mailgate: message refused: %zu bytes, larger than %zu bytes (the "
                "desk's limit for one message)\n",
                n, max);
        return SD_GATE_DATA;
    }
    *out = buf;
    *len = n;
    return SD_GATE_OK;
}

/* A positive decimal number of at most max; false for anything else. */
static bool s_number(const char *text, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-' || v == 0 || v > max)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"data", required_argument, NULL, 'd'},
        {"node", required_argument, NULL, 'n'},
        {"token-file", required_argument, NULL, 't'},
        {"queue", required_argument, NULL, 'q'},
        {"max-bytes", required_argument, NULL, 'm'},
        {"timeout", required_argument, NULL, 'T'},
        {"dry-run", no_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    sd_gate_opts_t o = {.timeout_ms = 30000};
    unsigned long long max = S_DEFAULT_MAX_BYTES, v;
    bool dry = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 'd':
            o.data = optarg;
            break;
        case 'n':
            o.node = optarg;
            break;
        case 't':
            o.token_file = optarg;
            break;
        case 'q':
            o.queue = optarg;
            break;
        case 'D':
            dry = true;
            break;
        case 'h':
            s_usage(stdout);
            return 0;
        case 'm':
            if (!s_number(optarg, 1ull << 40, &max)) {
                fprintf(stderr, "sundesk-mailgate: --max-bytes: not a positive number: %s\n",
                        optarg);
                return SD_GATE_TEMP;
            }
            break;
        case 'T':
            if (!s_number(optarg, 3600, &v)) {
                fprintf(stderr, "sundesk-mailgate: --timeout: not 1..3600 seconds: %s\n", optarg);
                return SD_GATE_TEMP;
            }
            o.timeout_ms = (int)v * 1000;
            break;
        default:
            fprintf(stderr, "sundesk-mailgate: unknown option %s (see --help)\n", argv[optind - 1]);
            return SD_GATE_TEMP;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "sundesk-mailgate: unexpected argument %s (see --help)\n", argv[optind]);
        return SD_GATE_TEMP;
    }
    if (!dry && !o.data == !o.node) {
        fprintf(stderr, "sundesk-mailgate: give one of --data DIR and --node ENDPOINT\n");
        return SD_GATE_TEMP;
    }
    char *buf = NULL;
    size_t len = 0;
    int rc = s_read_all((size_t)max, &buf, &len);
    if (rc)
        return rc;
    sd_mail_t mail;
    char err[256];
    /* Postfix's local(8) gives the envelope sender in $SENDER ("" for a bounce); fetchmail and
     * getmail6 do not, and then Return-Path decides. */
    o.sender = getenv("SENDER");
    if (sd_mail_parse(buf, len, o.sender, &mail, err, sizeof err) != 0) {
        fprintf(stderr, "sundesk-mailgate: message refused: %s\n", err);
        sd_mail_clear(&mail);
        free(buf);
        return SD_GATE_DATA;
    }
    if (dry) {
        char id[64];
        rc = sd_gate_message_id(mail.message_id, id) ||
                     sd_mail_json(&mail, SD_GATE_TEXT_MAX, id, stdout)
                 ? SD_GATE_TEMP
                 : SD_GATE_OK;
    } else {
        rc = sd_gate_deliver(&o, buf, len, &mail);
    }
    sd_mail_clear(&mail);
    free(buf);
    return rc;
}
