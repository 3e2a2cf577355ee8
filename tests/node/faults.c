/* faults.c - the --wrap wrappers of faults.h. */
#include "faults.h"

#include <czmq.h>
#include <errno.h>
#include <lmdb.h>
#include <stdatomic.h>
#include <unistd.h>

typedef struct {
    atomic_int calls;     /* every call */
    atomic_int countdown; /* calls left before the armed one; 0: disarmed */
    atomic_int error;     /* what the armed call fails with */
    atomic_bool sticky;   /* the calls after it fail too */
    atomic_bool failing;  /* a sticky fault has fired */
    atomic_int fired;     /* calls failed */
} s_fault_t;

static s_fault_t s_faults[SD_FAULT_COUNT_];
static atomic_bool s_short; /* writes take at most 1 KiB */

void sd_fault_arm(sd_fault_fn_t fn, int nth, int error, bool sticky)
{
    s_fault_t *f = &s_faults[fn];
    atomic_store(&f->failing, false);
    atomic_store(&f->error, error);
    atomic_store(&f->sticky, sticky);
    atomic_store(&f->countdown, nth);
}

void sd_fault_short_writes(bool on)
{
    atomic_store(&s_short, on);
}

void sd_fault_clear(void)
{
    atomic_store(&s_short, false);
    for (int i = 0; i < SD_FAULT_COUNT_; i++) {
        atomic_store(&s_faults[i].countdown, 0);
        atomic_store(&s_faults[i].failing, false);
    }
}

int sd_fault_calls(sd_fault_fn_t fn)
{
    return atomic_load(&s_faults[fn].calls);
}

int sd_fault_fired(sd_fault_fn_t fn)
{
    return atomic_load(&s_faults[fn].fired);
}

/* Counts a call of fn; returns the error it fails with, or 0 to run the real function. */
static int s_meet(sd_fault_fn_t fn)
{
    s_fault_t *f = &s_faults[fn];
    atomic_fetch_add(&f->calls, 1);
    bool fire = atomic_load(&f->failing);
    int left = atomic_load(&f->countdown);
    while (!fire && left > 0 && !atomic_compare_exchange_weak(&f->countdown, &left, left - 1))
        ;
    if (!fire && left == 1) {
        fire = true;
        atomic_store(&f->failing, atomic_load(&f->sticky));
    }
    if (!fire)
        return 0;
    atomic_fetch_add(&f->fired, 1);
    return atomic_load(&f->error);
}

int __real_mdb_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data, unsigned flags);
int __wrap_mdb_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data, unsigned flags);
int __real_mdb_txn_commit(MDB_txn *txn);
int __wrap_mdb_txn_commit(MDB_txn *txn);
int __real_zframe_send(zframe_t **frame, void *dest, int flags);
int __wrap_zframe_send(zframe_t **frame, void *dest, int flags);
ssize_t __real_write(int fd, const void *buf, size_t len);
ssize_t __wrap_write(int fd, const void *buf, size_t len);

int __wrap_mdb_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *key, MDB_val *data, unsigned flags)
{
    int error = s_meet(SD_FAULT_PUT);
    return error ? error : __real_mdb_put(txn, dbi, key, data, flags);
}

int __wrap_mdb_txn_commit(MDB_txn *txn)
{
    int error = s_meet(SD_FAULT_COMMIT);
    if (!error)
        return __real_mdb_txn_commit(txn);
    mdb_txn_abort(txn); /* LMDB frees a transaction whose commit failed */
    return error;
}

int __wrap_zframe_send(zframe_t **frame, void *dest, int flags)
{
    int error = s_meet(SD_FAULT_SEND);
    if (!error)
        return __real_zframe_send(frame, dest, flags);
    errno = error;
    return -1;
}

ssize_t __wrap_write(int fd, const void *buf, size_t len)
{
    int error = s_meet(SD_FAULT_WRITE);
    if (!error)
        return __real_write(fd, buf, atomic_load(&s_short) && len > 1024 ? 1024 : len);
    errno = error;
    return -1;
}
