/* search_impl.h - the parts of the search thread (search.c: the thread and its requests;
 * search_index.c: following the event log into an index; search_query.c: queries). Internal to
 * node/search. */
#ifndef SD_SEARCH_IMPL_H
#define SD_SEARCH_IMPL_H

#include "search.h"
#include "search_args.h"
#include "vector.h"
#include "xindex.h"

#include <limits.h>

/* A writable index and the vector it holds. */
typedef struct {
    sd_xindex_t *x;     /* the index */
    char dir[PATH_MAX]; /* its directory */
    sd_vector_t vector; /* the events it holds: the marker of its last commit */
    uint64_t events;    /* events indexed since it was opened */
} sd_search_index_t;

/* Opens (creating) the index in dir and reads its vector. Returns 0, SD_EIO (err), SD_ENOMEM,
 * SD_ECORRUPT (a marker this node did not write). */
int sd_search_index_open(sd_search_index_t *ix, const char *dir, char *err, size_t cap);

/* Closes the index (nothing uncommitted is kept). */
void sd_search_index_close(sd_search_index_t *ix);

/* Indexes at most budget events of store past ix->vector: each record they touched as it is now,
 * then one commit with the new vector. *behind gets how many events the store holds that the
 * index does not, after the step. Returns the events indexed (0: caught up), or a negative
 * SD_E* code (nothing of the step is kept; err says why). */
int sd_search_index_step(sd_search_index_t *ix, sd_store_t *store, size_t budget, uint64_t *behind,
                         char *err, size_t cap);

/* Events store holds beyond vector (0 on a store error). */
uint64_t sd_search_behind(sd_store_t *store, const sd_vector_t *vector);

/* The marker text of v ("APAC:12,EMEA:5") into out. */
void sd_search_marker(const sd_vector_t *v, char *out, size_t cap);

/* One request handed to the thread (owned by it once sent). */
typedef struct {
    uint64_t tag;                /* the server's */
    uint64_t id;                 /* the request's id, for the reply */
    int op;                      /* sd_req_op_t */
    uint64_t present;            /* which arguments were given */
    sd_search_args_t args;       /* the arguments (owned) */
    char login[SD_NAME_MAX + 1]; /* who asks */
    bool own;                    /* a requester's view: own tickets, public text */
} sd_search_job_t;

/* Answers a search.query or search.suggest job into w (a whole reply), reading tickets in
 * store. Returns 0, or an SD_E* code with fault set (w unspecified). */
int sd_search_answer(sd_xreader_t *reader, sd_store_t *store, const sd_search_job_t *job,
                     sd_mp_writer_t *w, sd_fault_t *fault);

#endif
