/* cmd_customer.c - `sundesk customer VERB` and `sundesk lookup` (cmd_customer.h). */
#include "cmd_customer.h"

#include "render.h"
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the words ----------------------------------------------------------------------------- */

/* Appends value to the comma-separated *list (heap). */
static char *s_join(char *list, const char *value)
{
    size_t n = list ? strlen(list) : 0;
    char *out = realloc(list, n + strlen(value) + 2);
    if (!out)
        return list;
    snprintf(out + n, strlen(value) + 2, "%s%s", n ? "," : "", value);
    return out;
}

int sd_customer_words(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "new") != 0 && strcmp(argv[1], "update") != 0))
        return argc;
    char *emails = NULL, *phones = NULL;
    int out = 2;
    for (int i = 2; i < argc; i++) {
        bool valued = i + 1 < argc;
        if (valued && (!strcmp(argv[i], "--email") || !strcmp(argv[i], "--phone"))) {
            char **list = argv[i][2] == 'e' ? &emails : &phones;
            *list = s_join(*list, argv[++i]);
        } else if (!strcmp(argv[i], "--site")) {
            argv[out++] = "--home-site";
        } else {
            argv[out++] = argv[i];
        }
    }
    if (emails) {
        argv[out++] = "--emails";
        argv[out++] = emails;
    }
    if (phones) {
        argv[out++] = "--phones";
        argv[out++] = phones;
    }
    return out;
}

/* ---- how customers show -------------------------------------------------------------------- */

/* Text of entry key of c, or "-" when it has none; its length into *len. */
static const char *s_or_dash(const sd_mp_node_t *c, const char *key, int *len)
{
    const char *text = sd_cli_str(c, key, len);
    if (*len)
        return text;
    *len = 1;
    return "-";
}

/* A row of a list (NULL: the header). */
static void s_print_row(const sd_mp_node_t *c)
{
    if (!c) {
        printf("%-16s %-24s %-20s %-4s %-9s %s\n", "ID", "NAME", "ORGANISATION", "VIP", "SITE",
               "PHONES");
        return;
    }
    int ilen, nlen, olen, slen, plen;
    const char *id = sd_cli_str(c, "id", &ilen), *name = s_or_dash(c, "name", &nlen);
    const char *org = s_or_dash(c, "organisation", &olen), *site = s_or_dash(c, "home_site", &slen);
    const char *phones = s_or_dash(c, "phones", &plen);
    printf("%-16.*s %-24.*s %-20.*s %-4s %-9.*s %.*s\n", ilen, id, nlen, name, olen, org,
           sd_cli_bool(c, "vip") ? "yes" : "-", slen, site, plen, phones);
}

/* The profile lines of customer c. */
static void s_print_profile(const sd_mp_node_t *c)
{
    static const struct {
        const char *key, *label;
    } lines[] = {{"organisation", "organisation"},
                 {"department", "department"},
                 {"emails", "e-mail"},
                 {"phones", "phone"},
                 {"language", "language"},
                 {"time_zone", "time zone"},
                 {"home_site", "site"},
                 {"user", "user"},
                 {"merged_into", "merged into"}};
    int ilen, nlen;
    const char *id = sd_cli_str(c, "id", &ilen), *name = sd_cli_str(c, "name", &nlen);
    printf("%.*s (%.*s)%s\n", nlen, name, ilen, id, sd_cli_bool(c, "vip") ? "  VIP" : "");
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        int len;
        const char *text = sd_cli_str(c, lines[i].key, &len);
        if (len)
            printf("  %-13s %.*s\n", lines[i].label, len, text);
    }
    int len;
    const char *notes = sd_cli_str(c, "notes", &len);
    if (len) {
        printf("  notes\n");
        sd_render_indented(stdout, notes, (size_t)len, "    ");
        if (notes[len - 1] != '\n')
            putchar('\n');
    }
}

static int s_print_customer(sd_cli_t *cli, const sd_mp_node_t *c)
{
    int ilen;
    const char *id = sd_cli_str(c, "id", &ilen);
    if (!ilen)
        return sd_cli_fail("the node sent a customer this client cannot read");
    if (cli->opts->json)
        return sd_cli_print_json(c);
    if (cli->verb->op == SD_REQ_CUSTOMER_NEW)
        printf("%.*s\n", ilen, id);
    else
        s_print_profile(c);
    return 0;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "customers", s_print_row,
                             "(more: use --after with the last id for the next page)");
}

/* ---- the card ------------------------------------------------------------------------------ */

static void s_ticket_row(const sd_mp_node_t *t)
{
    char when[24];
    int ilen, slen, plen, tlen;
    const char *id = sd_cli_str(t, "id", &ilen), *status = sd_cli_str(t, "status", &slen);
    const char *prio = sd_cli_str(t, "priority", &plen), *title = sd_cli_str(t, "title", &tlen);
    uint64_t at = sd_cli_u64(t, "closed_at");
    at = at ? at : sd_cli_u64(t, "resolved_at");
    at = at ? at : sd_cli_u64(t, "created_at");
    printf("  %-16.*s %-3.*s %-12.*s %-19s %.*s\n", ilen, id, plen, prio, slen, status,
           sd_render_time(at, when), tlen, title);
}

/* A titled list of the card: its entries by row(), or "none". */
static void s_section(const sd_mp_node_t *card, const char *key, const char *title,
                      void (*row)(const sd_mp_node_t *))
{
    const sd_mp_node_t *a = sd_cli_array(card, key);
    size_t n = a ? sd_mp_len(a) : 0;
    printf("%s:%s\n", title, n ? "" : " none");
    for (size_t i = 0; i < n; i++) {
        if (row) {
            row(sd_mp_at(a, i));
        } else {
            fputs("  ", stdout);
            sd_cli_print_json(sd_mp_at(a, i));
        }
    }
}

static int s_print_card(sd_cli_t *cli, const sd_mp_node_t *card)
{
    const sd_mp_node_t *c =
        card && sd_mp_kind(card) == SD_MP_MAP ? sd_mp_get(card, "customer") : NULL;
    int ilen;
    sd_cli_str(c, "id", &ilen);
    if (!ilen)
        return sd_cli_fail("the node sent a card this client cannot read");
    if (cli->opts->json)
        return sd_cli_print_json(card);
    s_print_profile(c);
    s_section(card, "assets", "Assets", NULL);
    s_section(card, "open_tickets", "Open tickets", s_ticket_row);
    s_section(card, "past_tickets", "Last closed tickets", s_ticket_row);
    s_section(card, "contacts", "Last contacts", NULL);
    return 0;
}

/* ---- the verbs ----------------------------------------------------------------------------- */

const sd_cli_verb_t sd_customer_verbs[] = {
    {"new", SD_REQ_CUSTOMER_NEW, "",
     "--name N [--email E]... [--phone P]... [--vip] [--site S]:\n                 add a customer, "
     "print its id",
     s_print_customer, true,
     "--email and --phone may be given more than once (or --emails/--phones with a comma-\n"
     "separated list). Phone numbers are kept as written and found by their E.164 form\n"
     "(the node's policy/phone_country for national numbers). --site is the customer's home\n"
     "site (default: the node's). --vip raises their tickets one priority step. --user links\n"
     "the requester login who is this customer. Also --org O, --dept D, --notes T,\n"
     "--language L, --time-zone Z. Needs the agent or manager role.",
     NULL},
    {"show", SD_REQ_CUSTOMER_GET, "id", "ID: the customer (a merged id shows the survivor)",
     s_print_customer, true, NULL, NULL},
    {"update", SD_REQ_CUSTOMER_UPDATE, "id",
     "ID [--name N] [--email E]... [--phone P]... [--vip|--no-vip] ...:\n                 change "
     "it",
     s_print_customer, true,
     "Each option replaces the field: --email/--phone given here are the whole new list.\n"
     "--no-vip clears the VIP flag; --user \"\" unlinks.",
     NULL},
    {"merge", SD_REQ_CUSTOMER_MERGE, "id", "ID --into ID2: ID is a duplicate of ID2",
     s_print_customer, true,
     "Both ids stay readable; ID's reads, finds and lookups lead to ID2, and ID2's card\n"
     "shows ID's tickets. Merges made at the same time at two sites that form a cycle\n"
     "resolve to the smallest id, at every node.",
     NULL},
    {"list", SD_REQ_CUSTOMER_LIST, "",
     "[--site S] [--vip] [--organisation O] [--limit N] [--after ID]:\n                 the "
     "customers, by id",
     s_print_list, true, NULL, NULL},
    {"find", SD_REQ_CUSTOMER_FIND, "", "--phone P | --email E | --name PREFIX: who matches",
     s_print_list, true, NULL, NULL},
    {"import", SD_REQ_CUSTOMER_NEW, "",
     "FILE.csv [--country CC] [--batch N]: add customers from a CSV file,\n                 all "
     "rows or none",
     s_print_customer, true,
     "The header row names the columns: name,email,phone,organisation,department,vip,site\n"
     "(name required; email and phone may hold several, comma-separated, quoted). Every\n"
     "row is checked first (\"line N: ...\"), and nothing is imported when one is bad.\n"
     "--country: the country code national phone numbers are checked with (default 86, as\n"
     "the node's policy/phone_country).",
     NULL},
    SD_CLI_VERBS_END,
};

const sd_cli_verb_t sd_lookup_verbs[] = {
    {"", SD_REQ_CUSTOMER_LOOKUP, "",
     "--phone P | --email E | --id ID: the caller's card (profile, VIP, assets, open\n"
     "                 and last closed tickets, last contacts); unknown: exit status 1",
     s_print_card, true, NULL, NULL},
    SD_CLI_VERBS_END,
};
