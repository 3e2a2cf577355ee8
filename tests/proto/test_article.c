/* test_article.c - the article kind (proto/article.h): a version event's wire form and its
 * refusals, the stored record's round trip with every version, the client view (versions as
 * summaries, a never-published article shown as draft, the counts only when counted), and a
 * corrupt stored version refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "article.h"
#include "error.h"
#include "event.h"
#include "hlc.h"
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1700000000000ull

/* A version event of HUB-KB-000001 at (ms, origin, seq). */
static void s_version(sd_event_t *ev, const char *title, const char *body, uint64_t ms,
                      const char *origin, uint64_t seq)
{
    assert_int_equal(sd_event_start(ev, &sd_kind_article, SD_KBOP_VERSION), 0);
    snprintf(ev->origin, sizeof ev->origin, "%s", origin);
    snprintf(ev->key, sizeof ev->key, "HUB-KB-000001");
    snprintf(ev->author, sizeof ev->author, "li");
    ev->seq = seq;
    ev->hlc = ms << 16;
    sd_article_version_t *v = sd_event_article_version(ev);
    v->title = strdup(title);
    v->body = strdup(body);
    v->keywords = strdup("VPN,密码");
    v->audience = SD_AUDIENCE_PUBLIC;
    v->base_version = seq - 1;
}

/* ev encoded, then decoded into out: returns the decoder's result. */
static int s_roundtrip(const sd_event_t *ev, sd_event_t *out)
{
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_event_encode(ev, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_fault_t fault = {0};
    int rc = sd_event_decode(data, len, out, &fault);
    sd_mp_writer_destroy(&w);
    return rc;
}

static void test_version_event_wire(void **state)
{
    (void)state;
    sd_event_t ev = {0}, back = {0};
    s_version(&ev, "VPN 密码重置", "# Steps\n1. open\n", T0, "HUB", 1);
    assert_int_equal(s_roundtrip(&ev, &back), 0);
    assert_int_equal(back.op, SD_KBOP_VERSION);
    const sd_article_version_t *v = sd_event_article_version(&back);
    assert_string_equal(v->title, "VPN 密码重置");
    assert_string_equal(v->body, "# Steps\n1. open\n");
    assert_string_equal(v->keywords, "VPN,密码");
    assert_int_equal(v->audience, SD_AUDIENCE_PUBLIC);
    sd_event_clear(&back);
    /* A version without a title (nil), or with a multi-line title, is refused. */
    free(sd_event_article_version(&ev)->title);
    sd_event_article_version(&ev)->title = NULL;
    assert_int_equal(s_roundtrip(&ev, &back), SD_ETYPE);
    sd_event_article_version(&ev)->title = strdup("two\nlines");
    assert_int_equal(s_roundtrip(&ev, &back), SD_EUTF8);
    sd_event_clear(&ev);
}

/* A record of three versions (two from one base), published. */
static sd_article_t *s_article(void)
{
    sd_article_t *a = sd_record_new(&sd_kind_article);
    sd_event_t ev[3] = {0};
    s_version(&ev[0], "VPN", "one\n", T0, "HUB", 1);
    s_version(&ev[1], "VPN 2", "two\n", T0 + 10, "HUB", 2);
    s_version(&ev[2], "VPN 3", "three\n", T0 + 5, "APAC", 1);
    for (int i = 0; i < 3; i++) {
        /* What node/store/fold.c does with the set op: the item, then what derives from it. */
        assert_int_equal(sd_kind_article.fold_item(a, &ev[i]), 0);
        sd_kind_article.after_fold(a);
        sd_event_clear(&ev[i]);
    }
    return a;
}

static void test_stored_roundtrip(void **state)
{
    (void)state;
    sd_article_t *a = s_article();
    assert_int_equal(a->nversions, 3);
    assert_string_equal(a->title, "VPN 2"); /* the latest hlc, though it came second */
    assert_string_equal(sd_article_version(a, 2)->title, "VPN 3");
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_record_encode(&sd_kind_article, a, true, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_mp_doc_t *doc = NULL;
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    sd_article_t *b = sd_record_new(&sd_kind_article);
    assert_int_equal(sd_record_decode(&sd_kind_article, sd_mp_doc_root(doc), b, NULL), 0);
    assert_int_equal(b->nversions, 3);
    for (uint64_t n = 1; n <= 3; n++) {
        const sd_article_version_t *x = sd_article_version(a, n), *y = sd_article_version(b, n);
        assert_string_equal(x->title, y->title);
        assert_string_equal(x->body, y->body);
        assert_string_equal(x->origin, y->origin);
        assert_int_equal(x->hlc, y->hlc);
        assert_int_equal(x->base_version, y->base_version);
    }
    assert_string_equal(b->body, "two\n");
    assert_true(sd_record_exists(&sd_kind_article, b));
    /* Encoding the decoded record gives the same bytes. */
    sd_mp_writer_t *w2 = sd_mp_writer_new();
    sd_record_encode(&sd_kind_article, b, true, w2);
    size_t len2;
    const void *data2 = sd_mp_writer_data(w2, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(data, data2, len);
    sd_mp_writer_destroy(&w2);
    sd_mp_doc_destroy(&doc);
    sd_mp_writer_destroy(&w);
    sd_record_destroy(&sd_kind_article, (void **)&b);
    sd_record_destroy(&sd_kind_article, (void **)&a);
}

static void test_client_view(void **state)
{
    (void)state;
    sd_article_t *a = s_article();
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_record_encode(&sd_kind_article, a, false, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_mp_doc_t *doc = NULL;
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    const sd_mp_node_t *root = sd_mp_doc_root(doc), *v = sd_mp_get(root, "versions");
    assert_true(sd_mp_str_eq(sd_mp_get(root, "state"), "draft"));
    assert_int_equal(sd_mp_len(v), 3);
    assert_null(sd_mp_get(sd_mp_at(v, 0), "body")); /* summaries: version, at, by, title */
    assert_true(sd_mp_str_eq(sd_mp_get(sd_mp_at(v, 1), "title"), "VPN 3"));
    uint64_t at = 0;
    assert_int_equal(sd_mp_uint(sd_mp_get(sd_mp_at(v, 1), "at"), &at), 0);
    assert_int_equal(at, T0 + 5);
    assert_null(sd_mp_get(root, "solved"));
    sd_mp_doc_destroy(&doc);
    /* Counted by a reader: solved, helpful and tickets join the view. */
    a->counted = true, a->solved = 2, a->helpful = 5, a->tickets = strdup("HUB-000001,HUB-000007");
    sd_mp_writer_reset(w);
    sd_record_encode(&sd_kind_article, a, false, w);
    data = sd_mp_writer_data(w, &len);
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    root = sd_mp_doc_root(doc);
    const sd_mp_node_t *tickets = sd_mp_get(root, "tickets");
    assert_int_equal(sd_mp_len(tickets), 2);
    assert_true(sd_mp_str_eq(sd_mp_at(tickets, 1), "HUB-000007"));
    uint64_t helpful = 0;
    assert_int_equal(sd_mp_uint(sd_mp_get(root, "helpful"), &helpful), 0);
    assert_int_equal(helpful, 5);
    sd_mp_doc_destroy(&doc);
    sd_mp_writer_destroy(&w);
    sd_record_destroy(&sd_kind_article, (void **)&a);
}

static void test_corrupt_version_refused(void **state)
{
    (void)state;
    /* A stored record whose version lacks its hlc. */
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_mp_map(w, 2);
    sd_mp_str(w, "id"), sd_mp_str(w, "HUB-KB-000001");
    sd_mp_str(w, "versions");
    sd_mp_array(w, 1);
    sd_mp_map(w, 2);
    sd_mp_str(w, "title"), sd_mp_str(w, "x");
    sd_mp_str(w, "author"), sd_mp_str(w, "li");
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_mp_doc_t *doc = NULL;
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    sd_article_t *a = sd_record_new(&sd_kind_article);
    assert_int_equal(sd_record_decode(&sd_kind_article, sd_mp_doc_root(doc), a, NULL), SD_ECORRUPT);
    sd_record_destroy(&sd_kind_article, (void **)&a);
    sd_mp_doc_destroy(&doc);
    sd_mp_writer_destroy(&w);
}

static void test_helpful_counts_per_event(void **state)
{
    (void)state;
    sd_event_t ev = {0};
    assert_int_equal(sd_event_start(&ev, &sd_kind_article, SD_KBOP_HELPFUL), 0);
    snprintf(ev.key, sizeof ev.key, "HUB-KB-000001");
    sd_index_keys_t keys = {0};
    assert_int_equal(sd_kind_article.index_event(&ev, &keys), 0);
    size_t pos = 0, len, n = 0;
    int type;
    const uint8_t *bytes;
    while (sd_index_next(&keys, &pos, &type, &bytes, &len)) {
        assert_int_equal(type, SD_INDEX_COUNTER);
        n++;
    }
    assert_int_equal(n, 2); /* helpful.HUB-KB-000001 and deflections */
    assert_true(sd_index_has(&keys, SD_INDEX_COUNTER, (const uint8_t *)"deflections", 12));
    sd_event_clear(&ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_event_wire),
        cmocka_unit_test(test_stored_roundtrip),
        cmocka_unit_test(test_client_view),
        cmocka_unit_test(test_corrupt_version_refused),
        cmocka_unit_test(test_helpful_counts_per_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
