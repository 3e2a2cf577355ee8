/* test_robot.c - chat robots (node/channels/robot.c) posting to a real local HTTP receiver
 * (robot_receiver.py) that recomputes each vendor's signature on its own and checks the
 * payloads; the rate limiter, the cut marker, the errors. */
#include "robot.h"

#include "error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chan_test.h"
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static char s_dir[] = "/tmp/sd_robot_XXXXXX";
static char s_log[256], s_secret[256], s_other[256];
static int s_port;
static pid_t s_pid;

static uint64_t s_now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

static int s_setup(void **state)
{
    (void)state;
    char portfile[256];
    if (!mkdtemp(s_dir))
        return -1;
    snprintf(s_log, sizeof s_log, "%s/log.jsonl", s_dir);
    snprintf(s_secret, sizeof s_secret, "%s/secret", s_dir);
    snprintf(s_other, sizeof s_other, "%s/other", s_dir);
    snprintf(portfile, sizeof portfile, "%s/port", s_dir);
    sd_test_write_file(s_secret, "SEC-test-7f3a9\n", 0600);
    sd_test_write_file(s_other, "not-the-secret\n", 0600);
    s_pid = fork();
    if (s_pid == 0) {
        execlp("python3", "python3", SD_RECEIVER, "--log", s_log, "--port-file", portfile,
               "--secret-file", s_secret, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200 && !s_port; i++) { /* up to 10 s */
        FILE *f = fopen(portfile, "r");
        if (f) {
            if (fscanf(f, "%d", &s_port) != 1)
                s_port = 0;
            fclose(f);
        }
        if (!s_port)
            usleep(50000);
    }
    return s_port ? 0 : -1;
}

static int s_teardown(void **state)
{
    (void)state;
    if (s_pid > 0) {
        kill(s_pid, SIGTERM);
        waitpid(s_pid, NULL, 0);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", s_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static sd_robot_config_t s_robot(const char *name, int kind, const char *path, const char *secret)
{
    sd_robot_config_t r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "%s", name);
    r.kind = kind;
    snprintf(r.url, sizeof r.url, "http://127.0.0.1:%d%s", s_port, path);
    snprintf(r.secret_file, sizeof r.secret_file, "%s", secret ? secret : "");
    r.events = SD_ROBOT_EV_ALL;
    r.per_minute = 20;
    return r;
}

/* The receiver's record of the last request; NULL when there is none. Caller json_decref. */
static json_t *s_last(int *count)
{
    FILE *f = fopen(s_log, "r");
    char line[65536], last[65536] = "";
    int n = 0;
    while (f && fgets(line, sizeof line, f)) {
        strcpy(last, line);
        n++;
    }
    if (f)
        fclose(f);
    if (count)
        *count = n;
    return n ? json_loads(last, 0, NULL) : NULL;
}

static const sd_robot_msg_t s_msg = {
    .event = "new_p1",
    .ticket = "APAC-000042",
    .priority = "P1",
    .team = "network",
    .site = "APAC",
    .text = "[P1] APAC-000042 核心交换机宕机 / core switch down",
    .url = "http://127.0.0.1:8080/#/tickets/APAC-000042",
};

/* Posts m through r, expects the receiver to have found it right; returns its record. */
static json_t *s_post_ok(const sd_robot_config_t *r, const sd_robot_msg_t *m)
{
    char err[256];
    int rc = sd_robot_send(r, m, s_now(), err, sizeof err);
    if (rc != 0)
        print_error("%s: %s\n", r->name, err);
    assert_int_equal(rc, 0);
    json_t *rec = s_last(NULL);
    assert_non_null(rec);
    if (!json_is_true(json_object_get(rec, "ok")))
        print_error("receiver: %s\n", json_string_value(json_object_get(rec, "problem")));
    assert_true(json_is_true(json_object_get(rec, "ok")));
    return rec;
}

static void test_each_kind_signed(void **state)
{
    (void)state;
    struct {
        const char *name, *path, *secret;
        int kind;
    } cases[] = {
        {"wecom", "/wecom/cgi-bin/webhook/send?key=K-1", NULL, SD_ROBOT_WECOM},
        {"ding", "/dingtalk/robot/send?access_token=T-1", s_secret, SD_ROBOT_DINGTALK},
        {"ding-plain", "/dingtalk/plain/robot/send", NULL, SD_ROBOT_DINGTALK},
        {"feishu", "/feishu/open-apis/bot/v2/hook/H-1", s_secret, SD_ROBOT_FEISHU},
        {"feishu-plain", "/feishu/plain/hook/H-2", NULL, SD_ROBOT_FEISHU},
        {"hook", "/webhook/desk", s_secret, SD_ROBOT_WEBHOOK},
        {"hook-plain", "/webhook/plain", NULL, SD_ROBOT_WEBHOOK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sd_robot_config_t r = s_robot(cases[i].name, cases[i].kind, cases[i].path, cases[i].secret);
        json_t *rec = s_post_ok(&r, &s_msg);
        const char *content = json_string_value(json_object_get(rec, "content"));
        assert_non_null(strstr(content, "核心交换机宕机"));
        if (cases[i].kind != SD_ROBOT_WEBHOOK) /* the link on its own line */
            assert_non_null(strstr(content, "\nhttp://127.0.0.1:8080/#/tickets/APAC-000042"));
        else {
            json_t *body = json_loads(json_string_value(json_object_get(rec, "body")), 0, NULL);
            assert_string_equal(json_string_value(json_object_get(body, "ticket")), "APAC-000042");
            assert_string_equal(json_string_value(json_object_get(body, "event")), "new_p1");
            assert_string_equal(json_string_value(json_object_get(body, "team")), "network");
            json_decref(body);
        }
        assert_null(strstr(json_string_value(json_object_get(rec, "body")), "SEC-test"));
        json_decref(rec);
    }
}

/* A wrong secret: the receiver refuses the signature, sd_robot_send says so, not the secret. */
static void test_wrong_secret(void **state)
{
    (void)state;
    char err[256];
    int kinds[] = {SD_ROBOT_DINGTALK, SD_ROBOT_FEISHU, SD_ROBOT_WEBHOOK};
    const char *paths[] = {"/dingtalk/x", "/feishu/x", "/webhook/x"};
    for (int i = 0; i < 3; i++) {
        sd_robot_config_t r = s_robot("wrong", kinds[i], paths[i], s_other);
        assert_int_equal(sd_robot_send(&r, &s_msg, s_now(), err, sizeof err), SD_EIO);
        assert_non_null(strstr(err, "mismatch"));
        assert_null(strstr(err, "not-the-secret"));
        json_t *rec = s_last(NULL);
        assert_true(json_is_false(json_object_get(rec, "ok")));
        json_decref(rec);
    }
}

/* A secret file others can read is not used: nothing is posted. */
static void test_open_secret_refused(void **state)
{
    (void)state;
    char path[300], err[256];
    int before, after;
    snprintf(path, sizeof path, "%s/open", s_dir);
    sd_test_write_file(path, "SEC-open\n", 0644);
    sd_robot_config_t r = s_robot("open", SD_ROBOT_WEBHOOK, "/webhook/open", path);
    json_decref(s_last(&before));
    assert_int_equal(sd_robot_send(&r, &s_msg, s_now(), err, sizeof err), SD_EIO);
    assert_non_null(strstr(err, "0600"));
    assert_null(strstr(err, "SEC-open"));
    json_decref(s_last(&after));
    assert_int_equal(before, after);
}

/* Long text is cut to the robot's limit, visibly, at a character boundary. */
static void test_cut_visible(void **state)
{
    (void)state;
    char *text = malloc(30001);
    for (int i = 0; i < 10000; i++)
        memcpy(text + 3 * i, "长", 3); /* 3 bytes each */
    text[30000] = 0;
    sd_robot_msg_t m = s_msg;
    m.text = text;
    int kinds[] = {SD_ROBOT_WECOM, SD_ROBOT_DINGTALK, SD_ROBOT_FEISHU, SD_ROBOT_WEBHOOK};
    const char *paths[] = {"/wecom/s?key=K", "/dingtalk/s", "/feishu/s", "/webhook/s"};
    size_t limits[] = {2048, 15000, 15000, 16384};
    for (int i = 0; i < 4; i++) {
        sd_robot_config_t r = s_robot("cut", kinds[i], paths[i], i ? s_secret : NULL);
        json_t *rec = s_post_ok(&r, &m);
        const char *content = json_string_value(json_object_get(rec, "content"));
        assert_true(strlen(content) <= limits[i]);
        assert_true(strlen(content) > limits[i] - 200);
        assert_non_null(strstr(content, "长…"));
        json_decref(rec);
    }
    free(text);
    char out[16];
    assert_false(sd_robot_cut("abc", 8, out, sizeof out));
    assert_string_equal(out, "abc");
    assert_true(sd_robot_cut("长长长长", 8, out, sizeof out)); /* 12 bytes into 8 */
    assert_string_equal(out, "长…");
    assert_true(sd_robot_cut("abcdefghijklmnopqrstuvwxyz", 100, out, sizeof out)); /* cap 16 */
    assert_string_equal(out, "abcdefghijkl…");
    assert_false(sd_robot_cut("", 0, out, sizeof out));
    assert_string_equal(out, "");
}

/* per_minute posts a minute; the next waits (SD_EBUSY, nothing sent) until the window moves. */
static void test_rate_limit(void **state)
{
    (void)state;
    char err[256];
    int before, after;
    sd_robot_config_t r = s_robot("rate", SD_ROBOT_WEBHOOK, "/webhook/rate", s_secret);
    r.per_minute = 3;
    uint64_t t0 = s_now();
    for (int i = 0; i < 3; i++) {
        assert_true(sd_robot_ready(&r, t0 + (uint64_t)i * 1000));
        assert_int_equal(sd_robot_send(&r, &s_msg, t0 + (uint64_t)i * 1000, err, sizeof err), 0);
    }
    json_decref(s_last(&before));
    assert_false(sd_robot_ready(&r, t0 + 5000));
    assert_int_equal(sd_robot_send(&r, &s_msg, t0 + 5000, err, sizeof err), SD_EBUSY);
    json_decref(s_last(&after));
    assert_int_equal(before, after);
    assert_false(sd_robot_ready(&r, t0 + 59999));
    assert_true(sd_robot_ready(&r, t0 + 60000)); /* the first post left the window */
    assert_int_equal(sd_robot_send(&r, &s_msg, t0 + 60000, err, sizeof err), 0);
    assert_false(sd_robot_ready(&r, t0 + 60500));
    /* Posts a restarted node's queue remembers count as if this process had made them. */
    sd_chat_config_t c = {.robot_count = 1};
    c.robots[0] = s_robot("rate-restarted", SD_ROBOT_WEBHOOK, "/webhook/rate2", s_secret);
    c.robots[0].per_minute = 2;
    assert_true(sd_robot_ready(&c.robots[0], t0));
    sd_robot_note_posted(&c, "other,rate-restarted", t0 - 30000);
    assert_true(sd_robot_ready(&c.robots[0], t0));
    sd_robot_note_posted(&c, "rate-restarted", t0 - 20000);
    assert_false(sd_robot_ready(&c.robots[0], t0));
    assert_int_equal(sd_robot_ready_at(&c.robots[0], t0), t0 + 30000);
    assert_true(sd_robot_ready(&c.robots[0], t0 + 30000));
}

/* The vendor's rate error or HTTP 429: SD_EBUSY, and the robot rests a minute. */
static void test_vendor_busy(void **state)
{
    (void)state;
    char err[256];
    int kinds[] = {SD_ROBOT_WECOM, SD_ROBOT_DINGTALK, SD_ROBOT_FEISHU, SD_ROBOT_WEBHOOK};
    const char *paths[] = {"/wecom/busy?key=K", "/dingtalk/plain/busy", "/feishu/plain/busy",
                           "/webhook/plain/busy"};
    for (int i = 0; i < 4; i++) {
        sd_robot_config_t r = s_robot("busy", kinds[i], paths[i], NULL);
        uint64_t t = s_now();
        assert_int_equal(sd_robot_send(&r, &s_msg, t, err, sizeof err), SD_EBUSY);
        assert_false(sd_robot_ready(&r, t + 30000));
        assert_true(sd_robot_ready(&r, t + 61000));
    }
}

/* Other failures: SD_EIO with the reason; the URL's key is not in it. */
static void test_failures(void **state)
{
    (void)state;
    char err[256];
    sd_robot_config_t r = s_robot("down", SD_ROBOT_WEBHOOK, "/webhook/plain/down", NULL);
    assert_int_equal(sd_robot_send(&r, &s_msg, s_now(), err, sizeof err), SD_EIO);
    assert_non_null(strstr(err, "HTTP 500"));
    r = s_robot("nowhere", SD_ROBOT_WECOM, "/x?key=KEY-SECRET", NULL);
    snprintf(r.url, sizeof r.url, "http://127.0.0.1:1/cgi-bin/webhook/send?key=KEY-SECRET");
    assert_int_equal(sd_robot_send(&r, &s_msg, s_now(), err, sizeof err), SD_EIO);
    assert_null(strstr(err, "KEY-SECRET"));
    assert_non_null(strstr(err, "robot nowhere"));
    /* Text that is not UTF-8 is refused before anything is posted. */
    int before, after;
    sd_robot_msg_t m = s_msg;
    m.text = "caf\xe9 latin-1";
    r = s_robot("latin1", SD_ROBOT_WEBHOOK, "/webhook/plain/latin1", NULL);
    json_decref(s_last(&before));
    assert_int_equal(sd_robot_send(&r, &m, s_now(), err, sizeof err), SD_EINVAL);
    assert_non_null(strstr(err, "not UTF-8"));
    json_decref(s_last(&after));
    assert_int_equal(before, after);
}

/* Every robot that wants a notice gets it once: a retry posts only to those that did not take
 * it; the rate-limited one says when to come back. */
static void test_post_all(void **state)
{
    (void)state;
    sd_chat_config_t c = {.robot_count = 4};
    c.robots[0] = s_robot("pa-one", SD_ROBOT_WEBHOOK, "/webhook/plain/pa-one", NULL);
    c.robots[1] = s_robot("pa-two", SD_ROBOT_FEISHU, "/feishu/pa-two", s_secret);
    c.robots[2] = s_robot("pa-slow", SD_ROBOT_WEBHOOK, "/webhook/plain/pa-slow", NULL);
    c.robots[2].per_minute = 1;
    c.robots[3] = s_robot("pa-srv", SD_ROBOT_WEBHOOK, "/webhook/plain/pa-srv", NULL);
    strcpy(c.robots[3].teams, "servers");
    char done[256] = "", err[256];
    int wanted, before, after;
    uint64_t t = s_now(), retry;
    /* pa-slow's one post a minute is used by another notice first. */
    assert_int_equal(sd_robot_send(&c.robots[2], &s_msg, t, err, sizeof err), 0);
    json_decref(s_last(&before));
    assert_int_equal(
        sd_robot_post_all(&c, &s_msg, t + 10, done, sizeof done, &wanted, &retry, err, sizeof err),
        SD_EBUSY);
    assert_int_equal(wanted, 3); /* not pa-srv: another team */
    assert_string_equal(done, "pa-one,pa-two");
    assert_int_equal(retry, t + 60000);
    json_decref(s_last(&after));
    assert_int_equal(after, before + 2);
    assert_int_equal(sd_robot_post_all(&c, &s_msg, t + 60000, done, sizeof done, &wanted, &retry,
                                       err, sizeof err),
                     0);
    assert_string_equal(done, "pa-one,pa-two,pa-slow");
    json_decref(s_last(&after));
    assert_int_equal(after, before + 3);
    json_t *rec = s_last(NULL);
    assert_string_equal(json_string_value(json_object_get(rec, "path")), "/webhook/plain/pa-slow");
    json_decref(rec);
    /* All done: nothing more is posted. */
    assert_int_equal(
        sd_robot_post_all(&c, &s_msg, t + 60001, done, sizeof done, NULL, NULL, err, sizeof err),
        0);
    json_decref(s_last(&after));
    assert_int_equal(after, before + 3);
    /* A failure is SD_EIO with its reason. */
    sd_chat_config_t d = {.robot_count = 1};
    d.robots[0] = s_robot("pa-down", SD_ROBOT_WEBHOOK, "/webhook/plain/down", NULL);
    done[0] = 0;
    assert_int_equal(
        sd_robot_post_all(&d, &s_msg, t, done, sizeof done, NULL, NULL, err, sizeof err), SD_EIO);
    assert_non_null(strstr(err, "HTTP 500"));
    assert_string_equal(done, "");
}

static void test_wants(void **state)
{
    (void)state;
    sd_robot_config_t r = s_robot("w", SD_ROBOT_WEBHOOK, "/", NULL);
    r.events = SD_ROBOT_EV_NEW_P1 | SD_ROBOT_EV_PAGE | SD_ROBOT_EV_BULLETIN;
    strcpy(r.teams, "network, servers");
    strcpy(r.sites, "APAC");
    assert_true(sd_robot_wants(&r, "new_p1", "network", "APAC"));
    assert_true(sd_robot_wants(&r, "new_p1", "servers", "APAC"));
    assert_false(sd_robot_wants(&r, "new_p1", "net", "APAC"));
    assert_false(sd_robot_wants(&r, "new_p1", "network", "EMEA"));
    assert_false(sd_robot_wants(&r, "new_p2", "network", "APAC"));
    assert_false(sd_robot_wants(&r, "lunch", "network", "APAC"));
    assert_true(sd_robot_wants(&r, "bulletin", "", "APAC")); /* no team: passes */
    assert_true(sd_robot_wants(&r, "page", NULL, NULL));
    r.teams[0] = r.sites[0] = 0;
    assert_true(sd_robot_wants(&r, "page", "anyone", "EMEA"));
    assert_int_equal(sd_robot_event_bit("breach"), SD_ROBOT_EV_BREACH);
    assert_int_equal(sd_robot_event_bit("nope"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_kind_signed),
        cmocka_unit_test(test_wrong_secret),
        cmocka_unit_test(test_open_secret_refused),
        cmocka_unit_test(test_cut_visible),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_vendor_busy),
        cmocka_unit_test(test_failures),
        cmocka_unit_test(test_wants),
        cmocka_unit_test(test_post_all),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
