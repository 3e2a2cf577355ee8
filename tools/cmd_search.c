/* cmd_search.c - `sundesk search ...` (cmd_search.h). */
#include "cmd_search.h"

#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints snippet (HTML: escaped text, matches in <mark>) as plain text, matches in [..]. */
static void s_print_snippet(const char *html, int len)
{
    static const struct {
        const char *from, *to;
    } map[] = {{"<mark>", "["}, {"</mark>", "]"}, {"&amp;", "&"}, {"&lt;", "<"},
               {"&gt;", ">"},   {"&quot;", "\""}, {"&#39;", "'"}, {"\n", " "}};
    fputs("    ", stdout);
    for (int i = 0; i < len;) {
        size_t k = 0;
        while (k < sizeof map / sizeof map[0] &&
               strncmp(html + i, map[k].from, strlen(map[k].from)) != 0)
            k++;
        if (k < sizeof map / sizeof map[0] && (int)strlen(map[k].from) <= len - i) {
            fputs(map[k].to, stdout);
            i += (int)strlen(map[k].from);
        } else {
            putchar(html[i++]);
        }
    }
    putchar('\n');
}

int sd_search_print_hits(sd_cli_t *cli, const sd_mp_node_t *result)
{
    const sd_mp_node_t *hits = sd_cli_array(result, "hits");
    if (!hits)
        return sd_cli_fail("the node sent search results this client cannot read");
    if (cli->opts->json)
        return sd_cli_print_json(result);
    size_t n = sd_mp_len(hits);
    if (!n)
        printf("no matches\n");
    for (size_t i = 0; i < n; i++) {
        const sd_mp_node_t *h = sd_mp_at(hits, i);
        int klen, ilen, tlen, slen, stlen;
        const char *kind = sd_cli_str(h, "kind", &klen), *id = sd_cli_str(h, "id", &ilen);
        const char *title = sd_cli_str_or_dash(h, "title", &tlen);
        const char *status = sd_cli_str_or_dash(h, "status", &stlen);
        const char *snippet = sd_cli_str(h, "snippet", &slen);
        printf("%-8.*s %-18.*s %3llu%% %-12.*s %.*s\n", klen, kind, ilen, id,
               (unsigned long long)sd_cli_u64(h, "score"), stlen, status, tlen, title);
        if (slen)
            s_print_snippet(snippet, slen);
    }
    int clen;
    const char *cursor = sd_cli_str(result, "next_cursor", &clen);
    if (clen)
        printf("(about %llu matches; next page: --cursor %.*s)\n",
               (unsigned long long)sd_cli_u64(result, "total"), clen, cursor);
    return 0;
}

/* search.status as lines. */
static int s_print_status(sd_cli_t *cli, const sd_mp_node_t *r)
{
    if (cli->opts->json)
        return sd_cli_print_json(r);
    printf("documents   %llu\nbehind      %llu events\nrebuilding  %s\nindexed     ",
           (unsigned long long)sd_cli_u64(r, "docs"), (unsigned long long)sd_cli_u64(r, "behind"),
           sd_cli_bool(r, "rebuilding") ? "yes" : "no");
    const sd_mp_node_t *v = r && sd_mp_kind(r) == SD_MP_MAP ? sd_mp_get(r, "indexed") : NULL;
    sd_cli_print_json(v);
    return 0;
}

static int s_print_started(sd_cli_t *cli, const sd_mp_node_t *r)
{
    if (cli->opts->json)
        return sd_cli_print_json(r);
    printf("rebuilding the search index in the background (sundesk search status shows it)\n");
    return 0;
}

char **sd_search_words(int *argc, char **argv)
{
    static const char *const verbs[] = {"query", "status", "reindex", "--help", NULL};
    if (*argc < 2)
        return argv;
    for (int i = 0; verbs[i]; i++)
        if (!strcmp(argv[1], verbs[i]))
            return argv;
    char **out = calloc((size_t)*argc + 2, sizeof *out);
    if (!out)
        return argv;
    out[0] = argv[0];
    out[1] = "query";
    memcpy(out + 2, argv + 1, (size_t)(*argc - 1) * sizeof *out);
    (*argc)++;
    return out;
}

const sd_cli_verb_t sd_search_verbs[] = {
    {"query", SD_REQ_SEARCH_QUERY, "q:QUERY",
     "QUERY [--kind K] [--site S] [--status S] [--category C] [--from T] [--to T]\n"
     "                 [--limit N] [--cursor C]: full-text search (also: sundesk search QUERY)",
     sd_search_print_hits, true,
     "Finds tickets (title, description, replies; internal notes for agents), articles and\n"
     "customers, best first, with a snippet whose matches are shown in [brackets].\n"
     "QUERY: words (all must match; English words are stemmed: printing finds printer's\n"
     "print), Chinese text of any length (电池, 打印, VPN密码: two characters are enough),\n"
     "\"a phrase\", OR, NOT, +word, -word. Quote QUERY for the shell when it has blanks.\n"
     "--kind: ticket, article, customer or a comma list (default: all you may see).\n"
     "--from/--to: changed at or after / created before (TIME). A requester finds only their\n"
     "own tickets (never internal notes) and published public articles.",
     NULL},
    {"status", SD_REQ_SEARCH_STATUS, "",
     ": the node's search index: documents, events not yet indexed, rebuild", s_print_status, true,
     NULL, NULL},
    {"reindex", SD_REQ_SEARCH_REINDEX, "",
     ": rebuild the node's search index from the store, in the background", s_print_started, true,
     "The index is local to this node and derived from its store; the rebuild is made beside\n"
     "the live one (searches go on) and replaces it when it has caught up. Needs the admin\n"
     "role.",
     NULL},
    SD_CLI_VERBS_END,
};
