/* utf8.h - strict UTF-8 validation for every string that crosses the wire. */
#ifndef SD_UTF8_H
#define SD_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) and holds no NUL byte. */
bool sd_utf8_valid(const char *s, size_t len);

/* True when s[0..len) holds an ASCII control character other than the ones a
 * multi-line text may carry (tab, newline, carriage return), or DEL. With
 * single_line, tab, newline and carriage return count as control too. */
bool sd_utf8_has_control(const char *s, size_t len, bool single_line);

/* The longest prefix of valid UTF-8 s that fits in max bytes without
 * splitting a character: where to cut a text that is too long. */
size_t sd_utf8_cut(const char *s, size_t max);

#endif
