/* test_mail_parse.c - the mail gateway's parser (tools/mailgate/mail.h): charsets as Chinese,
 * Japanese and Korean mail really labels them, never invalid UTF-8 out, HTML as text, the
 * classes of RFC 3834 loop safety, threading ids, attachments, and the limits (References kept
 * newest first, an overlong Message-ID hashed, a long text cut on a character boundary). The
 * whole-message corpus is test_mail_corpus.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True when s is valid UTF-8 (no overlong forms, no surrogates). */
static bool s_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0 || (n == 1 && *p < 0xC2))
            return false;
        for (int i = 1; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n + 1;
    }
    return true;
}

static void test_charset_labels(void **state)
{
    (void)state;
    assert_string_equal(sd_mail_charset("GB2312"), "GB18030");
    assert_string_equal(sd_mail_charset("gbk"), "GB18030");
    assert_string_equal(sd_mail_charset("ks_c_5601-1987"), "CP949");
    assert_string_equal(sd_mail_charset("EUC-KR"), "CP949");
    assert_string_equal(sd_mail_charset("Shift_JIS"), "CP932");
    assert_string_equal(sd_mail_charset("big5"), "BIG5-HKSCS");
    assert_string_equal(sd_mail_charset("iso-8859-1"), "iso-8859-1");
}

static void test_gb2312_label_with_gbk_bytes(void **state)
{
    (void)state;
    /* "测试–完成": the en dash is A8 43, in GBK but not in GB2312 (iconv GB2312 fails). */
    const char gbk[] = "\xB2\xE2\xCA\xD4\xA8\x43\xCD\xEA\xB3\xC9";
    char *s = sd_mail_to_utf8(gbk, sizeof gbk - 1, "gb2312");
    assert_string_equal(s, "测试–完成");
    free(s);
}

static void test_mislabelled_and_invalid_bytes(void **state)
{
    (void)state;
    /* Labelled UTF-8, really GBK: read as GB18030. */
    char *s = sd_mail_to_utf8("\xC4\xE3\xBA\xC3", 4, "utf-8");
    assert_string_equal(s, "你好");
    free(s);
    /* An unknown label, UTF-8 bytes: taken as UTF-8. */
    s = sd_mail_to_utf8("caf\xC3\xA9", 5, "x-unknown-charset");
    assert_string_equal(s, "café");
    free(s);
    /* Bytes no decoding takes: replaced, never passed on. */
    s = sd_mail_to_utf8("a\xFF\xFE\x80z", 5, "utf-8");
    assert_true(s_utf8(s));
    assert_non_null(strstr(s, "\xEF\xBF\xBD"));
    assert_int_equal(s[0], 'a');
    free(s);
    /* CRLF and CR as LF, NUL dropped. */
    s = sd_mail_to_utf8("a\r\nb\rc\0d", 8, NULL);
    assert_string_equal(s, "a\nb\ncd");
    free(s);
}

static void test_html_text(void **state)
{
    (void)state;
    char *s = sd_mail_html_text("<html><head><title>t</title><style>p{x:1}</style></head><body>"
                                "<p>A&amp;B &lt;x&gt;&nbsp;&#26159;&#x662F;</p>"
                                "<div><div>one</div></div><div><br></div><div>two  \n  words</div>"
                                "<script>var x = '<p>';</script><ul><li>i</li><li>j</li></ul>"
                                "&unknown; & alone</body></html>");
    assert_string_equal(s, "A&B <x> 是是\none\n\ntwo words\n- i\n- j\n&unknown; & alone");
    free(s);
}

static void test_trim_and_cut(void **state)
{
    (void)state;
    char t[] = "\n\n  \nline one  \n\n\n\nline two\t\n\n";
    sd_mail_trim_text(t);
    assert_string_equal(t, "line one\n\nline two");
    /* 你 is 3 bytes: a cut inside it backs off to the character before. */
    assert_int_equal(sd_mail_utf8_cut("ab你好", 4), 2);
    assert_int_equal(sd_mail_utf8_cut("ab你好", 5), 5);
    assert_int_equal(sd_mail_utf8_cut("ab", 100), 2);
}

/* Parses text (a whole message) with envelope sender (NULL: none given). */
static void s_parse(const char *text, const char *sender, sd_mail_t *m)
{
    char err[128];
    assert_int_equal(sd_mail_parse(text, strlen(text), sender, m, err, sizeof err), 0);
}

static void test_thread_ids(void **state)
{
    (void)state;
    sd_mail_t m;
    s_parse("From: \"Zhang San\" <Zhang.San@Example.CN>\r\n"
            "To: a@x.cn, Group: b@x.cn, \"C, D\" <C@X.cn>;\r\n"
            "Subject: =?gb2312?B?1cXI/Q==?= re\r\n"
            "Message-ID: <abc@x.cn>\r\n"
            "In-Reply-To: <sundesk.APAC-000042.01@desk> (sent by the desk)\r\n"
            "References: <one@x>\r\n <two@x>  <sundesk.APAC-000042.01@desk>\r\n\r\nbody\r\n",
            NULL, &m);
    assert_string_equal(m.message_id, "abc@x.cn");
    assert_false(m.message_id_made);
    assert_string_equal(m.from, "zhang.san@example.cn");
    assert_string_equal(m.from_name, "Zhang San");
    assert_string_equal(m.to, "a@x.cn, b@x.cn, c@x.cn");
    assert_string_equal(m.subject, "张三 re");
    assert_string_equal(m.in_reply_to, "<sundesk.APAC-000042.01@desk>");
    assert_string_equal(m.references, "<one@x> <two@x> <sundesk.APAC-000042.01@desk>");
    assert_string_equal(m.text, "body");
    assert_int_equal(m.cls, SD_MAIL_NORMAL);
    sd_mail_clear(&m);
}

static void test_classes(void **state)
{
    (void)state;
    static const struct {
        const char *headers; /* extra header lines */
        const char *sender;  /* envelope sender */
        sd_mail_class_t cls; /* expected */
    } cases[] = {
        {"Auto-Submitted: no\r\n", NULL, SD_MAIL_NORMAL},
        {"Auto-Submitted: auto-generated; x=1\r\n", NULL, SD_MAIL_AUTO},
        {"Auto-Submitted: Auto-Replied\r\n", NULL, SD_MAIL_AUTO},
        {"Precedence: junk\r\n", NULL, SD_MAIL_AUTO},
        {"Precedence: bulk\r\n", NULL, SD_MAIL_AUTO},
        {"Precedence: list\r\n", NULL, SD_MAIL_LIST},
        {"List-Id: <l.example.org>\r\n", NULL, SD_MAIL_LIST},
        {"Return-Path: <>\r\n", NULL, SD_MAIL_AUTO},
        {"Return-Path: <a@x>\r\n", "", SD_MAIL_AUTO}, /* the MTA's $SENDER wins */
        {"Return-Path: <>\r\n", "a@x", SD_MAIL_NORMAL},
        {"", "someone@example.cn", SD_MAIL_NORMAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "From: a@x\r\n%sSubject: s\r\nMessage-ID: <%zu@x>\r\n\r\nhi\r\n", cases[i].headers,
                 i);
        sd_mail_t m;
        s_parse(text, cases[i].sender, &m);
        if (m.cls != cases[i].cls)
            fail_msg("case %zu (%s): class %s", i, cases[i].headers, sd_mail_class_name(m.cls));
        sd_mail_clear(&m);
    }
}

static void test_report_without_original(void **state)
{
    (void)state;
    sd_mail_t m;
    s_parse("From: postmaster@x.cn\r\nMessage-ID: <r@x>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=R\r\n\r\n"
            "--R\r\nContent-Type: text/plain\r\n\r\nfailed\r\n"
            "--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n"
            "Final-Recipient: rfc822; a@b.cn\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--R--\r\n",
            "", &m);
    /* No original message named: nothing to attach it to, and never a ticket. */
    assert_int_equal(m.cls, SD_MAIL_AUTO);
    sd_mail_clear(&m);
}

static void test_no_from(void **state)
{
    (void)state;
    sd_mail_t m;
    s_parse("Message-ID: <nofrom@x>\r\nSubject: s\r\n\r\nhi\r\n", "Scanner@Example.CN", &m);
    assert_string_equal(m.from, "scanner@example.cn"); /* the envelope's, when no From */
    sd_mail_clear(&m);
}

static void test_attachment_and_alternative(void **state)
{
    (void)state;
    sd_mail_t m;
    s_parse("From: a@x\r\nMessage-ID: <m@x>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
            "--B\r\nContent-Type: multipart/alternative; boundary=C\r\n\r\n"
            "--C\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain text\r\n"
            "--C\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html text</p>\r\n--C--\r\n"
            "--B\r\nContent-Type: text/plain; name=log.txt\r\n"
            "Content-Disposition: attachment; filename=log.txt\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--B--\r\n",
            NULL, &m);
    assert_string_equal(m.text, "plain text");
    assert_false(m.html_only);
    assert_int_equal(m.attachment_count, 1);
    assert_string_equal(m.attachments[0].name, "log.txt");
    assert_string_equal(m.attachments[0].type, "text/plain");
    assert_int_equal(m.attachments[0].size, 5);
    assert_memory_equal(m.attachments[0].data, "hello", 5);
    sd_mail_clear(&m);
}

static void test_limits(void **state)
{
    (void)state;
    /* 300 references of ~20 bytes: the newest that fit in 4096 bytes, the newest last. */
    size_t cap = 64 * 1024;
    char *text = malloc(cap);
    size_t n = (size_t)snprintf(text, cap, "From: a@x\r\nMessage-ID: <");
    for (int i = 0; i < 300; i++) /* an overlong Message-ID: 300 x 10 bytes */
        n += (size_t)snprintf(text + n, cap - n, "0123456789");
    n += (size_t)snprintf(text + n, cap - n, "@x>\r\nReferences:");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(text + n, cap - n, " <ref%04d@example.com>\r\n", i);
    snprintf(text + n, cap - n, "\r\nhi\r\n");
    sd_mail_t m;
    s_parse(text, NULL, &m);
    assert_true(m.message_id_made);
    assert_true(strlen(m.message_id) < 80);
    assert_true(strlen(m.references) <= 4096);
    assert_non_null(strstr(m.references, "<ref0299@example.com>"));
    assert_null(strstr(m.references, "<ref0000@example.com>"));
    const char *last = m.references + strlen(m.references) - strlen("<ref0299@example.com>");
    assert_string_equal(last, "<ref0299@example.com>");
    sd_mail_clear(&m);
    free(text);
}

static void test_not_a_message(void **state)
{
    (void)state;
    sd_mail_t m;
    char err[128];
    assert_int_equal(sd_mail_parse("", 0, NULL, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "not an e-mail message"));
    sd_mail_clear(&m);
    /* An mbox "From " line before the headers is skipped. */
    s_parse("From someone@x Mon Sep  2 09:00:00 2024\nFrom: b@x\nMessage-ID: <f@x>\n\nhi\n", NULL,
            &m);
    assert_string_equal(m.from, "b@x");
    sd_mail_clear(&m);
}

static void test_json(void **state)
{
    (void)state;
    sd_mail_t m;
    s_parse("From: a@x\r\nMessage-ID: <j@x>\r\nSubject: s\r\n\r\n你好世界\r\n", NULL, &m);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(sd_mail_json(&m, 7, "M-1", out), 0); /* 7 bytes: two characters of four */
    fclose(out);
    assert_non_null(strstr(buf, "\"text\": \"你好\""));
    assert_non_null(strstr(buf, "\"text_truncated\": true"));
    assert_non_null(strstr(buf, "\"id\": \"M-1\""));
    free(buf);
    sd_mail_clear(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charset_labels),
        cmocka_unit_test(test_gb2312_label_with_gbk_bytes),
        cmocka_unit_test(test_mislabelled_and_invalid_bytes),
        cmocka_unit_test(test_html_text),
        cmocka_unit_test(test_trim_and_cut),
        cmocka_unit_test(test_thread_ids),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_no_from),
        cmocka_unit_test(test_report_without_original),
        cmocka_unit_test(test_attachment_and_alternative),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_not_a_message),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
