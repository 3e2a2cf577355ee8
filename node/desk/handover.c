/* handover.c - the generated handover note. */
#include "handover.h"

#include "hlc.h"
#include "sla.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest quote of the last comment in a note. */
#define QUOTE_MAX 200

/* Appends to out[0..cap) at *used; stops quietly when full, cutting at a
 * character boundary so the note stays valid UTF-8 (a stored invalid
 * string would make the ticket unreadable). */
static void s_add(char *out, size_t cap, size_t *used, const char *fmt, ...)
{
    if (*used + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *piece = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!piece)
        return;
    va_start(ap, fmt);
    vsnprintf(piece, (size_t)n + 1, fmt, ap);
    va_end(ap);
    size_t keep = sd_utf8_cut(piece, cap - 1 - *used);
    memcpy(out + *used, piece, keep);
    out[*used + keep] = 0;
    /* Cut short: the note is full, nothing more goes in. */
    *used = keep < (size_t)n ? cap - 1 : *used + keep;
    free(piece);
}

/* One SLA clock: "resolution due 2026-03-02 10:00Z, 1h 30m business time left". */
static void s_clock(const sd_workflow_ctx_t *ctx, const sd_ticket_t *t, const char *what,
                    uint64_t due, char *out, size_t cap, size_t *used)
{
    char at[32], left[32];
    sd_sla_time(due, at, sizeof at);
    uint64_t ref = t->sla_paused_at ? t->sla_paused_at : ctx->now_ms;
    sd_sla_span(sd_schedule_elapsed(ctx->sched, t, ref, due), left, sizeof left);
    s_add(out, cap, used, "%s due %s, %s business time left%s", what, at, left,
          t->sla_paused_at ? " (clock paused)" : "");
}

/* The last human action: the latest of the last comment, the last status
 * change and the last assignment made after the ticket was opened. The
 * scheduler writes the assignment and status registers only together with
 * SLA (escalation) or OWNER (receiving a handover): those are not a human's. */
static void s_last_action(const sd_ticket_t *cur, char *out, size_t cap, size_t *used)
{
    uint64_t opened = cur->stamps[SD_REG_CREATED].hlc;
    uint64_t status = cur->stamps[SD_REG_STATUS].hlc;
    uint64_t assign = cur->stamps[SD_REG_ASSIGN].hlc;
    const sd_comment_t *c = cur->ncomments ? &cur->comments[cur->ncomments - 1] : NULL;
    /* A scheduler's event also writes SLA (escalation) or OWNER (receiving). */
    uint64_t sla = cur->stamps[SD_REG_SLA].hlc, owner = cur->stamps[SD_REG_OWNER].hlc;
    if (status <= opened || status == owner)
        status = 0;
    if (assign <= opened || assign == sla || assign == owner)
        assign = 0;
    uint64_t comment = c ? c->hlc : 0;
    char at[32];
    if (comment && comment >= status && comment >= assign) {
        sd_sla_time(sd_hlc_ms(c->hlc), at, sizeof at);
        int quote = (int)sd_utf8_cut(c->body, QUOTE_MAX);
        s_add(out, cap, used, "Last action: %s %s (%s): \"%.*s%s\"\n", at, c->author,
              c->public_reply ? "reply" : "note", quote, c->body, c->body[quote] ? "..." : "");
    } else if (assign && assign >= status) {
        sd_sla_time(sd_hlc_ms(assign), at, sizeof at);
        s_add(out, cap, used, "Last action: %s assigned to %s at %s.\n", at,
              cur->assignee ? cur->assignee : (cur->team ? cur->team : "nobody"),
              cur->stamps[SD_REG_ASSIGN].origin);
    } else if (status) {
        static const char *const what[SD_STATUS_COUNT_] = {
            [SD_STATUS_ACKNOWLEDGED] = "acknowledged",
            [SD_STATUS_ASSIGNED] = "assigned",
            [SD_STATUS_IN_PROGRESS] = "work started",
            [SD_STATUS_PENDING] = "put pending",
        };
        const char *w = cur->status >= 0 && cur->status < SD_STATUS_COUNT_ && what[cur->status]
                            ? what[cur->status]
                            : sd_status_name(cur->status);
        sd_sla_time(sd_hlc_ms(status), at, sizeof at);
        s_add(out, cap, used, "Last action: %s %s at %s.\n", at, w,
              cur->stamps[SD_REG_STATUS].origin);
    } else {
        s_add(out, cap, used, "Last action: none recorded since it was opened.\n");
    }
}

void sd_handover_note(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *to,
                      const char *why, const char *agent_note, char *out, size_t cap)
{
    size_t used = 0;
    char now[32];
    out[0] = 0;
    sd_sla_time(ctx->now_ms, now, sizeof now);
    if (agent_note && agent_note[0])
        s_add(out, cap, &used, "%s\n", agent_note);
    s_add(out, cap, &used, "Handover %s -> %s at %s: %s.\n",
          cur->owner_site ? cur->owner_site : "?", to, now, why);
    s_add(out, cap, &used, "Status: %s, %s, tier %s", sd_status_name(cur->status),
          sd_priority_name(cur->priority), sd_tier_name(cur->tier));
    if (cur->assignee)
        s_add(out, cap, &used, ", assignee %s", cur->assignee);
    if (cur->team)
        s_add(out, cap, &used, " (team %s)", cur->team);
    /* A reason given as "" is no reason: no dangling comma. */
    bool reason = cur->status_reason && cur->status_reason[0];
    s_add(out, cap, &used, ".\nAwaiting: %s%s%s.\n",
          cur->status == SD_STATUS_PENDING ? sd_wait_names[cur->waiting_on]
                                           : "nothing - ours to act",
          reason ? ", " : "", reason ? cur->status_reason : "");
    s_last_action(cur, out, cap, &used);
    /* The SLA lines are the ticket after the move: the new owner's clock, and
     * for a ticket that does not follow the sun the due times
     * sd_workflow_handover() writes (the same arithmetic at the same now). */
    sd_ticket_t after = *cur;
    after.owner_site = (char *)to;
    if (ctx->sched && !cur->follow_sun)
        sd_sla_retarget(ctx->sched, ctx->policy, cur, &after, ctx->now_ms, &after.response_due,
                        &after.resolve_due);
    s_add(out, cap, &used, "SLA (%s): ", sd_sla_names[cur->sla_state]);
    if (!cur->acknowledged_at && !cur->first_response_at) {
        s_clock(ctx, &after, "response", after.response_due, out, cap, &used);
        s_add(out, cap, &used, "; ");
    }
    s_clock(ctx, &after, "resolution", after.resolve_due, out, cap, &used);
    s_add(out, cap, &used, ".");
}
