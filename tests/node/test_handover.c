/* test_handover.c - handover to a person: the receiving team each site names
 * (schedule/site handover_team, handover_assign) as the configuration reads
 * it, who is on duty, and the pick. The scheduler's part is in test_scheduler. */
#include "node_test.h"

#include "config.h"
#include "desk_test.h"
#include "error.h"
#include "receive.h"
#include "schedule.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Loads a config whose schedule section is schedule; returns sd_config_load's code. */
static int s_load(sd_config_t *cfg, const char *schedule, char *err, size_t cap)
{
    char dir[256];
    assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-handover"), 0);
    int rc = sd_test_load_config(cfg, dir, schedule, err, cap);
    sd_test_rmtree(dir);
    return rc;
}

/* Each site may name its receiving team; a site that names none has none. */
static void test_handover_team_config(void **state)
{
    (void)state;
    sd_config_t cfg;
    char err[512] = "";
    int rc = s_load(&cfg,
                    "    site\n"
                    "        name = EMEA\n"
                    "        zone = Europe/London\n"
                    "        hours = \"mon-fri 08:00-17:00\"\n"
                    "        handover_team = emea-desk\n"
                    "        handover_assign = queue\n"
                    "    site\n"
                    "        name = AMER\n"
                    "        zone = America/New_York\n"
                    "        hours = \"mon-fri 08:00-18:00\"\n",
                    err, sizeof err);
    if (rc)
        fail_msg("%s", err);
    assert_string_equal(sd_schedule_handover_team(&cfg.sched, "EMEA"), "emea-desk");
    assert_null(sd_schedule_handover_team(&cfg.sched, "AMER"));
    assert_null(sd_schedule_handover_team(&cfg.sched, "APAC")); /* not a site */
    assert_null(sd_schedule_handover_team(&cfg.sched, NULL));
    assert_true(cfg.sched.handover_to_queue[0]);  /* EMEA: queue */
    assert_false(cfg.sched.handover_to_queue[1]); /* AMER: least_load, the default */
    sd_config_clear(&cfg);
}

/* An empty team name is a mistake, said with the site and the key. */
static void test_handover_team_empty_refused(void **state)
{
    (void)state;
    sd_config_t cfg;
    char err[512] = "";
    int rc = s_load(&cfg,
                    "    site\n"
                    "        name = EMEA\n"
                    "        zone = Europe/London\n"
                    "        handover_team = \"\"\n",
                    err, sizeof err);
    assert_int_equal(rc, SD_ECONFIG);
    assert_non_null(strstr(err, "EMEA/handover_team"));
    sd_config_clear(&cfg);
}

/* handover_assign is least_load or queue. */
static void test_handover_assign_unknown_refused(void **state)
{
    (void)state;
    sd_config_t cfg;
    char err[512] = "";
    int rc = s_load(&cfg,
                    "    site\n"
                    "        name = EMEA\n"
                    "        zone = Europe/London\n"
                    "        handover_assign = round_robin\n",
                    err, sizeof err);
    assert_int_equal(rc, SD_ECONFIG);
    assert_non_null(strstr(err, "EMEA/handover_assign: least_load or queue"));
    sd_config_clear(&cfg);
}

/* Least load first, ties to the smaller login, whatever the order added;
 * what a tick gives counts, and a rewind forgets it. */
static void test_roster_pick(void **state)
{
    (void)state;
    sd_roster_t r = {0};
    assert_null(sd_roster_pick(&r));
    assert_null(sd_roster_pick(NULL));
    assert_int_equal(sd_roster_add(&r, "kim", 2), 0);
    assert_int_equal(sd_roster_add(&r, "bob", 1), 0);
    assert_int_equal(sd_roster_add(&r, "amy", 1), 0);
    assert_string_equal(r.agents[0].login, "amy"); /* kept sorted */
    assert_string_equal(sd_roster_pick(&r), "amy");
    sd_roster_gave(&r, "amy");
    assert_string_equal(sd_roster_pick(&r), "bob");
    sd_roster_gave(&r, "bob");
    assert_string_equal(sd_roster_pick(&r), "amy"); /* amy, bob, kim all at 2 */
    sd_roster_gave(&r, "nobody");                   /* not on the roster: nothing */
    sd_roster_rewind(&r);
    assert_string_equal(sd_roster_pick(&r), "amy");
    assert_int_equal(r.agents[2].load, 2);
    sd_roster_clear(&r);
    assert_null(r.agents);
    sd_roster_clear(NULL);
}

/* On duty: an active agent of the team whose home is the site, while the
 * site's calendar is on duty; never another site's, never out of hours. */
static void test_on_duty(void **state)
{
    (void)state;
    sd_schedule_t sched;
    sd_schedule_default(&sched);
    sched.sites = sd_calset_new();
    sd_calendar_t *cal = NULL;
    assert_int_equal(sd_calendar_new("AMER", "America/New_York", &cal), 0);
    assert_int_equal(sd_calendar_add_hours(cal, "mon-fri 08:00-18:00"), 0);
    assert_int_equal(sd_calset_add(sched.sites, &cal), 0);
    sd_user_t u = {.home_site = "AMER", .teams = "network,amer-desk"};
    sd_user_grant_event(&u, SD_USER_ACTIVE, true, &u);
    sd_user_grant_event(&u, SD_ROLE_AGENT, true, &u);
    const uint64_t tue14z = 1772546400000ull; /* 2026-03-03 14:00Z, 09:00 in New York */
    const uint64_t tue03z = 1772506800000ull; /* 2026-03-03 03:00Z, 22:00 in New York */
    assert_true(sd_receive_on_duty(&sched, &u, "amer-desk", "AMER", tue14z));
    assert_false(sd_receive_on_duty(&sched, &u, "amer-desk", "AMER", tue03z)); /* off duty */
    assert_false(sd_receive_on_duty(&sched, &u, "amer", "AMER", tue14z));      /* whole names */
    assert_false(sd_receive_on_duty(&sched, &u, "amer-desk", "EMEA", tue14z)); /* not a site */
    u.home_site = "EMEA";
    assert_false(sd_receive_on_duty(&sched, &u, "amer-desk", "AMER", tue14z)); /* another home */
    u.home_site = "AMER";
    sd_user_grant_event(&u, SD_ROLE_AGENT, false, &u);
    assert_false(sd_receive_on_duty(&sched, &u, "amer-desk", "AMER", tue14z)); /* not an agent */
    sd_schedule_clear(&sched);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handover_team_config),
        cmocka_unit_test(test_handover_team_empty_refused),
        cmocka_unit_test(test_handover_assign_unknown_refused),
        cmocka_unit_test(test_roster_pick),
        cmocka_unit_test(test_on_duty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
