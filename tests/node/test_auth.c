/* test_auth.c - who asks and what they may do: the peer credentials, the permission table as the
 * node applies it (scopes, site limits, the extra rules), sessions and the password guard. */
#include "asset.h"
#include "authz.h"
#include "error.h"
#include "node_test.h"
#include "password.h"
#include "peer.h"
#include "record.h"
#include "sessions.h"
#include "team.h"
#include "ticket.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void test_peer(void **state)
{
    (void)state;
    sd_client_peer_t p;
    sd_client_peer_parse("localhost:1001:1002:4242", true, &p);
    assert_true(p.local);
    assert_int_equal(p.uid, 1001);
    assert_int_equal(p.gid, 1002);
    assert_int_equal(p.pid, 4242);
    sd_client_peer_parse(":0:0:1", true, &p);
    assert_true(p.local);
    assert_int_equal(p.uid, 0);
    /* tcp: an address proves nothing, whatever it looks like */
    sd_client_peer_parse("127.0.0.1:0:0:1", false, &p);
    assert_false(p.local);
    sd_client_peer_parse("localhost", true, &p);
    assert_false(p.local);
    sd_client_peer_parse("x:1:2", true, &p);
    assert_false(p.local);
    sd_client_peer_parse("x:a:2:3", true, &p);
    assert_false(p.local);
    sd_client_peer_parse(NULL, true, &p);
    assert_false(p.local);
}

/* A principal with the given roles (each optionally limited to sites), active or not. */
static void s_who(sd_principal_t *p, const char *login, bool active, const char *roles[4],
                  const char *sites[4])
{
    memset(p, 0, sizeof *p);
    snprintf(p->login, sizeof p->login, "%s", login);
    snprintf(p->user.id, sizeof p->user.id, "%s", login);
    p->has_user = true;
    p->user.granted[SD_USER_ACTIVE] = 1;
    p->user.revoked[SD_USER_ACTIVE] = active ? 0 : 1;
    for (int r = 0; r < SD_ROLE_COUNT_; r++) {
        if (roles && roles[r])
            p->user.granted[r] = 1;
        if (sites && sites[r])
            p->user.sites[r] = strdup(sites[r]);
    }
}

static void s_ticket(sd_ticket_t *t, const char *id, const char *site, const char *requester,
                     const char *assignee)
{
    memset(t, 0, sizeof *t);
    snprintf(t->id, sizeof t->id, "%s", id);
    t->origin_site = strdup(site);
    t->owner_site = strdup(site);
    t->requester = strdup(requester);
    t->assignee = assignee ? strdup(assignee) : NULL;
}

/* 0, or the error of checking op (and the rules) for who on cur with req's arguments. */
static int s_may(const sd_principal_t *who, sd_request_t *req, const void *cur, int *scope,
                 char *why)
{
    sd_fault_t f = {0};
    sd_authz_subject_t s = sd_authz_subject(who, req, cur, "APAC");
    int sc = 0;
    int rc = sd_authz_check(who, sd_req_op_name(req->op), &s, &sc, &f)
                 ?: sd_authz_rules(who, req, cur, "APAC", sc, &f);
    if (scope)
        *scope = sc;
    if (why)
        snprintf(why, 200, "%s", f.text);
    return rc;
}

/* An asset's site is where it is: an agent of APAC moves an APAC asset away, not an EMEA one
 * in; every agent reads every asset; vendors, of no site, are the managers'. */
static void test_asset_sites(void **state)
{
    (void)state;
    const char *roles[4] = {NULL, "agent"}, *sites[4] = {NULL, "APAC"};
    sd_principal_t li;
    s_who(&li, "li", true, roles, sites);
    sd_asset_t here = {.site = strdup("APAC")}, there = {.site = strdup("EMEA")};
    sd_request_t req = {0};
    sd_test_request(&req, SD_REQ_ASSET_UPDATE, "id", "LT-0042", "owner", "EMEA-C-000002", "site",
                    "EMEA", NULL);
    assert_int_equal(s_may(&li, &req, &here, NULL, NULL), 0);
    assert_int_equal(s_may(&li, &req, &there, NULL, NULL), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_ASSET_GET, "id", "LT-0042", NULL);
    assert_int_equal(s_may(&li, &req, &there, NULL, NULL), 0);
    sd_test_request(&req, SD_REQ_ASSET_NEW, "id", "LT-0043", "kind", "laptop", NULL);
    assert_int_equal(s_may(&li, &req, NULL, NULL, NULL), 0); /* at this node's site, APAC */
    sd_test_request(&req, SD_REQ_ASSET_NEW, "id", "LT-0043", "kind", "laptop", "site", "EMEA",
                    NULL);
    assert_int_equal(s_may(&li, &req, NULL, NULL, NULL), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_VENDOR_NEW, "id", "lenovo", NULL);
    assert_int_equal(s_may(&li, &req, NULL, NULL, NULL), SD_EFORBIDDEN);
    sd_request_clear(&req);
    sd_record_clear(&sd_kind_asset, &here);
    sd_record_clear(&sd_kind_asset, &there);
    sd_principal_clear(&li);
}

static void test_requester(void **state)
{
    (void)state;
    const char *roles[4] = {"requester"};
    sd_principal_t ann;
    s_who(&ann, "ann", true, roles, NULL);
    sd_ticket_t mine, theirs;
    s_ticket(&mine, "APAC-000001", "APAC", "ann", NULL);
    s_ticket(&theirs, "APAC-000002", "APAC", "bob", "li");
    sd_request_t req = {0};
    int scope;
    char why[200];
    assert_int_equal(sd_test_request(&req, SD_REQ_TICKET_GET, "id", "APAC-000001", NULL), 0);
    assert_int_equal(s_may(&ann, &req, &mine, &scope, why), 0);
    assert_int_equal(scope, SD_SCOPE_OWN);
    assert_int_equal(s_may(&ann, &req, &theirs, NULL, why), SD_EFORBIDDEN);
    assert_non_null(strstr(why, "forbidden"));
    /* a ticket that does not exist reads as someone else's: no hint it exists */
    assert_int_equal(s_may(&ann, &req, NULL, NULL, why), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_TICKET_CANCEL, "id", "APAC-000001", "reason", "dup", NULL);
    assert_int_equal(s_may(&ann, &req, &mine, NULL, why), 0);
    assert_int_equal(s_may(&ann, &req, &theirs, NULL, why), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_TICKET_ACK, "id", "APAC-000001", NULL);
    assert_int_equal(s_may(&ann, &req, &mine, NULL, why), SD_EFORBIDDEN);
    assert_non_null(strstr(why, "agent"));
    sd_test_request(&req, SD_REQ_TICKET_NEW, "title", "t", NULL);
    assert_int_equal(s_may(&ann, &req, NULL, NULL, why), 0);
    sd_test_request(&req, SD_REQ_TICKET_NEW, "title", "t", "requester", "ann", NULL);
    assert_int_equal(s_may(&ann, &req, NULL, NULL, why), 0);
    sd_test_request(&req, SD_REQ_TICKET_NEW, "title", "t", "requester", "bob", NULL);
    assert_int_equal(s_may(&ann, &req, NULL, NULL, why), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_TICKET_NEW, "title", "t", "assignee", "li", NULL);
    assert_int_equal(s_may(&ann, &req, NULL, NULL, why), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_TICKET_LIST, NULL);
    assert_int_equal(s_may(&ann, &req, NULL, &scope, why), 0);
    assert_int_equal(scope, SD_SCOPE_OWN);
    sd_test_request(&req, SD_REQ_TICKET_LIST, "requester", "bob", NULL);
    assert_int_equal(s_may(&ann, &req, NULL, NULL, why), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_TICKET_COMMENT, "id", "APAC-000001", "body", "b", "public",
                    "false", NULL);
    assert_int_equal(s_may(&ann, &req, &mine, NULL, why), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_USER_GET, "id", "ann", NULL);
    assert_int_equal(s_may(&ann, &req, NULL, NULL, why), 0);
    sd_test_request(&req, SD_REQ_USER_LIST, NULL);
    assert_int_equal(s_may(&ann, &req, NULL, NULL, why), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_AUDIT_LIST, NULL);
    assert_int_equal(s_may(&ann, &req, NULL, NULL, why), SD_EFORBIDDEN);
    sd_request_clear(&req);
    sd_ticket_clear(&mine);
    sd_ticket_clear(&theirs);
    sd_principal_clear(&ann);
}

static void test_agent_sites_and_reassign(void **state)
{
    (void)state;
    const char *agent[4] = {NULL, "agent"}, *apac[4] = {NULL, "APAC"};
    const char *manager[4] = {NULL, NULL, "manager"};
    sd_principal_t li, mo;
    s_who(&li, "li", true, agent, apac);
    s_who(&mo, "mo", true, manager, NULL);
    sd_ticket_t here, there, others;
    s_ticket(&here, "APAC-000001", "APAC", "ann", NULL);
    s_ticket(&there, "EMEA-000001", "EMEA", "ann", NULL);
    s_ticket(&others, "APAC-000003", "APAC", "ann", "zoe");
    sd_request_t req = {0};
    char why[200];
    sd_test_request(&req, SD_REQ_TICKET_ACK, "id", "x", NULL);
    assert_int_equal(s_may(&li, &req, &here, NULL, why), 0);
    assert_int_equal(s_may(&li, &req, &there, NULL, why), SD_EFORBIDDEN);
    assert_non_null(strstr(why, "EMEA"));
    sd_test_request(&req, SD_REQ_TICKET_GET, "id", "x", NULL);
    assert_int_equal(s_may(&li, &req, &there, NULL, why), 0); /* reading is global */
    sd_test_request(&req, SD_REQ_TICKET_CANCEL, "id", "x", "reason", "r", NULL);
    assert_int_equal(s_may(&li, &req, &here, NULL, why), SD_EFORBIDDEN);
    assert_int_equal(s_may(&mo, &req, &here, NULL, why), 0);
    /* Taking an unassigned ticket, or one's own: agent. Someone else's: manager. */
    sd_test_request(&req, SD_REQ_TICKET_ASSIGN, "id", "x", "assignee", "li", NULL);
    assert_int_equal(s_may(&li, &req, &here, NULL, why), 0);
    assert_int_equal(s_may(&li, &req, &others, NULL, why), SD_EFORBIDDEN);
    assert_non_null(strstr(why, "zoe"));
    assert_int_equal(s_may(&mo, &req, &others, NULL, why), 0);
    /* Agents do not administer users. */
    sd_test_request(&req, SD_REQ_USER_NEW, "id", "x", "display_name", "X", NULL);
    assert_int_equal(s_may(&li, &req, NULL, NULL, why), SD_EFORBIDDEN);
    sd_request_clear(&req);
    sd_ticket_clear(&here);
    sd_ticket_clear(&there);
    sd_ticket_clear(&others);
    sd_principal_clear(&li);
    sd_principal_clear(&mo);
}

static void test_admin_and_superuser(void **state)
{
    (void)state;
    const char *admin[4] = {NULL, NULL, NULL, "admin"}, *emea[4] = {NULL, NULL, NULL, "EMEA"};
    sd_principal_t ad, root, off;
    s_who(&ad, "ad", true, admin, emea);
    s_who(&off, "off", false, admin, NULL);
    memset(&root, 0, sizeof root);
    snprintf(root.login, sizeof root.login, "root@APAC");
    root.superuser = true;
    sd_request_t req = {0};
    char why[200];
    sd_test_request(&req, SD_REQ_USER_NEW, "id", "x", "display_name", "X", "home_site", "EMEA",
                    NULL);
    assert_int_equal(s_may(&ad, &req, NULL, NULL, why), 0);
    sd_test_request(&req, SD_REQ_USER_NEW, "id", "x", "display_name", "X", NULL); /* at APAC */
    assert_int_equal(s_may(&ad, &req, NULL, NULL, why), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_USER_NEW, "id", "x", "display_name", "X", "home_site", "EMEA",
                    "role", "admin", NULL);
    assert_int_equal(s_may(&ad, &req, NULL, NULL, why), SD_EFORBIDDEN); /* not of every site */
    assert_int_equal(s_may(&root, &req, NULL, NULL, why), 0);
    /* A disabled admin has no rights at all. */
    assert_int_equal(s_may(&off, &req, NULL, NULL, why), SD_EFORBIDDEN);
    sd_test_request(&req, SD_REQ_NODE_PING, NULL);
    assert_int_equal(s_may(&off, &req, NULL, NULL, why), SD_EFORBIDDEN);
    assert_int_equal(s_may(&ad, &req, NULL, NULL, why), 0);
    sd_request_clear(&req);
    sd_principal_clear(&ad);
    sd_principal_clear(&off);
}

/* Every op of ops.def is in the table, and only the anyone column grants to a user without
 * roles. */
static void test_table_covers_ops(void **state)
{
    (void)state;
    for (int op = 0; op < SD_REQ_COUNT_; op++)
        assert_non_null(sd_perm_row(sd_req_op_name(op)));
    assert_non_null(sd_perm_row("ticket.reassign"));
    assert_null(sd_perm_row("ticket.nonsense"));
}

static void test_sessions(void **state)
{
    (void)state;
    sd_sessions_t *s = sd_sessions_new();
    char tok[SD_SESSION_TOKEN_LEN + 1], other[SD_SESSION_TOKEN_LEN + 1];
    uint64_t exp = sd_sessions_start(s, "ann", 1000, tok);
    assert_int_equal(exp, 1000 + SD_SESSION_MS);
    assert_int_equal(strlen(tok), SD_SESSION_TOKEN_LEN);
    assert_int_equal(strncmp(tok, "sds_", 4), 0);
    sd_sessions_start(s, "bob", 1000, other);
    assert_string_equal(sd_sessions_find(s, tok, 2000), "ann");
    assert_string_equal(sd_sessions_find(s, other, 2000), "bob");
    assert_null(sd_sessions_find(s, tok, exp)); /* expired */
    tok[10] = tok[10] == 'a' ? 'b' : 'a';
    assert_null(sd_sessions_find(s, tok, 2000));
    sd_sessions_destroy(&s);
    assert_null(s);
}

/* Hashing is bounded: a burst of SD_PW_BURST, then busy; a login locks after repeated failures.
 * (Each hash costs ~64 MiB and a fraction of a second, so this test makes as few as it can.) */
static void test_password_guard(void **state)
{
    (void)state;
    sd_pw_guard_t *g = sd_pw_guard_new();
    char hash[SD_SECRET_PW_MAX];
    sd_fault_t f;
    assert_int_equal(sd_pw_hash(g, "short", 0, hash, &f), SD_ERANGE);
    assert_int_equal(sd_pw_hash(g, "correct horse", 0, hash, &f), 0);
    assert_int_equal(sd_pw_verify(g, "ann", hash, "correct horse", 0, &f), 0);
    assert_int_equal(sd_pw_verify(g, "ann", hash, "wrong horse", 0, &f), SD_EUNAUTHENTICATED);
    assert_int_equal(sd_pw_verify(g, "ann", NULL, "anything", 0, &f), SD_EUNAUTHENTICATED);
    assert_int_equal(sd_pw_verify(g, "ann", hash, "correct horse", 0, &f), SD_EBUSY);
    /* Ten seconds later the bucket is full again; three more failures lock the login. */
    uint64_t t = 10000;
    for (int i = 0; i < SD_PW_FAILS_MAX - 2; i++)
        assert_int_equal(sd_pw_verify(g, "ann", hash, "nope", t, &f), SD_EUNAUTHENTICATED);
    assert_int_equal(sd_pw_verify(g, "ann", hash, "correct horse", t + 5000, &f), SD_EBUSY);
    assert_non_null(strstr(f.text, "too many failed logins"));
    /* Another login is not locked. */
    assert_int_equal(sd_pw_verify(g, "bob", NULL, "x", t + 5000, &f), SD_EUNAUTHENTICATED);
    assert_int_equal(sd_pw_verify(g, "ann", hash, "correct horse", t + SD_PW_LOCK_MS + 1, &f), 0);
    sd_pw_guard_destroy(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peer),
        cmocka_unit_test(test_requester),
        cmocka_unit_test(test_asset_sites),
        cmocka_unit_test(test_agent_sites_and_reassign),
        cmocka_unit_test(test_admin_and_superuser),
        cmocka_unit_test(test_table_covers_ops),
        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_password_guard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
