/* test_textdiff.c - the unified line diff of article versions (proto/textdiff.h): exact output
 * for the usual shapes (a change, an insertion, a deletion, a missing last newline, far and
 * near changes), the size bound, and a seeded random check that applying the diff to the old
 * text gives the new one, which a wrong LCS or a wrong hunk header would break. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "textdiff.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The diff of a and b labelled a and b, or fails. Heap. */
static char *s_diff(const char *a, const char *b)
{
    char *out = NULL;
    assert_int_equal(sd_textdiff(a, strlen(a), b, strlen(b), "a", "b", 3, 8192, &out, NULL), 0);
    assert_non_null(out);
    return out;
}

static void s_expect(const char *a, const char *b, const char *want)
{
    char *got = s_diff(a, b);
    assert_string_equal(got, want);
    free(got);
}

static void test_shapes(void **state)
{
    (void)state;
    s_expect("x\ny\n", "x\ny\n", "");
    s_expect("", "", "");
    s_expect("1\n2\n3\n", "1\ntwo\n3\n", "--- a\n+++ b\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n");
    s_expect("1\n3\n", "1\n2\n3\n", "--- a\n+++ b\n@@ -1,2 +1,3 @@\n 1\n+2\n 3\n");
    s_expect("0\n1\n", "1\n", "--- a\n+++ b\n@@ -1,2 +1 @@\n-0\n 1\n");
    s_expect("", "new\ntext\n", "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+new\n+text\n");
    s_expect("gone\n", "", "--- a\n+++ b\n@@ -1 +0,0 @@\n-gone\n");
    /* The same line with and without its newline differs, as in diff(1). */
    s_expect("a\nb", "a\nb\n",
             "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
    /* UTF-8 lines are bytes like any other. */
    s_expect("打开门户\n检查邮件\n", "打开门户\n重新连接 VPN\n",
             "--- a\n+++ b\n@@ -1,2 +1,2 @@\n 打开门户\n-检查邮件\n+重新连接 VPN\n");
}

static void test_hunks(void **state)
{
    (void)state;
    /* Changes 10 lines apart: two hunks with 3 lines of context each. */
    char a[256] = "", b[256] = "";
    for (int i = 1; i <= 20; i++) {
        char line[16];
        snprintf(line, sizeof line, "%d\n", i);
        strcat(a, line);
        snprintf(line, sizeof line, i == 2 || i == 15 ? "%d!\n" : "%d\n", i);
        strcat(b, line);
    }
    s_expect(a, b,
             "--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+2!\n 3\n 4\n 5\n"
             "@@ -12,7 +12,7 @@\n 12\n 13\n 14\n-15\n+15!\n 16\n 17\n 18\n");
    /* 6 lines apart (not more than twice the context): one hunk. */
    char c[256] = "";
    for (int i = 1; i <= 12; i++) {
        char line[16];
        snprintf(line, sizeof line, i == 2 || i == 8 ? "%d!\n" : "%d\n", i);
        strcat(c, line);
    }
    char a12[256] = "";
    for (int i = 1; i <= 12; i++) {
        char line[16];
        snprintf(line, sizeof line, "%d\n", i);
        strcat(a12, line);
    }
    char *d = s_diff(a12, c);
    assert_int_equal(strncmp(d, "--- a\n+++ b\n@@ -1,11 +1,11 @@\n", 30), 0);
    assert_null(strstr(d + 20, "@@ -"));
    free(d);
}

static void test_bounded(void **state)
{
    (void)state;
    char *big = malloc(8194), *out = (char *)1;
    memset(big, 'x', 8193);
    big[8193] = 0;
    assert_int_equal(sd_textdiff(big, 8193, "x", 1, "a", "b", 3, 8192, &out, NULL), SD_ETOOBIG);
    assert_null(out);
    /* The worst case within the limit: 4096 one-byte lines against 4096 others. */
    char *a = malloc(8193), *b = malloc(8193);
    for (int i = 0; i < 8192; i += 2) {
        a[i] = 'a', b[i] = 'b';
        a[i + 1] = b[i + 1] = '\n';
    }
    a[8192] = b[8192] = 0;
    size_t len = 0;
    assert_int_equal(sd_textdiff(a, 8192, b, 8192, "a", "b", 3, 8192, &out, &len), 0);
    assert_int_equal(len, strlen(out));
    assert_non_null(strstr(out, "@@ -1,4096 +1,4096 @@\n"));
    free(out), free(a), free(b), free(big);
}

/* ---- applying a diff ----------------------------------------------------------------------- */

typedef struct {
    const char *p; /* start */
    size_t len;    /* without '\n' */
    bool eol;      /* had '\n' */
} s_line_t;

static size_t s_lines(const char *text, s_line_t *out)
{
    size_t n = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        out[n++] = (s_line_t){p, len, nl != NULL};
        p += len + (nl ? 1 : 0);
    }
    return n;
}

/* Applies unified diff d to text a into out; fails when a context or removed line differs. */
static void s_patch(const char *a, const char *d, char *out)
{
    static s_line_t al[512], dl[2048], res[1024];
    size_t na = s_lines(a, al), nd = s_lines(d, dl), ai = 0, n = 0;
    for (size_t i = 2; i < nd; i++) { /* after the --- and +++ lines */
        const s_line_t *l = &dl[i];
        if (l->len >= 2 && !strncmp(l->p, "@@", 2)) {
            unsigned long start = 0, count = 1;
            if (sscanf(l->p, "@@ -%lu,%lu", &start, &count) == 1)
                count = 1;
            for (size_t to = count ? start - 1 : start; ai < to; ai++)
                res[n++] = al[ai];
        } else if (l->p[0] == '\\') { /* the line before has no newline */
            assert_true(i > 2);
            if (dl[i - 1].p[0] == '+')
                res[n - 1].eol = false;
            else
                assert_false(al[ai - 1].eol);
        } else if (l->p[0] == '+') {
            res[n++] = (s_line_t){l->p + 1, l->len - 1, true};
        } else {
            assert_true(ai < na);
            assert_int_equal(al[ai].len, l->len - 1);
            assert_memory_equal(al[ai].p, l->p + 1, l->len - 1);
            if (l->p[0] == ' ')
                res[n++] = al[ai];
            ai++;
        }
    }
    for (; ai < na; ai++)
        res[n++] = al[ai];
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        strncat(out, res[i].p, res[i].len);
        if (res[i].eol)
            strcat(out, "\n");
    }
}

/* Random text: up to 30 lines of a small alphabet (so lines repeat), maybe no last newline. */
static void s_random(char *out, unsigned *seed)
{
    static const char *words[] = {"a", "b", "c", "d", "VPN", "密码"};
    int n = rand_r(seed) % 31;
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        strcat(out, words[rand_r(seed) % 6]);
        strcat(out, "\n");
    }
    if (n && rand_r(seed) % 4 == 0)
        out[strlen(out) - 1] = 0;
}

static void test_patch_gives_the_new_text(void **state)
{
    (void)state;
    const char *env = getenv("SD_SEED");
    unsigned seed = env ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
    printf("test_textdiff: SD_SEED=%u\n", seed);
    static char a[512], b[512], patched[1024];
    for (int round = 0; round < 3000; round++) {
        s_random(a, &seed);
        s_random(b, &seed);
        char *d = s_diff(a, b);
        if (!*d) {
            assert_string_equal(a, b);
        } else {
            s_patch(a, d, patched);
            if (strcmp(patched, b) != 0)
                fail_msg("round %d: patching gives\n%s\nnot\n%s\nfrom diff\n%s", round, patched, b,
                         d);
        }
        free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_hunks),
        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_patch_gives_the_new_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
