/* test_handover.c - handover to a person: the receiving team each site names
 * (schedule/site handover_team) as the configuration reads it. */
#include "node_test.h"

#include "config.h"
#include "error.h"
#include "schedule.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* Loads a config whose schedule section is schedule; returns sd_config_load's code. */
static int s_load(sd_config_t *cfg, const char *schedule, char *err, size_t cap)
{
    char dir[256], path[300];
    assert_int_equal(sd_test_mkdtemp(dir, sizeof dir, "sd-handover"), 0);
    snprintf(path, sizeof path, "%s/desk.zpl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "node\n    site = EMEA\nschedule\n%s", schedule);
    fclose(f);
    assert_int_equal(sd_config_defaults(cfg, dir, err, cap), 0);
    int rc = sd_config_load(cfg, path, err, cap);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handover_team_config),
        cmocka_unit_test(test_handover_team_empty_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
