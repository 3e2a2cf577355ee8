/* mailid.c - the desk's Message-IDs (mailid.h). */
#include "mailid.h"

#include "error.h"

#include <stdio.h>
#include <string.h>

#define SD_MAILID_PREFIX "sundesk."

static bool s_hex(const char *s, size_t n)
{
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* SITE-DIGITS: a ticket's id (SITE of A-Z, 0-9, '-', '_'; the last '-' is followed by digits
 * only). */
static bool s_ticket_id(const char *s, size_t n)
{
    if (n < 3 || n > SD_ID_MAX)
        return false;
    size_t dash = n;
    while (dash > 0 && s[dash - 1] >= '0' && s[dash - 1] <= '9')
        dash--;
    if (dash == n || dash < 2 || s[dash - 1] != '-')
        return false;
    for (size_t i = 0; i + 1 < dash; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
              s[i] == '-'))
            return false;
    return true;
}

static bool s_domain(const char *d)
{
    if (!d[0])
        return false;
    for (const char *p = d; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '.'))
            return false;
    return true;
}

int sd_mailid_make(const char *ticket, const char *unique, const char *domain, char *out,
                   size_t cap)
{
    if (!ticket || !unique || !domain || !s_ticket_id(ticket, strlen(ticket)) ||
        !s_hex(unique, strlen(unique)) || !s_domain(domain))
        return SD_EINVAL;
    int n = snprintf(out, cap, "<" SD_MAILID_PREFIX "%s.%s@%s>", ticket, unique, domain);
    return n < 0 || (size_t)n >= cap || n > SD_MAILID_MAX ? SD_ETOOLONG : 0;
}

/* The ticket in the message id s[0..n) (no brackets), or false. */
static bool s_ticket_in(const char *s, size_t n, char ticket[SD_ID_MAX + 1])
{
    size_t plen = strlen(SD_MAILID_PREFIX);
    const char *at = memchr(s, '@', n);
    if (!at || (size_t)(at - s) <= plen || strncmp(s, SD_MAILID_PREFIX, plen) != 0)
        return false;
    const char *id = s + plen;
    const char *dot = memchr(id, '.', (size_t)(at - id));
    if (!dot || !s_ticket_id(id, (size_t)(dot - id)) || !s_hex(dot + 1, (size_t)(at - dot - 1)))
        return false;
    memcpy(ticket, id, (size_t)(dot - id));
    ticket[dot - id] = 0;
    return true;
}

bool sd_mailid_ticket(const char *msgid, char ticket[SD_ID_MAX + 1])
{
    if (!msgid)
        return false;
    const char *s = msgid + strspn(msgid, " \t\r\n");
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        n--;
    if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
        s++, n -= 2;
    return memchr(s, '<', n) == NULL && memchr(s, '>', n) == NULL && s_ticket_in(s, n, ticket);
}

bool sd_mailid_references_ticket(const char *references, char ticket[SD_ID_MAX + 1])
{
    if (!references)
        return false;
    /* From the end: the newest message id is the last one. */
    const char *end = references + strlen(references);
    while (end > references) {
        const char *close = end - 1;
        while (close >= references && *close != '>')
            close--;
        if (close < references)
            return false;
        const char *open = close;
        while (open >= references && *open != '<')
            open--;
        if (open < references)
            return false;
        if (s_ticket_in(open + 1, (size_t)(close - open - 1), ticket))
            return true;
        end = open;
    }
    return false;
}
