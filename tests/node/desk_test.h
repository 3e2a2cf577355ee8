/* desk_test.h - helpers of the desk unit tests (schedule, on call, handover): a config with a
 * schedule section, a ticket read back from a store. */
#ifndef SD_DESK_TEST_H
#define SD_DESK_TEST_H

#include "config.h"
#include "store.h"
#include "ticket_store.h"

#include <stdio.h>

/* Writes DIR/desk.zpl for node site EMEA with schedule section schedule (its lines indented
 * already), then the defaults and that file into cfg. Returns sd_config_load's code (err says
 * why), or -1 when the file cannot be written. */
static inline int sd_test_load_config(sd_config_t *cfg, const char *dir, const char *schedule,
                                      char *err, size_t cap)
{
    char path[512];
    snprintf(path, sizeof path, "%s/desk.zpl", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "node\n    site = EMEA\nschedule\n%s", schedule);
    fclose(f);
    int rc = sd_config_defaults(cfg, dir, err, cap);
    return rc ? rc : sd_config_load(cfg, path, err, cap);
}

/* Ticket id as the store holds it now into t (cleared first). Returns 0 or the store's error. */
static inline int sd_test_get_ticket(sd_store_t *store, const char *id, sd_ticket_t *t)
{
    sd_store_txn_t *txn;
    sd_ticket_clear(t);
    int rc = sd_store_begin(store, false, &txn);
    if (!rc)
        rc = sd_store_get_ticket(txn, id, t);
    sd_store_abort(&txn);
    return rc;
}

#endif
