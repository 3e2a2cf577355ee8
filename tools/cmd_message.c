/* cmd_message.c - `sundesk message VERB` and `sundesk blob get` (cmd_message.h). */
#include "cmd_message.h"

#include "message.h"
#include "render.h"
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A row of a list (NULL: the header). */
static void s_print_row(const sd_mp_node_t *m)
{
    if (!m) {
        printf("%-34s %-16s %-5s %-9s %-12s %-11s %-28s %s\n", "ID", "RECEIVED", "CHAN", "STATE",
               "TICKET", "THREAD", "FROM", "SUBJECT");
        return;
    }
    char at[24];
    int ilen, clen, slen, tlen, hlen, flen, sublen;
    const char *id = sd_cli_str(m, "id", &ilen), *ch = sd_cli_str_or_dash(m, "channel", &clen);
    const char *st = sd_cli_str_or_dash(m, "state", &slen);
    const char *t = sd_cli_str_or_dash(m, "ticket", &tlen);
    const char *th = sd_cli_str_or_dash(m, "thread_by", &hlen);
    const char *from = sd_cli_str_or_dash(m, "from", &flen);
    const char *subject = sd_cli_str(m, "subject", &sublen);
    if (!sublen) /* chat: the text's start */
        subject = sd_cli_str(m, "text", &sublen);
    int cut = sublen;
    for (int i = 0; i < sublen && i < 60; i++)
        if (subject[i] == '\n') {
            cut = i;
            break;
        }
    printf("%-34.*s %-16.16s %-5.*s %-9.*s %-12.*s %-11.*s %-28.*s %.*s\n", ilen, id,
           sd_render_time(sd_cli_u64(m, "received_at"), at), clen, ch, slen, st, tlen, t, hlen, th,
           flen, from, cut, subject);
}

static int s_print_message(sd_cli_t *cli, const sd_mp_node_t *m)
{
    (void)cli;
    static const sd_cli_label_t lines[] = {{"channel", "channel"},
                                           {"state", "state"},
                                           {"ticket", "ticket"},
                                           {"thread_by", "threaded by"},
                                           {"customer", "customer"},
                                           {"from", "from"},
                                           {"from_name", "name"},
                                           {"to", "to"},
                                           {"cc", "cc"},
                                           {"subject", "subject"},
                                           {"message_id", "message id"},
                                           {"in_reply_to", "in reply to"},
                                           {"class", "class"},
                                           {"bounce_for", "bounce for"},
                                           {"bounce_recipient", "bounced"},
                                           {"bounce_status", "status"},
                                           {"source", "source"},
                                           {"conversation", "conversation"},
                                           {"site", "taken at"},
                                           {"raw", "raw (blob)"},
                                           {"text_blob", "whole text"}};
    char at[24];
    int ilen;
    const char *id = sd_cli_str(m, "id", &ilen);
    printf("message %.*s, received %s\n", ilen, id,
           sd_render_time(sd_cli_u64(m, "received_at"), at));
    sd_cli_print_labelled(m, lines, sizeof lines / sizeof lines[0], 14);
    int alen;
    const char *atts = sd_cli_str(m, "attachments", &alen);
    if (alen) {
        printf("  attachments (sundesk blob get BLOB --out FILE):\n");
        sd_render_indented(stdout, atts, (size_t)alen, "    ");
        if (atts[alen - 1] != '\n')
            putchar('\n');
    }
    int tlen;
    const char *text = sd_cli_str(m, "text", &tlen);
    if (tlen) {
        putchar('\n');
        sd_render_indented(stdout, text, (size_t)tlen, "  ");
        if (text[tlen - 1] != '\n')
            putchar('\n');
    }
    if (sd_cli_bool(m, "text_truncated"))
        puts("  [the text goes on: sundesk blob get the whole text's blob]");
    return 0;
}

/* message.release / discard answer {message}. */
static int s_print_routed(sd_cli_t *cli, const sd_mp_node_t *r)
{
    const sd_mp_node_t *m = sd_mp_get(r, "message");
    if (!m)
        return sd_cli_fail("the node sent an answer this client cannot read");
    return s_print_message(cli, m);
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "messages", s_print_row,
                             "(more: use --after with the last id for the next page)");
}

const sd_cli_verb_t sd_message_verbs[] = {
    {"list", SD_REQ_MESSAGE_LIST, "",
     "[--ticket ID] [--state S] [--channel email|chat] [--limit N] [--after ID]:\n"
     "                 inbound mail and chat messages",
     s_print_list, true,
     "--ticket: the messages of that ticket, oldest first. --state held: the mail of\n"
     "unknown senders waiting for release (mail/unknown_sender = hold); the states are\n"
     "ticket, held, ignored (auto-replies, list mail), bounce and discarded.",
     NULL},
    {"show", SD_REQ_MESSAGE_GET, "id", "ID: one message, its text, attachments and route",
     s_print_message, false, NULL, NULL},
    {"release", SD_REQ_MESSAGE_RELEASE, "id", "ID: a held (or ignored) message opens its ticket",
     s_print_routed, false,
     "The ticket is opened as the message would have opened it (requester the sender,\n"
     "customer the one its address names); you are the author.",
     NULL},
    {"discard", SD_REQ_MESSAGE_DISCARD, "id", "ID: drop a held (or ignored) message",
     s_print_routed, false, NULL, NULL},
    {"mail", SD_REQ_MAIL_INGEST, "",
     "--id M-... --message-id MID --from ADDR [--subject S] [--text T] ...: feed one\n"
     "                 parsed mail in (what sundesk-mailgate does)",
     s_print_routed, false,
     "The id is M- and the first 30 hex digits of BLAKE2b-128 over \"email\\n\" and the\n"
     "Message-ID without brackets (proto/MAIL.md). The same id again changes nothing.\n"
     "Blobs (--raw, --text-blob, --attachments) must be put first. Needs the agent role.",
     NULL},
    {"chat", SD_REQ_CHAT_INGEST, "",
     "--source S --conversation C --sender U --text T [--message-id ID]: feed one chat\n"
     "                 message in (a chat bridge's call)",
     s_print_routed, false,
     "A message of a conversation whose ticket is open is added to it; otherwise it opens\n"
     "a ticket. Give --message-id so that a retry is recognised. Needs the agent role.",
     NULL},
    SD_CLI_VERBS_END,
};

/* blob.get's first reply: writes its bytes, then asks for the rest. */
static int s_print_blob(sd_cli_t *cli, const sd_mp_node_t *r)
{
    FILE *out = cli->opts->out ? fopen(cli->opts->out, "wb") : stdout;
    if (!out)
        return sd_cli_fail("--out %s: cannot write it", cli->opts->out);
    uint64_t size = sd_cli_u64(r, "size"), have = 0;
    int rc = 0;
    sd_reply_t next = {0};
    for (;;) {
        size_t len = 0;
        const char *data = sd_mp_bytes(sd_mp_get(r, "data"), &len);
        if (len && fwrite(data, 1, len, out) != len) {
            rc = sd_cli_fail("cannot write the blob's bytes");
            break;
        }
        have += len;
        if (!len || have >= size)
            break;
        sd_request_t req = {.op = SD_REQ_BLOB_GET};
        char off[24];
        snprintf(off, sizeof off, "%llu", (unsigned long long)have);
        sd_reply_clear(&next);
        if (sd_cli_set_arg(&req, "blob", cli->opts->blob) || sd_cli_set_arg(&req, "offset", off) ||
            sd_cli_call(cli, &req, &next)) {
            sd_request_clear(&req);
            rc = 1;
            break;
        }
        sd_request_clear(&req);
        r = next.result;
    }
    sd_reply_clear(&next);
    if (out != stdout && fclose(out) != 0 && !rc)
        rc = sd_cli_fail("--out %s: cannot write it", cli->opts->out);
    if (!rc && cli->opts->out)
        fprintf(stderr, "%llu bytes written to %s\n", (unsigned long long)have, cli->opts->out);
    return rc;
}

/* Keeps the blob id for the follow-up requests. */
static int s_prepare_blob(sd_cli_t *cli, sd_request_t *req)
{
    cli->opts->blob = req->args.message.blob;
    return 0;
}

const sd_cli_verb_t sd_blob_verbs[] = {
    {"get", SD_REQ_BLOB_GET, "blob",
     "BLOB [--out FILE]: the bytes of a blob (a mail's raw form, an attachment)", s_print_blob,
     true,
     "The node answers 48 KiB at a time; this asks until it has them all and writes them\n"
     "to FILE (default: standard output). A blob lives at the node that took its message:\n"
     "another node answers not_found and names that site.",
     s_prepare_blob},
    {"put", SD_REQ_BLOB_PUT, "", "--data TEXT: store up to 49152 bytes as a blob (prints its id)",
     NULL, false, NULL, NULL},
    {"join", SD_REQ_BLOB_JOIN, "parts",
     "BLOB,BLOB,... [--type MIME]: the blob of the parts' bytes in order", NULL, false, NULL, NULL},
    SD_CLI_VERBS_END,
};
