/* store_backup.h - hot backups of a node's store, and restoring one on another machine.
 *
 * A backup is a directory holding one file, data.mdb: a compacted copy of the
 * store made inside one LMDB read transaction (mdb_env_copy2 with
 * MDB_CP_COMPACT), so it is consistent while the node keeps serving and
 * writing. It is made by another process (`sundeskd --backup`, which
 * `sundesk backup` runs) opening the store read-only beside the running node.
 *
 * Restoring puts the copy into an empty data directory with a RESTORED marker
 * beside it. A restored node may have been behind the cluster: events of its
 * own site made after the backup live on at its peers. Until it has fetched
 * them back (server.c, replica.h) it refuses writes, so it never reuses one of
 * its own sequence numbers or ticket ids; then it removes the marker. */
#ifndef SD_STORE_BACKUP_H
#define SD_STORE_BACKUP_H

#include "sizes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_RESTORED_MARK "RESTORED" /* file in a data directory restored from a backup */

/* What a backup holds. */
typedef struct {
    char site[SD_SITE_MAX + 1]; /* the site whose store it is */
    uint64_t tickets;           /* tickets in it */
    uint64_t events;            /* events in its log */
    uint64_t bytes;             /* size of its data.mdb */
} sd_backup_info_t;

/* Copies the store in datadir (a node may be running on it) into dest, which
 * must not exist or be an empty directory; the copy is synced to disk and
 * checked by opening it. Returns 0 and *info, or an SD_E* code with one line
 * in err. */
int sd_backup_copy(const char *datadir, const char *dest, sd_backup_info_t *info, char *err,
                   size_t cap);

/* Puts the backup in src into datadir, which must hold no store and no
 * running node, and marks datadir restored. Returns 0 and *info, or an SD_E*
 * code with one line in err. */
int sd_backup_restore(const char *src, const char *datadir, sd_backup_info_t *info, char *err,
                      size_t cap);

/* True when datadir was restored and its node has not yet caught up. */
bool sd_backup_restoring(const char *datadir);

/* Removes the marker (durably): the restored node has caught up. 0 or SD_EIO. */
int sd_backup_restore_done(const char *datadir);

#endif
