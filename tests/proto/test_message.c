/* test_message.c - the message kind (proto/message.h): its ids (known answers computed with
 * Python's hashlib.blake2b(digest_size=16), so any program can make them), the shapes of
 * message and blob ids, the attachments string, and a record's round trip through its stored
 * form with every register. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "message.h"
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_ids(void **state)
{
    (void)state;
    char id[SD_ID_MAX + 1];
    assert_int_equal(sd_message_id_for("email", "CAF=1@mail.example.com", id), 0);
    assert_string_equal(id, "M-520dc62dc6e19a03b8b7ee1cc0557e");
    assert_int_equal(strlen(id), SD_ID_MAX);
    assert_true(sd_message_id_valid(id));
    assert_int_equal(sd_message_id_for("chat", "wecom\ng-1\nm1", id), 0);
    assert_string_equal(id, "M-c4fbef2c309a20d986abbb590892c0");
    assert_int_equal(sd_message_id_for("fax", "x", id), SD_EINVAL);
    assert_int_equal(sd_message_id_for("email", "", id), SD_EINVAL);
    assert_false(sd_message_id_valid("M-520DC62DC6E19A03B8B7EE1CC0557E"));
    assert_false(sd_message_id_valid("M-520dc62dc6e19a03b8b7ee1cc0557"));
    assert_false(sd_message_id_valid("APAC-000042"));
    assert_true(
        sd_blob_id_valid("b2-80489de94b791bf2301cf6c21e6f8f54d2843aa816f181624429740e4704e2b5"));
    assert_false(
        sd_blob_id_valid("b2-80489de94b791bf2301cf6c21e6f8f54d2843aa816f181624429740e4704e2b"));
    assert_false(sd_blob_id_valid("M-520dc62dc6e19a03b8b7ee1cc0557e"));
}

typedef struct {
    int n;
    uint64_t total;
    char names[2][32];
} s_atts_t;

static int s_att(const sd_message_att_t *a, void *arg)
{
    s_atts_t *s = arg;
    if (s->n < 2)
        snprintf(s->names[s->n], sizeof s->names[0], "%s|%s", a->type, a->name);
    s->n++;
    s->total += a->size;
    return 0;
}

static void test_attachments(void **state)
{
    (void)state;
    const char *b = "b2-80489de94b791bf2301cf6c21e6f8f54d2843aa816f181624429740e4704e2b5";
    char list[512];
    snprintf(list, sizeof list, "%s\t1024\timage/png\t截图.png\n%s\t10\ttext/plain\ta b.txt", b, b);
    s_atts_t s = {0};
    assert_int_equal(sd_message_attachment_each(list, s_att, &s), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.total, 1034);
    assert_string_equal(s.names[0], "image/png|截图.png");
    assert_string_equal(s.names[1], "text/plain|a b.txt");
    assert_int_equal(sd_message_attachment_each("b2-x\t1\tt\tn", s_att, &s), SD_ECORRUPT);
    snprintf(list, sizeof list, "%s\tten\ttext/plain\tn", b);
    assert_int_equal(sd_message_attachment_each(list, s_att, &s), SD_ECORRUPT);
    snprintf(list, sizeof list, "%s\t10\ttext/plain", b);
    assert_int_equal(sd_message_attachment_each(list, s_att, &s), SD_ECORRUPT);
    assert_int_equal(sd_message_attachment_each(NULL, s_att, &s), 0);
}

static void test_record_round_trip(void **state)
{
    (void)state;
    sd_message_t *m = sd_record_new(&sd_kind_message);
    assert_non_null(m);
    sd_message_id_for("email", "CAF=1@mail.example.com", m->id);
    m->updated_at = 5;
    m->created_at = 4;
    m->site = strdup("APAC");
    m->message_id = strdup("CAF=1@mail.example.com");
    m->from = strdup("wang.fang@example.com");
    m->subject = strdup("打印机卡纸");
    m->text = strdup("第一行\n第二行");
    m->msg_class = SD_MCLASS_BOUNCE;
    m->bounce_recipient = strdup("gone@example.com");
    m->state = SD_MSTATE_BOUNCE;
    m->thread_by = SD_THREAD_IN_REPLY_TO;
    m->ticket = strdup("APAC-000042");
    sd_stamp_t *st = sd_record_stamps(&sd_kind_message, m);
    for (int i = 0; i < sd_kind_message.nregisters; i++) {
        st[i].hlc = 100 + (uint64_t)i;
        strcpy(st[i].origin, "APAC");
    }
    sd_mp_writer_t *w = sd_mp_writer_new();
    sd_record_encode(&sd_kind_message, m, true, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_mp_doc_t *doc = NULL;
    assert_int_equal(sd_mp_doc_parse(data, len, &doc), 0);
    sd_message_t *back = sd_record_new(&sd_kind_message);
    assert_int_equal(sd_record_decode(&sd_kind_message, sd_mp_doc_root(doc), back, NULL), 0);
    assert_string_equal(back->id, m->id);
    assert_string_equal(back->text, "第一行\n第二行");
    assert_int_equal(back->msg_class, SD_MCLASS_BOUNCE);
    assert_int_equal(back->state, SD_MSTATE_BOUNCE);
    assert_int_equal(back->thread_by, SD_THREAD_IN_REPLY_TO);
    assert_string_equal(back->ticket, "APAC-000042");
    assert_true(sd_record_exists(&sd_kind_message, back));
    /* The client view names the class "class". */
    sd_mp_writer_reset(w);
    sd_record_encode(&sd_kind_message, back, false, w);
    sd_mp_doc_t *view = NULL;
    data = sd_mp_writer_data(w, &len);
    assert_int_equal(sd_mp_doc_parse(data, len, &view), 0);
    assert_true(sd_mp_str_eq(sd_mp_get(sd_mp_doc_root(view), "class"), "bounce"));
    assert_true(sd_mp_str_eq(sd_mp_get(sd_mp_doc_root(view), "thread_by"), "in_reply_to"));
    sd_mp_doc_destroy(&view);
    sd_mp_doc_destroy(&doc);
    sd_record_destroy(&sd_kind_message, (void **)&back);
    sd_record_destroy(&sd_kind_message, (void **)&m);
    sd_mp_writer_destroy(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_attachments),
        cmocka_unit_test(test_record_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
