/* test_cli_ops.c - the CLI's verb tables against the op list: every op has a verb, every verb's
 * words are arguments of its op, options and help come from the op's argument group. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli.h"
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The verb that sends op, or NULL; *command gets its command word. */
static const sd_cli_verb_t *s_verb_for(int op, const char **command)
{
    for (const sd_cli_command_t *c = sd_cli_commands; c->name; c++)
        for (const sd_cli_verb_t *v = c->verbs; v->verb; v++)
            if (v->op == op) {
                *command = c->name;
                return v;
            }
    return NULL;
}

static void test_every_op_has_a_verb(void **state)
{
    (void)state;
    for (int op = 0; op < SD_REQ_COUNT_; op++) {
        const char *command = NULL;
        if (!s_verb_for(op, &command))
            fail_msg("no sundesk verb sends %s", sd_req_op_name(op));
    }
}

static void test_positional_words_are_arguments_of_the_op(void **state)
{
    (void)state;
    for (const sd_cli_command_t *c = sd_cli_commands; c->name; c++) {
        for (const sd_cli_verb_t *v = c->verbs; v->verb; v++) {
            const sd_req_spec_t *spec = sd_req_spec(v->op);
            if (!spec)
                fail_msg("sundesk %s %s sends no op of ops.def", c->name, v->verb);
            char copy[128], *save = NULL;
            snprintf(copy, sizeof copy, "%s", v->positional);
            for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
                w[strcspn(w, ":")] = 0; /* "id:LOGIN": the argument is id */
                int arg = sd_req_arg_find(v->op, w);
                if (arg < 0 || !((spec->required | spec->optional) & (1ull << arg)))
                    fail_msg("sundesk %s %s: word %s is no argument of %s", c->name, v->verb, w,
                             spec->name);
            }
        }
    }
}

/* Options are looked up in the op's group: a name of another group is unknown. */
static void test_options_come_from_the_op_group(void **state)
{
    (void)state;
    sd_request_t req = {.op = SD_REQ_TICKET_NEW};
    assert_int_equal(sd_cli_set_arg(&req, "follow-sun", "yes"), 0);
    assert_true(sd_request_has(&req, SD_ARG_TICKET_FOLLOW_SUN));
    assert_true(req.args.ticket.follow_sun);
    assert_int_equal(sd_cli_set_arg(&req, "days", "3"), 1); /* schedule group: unknown here */
    sd_request_clear(&req);

    req = (sd_request_t){.op = SD_REQ_SCHEDULE_COVERAGE};
    assert_int_equal(sd_cli_set_arg(&req, "days", "3"), 0);
    assert_true(sd_request_has(&req, SD_ARG_SCHEDULE_DAYS));
    assert_int_equal(req.args.schedule.days, 3);
    assert_int_equal(sd_cli_set_arg(&req, "from", "2026-03-02"), 0);
    assert_int_equal(req.args.schedule.from, 1772409600000ull);
    sd_request_clear(&req);

    req = (sd_request_t){.op = SD_REQ_HANDOVER_REPORT};
    assert_int_equal(sd_cli_set_arg(&req, "to", "EMEA"), 0); /* --to is site */
    assert_string_equal(req.args.report.site, "EMEA");
    sd_request_clear(&req);
}

/* An alias belongs to its argument groups: --name is a user's or team's display name but a
 * token's own name; --to is a ticket's site, not a user's. */
static void test_aliases_per_group(void **state)
{
    (void)state;
    sd_request_t req = {.op = SD_REQ_USER_NEW};
    assert_int_equal(sd_cli_set_arg(&req, "name", "Li Wei"), 0);
    assert_string_equal(req.args.user.display_name, "Li Wei");
    assert_int_equal(sd_cli_set_arg(&req, "display-name", "Li"), 1); /* given already */
    sd_request_clear(&req);

    req = (sd_request_t){.op = SD_REQ_TEAM_UPDATE};
    assert_int_equal(sd_cli_set_arg(&req, "name", "Desktop support"), 0);
    assert_true(sd_request_has(&req, SD_ARG_TEAM_DISPLAY_NAME));
    sd_request_clear(&req);

    req = (sd_request_t){.op = SD_REQ_TOKEN_NEW};
    assert_int_equal(sd_cli_set_arg(&req, "name", "mail gateway"), 0);
    assert_string_equal(req.args.token.name, "mail gateway");
    sd_request_clear(&req);

    req = (sd_request_t){.op = SD_REQ_USER_LIST};
    assert_int_equal(sd_cli_set_arg(&req, "site", "EMEA"), 0);
    assert_string_equal(req.args.user.site, "EMEA");
    assert_int_equal(sd_cli_set_arg(&req, "to", "APAC"), 1); /* no --to here */
    sd_request_clear(&req);

    req = (sd_request_t){.op = SD_REQ_TICKET_HANDOVER};
    assert_int_equal(sd_cli_set_arg(&req, "to", "EMEA"), 0);
    assert_string_equal(req.args.ticket.site, "EMEA");
    sd_request_clear(&req);

    /* --until, like --since, takes a span back from now. */
    req = (sd_request_t){.op = SD_REQ_AUDIT_LIST};
    assert_int_equal(sd_cli_set_arg(&req, "until", "1h"), 0);
    assert_true(req.args.audit.until > 1700000000000ull);
    sd_request_clear(&req);
}

/* The password is no command-line option: help shows how to give it on stdin. */
static void test_password_from_stdin_only(void **state)
{
    (void)state;
    const char *command = NULL;
    const sd_cli_verb_t *login = s_verb_for(SD_REQ_AUTH_LOGIN, &command);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    sd_cli_verb_usage(out, command, login);
    fclose(out);
    assert_non_null(strstr(text, "Arguments of auth.login: --id --password-stdin\n"));
    free(text);
}

/* A verb's help lists its op's arguments, one option each, from the group table (a
 * paragraph that may wrap). */
static void test_help_lists_the_op_arguments(void **state)
{
    (void)state;
    for (int op = 0; op < SD_REQ_COUNT_; op++) {
        const char *command = NULL;
        const sd_cli_verb_t *v = s_verb_for(op, &command);
        const sd_req_spec_t *spec = sd_req_spec(op);
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        assert_non_null(out);
        sd_cli_verb_usage(out, command, v);
        fclose(out);
        char head[64];
        snprintf(head, sizeof head, "Arguments of %s:", spec->name);
        const char *line = strstr(text, head);
        int args = __builtin_popcountll(spec->required | spec->optional);
        if (!args) {
            assert_null(line);
        } else {
            if (!line)
                fail_msg("sundesk %s %s --help does not list its arguments", command, v->verb);
            int options = 0;
            for (const char *p = line; *p && !(p[0] == '\n' && p[1] == '\n'); p++)
                options += p[0] == ' ' && (p[1] == '-' || p[1] == '[');
            if (options != args)
                fail_msg("%s: help lists %d options for %d arguments", spec->name, options, args);
        }
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_op_has_a_verb),
        cmocka_unit_test(test_positional_words_are_arguments_of_the_op),
        cmocka_unit_test(test_options_come_from_the_op_group),
        cmocka_unit_test(test_help_lists_the_op_arguments),
        cmocka_unit_test(test_aliases_per_group),
        cmocka_unit_test(test_password_from_stdin_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
