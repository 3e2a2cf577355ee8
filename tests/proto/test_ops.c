/* test_ops.c - the op list (proto/ops.def): group tables and masks, and proto/PROTOCOL.md in step
 * with it (sections 4 and 5 are parsed here, so the document cannot drift from the code). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the document ------------------------------------------------------------ */

/* PROTOCOL.md read whole, NUL-terminated; fails the test when it cannot be read. */
static char *s_read_doc(void)
{
    FILE *f = fopen(SD_PROTOCOL_MD, "r");
    if (!f)
        fail_msg("cannot open %s", SD_PROTOCOL_MD);
    char *text = NULL;
    size_t len = 0;
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        char *grown = realloc(text, len + got + 1);
        assert_non_null(grown);
        text = grown;
        memcpy(text + len, buf, got);
        len += got;
    }
    fclose(f);
    assert_non_null(text);
    text[len] = 0;
    return text;
}

/* The text of the section that starts with heading (a whole line), up to the
 * next heading of the same level; NULL when there is no such heading. The
 * section is cut out of doc in place. */
static char *s_section(char *doc, const char *heading)
{
    char *start = strstr(doc, heading);
    if (!start || (start != doc && start[-1] != '\n'))
        return NULL;
    size_t level = strspn(start, "#");
    char next[8] = "\n";
    memset(next + 1, '#', level);
    next[level + 1] = ' ';
    next[level + 2] = 0;
    char *end = strstr(start + 1, next);
    if (end)
        *end = 0;
    return start;
}

/* Cell col (0-based: the first cell is 0) of table row line (text up to '\n'), trimmed and
 * without backticks, into out. False when the row has fewer cells. */
static bool s_cell(const char *line, int col, char *out, size_t cap)
{
    const char *p = line, *eol = line + strcspn(line, "\n");
    for (int i = 0; i <= col; i++) {
        p = strchr(p, '|');
        if (!p || p >= eol)
            return false;
        p++;
    }
    size_t len = strcspn(p, "|\n");
    while (len && p[0] == ' ')
        p++, len--;
    while (len && p[len - 1] == ' ')
        len--;
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < cap; i++)
        if (p[i] != '`')
            out[k++] = p[i];
    out[k] = 0;
    return true;
}

/* The table row of section whose first cell is `name`, or NULL. */
static const char *s_row(const char *section, const char *name)
{
    char want[80];
    snprintf(want, sizeof want, "\n| `%s` |", name);
    const char *row = strstr(section, want);
    return row ? row + 1 : NULL;
}

/* The mask of the argument names in words (space-separated, "-" for none)
 * of op's group; fails the test on a name the group does not have. */
static uint64_t s_mask(int op, const char *words)
{
    char copy[256], *save = NULL;
    uint64_t mask = 0;
    snprintf(copy, sizeof copy, "%s", words);
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        int arg = sd_req_arg_find(op, w);
        if (strcmp(w, "-") == 0)
            continue;
        if (arg < 0)
            fail_msg("%s: the document names %s, not an argument of its group", sd_req_op_name(op),
                     w);
        mask |= 1ull << arg;
    }
    return mask;
}

static void test_doc_lists_every_op_as_declared(void **state)
{
    (void)state;
    char *doc = s_read_doc();
    char *ops = s_section(doc, "## 4. Operations");
    assert_non_null(ops);
    for (int op = 0; op < SD_REQ_COUNT_; op++) {
        const sd_req_spec_t *spec = sd_req_spec(op);
        const char *row = s_row(ops, spec->name);
        if (!row)
            fail_msg("PROTOCOL.md section 4 has no row for %s", spec->name);
        char cell[256];
        assert_true(s_cell(row, 1, cell, sizeof cell));
        if (strcmp(cell, spec->writes ? "yes" : "no") != 0)
            fail_msg("%s: the document says writes=%s", spec->name, cell);
        assert_true(s_cell(row, 2, cell, sizeof cell));
        if (strcmp(cell, sd_args_group(spec->group)->name) != 0)
            fail_msg("%s: the document says group %s, ops.def %s", spec->name, cell,
                     sd_args_group(spec->group)->name);
        assert_true(s_cell(row, 3, cell, sizeof cell));
        if (s_mask(op, cell) != spec->required)
            fail_msg("%s: the document requires '%s', ops.def differs", spec->name, cell);
        assert_true(s_cell(row, 4, cell, sizeof cell));
        if (s_mask(op, cell) != spec->optional)
            fail_msg("%s: the document's optional '%s', ops.def differs", spec->name, cell);
    }
    /* And no row for an op that does not exist. */
    for (const char *p = strstr(ops, "\n| `"); p; p = strstr(p + 1, "\n| `")) {
        char name[64];
        assert_true(s_cell(p + 1, 0, name, sizeof name));
        if (sd_req_op_value(name) < 0)
            fail_msg("PROTOCOL.md section 4 lists %s, which ops.def does not declare", name);
    }
    free(doc);
}

/* The word section 5 uses for a field kind. */
static const char *s_kind_word(int kind)
{
    switch (kind) {
    case SD_F_STR:
        return "str";
    case SD_F_U64:
        return "uint";
    case SD_F_INT:
        return "int";
    case SD_F_BOOL:
        return "bool";
    case SD_F_ENUM:
        return "enum";
    case SD_F_BIN:
        return "bin";
    }
    return "?";
}

static void test_doc_describes_every_argument_of_every_group(void **state)
{
    (void)state;
    for (int g = 0; g < SD_ARGS_COUNT_; g++) {
        const sd_args_group_spec_t *group = sd_args_group(g);
        if (!group->count)
            continue;
        char *doc = s_read_doc();
        char *args = s_section(doc, "## 5. Arguments");
        assert_non_null(args);
        char heading[64];
        snprintf(heading, sizeof heading, "### Group `%s`", group->name);
        char *section = s_section(args, heading);
        if (!section)
            fail_msg("PROTOCOL.md section 5 has no '%s'", heading);
        size_t rows = 0;
        for (const char *p = strstr(section, "\n| `"); p; p = strstr(p + 1, "\n| `"))
            rows++;
        if (rows != group->count)
            fail_msg("group %s: %zu rows in the document, %zu arguments", group->name, rows,
                     group->count);
        for (size_t i = 0; i < group->count; i++) {
            const sd_field_t *f = &group->fields[i];
            const char *row = s_row(section, f->name);
            if (!row)
                fail_msg("group %s: the document does not describe %s", group->name, f->name);
            char type[32];
            assert_true(s_cell(row, 1, type, sizeof type));
            if (strcmp(type, s_kind_word(f->kind)) != 0)
                fail_msg("group %s: %s is %s in the document, %s in the table", group->name,
                         f->name, type, s_kind_word(f->kind));
        }
        free(doc);
    }
}

/* ---- the tables --------------------------------------------------------------- */

static void test_group_counts(void **state)
{
    (void)state;
    assert_int_equal(sd_args_group(SD_ARGS_NONE)->count, 0);
    assert_int_equal(sd_args_group(SD_ARGS_TICKET)->count, SD_ARG_TICKET_COUNT_);
    assert_int_equal(SD_ARG_TICKET_COUNT_, 37); /* 30, customer, phone, email, assets, vendor,
                                                   vendor_ref, article */
    assert_int_equal(sd_args_group(SD_ARGS_SCHEDULE)->count, 2);
    assert_int_equal(sd_args_group(SD_ARGS_REPORT)->count, 3);
    assert_null(sd_args_group(SD_ARGS_COUNT_));
    assert_null(sd_args_group(-1));
    for (int g = 0; g < SD_ARGS_COUNT_; g++) {
        const sd_args_group_spec_t *group = sd_args_group(g);
        assert_true(group->count <= 64);
        /* Every entry filled (a gap in the designated initializers has no name), names unique. */
        for (size_t i = 0; i < group->count; i++) {
            if (!group->fields[i].name)
                fail_msg("group %s: argument %zu has no table entry", group->name, i);
            assert_int_equal(sd_fields_find(group->fields, group->count, group->fields[i].name),
                             (int)i);
        }
    }
}

static void test_group_enums_index_their_tables(void **state)
{
    (void)state;
    assert_string_equal(sd_ticket_args_fields[SD_ARG_TICKET_ID].name, "id");
    assert_string_equal(sd_ticket_args_fields[SD_ARG_TICKET_TITLE].name, "title");
    assert_string_equal(sd_ticket_args_fields[SD_ARG_TICKET_PUBLIC].name, "public");
    assert_string_equal(sd_ticket_args_fields[SD_ARG_TICKET_SLA].name, "sla");
    assert_string_equal(sd_schedule_args_fields[SD_ARG_SCHEDULE_DAYS].name, "days");
    assert_string_equal(sd_report_args_fields[SD_ARG_REPORT_SINCE].name, "since");
    assert_int_equal(sd_req_arg_find(SD_REQ_TICKET_NEW, "follow_sun"), SD_ARG_TICKET_FOLLOW_SUN);
    assert_int_equal(sd_req_arg_find(SD_REQ_HANDOVER_REPORT, "limit"), SD_ARG_REPORT_LIMIT);
    assert_int_equal(sd_req_arg_find(SD_REQ_NODE_PING, "id"), -1);
    assert_int_equal(sd_req_arg_find(SD_REQ_COUNT_, "id"), -1);
}

static void test_op_masks(void **state)
{
    (void)state;
    for (int op = 0; op < SD_REQ_COUNT_; op++) {
        const sd_req_spec_t *spec = sd_req_spec(op);
        const sd_field_t *fields;
        size_t n = sd_req_op_fields(op, &fields);
        uint64_t all = n == 64 ? ~0ull : (1ull << n) - 1;
        assert_int_equal(sd_req_op_value(spec->name), op);
        assert_int_equal(sd_req_op_writes(op), spec->writes);
        assert_int_equal(spec->required & spec->optional, 0);
        assert_int_equal((spec->required | spec->optional) & ~all, 0);
        if (spec->group == SD_ARGS_NONE)
            assert_int_equal(spec->required | spec->optional, 0);
        /* No op takes an author: the node records the authenticated caller. */
        assert_int_equal(sd_req_arg_find(op, "author"), -1);
    }
    assert_int_equal(sd_req_spec(SD_REQ_TICKET_NEW)->required, SD_ARG(TICKET, TITLE));
    assert_int_equal(sd_req_spec(SD_REQ_TICKET_GET)->required, SD_ARG(TICKET, ID));
    assert_int_equal(sd_req_spec(SD_REQ_SCHEDULE_COVERAGE)->optional, 0x3);
    assert_int_equal(sd_req_spec(SD_REQ_HANDOVER_REPORT)->optional, 0x7);
    assert_null(sd_req_spec(-1));
    assert_null(sd_req_spec(SD_REQ_COUNT_));
}

/* Every argument of a group is taken by at least one op: no dead entries. */
static void test_every_argument_is_used(void **state)
{
    (void)state;
    uint64_t used[SD_ARGS_COUNT_] = {0};
    for (int op = 0; op < SD_REQ_COUNT_; op++) {
        const sd_req_spec_t *spec = sd_req_spec(op);
        used[spec->group] |= spec->required | spec->optional;
    }
    for (int g = 0; g < SD_ARGS_COUNT_; g++)
        for (size_t i = 0; i < sd_args_group(g)->count; i++)
            if (!(used[g] & (1ull << i)))
                fail_msg("group %s: no op takes %s", sd_args_group(g)->name,
                         sd_args_group(g)->fields[i].name);
}

/* Presence is by the group's enum, and set/clear keep to the op's group. */
static void test_presence_by_enum(void **state)
{
    (void)state;
    sd_request_t req = {.op = SD_REQ_HANDOVER_REPORT};
    sd_fault_t fault = {0};
    assert_int_equal(sd_request_set(&req, SD_ARG_REPORT_SITE, "EMEA", &fault), 0);
    assert_true(sd_request_has(&req, SD_ARG_REPORT_SITE));
    assert_false(sd_request_has(&req, SD_ARG_REPORT_SINCE));
    assert_false(sd_request_has(&req, 63));
    assert_false(sd_request_has(&req, 64));
    assert_string_equal(req.args.report.site, "EMEA");
    assert_int_equal(sd_request_set(&req, SD_ARG_REPORT_COUNT_, "1", &fault), SD_EUNKNOWN_FIELD);
    assert_int_equal(sd_request_set(&req, SD_ARG_REPORT_LIMIT, "0", &fault), SD_ERANGE);
    assert_false(sd_request_has(&req, SD_ARG_REPORT_LIMIT));
    sd_request_clear(&req);
    assert_int_equal(req.present, 0);
    assert_null(req.args.report.site);

    sd_request_t ping = {.op = SD_REQ_NODE_PING};
    assert_int_equal(sd_request_set(&ping, 0, "x", &fault), SD_EUNKNOWN_FIELD);
    sd_request_clear(&ping);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_lists_every_op_as_declared),
        cmocka_unit_test(test_doc_describes_every_argument_of_every_group),
        cmocka_unit_test(test_group_counts),
        cmocka_unit_test(test_group_enums_index_their_tables),
        cmocka_unit_test(test_op_masks),
        cmocka_unit_test(test_every_argument_is_used),
        cmocka_unit_test(test_presence_by_enum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
