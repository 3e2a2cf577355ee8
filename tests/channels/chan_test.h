/* chan_test.h - what the channels' cmocka tests share: writing a file with a mode (a template,
 * a robot's secret, a sendmail script). Include after <cmocka.h>. */
#ifndef SD_CHAN_TEST_H
#define SD_CHAN_TEST_H

#include <stdio.h>
#include <sys/stat.h>

/* Writes text to path and gives it mode; fails the test when the file cannot be made. */
static inline void sd_test_write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

#endif
