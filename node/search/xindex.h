/* xindex.h - the full-text index: a C interface over Xapian (xindex.cc is the one file that
 * includes <xapian.h>).
 *
 * One Xapian database per directory. A document is one record (a ticket with its comments, a
 * customer, an article), named by its kind and id; indexing it again replaces it. Text is split
 * into words with English stemming (Xapian::Stem("en"), STEM_SOME) and CJK text into n-grams
 * (TermGenerator::FLAG_CJK_NGRAM: unigrams and bigrams), so a two-character Chinese word such as
 * 电池 or 打印 finds every document holding it, and "VPN密码" is the word VPN plus the n-grams of
 * 密码.
 *
 * Who may see what is in the terms, not in a filter after the fact:
 * - public text (a ticket's title, description, resolution and public replies; an article's
 *   title, body and keywords; a customer's name and notes) has no prefix;
 * - internal text (a ticket's internal notes) has the prefix XI: a requester's query is parsed
 *   against the unprefixed terms only, so it can never match internal text, and their snippets
 *   are made from the public text alone;
 * - boolean terms: K kind, XS site, XT status, XC category, XR the requester of a ticket,
 *   XA audience and XE state of an article, XL language, Q the unique kind:id;
 * - values: slot 0 the time of the last change, slot 1 the creation time (sortable_serialise).
 *
 * Errors are the SD_E* codes of proto/error.h; err gets one line (Xapian's message). Nothing
 * here throws: every Xapian exception is caught at this boundary. */
#ifndef SD_XINDEX_H
#define SD_XINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kinds of document, as bits of a kind mask. */
enum {
    SD_XKIND_TICKET = 1 << 0,   /* "ticket" */
    SD_XKIND_ARTICLE = 1 << 1,  /* "article" */
    SD_XKIND_CUSTOMER = 1 << 2, /* "customer" */
    SD_XKIND_ALL = 7
};

/* The bit of kind name ("ticket"), 0 for any other name. */
unsigned sd_xkind_bit(const char *name);

/* One record to index. Every string is borrowed for the call; NULL = none. */
typedef struct {
    const char *kind;          /* "ticket", "article" or "customer" */
    const char *id;            /* record id */
    const char *title;         /* shown in hits; indexed as public text with a higher weight */
    const char *site;          /* ticket: owner site; customer: home site */
    const char *status;        /* ticket: status; article: state */
    const char *category;      /* ticket and article category */
    const char *requester;     /* ticket: the requester's login (XR) */
    const char *audience;      /* article: internal | public */
    const char *state;         /* article: draft | published | retired */
    const char *language;      /* article: zh-CN, en, ... */
    const char *public_text;   /* everything a requester may read, joined by new lines */
    const char *internal_text; /* internal notes only agents read, joined by new lines */
    uint64_t created_at;       /* Unix ms */
    uint64_t updated_at;       /* Unix ms */
} sd_xdoc_t;

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct sd_xindex sd_xindex_t;

/* Opens (creating it when missing) the writable index in dir. Only one writer per directory.
 * Returns 0 and *out (yours: sd_xindex_close), or SD_EIO (err says why), SD_ENOMEM. */
int sd_xindex_open(const char *dir, sd_xindex_t **out, char *err, size_t cap);

/* Flushes nothing, closes and nulls *x; NULL-safe. What was not committed is lost. */
void sd_xindex_close(sd_xindex_t **x);

/* Adds doc, replacing the document of the same kind and id. Returns 0, SD_EINVAL (no kind or
 * id), SD_EIO (err), SD_ENOMEM. */
int sd_xindex_put(sd_xindex_t *x, const sd_xdoc_t *doc, char *err, size_t cap);

/* Removes the document of kind and id (none: nothing happens). Returns 0, SD_EIO, SD_ENOMEM. */
int sd_xindex_delete(sd_xindex_t *x, const char *kind, const char *id, char *err, size_t cap);

/* Stores marker (the vector indexed, as text) in the index's metadata and commits it together
 * with every document put since the last commit: after a crash the index holds exactly what the
 * last commit's marker says. Returns 0, SD_EIO (err), SD_ENOMEM. */
int sd_xindex_commit(sd_xindex_t *x, const char *marker, char *err, size_t cap);

/* The marker of the last commit into out ("" for a new index). Returns 0, SD_ETOOLONG (does not
 * fit cap), SD_EIO. */
int sd_xindex_marker(sd_xindex_t *x, char *out, size_t cap);

/* How many documents the index holds (committed or not). */
uint64_t sd_xindex_docs(sd_xindex_t *x);

/* ---- reading ------------------------------------------------------------------------------ */

typedef struct sd_xreader sd_xreader_t;

/* Opens a reader of the index in dir (which must exist). Returns 0 and *out (yours:
 * sd_xreader_close), SD_EIO (err), SD_ENOMEM. */
int sd_xreader_open(const char *dir, sd_xreader_t **out, char *err, size_t cap);

/* Closes and nulls *r; NULL-safe. */
void sd_xreader_close(sd_xreader_t **r);

/* Sees the latest commit. Returns 0, SD_EIO. */
int sd_xreader_reopen(sd_xreader_t *r, char *err, size_t cap);

/* How many documents the reader sees. */
uint64_t sd_xreader_docs(sd_xreader_t *r);

/* A query. Strings are borrowed for the call. */
typedef struct {
    const char *text;     /* the query: words, "phrases", AND/OR/NOT, +word, -word */
    bool suggest;         /* text is a whole ticket: any of its words (OP_OR), no syntax */
    bool published;       /* articles: only published ones (whoever asks) */
    bool ids_only;        /* hits carry kind, id and score only (counting, benchmarks) */
    unsigned kinds;       /* SD_XKIND_* mask; 0 = all */
    const char *site;     /* filters (NULL: none) */
    const char *status;   /* ... */
    const char *category; /* ... */
    uint64_t from, to;    /* time bounds: changed at or after from, created before to (0: none) */
    unsigned offset;      /* hits to skip */
    unsigned limit;       /* hits to return, 1..100 */
    /* Who asks: NULL sees everything (agents, managers: internal notes included); a login sees
     * only the tickets they requested (public text only), published public articles, and no
     * customers. */
    const char *requester;
} sd_xquery_t;

/* One hit. Strings are heap-owned (freed by sd_xresult_clear). */
typedef struct {
    char *kind;          /* "ticket", ... */
    char *id;            /* record id */
    char *title;         /* as indexed */
    char *snippet;       /* HTML: escaped text, matches in <mark>..</mark> */
    int score;           /* relevance 1..100 (Xapian's percentage), larger is better */
    char *site;          /* as indexed ("" when none) */
    char *status;        /* ... */
    char *category;      /* ... */
    uint64_t updated_at; /* Unix ms */
} sd_xhit_t;

/* The answer of a query. */
typedef struct {
    sd_xhit_t *hits; /* nhits entries, best first (ties: the newest first) */
    size_t nhits;    /* count */
    uint64_t total;  /* Xapian's estimate of all matches */
    bool more;       /* more matches after these */
} sd_xresult_t;

/* Runs q against r into *out (zeroed first; clear it with sd_xresult_clear, also on error).
 * Returns 0, SD_EINVAL for a query Xapian cannot parse (err: Xapian's message, e.g. "Syntax:
 * <expression> AND <expression>"), SD_EIO (err), SD_ENOMEM. */
int sd_xreader_search(sd_xreader_t *r, const sd_xquery_t *q, sd_xresult_t *out, char *err,
                      size_t cap);

/* Frees what *res owns and zeroes it; NULL-safe. */
void sd_xresult_clear(sd_xresult_t *res);

#ifdef __cplusplus
}
#endif

#endif
