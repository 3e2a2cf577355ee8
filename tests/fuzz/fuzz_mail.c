/* fuzz_mail.c - libFuzzer harness of the mail gateway's parser (tools/mailgate/mail.h): any bytes
 * an MTA may pipe in, parsed with GMime.
 *
 * Every input is parsed or refused with a reason; a parsed message's strings are valid UTF-8
 * with no control character (but tab and LF in text: the node refuses others), its class is
 * one of four, and its JSON (--dry-run) is written. Everything is freed (sd_mail_clear). */
#include "fuzz.h"

#include "mail.h"
#include "utf8.h"

static FILE *s_null;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    s_null = fopen("/dev/null", "w");
    SD_FUZZ_CHECK(s_null != NULL, "/dev/null");
    return 0;
}

static void s_line(const char *s)
{
    SD_FUZZ_CHECK(s != NULL, "a field is never NULL");
    SD_FUZZ_CHECK(sd_utf8_valid(s, strlen(s)), "a field is valid UTF-8");
    SD_FUZZ_CHECK(!sd_utf8_has_control(s, strlen(s), true), "a field is one line");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sd_mail_t m;
    char err[256];
    err[0] = 0;
    /* The first byte picks the envelope sender: none, null (a bounce), an address. */
    const char *senders[] = {NULL, "", "someone@example.cn"};
    const char *sender = size ? senders[data[0] % 3] : NULL;
    int rc = sd_mail_parse(data, size, sender, &m, err, sizeof err);
    if (rc != 0) {
        SD_FUZZ_CHECK(rc == -1 && err[0], "a refusal says why");
        sd_mail_clear(&m);
        return 0;
    }
    const char *lines[] = {
        m.message_id, m.in_reply_to, m.references,       m.from,         m.from_name, m.to, m.cc,
        m.subject,    m.bounce_for,  m.bounce_recipient, m.bounce_status};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        s_line(lines[i]);
    SD_FUZZ_CHECK(m.message_id[0] != 0, "a message always has a Message-ID");
    SD_FUZZ_CHECK(strlen(m.message_id) <= 255, "a Message-ID fits the record");
    SD_FUZZ_CHECK(strlen(m.references) <= 4096, "References fit the record");
    SD_FUZZ_CHECK(sd_utf8_valid(m.text, strlen(m.text)), "the text is valid UTF-8");
    SD_FUZZ_CHECK(!sd_utf8_has_control(m.text, strlen(m.text), false), "no control characters");
    SD_FUZZ_CHECK(!strchr(m.text, '\r'), "LF line ends");
    SD_FUZZ_CHECK((unsigned)m.cls <= SD_MAIL_BOUNCE, "a class of four");
    for (size_t i = 0; i < m.attachment_count; i++) {
        s_line(m.attachments[i].name);
        s_line(m.attachments[i].type);
    }
    SD_FUZZ_CHECK(sd_mail_json(&m, 32768, "M-0", s_null) == 0, "the JSON is written");
    sd_mail_clear(&m);
    return 0;
}
