/* store_backup.h - hot backups of a node's store, restoring one on another machine, and the
 * checks that keep a damaged store file from being mapped.
 *
 * A backup is a directory holding one file, data.mdb: a compacted copy of the
 * store made inside one LMDB read transaction (mdb_env_copyfd2 with
 * MDB_CP_COMPACT), so it is consistent while the node keeps serving and
 * writing. It is made by another process (`sundeskd --backup`, which
 * `sundesk backup` runs) opening the store read-only beside the running node.
 *
 * Every copy (a backup, and the store a restore puts in place) is written as SD_STORE_PARTIAL
 * in its directory, 0600 whatever the umask, synced, checked (store_check.h, and a backup also
 * by opening it), and only then renamed data.mdb and its directory synced: a copy stopped
 * half-way, even by SIGKILL or a full disk, leaves no data.mdb, and the next copy into that
 * directory removes the partial file. A directory a copy creates is 0700. Before any store file
 * is mapped (the live store of a backup or a starting node, a restore's source) it is checked,
 * so a file cut short or damaged gives one line - which file, what is wrong, what to do - and
 * never SIGBUS.
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
#define SD_STORE_PARTIAL                                                                           \
    "data.mdb.partial" /* a copy being written; renamed data.mdb when whole                        \
                        */

/* What a backup holds. */
typedef struct {
    char site[SD_SITE_MAX + 1]; /* the site whose store it is */
    uint64_t tickets;           /* tickets in it */
    uint64_t events;            /* events in its log */
    uint64_t bytes;             /* size of its data.mdb */
} sd_backup_info_t;

/* Copies the store in datadir (a node may be running on it) into dest, which must not exist
 * or hold no data.mdb; the copy is synced to disk and checked before it is named data.mdb.
 * Returns 0 and *info, or an SD_E* code with one line in err: SD_ENOTFOUND (no store in
 * datadir), SD_ECORRUPT (datadir's store is damaged, or the copy is), SD_EDUPLICATE (dest holds
 * a store), SD_EUNAVAILABLE (another copy is writing into dest), SD_EFULL, SD_EIO. */
int sd_backup_copy(const char *datadir, const char *dest, sd_backup_info_t *info, char *err,
                   size_t cap);

/* Puts the backup in src into datadir, which must hold no store and no running node, and marks
 * datadir restored. Returns 0 and *info, or an SD_E* code with one line in err: SD_ENOTFOUND,
 * SD_ECORRUPT (src's data.mdb is damaged or not a sundesk store: nothing is put in datadir),
 * SD_EDUPLICATE, SD_EUNAVAILABLE (a node or another copy is on datadir), SD_EFULL, SD_EIO. */
int sd_backup_restore(const char *src, const char *datadir, sd_backup_info_t *info, char *err,
                      size_t cap);

/* Checks the store in datadir before a node maps it: 0 when it is whole, or when there is none
 * yet (a new node). Else one line in err (which file, what is wrong, what to do) and
 * SD_ECORRUPT (damaged; or no data.mdb but what a stopped restore left: a partial copy or the
 * RESTORED marker), SD_EIO, SD_ENOMEM. */
int sd_backup_check_store(const char *datadir, char *err, size_t cap);

/* True when datadir was restored and its node has not yet caught up. */
bool sd_backup_restoring(const char *datadir);

/* Removes the marker (durably): the restored node has caught up. 0 or SD_EIO. */
int sd_backup_restore_done(const char *datadir);

#endif
