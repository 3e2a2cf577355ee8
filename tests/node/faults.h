/* faults.h - failures injected under the node's own code with the linker's --wrap (the test
 * executable links with -Wl,--wrap=mdb_put,--wrap=mdb_txn_commit,--wrap=zframe_send,--wrap=write).
 *
 * Every call the node's code (sd_node, linked statically) makes to one of these goes through a
 * wrapper that counts it and, once armed, fails the Nth call from then on (and, when sticky, every
 * call after it) the way the real function fails: mdb_put returns the error with the transaction
 * still to be aborted; mdb_txn_commit aborts the transaction and returns the error, as LMDB does;
 * zmsg_send returns -1 with errno set and leaves the message with the caller, as czmq does; write
 * returns -1 with errno set. The rest of the time the real function runs (write: at most 1 KiB of
 * the buffer per call while short writes are on, as a pipe or a full disk may do).
 *
 * zmsg_send and not zmq_msg_send: --wrap only reaches calls made from the objects being linked,
 * and the node sends its replies with czmq's zmsg_send, whose own zmq_msg_send call is inside
 * libczmq.so. Calls made inside shared libraries (LMDB's own writes in mdb_env_copy2, libc's
 * stdio) are not wrapped either.
 *
 * Arming and the counters are atomics, so a test thread may arm a fault that the node's server
 * thread meets. */
#ifndef SD_TEST_FAULTS_H
#define SD_TEST_FAULTS_H

#include <stdbool.h>

/* The functions wrapped. */
typedef enum {
    SD_FAULT_PUT,    /* mdb_put */
    SD_FAULT_COMMIT, /* mdb_txn_commit */
    SD_FAULT_SEND,   /* zframe_send (the server's replies go out frame by frame) */
    SD_FAULT_WRITE,  /* write */
    SD_FAULT_COUNT_
} sd_fault_fn_t;

/* From now on, the nth call (1: the next one) of fn fails with error (an errno or MDB_* code for
 * mdb_put and mdb_txn_commit, an errno for zmsg_send and write); sticky: so does every call
 * after it. */
void sd_fault_arm(sd_fault_fn_t fn, int nth, int error, bool sticky);

/* Short writes on or off: each write that does not fail writes at most 1 KiB. */
void sd_fault_short_writes(bool on);

/* Disarms every fault and turns short writes off. */
void sd_fault_clear(void);

/* Calls of fn since the start, and how many of them were failed. */
int sd_fault_calls(sd_fault_fn_t fn);
int sd_fault_fired(sd_fault_fn_t fn);

#endif
