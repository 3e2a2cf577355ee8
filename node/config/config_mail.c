/* config_mail.c - the mail section: the desk's address, how its mail goes out, what the mail
 * gateway takes (config_channels.h). */
#include "config.h"

#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A plain address: local@domain, printable ASCII without spaces, brackets or quotes. */
static bool s_address(const char *a)
{
    const char *at = strchr(a, '@');
    if (!at || at == a || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const char *p = a; *p; p++)
        if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
            return false;
    return true;
}

/* A comma-separated list of addresses (spaces after commas allowed). */
static bool s_addresses(const char *list)
{
    char buf[SD_MAIL_LIST_MAX];
    if (!sd_config_set_str(buf, sizeof buf, list))
        return false;
    char *save = NULL;
    for (char *a = strtok_r(buf, ", ", &save); a; a = strtok_r(NULL, ", ", &save))
        if (!s_address(a))
            return false;
    return true;
}

/* A DNS name: letters, digits, '-' and '.', not starting or ending with a dot. */
static bool s_domain(const char *d)
{
    if (!d[0] || d[0] == '.' || d[strlen(d) - 1] == '.')
        return false;
    for (const char *p = d; *p; p++)
        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9') &&
            *p != '-' && *p != '.')
            return false;
    return true;
}

static bool s_choice(const char *value, const char *const *names, int *out)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(value, names[i])) {
            *out = i;
            return true;
        }
    return false;
}

int sd_config_mail_item(sd_config_t *cfg, zconfig_t *item, char *why, size_t cap)
{
    static const char *const transports[] = {"off", "sendmail", "smtp", NULL};
    static const char *const policies[] = {"open", "hold", NULL};
    sd_mail_config_t *m = &cfg->mail;
    const char *key = zconfig_name(item);
    const char *value = zconfig_value(item) ? zconfig_value(item) : "";
    const char *expect = NULL;
    bool ok;
    if (zconfig_child(item)) {
        snprintf(why, cap, "mail takes keys, not subsections");
        return SD_ECONFIG;
    }
    if (!strcmp(key, "address")) {
        ok = sd_config_set_str(m->address, sizeof m->address, value) && s_address(value);
        expect = "an address such as support@example.com";
    } else if (!strcmp(key, "domain")) {
        ok = sd_config_set_str(m->domain, sizeof m->domain, value) && s_domain(value);
        m->domain_set = ok;
        expect = "a domain name such as desk.example.com";
    } else if (!strcmp(key, "transport")) {
        ok = s_choice(value, transports, &m->transport);
        expect = "off, sendmail or smtp";
    } else if (!strcmp(key, "sendmail")) {
        ok = sd_config_set_str(m->sendmail, sizeof m->sendmail, value) && value[0] == '/';
        expect = "an absolute path";
    } else if (!strcmp(key, "smtp_url")) {
        ok = sd_config_set_str(m->smtp_url, sizeof m->smtp_url, value) &&
             (!strncmp(value, "smtp://", 7) || !strncmp(value, "smtps://", 8));
        expect = "smtp://HOST:PORT or smtps://HOST:PORT";
    } else if (!strcmp(key, "smtp_user")) {
        ok = sd_config_set_str(m->smtp_user, sizeof m->smtp_user, value);
        expect = "a user name";
    } else if (!strcmp(key, "smtp_password_file")) {
        ok = sd_config_set_str(m->smtp_password_file, sizeof m->smtp_password_file, value) &&
             value[0] == '/';
        expect = "an absolute path";
    } else if (!strcmp(key, "unknown_sender")) {
        ok = s_choice(value, policies, &m->unknown_sender);
        expect = "open or hold";
    } else if (!strcmp(key, "max_bytes")) {
        char *end;
        m->max_bytes = strtol(value, &end, 10);
        ok = value[0] && !*end && m->max_bytes >= 4096 && m->max_bytes <= 100L * 1024 * 1024;
        expect = "4096 to 104857600";
    } else if (!strcmp(key, "language")) {
        ok = sd_config_set_str(m->language, sizeof m->language, value) && value[0];
        expect = "a language tag such as zh-CN or en";
    } else if (!strcmp(key, "templates")) {
        ok = sd_config_set_str(m->templates, sizeof m->templates, value) && value[0] == '/';
        expect = "an absolute path";
    } else if (!strcmp(key, "console_url")) {
        ok = sd_config_set_str(m->console_url, sizeof m->console_url, value) &&
             (!strncmp(value, "http://", 7) || !strncmp(value, "https://", 8));
        expect = "an http:// or https:// URL";
    } else if (!strcmp(key, "bulletin_to")) {
        ok = s_addresses(value);
        ok = ok && sd_config_set_str(m->bulletin_to, sizeof m->bulletin_to, value);
        expect = "comma-separated addresses";
    } else if (!strcmp(key, "auto_per_hour")) {
        char *end;
        long n = strtol(value, &end, 10);
        ok = value[0] && !*end && n >= 1 && n <= 1000;
        m->auto_per_hour = ok ? (int)n : m->auto_per_hour;
        expect = "1 to 1000";
    } else {
        snprintf(why, cap,
                 "unknown option (known: address, domain, transport, sendmail, smtp_url, "
                 "smtp_user, smtp_password_file, unknown_sender, max_bytes, language, "
                 "templates, console_url, bulletin_to, auto_per_hour)");
        return SD_ECONFIG;
    }
    if (!ok)
        snprintf(why, cap, "bad value '%.64s' (%s)", value, expect);
    return ok ? 0 : SD_ECONFIG;
}

/* The mail section's rules across keys. */
int sd_config_mail_done(sd_config_t *cfg, char *why, size_t cap)
{
    sd_mail_config_t *m = &cfg->mail;
    if (!m->domain_set) /* .invalid (RFC 2606): never a real host's, unique per site */
        snprintf(m->domain, sizeof m->domain, "%s.sundesk.invalid", cfg->site);
    if (m->transport != SD_MAIL_OFF && !m->address[0]) {
        snprintf(why, cap, "mail/address: the desk's address is needed to send mail (From)");
        return SD_ECONFIG;
    }
    if (m->transport == SD_MAIL_SMTP && !m->smtp_url[0]) {
        snprintf(why, cap, "mail/smtp_url: transport smtp needs the server's URL");
        return SD_ECONFIG;
    }
    if (m->smtp_user[0] != 0 && !m->smtp_password_file[0]) {
        snprintf(why, cap, "mail/smtp_password_file: smtp_user needs its password file");
        return SD_ECONFIG;
    }
    struct stat st;
    if (m->smtp_password_file[0] &&
        (stat(m->smtp_password_file, &st) != 0 || (st.st_mode & 077) != 0)) {
        snprintf(why, cap,
                 "mail/smtp_password_file: %s must exist and be readable by its owner only "
                 "(chmod 600)",
                 m->smtp_password_file);
        return SD_ECONFIG;
    }
    return 0;
}
