/* test_session.c - the sessions file of `sundesk login` (tools/session.h): one line per endpoint,
 * replaced and forgotten by endpoint, private modes, found under $XDG_CONFIG_HOME or ~/.config. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define A "ipc:///srv/apac/sundesk.sock"
#define B "tcp://desk.example.com:7700"
#define C "ipc:///tmp/with blanks/sundesk.sock" /* the token is the last word */

typedef struct {
    char dir[64];   /* a fresh temporary directory, removed by teardown */
    char file[128]; /* dir/sundesk/sessions */
} fixture_t;

static int setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/sd-test-session.XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    snprintf(fx->file, sizeof fx->file, "%s/sundesk/sessions", fx->dir);
    setenv("XDG_CONFIG_HOME", fx->dir, 1);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *fx = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc;
}

/* The token saved for endpoint, or "" when none. */
static const char *s_find(const char *endpoint)
{
    static char token[160];
    int rc = sd_session_find(endpoint, token, sizeof token);
    if (rc == SD_ENOTFOUND)
        return "";
    assert_int_equal(rc, 0);
    return token;
}

static int s_mode(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (int)(st.st_mode & 07777);
}

static int s_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    int n = 0, c;
    assert_non_null(f);
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static void test_save_find_replace_forget(void **state)
{
    fixture_t *fx = *state;
    char path[160];
    assert_int_equal(sd_session_path(path, sizeof path), 0);
    assert_string_equal(path, fx->file);
    assert_string_equal(s_find(A), ""); /* no file yet */

    assert_int_equal(sd_session_save(A, "sds_aaa"), 0);
    assert_int_equal(sd_session_save(B, "sds_bbb"), 0);
    assert_int_equal(sd_session_save(C, "sds_ccc"), 0);
    assert_string_equal(s_find(A), "sds_aaa");
    assert_string_equal(s_find(B), "sds_bbb");
    assert_string_equal(s_find(C), "sds_ccc");
    assert_string_equal(s_find("ipc:///srv/apac"), ""); /* whole endpoints only */

    /* A new login to A replaces A's line and keeps the others. */
    assert_int_equal(sd_session_save(A, "sds_new"), 0);
    assert_string_equal(s_find(A), "sds_new");
    assert_string_equal(s_find(B), "sds_bbb");
    assert_int_equal(s_lines(fx->file), 3);

    assert_int_equal(sd_session_forget(B), 0);
    assert_string_equal(s_find(B), "");
    assert_string_equal(s_find(A), "sds_new");
    assert_int_equal(sd_session_forget(B), SD_ENOTFOUND);
    assert_int_equal(s_lines(fx->file), 2);
}

/* Whoever reads the file acts as the user: the file is 0600 and its directory 0700, even when
 * they were made wider before. */
static void test_private_modes(void **state)
{
    fixture_t *fx = *state;
    char sub[96];
    snprintf(sub, sizeof sub, "%s/sundesk", fx->dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(chmod(sub, 0755), 0);
    FILE *f = fopen(fx->file, "w");
    assert_non_null(f);
    fprintf(f, "%s sds_old\n", A);
    fclose(f);
    assert_int_equal(chmod(fx->file, 0644), 0);

    assert_int_equal(sd_session_save(B, "sds_bbb"), 0);
    assert_int_equal(s_mode(fx->file), 0600);
    assert_int_equal(s_mode(sub), 0700);
    assert_string_equal(s_find(A), "sds_old"); /* what was there is kept */
}

/* Without $XDG_CONFIG_HOME (or with a relative one, which the XDG rule ignores) the file is
 * under HOME/.config, made 0700 when missing. */
static void test_home_config(void **state)
{
    fixture_t *fx = *state;
    char path[160], config[96];
    setenv("XDG_CONFIG_HOME", "relative/dir", 1);
    setenv("HOME", fx->dir, 1);
    assert_int_equal(sd_session_path(path, sizeof path), 0);
    snprintf(config, sizeof config, "%s/.config", fx->dir);
    assert_int_equal(strncmp(path, config, strlen(config)), 0);
    assert_string_equal(path + strlen(config), "/sundesk/sessions");
    assert_int_equal(sd_session_save(A, "sds_home"), 0);
    assert_string_equal(s_find(A), "sds_home");
    assert_int_equal(s_mode(config), 0700);
}

/* A token longer than the caller's buffer is an error, not a cut token. */
static void test_token_too_long(void **state)
{
    (void)state;
    char small[8];
    assert_int_equal(sd_session_save(A, "sds_0123456789"), 0);
    assert_int_equal(sd_session_find(A, small, sizeof small), SD_ETOOLONG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_save_find_replace_forget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_private_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_home_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_too_long, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
