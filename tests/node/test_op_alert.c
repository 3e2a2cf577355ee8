/* test_op_alert.c - monitoring alerts end to end on a real node with a manual clock
 * (server_fixture.h), as the source's desk user (an agent): a firing alert opens one ticket
 * (channel monitoring, the impact and urgency asked), repeats write nothing, resolved resolves
 * it, a trigger within the flap window reopens the same ticket and one after it opens another,
 * a ticket a person replied to publicly stays open with a note, acknowledge acknowledges, a
 * wrong id is refused, a requester may not ingest; and the same alert recorded at two sites
 * folds to the same state and digest in either order. */
#include "server_fixture.h"

#include "alert.h"
#include "fold.h"
#include "record.h"
#include "ticket.h"

#include <stdio.h>
#include <string.h>

#define T0     1767225600000ll /* 2026-01-01T00:00Z */
#define MINUTE 60000ll

static int setup(void **state)
{
    *state = sd_fx_start(T0);
    return *state ? 0 : -1;
}

/* Ingests alert key of source prom with status as token's user, more name/value pairs (up to
 * two); the reply. */
static const sd_reply_t *s_ingest(sd_fx_t *fx, const char *token, const char *key,
                                  const char *status, const char *k1, const char *v1,
                                  const char *k2, const char *v2)
{
    char id[SD_ID_MAX + 1];
    assert_int_equal(sd_alert_id_for("prom", key, id), 0);
    return sd_fx_call(fx, token, SD_REQ_ALERT_INGEST, "id", id, "source", "prom", "key", key,
                      "status", status, "title", "Disk full on db1", k1 ? k1 : "impact",
                      k1 ? v1 : "2", k2 ? k2 : "urgency", k2 ? v2 : "2", NULL);
}

/* The ticket the alert reply names, into ticket. */
static void s_ticket_of(sd_fx_t *fx, const sd_reply_t *r, char *ticket)
{
    assert_true(r->ok);
    sd_fx_copy(fx, r->result, "ticket", ticket, SD_ID_MAX + 1);
    assert_true(ticket[0] != 0);
}

static const char *s_status(sd_fx_t *fx, const char *ticket)
{
    const sd_reply_t *r = sd_fx_ok(fx, NULL, SD_REQ_TICKET_GET, "id", ticket, NULL);
    return sd_fx_str(fx, r->result, "status");
}

static void s_digest(sd_fx_t *fx, char *out)
{
    const sd_reply_t *r = sd_fx_ok(fx, NULL, SD_REQ_NODE_DIGEST, NULL);
    snprintf(out, 80, "%.64s", sd_fx_str(fx, r->result, "digest"));
}

static void test_fire_repeat_resolve_flap(void **state)
{
    sd_fx_t *fx = *state;
    char prom[SD_TOKEN_MAX + 1], ticket[SD_ID_MAX + 1], again[SD_ID_MAX + 1], d1[80], d2[80];
    sd_fx_user(fx, "prom", "agent", prom);
    const sd_reply_t *r = s_ingest(fx, prom, "fp-1", "firing", "impact", "1", "urgency", "1");
    s_ticket_of(fx, r, ticket);
    assert_string_equal(sd_fx_str(fx, r->result, "state"), "firing");
    assert_int_equal(sd_fx_u64(r->result, "fires"), 1);
    r = sd_fx_ok(fx, NULL, SD_REQ_TICKET_GET, "id", ticket, NULL);
    assert_string_equal(sd_fx_str(fx, r->result, "channel"), "monitoring");
    assert_string_equal(sd_fx_str(fx, r->result, "title"), "Disk full on db1");
    assert_string_equal(sd_fx_str(fx, r->result, "priority"), "P1");
    assert_string_equal(sd_fx_str(fx, r->result, "status"), "new");
    assert_string_equal(sd_fx_str(fx, r->result, "requester"), "prom");
    /* Repeats (repeat_interval, an HA twin) write nothing and answer the same ticket. */
    s_digest(fx, d1);
    for (int i = 0; i < 3; i++) {
        r = s_ingest(fx, prom, "fp-1", "firing", NULL, NULL, NULL, NULL);
        s_ticket_of(fx, r, again);
        assert_string_equal(again, ticket);
    }
    s_digest(fx, d2);
    assert_string_equal(d1, d2);
    r = sd_fx_ok(fx, NULL, SD_REQ_TICKET_LIST, NULL);
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "tickets")), 1);
    /* Resolved: no person replied, so the ticket is resolved (acknowledged and assigned on the
     * way, as the workflow asks); a repeat writes nothing. */
    sd_fx_clock(fx, T0 + 10 * MINUTE);
    r = s_ingest(fx, prom, "fp-1", "resolved", NULL, NULL, NULL, NULL);
    assert_true(r->ok);
    assert_string_equal(sd_fx_str(fx, r->result, "state"), "resolved");
    assert_string_equal(s_status(fx, ticket), "resolved");
    s_digest(fx, d1);
    assert_true(s_ingest(fx, prom, "fp-1", "resolved", NULL, NULL, NULL, NULL)->ok);
    s_digest(fx, d2);
    assert_string_equal(d1, d2);
    /* Firing again 5 minutes later (within the 900 s window): the same ticket, reopened. */
    sd_fx_clock(fx, T0 + 15 * MINUTE);
    r = s_ingest(fx, prom, "fp-1", "firing", NULL, NULL, NULL, NULL);
    s_ticket_of(fx, r, again);
    assert_string_equal(again, ticket);
    assert_int_equal(sd_fx_u64(r->result, "fires"), 2);
    assert_string_equal(s_status(fx, ticket), "in_progress");
    r = sd_fx_ok(fx, NULL, SD_REQ_TICKET_GET, "id", ticket, NULL);
    assert_int_equal(sd_fx_u64(r->result, "reopen_count"), 1);
    /* Resolved, then firing an hour later: past the window, a new ticket. */
    sd_fx_clock(fx, T0 + 20 * MINUTE);
    assert_true(s_ingest(fx, prom, "fp-1", "resolved", NULL, NULL, NULL, NULL)->ok);
    assert_string_equal(s_status(fx, ticket), "resolved");
    sd_fx_clock(fx, T0 + 80 * MINUTE);
    r = s_ingest(fx, prom, "fp-1", "firing", "flap_window", "900", NULL, NULL);
    s_ticket_of(fx, r, again);
    assert_string_not_equal(again, ticket);
    assert_string_equal(s_status(fx, ticket), "resolved");
    assert_string_equal(s_status(fx, again), "new");
    /* Two alerts, two tickets; the list finds them by state and ticket. */
    r = s_ingest(fx, prom, "fp-2", "firing", NULL, NULL, NULL, NULL);
    s_ticket_of(fx, r, d1);
    assert_string_not_equal(d1, again);
    r = sd_fx_ok(fx, prom, SD_REQ_ALERT_LIST, "state", "firing", NULL);
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "alerts")), 2);
    r = sd_fx_ok(fx, prom, SD_REQ_ALERT_LIST, "ticket", again, NULL);
    assert_int_equal(sd_mp_len(sd_mp_get(r->result, "alerts")), 1);
}

static void test_public_reply_keeps_it_open(void **state)
{
    sd_fx_t *fx = *state;
    char prom[SD_TOKEN_MAX + 1], li[SD_TOKEN_MAX + 1], ticket[SD_ID_MAX + 1];
    sd_fx_user(fx, "prom", "agent", prom);
    sd_fx_user(fx, "li", "agent", li);
    s_ticket_of(fx, s_ingest(fx, prom, "fp-9", "firing", NULL, NULL, NULL, NULL), ticket);
    sd_fx_ok(fx, li, SD_REQ_TICKET_COMMENT, "id", ticket, "body", "We are on it.", "public", "true",
             NULL);
    const sd_reply_t *r = s_ingest(fx, prom, "fp-9", "resolved", NULL, NULL, NULL, NULL);
    assert_string_equal(sd_fx_str(fx, r->result, "state"), "resolved");
    assert_string_equal(s_status(fx, ticket), "new");
    r = sd_fx_ok(fx, NULL, SD_REQ_TICKET_GET, "id", ticket, NULL);
    const sd_mp_node_t *comments = sd_mp_get(r->result, "comments");
    assert_int_equal(sd_mp_len(comments), 2);
    const sd_mp_node_t *note = sd_mp_at(comments, 1);
    bool pub = true;
    assert_int_equal(sd_mp_boolean(sd_mp_get(note, "public"), &pub), 0);
    assert_false(pub);
    assert_non_null(strstr(sd_fx_str(fx, note, "body"), "recovered"));
    /* Firing again while it is still open: the same ticket goes on, nothing new. */
    s_ticket_of(fx, s_ingest(fx, prom, "fp-9", "firing", NULL, NULL, NULL, NULL), fx->text);
    assert_string_equal(fx->text, ticket);
}

static void test_acknowledge_and_refusals(void **state)
{
    sd_fx_t *fx = *state;
    char prom[SD_TOKEN_MAX + 1], req[SD_TOKEN_MAX + 1], ticket[SD_ID_MAX + 1];
    sd_fx_user(fx, "prom", "agent", prom);
    sd_fx_user(fx, "wang", "requester", req);
    s_ticket_of(fx, s_ingest(fx, prom, "dk-1", "firing", NULL, NULL, NULL, NULL), ticket);
    const sd_reply_t *r = s_ingest(fx, prom, "dk-1", "acknowledged", NULL, NULL, NULL, NULL);
    assert_string_equal(sd_fx_str(fx, r->result, "state"), "acknowledged");
    assert_string_equal(s_status(fx, ticket), "acknowledged");
    /* A trigger while acknowledged changes nothing; resolved resolves. */
    assert_true(s_ingest(fx, prom, "dk-1", "firing", NULL, NULL, NULL, NULL)->ok);
    assert_string_equal(s_status(fx, ticket), "acknowledged");
    assert_true(s_ingest(fx, prom, "dk-1", "resolved", NULL, NULL, NULL, NULL)->ok);
    assert_string_equal(s_status(fx, ticket), "resolved");
    /* A resolve of an alert never seen: recorded, no ticket. */
    r = s_ingest(fx, prom, "never", "resolved", NULL, NULL, NULL, NULL);
    assert_true(r->ok);
    assert_string_equal(sd_fx_str(fx, r->result, "ticket"), "");
    /* An id that is not the source's and key's; a requester. */
    r = sd_fx_call(fx, prom, SD_REQ_ALERT_INGEST, "id", "AL-00000000000000000000000000000",
                   "source", "prom", "key", "dk-2", "status", "firing", NULL);
    assert_int_equal(r->code, SD_EINVAL);
    assert_int_equal(s_ingest(fx, req, "dk-3", "firing", NULL, NULL, NULL, NULL)->code,
                     SD_EFORBIDDEN);
    char id[SD_ID_MAX + 1];
    sd_alert_id_for("prom", "dk-1", id);
    r = sd_fx_ok(fx, prom, SD_REQ_ALERT_GET, "id", id, NULL);
    assert_string_equal(sd_fx_str(fx, r->result, "key"), "dk-1");
}

/* ---- two sites, one alert ------------------------------------------------------------------ */

/* The create of alert id made at origin (its ticket there) at hlc, applied to store. */
static void s_apply_create(sd_store_t *store, const char *id, const char *origin, uint64_t hlc,
                           const char *ticket)
{
    sd_event_t ev = {0};
    assert_int_equal(sd_event_start(&ev, &sd_kind_alert, SD_ALOP_CREATE), 0);
    snprintf(ev.origin, sizeof ev.origin, "%s", origin);
    ev.seq = 1;
    ev.hlc = hlc;
    snprintf(ev.key, sizeof ev.key, "%s", id);
    snprintf(ev.author, sizeof ev.author, "prom");
    ev.mask = sd_kind_all_fields(&sd_kind_alert);
    sd_alert_t *f = sd_event_alert(&ev);
    f->created_at = hlc >> 16;
    f->origin_site = strdup(origin);
    f->source = strdup("prom");
    f->key = strdup("fp-1");
    f->title = strdup("Disk full");
    f->state = SD_ALERT_FIRING;
    f->fired_at = hlc >> 16;
    f->fires = 1;
    f->ticket = strdup(ticket);
    sd_store_txn_t *txn;
    assert_int_equal(sd_store_begin(store, true, &txn), 0);
    assert_int_equal(sd_store_apply(txn, &ev), 0);
    assert_int_equal(sd_store_commit(&txn), 0);
    sd_event_clear(&ev);
}

static void test_two_sites_fold_to_one(void **state)
{
    (void)state;
    char dir[2][128], digest[2][SD_DIGEST_BYTES * 2 + 1], id[SD_ID_MAX + 1];
    sd_store_t *store[2];
    assert_int_equal(sd_alert_id_for("prom", "fp-1", id), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sd_test_mkdtemp(dir[i], sizeof dir[i], "sd-alert"), 0);
        assert_int_equal(sd_store_open(dir[i], i ? "EMEA" : "APAC", &store[i]), 0);
    }
    uint64_t a = 1767225600000ull << 16, b = (1767225600000ull + 5) << 16;
    s_apply_create(store[0], id, "APAC", a, "APAC-000001");
    s_apply_create(store[0], id, "EMEA", b, "EMEA-000001");
    s_apply_create(store[1], id, "EMEA", b, "EMEA-000001");
    s_apply_create(store[1], id, "APAC", a, "APAC-000001");
    for (int i = 0; i < 2; i++) {
        sd_store_txn_t *txn;
        sd_alert_t al = {0};
        assert_int_equal(sd_store_begin(store[i], false, &txn), 0);
        assert_int_equal(sd_store_digest(txn, digest[i]), 0);
        assert_int_equal(sd_store_get_record(txn, &sd_kind_alert, id, &al), 0);
        assert_string_equal(al.ticket, "EMEA-000001"); /* the later write, at both */
        assert_string_equal(al.origin_site, "EMEA");
        sd_record_clear(&sd_kind_alert, &al);
        sd_store_abort(&txn);
        sd_store_close(&store[i]);
        sd_test_rmtree(dir[i]);
    }
    assert_string_equal(digest[0], digest[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fire_repeat_resolve_flap, setup, sd_fx_teardown),
        cmocka_unit_test_setup_teardown(test_public_reply_keeps_it_open, setup, sd_fx_teardown),
        cmocka_unit_test_setup_teardown(test_acknowledge_and_refusals, setup, sd_fx_teardown),
        cmocka_unit_test(test_two_sites_fold_to_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
