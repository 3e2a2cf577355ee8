/* fold.c - last-writer-wins registers and the comment set. */
#include "fold.h"

#include "error.h"
#include "hlc.h"

#include <stdlib.h>
#include <string.h>

/* Event stamp (hlc, origin) greater than the register's stamp? */
static bool s_newer(const sd_event_t *ev, const sd_stamp_t *stamp)
{
    if (ev->hlc != stamp->hlc)
        return ev->hlc > stamp->hlc;
    return strcmp(ev->origin, stamp->origin) > 0;
}

bool sd_fold_exists(const sd_ticket_t *t)
{
    return t->stamps[SD_REG_CREATED].hlc != 0;
}

static int s_apply_comment(sd_ticket_t *t, const sd_event_t *ev)
{
    sd_comment_t c = {.hlc = ev->hlc, .seq = ev->seq, .public_reply = ev->comment.public_reply};
    strcpy(c.origin, ev->origin);
    c.author = strdup(ev->author);
    c.body = strdup(ev->comment.body ? ev->comment.body : "");
    if (!c.author || !c.body) {
        free(c.author);
        free(c.body);
        return SD_ENOMEM;
    }
    int rc = sd_ticket_add_comment(t, &c);
    if (rc)
        return rc;
    uint64_t ms = sd_hlc_ms(ev->hlc);
    if (ev->comment.public_reply && (t->first_response_at == 0 || ms < t->first_response_at))
        t->first_response_at = ms;
    return 0;
}

int sd_fold_apply(sd_ticket_t *t, const sd_event_t *ev)
{
    if (t->id[0] == 0)
        strcpy(t->id, ev->key);
    uint64_t ms = sd_hlc_ms(ev->hlc);
    if (ms > t->updated_at)
        t->updated_at = ms;
    if (ev->op == SD_OP_COMMENT)
        return s_apply_comment(t, ev);
    for (int r = 0; r < SD_REG_COUNT_; r++) {
        uint64_t reg = sd_ticket_register_mask(r);
        if (!(ev->mask & reg) || !s_newer(ev, &t->stamps[r]))
            continue;
        int rc = sd_fields_copy(sd_ticket_fields, sd_ticket_field_count, t, &ev->fields, reg);
        if (rc)
            return rc;
        t->stamps[r].hlc = ev->hlc;
        strcpy(t->stamps[r].origin, ev->origin);
    }
    return 0;
}
