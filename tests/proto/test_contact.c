/* test_contact.c - the contact and major-incident rule kinds (proto/contact.h, proto/major.h):
 * a contact's index entries (newest first within a customer, a ticket, a call), their parsing,
 * the stored form, and how rules match tickets and merge their notify lists. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "contact.h"
#include "error.h"
#include "major.h"
#include "record.h"

#include <stdlib.h>
#include <string.h>

#define T0 1700000000000ull

/* A contact of customer at time at, id id, stamped as created. */
static void s_contact(sd_contact_t *c, const char *id, const char *customer, uint64_t at)
{
    memset(c, 0, sizeof *c);
    strcpy(c->id, id);
    c->at = at;
    c->customer = customer ? strdup(customer) : NULL;
    c->stamps[SD_CTREG_CREATED].hlc = at << 16;
    if (customer)
        c->stamps[SD_CTREG_CUSTOMER].hlc = at << 16;
}

/* The bytes of the entry of index `index` in keys; fails when there is none. */
static const uint8_t *s_entry(const sd_index_keys_t *keys, const char *index, size_t *len)
{
    size_t pos = 0;
    int type;
    const uint8_t *bytes;
    while (sd_index_next(keys, &pos, &type, &bytes, len))
        if (type == SD_INDEX_ENTRY && !strncmp((const char *)bytes, index, *len) &&
            strlen(index) + 1 <= *len && bytes[strlen(index)] == 0)
            return bytes;
    fail_msg("no %s entry", index);
    return NULL;
}

static void test_index_entries_newest_first(void **state)
{
    (void)state;
    sd_contact_t old, recent;
    s_contact(&old, "APAC-CT-000001", "APAC-C-000007", T0);
    s_contact(&recent, "APAC-CT-000002", "APAC-C-000007", T0 + 60000);
    sd_index_keys_t a = {0}, b = {0};
    assert_int_equal(sd_kind_contact.index(&old, &a), 0);
    assert_int_equal(sd_kind_contact.index(&recent, &b), 0);
    size_t la, lb;
    const uint8_t *ea = s_entry(&a, SD_CONTACT_INDEX_CUSTOMER, &la);
    const uint8_t *eb = s_entry(&b, SD_CONTACT_INDEX_CUSTOMER, &lb);
    /* The store keeps entries in byte order: the later contact comes first. */
    assert_true(memcmp(eb, ea, la < lb ? la : lb) < 0);
    /* The rest after "customer\0APAC-C-000007\0" is the time and the id. */
    size_t head = strlen(SD_CONTACT_INDEX_CUSTOMER) + 1 + strlen("APAC-C-000007") + 1;
    char id[SD_ID_MAX + 1];
    uint64_t at = 0;
    assert_int_equal(sd_contact_index_rest((const char *)eb + head, lb - head, id, &at), 0);
    assert_string_equal(id, "APAC-CT-000002");
    assert_int_equal(at, T0 + 60000);
    /* Every contact is in "at"; no ticket and no call id: no such entries. */
    s_entry(&a, SD_CONTACT_INDEX_AT, &la);
    size_t pos = 0, len;
    int type;
    const uint8_t *bytes;
    while (sd_index_next(&a, &pos, &type, &bytes, &len))
        assert_false(!strcmp((const char *)bytes, SD_CONTACT_INDEX_CALL) ||
                     !strcmp((const char *)bytes, SD_CONTACT_INDEX_TICKET));
    sd_record_clear(&sd_kind_contact, &old);
    sd_record_clear(&sd_kind_contact, &recent);
}

static void test_index_rest_refuses_other_shapes(void **state)
{
    (void)state;
    char id[SD_ID_MAX + 1];
    char rest[64] = {0};
    memcpy(rest + 8, "X-CT-1", 7);
    assert_int_equal(sd_contact_index_rest(rest, 15, id, NULL), 0);
    assert_string_equal(id, "X-CT-1");
    assert_int_equal(sd_contact_index_rest(rest, 8, id, NULL), SD_ECORRUPT);  /* no id */
    assert_int_equal(sd_contact_index_rest(rest, 14, id, NULL), SD_ECORRUPT); /* no NUL */
    rest[10] = 0;
    assert_int_equal(sd_contact_index_rest(rest, 15, id, NULL), SD_ECORRUPT); /* NUL inside */
    assert_int_equal(sd_contact_index_rest(rest, 8 + SD_ID_MAX + 2, id, NULL), SD_ECORRUPT);
}

static void test_stored_form_round_trip(void **state)
{
    (void)state;
    sd_contact_t c, out = {0};
    s_contact(&c, "APAC-CT-000003", NULL, T0);
    c.channel = SD_CONTACT_WALK_IN;
    c.direction = SD_CONTACT_OUT;
    c.from = strdup("+86 21 5555 0101");
    c.call_id = strdup("pbx-1");
    c.summary = strdup("came to the desk\nwith a laptop");
    c.stamps[SD_CTREG_SUMMARY].hlc = T0 << 16;
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_record_encode(&sd_kind_contact, &c, true, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_mp_doc_t *doc = NULL;
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    sd_fault_t fault;
    assert_int_equal(sd_record_decode(&sd_kind_contact, sd_mp_doc_root(doc), &out, &fault), 0);
    assert_true(sd_record_exists(&sd_kind_contact, &out));
    assert_int_equal(out.channel, SD_CONTACT_WALK_IN);
    assert_int_equal(out.direction, SD_CONTACT_OUT);
    assert_string_equal(out.summary, "came to the desk\nwith a laptop");
    assert_null(out.customer); /* an unknown caller */
    sd_mp_doc_destroy(&doc);
    sd_mp_writer_destroy(&w);
    sd_record_clear(&sd_kind_contact, &c);
    sd_record_clear(&sd_kind_contact, &out);
}

static void test_major_matches(void **state)
{
    (void)state;
    sd_major_t any = {.category = "*", .site = "*"};
    sd_major_t vpn = {.category = "network/vpn", .site = "*"};
    sd_major_t emea_vpn = {.category = "network/vpn", .site = "EMEA"};
    assert_true(sd_major_matches(&any, NULL, "APAC"));
    assert_true(sd_major_matches(&vpn, "network/vpn", "APAC"));
    assert_false(sd_major_matches(&vpn, "network/lan", "APAC"));
    assert_false(sd_major_matches(&vpn, NULL, "APAC")); /* a ticket without a category */
    assert_true(sd_major_matches(&emea_vpn, "network/vpn", "EMEA"));
    assert_false(sd_major_matches(&emea_vpn, "network/vpn", "APAC"));
    assert_false(sd_major_matches(&emea_vpn, "network/vpn/sub", "EMEA")); /* no prefixes */
}

static void test_notify_merge(void **state)
{
    (void)state;
    char out[64] = "";
    assert_int_equal(sd_major_notify_merge(out, sizeof out, " noc@example.com ,li,, li "), 0);
    assert_string_equal(out, "noc@example.com, li");
    assert_int_equal(sd_major_notify_merge(out, sizeof out, "li,+8613800000000"), 0);
    assert_string_equal(out, "noc@example.com, li, +8613800000000");
    assert_int_equal(sd_major_notify_merge(out, sizeof out, NULL), 0);
    /* "li" is no "lin": whole entries only. */
    assert_int_equal(sd_major_notify_merge(out, sizeof out, "lin"), 0);
    assert_string_equal(out, "noc@example.com, li, +8613800000000, lin");
    char small[16] = "";
    assert_int_equal(sd_major_notify_merge(small, sizeof small, "abcdef,ghijkl,mnopqr"),
                     SD_ETOOBIG);
    assert_string_equal(small, "abcdef, ghijkl"); /* what fitted */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_entries_newest_first),
        cmocka_unit_test(test_index_rest_refuses_other_shapes),
        cmocka_unit_test(test_stored_form_round_trip),
        cmocka_unit_test(test_major_matches),
        cmocka_unit_test(test_notify_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
