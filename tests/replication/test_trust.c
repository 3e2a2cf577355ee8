/* test_trust.c - signed events and the checks a node makes on what a peer sends (sign.h,
 * trust.h): a signature binds every field; another site's key, an unknown key, a changed byte
 * or a missing signature are refused; unsigned events pass only as legacy; the clock bound;
 * system identities and id prefixes of other sites; handovers by a non-owner. */
#include "error.h"
#include "event.h"
#include "sign.h"
#include "ticket.h"
#include "trust.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define NOW 1700000000000ll /* wall clock, Unix ms */

typedef struct {
    sd_signer_t apac, emea, rogue; /* rogue: a key claiming APAC, known to nobody */
    sd_signers_t known;            /* APAC's and EMEA's public keys */
    sd_peer_t hub, apac_peer;
} fx_t;

/* A key pair for site into signer, its public key into known (when known is not NULL). */
static void s_key(const char *site, sd_signer_t *signer, sd_signers_t *known)
{
    char pk[65], sk[129], path[] = "/tmp/sd-trust-XXXXXX", err[200];
    assert_int_equal(sd_sign_keypair(pk, sk), 0);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, sk, strlen(sk)), (ssize_t)strlen(sk));
    close(fd);
    assert_int_equal(sd_signer_load(path, site, signer, err, sizeof err), 0);
    unlink(path);
    if (known)
        assert_int_equal(sd_signers_add(known, site, pk), 0);
}

static int s_setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    s_key("APAC", &fx->apac, &fx->known);
    s_key("EMEA", &fx->emea, &fx->known);
    s_key("APAC", &fx->rogue, NULL);
    fx->hub = (sd_peer_t){.site = "HUB", .role = SD_ROLE_HUB};
    fx->apac_peer = (sd_peer_t){.site = "APAC", .role = SD_ROLE_SITE};
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    free(*state);
    return 0;
}

/* A ticket create event of origin, seq, at ms, with key (SITE-seq). */
static void s_ticket(sd_event_t *ev, const char *origin, uint64_t seq, int64_t ms)
{
    memset(ev, 0, sizeof *ev);
    assert_int_equal(sd_event_start(ev, &sd_kind_ticket, SD_OP_CREATE), 0);
    snprintf(ev->origin, sizeof ev->origin, "%s", origin);
    snprintf(ev->key, sizeof ev->key, "%s-%06llu", origin, (unsigned long long)seq);
    snprintf(ev->author, sizeof ev->author, "li.wei");
    ev->seq = seq;
    ev->hlc = (uint64_t)ms << 16;
    sd_ticket_t *t = sd_event_ticket(ev);
    ev->mask = sd_ticket_all_fields();
    t->impact = t->urgency = 2;
    t->title = strdup("VPN down");
    t->requester = strdup("ann");
    t->origin_site = strdup(origin);
    t->owner_site = strdup(origin);
}

static int s_check(fx_t *fx, const sd_peer_t *peer, const sd_event_t *ev, const sd_vector_t *legacy,
                   char *why)
{
    sd_trust_t t = {.self = "AMER",
                    .signers = &fx->known,
                    .legacy = legacy,
                    .max_skew_ms = 60000,
                    .peers = &fx->hub,
                    .npeers = 1};
    sd_fault_t f = {0};
    int rc = sd_trust_check(&t, peer, ev, NOW, &f);
    snprintf(why, 200, "%s", f.text);
    return rc;
}

static void test_signatures(void **state)
{
    fx_t *fx = *state;
    sd_event_t ev;
    char why[200];
    s_ticket(&ev, "APAC", 1, NOW);
    assert_int_equal(sd_sign_event(&fx->apac, sd_event_first_prev, &ev), 0);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), 0);
    /* A round trip through the wire form keeps it valid. */
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_event_encode(&ev, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_event_t back = {0};
    assert_int_equal(sd_event_decode(data, len, &back, NULL), 0);
    assert_int_equal(s_check(fx, &fx->hub, &back, NULL, why), 0);
    char h1[65], h2[65];
    assert_int_equal(sd_event_hash(&back, h1), 0);
    assert_int_equal(sd_event_hash_bytes(data, len, h2), 0);
    assert_string_equal(h1, h2);
    /* Any change breaks it: a field, the author, the clock. */
    free(sd_event_ticket(&back)->title);
    sd_event_ticket(&back)->title = strdup("VPN fine");
    assert_int_equal(s_check(fx, &fx->hub, &back, NULL, why), SD_EFORBIDDEN);
    assert_non_null(strstr(why, "bad signature"));
    sd_event_clear(&back);
    ev.hlc++;
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), SD_EFORBIDDEN);
    ev.hlc--;
    /* The hub relays but cannot sign as APAC; EMEA's key cannot write as APAC. */
    assert_int_equal(sd_sign_event(&fx->emea, sd_event_first_prev, &ev), SD_EINVAL);
    strcpy(ev.kid, fx->emea.kid);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), SD_EFORBIDDEN);
    assert_non_null(strstr(why, "no key"));
    /* A stolen-looking key nobody admitted. */
    assert_int_equal(sd_sign_event(&fx->rogue, sd_event_first_prev, &ev), 0);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), SD_EFORBIDDEN);
    sd_mp_writer_destroy(&w);
    sd_event_clear(&ev);
}

static void test_unsigned_only_legacy(void **state)
{
    fx_t *fx = *state;
    sd_event_t ev;
    char why[200];
    sd_vector_t legacy = {0};
    sd_vector_set(&legacy, "APAC", 5);
    s_ticket(&ev, "APAC", 5, NOW);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), SD_EFORBIDDEN);
    assert_non_null(strstr(why, "not signed"));
    assert_int_equal(s_check(fx, &fx->hub, &ev, &legacy, why), 0);
    ev.seq = 6;
    assert_int_equal(s_check(fx, &fx->hub, &ev, &legacy, why), SD_EFORBIDDEN);
    sd_event_clear(&ev);
}

static void test_clock_bound(void **state)
{
    fx_t *fx = *state;
    sd_event_t ev;
    char why[200];
    s_ticket(&ev, "APAC", 1, NOW + 60000);
    sd_sign_event(&fx->apac, sd_event_first_prev, &ev);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), 0);
    sd_event_clear(&ev);
    s_ticket(&ev, "APAC", 1, NOW + 60001);
    sd_sign_event(&fx->apac, sd_event_first_prev, &ev);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), SD_ERANGE);
    assert_non_null(strstr(why, "ahead"));
    sd_event_clear(&ev);
    /* The end of time, signed by the real key: still refused. */
    s_ticket(&ev, "APAC", 1, 0);
    ev.hlc = UINT64_MAX;
    sd_sign_event(&fx->apac, sd_event_first_prev, &ev);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), SD_ERANGE);
    sd_event_clear(&ev);
}

static void test_names_and_origins(void **state)
{
    fx_t *fx = *state;
    sd_event_t ev;
    char why[200];
    /* APAC's own key, but a ticket id of EMEA's range. */
    s_ticket(&ev, "APAC", 1, NOW);
    strcpy(ev.key, "EMEA-000004");
    sd_sign_event(&fx->apac, sd_event_first_prev, &ev);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), SD_EFORBIDDEN);
    assert_non_null(strstr(why, "another site"));
    sd_event_clear(&ev);
    /* Another site's scheduler. */
    s_ticket(&ev, "APAC", 1, NOW);
    strcpy(ev.author, "scheduler@EMEA");
    sd_sign_event(&fx->apac, sd_event_first_prev, &ev);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), SD_EFORBIDDEN);
    strcpy(ev.author, "scheduler@APAC");
    sd_sign_event(&fx->apac, sd_event_first_prev, &ev);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), 0);
    /* A site may send only its own origin; nobody this node's own (AMER). */
    sd_event_clear(&ev);
    s_ticket(&ev, "EMEA", 1, NOW);
    sd_sign_event(&fx->emea, sd_event_first_prev, &ev);
    assert_int_equal(s_check(fx, &fx->apac_peer, &ev, NULL, why), SD_EFORBIDDEN);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), 0);
    strcpy(ev.origin, "AMER");
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), SD_EFORBIDDEN);
    sd_event_clear(&ev);
}

/* A handover names the site it moves the ticket from: only that site (or a hub) makes it. */
static void test_handover_by_owner_only(void **state)
{
    fx_t *fx = *state;
    sd_event_t ev = {0};
    char why[200];
    assert_int_equal(sd_event_start(&ev, &sd_kind_ticket, SD_OP_HANDOVER), 0);
    strcpy(ev.origin, "EMEA");
    strcpy(ev.key, "APAC-000001");
    strcpy(ev.author, "olga");
    ev.seq = 3;
    ev.hlc = (uint64_t)NOW << 16;
    ev.mask = sd_kind_register_mask(&sd_kind_ticket, SD_REG_OWNER);
    sd_event_ticket(&ev)->handover_from = strdup("APAC");
    sd_event_ticket(&ev)->owner_site = strdup("EMEA");
    sd_sign_event(&fx->emea, sd_event_first_prev, &ev);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), SD_EFORBIDDEN);
    assert_non_null(strstr(why, "hands over"));
    free(sd_event_ticket(&ev)->handover_from);
    sd_event_ticket(&ev)->handover_from = strdup("EMEA");
    sd_sign_event(&fx->emea, sd_event_first_prev, &ev);
    assert_int_equal(s_check(fx, &fx->hub, &ev, NULL, why), 0);
    sd_event_clear(&ev);
}

/* Rotation: APAC's new key is added beside the old one everywhere; events signed with either
 * verify; once the old public key is dropped, events signed with it no longer do. */
static void test_key_rotation(void **state)
{
    fx_t *fx = *state;
    sd_signer_t next;
    sd_signers_t both = fx->known, after = {0};
    s_key("APAC", &next, &both);
    sd_event_t old_ev, new_ev;
    s_ticket(&old_ev, "APAC", 1, NOW);
    s_ticket(&new_ev, "APAC", 2, NOW);
    sd_sign_event(&fx->apac, sd_event_first_prev, &old_ev);
    char h[65];
    sd_event_hash(&old_ev, h);
    sd_sign_event(&next, h, &new_ev);
    assert_string_not_equal(old_ev.kid, new_ev.kid);
    sd_fault_t f;
    assert_int_equal(sd_sign_verify(&both, &old_ev, &f), 0);
    assert_int_equal(sd_sign_verify(&both, &new_ev, &f), 0);
    assert_int_equal(sd_sign_verify(&fx->known, &new_ev, &f), SD_EFORBIDDEN); /* not yet known */
    for (size_t i = 0; i < both.count; i++)
        if (strcmp(both.keys[i].kid, fx->apac.kid) != 0)
            after.keys[after.count++] = both.keys[i];
    assert_int_equal(sd_sign_verify(&after, &new_ev, &f), 0);
    assert_int_equal(sd_sign_verify(&after, &old_ev, &f), SD_EFORBIDDEN);
    sd_signer_clear(&next);
    sd_event_clear(&old_ev);
    sd_event_clear(&new_ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_unsigned_only_legacy),
        cmocka_unit_test(test_clock_bound),
        cmocka_unit_test(test_names_and_origins),
        cmocka_unit_test(test_handover_by_owner_only),
        cmocka_unit_test(test_key_rotation),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
