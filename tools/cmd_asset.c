/* cmd_asset.c - `sundesk asset VERB`: asset.* requests and how assets show (cmd_asset.h). */
#include "cmd_asset.h"

#include "render.h"
#include "request.h"

#include <stdio.h>
#include <string.h>

void sd_cli_card_line(const sd_mp_node_t *m, const char *label, const char *key)
{
    int len;
    const char *text = sd_cli_str(m, key, &len);
    if (!len)
        return;
    if (memchr(text, '\n', (size_t)len)) {
        printf("  %s\n", label);
        sd_render_indented(stdout, text, (size_t)len, "    ");
    } else {
        printf("  %-12s %.*s\n", label, len, text);
    }
}

void sd_cli_row(const sd_mp_node_t *m, const char *const (*cols)[2], const int *widths, int n)
{
    for (int i = 0; i < n; i++) {
        int len = (int)strlen(cols[i][1]);
        const char *text = cols[i][1];
        if (m && !*(text = sd_cli_str(m, cols[i][0], &len)))
            text = "-", len = 1;
        if (i + 1 < n)
            printf("%-*.*s ", widths[i], len, text);
        else
            printf("%.*s\n", len, text);
    }
}

/* A row of the list (NULL: the header). */
static void s_print_row(const sd_mp_node_t *a)
{
    static const char *const cols[][2] = {{"id", "TAG"},        {"kind", "KIND"},
                                          {"status", "STATUS"}, {"owner", "OWNER"},
                                          {"site", "SITE"},     {"model", "MODEL"}};
    static const int widths[] = {16, 10, 9, 16, 9};
    sd_cli_row(a, cols, widths, 6);
}

static int s_print_asset(sd_cli_t *cli, const sd_mp_node_t *a)
{
    int ilen;
    const char *id = sd_cli_str(a, "id", &ilen);
    if (!ilen)
        return sd_cli_fail("the node sent an asset this client cannot read");
    if (cli->verb->op != SD_REQ_ASSET_GET) {
        s_print_row(a);
        return 0;
    }
    char c[24], u[24];
    printf("%.*s\n", ilen, id);
    sd_cli_card_line(a, "kind", "kind");
    sd_cli_card_line(a, "model", "model");
    sd_cli_card_line(a, "serial", "serial");
    sd_cli_card_line(a, "status", "status");
    sd_cli_card_line(a, "owner", "owner");
    sd_cli_card_line(a, "site", "site");
    sd_cli_card_line(a, "warranty end", "warranty_end");
    int olen;
    const char *origin = sd_cli_str(a, "origin_site", &olen);
    printf("  %-12s %s at site %.*s, updated %s\n", "created",
           sd_render_time(sd_cli_u64(a, "created_at"), c), olen, origin,
           sd_render_time(sd_cli_u64(a, "updated_at"), u));
    sd_cli_card_line(a, "notes", "notes");
    return 0;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "assets", s_print_row,
                             "(more: use --after with the last tag for the next page)");
}

const sd_cli_verb_t sd_asset_verbs[] = {
    {"new", SD_REQ_ASSET_NEW, "id:TAG",
     "TAG --kind K [--model M] [--serial S] [--owner CUSTOMER] [--site S]\n"
     "                 [--status in_use|in_stock|repair|retired] [--warranty-end YYYY-MM-DD]\n"
     "                 [--notes N]: add an asset",
     s_print_asset, false,
     "TAG is the asset's id, its inventory tag (LT-0042): 1 to 32 of A-Z a-z 0-9 . _ -.\n"
     "--kind: laptop, phone, server, licence ... --owner: the customer id it belongs to\n"
     "(SITE-C-000001). --site defaults to this node's site; --status to in_use with an owner,\n"
     "else in_stock. Needs the agent or manager role at the asset's site.",
     NULL},
    {"show", SD_REQ_ASSET_GET, "id:TAG", "TAG: the asset card", s_print_asset, false, NULL, NULL},
    {"list", SD_REQ_ASSET_LIST, "",
     "[--owner CUSTOMER] [--site S] [--status S] [--kind K] [--limit N] [--after TAG]:\n"
     "                 the assets, by tag",
     s_print_list, true, "Filters combine.", NULL},
    {"update", SD_REQ_ASSET_UPDATE, "id:TAG",
     "TAG [--owner CUSTOMER] [--site S] [--status S] [--kind K] [--model M] ...: change it",
     s_print_asset, false,
     "A new --owner and/or --site moves the asset: owner and site change together, so two\n"
     "moves made at once at two sites end as one of them, whole. --owner \"\" leaves it\n"
     "without owner; --warranty-end \"\" forgets the date.",
     NULL},
    SD_CLI_VERBS_END,
};
