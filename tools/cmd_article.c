/* cmd_article.c - `sundesk article VERB` (cmd_article.h). */
#include "cmd_article.h"

#include "render.h"
#include "request.h"
#include "sizes.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the words ----------------------------------------------------------------------------- */

/* The whole of file path ("-": stdin) as a heap string, at most SD_TEXT_MAX bytes; NULL after
 * sd_cli_fail. */
static char *s_read_body(const char *path)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        sd_cli_fail("--body-file %s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = malloc(SD_TEXT_MAX + 2);
    size_t n = text ? fread(text, 1, SD_TEXT_MAX + 1, f) : 0;
    bool failed = !text || ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed || n > SD_TEXT_MAX) {
        free(text);
        sd_cli_fail(failed ? "--body-file %s: cannot read it"
                           : "--body-file %s: over %d bytes, the most an article's body holds",
                    path, SD_TEXT_MAX);
        return NULL;
    }
    text[n] = 0;
    return text;
}

int sd_article_words(int argc, char ***argvp)
{
    char **in = *argvp;
    if (argc < 2)
        return argc;
    /* Room for --from and --to before diff's FROM and TO; lives until exit. */
    char **argv = calloc((size_t)argc + 3, sizeof *argv);
    if (!argv)
        return sd_cli_fail("out of memory");
    bool show = !strcmp(in[1], "show"), diff = !strcmp(in[1], "diff");
    int out = 0, words = 0;
    argv[out++] = in[0];
    argv[out++] = in[1];
    for (int i = 2; i < argc; i++) {
        if (show && !strcmp(in[i], "--version"))
            argv[1] = "version";
        if (!strcmp(in[i], "--body-file") && i + 1 < argc) {
            char *body = s_read_body(in[i + 1]);
            if (!body)
                return -1;
            argv[out++] = "--body";
            argv[out++] = body;
            i++;
            continue;
        }
        /* diff ID FROM TO: the second and third words are --from and --to. */
        if (diff && strncmp(in[i], "--", 2) != 0 && ++words >= 2 && words <= 3)
            argv[out++] = words == 2 ? "--from" : "--to";
        argv[out++] = in[i];
    }
    *argvp = argv;
    return out;
}

/* ---- how articles show --------------------------------------------------------------------- */

/* A row of a list (NULL: the header). */
static void s_print_row(const sd_mp_node_t *a)
{
    if (!a) {
        printf("%-17s %-9s %-3s %-8s %-6s %s\n", "ID", "STATE", "VER", "AUDIENCE", "LANG", "TITLE");
        return;
    }
    int ilen, slen, alen, llen, tlen;
    const char *id = sd_cli_str(a, "id", &ilen), *state = sd_cli_str_or_dash(a, "state", &slen);
    const char *aud = sd_cli_str_or_dash(a, "audience", &alen);
    const char *lang = sd_cli_str_or_dash(a, "language", &llen);
    const char *title = sd_cli_str(a, "title", &tlen);
    printf("%-17.*s %-9.*s %-3llu %-8.*s %-6.*s %.*s\n", ilen, id, slen, state,
           (unsigned long long)sd_cli_u64(a, "version"), alen, aud, llen, lang, tlen, title);
}

static void s_print_body(const sd_mp_node_t *a)
{
    int len;
    const char *body = sd_cli_str(a, "body", &len);
    if (!len)
        return;
    putchar('\n');
    fwrite(body, 1, (size_t)len, stdout);
    if (body[len - 1] != '\n')
        putchar('\n');
}

/* The versions [{version, at, by, title}] of article a. */
static void s_print_versions(const sd_mp_node_t *a)
{
    const sd_mp_node_t *v = sd_cli_array(a, "versions");
    for (size_t i = 0; v && i < sd_mp_len(v); i++) {
        const sd_mp_node_t *e = sd_mp_at(v, i);
        char when[24];
        int blen, tlen;
        const char *by = sd_cli_str(e, "by", &blen), *title = sd_cli_str(e, "title", &tlen);
        printf("  v%-3llu %-19s %-16.*s %.*s\n", (unsigned long long)sd_cli_u64(e, "version"),
               sd_render_time(sd_cli_u64(e, "at"), when), blen, by, tlen, title);
    }
}

/* The ids of the tickets linked to a (or resolved with it), on one line. */
static void s_print_tickets(const sd_mp_node_t *a)
{
    const sd_mp_node_t *t = sd_cli_array(a, "tickets");
    if (!t || !sd_mp_len(t))
        return;
    printf("  %-13s", "tickets");
    for (size_t i = 0; i < sd_mp_len(t); i++) {
        int len;
        const char *id = sd_cli_text(sd_mp_at(t, i), &len);
        printf(" %.*s", len, id);
    }
    putchar('\n');
}

static void s_print_card(const sd_mp_node_t *a)
{
    static const sd_cli_label_t lines[] = {{"state", "state"},          {"audience", "audience"},
                                           {"language", "language"},    {"category", "category"},
                                           {"keywords", "keywords"},    {"author", "author"},
                                           {"updated_by", "updated by"}};
    int ilen, tlen;
    const char *id = sd_cli_str(a, "id", &ilen), *title = sd_cli_str(a, "title", &tlen);
    printf("%.*s (%.*s, version %llu)\n", tlen, title, ilen, id,
           (unsigned long long)sd_cli_u64(a, "version"));
    sd_cli_print_labelled(a, lines, sizeof lines / sizeof lines[0], 13);
    if (sd_mp_get(a, "solved"))
        printf("  %-13s %llu tickets, %llu helpful\n", "solved",
               (unsigned long long)sd_cli_u64(a, "solved"),
               (unsigned long long)sd_cli_u64(a, "helpful"));
    s_print_tickets(a);
    printf("  versions\n");
    s_print_versions(a);
    s_print_body(a);
}

static int s_print_article(sd_cli_t *cli, const sd_mp_node_t *a)
{
    int ilen, slen;
    const char *id;
    int rc = sd_cli_record_start(cli, a, "article", SD_REQ_ARTICLE_NEW, &id, &ilen);
    if (rc >= 0)
        return rc;
    if (cli->verb->op == SD_REQ_ARTICLE_GET) {
        s_print_card(a);
        return 0;
    }
    const char *state = sd_cli_str_or_dash(a, "state", &slen);
    printf("%.*s version %llu, %.*s\n", ilen, id, (unsigned long long)sd_cli_u64(a, "version"),
           slen, state);
    return 0;
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "articles", s_print_row,
                             "(more: use --after with the last id for the next page)");
}

static int s_print_version(sd_cli_t *cli, const sd_mp_node_t *v)
{
    if (cli->opts->json)
        return sd_cli_print_json(v);
    char when[24];
    int ilen, tlen, blen;
    const char *id = sd_cli_str(v, "id", &ilen), *title = sd_cli_str(v, "title", &tlen);
    const char *by = sd_cli_str(v, "by", &blen);
    printf("%.*s (%.*s, version %llu by %.*s at %s)\n", tlen, title, ilen, id,
           (unsigned long long)sd_cli_u64(v, "version"), blen, by,
           sd_render_time(sd_cli_u64(v, "at"), when));
    s_print_body(v);
    return 0;
}

static int s_print_diff(sd_cli_t *cli, const sd_mp_node_t *d)
{
    if (cli->opts->json)
        return sd_cli_print_json(d);
    int len;
    const char *diff = sd_cli_str(d, "diff", &len);
    fwrite(diff, 1, (size_t)len, stdout);
    return 0;
}

/* ---- the verbs ----------------------------------------------------------------------------- */

const sd_cli_verb_t sd_article_verbs[] = {
    {"new", SD_REQ_ARTICLE_NEW, "",
     "--title T (--body TEXT | --body-file FILE) [--category C] [--language L]\n"
     "                 [--audience internal|public] [--keywords K]: write a draft, print its id",
     s_print_article, true,
     "The body is Markdown, kept as given (UTF-8, at most 8192 bytes); --body-file - reads\n"
     "it from stdin. --keywords is a comma-separated list. The audience is internal (the\n"
     "desk only, the default) or public (requesters may read it once published). A new\n"
     "article is a draft: publish it to show it. Needs the agent or manager role.",
     NULL},
    {"update", SD_REQ_ARTICLE_UPDATE, "id",
     "ID [--title T] [--body TEXT | --body-file FILE] [--base-version N] ...:\n"
     "                 write a new version",
     s_print_article, true,
     "Every update is a new version holding the whole text; the fields not given are the\n"
     "current version's. --base-version is the version you started from: edits made from\n"
     "the same version at two sites are both kept as versions, the later one is current.",
     NULL},
    {"show", SD_REQ_ARTICLE_GET, "id",
     "ID [--version N]: the article (its versions, solved tickets, helpful count)", s_print_article,
     true, "With --version N, the whole text of version N (article version).", NULL},
    {"list", SD_REQ_ARTICLE_LIST, "",
     "[--state S] [--category C] [--language L] [--audience A] [--limit N]\n"
     "                 [--after ID]: the articles, by id",
     s_print_list, true, NULL, NULL},
    {"version", SD_REQ_ARTICLE_VERSION, "id version", "ID N: the whole text of version N",
     s_print_version, true, NULL, NULL},
    {"diff", SD_REQ_ARTICLE_DIFF, "id",
     "ID [FROM TO]: what changed in the body from version FROM to TO (unified\n"
     "                 diff; without them, the last edit)",
     s_print_diff, true, NULL, NULL},
    {"publish", SD_REQ_ARTICLE_PUBLISH, "id", "ID: show a draft (or a retired article) again",
     s_print_article, true, NULL, NULL},
    {"retire", SD_REQ_ARTICLE_RETIRE, "id", "ID: take a published article out of use",
     s_print_article, true, NULL, NULL},
    {"link", SD_REQ_ARTICLE_LINK, "id ticket", "ID TICKET: link a ticket to the article",
     s_print_article, true, NULL, NULL},
    {"helpful", SD_REQ_ARTICLE_HELPFUL, "id",
     "ID: the article answered the question (counted as a deflection)", s_print_article, true, NULL,
     NULL},
    SD_CLI_VERBS_END,
};
