/* article.h - the knowledge base article record kind: a documented solution, kept with every
 * version of its text.
 *
 * An article's id is SITE-KB-000001. Every edit (article.new, article.update) is one event of
 * the kind's set op, "version", carrying the whole text of the version (title, body, category,
 * keywords, language, audience) and the version its editor started from. The versions are the
 * kind's append-only set, ordered by (hlc, origin, seq): nothing an edit wrote is ever lost.
 * A version's number is its place in that order (1, 2, ...), worked out when the record is
 * folded, so every node that holds the same events numbers them alike. The current text is the
 * last version's: after every fold the CONTENT register is set from it and stamped with its
 * stamp, which is last writer wins over the edits; CREATED (created_at, origin_site, author)
 * comes from the first version. Two sites that edit the same version at the same time both
 * keep their versions; the later one (hlc, then origin) is current. Until every event has
 * arrived a replica may number a late version differently; once they have, all agree.
 *
 * The state register (draft, published, retired) is last writer wins. A "link" event records a
 * ticket linked by hand (index "link": article id, ticket id); a "helpful" event is one
 * deflection (counters "helpful.<id>" and "deflections", kept once per event). The tickets
 * resolved with an article are the ticket kind's index "article" and counter "solved.<id>"
 * (ticket.h). The reader adds solved, helpful and tickets to what article.get shows. */
#ifndef SD_ARTICLE_H
#define SD_ARTICLE_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stdbool.h>
#include <stdint.h>

#define SD_ARTICLE_KEYWORDS_MAX 512 /* keywords: comma-separated, bytes */
#define SD_ARTICLE_VERSIONS_MAX 200 /* versions an article takes (checked when one is made) */

#define SD_ARTICLE_INDEX_LINK       "link"        /* per link event: article id, ticket id */
#define SD_ARTICLE_COUNT_DEFLECTION "deflections" /* per helpful event, of every article */
#define SD_ARTICLE_COUNT_HELPFUL    "helpful."    /* + id: per helpful event of one article */

typedef enum {
    SD_KBOP_VERSION, /* a new version: article.new and article.update (the set op) */
    SD_KBOP_PUBLISH, /* state published */
    SD_KBOP_RETIRE,  /* state retired */
    SD_KBOP_LINK,    /* a ticket linked */
    SD_KBOP_HELPFUL, /* "this answered my question" */
    SD_KBOP_COUNT_
} sd_article_op_t;

typedef enum {
    SD_KBREG_CREATED, /* created_at, origin_site, author: the first version's (derived) */
    SD_KBREG_CONTENT, /* title .. audience, updated_by: the last version's (derived) */
    SD_KBREG_STATE,   /* state */
    SD_KBREG_LINK,    /* linked: the ticket linked last */
    /* New registers go last. */
    SD_KBREG_COUNT_
} sd_article_register_t;

typedef enum {
    SD_ASTATE_DRAFT,
    SD_ASTATE_PUBLISHED,
    SD_ASTATE_RETIRED,
    SD_ASTATE_COUNT_
} sd_article_state_t;
typedef enum { SD_AUDIENCE_INTERNAL, SD_AUDIENCE_PUBLIC, SD_AUDIENCE_COUNT_ } sd_article_audience_t;

extern const char *const sd_article_state_names[];    /* SD_ASTATE_COUNT_ */
extern const char *const sd_article_audience_names[]; /* SD_AUDIENCE_COUNT_ */

/* One version: the whole text of an edit. */
typedef struct {
    uint64_t hlc;                 /* when, as the event's clock */
    uint64_t seq;                 /* event seq, with origin the version's identity */
    char origin[SD_SITE_MAX + 1]; /* site of the event */
    char *author;                 /* who wrote it (owned) */
    char *title;                  /* one line (owned) */
    char *body;                   /* Markdown (owned) */
    char *category;               /* e.g. "network/vpn" (owned, NULL: none) */
    char *keywords;               /* comma-separated (owned, NULL: none) */
    char *language;               /* BCP 47 tag: zh-CN, en (owned, NULL: none) */
    int audience;                 /* sd_article_audience_t */
    uint64_t base_version;        /* the version the editor started from (0: a new article) */
} sd_article_version_t;

typedef struct {
    char id[SD_ID_MAX + 1]; /* SITE-KB-000001 */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    /* SD_KBREG_CREATED */
    uint64_t created_at; /* the first version's time */
    char *origin_site;   /* site of the first version */
    char *author;        /* login of the first version's author */
    /* SD_KBREG_CONTENT: the current (last) version's */
    char *title;      /* one line */
    char *body;       /* Markdown, as given */
    char *category;   /* service category */
    char *keywords;   /* comma-separated */
    char *language;   /* zh-CN, en, ... */
    int audience;     /* sd_article_audience_t */
    char *updated_by; /* the current version's author */
    /* SD_KBREG_STATE */
    int state; /* sd_article_state_t */
    /* SD_KBREG_LINK */
    char *linked; /* the ticket linked last (all of them: index "link") */
    sd_stamp_t stamps[SD_KBREG_COUNT_];
    /* The set, in (hlc, origin, seq) order: version i + 1 is versions[i]. */
    sd_article_version_t *versions; /* owned */
    size_t nversions;               /* count */
    size_t versions_cap;            /* allocated */
    /* Read-time counts (article.get), shown when counted is set; never stored. */
    bool counted;     /* solved, helpful and tickets are filled in */
    uint64_t solved;  /* tickets resolved with it */
    uint64_t helpful; /* deflections */
    char *tickets;    /* linked and solved tickets, comma-separated (owned) */
    bool public_only; /* the client view lists only the versions written for the public */
} sd_article_t;

extern const sd_kind_t sd_kind_article;

/* The article an event carries (its registers) and its version (set op). */
static inline sd_article_t *sd_event_article(const sd_event_t *ev)
{
    return (sd_article_t *)ev->fields;
}
static inline sd_article_version_t *sd_event_article_version(const sd_event_t *ev)
{
    return (sd_article_version_t *)ev->item;
}

/* The current version's number (the count of versions). */
static inline uint64_t sd_article_version_no(const sd_article_t *a)
{
    return a->nversions;
}

/* Version number n (1-based) of a, or NULL. Borrowed from a. */
const sd_article_version_t *sd_article_version(const sd_article_t *a, uint64_t n);

/* The name of the counter of article id's helpful clicks ("helpful.<id>") into out. */
void sd_article_helpful_counter(const char *id, char *out, size_t cap);

/* Inserts a version in (hlc, origin, seq) order; one with the same (origin, seq) is a duplicate
 * and ignored. Takes what v owns (also on duplicates). Returns 0 or SD_ENOMEM. */
int sd_article_add_version(sd_article_t *a, sd_article_version_t *v);

/* Frees what a version owns. */
void sd_article_version_clear(sd_article_version_t *v);

#endif
