/* cmd_token.c - `sundesk token VERB`: token.* requests and how tokens show (cmd_token.h). */
#include "cmd_token.h"

#include "render.h"
#include "request.h"

#include <stdio.h>

/* token.new: the secret alone on stdout, for a script to capture; the warning on stderr. */
static int s_print_new(sd_cli_t *cli, const sd_mp_node_t *t)
{
    int len;
    const char *secret = sd_cli_str(t, "token", &len);
    if (!len)
        return sd_cli_fail("the node sent a token this client cannot read");
    if (cli->opts->json)
        sd_cli_print_json(t);
    else
        printf("%.*s\n", len, secret);
    fflush(stdout);
    fprintf(stderr, "(shown once: store it now; the node keeps only its hash)\n");
    return 0;
}

/* A row of token.list (NULL: the header); a time of 0 shows as "-" (never expires, not
 * revoked). */
static void s_print_row(const sd_mp_node_t *t)
{
    int ilen, ulen, nlen;
    const char *id = sd_cli_str(t, "id", &ilen), *user = sd_cli_str(t, "user", &ulen);
    const char *name = sd_cli_str(t, "name", &nlen);
    char created[24], expires[24], revoked[24];
    if (!t) {
        printf("%-18s %-20s %-24s %-19s %-19s %s\n", "ID", "USER", "NAME", "CREATED", "EXPIRES",
               "REVOKED");
        return;
    }
    printf("%-18.*s %-20.*s %-24.*s %-19s %-19s %s\n", ilen, id, ulen, user, nlen ? nlen : 1,
           nlen ? name : "-", sd_render_time(sd_cli_u64(t, "created_at"), created),
           sd_render_time(sd_cli_u64(t, "expires_at"), expires),
           sd_render_time(sd_cli_u64(t, "revoked_at"), revoked));
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "tokens", s_print_row,
                             "(more: use --after with the last id for the next page)");
}

static int s_print_revoked(sd_cli_t *cli, const sd_mp_node_t *t)
{
    (void)cli;
    int ilen;
    const char *id = sd_cli_str(t, "id", &ilen);
    char at[24];
    printf("token %.*s revoked at %s\n", ilen, id, sd_render_time(sd_cli_u64(t, "revoked_at"), at));
    return 0;
}

const sd_cli_verb_t sd_token_verbs[] = {
    {"new", SD_REQ_TOKEN_NEW, "", "[--user LOGIN] [--name LABEL] [--days N]: a new API token",
     s_print_new, true,
     "Prints the token (sdt_...) on its own line: the node shows it this once and keeps only\n"
     "its hash. A program passes it with --token or $SUNDESK_TOKEN and acts as LOGIN (default:\n"
     "you) with LOGIN's rights at the time, until --days N have passed (default: no expiry),\n"
     "the token is revoked or LOGIN is disabled. Tokens for other users need the admin role.",
     NULL},
    {"list", SD_REQ_TOKEN_LIST, "", "[--user LOGIN] [--limit N] [--after ID]: the tokens",
     s_print_list, true,
     "A row per token: id, user, name, created, expires and revoked (UTC; - for never). Only\n"
     "your own unless you are an admin; the secrets are never shown.",
     NULL},
    {"revoke", SD_REQ_TOKEN_REVOKE, "id", "ID: the token stops working, at every site",
     s_print_revoked, false, NULL, NULL},
    SD_CLI_VERBS_END,
};
