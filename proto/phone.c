/* phone.c - E.164 normalisation of phone numbers as written (phone.h). */
#include "phone.h"

#include "error.h"

#include <stdio.h>
#include <string.h>

bool sd_phone_cc_valid(const char *cc)
{
    size_t n = cc ? strlen(cc) : 0;
    if (n < 1 || n > 3 || cc[0] == '0')
        return false;
    return strspn(cc, "0123456789") == n;
}

/* The length of the extension marker at p (case-insensitive ASCII, or the UTF-8 "转"/"分机"),
 * or 0 when there is none. */
static size_t s_ext_marker(const char *p)
{
    static const char *const markers[] = {
        ";ext=",       "extension", "ext.", "ext", "x", "#", "\xe5\x88\x86\xe6\x9c\xba" /* 分机 */,
        "\xe8\xbd\xac" /* 转 */};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        size_t n = strlen(markers[i]);
        size_t j = 0;
        while (j < n && p[j] && (p[j] | (markers[i][j] >= 'a' ? 0x20 : 0)) == markers[i][j])
            j++;
        if (j == n)
            return n;
    }
    return 0;
}

/* True when the rest after an extension marker is an extension: digits, with spaces, '.',
 * ':', '=', '-' around them, at least one digit. */
static bool s_extension(const char *p)
{
    bool digit = false;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digit = true;
        else if (!strchr(" \t.:=-", *p))
            return false;
    }
    return digit;
}

static int s_refuse(char *out)
{
    out[0] = 0;
    return SD_ERANGE;
}

int sd_phone_e164(const char *in, const char *default_cc, char *out, size_t cap)
{
    if (!out || cap < SD_E164_MAX + 1)
        return SD_EINVAL;
    out[0] = 0;
    if (!in)
        return SD_ERANGE;
    char digits[64];
    size_t n = 0;
    bool plus = false, any = false;
    for (const char *p = in; *p;) {
        char c = *p;
        if (c >= '0' && c <= '9') {
            if (n >= sizeof digits - 1)
                return s_refuse(out);
            digits[n++] = c;
            any = true;
            p++;
        } else if (c == '+' && !any && !plus) {
            plus = true;
            p++;
        } else if (plus && n > 0 && strncmp(p, "(0)", 3) == 0) {
            p += 3; /* "+44 (0)20 ...": the trunk 0 written after the country code */
        } else if (strchr(" \t.-/()", c)) {
            p++;
        } else {
            size_t m = any ? s_ext_marker(p) : 0;
            if (!m || !s_extension(p + m))
                return s_refuse(out);
            break;
        }
    }
    digits[n] = 0; /* fewer than 6 digits written is no number, whatever country it gets */
    const char *d = digits;
    const char *cc = "";
    if (plus) {
        /* as written */
    } else if (d[0] == '0' && d[1] == '0') {
        d += 2;
    } else if (default_cc && strcmp(default_cc, "1") == 0 && d[0] == '0' && d[1] == '1' &&
               d[2] == '1') {
        d += 3;
    } else if (!sd_phone_cc_valid(default_cc)) {
        return s_refuse(out);
    } else if (d[0] == '0') {
        cc = default_cc, d += 1; /* the national trunk prefix */
    } else if (strcmp(default_cc, "1") == 0 && d[0] == '1' && strlen(d) == 11) {
        /* "1 212 555 0100": the NANP long-distance 1 is the country code */
    } else {
        cc = default_cc;
    }
    size_t total = strlen(cc) + strlen(d);
    if (n < 6 || d[0] == '0' || total < 6 || total > 15)
        return s_refuse(out);
    snprintf(out, cap, "+%s%s", cc, d);
    return 0;
}
