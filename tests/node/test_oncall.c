/* test_oncall.c - on-call rosters (node/desk/oncall.h) against hand-checked cases: the weekly
 * rotation across both 2027 DST changes in London, New York and Shanghai, holiday swaps,
 * overrides (replicated records), an empty roster, the gaps and the shifts. */
#include "node_test.h"

#include "config.h"
#include "desk_test.h"
#include "error.h"
#include "journal.h"
#include "oncall.h"
#include "oncall_kind.h"
#include "schedule.h"
#include "store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libical/ical.h>

/* UTC instant of a date and time. */
static int64_t U(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {
        .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return (int64_t)timegm(&tm) * 1000;
}

/* Loads a config whose schedule section is schedule; returns sd_config_load's code. */
static int s_load(sd_config_t *cfg, const char *schedule, char *err, size_t cap)
{
    char dir[256];
    assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-oncall"), 0);
    int rc = sd_test_load_config(cfg, dir, schedule, err, cap);
    sd_test_rmtree(dir);
    return rc;
}

static void s_load_ok(sd_config_t *cfg, const char *schedule)
{
    char err[512] = "";
    if (s_load(cfg, schedule, err, sizeof err) != 0)
        fail_msg("%s", err);
}

/* The member of roster i the rotation names at t, "-" for none. */
static const char *s_rot(const sd_config_t *cfg, size_t i, int64_t t)
{
    int m = sd_oncall_rotation(cfg->sched.oncall[i], t);
    return m < 0 ? "-" : cfg->sched.oncall[i]->members[m];
}

#define ROSTER(name, zone, handoff, start, extra)                                                  \
    "    oncall\n"                                                                                 \
    "        name = " name "\n"                                                                    \
    "        zone = " zone "\n"                                                                    \
    "        members = \"amy bob cho\"\n"                                                          \
    "        handoff = \"" handoff "\"\n"                                                          \
    "        start = " start "\n" extra

/* A handoff instant and whom the rotation names at instants, for roster `roster`. */
typedef struct {
    size_t roster;
    int64_t k, at; /* handoff k happens at `at` */
} s_handoff_t;
typedef struct {
    size_t roster;
    int64_t at;        /* an instant */
    const char *login; /* whom the rotation names then */
} s_turn_t;

static void s_check(const char *schedule, const s_handoff_t *h, size_t nh, const s_turn_t *w,
                    size_t nw)
{
    sd_config_t cfg;
    s_load_ok(&cfg, schedule);
    for (size_t i = 0; i < nh; i++)
        if (sd_oncall_handoff(cfg.sched.oncall[h[i].roster], h[i].k) != h[i].at)
            fail_msg("handoff %lld of roster %zu: %lld, wanted %lld", (long long)h[i].k,
                     h[i].roster,
                     (long long)sd_oncall_handoff(cfg.sched.oncall[h[i].roster], h[i].k),
                     (long long)h[i].at);
    for (size_t i = 0; i < nw; i++)
        if (strcmp(s_rot(&cfg, w[i].roster, w[i].at), w[i].login) != 0)
            fail_msg("case %zu: roster %zu at %lld: %s, wanted %s", i, w[i].roster,
                     (long long)w[i].at, s_rot(&cfg, w[i].roster, w[i].at), w[i].login);
    sd_config_clear(&cfg);
}

#define N(a) (sizeof(a) / sizeof(a)[0])

/* London, handoff Monday 09:00 local from 2027-03-01 (week 0: amy). Week 3 (amy again) starts
 * 2027-03-22 09:00 GMT = 09:00Z; week 4 (bob) 2027-03-29 09:00 BST = 08:00Z, the day after the
 * spring change; week 34 (bob) 2027-10-25 09:00 BST = 08:00Z; week 35 (cho) 2027-11-01 09:00
 * GMT = 09:00Z, the day after the autumn change. */
static void test_rotation_london_across_dst(void **state)
{
    (void)state;
    const s_handoff_t h[] = {{0, 0, U(2027, 3, 1, 9, 0)},
                             {0, 4, U(2027, 3, 29, 8, 0)},
                             {0, 34, U(2027, 10, 25, 8, 0)},
                             {0, 35, U(2027, 11, 1, 9, 0)}};
    const s_turn_t w[] = {
        {0, U(2027, 3, 1, 8, 59), "cho"}, /* week -1 */
        {0, U(2027, 3, 1, 9, 0), "amy"},   {0, U(2027, 3, 22, 9, 0), "amy"},
        {0, U(2027, 3, 28, 12, 0), "amy"}, /* after the change */
        {0, U(2027, 3, 29, 7, 59), "amy"}, {0, U(2027, 3, 29, 8, 0), "bob"},
        {0, U(2027, 11, 1, 8, 30), "bob"}, /* 08:30 GMT */
        {0, U(2027, 11, 1, 9, 0), "cho"},
    };
    s_check(ROSTER("ldn", "Europe/London", "mon 09:00", "2027-03-01", ""), h, N(h), w, N(w));
}

/* New York, handoff Sunday 02:30 local from 2027-03-07 (07:30Z, EST, amy). 2027-03-14 02:30
 * does not exist (02:00 EST jumps to 03:00 EDT at 07:00Z): bob takes over at the jump. Week 2
 * 2027-03-21 02:30 EDT = 06:30Z: cho. A second roster hands off Sunday 01:30 from 2027-10-31
 * (01:30 EDT = 05:30Z, amy); on 2027-11-07 01:30 happens twice (05:30Z EDT, 06:30Z EST): the
 * handoff is the first, and the second 01:00-01:30 does not hand back. */
static void test_rotation_new_york_skipped_and_repeated(void **state)
{
    (void)state;
    const s_handoff_t h[] = {{0, 0, U(2027, 3, 7, 7, 30)},  {0, 1, U(2027, 3, 14, 7, 0)},
                             {0, 2, U(2027, 3, 21, 6, 30)}, {1, 0, U(2027, 10, 31, 5, 30)},
                             {1, 1, U(2027, 11, 7, 5, 30)}, {1, 2, U(2027, 11, 14, 6, 30)}};
    const s_turn_t w[] = {
        {0, U(2027, 3, 14, 6, 59), "amy"},  {0, U(2027, 3, 14, 7, 0), "bob"},
        {0, U(2027, 3, 21, 6, 29), "bob"},  {0, U(2027, 3, 21, 6, 30), "cho"},
        {1, U(2027, 11, 7, 5, 29), "amy"},  {1, U(2027, 11, 7, 5, 30), "bob"},
        {1, U(2027, 11, 7, 6, 0), "bob"},  /* 01:00 EST again */
        {1, U(2027, 11, 7, 6, 30), "bob"}, /* 01:30 EST */
        {1, U(2027, 11, 14, 6, 29), "bob"}, {1, U(2027, 11, 14, 6, 30), "cho"},
    };
    s_check(ROSTER("nyc", "America/New_York", "sun 02:30", "2027-03-07", "")
                ROSTER("nyc-fall", "America/New_York", "sun 01:30", "2027-10-31", ""),
            h, N(h), w, N(w));
}

/* Shanghai has no DST: handoff Monday 08:00 = Monday 00:00Z all year. */
static void test_rotation_shanghai(void **state)
{
    (void)state;
    const s_handoff_t h[] = {{0, 4, U(2027, 3, 29, 0, 0)}, {0, 35, U(2027, 11, 1, 0, 0)}};
    const s_turn_t w[] = {{0, U(2027, 3, 28, 23, 59), "amy"},
                          {0, U(2027, 3, 29, 0, 0), "bob"},
                          {0, U(2027, 10, 31, 23, 59), "bob"},
                          {0, U(2027, 11, 1, 0, 0), "cho"}};
    s_check(ROSTER("sha", "Asia/Shanghai", "mon 08:00", "2027-03-01", ""), h, N(h), w, N(w));
}

/* Christmas 2027 (a Saturday) is a roster holiday: week 42 (from Monday 2027-12-20) is amy's,
 * bob covers 2027-12-25 00:00-24:00 London time, amy is back on the 26th. A one-member roster
 * keeps its member. */
static void test_holiday_swap(void **state)
{
    (void)state;
    const s_turn_t w[] = {{0, U(2027, 12, 24, 23, 59), "amy"},
                          {0, U(2027, 12, 25, 0, 0), "bob"},
                          {0, U(2027, 12, 25, 23, 59), "bob"},
                          {0, U(2027, 12, 26, 0, 0), "amy"},
                          {1, U(2027, 12, 25, 12, 0), "dan"}};
    s_check(ROSTER("ldn", "Europe/London", "mon 09:00", "2027-03-01",
                   "        holidays = \"2027-12-25\"\n") "    oncall\n"
                                                          "        name = solo\n"
                                                          "        zone = Europe/London\n"
                                                          "        members = dan\n"
                                                          "        handoff = \"mon 09:00\"\n"
                                                          "        holidays = 2027-12-25\n",
            NULL, 0, w, N(w));
}

#define EMEA_SITE                                                                                  \
    "    site\n"                                                                                   \
    "        name = EMEA\n"                                                                        \
    "        zone = Europe/London\n"                                                               \
    "        hours = \"mon-fri 08:00-17:00\"\n"

/* Gaps: on call exactly when no site is on duty. An empty roster has nobody, and adds no hours
 * to a follow-the-sun clock; a roster with members makes that clock 7x24. */
static void test_gaps_and_empty_roster(void **state)
{
    (void)state;
    sd_config_t cfg;
    char login[SD_NAME_MAX + 1];
    s_load_ok(&cfg, EMEA_SITE "    oncall\n"
                              "        name = nobody\n"
                              "        zone = Europe/London\n"
                              "        handoff = \"mon 09:00\"\n");
    assert_int_equal(
        sd_oncall_who(&cfg.sched, NULL, "EMEA", (uint64_t)U(2027, 3, 27, 10, 0), login),
        SD_ENOTFOUND);
    assert_false(sd_oncall_covers(&cfg.sched, NULL, (uint64_t)U(2027, 3, 27, 10, 0)));
    assert_false(cfg.sched.oncall_always);
    sd_config_clear(&cfg);

    s_load_ok(&cfg, EMEA_SITE ROSTER("ldn", "Europe/London", "mon 09:00", "2027-03-01", ""));
    assert_true(cfg.sched.oncall_always);
    /* Saturday 2027-03-27, week 3: amy. Wednesday noon EMEA is on duty: nobody. */
    assert_int_equal(
        sd_oncall_who(&cfg.sched, NULL, "EMEA", (uint64_t)U(2027, 3, 27, 10, 0), login), 0);
    assert_string_equal(login, "amy");
    assert_true(sd_oncall_covers(&cfg.sched, NULL, (uint64_t)U(2027, 3, 27, 10, 0)));
    assert_int_equal(
        sd_oncall_who(&cfg.sched, NULL, "EMEA", (uint64_t)U(2027, 3, 24, 12, 0), login),
        SD_ENOTFOUND);
    /* Wednesday 2027-03-24 17:00Z EMEA goes home: amy until 08:00Z Thursday. */
    sd_oncall_shift_t *sh = NULL;
    size_t n = 0;
    assert_int_equal(
        sd_oncall_shifts(&cfg.sched, NULL, 0, U(2027, 3, 24, 0, 0), U(2027, 3, 26, 0, 0), &sh, &n),
        0);
    assert_int_equal(n, 3);
    assert_int_equal(sh[0].start, U(2027, 3, 24, 0, 0));
    assert_int_equal(sh[0].end, U(2027, 3, 24, 8, 0));
    assert_int_equal(sh[1].start, U(2027, 3, 24, 17, 0));
    assert_int_equal(sh[1].end, U(2027, 3, 25, 8, 0));
    assert_int_equal(sh[2].start, U(2027, 3, 25, 17, 0));
    assert_string_equal(sh[2].login, "amy");
    free(sh);
    /* The weekend of the spring change: Friday 17:00Z to Monday 07:00Z (08:00 BST), cut at
     * nothing (the handoff is Monday 09:00 BST, inside EMEA's hours). */
    assert_int_equal(sd_oncall_shifts(&cfg.sched, NULL, 0, U(2027, 3, 26, 12, 0),
                                      U(2027, 3, 29, 12, 0), &sh, &n),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(sh[0].start, U(2027, 3, 26, 17, 0));
    assert_int_equal(sh[0].end, U(2027, 3, 29, 7, 0));
    free(sh);
    sd_config_clear(&cfg);
}

/* Explicit hours and sites: a roster answers for its sites only, during its own hours. */
static void test_explicit_hours_and_sites(void **state)
{
    (void)state;
    sd_config_t cfg;
    char login[SD_NAME_MAX + 1];
    s_load_ok(&cfg, EMEA_SITE "    site\n"
                              "        name = AMER\n"
                              "        zone = America/New_York\n"
                              "        hours = \"mon-fri 08:00-18:00\"\n" ROSTER(
                                  "amer", "America/New_York", "mon 09:00", "2027-03-01",
                                  "        sites = AMER\n"
                                  "        hours = \"sat-sun 09:00-17:00\"\n"));
    assert_false(cfg.sched.oncall_always);
    assert_non_null(cfg.sched.cover);
    int64_t sat = U(2027, 3, 27, 15, 0); /* 11:00 EDT */
    assert_int_equal(sd_oncall_who(&cfg.sched, NULL, "AMER", (uint64_t)sat, login), 0);
    assert_int_equal(sd_oncall_who(&cfg.sched, NULL, "EMEA", (uint64_t)sat, login), SD_ENOTFOUND);
    assert_int_equal(
        sd_oncall_who(&cfg.sched, NULL, "AMER", (uint64_t)U(2027, 3, 27, 12, 0), login),
        SD_ENOTFOUND); /* 08:00 EDT: before its hours */
    sd_config_clear(&cfg);
}

static void test_config_errors(void **state)
{
    (void)state;
    sd_config_t cfg;
    char err[512] = "";
    assert_int_equal(s_load(&cfg,
                            "    oncall\n"
                            "        name = x\n"
                            "        zone = Europe/London\n",
                            err, sizeof err),
                     SD_ECONFIG);
    assert_non_null(strstr(err, "handoff"));
    sd_config_clear(&cfg);
    assert_int_equal(
        s_load(&cfg,
               ROSTER("x", "Europe/London", "mon 09:00", "2027-03-01", "        sites = MARS\n"),
               err, sizeof err),
        SD_ECONFIG);
    assert_non_null(strstr(err, "x/sites"));
    sd_config_clear(&cfg);
    assert_int_equal(
        s_load(&cfg, ROSTER("x", "Europe/London", "someday 9", "2027-03-01", ""), err, sizeof err),
        SD_ECONFIG);
    sd_config_clear(&cfg);
}

/* ---- overrides: replicated records ---------------------------------------- */

typedef struct {
    const char *id, *roster, *login;
    int64_t from, until;
    bool cancel;
} s_ovr_t;

static int s_ovr_fill(sd_journal_batch_t *batch, void *arg)
{
    const s_ovr_t *o = arg;
    sd_event_t ev = {0};
    assert_int_equal(
        sd_event_start(&ev, &sd_kind_oncall, o->cancel ? SD_OOP_CANCEL : SD_OOP_CREATE), 0);
    snprintf(ev.key, sizeof ev.key, "%s", o->id);
    snprintf(ev.author, sizeof ev.author, "boss");
    sd_oncall_t *f = sd_event_oncall(&ev);
    if (o->cancel) {
        ev.mask |= sd_kind_register_mask(&sd_kind_oncall, SD_OREG_CANCEL);
        f->cancelled = true;
    } else {
        ev.mask |= sd_kind_register_mask(&sd_kind_oncall, SD_OREG_CREATED) |
                   sd_kind_register_mask(&sd_kind_oncall, SD_OREG_SPAN);
        f->created_at = sd_journal_now(batch);
        f->origin_site = strdup("EMEA");
        f->roster = strdup(o->roster);
        f->login = strdup(o->login);
        f->from_at = (uint64_t)o->from;
        f->until_at = (uint64_t)o->until;
    }
    int rc = sd_journal_append(batch, &ev, NULL);
    sd_event_clear(&ev);
    return rc;
}

/* amy's week 3 (from 2027-03-22 09:00Z); dan covers Saturday 2027-03-27 06:00-18:00Z for her,
 * and a later override (eve, 12:00-14:00Z) wins over it where they overlap. Cancelling eve's
 * gives it back to dan. The shifts show the pieces. */
static void test_overrides(void **state)
{
    (void)state;
    sd_config_t cfg;
    s_load_ok(&cfg, EMEA_SITE ROSTER("ldn", "Europe/London", "mon 09:00", "2027-03-01", ""));
    char dir[256];
    assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-oncall-store"), 0);
    sd_store_t *store = NULL;
    sd_journal_t *journal = NULL;
    assert_int_equal(sd_store_open(dir, "EMEA", &store), 0);
    assert_int_equal(sd_journal_open(store, "EMEA", &journal), 0);
    s_ovr_t dan = {"EMEA-O-000001", "ldn", "dan", U(2027, 3, 27, 6, 0), U(2027, 3, 27, 18, 0), 0};
    s_ovr_t eve = {"EMEA-O-000002", "ldn", "eve", U(2027, 3, 27, 12, 0), U(2027, 3, 27, 14, 0), 0};
    s_ovr_t other = {"EMEA-O-000003",      "elsewhere",          "zed",
                     U(2027, 3, 27, 0, 0), U(2027, 3, 28, 0, 0), 0};
    uint64_t now = (uint64_t)U(2027, 3, 20, 0, 0);
    assert_int_equal(sd_journal_write(journal, now, s_ovr_fill, &dan, NULL), 0);
    assert_int_equal(sd_journal_write(journal, now + 1000, s_ovr_fill, &eve, NULL), 0);
    assert_int_equal(sd_journal_write(journal, now + 2000, s_ovr_fill, &other, NULL), 0);

    sd_store_txn_t *txn;
    char login[SD_NAME_MAX + 1];
    assert_int_equal(sd_store_begin(store, false, &txn), 0);
    const int64_t at[] = {U(2027, 3, 27, 5, 59), U(2027, 3, 27, 6, 0), U(2027, 3, 27, 12, 0),
                          U(2027, 3, 27, 14, 0), U(2027, 3, 27, 18, 0)};
    const char *const who[] = {"amy", "dan", "eve", "dan", "amy"};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(sd_oncall_who(&cfg.sched, txn, "EMEA", (uint64_t)at[i], login), 0);
        assert_string_equal(login, who[i]);
    }
    /* Without the store (no overrides read): the rotation. */
    assert_int_equal(sd_oncall_who(&cfg.sched, NULL, "EMEA", (uint64_t)at[2], login), 0);
    assert_string_equal(login, "amy");
    sd_oncall_shift_t *sh = NULL;
    size_t n = 0;
    assert_int_equal(
        sd_oncall_shifts(&cfg.sched, txn, 0, U(2027, 3, 27, 0, 0), U(2027, 3, 28, 0, 0), &sh, &n),
        0);
    assert_int_equal(n, 5);
    assert_string_equal(sh[1].login, "dan");
    assert_string_equal(sh[1].override, "EMEA-O-000001");
    assert_int_equal(sh[2].start, U(2027, 3, 27, 12, 0));
    assert_string_equal(sh[2].login, "eve");
    assert_string_equal(sh[4].login, "amy");
    assert_string_equal(sh[4].override, "");
    free(sh);
    sd_store_abort(&txn);

    eve.cancel = true;
    assert_int_equal(sd_journal_write(journal, now + 3000, s_ovr_fill, &eve, NULL), 0);
    assert_int_equal(sd_store_begin(store, false, &txn), 0);
    assert_int_equal(sd_oncall_who(&cfg.sched, txn, "EMEA", (uint64_t)at[2], login), 0);
    assert_string_equal(login, "dan");
    sd_store_abort(&txn);

    sd_journal_close(&journal);
    sd_store_close(&store);
    sd_test_rmtree(dir);
    sd_config_clear(&cfg);
}

/* The shifts of a week as iCalendar (sd_ics_write) parse back with libical: a VCALENDAR with
 * one VEVENT per shift, its UTC start and end, summary and UID. */
static void test_ics_parses_back(void **state)
{
    (void)state;
    sd_config_t cfg;
    s_load_ok(&cfg, EMEA_SITE ROSTER("ldn", "Europe/London", "mon 09:00", "2027-03-01",
                                     "        holidays = 2027-03-27\n"));
    sd_oncall_shift_t *sh = NULL;
    size_t n = 0;
    assert_int_equal(
        sd_oncall_shifts(&cfg.sched, NULL, 0, U(2027, 3, 26, 0, 0), U(2027, 3, 29, 12, 0), &sh, &n),
        0);
    /* Friday 00:00-08:00 amy, Friday 17:00 - Saturday 00:00 amy, Saturday (holiday: bob),
     * Sunday 00:00 (GMT) to Monday 07:00Z amy. */
    assert_int_equal(n, 4);
    assert_string_equal(sh[2].login, "bob");
    assert_int_equal(sh[2].start, U(2027, 3, 27, 0, 0));
    assert_int_equal(sh[2].end, U(2027, 3, 28, 0, 0));
    assert_int_equal(sh[3].end, U(2027, 3, 29, 7, 0));
    sd_ics_event_t ev[4];
    char uid[4][64], summary[4][SD_NAME_MAX + 32];
    for (size_t i = 0; i < n; i++) {
        snprintf(uid[i], sizeof uid[i], "ldn-%lld@sundesk", (long long)sh[i].start);
        snprintf(summary[i], sizeof summary[i], "On call: %s (ldn)", sh[i].login);
        ev[i] = (sd_ics_event_t){sh[i].start, sh[i].end, uid[i], summary[i], "weekly rotation"};
    }
    char *text = NULL;
    assert_int_equal(sd_ics_write("ldn", ev, n, U(2027, 3, 20, 0, 0), &text), 0);
    icalcomponent *cal = icalparser_parse_string(text);
    assert_non_null(cal);
    assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
    size_t seen = 0;
    for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), seen++) {
        struct icaltimetype a = icalcomponent_get_dtstart(c), b = icalcomponent_get_dtend(c);
        assert_true(icaltime_is_utc(a));
        assert_int_equal((int64_t)icaltime_as_timet(a) * 1000, sh[seen].start);
        assert_int_equal((int64_t)icaltime_as_timet(b) * 1000, sh[seen].end);
        assert_string_equal(icalcomponent_get_summary(c), summary[seen]);
        assert_string_equal(icalcomponent_get_uid(c), uid[seen]);
    }
    assert_int_equal(seen, n);
    icalcomponent_free(cal);
    free(text);
    free(sh);
    sd_config_clear(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rotation_london_across_dst),
        cmocka_unit_test(test_rotation_new_york_skipped_and_repeated),
        cmocka_unit_test(test_rotation_shanghai),
        cmocka_unit_test(test_holiday_swap),
        cmocka_unit_test(test_gaps_and_empty_roster),
        cmocka_unit_test(test_explicit_hours_and_sites),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_ics_parses_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
