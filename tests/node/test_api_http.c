/* test_api_http.c - the node's side of what the HTTP API needs: record versions as a get shows
 * the record (dispatch.h), the idempotency table (store.h), the list filters site and team and
 * ticket.counts (op_ticket.h), ending a login session (sessions.h). */
#include "store_fixture.h"

#include "digest.h"
#include "op_ticket.h"
#include "permission.h"
#include "sessions.h"

/* The version a client computes from the result of reply w (sd_mp_node_version). */
static void s_client_version(sd_mp_writer_t *w, char hex[SD_VERSION_HEX + 1])
{
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_reply_t reply;
    assert_int_equal(sd_reply_decode(data, len, &reply), 0);
    assert_true(reply.ok);
    assert_int_equal(sd_mp_node_version(reply.result, hex), 0);
    sd_reply_clear(&reply);
}

static void test_version_is_the_get_view(void **state)
{
    fx_t *fx = *state;
    char id[SD_ID_MAX + 1], agent[SD_VERSION_HEX + 1], own[SD_VERSION_HEX + 1];
    char seen[SD_VERSION_HEX + 1], before[SD_VERSION_HEX + 1];
    sd_store_txn_t *txn = NULL;
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_ticket_t t = {0};
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    s_new(fx, txn, id, "bob", "2", "2");
    assert_int_equal(sd_store_get_ticket(txn, id, &t), 0);
    assert_int_equal(sd_api_record_version(&sd_kind_ticket, &t, SD_SCOPE_ANY, before), 0);
    sd_ticket_clear(&t);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_COMMENT, id, "body", "internal",
                          "public", "false", NULL),
                     0);
    assert_int_equal(sd_store_get_ticket(txn, id, &t), 0);
    /* The node's version of each view is the client's version of that view's reply. */
    assert_int_equal(sd_api_record_version(&sd_kind_ticket, &t, SD_SCOPE_ANY, agent), 0);
    sd_api_ticket_reply(w, 1, &t, SD_SCOPE_ANY);
    s_client_version(w, seen);
    assert_string_equal(agent, seen);
    assert_int_equal(sd_api_record_version(&sd_kind_ticket, &t, SD_SCOPE_OWN, own), 0);
    sd_api_ticket_reply(w, 2, &t, SD_SCOPE_OWN);
    s_client_version(w, seen);
    assert_string_equal(own, seen);
    /* The internal note is in the agent's view only. */
    assert_string_not_equal(agent, own);
    assert_string_not_equal(agent, before);
    assert_string_equal(own, before);
    /* if_match against what the caller sees. */
    sd_fault_t fault = {0};
    assert_int_equal(sd_api_check_version(&sd_kind_ticket, &t, SD_SCOPE_OWN, id, own, &fault), 0);
    assert_int_equal(sd_api_check_version(&sd_kind_ticket, &t, SD_SCOPE_ANY, id, NULL, &fault), 0);
    assert_int_equal(sd_api_check_version(&sd_kind_ticket, &t, SD_SCOPE_ANY, id, own, &fault),
                     SD_EPRECONDITION);
    char want[200];
    snprintf(want, sizeof want, "record %s changed since version %s; get it again", id, own);
    assert_string_equal(fault.text, want);
    sd_ticket_clear(&t);
    sd_store_abort(&txn);
    sd_mp_writer_destroy(&w);
}

static void test_idempotency_table(void **state)
{
    fx_t *fx = *state;
    char before[SD_DIGEST_BYTES * 2 + 1], after[SD_DIGEST_BYTES * 2 + 1];
    sd_store_idem_t made = {"ticket", "HQ-000001", "ticket.new"}, got;
    sd_store_txn_t *txn = NULL;
    s_digest(fx->store, before);
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    assert_int_equal(sd_store_get_idempotency(txn, "ann", "k1", &got), SD_ENOTFOUND);
    assert_int_equal(sd_store_put_idempotency(txn, "ann", "k1", &made), 0);
    assert_int_equal(sd_store_commit(&txn), 0);
    /* Kept across a reopen, per caller, and not in the digest (it is this node's own). */
    sd_store_close(&fx->store);
    assert_int_equal(sd_store_open(fx->dir, "HQ", &fx->store), 0);
    s_digest(fx->store, after);
    assert_string_equal(before, after);
    assert_int_equal(sd_store_begin(fx->store, false, &txn), 0);
    assert_int_equal(sd_store_get_idempotency(txn, "ann", "k1", &got), 0);
    assert_string_equal(got.kind, "ticket");
    assert_string_equal(got.id, "HQ-000001");
    assert_string_equal(got.op, "ticket.new");
    assert_int_equal(sd_store_get_idempotency(txn, "bob", "k1", &got), SD_ENOTFOUND);
    assert_int_equal(sd_store_get_idempotency(txn, "ann", "k2", &got), SD_ENOTFOUND);
    sd_store_abort(&txn);
}

/* The ids of a list, in order. */
typedef struct {
    char ids[8][SD_ID_MAX + 1];
    int n;
} s_ids_t;

static int s_collect(const sd_ticket_t *t, void *arg)
{
    s_ids_t *ids = arg;
    if (ids->n < 8)
        snprintf(ids->ids[ids->n++], sizeof ids->ids[0], "%s", t->id);
    return 0;
}

static void test_filters_and_counts(void **state)
{
    fx_t *fx = *state;
    char a[SD_ID_MAX + 1], b[SD_ID_MAX + 1], c[SD_ID_MAX + 1];
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(fx->store, true, &txn), 0);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_NEW, a, "title", "Switch", "team",
                          "net", "impact", "1", "urgency", "1", NULL),
                     0);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_NEW, b, "title", "Laptop", "team",
                          "desktop", NULL),
                     0);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_HANDOVER, b, "site", "EMEA", NULL),
                     0);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_NEW, c, "title", "Old", NULL), 0);
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_CANCEL, c, "reason", "dup", NULL), 0);
    sd_store_filter_t f = {.status = -1, .priority = -1, .sla = -1, .limit = 100, .site = "EMEA"};
    s_ids_t ids = {.n = 0};
    bool more;
    assert_int_equal(sd_store_list(txn, &f, s_collect, &ids, &more), 0);
    assert_int_equal(ids.n, 1);
    assert_string_equal(ids.ids[0], b);
    f.site = NULL, f.team = "net", ids.n = 0;
    assert_int_equal(sd_store_list(txn, &f, s_collect, &ids, &more), 0);
    assert_int_equal(ids.n, 1);
    assert_string_equal(ids.ids[0], a);
    f.site = "EMEA", ids.n = 0;
    assert_int_equal(sd_store_list(txn, &f, s_collect, &ids, &more), 0);
    assert_int_equal(ids.n, 0);

    /* ticket.counts, read as a client would. */
    sd_principal_t who = {.superuser = true};
    snprintf(who.login, sizeof who.login, "root@HQ");
    sd_api_ctx_t ctx = {.txn = txn, .who = &who, .scope = SD_SCOPE_ANY};
    sd_request_t req = {.op = SD_REQ_TICKET_COUNTS, .id = 3};
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_fault_t fault = {0};
    assert_int_equal(sd_api_ticket_counts(&ctx, &req, w, &fault), 0);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_reply_t reply;
    assert_int_equal(sd_reply_decode(data, len, &reply), 0);
    const sd_mp_node_t *r = reply.result, *n;
    uint64_t v;
    bool open = false;
    assert_int_equal(sd_mp_boolean(sd_mp_get(r, "open"), &open), 0);
    assert_true(open);
    assert_int_equal(sd_mp_uint(sd_mp_get(r, "tickets"), &v), 0);
    assert_int_equal(v, 2);
    n = sd_mp_get(r, "by_site");
    assert_int_equal(sd_mp_len(n), 2);
    assert_int_equal(sd_mp_uint(sd_mp_get(n, "HQ"), &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(sd_mp_uint(sd_mp_get(n, "EMEA"), &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(sd_mp_uint(sd_mp_get(sd_mp_get(r, "by_priority"), "P1"), &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(sd_mp_uint(sd_mp_get(sd_mp_get(r, "by_sla"), "ok"), &v), 0);
    assert_int_equal(v, 2);
    assert_int_equal(sd_mp_uint(sd_mp_get(sd_mp_get(r, "by_status"), "cancelled"), &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(sd_mp_len(sd_mp_get(r, "by_status")), SD_STATUS_COUNT_);
    sd_reply_clear(&reply);

    /* open: false counts every ticket. */
    req.args.ticket.open = false;
    req.present = SD_ARG(TICKET, OPEN);
    sd_mp_writer_reset(w);
    assert_int_equal(sd_api_ticket_counts(&ctx, &req, w, &fault), 0);
    data = sd_mp_writer_data(w, &len);
    assert_int_equal(sd_reply_decode(data, len, &reply), 0);
    assert_int_equal(sd_mp_uint(sd_mp_get(reply.result, "tickets"), &v), 0);
    assert_int_equal(v, 3);
    sd_reply_clear(&reply);
    sd_mp_writer_destroy(&w);
    sd_store_abort(&txn);
}

static void test_session_end(void **state)
{
    (void)state;
    sd_sessions_t *s = sd_sessions_new();
    char tok[SD_SESSION_TOKEN_LEN + 1], other[SD_SESSION_TOKEN_LEN + 1];
    sd_sessions_start(s, "ann", 1000, tok);
    sd_sessions_start(s, "ann", 1000, other);
    assert_true(sd_sessions_end(s, tok));
    assert_null(sd_sessions_find(s, tok, 2000));
    assert_false(sd_sessions_end(s, tok));
    /* Another session of the same user goes on. */
    assert_string_equal(sd_sessions_find(s, other, 2000), "ann");
    assert_false(sd_sessions_end(s, "sds_nonsense"));
    sd_sessions_destroy(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_version_is_the_get_view, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idempotency_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters_and_counts, setup, teardown),
        cmocka_unit_test(test_session_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
