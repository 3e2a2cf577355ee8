/* test_permission.c - the permission table (proto/permissions.def, sd_perm_rows) and
 * proto/PERMISSIONS.md in step: section 3 of the document is parsed here and must equal
 * sd_perm_rows row by row, and every op of proto/ops.def must have a row, so neither the
 * document nor the table can leave an operation out or drift from the other. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "permission.h"
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SD_TABLE_HEADING "## 3. The permission table"
#define SD_DOC_ROWS_MAX  128 /* more rows than the table will ever have */
#define SD_CELL_MAX      64  /* a cell's text: an op name or a scope word */

/* One row of the document's table: the op and the scope word of each column. */
typedef struct {
    char op[SD_CELL_MAX];                     /* wire name, backticks removed */
    char scope[SD_PERM_COLUMNS][SD_CELL_MAX]; /* "-", "own", "site" or "any" */
} s_doc_row_t;

/* The table as the document shows it, and the whole document for its prose. */
typedef struct {
    char *text;                                    /* PERMISSIONS.md, NUL-terminated (owned) */
    char header[SD_PERM_COLUMNS + 1][SD_CELL_MAX]; /* "op", then the column names */
    bool has_header;                               /* the header line was found */
    s_doc_row_t rows[SD_DOC_ROWS_MAX];             /* the data rows, in document order */
    size_t count;                                  /* used entries of rows */
} s_doc_t;

/* Cuts a table line "| a | `b` |" into its cells in place, each trimmed of blanks and
 * backticks; returns how many there are (up to max; an empty cell is not counted, so a row
 * with one is reported as short). */
static int s_split(char *line, char **cells, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *c = strtok_r(line, "|", &save); c && n < max; c = strtok_r(NULL, "|", &save)) {
        c += strspn(c, " `");
        size_t len = strlen(c);
        while (len && (c[len - 1] == ' ' || c[len - 1] == '`'))
            c[--len] = 0;
        if (len)
            cells[n++] = c;
    }
    return n;
}

/* Copies the cells of one table line of section 3 into doc: the header, or a data row (its
 * first cell was an op in backticks). The separator line is skipped. */
static void s_table_line(s_doc_t *doc, char *line)
{
    bool data = strncmp(line, "| `", 3) == 0;
    char *cells[SD_PERM_COLUMNS + 2];
    int n = s_split(line, cells, SD_PERM_COLUMNS + 2);
    if (n && strspn(cells[0], "-") == strlen(cells[0]))
        return; /* |----|----| */
    if (n != SD_PERM_COLUMNS + 1)
        fail_msg("PERMISSIONS.md section 3: a line with %d cells, want %d", n, SD_PERM_COLUMNS + 1);
    if (!data) {
        for (int i = 0; i < n; i++)
            snprintf(doc->header[i], SD_CELL_MAX, "%s", cells[i]);
        doc->has_header = true;
        return;
    }
    assert_true(doc->count < SD_DOC_ROWS_MAX);
    s_doc_row_t *row = &doc->rows[doc->count++];
    snprintf(row->op, sizeof row->op, "%s", cells[0]);
    for (int c = 0; c < SD_PERM_COLUMNS; c++)
        snprintf(row->scope[c], SD_CELL_MAX, "%s", cells[c + 1]);
}

/* Reads PERMISSIONS.md and the table of its section 3 into *doc (free doc->text). Fails the
 * test when the file cannot be read or has no such section. */
static void s_doc_read(s_doc_t *doc)
{
    memset(doc, 0, sizeof *doc);
    FILE *f = fopen(SD_PERMISSIONS_MD, "rb");
    if (!f)
        fail_msg("cannot open %s", SD_PERMISSIONS_MD);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    doc->text = calloc(1, (size_t)size + 1);
    assert_non_null(doc->text);
    assert_int_equal(fread(doc->text, 1, (size_t)size, f), (size_t)size);
    fclose(f);

    /* Walk a copy line by line: the table is the lines starting with '|' below the heading,
     * up to the next heading of its level. */
    char *copy = strdup(doc->text), *save = NULL;
    assert_non_null(copy);
    bool inside = false, seen = false;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "## ", 3) == 0) {
            inside = strcmp(line, SD_TABLE_HEADING) == 0;
            seen |= inside;
        } else if (inside && line[0] == '|') {
            s_table_line(doc, line);
        }
    }
    free(copy);
    if (!seen)
        fail_msg("PERMISSIONS.md has no heading '%s'", SD_TABLE_HEADING);
}

/* cmocka setup: the document, read into a fixture (*state). */
static int s_setup(void **state)
{
    s_doc_t *doc = malloc(sizeof *doc);
    if (!doc)
        return -1;
    *state = doc;
    s_doc_read(doc);
    return 0;
}

static int s_teardown(void **state)
{
    s_doc_t *doc = *state;
    free(doc->text);
    free(doc);
    return 0;
}

/* The scope a word of the document stands for (sd_scope_names), or -1. */
static int s_scope(const char *word)
{
    for (int s = 0; s < SD_SCOPE_COUNT_; s++)
        if (strcmp(word, sd_scope_names[s]) == 0)
            return s;
    return -1;
}

/* The header names the columns in the table's order: anyone, then the roles. */
static void test_doc_header_names_the_columns(void **state)
{
    const s_doc_t *doc = *state;
    assert_true(doc->has_header);
    assert_string_equal(doc->header[0], "op");
    assert_string_equal(doc->header[1 + SD_PERM_ANYONE], "anyone");
    for (int r = 0; r < SD_ROLE_COUNT_; r++)
        assert_string_equal(doc->header[1 + r + 1], sd_role_names[r]);
}

/* Row by row, the document's table is sd_perm_rows: same ops, same order, same scopes. */
static void test_doc_table_equals_the_code(void **state)
{
    const s_doc_t *doc = *state;
    if (doc->count != sd_perm_row_count)
        fail_msg("PERMISSIONS.md section 3 has %zu rows, permissions.def %zu", doc->count,
                 sd_perm_row_count);
    for (size_t i = 0; i < sd_perm_row_count; i++) {
        const sd_perm_row_t *want = &sd_perm_rows[i];
        const s_doc_row_t *got = &doc->rows[i];
        if (strcmp(got->op, want->op) != 0)
            fail_msg("row %zu: the document has %s, permissions.def %s", i + 1, got->op, want->op);
        for (int c = 0; c < SD_PERM_COLUMNS; c++) {
            int scope = s_scope(got->scope[c]);
            if (scope < 0)
                fail_msg("%s, column %s: '%s' is no scope (-, own, site, any)", got->op,
                         doc->header[c + 1], got->scope[c]);
            if (scope != want->scope[c])
                fail_msg("%s, column %s: the document says %s, permissions.def %s", got->op,
                         doc->header[c + 1], got->scope[c], sd_scope_names[want->scope[c]]);
        }
    }
}

/* Every operation a client can send has a row: an op without one would be refused to all but
 * the bootstrap admin. And the table names each op once (sd_perm_row finds the first). */
static void test_every_op_has_one_row(void **state)
{
    (void)state;
    for (int op = 0; op < SD_REQ_COUNT_; op++)
        if (!sd_perm_row(sd_req_op_name(op)))
            fail_msg("permissions.def has no row for %s", sd_req_op_name(op));
    for (size_t i = 0; i < sd_perm_row_count; i++)
        assert_ptr_equal(sd_perm_row(sd_perm_rows[i].op), &sd_perm_rows[i]);
}

/* A row that is no op of ops.def is a pseudo-op (a right an op needs in some cases); the
 * document must say so, so that a row left behind by a removed op does not go unnoticed. */
static void test_pseudo_ops_are_explained(void **state)
{
    const s_doc_t *doc = *state;
    size_t pseudo = 0;
    for (size_t i = 0; i < sd_perm_row_count; i++) {
        const char *op = sd_perm_rows[i].op;
        if (sd_req_op_value(op) >= 0)
            continue;
        char says[128];
        snprintf(says, sizeof says, "`%s` is no operation of its own", op);
        if (!strstr(doc->text, says))
            fail_msg("%s is no op of ops.def and PERMISSIONS.md does not explain it", op);
        pseudo++;
    }
    assert_int_equal(pseudo, sd_perm_row_count - SD_REQ_COUNT_);
}

/* The lookup as the node uses it (node/auth/authz.c). */
static void test_lookup(void **state)
{
    (void)state;
    const sd_perm_row_t *cancel = sd_perm_row("ticket.cancel");
    assert_non_null(cancel);
    assert_int_equal(cancel->scope[SD_PERM_ANYONE], SD_SCOPE_NONE);
    assert_int_equal(cancel->scope[1 + SD_ROLE_REQUESTER], SD_SCOPE_OWN);
    assert_int_equal(cancel->scope[1 + SD_ROLE_AGENT], SD_SCOPE_NONE);
    assert_int_equal(cancel->scope[1 + SD_ROLE_MANAGER], SD_SCOPE_SITE);
    assert_non_null(sd_perm_row("ticket.reassign"));
    assert_null(sd_perm_row("ticket.nope"));
    assert_null(sd_perm_row(""));
    assert_string_equal(sd_scope_names[SD_SCOPE_NONE], "-");
    assert_string_equal(sd_scope_names[SD_SCOPE_ANY], "any");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_doc_header_names_the_columns, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_doc_table_equals_the_code, s_setup, s_teardown),
        cmocka_unit_test(test_every_op_has_one_row),
        cmocka_unit_test_setup_teardown(test_pseudo_ops_are_explained, s_setup, s_teardown),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
