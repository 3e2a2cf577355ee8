/* test_op_bulletin.c - bulletins end to end on a real node with a manual clock
 * (server_fixture.h): a bulletin is current only inside its validity window as the node's
 * clock moves, an outage bulletin stops being current when its major incident is resolved,
 * withdrawn ones and other sites' ones are not current, a requester sees only the current ones
 * (any other is not_found), and only managers post them. */
#include "server_fixture.h"

#include "bulletin.h"

#include <stdio.h>
#include <string.h>

#define T0   1767225600000ll /* 2026-01-01T00:00Z */
#define HOUR 3600000ll

static int setup(void **state)
{
    *state = sd_fx_start(T0);
    return *state ? 0 : -1;
}

static void s_ms(char *out, int64_t ms)
{
    snprintf(out, 24, "%lld", (long long)ms);
}

/* Posts a bulletin valid [from, until) (as admin) with more name/value pairs (up to two); its
 * id into id. */
static void s_new(sd_fx_t *fx, const char *title, int64_t from, int64_t until, const char *k1,
                  const char *v1, char *id)
{
    char f[24], u[24];
    s_ms(f, from), s_ms(u, until);
    const sd_reply_t *r = k1 ? sd_fx_ok(fx, NULL, SD_REQ_BULLETIN_NEW, "title", title, "valid_from",
                                        f, "valid_until", u, k1, v1, NULL)
                             : sd_fx_ok(fx, NULL, SD_REQ_BULLETIN_NEW, "title", title, "valid_from",
                                        f, "valid_until", u, NULL);
    sd_fx_copy(fx, r->result, "id", id, SD_ID_MAX + 1);
}

static bool s_current(sd_fx_t *fx, const char *token, const char *id)
{
    const sd_reply_t *r = sd_fx_ok(fx, token, SD_REQ_BULLETIN_GET, "id", id, NULL);
    const sd_mp_node_t *c = sd_mp_get(r->result, "current");
    bool v = false;
    assert_non_null(c);
    assert_int_equal(sd_mp_boolean(c, &v), 0);
    return v;
}

/* How many bulletins list (with current when only_current) shows to token's user. */
static size_t s_listed(sd_fx_t *fx, const char *token, bool only_current)
{
    const sd_reply_t *r = only_current
                              ? sd_fx_ok(fx, token, SD_REQ_BULLETIN_LIST, "current", "true", NULL)
                              : sd_fx_ok(fx, token, SD_REQ_BULLETIN_LIST, NULL);
    return sd_mp_len(sd_mp_get(r->result, "bulletins"));
}

static void test_validity_window(void **state)
{
    sd_fx_t *fx = *state;
    char id[SD_ID_MAX + 1];
    s_new(fx, "Planned maintenance", T0 + HOUR, T0 + 3 * HOUR, "severity", "maintenance", id);
    assert_string_equal(id, "LOCAL-BL-000001");
    assert_false(s_current(fx, NULL, id));
    assert_int_equal(s_listed(fx, NULL, true), 0);
    assert_int_equal(s_listed(fx, NULL, false), 1);
    sd_fx_clock(fx, T0 + HOUR); /* valid_from is inclusive */
    assert_true(s_current(fx, NULL, id));
    assert_int_equal(s_listed(fx, NULL, true), 1);
    sd_fx_clock(fx, T0 + 3 * HOUR - 1);
    assert_true(s_current(fx, NULL, id));
    sd_fx_clock(fx, T0 + 3 * HOUR); /* valid_until is not */
    assert_false(s_current(fx, NULL, id));
    /* Moved later: current again; a window that ends before it starts is refused. */
    char u[24];
    s_ms(u, T0 + 5 * HOUR);
    sd_fx_ok(fx, NULL, SD_REQ_BULLETIN_UPDATE, "id", id, "valid_until", u, NULL);
    assert_true(s_current(fx, NULL, id));
    s_ms(u, T0);
    const sd_reply_t *r =
        sd_fx_call(fx, NULL, SD_REQ_BULLETIN_UPDATE, "id", id, "valid_until", u, NULL);
    assert_int_equal(r->code, SD_ERANGE);
    /* Withdrawn: never current; withdrawing again is refused with what is allowed. */
    sd_fx_ok(fx, NULL, SD_REQ_BULLETIN_WITHDRAW, "id", id, NULL);
    assert_false(s_current(fx, NULL, id));
    r = sd_fx_call(fx, NULL, SD_REQ_BULLETIN_WITHDRAW, "id", id, NULL);
    assert_int_equal(r->code, SD_ETRANSITION);
    assert_string_equal(r->allowed, "update");
}

static void test_closes_with_its_major_incident(void **state)
{
    sd_fx_t *fx = *state;
    char id[SD_ID_MAX + 1], ticket[SD_ID_MAX + 1], agent[SD_TOKEN_MAX + 1];
    sd_fx_user(fx, "li", "agent", agent);
    const sd_reply_t *r = sd_fx_ok(fx, NULL, SD_REQ_TICKET_NEW, "title", "Core switch down", NULL);
    sd_fx_copy(fx, r->result, "id", ticket, sizeof ticket);
    char f[24], u[24];
    s_ms(f, T0), s_ms(u, T0 + HOUR);
    r = sd_fx_call(fx, NULL, SD_REQ_BULLETIN_NEW, "title", "Network outage", "valid_until", u,
                   "major", ticket, NULL);
    assert_int_equal(r->code, SD_EINVAL); /* not declared major yet */
    r = sd_fx_call(fx, NULL, SD_REQ_BULLETIN_NEW, "title", "Network outage", "valid_until", u,
                   "major", "LOCAL-000404", NULL);
    assert_int_equal(r->code, SD_ENOTFOUND);
    sd_fx_ok(fx, agent, SD_REQ_TICKET_DECLARE_MAJOR, "id", ticket, NULL);
    s_new(fx, "Network outage", T0, T0 + HOUR, "major", ticket, id);
    assert_true(s_current(fx, NULL, id));
    sd_fx_ok(fx, agent, SD_REQ_TICKET_ACK, "id", ticket, NULL);
    sd_fx_ok(fx, agent, SD_REQ_TICKET_ASSIGN, "id", ticket, "assignee", "li", NULL);
    assert_true(s_current(fx, NULL, id));
    sd_fx_ok(fx, agent, SD_REQ_TICKET_RESOLVE, "id", ticket, "resolution", "replaced", NULL);
    assert_false(s_current(fx, NULL, id));
    sd_fx_ok(fx, agent, SD_REQ_TICKET_REOPEN, "id", ticket, "reason", "down again", NULL);
    assert_true(s_current(fx, NULL, id)); /* judged when read: follows the incident back */
}

static void test_requester_sees_current_for_their_site(void **state)
{
    sd_fx_t *fx = *state;
    char mine[SD_ID_MAX + 1], other[SD_ID_MAX + 1], later[SD_ID_MAX + 1], all[SD_ID_MAX + 1];
    char rq[SD_TOKEN_MAX + 1], agent[SD_TOKEN_MAX + 1], mgr[SD_TOKEN_MAX + 1];
    s_new(fx, "LOCAL printers", T0, T0 + HOUR, "sites", "LOCAL,EMEA", mine);
    s_new(fx, "APAC mail", T0, T0 + HOUR, "sites", "APAC", other);
    s_new(fx, "Tomorrow", T0 + 24 * HOUR, T0 + 25 * HOUR, NULL, NULL, later);
    s_new(fx, "Everyone", T0, T0 + HOUR, NULL, NULL, all);
    sd_fx_user(fx, "wang", "requester", rq);
    assert_int_equal(s_listed(fx, rq, false), 2); /* with or without current */
    assert_int_equal(s_listed(fx, rq, true), 2);
    assert_true(s_current(fx, rq, mine));
    const char *hidden[] = {other, later, "LOCAL-BL-000404"};
    for (int i = 0; i < 3; i++) {
        const sd_reply_t *r = sd_fx_call(fx, rq, SD_REQ_BULLETIN_GET, "id", hidden[i], NULL);
        assert_int_equal(r->code, SD_ENOTFOUND);
    }
    /* The desk sees them all, each judged for its own site. */
    sd_fx_user(fx, "li", "agent", agent);
    assert_int_equal(s_listed(fx, agent, false), 4);
    assert_int_equal(s_listed(fx, agent, true), 2);
    assert_false(s_current(fx, agent, other));
    /* Posting is a manager's (or admin's). */
    char u[24];
    s_ms(u, T0 + HOUR);
    assert_int_equal(
        sd_fx_call(fx, agent, SD_REQ_BULLETIN_NEW, "title", "x", "valid_until", u, NULL)->code,
        SD_EFORBIDDEN);
    assert_int_equal(sd_fx_call(fx, rq, SD_REQ_BULLETIN_WITHDRAW, "id", mine, NULL)->code,
                     SD_EFORBIDDEN);
    sd_fx_user(fx, "zhou", "manager", mgr);
    sd_fx_ok(fx, mgr, SD_REQ_BULLETIN_NEW, "title", "From a manager", "valid_until", u, NULL);
    sd_fx_ok(fx, mgr, SD_REQ_BULLETIN_WITHDRAW, "id", mine, NULL);
    assert_int_equal(s_listed(fx, rq, false), 2); /* "Everyone" and the manager's */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_validity_window, setup, sd_fx_teardown),
        cmocka_unit_test_setup_teardown(test_closes_with_its_major_incident, setup, sd_fx_teardown),
        cmocka_unit_test_setup_teardown(test_requester_sees_current_for_their_site, setup,
                                        sd_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
