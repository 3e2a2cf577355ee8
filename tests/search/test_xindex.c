/* test_xindex.c - the full-text index (node/search/xindex.h) on the fixed corpus of
 * tests/search/corpus: Chinese two-character words, mixed Chinese and Latin ("VPN密码"), English
 * stems, phrases, boolean operators and filters find every expected record (recall), and a
 * requester's view never matches or shows an internal note, another requester's ticket, an
 * unpublished or internal article, or a customer. Also: snippets (escaped HTML, <mark>),
 * Xapian's parse errors as SD_EINVAL, the vector marker, paging and deletion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "error.h"
#include "xindex.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char s_dir[256];

static const char *s_get(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static json_t *s_load(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SD_SEARCH_CORPUS, name);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j)
        fail_msg("%s: %s (line %d)", path, e.text, e.line);
    return j;
}

/* The texts of a corpus ticket: description and public replies; internal notes. */
static void s_ticket_texts(json_t *t, char **pub, char **in)
{
    size_t pn = 0, inn = 0;
    FILE *p = open_memstream(pub, &pn), *i = open_memstream(in, &inn);
    fprintf(p, "%s\n", s_get(t, "description"));
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(t, "comments"), k, c)
        fprintf(json_is_true(json_object_get(c, "public")) ? p : i, "%s\n", s_get(c, "body"));
    fclose(p);
    fclose(i);
}

/* Indexes the whole corpus into s_dir, ids being the corpus keys. */
static void s_index_corpus(void)
{
    sd_xindex_t *x;
    char err[256] = "";
    assert_int_equal(sd_xindex_open(s_dir, &x, err, sizeof err), 0);
    json_t *tickets = s_load("tickets.json"), *articles = s_load("articles.json");
    json_t *customers = s_load("customers.json"), *o;
    size_t i;
    json_array_foreach(tickets, i, o)
    {
        char *pub, *in;
        s_ticket_texts(o, &pub, &in);
        sd_xdoc_t d = {.kind = "ticket",
                       .id = s_get(o, "key"),
                       .title = s_get(o, "title"),
                       .site = s_get(o, "site"),
                       .status = "new",
                       .category = s_get(o, "category"),
                       .requester = s_get(o, "requester"),
                       .public_text = pub,
                       .internal_text = in,
                       .created_at = 1000 + i,
                       .updated_at = 2000 + i};
        assert_int_equal(sd_xindex_put(x, &d, err, sizeof err), 0);
        free(pub);
        free(in);
    }
    json_array_foreach(articles, i, o)
    {
        char body[4096];
        snprintf(body, sizeof body, "%s\n%s\n%s", s_get(o, "body"), s_get(o, "keywords"),
                 s_get(o, "category"));
        sd_xdoc_t d = {.kind = "article",
                       .id = s_get(o, "key"),
                       .title = s_get(o, "title"),
                       .status = s_get(o, "state"),
                       .state = s_get(o, "state"),
                       .category = s_get(o, "category"),
                       .audience = s_get(o, "audience"),
                       .language = s_get(o, "language"),
                       .public_text = body,
                       .created_at = 500,
                       .updated_at = 3000 + i};
        assert_int_equal(sd_xindex_put(x, &d, err, sizeof err), 0);
    }
    json_array_foreach(customers, i, o)
    {
        char text[1024];
        snprintf(text, sizeof text, "%s\n%s", s_get(o, "organisation"), s_get(o, "notes"));
        sd_xdoc_t d = {.kind = "customer",
                       .id = s_get(o, "key"),
                       .title = s_get(o, "name"),
                       .site = "APAC",
                       .public_text = text,
                       .created_at = 100,
                       .updated_at = 4000 + i};
        assert_int_equal(sd_xindex_put(x, &d, err, sizeof err), 0);
    }
    assert_int_equal(sd_xindex_commit(x, "APAC:53", err, sizeof err), 0);
    assert_int_equal(sd_xindex_docs(x), json_array_size(tickets) + json_array_size(articles) +
                                            json_array_size(customers));
    json_decref(tickets);
    json_decref(articles);
    json_decref(customers);
    sd_xindex_close(&x);
}

static int s_setup(void **state)
{
    (void)state;
    snprintf(s_dir, sizeof s_dir, "/tmp/sd-test-xindex.XXXXXX");
    if (!mkdtemp(s_dir))
        return -1;
    s_index_corpus();
    return 0;
}

/* Removes a test's index directory; 0 or -1. */
static int s_rm_dir(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int s_teardown(void **state)
{
    (void)state;
    return s_rm_dir(s_dir);
}

static bool s_has(const sd_xresult_t *r, const char *id)
{
    for (size_t i = 0; i < r->nhits; i++)
        if (!strcmp(r->hits[i].id, id))
            return true;
    return false;
}

/* Every query of queries.json: each expected record found, none of the absent ones. */
static void test_corpus_recall(void **state)
{
    (void)state;
    sd_xreader_t *r;
    char err[256] = "";
    assert_int_equal(sd_xreader_open(s_dir, &r, err, sizeof err), 0);
    json_t *queries = s_load("queries.json"), *q;
    size_t i, failures = 0, expected = 0;
    json_array_foreach(queries, i, q)
    {
        const char *kind = s_get(q, "kind");
        sd_xquery_t query = {.text = s_get(q, "q"),
                             .kinds = kind ? sd_xkind_bit(kind) : 0,
                             .site = s_get(q, "site"),
                             .category = s_get(q, "category"),
                             .limit = 100,
                             .requester = s_get(q, "as")};
        sd_xresult_t res;
        int rc = sd_xreader_search(r, &query, &res, err, sizeof err);
        if (rc) {
            printf("query %zu '%s': error %d %s\n", i, query.text, rc, err);
            failures++;
        }
        size_t k;
        json_t *id;
        json_array_foreach(json_object_get(q, "expect"), k, id)
        {
            expected++;
            if (!s_has(&res, json_string_value(id))) {
                printf("query '%s'%s%s: %s not found\n", query.text, query.requester ? " as " : "",
                       query.requester ? query.requester : "", json_string_value(id));
                failures++;
            }
        }
        json_array_foreach(json_object_get(q, "absent"), k,
                           id) if (s_has(&res, json_string_value(id)))
        {
            printf("query '%s': %s found, must not be\n", query.text, json_string_value(id));
            failures++;
        }
        sd_xresult_clear(&res);
    }
    printf("corpus: %zu queries, %zu expected hits, %zu failures\n", json_array_size(queries),
           expected, failures);
    assert_true(json_array_size(queries) >= 30);
    assert_int_equal(failures, 0);
    json_decref(queries);
    sd_xreader_close(&r);
}

/* One query's result (limit 100) with its texts checked by the caller. */
static void s_search(const char *text, const char *requester, sd_xresult_t *res)
{
    sd_xreader_t *r;
    char err[256] = "";
    assert_int_equal(sd_xreader_open(s_dir, &r, err, sizeof err), 0);
    sd_xquery_t q = {.text = text, .limit = 100, .requester = requester};
    assert_int_equal(sd_xreader_search(r, &q, res, err, sizeof err), 0);
    sd_xreader_close(&r);
}

static const sd_xhit_t *s_hit(const sd_xresult_t *r, const char *id)
{
    for (size_t i = 0; i < r->nhits; i++)
        if (!strcmp(r->hits[i].id, id))
            return &r->hits[i];
    fail_msg("%s not among the hits", id);
    return NULL;
}

/* Snippets: matches marked (a Chinese word as one mark); a requester's from public text only. */
static void test_snippets(void **state)
{
    (void)state;
    sd_xresult_t res;
    s_search("打印", NULL, &res);
    const sd_xhit_t *h = s_hit(&res, "T01");
    assert_non_null(strstr(h->snippet, "<mark>打印</mark>"));
    assert_non_null(strstr(h->snippet, "硒鼓")); /* an agent's snippet may show the note */
    assert_string_equal(h->kind, "ticket");
    assert_string_equal(h->title, "三楼打印机卡纸");
    assert_string_equal(h->site, "APAC");
    assert_string_equal(h->category, "hardware/printer");
    assert_true(h->score > 0 && h->score <= 100);
    sd_xresult_clear(&res);
    s_search("打印 OR 硒鼓", "wang.fang", &res);
    h = s_hit(&res, "T01");
    assert_null(strstr(h->snippet, "硒鼓"));
    assert_null(strstr(h->snippet, "内部"));
    sd_xresult_clear(&res);
    s_search("VPN密码", NULL, &res);
    assert_non_null(strstr(s_hit(&res, "T03")->snippet, "<mark>VPN</mark><mark>密码</mark>")
                        ?: strstr(s_hit(&res, "T03")->snippet, "<mark>VPN密码</mark>"));
    sd_xresult_clear(&res);
}

/* A Chinese word is marked where the word stands, not in every other word that shares one of its
 * characters (电 of 电池 in 充电器); a query of one character marks it everywhere. */
static void test_snippet_cjk_words(void **state)
{
    (void)state;
    char dir[] = "/tmp/sd-test-xcjk.XXXXXX", err[256];
    assert_non_null(mkdtemp(dir));
    sd_xindex_t *x;
    assert_int_equal(sd_xindex_open(dir, &x, err, sizeof err), 0);
    sd_xdoc_t d = {.kind = "article",
                   .id = "KB-1",
                   .title = "笔记本电池",
                   .public_text = "换一个充电器试试。电池鼓包：更换电池。"};
    assert_int_equal(sd_xindex_put(x, &d, err, sizeof err), 0);
    assert_int_equal(sd_xindex_commit(x, "", err, sizeof err), 0);
    sd_xindex_close(&x);
    sd_xreader_t *r;
    assert_int_equal(sd_xreader_open(dir, &r, err, sizeof err), 0);
    const char *expect[][2] = {
        {"电池", "换一个充电器试试。<mark>电池</mark>鼓包：更换<mark>电池</mark>"},
        {"电", "换一个充<mark>电</mark>器试试。<mark>电</mark>池鼓包"}};
    for (size_t i = 0; i < 2; i++) {
        sd_xquery_t q = {.text = expect[i][0], .limit = 5};
        sd_xresult_t res;
        assert_int_equal(sd_xreader_search(r, &q, &res, err, sizeof err), 0);
        assert_int_equal(res.nhits, 1);
        if (!strstr(res.hits[0].snippet, expect[i][1]))
            fail_msg("query %s: snippet '%s'", expect[i][0], res.hits[0].snippet);
        sd_xresult_clear(&res);
    }
    sd_xreader_close(&r);
    assert_int_equal(s_rm_dir(dir), 0);
}

/* Text is HTML-escaped; nothing but <mark> is markup. */
static void test_snippet_escaped(void **state)
{
    (void)state;
    char dir[] = "/tmp/sd-test-xesc.XXXXXX", err[256];
    assert_non_null(mkdtemp(dir));
    sd_xindex_t *x;
    assert_int_equal(sd_xindex_open(dir, &x, err, sizeof err), 0);
    sd_xdoc_t d = {.kind = "ticket",
                   .id = "X-1",
                   .title = "script",
                   .public_text = "<script>alert(1)</script> & \"quotes\" 邮件 <b>bold</b>"};
    assert_int_equal(sd_xindex_put(x, &d, err, sizeof err), 0);
    assert_int_equal(sd_xindex_commit(x, "", err, sizeof err), 0);
    sd_xreader_t *r;
    assert_int_equal(sd_xreader_open(dir, &r, err, sizeof err), 0);
    sd_xquery_t q = {.text = "alert", .limit = 5};
    sd_xresult_t res;
    assert_int_equal(sd_xreader_search(r, &q, &res, err, sizeof err), 0);
    assert_int_equal(res.nhits, 1);
    const char *s = res.hits[0].snippet;
    assert_null(strstr(s, "<script>"));
    assert_null(strstr(s, "<b>"));
    assert_non_null(strstr(s, "&lt;script&gt;"));
    assert_non_null(strstr(s, "<mark>alert</mark>"));
    assert_non_null(strstr(s, "&amp;"));
    sd_xresult_clear(&res);
    sd_xreader_close(&r);
    /* Deleting the document: gone from the next reader's view. */
    assert_int_equal(sd_xindex_delete(x, "ticket", "X-1", err, sizeof err), 0);
    assert_int_equal(sd_xindex_commit(x, "APAC:2", err, sizeof err), 0);
    assert_int_equal(sd_xindex_docs(x), 0);
    char marker[64];
    assert_int_equal(sd_xindex_marker(x, marker, sizeof marker), 0);
    assert_string_equal(marker, "APAC:2");
    assert_int_equal(sd_xindex_marker(x, marker, 3), SD_ETOOLONG);
    sd_xindex_close(&x);
    assert_int_equal(s_rm_dir(dir), 0);
}

/* A query Xapian cannot parse is SD_EINVAL with its message, never a crash. */
static void test_parse_error(void **state)
{
    (void)state;
    sd_xreader_t *r;
    char err[256] = "";
    assert_int_equal(sd_xreader_open(s_dir, &r, err, sizeof err), 0);
    const char *bad[] = {"AND (", "printer AND", "(((打印"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sd_xquery_t q = {.text = bad[i], .limit = 5};
        sd_xresult_t res;
        err[0] = 0;
        int rc = sd_xreader_search(r, &q, &res, err, sizeof err);
        assert_true(rc == SD_EINVAL || rc == 0); /* Xapian forgives some */
        if (rc)
            assert_true(strlen(err) > 0);
        sd_xresult_clear(&res);
    }
    sd_xquery_t q = {.text = "AND (", .limit = 5};
    sd_xresult_t res;
    assert_int_equal(sd_xreader_search(r, &q, &res, err, sizeof err), SD_EINVAL);
    assert_non_null(strstr(err, "Syntax"));
    sd_xresult_clear(&res);
    sd_xreader_close(&r);
}

/* Pages: limit and offset walk the hits once each, best first then newest. */
static void test_paging(void **state)
{
    (void)state;
    sd_xreader_t *r;
    char err[256] = "";
    assert_int_equal(sd_xreader_open(s_dir, &r, err, sizeof err), 0);
    sd_xresult_t all, page;
    sd_xquery_t q = {.text = "printer OR 打印", .limit = 100};
    assert_int_equal(sd_xreader_search(r, &q, &all, err, sizeof err), 0);
    assert_true(all.nhits >= 8);
    assert_false(all.more);
    for (unsigned off = 0; off < all.nhits; off += 3) {
        sd_xquery_t p = {.text = q.text, .limit = 3, .offset = off};
        assert_int_equal(sd_xreader_search(r, &p, &page, err, sizeof err), 0);
        for (size_t i = 0; i < page.nhits; i++)
            assert_string_equal(page.hits[i].id, all.hits[off + i].id);
        assert_int_equal(page.more, off + page.nhits < all.nhits);
        sd_xresult_clear(&page);
    }
    sd_xresult_clear(&all);
    /* Time bounds: changed at or after `from`, created before `to`. */
    sd_xquery_t t = {.text = "打印", .limit = 100, .from = 3000};
    assert_int_equal(sd_xreader_search(r, &t, &page, err, sizeof err), 0);
    assert_false(s_has(&page, "T01")); /* updated_at 2000 */
    assert_true(s_has(&page, "A01"));
    sd_xresult_clear(&page);
    t = (sd_xquery_t){.text = "打印", .limit = 100, .to = 600};
    assert_int_equal(sd_xreader_search(r, &t, &page, err, sizeof err), 0);
    assert_false(s_has(&page, "T01")); /* created 1000 */
    assert_true(s_has(&page, "A01"));  /* created 500 */
    sd_xresult_clear(&page);
    sd_xreader_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_recall),     cmocka_unit_test(test_snippets),
        cmocka_unit_test(test_snippet_cjk_words), cmocka_unit_test(test_snippet_escaped),
        cmocka_unit_test(test_parse_error),       cmocka_unit_test(test_paging)};
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
