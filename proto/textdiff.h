/* textdiff.h - a unified line diff of two texts (article.diff), by longest common subsequence.
 *
 * The texts are split into lines at '\n'; a last line without its '\n' differs from the same
 * line with one and is marked "\ No newline at end of file", as diff(1) does. The common head
 * and tail are skipped, and the rest is compared by LCS in time n x m and n x m bits of memory
 * (n, m: the lines that differ), so the inputs are bounded: a text over the limit the caller
 * gives is refused, not compared. No I/O. */
#ifndef SD_TEXTDIFF_H
#define SD_TEXTDIFF_H

#include <stddef.h>

#define SD_TEXTDIFF_CONTEXT 3 /* unchanged lines shown around a change */

/* Writes the unified diff of a[0..alen) against b[0..blen) into *out (heap, NUL-terminated, the
 * caller frees it; its length in *outlen when outlen is not NULL): "--- from\n+++ to\n", then
 * hunks "@@ -l,s +l,s @@" with `context` lines around each change. Equal texts give "" (no
 * header). Returns 0, SD_ETOOBIG when alen or blen is over max_bytes (*out NULL), SD_ENOMEM. */
int sd_textdiff(const char *a, size_t alen, const char *b, size_t blen, const char *from,
                const char *to, int context, size_t max_bytes, char **out, size_t *outlen);

#endif
