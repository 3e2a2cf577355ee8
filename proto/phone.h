/* phone.h - phone numbers as E.164 ("+" and 6-15 digits), for finding a caller by number.
 *
 * A number as people write it ("+86 (21) 5555-0101", "0086 21 5555 0101", "021 5555 0101",
 * "(212) 555-0100 ext 12") becomes "+862155550101": formatting noise (spaces, dots, dashes,
 * slashes, parentheses, "(0)") goes, an international prefix ("+", "00", and "011" when the
 * default country is 1) keeps the country code written, a national number (a trunk "0" is
 * dropped) gets the default country's, and an extension ("ext 12", "x12", "#12", ";ext=12",
 * "转12", "分机12") is dropped. Anything else - other letters, fewer than 6 or more than 15
 * digits - is refused: a partial number never matches someone else. No I/O. */
#ifndef SD_PHONE_H
#define SD_PHONE_H

#include <stdbool.h>
#include <stddef.h>

#define SD_E164_MAX 16 /* "+" and at most 15 digits */

/* Writes the E.164 form of in (NUL-terminated) into out (cap >= SD_E164_MAX + 1 is enough).
 * default_cc is the country code of national numbers, 1-3 digits without "+" ("86"); NULL or
 * "" refuses national numbers. Returns 0, SD_ERANGE (not a phone number; out is "") or
 * SD_EINVAL (cap too small). */
int sd_phone_e164(const char *in, const char *default_cc, char *out, size_t cap);

/* True when cc is a country code: 1 to 3 digits, not starting with 0. */
bool sd_phone_cc_valid(const char *cc);

#endif
