/* repl_store.h - the store interface of the replica state machine (repl.h), over the node's
 * journal.
 *
 * Reads begin their own read transaction on the journal's store; a batch of
 * peers' events is applied in one sd_journal_write (the clock observes their
 * stamps, a full map grows and the batch is redone). The node's replica and
 * the replication simulation (tests/replication/test_sim.c) both use it, so
 * the simulation drives the node's real code. */
#ifndef SD_REPL_STORE_H
#define SD_REPL_STORE_H

#include "journal.h"
#include "repl.h"

/* Fills *iface so that its functions work on journal (borrowed: it must
 * outlive every use of iface). */
void sd_repl_store_init(sd_repl_store_t *iface, sd_journal_t *journal);

#endif
