/* bulletin.h - the bulletin record kind: a notice to the desk's users about a fault, planned
 * maintenance or a new service (布告栏), shown while it is valid.
 *
 * A bulletin's id is SITE-BL-000001. Every field is a last-writer-wins register. Whether a
 * bulletin is current is not stored: it is worked out when it is read (sd_bulletin_current),
 * from the bulletin, the reader's clock (the node's injectable clock) and site, and the status
 * of the major incident it names, so it converges like the records it is made of and ends with
 * its incident without an event of its own. */
#ifndef SD_BULLETIN_H
#define SD_BULLETIN_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stdbool.h>
#include <stdint.h>

#define SD_BULLETIN_SITES_MAX 256 /* sites: comma-separated site ids, bytes */

typedef enum { SD_BLOP_CREATE, SD_BLOP_UPDATE, SD_BLOP_WITHDRAW, SD_BLOP_COUNT_ } sd_bulletin_op_t;

typedef enum {
    SD_BLREG_CREATED,  /* created_at, origin_site, author */
    SD_BLREG_TITLE,    /* title */
    SD_BLREG_BODY,     /* body */
    SD_BLREG_SEVERITY, /* severity */
    SD_BLREG_SITES,    /* sites */
    SD_BLREG_CATEGORY, /* category */
    SD_BLREG_WINDOW,   /* valid_from, valid_until */
    SD_BLREG_MAJOR,    /* major */
    SD_BLREG_STATE,    /* state */
    /* New registers go last. */
    SD_BLREG_COUNT_
} sd_bulletin_register_t;

typedef enum {
    SD_SEVERITY_INFO,
    SD_SEVERITY_OUTAGE,
    SD_SEVERITY_MAINTENANCE,
    SD_SEVERITY_COUNT_
} sd_bulletin_severity_t;
typedef enum { SD_BSTATE_ACTIVE, SD_BSTATE_WITHDRAWN, SD_BSTATE_COUNT_ } sd_bulletin_state_t;

extern const char *const sd_bulletin_severity_names[]; /* SD_SEVERITY_COUNT_ */
extern const char *const sd_bulletin_state_names[];    /* SD_BSTATE_COUNT_ */

typedef struct {
    char id[SD_ID_MAX + 1]; /* SITE-BL-000001 */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* Unix ms */
    char *origin_site;      /* site that created it */
    char *author;           /* login of its creator */
    char *title;            /* one line */
    char *body;             /* text (Markdown) */
    int severity;           /* sd_bulletin_severity_t */
    char *sites;            /* comma-separated site ids; NULL: every site */
    char *category;         /* the category of service it concerns, or NULL */
    uint64_t valid_from;    /* shown from (Unix ms) */
    uint64_t valid_until;   /* shown until, exclusive (Unix ms) */
    char *major;            /* ticket id of the major incident it follows, or NULL */
    int state;              /* sd_bulletin_state_t */
    sd_stamp_t stamps[SD_BLREG_COUNT_];
    /* Worked out by the reader (bulletin.get, .list), shown when judged is set; never stored. */
    bool judged;  /* current is filled in */
    bool current; /* sd_bulletin_current for the reader */
} sd_bulletin_t;

extern const sd_kind_t sd_kind_bulletin;

/* The bulletin an event carries. */
static inline sd_bulletin_t *sd_event_bulletin(const sd_event_t *ev)
{
    return (sd_bulletin_t *)ev->fields;
}

/* True when b is current for a reader at site (NULL: any site) at now_ms: active, valid_from <=
 * now_ms < valid_until, no sites or site among them, and major_over false (the caller says
 * whether b's major incident is resolved, closed or cancelled; false when b has none). */
bool sd_bulletin_current(const sd_bulletin_t *b, uint64_t now_ms, const char *site,
                         bool major_over);

/* True when site is one of the comma-separated list (entries trimmed of blanks). */
bool sd_bulletin_site_listed(const char *list, const char *site);

#endif
