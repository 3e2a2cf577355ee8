/* search.h - the node's search service: one thread that keeps the full-text index (xindex.h)
 * in step with the store and answers the search ops, so the server's thread never runs a query.
 *
 * The index is derived from the store and local to the node (DATADIR/search/live). The thread
 * follows the event log: with its own read transactions (sd_store_begin_reader; it never takes
 * the write path) it reads the events past the vector it has indexed, re-indexes each record
 * they touched as it now stands (a ticket with its comments, a customer, an article), and
 * commits the documents together with the new vector in the index's metadata, in one Xapian
 * commit. After a kill -9 it resumes from the vector of its last commit. A commit batch holds
 * at most SD_SEARCH_BATCH events; the journal's listener wakes the thread after each write
 * (sd_search_wake), and it also looks every second.
 *
 * Requests: the server decodes, authenticates and authorizes a search.* request as any other,
 * then hands it over (sd_search_ask) with a tag of its own; the thread answers it with a reader
 * re-opened on the latest commit and sends the encoded reply back (sd_search_take), which the
 * server forwards unchanged. search.reindex builds a new index in DATADIR/search/build in
 * slices between requests and swaps it in when it has caught up. */
#ifndef SD_SEARCH_H
#define SD_SEARCH_H

#include "request.h"
#include "store.h"

#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>

/* Events indexed per Xapian commit: a step takes about 0.1 s at the index's 2 000 records a
 * second, the longest a query waits behind the catching up. */
#define SD_SEARCH_BATCH 256

typedef struct sd_search sd_search_t;

/* Starts the search thread over store (borrowed; it must outlive the service), its index in
 * sd_store_dir(store)/search. Returns 0 and *out (yours: sd_search_destroy), SD_EIO (the index
 * cannot be opened; err says why), SD_ENOMEM. */
int sd_search_new(sd_store_t *store, sd_search_t **out, char *err, size_t cap);

/* Stops the thread (an index batch in progress is not committed: it is done again at the next
 * start) and nulls *s; NULL-safe. Requests not answered yet get no reply. */
void sd_search_destroy(sd_search_t **s);

/* Tells the thread that events were committed; any thread, cheap (an atomic flag). The shape of
 * a journal listener (journal.h), arg being the service. */
void sd_search_wake(void *arg, const sd_kind_t *kind, const char *key, int op);

/* The socket the server polls for replies (ZMQ_POLLIN: sd_search_take has one). Borrowed. */
zsock_t *sd_search_socket(sd_search_t *s);

/* True when op (sd_req_op_t) is one the search thread answers. */
bool sd_search_op(int op);

/* Hands req, authorized for login with scope (sd_scope_t; SD_SCOPE_OWN: a requester's view),
 * to the thread under tag. Takes req's search arguments (req->args.search is zeroed). Returns
 * 0 or SD_ENOMEM (req untouched). */
int sd_search_ask(sd_search_t *s, uint64_t tag, sd_request_t *req, const char *login, int scope);

/* Takes one answer: its tag and the whole reply (an encoded reply envelope, yours). Returns 0,
 * or SD_ENOTFOUND when none waits. */
int sd_search_take(sd_search_t *s, uint64_t *tag, zframe_t **reply);

#endif
