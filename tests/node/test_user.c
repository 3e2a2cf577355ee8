/* test_user.c - the user kind's monotonic roles and account state: a revoke or a disable wins
 * over a concurrent grant, a grant made after seeing the revoke wins, and every arrival order
 * of the same events gives byte-identical users (the fold of node/store/fold.c). */
#include "error.h"
#include "event.h"
#include "fold.h"
#include "hlc.h"
#include "record.h"
#include "user.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define T0 1700000000000ull

/* A user event of op at (ms, origin) by pair change: pair `which` granted or revoked, made
 * from the state `seen` (what its origin held when it made it). */
static void s_pair_event(sd_event_t *ev, const sd_user_t *seen, int op, int which, bool grant,
                         uint64_t ms, const char *origin, uint64_t seq)
{
    assert_int_equal(sd_event_start(ev, &sd_kind_user, op), 0);
    snprintf(ev->origin, sizeof ev->origin, "%s", origin);
    snprintf(ev->key, sizeof ev->key, "li.wei");
    snprintf(ev->author, sizeof ev->author, "admin");
    ev->seq = seq;
    ev->hlc = ms << 16;
    uint64_t reg = sd_kind_register_mask(&sd_kind_user, SD_UREG_GRANTS);
    ev->mask |= reg;
    assert_int_equal(
        sd_fields_copy(sd_kind_user.fields, sd_kind_user.nfields, ev->fields, seen, reg), 0);
    assert_int_not_equal(sd_user_grant_event(seen, which, grant, sd_event_user(ev)), 0);
}

/* The create event: active, and the agent role. */
static void s_create(sd_event_t *ev)
{
    static const sd_user_t none;
    s_pair_event(ev, &none, SD_UOP_CREATE, SD_USER_ACTIVE, true, T0, "HUB", 1);
    sd_user_grant_event(&none, SD_ROLE_AGENT, true, sd_event_user(ev));
    sd_user_t *f = sd_event_user(ev);
    ev->mask |= sd_kind_register_mask(&sd_kind_user, SD_UREG_CREATED) |
                sd_kind_register_mask(&sd_kind_user, SD_UREG_NAME);
    f->created_at = T0;
    f->origin_site = strdup("HUB");
    f->display_name = strdup("Li Wei");
}

/* Folds events (in the order of idx) into a fresh user and returns it encoded. */
static char *s_fold(sd_event_t *events, const int *idx, int n, size_t *len, sd_user_t *out)
{
    sd_user_t *u = sd_record_new(&sd_kind_user);
    for (int i = 0; i < n; i++)
        assert_int_equal(sd_fold_apply(u, &events[idx[i]]), 0);
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_record_encode(&sd_kind_user, u, true, w);
    const void *data = sd_mp_writer_data(w, len);
    char *copy = malloc(*len);
    memcpy(copy, data, *len);
    sd_mp_writer_destroy(&w);
    if (out)
        sd_fields_copy(sd_kind_user.fields, sd_kind_user.nfields, out, u, ~0ull);
    sd_record_destroy(&sd_kind_user, (void **)&u);
    return copy;
}

/* Every order of n events (n <= 4) folds to the same bytes; *final gets the result. */
static void s_all_orders_equal(sd_event_t *events, int n, sd_user_t *final)
{
    int idx[4] = {0, 1, 2, 3}, perms = 0;
    size_t first_len = 0;
    char *first = NULL;
    /* Heap's algorithm, iteratively. */
    int c[4] = {0};
    for (int i = 0;;) {
        size_t len;
        char *bytes = s_fold(events, idx, n, &len, perms == 0 ? final : NULL);
        if (!first) {
            first = bytes;
            first_len = len;
        } else {
            assert_int_equal(len, first_len);
            assert_memory_equal(bytes, first, len);
            free(bytes);
        }
        perms++;
        while (i < n && c[i] >= i) {
            c[i] = 0;
            i++;
        }
        if (i >= n)
            break;
        int j = i % 2 ? c[i] : 0, t = idx[j];
        idx[j] = idx[i];
        idx[i] = t;
        c[i]++;
        i = 0;
    }
    free(first);
    int expect = 1;
    for (int k = 2; k <= n; k++)
        expect *= k;
    assert_int_equal(perms, expect);
}

static void s_clear(sd_event_t *events, int n)
{
    for (int i = 0; i < n; i++)
        sd_event_clear(&events[i]);
}

/* One scenario: the events so far, the user they were made from, and the results. */
typedef struct {
    sd_event_t ev[4];
    int n;           /* events made */
    sd_user_t base;  /* right after the create */
    sd_user_t seen;  /* the fold of the events so far (s_case_seen) */
    sd_user_t final; /* the fold of all of them, the same in every order */
} s_case_t;

static void s_case_start(s_case_t *c)
{
    memset(c, 0, sizeof *c);
    s_create(&c->ev[0]);
    c->n = 1;
    sd_fields_copy(sd_kind_user.fields, sd_kind_user.nfields, &c->base, sd_event_user(&c->ev[0]),
                   ~0ull);
}

/* A site that has received every event so far. */
static void s_case_seen(s_case_t *c)
{
    int idx[4] = {0, 1, 2, 3};
    size_t len;
    sd_record_clear(&sd_kind_user, &c->seen);
    free(s_fold(c->ev, idx, c->n, &len, &c->seen));
}

static void s_case_add(s_case_t *c, const sd_user_t *from, int op, int which, bool grant,
                       uint64_t ms, const char *origin, uint64_t seq)
{
    s_pair_event(&c->ev[c->n++], from, op, which, grant, ms, origin, seq);
}

static void s_case_end(s_case_t *c)
{
    s_all_orders_equal(c->ev, c->n, &c->final);
}

static void s_case_clear(s_case_t *c)
{
    sd_record_clear(&sd_kind_user, &c->base);
    sd_record_clear(&sd_kind_user, &c->seen);
    sd_record_clear(&sd_kind_user, &c->final);
    s_clear(c->ev, c->n);
}

/* Site A revokes the agent role while site B, not having seen it, grants it again (later by the
 * clock): the revoke wins, in every order. */
static void test_revoke_wins_over_concurrent_grant(void **state)
{
    (void)state;
    s_case_t c;
    s_case_start(&c);
    s_case_add(&c, &c.base, SD_UOP_REVOKE, SD_ROLE_AGENT, false, T0 + 1000, "APAC", 1);
    s_case_add(&c, &c.base, SD_UOP_GRANT, SD_ROLE_AGENT, true, T0 + 5000, "EMEA", 1);
    s_case_end(&c);
    assert_false(sd_user_holds(&c.final, SD_ROLE_AGENT));
    assert_false(sd_user_has_role(&c.final, SD_ROLE_AGENT, NULL));
    assert_true(sd_user_holds(&c.final, SD_USER_ACTIVE));
    s_case_clear(&c);
}

/* A grant made after seeing the revoke wins over it. */
static void test_grant_after_revoke_wins(void **state)
{
    (void)state;
    s_case_t c;
    s_case_start(&c);
    s_case_add(&c, &c.base, SD_UOP_REVOKE, SD_ROLE_AGENT, false, T0 + 1000, "APAC", 1);
    s_case_seen(&c);
    assert_false(sd_user_holds(&c.seen, SD_ROLE_AGENT));
    /* EMEA saw the revoke, then grants, with a clock behind APAC's: still wins. */
    s_case_add(&c, &c.seen, SD_UOP_GRANT, SD_ROLE_AGENT, true, T0 + 500, "EMEA", 1);
    s_case_end(&c);
    assert_true(sd_user_has_role(&c.final, SD_ROLE_AGENT, NULL));
    s_case_clear(&c);
}

/* A disable at one site and a role grant at another: the user ends disabled, with no rights,
 * whatever the order; and a concurrent second disable changes nothing. */
static void test_disable_wins(void **state)
{
    (void)state;
    s_case_t c;
    s_case_start(&c);
    s_case_add(&c, &c.base, SD_UOP_DISABLE, SD_USER_ACTIVE, false, T0 + 1000, "APAC", 1);
    s_case_add(&c, &c.base, SD_UOP_GRANT, SD_ROLE_ADMIN, true, T0 + 9000, "EMEA", 1);
    s_case_add(&c, &c.base, SD_UOP_DISABLE, SD_USER_ACTIVE, false, T0 + 2000, "AMER", 1);
    s_case_end(&c);
    assert_false(sd_user_holds(&c.final, SD_USER_ACTIVE));
    assert_true(sd_user_holds(&c.final, SD_ROLE_ADMIN));
    for (int r = 0; r < SD_ROLE_COUNT_; r++)
        assert_false(sd_user_has_role(&c.final, r, NULL));
    s_case_clear(&c);
}

/* An enable concurrent with a disable made from the same state: the disable wins. */
static void test_disable_wins_over_concurrent_enable(void **state)
{
    (void)state;
    s_case_t c;
    s_case_start(&c);
    s_case_add(&c, &c.base, SD_UOP_DISABLE, SD_USER_ACTIVE, false, T0 + 1000, "APAC", 1);
    s_case_seen(&c);
    /* Both sites see it disabled; EMEA enables while APAC disables again (a second incident). */
    s_case_add(&c, &c.seen, SD_UOP_ENABLE, SD_USER_ACTIVE, true, T0 + 8000, "EMEA", 1);
    s_case_add(&c, &c.seen, SD_UOP_DISABLE, SD_USER_ACTIVE, false, T0 + 3000, "APAC", 2);
    s_case_end(&c);
    assert_false(sd_user_holds(&c.final, SD_USER_ACTIVE));
    s_case_clear(&c);
}

static void test_site_limits_and_lists(void **state)
{
    (void)state;
    sd_user_t u;
    memset(&u, 0, sizeof u);
    u.granted[SD_USER_ACTIVE] = 1;
    u.granted[SD_ROLE_AGENT] = 1;
    u.sites[SD_ROLE_AGENT] = strdup("APAC, EMEA");
    assert_true(sd_user_has_role(&u, SD_ROLE_AGENT, "APAC"));
    assert_true(sd_user_has_role(&u, SD_ROLE_AGENT, "EMEA"));
    assert_false(sd_user_has_role(&u, SD_ROLE_AGENT, "AMER"));
    assert_false(sd_user_has_role(&u, SD_ROLE_AGENT, "APA"));
    assert_true(sd_user_has_role(&u, SD_ROLE_AGENT, NULL));
    assert_false(sd_user_has_role(&u, SD_ROLE_MANAGER, NULL));
    assert_true(sd_list_has("a,b", "b"));
    assert_false(sd_list_has("ab", "b"));
    assert_false(sd_list_has(NULL, "b"));
    free(u.sites[SD_ROLE_AGENT]);
}

static void test_logins(void **state)
{
    (void)state;
    sd_fault_t f;
    assert_int_equal(sd_login_check("li.wei", "id", &f), 0);
    assert_int_equal(sd_login_check("a", "id", &f), 0);
    assert_int_equal(sd_login_check("Li", "id", &f), SD_ERANGE);
    assert_int_equal(sd_login_check(".li", "id", &f), SD_ERANGE);
    assert_int_equal(sd_login_check("root@APAC", "id", &f), SD_ERANGE);
    assert_int_equal(sd_login_check("", "id", &f), SD_ERANGE);
    assert_int_equal(sd_login_check("abcdefghijklmnopqrstuvwxyz0123456", "id", &f), SD_ERANGE);
    assert_true(sd_user_is_system("scheduler@APAC"));
    assert_false(sd_user_is_system("li.wei"));
}

/* The client view hides the password hash and shows the derived roles. */
static void test_client_view(void **state)
{
    (void)state;
    sd_event_t ev = {0};
    s_create(&ev);
    sd_event_user(&ev)->password_hash = strdup("$argon2id$secret");
    ev.mask |= sd_kind_register_mask(&sd_kind_user, SD_UREG_PASSWORD);
    sd_user_t *u = sd_record_new(&sd_kind_user);
    assert_int_equal(sd_fold_apply(u, &ev), 0);
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_record_encode(&sd_kind_user, u, false, w);
    size_t len;
    const char *data = sd_mp_writer_data(w, &len);
    assert_null(memmem(data, len, "argon2id", 8));
    assert_null(memmem(data, len, "password_hash", 13));
    assert_non_null(memmem(data, len, "roles", 5));
    sd_mp_writer_reset(w);
    sd_record_encode(&sd_kind_user, u, true, w); /* the stored form keeps it */
    data = sd_mp_writer_data(w, &len);
    assert_non_null(memmem(data, len, "argon2id", 8));
    sd_mp_writer_destroy(&w);
    sd_record_destroy(&sd_kind_user, (void **)&u);
    sd_event_clear(&ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revoke_wins_over_concurrent_grant),
        cmocka_unit_test(test_grant_after_revoke_wins),
        cmocka_unit_test(test_disable_wins),
        cmocka_unit_test(test_disable_wins_over_concurrent_enable),
        cmocka_unit_test(test_site_limits_and_lists),
        cmocka_unit_test(test_logins),
        cmocka_unit_test(test_client_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
