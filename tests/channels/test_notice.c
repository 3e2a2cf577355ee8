/* test_notice.c - how the desk's notices are written and handed off (node/channels/notice.h):
 * the built-in templates and an admin's override, the RFC 2047 subject (encoded words of at most
 * 75 bytes that decode back to the UTF-8 text, cut between characters), the headers and the
 * base64 body of a mail, the reply time in a zone, and `sendmail -t -i` run for real (scripts in
 * a temporary directory): taken, refused for good (EX_DATAERR), refused for now (EX_TEMPFAIL),
 * killed after its timeout, a program that does not exist. */
#include "notice.h"

#include "error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "chan_test.h"

static char s_dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(s_dir, sizeof s_dir, "/tmp/notice-XXXXXX");
    return mkdtemp(s_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", s_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_builtin_and_override(void **state)
{
    (void)state;
    sd_notice_vars_t v = {.ticket = "APAC-000042",
                          .title = "打印机坏了",
                          .reply_due = "2026-11-30 09:00 (Asia/Shanghai, UTC+08:00)",
                          .url = "https://desk/#/tickets/APAC-000042"};
    char *subject, *body;
    assert_int_equal(sd_notice_render(NULL, "zh-CN", "ack", &v, &subject, &body), 0);
    assert_string_equal(subject, "[APAC-000042] 我们已收到您的请求：打印机坏了");
    assert_non_null(
        strstr(body, "我们承诺在 2026-11-30 09:00 (Asia/Shanghai, UTC+08:00) 之前答复您"));
    assert_non_null(strstr(body, "https://desk/#/tickets/APAC-000042"));
    free(subject), free(body);
    assert_int_equal(sd_notice_render("", "en-GB", "ack", &v, &subject, &body), 0);
    assert_string_equal(subject, "[APAC-000042] We received your request: 打印机坏了");
    free(subject), free(body);
    assert_int_equal(sd_notice_render(NULL, "en", "nothing", &v, &subject, &body), SD_ENOTFOUND);
    /* an admin's file wins; a newline in a subject never splits the header */
    char path[128];
    snprintf(path, sizeof path, "%s/zh-CN", s_dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/zh-CN/ack.txt", s_dir);
    sd_test_write_file(path, "Subject: 收到 {ticket} {unknown}\n\n{title}，{reply_due} 前回复。\n",
                       0600);
    v.title = "两行\n标题";
    assert_int_equal(sd_notice_render(s_dir, "zh", "ack", &v, &subject, &body), 0);
    assert_string_equal(subject, "收到 APAC-000042 {unknown}");
    assert_string_equal(body, "两行\n标题，2026-11-30 09:00 (Asia/Shanghai, UTC+08:00) 前回复。\n");
    free(subject), free(body);
    v.title = "a\r\nBcc: x@y";
    snprintf(path, sizeof path, "%s/zh-CN/reply.txt", s_dir);
    sd_test_write_file(path, "Subject: {title}\n\n{text}\n", 0600);
    assert_int_equal(sd_notice_render(s_dir, "zh-CN", "reply", &v, &subject, &body), 0);
    assert_null(strchr(subject, '\n'));
    free(subject), free(body);
}

/* Decodes the encoded words of an RFC 2047 header value into out. */
static void s_decode_words(const char *value, char *out, size_t cap)
{
    size_t used = 0;
    for (const char *p = strstr(value, "=?UTF-8?B?"); p; p = strstr(p, "=?UTF-8?B?")) {
        const char *end = strstr(p + 10, "?=");
        assert_non_null(end);
        assert_true(end + 2 - p <= 75);
        size_t n;
        assert_int_equal(sodium_base642bin((unsigned char *)out + used, cap - used, p + 10,
                                           (size_t)(end - p - 10), NULL, &n, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        /* each word holds whole characters: it is valid UTF-8 alone */
        assert_true(n == 0 || ((unsigned char)out[used] & 0xC0) != 0x80);
        used += n;
        p = end + 2;
    }
    out[used] = 0;
}

static void test_subject_and_format(void **state)
{
    (void)state;
    char *s = sd_mail_subject("[APAC-000042] Printer broken");
    assert_string_equal(s, "[APAC-000042] Printer broken");
    free(s);
    const char *zh =
        "[APAC-000042] 我们已收到您的请求：三楼财务部的打印机无法打印，显示卡纸但是里面没有纸";
    s = sd_mail_subject(zh);
    char back[512];
    s_decode_words(s, back, sizeof back);
    assert_string_equal(back, zh);
    assert_non_null(strstr(s, "?=\n =?UTF-8?B?")); /* folded over lines */
    free(s);
    sd_mail_head_t h = {.from = "desk@example.com",
                        .to = "wang@example.com",
                        .subject = "已解决",
                        .message_id = "<sundesk.APAC-000042.1f@d>",
                        .in_reply_to = "<orig@x>",
                        .references = "<a@x> <orig@x>",
                        .ticket = "APAC-000042",
                        .date_ms = 1764400000000ull};
    char *mail = sd_mail_format(&h, "第一行\n第二行\n");
    assert_non_null(mail);
    static const char *const want[] = {"From: desk@example.com\n",
                                       "To: wang@example.com\n",
                                       "Message-ID: <sundesk.APAC-000042.1f@d>\n",
                                       "In-Reply-To: <orig@x>\n",
                                       "References: <a@x> <orig@x>\n",
                                       "Auto-Submitted: auto-generated\n",
                                       "X-Auto-Response-Suppress: All\n",
                                       "Content-Type: text/plain; charset=UTF-8\n",
                                       "Content-Transfer-Encoding: base64\n",
                                       "Date: Sat, 29 Nov 2025 07:06:40 +0000\n"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_non_null(strstr(mail, want[i]));
    const char *body = strstr(mail, "\n\n") + 2;
    unsigned char text[128];
    size_t n;
    assert_int_equal(sodium_base642bin(text, sizeof text, body, strlen(body), "\n", &n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    assert_memory_equal(text, "第一行\n第二行\n", n);
    free(mail);
    h.auto_replied = true;
    mail = sd_mail_format(&h, "");
    assert_non_null(strstr(mail, "Auto-Submitted: auto-replied\n"));
    free(mail);
}

static void test_time_in_zone(void **state)
{
    (void)state;
    char out[96];
    sd_notice_time(1764400000000ull, "Asia/Shanghai", out, sizeof out);
    assert_string_equal(out, "2025-11-29 15:06 (Asia/Shanghai, UTC+08:00)");
    sd_notice_time(1764400000000ull, "America/New_York", out, sizeof out);
    assert_string_equal(out, "2025-11-29 02:06 (America/New_York, UTC-05:00)");
    sd_notice_time(1764400000000ull, "Nowhere/Atlantis", out, sizeof out);
    assert_string_equal(out, "2025-11-29 07:06 (UTC, UTC+00:00)");
}

static int s_send_with(const char *script, int timeout_ms, char *err, size_t cap)
{
    char path[128];
    snprintf(path, sizeof path, "%s/sendmail", s_dir);
    unlink(path);
    sd_test_write_file(path, script, 0755);
    sd_mail_config_t m = {.transport = SD_MAIL_SENDMAIL};
    snprintf(m.sendmail, sizeof m.sendmail, "%s", path);
    return sd_deliver_mail(&m, "a@b", "To: a@b\nSubject: x\n\nbody\n", timeout_ms, err, cap);
}

static void test_sendmail(void **state)
{
    (void)state;
    char err[256], script[256], got[128];
    snprintf(got, sizeof got, "%s/got", s_dir);
    snprintf(script, sizeof script, "#!/bin/sh\n[ \"$1 $2\" = \"-t -i\" ] || exit 64\ncat >%s\n",
             got);
    assert_int_equal(s_send_with(script, 5000, err, sizeof err), 0);
    FILE *f = fopen(got, "r");
    assert_non_null(f);
    char buf[128] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    assert_string_equal(buf, "To: a@b\nSubject: x\n\nbody\n");
    assert_int_equal(s_send_with("#!/bin/sh\ncat >/dev/null\necho 'bad recipient' >&2\nexit 65\n",
                                 5000, err, sizeof err),
                     SD_EIO);
    assert_non_null(strstr(err, "exited with 65: bad recipient"));
    assert_int_equal(s_send_with("#!/bin/sh\ncat >/dev/null\nexit 75\n", 5000, err, sizeof err),
                     SD_EBUSY);
    assert_int_equal(s_send_with("#!/bin/sh\nexec sleep 5\n", 300, err, sizeof err), SD_EBUSY);
    assert_non_null(strstr(err, "killed"));
    sd_mail_config_t m = {.transport = SD_MAIL_SENDMAIL, .sendmail = "/nonexistent/sendmail"};
    assert_int_equal(sd_deliver_mail(&m, "a@b", "x\n", 5000, err, sizeof err), SD_EBUSY);
    assert_non_null(strstr(err, "cannot run /nonexistent/sendmail"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_and_override),
        cmocka_unit_test(test_subject_and_format),
        cmocka_unit_test(test_time_in_zone),
        cmocka_unit_test(test_sendmail),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
