/* store_check.h - is a store file whole? Its LMDB meta pages and length, read before it is mapped.
 *
 * LMDB maps data.mdb and trusts it. A file cut short (a copy killed half-way, a file system that
 * filled up under another tool's copy, a careless truncate) maps without complaint, and the first
 * read of a page past its end kills the process with SIGBUS; an empty file is silently made a
 * new, empty store. So every path that maps a store file checks it first: sd_store_open (a node
 * starting, sundeskd.c), a backup's source and its copy, and a restore's source and its copy
 * (store_backup.c).
 *
 * The check reads the file with pread, as LMDB's own mdb_env_read_header does, and knows LMDB
 * 0.9's on-disk format (data version 1, the format of every 0.9 release; Debian 12 ships
 * 0.9.24): pages 0 and 1 are meta pages (flag P_META, magic 0xBEEFC0DE, page size, the last
 * page the transaction that wrote it uses, its transaction id); LMDB uses the one with the higher
 * transaction id. Every page up to that meta's last page must be in the file, with one exception
 * LMDB allows: pages its free list holds may be missing at the end (a page allocated and freed in
 * one transaction is never written), so when the file is short the free list of that meta is
 * walked, also by pread, and every missing page must be on it. A check of a store a node is
 * writing may see the node commit half-way; then it reads the new meta and checks again.
 *
 * Errors and ownership: see sd_store_check. Nothing is allocated for the caller. */
#ifndef SD_STORE_CHECK_H
#define SD_STORE_CHECK_H

#include <stddef.h>

/* Checks the LMDB file at path (a data.mdb) without mapping it. Returns 0 when LMDB can map it
 * safely, else writes one line into err (cap bytes) that names path and says what is wrong,
 * without advice (the caller knows whether to restore another backup or this node), and
 * returns SD_ENOTFOUND (no such file: a store not yet made), SD_ECORRUPT (empty, cut short, not
 * an LMDB file, another LMDB data version, damaged meta pages or free list), SD_EIO (cannot be
 * read) or SD_ENOMEM. */
int sd_store_check(const char *path, char *err, size_t cap);

#endif
