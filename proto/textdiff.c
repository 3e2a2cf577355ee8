/* textdiff.c - unified line diff by LCS over the lines that differ (textdiff.h). */
#include "textdiff.h"

#include "error.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *text; /* start of the line */
    size_t len;       /* bytes without the '\n' */
    bool eol;         /* ends with '\n' */
} s_line_t;

typedef struct {
    s_line_t *lines; /* the lines, in order */
    size_t n;        /* how many */
} s_text_t;

/* One step of the edit script: ' ' kept, '-' only in a, '+' only in b. */
typedef struct {
    char op;  /* ' ', '-' or '+' */
    size_t a; /* line of a (kept, '-') */
    size_t b; /* line of b (kept, '+') */
} s_step_t;

typedef struct {
    char *buf;   /* the diff being written */
    size_t used; /* bytes written */
    size_t cap;  /* bytes allocated */
    int error;   /* SD_ENOMEM once a write failed */
} s_out_t;

static int s_split(const char *p, size_t len, s_text_t *t)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += p[i] == '\n';
    n += len && p[len - 1] != '\n';
    t->n = 0;
    t->lines = calloc(n ? n : 1, sizeof *t->lines);
    if (!t->lines)
        return SD_ENOMEM;
    for (size_t start = 0; start < len;) {
        const char *nl = memchr(p + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - p) : len;
        t->lines[t->n++] = (s_line_t){p + start, end - start, nl != NULL};
        start = end + 1;
    }
    return 0;
}

static bool s_same(const s_line_t *x, const s_line_t *y)
{
    return x->len == y->len && x->eol == y->eol && memcmp(x->text, y->text, x->len) == 0;
}

/* The edit script of a against b into *steps (heap; *count of them). */
static int s_script(const s_text_t *a, const s_text_t *b, s_step_t **steps, size_t *count)
{
    size_t head = 0, tail = 0;
    while (head < a->n && head < b->n && s_same(&a->lines[head], &b->lines[head]))
        head++;
    while (tail < a->n - head && tail < b->n - head &&
           s_same(&a->lines[a->n - 1 - tail], &b->lines[b->n - 1 - tail]))
        tail++;
    size_t n = a->n - head - tail, m = b->n - head - tail;
    /* skip[i][j] (bit): for a[head+i] != b[head+j], the LCS of the rests is no shorter without
     * a's line than without b's, so the trace takes a's line out first. */
    size_t row_bits = m + 1, bytes = (n * row_bits + 7) / 8;
    uint8_t *skip = calloc(bytes ? bytes : 1, 1);
    uint32_t *below = calloc(m + 1, sizeof *below), *here = calloc(m + 1, sizeof *here);
    s_step_t *out = malloc((a->n + b->n + 1) * sizeof *out);
    int rc = skip && below && here && out ? 0 : SD_ENOMEM;
    for (size_t i = n; !rc && i-- > 0;) {
        here[m] = 0;
        for (size_t j = m; j-- > 0;) {
            if (s_same(&a->lines[head + i], &b->lines[head + j])) {
                here[j] = below[j + 1] + 1;
            } else if (below[j] >= here[j + 1]) {
                here[j] = below[j];
                size_t bit = i * row_bits + j;
                skip[bit / 8] |= (uint8_t)(1u << (bit % 8));
            } else {
                here[j] = here[j + 1];
            }
        }
        uint32_t *t = below;
        below = here, here = t;
    }
    size_t k = 0;
    for (size_t i = 0; !rc && i < head; i++)
        out[k++] = (s_step_t){' ', i, i};
    for (size_t i = 0, j = 0; !rc && (i < n || j < m);) {
        size_t bit = i * row_bits + j;
        if (i < n && j < m && s_same(&a->lines[head + i], &b->lines[head + j]))
            out[k++] = (s_step_t){' ', head + i++, head + j++};
        else if (j == m || (i < n && (skip[bit / 8] >> (bit % 8) & 1)))
            out[k++] = (s_step_t){'-', head + i++, 0};
        else
            out[k++] = (s_step_t){'+', 0, head + j++};
    }
    for (size_t t = 0; !rc && t < tail; t++)
        out[k++] = (s_step_t){' ', a->n - tail + t, b->n - tail + t};
    free(skip), free(below), free(here);
    if (rc) {
        free(out);
        return rc;
    }
    *steps = out, *count = k;
    return 0;
}

static void s_put(s_out_t *o, const char *p, size_t len)
{
    if (o->error)
        return;
    if (o->used + len + 1 > o->cap) {
        size_t cap = (o->cap ? o->cap * 2 : 1024) + len;
        char *grown = realloc(o->buf, cap);
        if (!grown) {
            o->error = SD_ENOMEM;
            return;
        }
        o->buf = grown, o->cap = cap;
    }
    memcpy(o->buf + o->used, p, len);
    o->used += len;
    o->buf[o->used] = 0;
}

static void s_puts(s_out_t *o, const char *s)
{
    s_put(o, s, strlen(s));
}

static void s_line(s_out_t *o, char op, const s_line_t *l)
{
    s_put(o, &op, 1);
    s_put(o, l->text, l->len);
    s_puts(o, l->eol ? "\n" : "\n\\ No newline at end of file\n");
}

/* "-start,len" as diff(1) writes a range: len 1 is left out, an empty range starts before. */
static void s_range(s_out_t *o, char sign, size_t start, size_t len)
{
    char r[48];
    if (len == 1)
        snprintf(r, sizeof r, "%c%zu", sign, start + 1);
    else
        snprintf(r, sizeof r, "%c%zu,%zu", sign, len ? start + 1 : start, len);
    s_puts(o, r);
}

/* The hunks of the script: each change with up to `context` kept lines around it; changes
 * closer than 2 x context share a hunk. */
static void s_hunks(s_out_t *o, const s_text_t *a, const s_text_t *b, const s_step_t *s, size_t n,
                    size_t context)
{
    for (size_t i = 0; i < n;) {
        if (s[i].op == ' ') {
            i++;
            continue;
        }
        size_t first = i > context ? i - context : 0, last = i;
        for (size_t j = i; j < n; j++) {
            if (s[j].op != ' ')
                last = j;
            else if (j - last > 2 * context)
                break;
        }
        size_t end = last + 1 + context < n ? last + 1 + context : n;
        size_t astart = 0, bstart = 0, alen = 0, blen = 0;
        /* Line numbers before the hunk: count the steps that came before it. */
        for (size_t j = 0; j < first; j++) {
            astart += s[j].op != '+';
            bstart += s[j].op != '-';
        }
        for (size_t j = first; j < end; j++) {
            alen += s[j].op != '+';
            blen += s[j].op != '-';
        }
        s_puts(o, "@@ ");
        s_range(o, '-', astart, alen);
        s_puts(o, " ");
        s_range(o, '+', bstart, blen);
        s_puts(o, " @@\n");
        for (size_t j = first; j < end; j++)
            s_line(o, s[j].op, s[j].op == '+' ? &b->lines[s[j].b] : &a->lines[s[j].a]);
        i = end;
    }
}

int sd_textdiff(const char *a, size_t alen, const char *b, size_t blen, const char *from,
                const char *to, int context, size_t max_bytes, char **out, size_t *outlen)
{
    *out = NULL;
    if (alen > max_bytes || blen > max_bytes)
        return SD_ETOOBIG;
    s_text_t ta = {0}, tb = {0};
    s_step_t *steps = NULL;
    size_t nsteps = 0;
    s_out_t o = {0};
    int rc = s_split(a ? a : "", alen, &ta) ?: s_split(b ? b : "", blen, &tb)
                                          ?: s_script(&ta, &tb, &steps, &nsteps);
    bool changed = false;
    for (size_t i = 0; !rc && i < nsteps; i++)
        changed |= steps[i].op != ' ';
    s_put(&o, "", 0);
    if (!rc && changed) {
        s_puts(&o, "--- "), s_puts(&o, from), s_puts(&o, "\n+++ "), s_puts(&o, to);
        s_puts(&o, "\n");
        s_hunks(&o, &ta, &tb, steps, nsteps, context > 0 ? (size_t)context : 0);
    }
    rc = rc ?: o.error;
    free(ta.lines), free(tb.lines), free(steps);
    if (rc) {
        free(o.buf);
        return rc;
    }
    *out = o.buf;
    if (outlen)
        *outlen = o.used;
    return 0;
}
