/* test_op_article.c - the knowledge base end to end and its convergence.
 *
 * Convergence: an article created at HUB, then edited at APAC and at EMEA from the same
 * version 1 (neither has seen the other's edit) and published at AMER: every arrival order of
 * the four events folds to byte-identical articles (node/store/fold.c), both edits are kept as
 * versions 2 and 3, numbered alike at every node, and the later edit is current; two stores
 * that apply the events in opposite orders have the same state digest.
 * End to end (a real node, server_fixture.h): versions and diff, the transitions and their
 * `allowed`, ticket.resolve with an article (solved), link and helpful counts, and what a
 * requester may see: published public articles only, anything else not_found. */
#include "server_fixture.h"

#include "article.h"
#include "digest.h"
#include "event.h"
#include "fold.h"
#include "hlc.h"
#include "record.h"
#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1700000000000ull
#define N  4 /* events of the scenario */

/* A version event: title and body written at (ms, origin, seq) from base. */
static void s_version(sd_event_t *ev, const char *title, const char *body, uint64_t base,
                      uint64_t ms, const char *origin, uint64_t seq)
{
    assert_int_equal(sd_event_start(ev, &sd_kind_article, SD_KBOP_VERSION), 0);
    snprintf(ev->origin, sizeof ev->origin, "%s", origin);
    snprintf(ev->key, sizeof ev->key, "HUB-KB-000001");
    snprintf(ev->author, sizeof ev->author, "%s.editor", origin);
    ev->seq = seq;
    ev->hlc = ms << 16;
    sd_article_version_t *v = sd_event_article_version(ev);
    v->title = strdup(title);
    v->body = strdup(body);
    v->language = strdup("zh-CN");
    v->audience = SD_AUDIENCE_PUBLIC;
    v->base_version = base;
}

static void s_scenario(sd_event_t *ev)
{
    s_version(&ev[0], "VPN", "1. open\n2. reset\n", 0, T0, "HUB", 1);
    s_version(&ev[1], "VPN (APAC)", "1. open\n2. reset\n3. APAC step\n", 1, T0 + 1000, "APAC", 1);
    s_version(&ev[2], "VPN (EMEA)", "1. open the portal\n2. reset\n", 1, T0 + 1500, "EMEA", 1);
    assert_int_equal(sd_event_start(&ev[3], &sd_kind_article, SD_KBOP_PUBLISH), 0);
    snprintf(ev[3].origin, sizeof ev[3].origin, "AMER");
    snprintf(ev[3].key, sizeof ev[3].key, "HUB-KB-000001");
    snprintf(ev[3].author, sizeof ev[3].author, "amer.manager");
    ev[3].seq = 1;
    ev[3].hlc = (T0 + 1200) << 16;
    ev[3].mask = sd_kind_register_mask(&sd_kind_article, SD_KBREG_STATE);
    sd_event_article(&ev[3])->state = SD_ASTATE_PUBLISHED;
}

/* Folds events in the order idx into a new article; returns its stored bytes (heap). */
static char *s_fold(sd_event_t *events, const int *idx, size_t *len, sd_article_t **out)
{
    sd_article_t *a = sd_record_new(&sd_kind_article);
    for (int i = 0; i < N; i++)
        assert_int_equal(sd_fold_apply(a, &events[idx[i]]), 0);
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_record_encode(&sd_kind_article, a, true, w);
    const void *data = sd_mp_writer_data(w, len);
    char *copy = malloc(*len);
    memcpy(copy, data, *len);
    sd_mp_writer_destroy(&w);
    if (out)
        *out = a;
    else
        sd_record_destroy(&sd_kind_article, (void **)&a);
    return copy;
}

typedef struct {
    sd_event_t *events;  /* the scenario */
    char *first;         /* the bytes of the first order's article */
    size_t first_len;    /* their length */
    sd_article_t *final; /* the first order's article */
} s_orders_t;

/* One order: its article's bytes equal the first order's. */
static void s_order(const int *idx, int n, void *arg)
{
    s_orders_t *o = arg;
    size_t len;
    assert_int_equal(n, N);
    char *bytes = s_fold(o->events, idx, &len, o->first ? NULL : &o->final);
    if (!o->first) {
        o->first = bytes, o->first_len = len;
        return;
    }
    assert_int_equal(len, o->first_len);
    assert_memory_equal(bytes, o->first, len);
    free(bytes);
}

static void test_concurrent_edits_converge(void **state)
{
    (void)state;
    sd_event_t ev[N] = {0};
    s_scenario(ev);
    s_orders_t o = {.events = ev};
    assert_int_equal(sd_test_each_order(N, s_order, &o), 24);
    sd_article_t *a = o.final;
    free(o.first);
    /* Both edits of version 1 are kept, numbered by (hlc, origin, seq); the later is current. */
    assert_int_equal(sd_article_version_no(a), 3);
    assert_string_equal(sd_article_version(a, 2)->title, "VPN (APAC)");
    assert_string_equal(sd_article_version(a, 3)->title, "VPN (EMEA)");
    assert_int_equal(sd_article_version(a, 2)->base_version, 1);
    assert_int_equal(sd_article_version(a, 3)->base_version, 1);
    assert_string_equal(a->title, "VPN (EMEA)");
    assert_string_equal(a->body, "1. open the portal\n2. reset\n");
    assert_string_equal(a->updated_by, "EMEA.editor");
    assert_string_equal(a->author, "HUB.editor");
    assert_string_equal(a->origin_site, "HUB");
    assert_int_equal(a->created_at, T0);
    assert_int_equal(a->state, SD_ASTATE_PUBLISHED);
    assert_true(sd_record_exists(&sd_kind_article, a));
    sd_record_destroy(&sd_kind_article, (void **)&a);
    for (int i = 0; i < N; i++)
        sd_event_clear(&ev[i]);
}

/* Applies the events in the order idx to a fresh store; its digest into hex. */
static void s_store_digest(const int *idx, char hex[SD_DIGEST_BYTES * 2 + 1])
{
    char dir[256];
    sd_store_t *store = NULL;
    sd_store_txn_t *txn = NULL;
    sd_event_t ev[N] = {0};
    s_scenario(ev);
    assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-article-digest"), 0);
    assert_int_equal(sd_store_open(dir, "HUB", &store), 0);
    assert_int_equal(sd_store_begin(store, true, &txn), 0);
    for (int i = 0; i < N; i++)
        assert_int_equal(sd_store_apply(txn, &ev[idx[i]]), 0);
    assert_int_equal(sd_store_digest(txn, hex), 0);
    sd_article_t a = {0};
    assert_int_equal(sd_store_get_record(txn, &sd_kind_article, "HUB-KB-000001", &a), 0);
    assert_string_equal(a.title, "VPN (EMEA)");
    assert_int_equal(a.nversions, 3);
    assert_string_equal(a.versions[1].origin, "APAC");
    sd_record_clear(&sd_kind_article, &a);
    assert_int_equal(sd_store_commit(&txn), 0);
    sd_store_close(&store);
    sd_test_rmtree(dir);
    for (int i = 0; i < N; i++)
        sd_event_clear(&ev[i]);
}

static void test_two_stores_same_digest(void **state)
{
    (void)state;
    const int forward[N] = {0, 1, 2, 3}, backward[N] = {3, 2, 1, 0};
    char a[SD_DIGEST_BYTES * 2 + 1], b[SD_DIGEST_BYTES * 2 + 1];
    s_store_digest(forward, a);
    s_store_digest(backward, b);
    assert_string_equal(a, b);
}

/* ---- end to end -------------------------------------------------------------------------- */

static int setup(void **state)
{
    *state = sd_fx_start((int64_t)T0);
    return *state ? 0 : -1;
}

/* A new article's id into id. */
static void s_new(sd_fx_t *fx, const char *title, const char *audience, char *id)
{
    const sd_reply_t *r = sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_NEW, "title", title, "body",
                                   "line 1\nline 2\n", "audience", audience, NULL);
    sd_fx_copy(fx, r->result, "id", id, SD_ID_MAX + 1);
}

static void test_versions_and_transitions(void **state)
{
    sd_fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    s_new(fx, "Printer jam", "internal", id);
    assert_string_equal(id, "LOCAL-KB-000001");
    const sd_reply_t *r = sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_GET, "id", id, NULL);
    assert_string_equal(sd_fx_str(fx, r->result, "state"), "draft");
    assert_int_equal(sd_fx_u64(r->result, "version"), 1);
    sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_UPDATE, "id", id, "body", "line 1\nline 2 changed\n",
             "base_version", "1", NULL);
    sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_UPDATE, "id", id, "title", "Printer jam (HP)", NULL);
    r = sd_fx_call(fx, NULL, SD_REQ_ARTICLE_UPDATE, "id", id, "title", "x", "base_version", "9",
                   NULL);
    assert_int_equal(r->code, SD_ERANGE);
    r = sd_fx_call(fx, NULL, SD_REQ_ARTICLE_UPDATE, "id", id, "base_version", "1", NULL);
    assert_int_equal(r->code, SD_EMISSING);
    r = sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_GET, "id", id, NULL);
    assert_int_equal(sd_fx_u64(r->result, "version"), 3);
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "versions")), 3);
    assert_string_equal(sd_fx_str(fx, r->result, "body"), "line 1\nline 2 changed\n");
    r = sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_VERSION, "id", id, "version", "1", NULL);
    assert_string_equal(sd_fx_str(fx, r->result, "body"), "line 1\nline 2\n");
    r = sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_DIFF, "id", id, "from", "1", "to", "3", NULL);
    assert_string_equal(sd_fx_str(fx, r->result, "diff"),
                        "--- LOCAL-KB-000001 version 1\n+++ LOCAL-KB-000001 version 3\n"
                        "@@ -1,2 +1,2 @@\n line 1\n-line 2\n+line 2 changed\n");
    r = sd_fx_call(fx, NULL, SD_REQ_ARTICLE_VERSION, "id", id, "version", "4", NULL);
    assert_int_equal(r->code, SD_ENOTFOUND);
    /* draft -> published -> retired -> published; the refused moves say what is allowed. */
    r = sd_fx_call(fx, NULL, SD_REQ_ARTICLE_RETIRE, "id", id, NULL);
    assert_int_equal(r->code, SD_ETRANSITION);
    assert_true(r->has_allowed);
    assert_string_equal(r->allowed, "update, publish, link, helpful");
    sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_PUBLISH, "id", id, NULL);
    r = sd_fx_call(fx, NULL, SD_REQ_ARTICLE_PUBLISH, "id", id, NULL);
    assert_int_equal(r->code, SD_ETRANSITION);
    assert_string_equal(r->allowed, "update, retire, link, helpful");
    sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_RETIRE, "id", id, NULL);
    r = sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_PUBLISH, "id", id, NULL);
    assert_string_equal(sd_fx_str(fx, r->result, "state"), "published");
    r = sd_fx_call(fx, NULL, SD_REQ_ARTICLE_GET, "id", "LOCAL-KB-000099", NULL);
    assert_int_equal(r->code, SD_ENOTFOUND);
}

static void test_solved_linked_helpful(void **state)
{
    sd_fx_t *fx = *state;
    char id[SD_ID_MAX + 1], agent[SD_TOKEN_MAX + 1], t1[SD_ID_MAX + 1], t2[SD_ID_MAX + 1];
    s_new(fx, "VPN 密码重置", "public", id);
    sd_fx_user(fx, "li", "agent", agent);
    const sd_reply_t *r = sd_fx_ok(fx, NULL, SD_REQ_TICKET_NEW, "title", "VPN", NULL);
    sd_fx_copy(fx, r->result, "id", t1, sizeof t1);
    r = sd_fx_ok(fx, NULL, SD_REQ_TICKET_NEW, "title", "VPN again", NULL);
    sd_fx_copy(fx, r->result, "id", t2, sizeof t2);
    sd_fx_ok(fx, NULL, SD_REQ_TICKET_ACK, "id", t1, NULL);
    sd_fx_ok(fx, NULL, SD_REQ_TICKET_ASSIGN, "id", t1, "assignee", "li", NULL);
    r = sd_fx_call(fx, agent, SD_REQ_TICKET_RESOLVE, "id", t1, "resolution", "reset", "article",
                   "LOCAL-KB-000404", NULL);
    assert_int_equal(r->code, SD_ENOTFOUND);
    r = sd_fx_ok(fx, agent, SD_REQ_TICKET_RESOLVE, "id", t1, "resolution", "reset", "article", id,
                 NULL);
    assert_string_equal(sd_fx_str(fx, r->result, "article"), id);
    r = sd_fx_call(fx, agent, SD_REQ_ARTICLE_LINK, "id", id, "ticket", "LOCAL-000404", NULL);
    assert_int_equal(r->code, SD_ENOTFOUND);
    sd_fx_ok(fx, agent, SD_REQ_ARTICLE_LINK, "id", id, "ticket", t2, NULL);
    sd_fx_ok(fx, agent, SD_REQ_ARTICLE_LINK, "id", id, "ticket", t1, NULL);
    sd_fx_ok(fx, agent, SD_REQ_ARTICLE_HELPFUL, "id", id, NULL);
    r = sd_fx_ok(fx, agent, SD_REQ_ARTICLE_GET, "id", id, NULL);
    assert_int_equal(sd_fx_u64(r->result, "solved"), 1);
    assert_int_equal(sd_fx_u64(r->result, "helpful"), 1);
    const sd_mp_node_t *tickets = sd_mp_get(r->result, "tickets");
    assert_int_equal(sd_mp_len(tickets), 2); /* t1 linked and solved: once */
    /* Reopened, it no longer counts as solved by the article. */
    sd_fx_ok(fx, agent, SD_REQ_TICKET_REOPEN, "id", t1, "reason", "back again", NULL);
    r = sd_fx_ok(fx, agent, SD_REQ_ARTICLE_GET, "id", id, NULL);
    assert_int_equal(sd_fx_u64(r->result, "solved"), 0);
}

static void test_requester_sees_published_public_only(void **state)
{
    sd_fx_t *fx = *state;
    char draft[SD_ID_MAX + 1], internal[SD_ID_MAX + 1], pub[SD_ID_MAX + 1];
    char rq[SD_TOKEN_MAX + 1];
    s_new(fx, "Draft", "public", draft);
    s_new(fx, "Internal runbook", "internal", internal);
    s_new(fx, "Reset your password", "public", pub);
    sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_PUBLISH, "id", internal, NULL);
    sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_PUBLISH, "id", pub, NULL);
    sd_fx_user(fx, "wang", "requester", rq);
    const char *hidden[] = {draft, internal, "LOCAL-KB-000404"};
    for (int i = 0; i < 3; i++) {
        /* Not found, exactly as an id that does not exist: existence does not leak. */
        const sd_reply_t *r = sd_fx_call(fx, rq, SD_REQ_ARTICLE_GET, "id", hidden[i], NULL);
        assert_int_equal(r->code, SD_ENOTFOUND);
        char want[96];
        snprintf(want, sizeof want, "article %s does not exist", hidden[i]);
        assert_string_equal(r->message, want);
        r = sd_fx_call(fx, rq, SD_REQ_ARTICLE_VERSION, "id", hidden[i], "version", "1", NULL);
        assert_int_equal(r->code, SD_ENOTFOUND);
        r = sd_fx_call(fx, rq, SD_REQ_ARTICLE_HELPFUL, "id", hidden[i], NULL);
        assert_int_equal(r->code, SD_ENOTFOUND);
    }
    /* An earlier internal text of a public article is not the requester's to read. */
    sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_UPDATE, "id", pub, "body", "desk only: admin password is x",
             "audience", "internal", NULL);
    sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_UPDATE, "id", pub, "body", "Use the portal.", "audience",
             "public", NULL);
    const sd_reply_t *r = sd_fx_ok(fx, rq, SD_REQ_ARTICLE_GET, "id", pub, NULL);
    assert_string_equal(sd_fx_str(fx, r->result, "title"), "Reset your password");
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "tickets")), 0);
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "versions")), 2); /* 1 and 3 */
    assert_int_equal(
        sd_fx_call(fx, rq, SD_REQ_ARTICLE_VERSION, "id", pub, "version", "2", NULL)->code,
        SD_ENOTFOUND);
    assert_int_equal(sd_fx_call(fx, rq, SD_REQ_ARTICLE_DIFF, "id", pub, NULL)->code, SD_ENOTFOUND);
    sd_fx_ok(fx, rq, SD_REQ_ARTICLE_DIFF, "id", pub, "from", "1", "to", "3", NULL);
    sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_VERSION, "id", pub, "version", "2", NULL);
    r = sd_fx_ok(fx, rq, SD_REQ_ARTICLE_LIST, NULL);
    const sd_mp_node_t *items = sd_mp_get(r->result, "articles");
    assert_int_equal(sd_mp_len(items), 1);
    assert_string_equal(sd_fx_str(fx, sd_mp_at(items, 0), "id"), pub);
    sd_fx_ok(fx, rq, SD_REQ_ARTICLE_HELPFUL, "id", pub, NULL);
    r = sd_fx_ok(fx, NULL, SD_REQ_ARTICLE_GET, "id", pub, NULL);
    assert_int_equal(sd_fx_u64(r->result, "helpful"), 1);
    /* Writing is the desk's. */
    r = sd_fx_call(fx, rq, SD_REQ_ARTICLE_NEW, "title", "mine", NULL);
    assert_int_equal(r->code, SD_EFORBIDDEN);
    r = sd_fx_call(fx, rq, SD_REQ_ARTICLE_UPDATE, "id", pub, "title", "mine", NULL);
    assert_int_equal(r->code, SD_EFORBIDDEN);
    r = sd_fx_call(fx, rq, SD_REQ_ARTICLE_RETIRE, "id", pub, NULL);
    assert_int_equal(r->code, SD_EFORBIDDEN);
    /* The agent sees everything. */
    char agent[SD_TOKEN_MAX + 1];
    sd_fx_user(fx, "zhao", "agent", agent);
    r = sd_fx_ok(fx, agent, SD_REQ_ARTICLE_LIST, NULL);
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "articles")), 3);
    r = sd_fx_ok(fx, agent, SD_REQ_ARTICLE_LIST, "state", "draft", NULL);
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "articles")), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_edits_converge),
        cmocka_unit_test(test_two_stores_same_digest),
        cmocka_unit_test_setup_teardown(test_versions_and_transitions, setup, sd_fx_teardown),
        cmocka_unit_test_setup_teardown(test_solved_linked_helpful, setup, sd_fx_teardown),
        cmocka_unit_test_setup_teardown(test_requester_sees_published_public_only, setup,
                                        sd_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
