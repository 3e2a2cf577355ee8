/* fuzz_ics.c - libFuzzer harness of sd_calendar_import_ics: holidays from an iCalendar file
 * (RFC 5545, parsed and expanded by libical), as a config's schedule section imports them.
 *
 * Any file is imported (all its dates within the years kept) or refused with an SD_E* code and a
 * one-line reason, leaving the calendar unchanged (all or none). */
#include "fuzz.h"

#include "calendar.h"

#define FIRST_YEAR 2000 /* the years node/config imports */
#define LAST_YEAR  2099

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256], err[256] = "";
    sd_calendar_t *cal = NULL;
    SD_FUZZ_CHECK(sd_calendar_new("HQ", "UTC", &cal) == 0, "a calendar (needs tzdata)");
    sd_fuzz_file(data, size, path);
    size_t added = 0;
    int rc = sd_calendar_import_ics(cal, path, FIRST_YEAR, LAST_YEAR, &added, err, sizeof err);
    unlink(path);
    if (rc) {
        sd_fuzz_check_error(rc, NULL);
        SD_FUZZ_CHECK(err[0] != 0, "a refusal says why");
        /* All or none: nothing of a refused file is a holiday. */
        for (int32_t day = 10957; day < 10957 + 366; day++) /* the year 2000 */
            SD_FUZZ_CHECK(!sd_calendar_is_holiday(cal, day), "a refused file adds no holiday");
    }
    SD_FUZZ_CHECK(added <= SD_CAL_HOLIDAYS_MAX, "at most SD_CAL_HOLIDAYS_MAX dates");
    sd_calendar_destroy(&cal);
    return 0;
}
