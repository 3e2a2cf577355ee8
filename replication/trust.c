/* trust.c - the stateless checks of a received event. */
#include "trust.h"

#include "error.h"
#include "hlc.h"

#include <stdio.h>
#include <string.h>

/* Is site a hub among the peers? */
static bool s_hub(const sd_trust_t *t, const char *site)
{
    for (int i = 0; i < t->npeers; i++)
        if (t->peers[i].role == SD_ROLE_HUB && strcmp(t->peers[i].site, site) == 0)
            return true;
    return false;
}

static int s_names(const sd_event_t *ev, sd_fault_t *fault)
{
    const char *at = strchr(ev->author, '@');
    if (at && strcmp(at + 1, ev->origin) != 0)
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "event %s#%llu: author %s is another site's system identity",
                            ev->origin, (unsigned long long)ev->seq, ev->author);
    const sd_kind_t *k = ev->kind;
    size_t n = strlen(ev->origin);
    if (k->id_counter && strcmp(sd_event_op_name(ev), "create") == 0 &&
        (strncmp(ev->key, ev->origin, n) != 0 || ev->key[n] != '-'))
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "event %s#%llu: creates %s %s, an id of another site", ev->origin,
                            (unsigned long long)ev->seq, k->name, ev->key);
    return 0;
}

int sd_trust_check(const sd_trust_t *t, const sd_peer_t *peer, const sd_event_t *ev,
                   int64_t wall_ms, sd_fault_t *fault)
{
    if (!sd_sync_may_send(peer, t->self, ev->origin))
        return sd_fault_set(fault, SD_EFORBIDDEN, "event %s#%llu: %s may not send origin %s",
                            ev->origin, (unsigned long long)ev->seq, peer->site, ev->origin);
    uint64_t ms = sd_hlc_ms(ev->hlc);
    if (wall_ms > 0 && ms > (uint64_t)wall_ms + (uint64_t)t->max_skew_ms)
        return sd_fault_set(fault, SD_ERANGE,
                            "event %s#%llu: stamped %llu ms ahead of this node's clock (max %lld)",
                            ev->origin, (unsigned long long)ev->seq,
                            (unsigned long long)(ms - (uint64_t)wall_ms),
                            (long long)t->max_skew_ms);
    /* The cheap rules first; the signature, the costly one, last. */
    int rc = s_names(ev, fault);
    if (!rc && ev->kind->check_event)
        rc = ev->kind->check_event(ev, s_hub(t, ev->origin), fault);
    if (!rc && t->signers &&
        !(t->legacy && !sd_event_signed(ev) && ev->seq <= sd_vector_get(t->legacy, ev->origin)))
        rc = sd_sign_verify(t->signers, ev, fault);
    return rc;
}
