/* trust.h - what a node checks on every event a peer sends, before it applies it: the rules
 * that hold without any state that may be behind (DESIGN 2.5: replicas verify what they can).
 *
 *   - the peer may relay the origin (a site sends only its own; a hub any) and no peer sends
 *     this node's own origin, except while it restores from a backup (sync.h);
 *   - the signature is the origin's (sign.h): with signing on, an unsigned event is refused
 *     unless it is an old one (seq <= legacy[origin]: made before signing was turned on);
 *   - the clock is bounded: an event stamped more than max_skew_ms ahead of this node's wall
 *     clock is refused (the sender re-sends it by heartbeat once it is no longer ahead), so no
 *     peer can drag every clock to the end of time;
 *   - names: a system identity ("scheduler@SITE", "root@SITE") only of the event's own origin;
 *     a record with a site-numbered id (SITE-000042) is created only by that site;
 *   - the kind's own rules (kind.h check_event: a ticket is handed over only by its owner site
 *     or a hub).
 * The per-origin hash chain (prev) is checked by the state machine (repl.c), which knows the
 * event before. */
#ifndef SD_TRUST_H
#define SD_TRUST_H

#include "event.h"
#include "sign.h"
#include "sync.h"
#include "vector.h"

#define SD_TRUST_SKEW_MS 60000 /* default bound of a peer's clock ahead of ours */

typedef struct {
    const char *self;            /* this node's site */
    const sd_signers_t *signers; /* the keys to verify with; NULL: signatures are not checked */
    const sd_vector_t *legacy;   /* unsigned events accepted up to these seqs; NULL: none */
    int64_t max_skew_ms;         /* > 0 */
    const sd_peer_t *peers;      /* the peers (which are hubs) */
    int npeers;                  /* how many */
} sd_trust_t;

/* Checks ev from peer at wall time wall_ms (Unix ms). Returns 0, or the refusal: SD_EFORBIDDEN
 * (origin, signature, names, kind rules) or SD_ERANGE (clock ahead), with one line in fault. */
int sd_trust_check(const sd_trust_t *t, const sd_peer_t *peer, const sd_event_t *ev,
                   int64_t wall_ms, sd_fault_t *fault);

#endif
