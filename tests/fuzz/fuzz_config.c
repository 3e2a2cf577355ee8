/* fuzz_config.c - libFuzzer harness of sd_config_load: a node's ZPL config file (czmq zconfig),
 * with every section: node, policy, schedule (calendars, follow-the-sun), replication, metrics.
 *
 * Any file is accepted or refused with SD_ECONFIG and at least one line saying why; either way
 * sd_config_clear frees everything the load made. */
#include "fuzz.h"

#include "config.h"

/* A config names files it reads (calendars, certificates): one that names the terminal must not
 * wait for it. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    SD_FUZZ_CHECK(freopen("/dev/null", "r", stdin) != NULL, "stdin from /dev/null");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256], err[4096];
    sd_config_t cfg;
    SD_FUZZ_CHECK(sd_config_defaults(&cfg, "/nonexistent/sundesk-fuzz", err, sizeof err) == 0,
                  "the defaults");
    sd_fuzz_file(data, size, path);
    int rc = sd_config_load(&cfg, path, err, sizeof err);
    unlink(path);
    SD_FUZZ_CHECK(rc == 0 || (rc == SD_ECONFIG && err[0]), "a refusal says why");
    SD_FUZZ_CHECK(memchr(err, 0, sizeof err) != NULL, "the problems are terminated");
    if (rc == 0)
        SD_FUZZ_CHECK(sd_site_valid(cfg.site), "an accepted config names a valid site");
    sd_config_clear(&cfg);
    return 0;
}
