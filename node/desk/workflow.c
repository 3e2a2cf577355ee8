/* workflow.c - state machine and event construction for client requests. */
#include "workflow.h"

#include "error.h"
#include "handover.h"
#include "sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sd_policy_default(sd_policy_t *p)
{
    static const int matrix[3][3] = {
        {SD_P1, SD_P2, SD_P3}, {SD_P2, SD_P3, SD_P4}, {SD_P3, SD_P4, SD_P4}};
    memcpy(p->matrix, matrix, sizeof matrix);
    const uint64_t response[] = {1, 1, 24, 24}, resolve[] = {4, 8, 72, 120};
    for (int i = 0; i < SD_PRIORITY_COUNT_; i++) {
        p->response_ms[i] = response[i] * SD_HOUR_MS;
        p->resolve_ms[i] = resolve[i] * SD_HOUR_MS;
    }
    strcpy(p->phone_country, "86");
}

#define S(x) (1u << SD_STATUS_##x)
#define OPEN (S(NEW) | S(ACKNOWLEDGED) | S(ASSIGNED) | S(IN_PROGRESS) | S(PENDING))
#define ANY  (OPEN | S(RESOLVED) | S(CLOSED) | S(CANCELLED))

/* For each writing request (by sd_req_op_t): the event op, the statuses it
 * may start from. Ops that make no move have no verb. */
typedef struct {
    int op;           /* sd_op_t */
    unsigned from;    /* bit set of sd_status_t it is allowed in */
    const char *verb; /* the CLI word, for "allowed: ..." messages */
} s_move_t;

static const s_move_t s_moves[SD_REQ_COUNT_] = {
    [SD_REQ_TICKET_ACK] = {SD_OP_ACK, S(NEW), "ack"},
    [SD_REQ_TICKET_ASSIGN] = {SD_OP_ASSIGN,
                              S(ACKNOWLEDGED) | S(ASSIGNED) | S(IN_PROGRESS) | S(PENDING),
                              "assign"},
    [SD_REQ_TICKET_START] = {SD_OP_START, S(ASSIGNED) | S(PENDING), "start"},
    [SD_REQ_TICKET_PENDING] = {SD_OP_PENDING, S(IN_PROGRESS), "pending"},
    [SD_REQ_TICKET_RESOLVE] = {SD_OP_RESOLVE, S(ASSIGNED) | S(IN_PROGRESS) | S(PENDING), "resolve"},
    [SD_REQ_TICKET_CLOSE] = {SD_OP_CLOSE, S(RESOLVED), "close"},
    [SD_REQ_TICKET_REOPEN] = {SD_OP_REOPEN, S(RESOLVED) | S(CLOSED), "reopen"},
    [SD_REQ_TICKET_CANCEL] = {SD_OP_CANCEL, OPEN, "cancel"},
    [SD_REQ_TICKET_COMMENT] = {SD_OP_COMMENT, ANY & ~S(CANCELLED), "comment"},
    [SD_REQ_TICKET_UPDATE] = {SD_OP_UPDATE, OPEN | S(RESOLVED), "update"},
    [SD_REQ_TICKET_HANDOVER] = {SD_OP_HANDOVER, OPEN, "handover"},
};
#define MOVE_COUNT (sizeof s_moves / sizeof s_moves[0])

void sd_workflow_allowed(int status, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < MOVE_COUNT && used < cap; i++) {
        if (!s_moves[i].verb || !(s_moves[i].from & (1u << status)))
            continue;
        int k = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", s_moves[i].verb);
        if (k < 0)
            break;
        used += (size_t)k;
    }
    if (!out[0])
        snprintf(out, cap, "nothing (the ticket is final)");
}

/* Starts an event that writes register reg, with cur's values (a register is
 * written whole). */
static int s_take(sd_event_t *ev, const sd_ticket_t *cur, int reg)
{
    uint64_t mask = sd_ticket_register_mask(reg);
    ev->mask |= mask;
    return cur ? sd_fields_copy(sd_ticket_fields, sd_ticket_field_count, sd_event_ticket(ev), cur,
                                mask)
               : 0;
}

static int s_set_str(char **slot, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = strdup(value)))
        return SD_ENOMEM;
    free(*slot);
    *slot = copy;
    return 0;
}

/* The ticket as it will be: cur with the registers ev carries. A shallow
 * view for the SLA arithmetic; it owns nothing and must not be cleared. */
static sd_ticket_t s_view(const sd_ticket_t *cur, const sd_event_t *ev)
{
    sd_ticket_t v = *cur;
    const sd_ticket_t *f = sd_event_ticket(ev);
    if (ev->mask & sd_ticket_register_mask(SD_REG_PRIORITY)) {
        v.priority = f->priority;
        v.follow_sun = f->follow_sun;
    }
    if (ev->mask & sd_ticket_register_mask(SD_REG_OWNER))
        v.owner_site = f->owner_site;
    return v;
}

/* Priority (VIP raises it), follow-the-sun and due times of an update that
 * touched impact, urgency, requester or follow_sun: the time already used
 * stays used. follow_sun keeps an explicit flag unless given again. */
static void s_reprioritise(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur,
                           const sd_request_t *req, sd_event_t *ev)
{
    sd_ticket_t *f = sd_event_ticket(ev);
    const char *requester =
        sd_request_has(req, SD_ARG_TICKET_REQUESTER) ? req->args.ticket.requester : cur->requester;
    f->priority = sd_sla_priority(ctx->policy, f->impact, f->urgency, requester);
    if (sd_request_has(req, SD_ARG_TICKET_FOLLOW_SUN))
        f->follow_sun = req->args.ticket.follow_sun;
    else
        f->follow_sun = sd_sla_follows_sun(ctx->sched, f->priority) ||
                        (cur->follow_sun && !sd_sla_follows_sun(ctx->sched, cur->priority));
    sd_ticket_t after = s_view(cur, ev);
    sd_sla_retarget(ctx->sched, ctx->policy, cur, &after, ctx->now_ms, &f->response_due,
                    &f->resolve_due);
}

static int s_create(const sd_workflow_ctx_t *ctx, const sd_request_t *req, sd_event_t *ev)
{
    const sd_ticket_args_t *a = &req->args.ticket;
    sd_ticket_t *f = sd_event_ticket(ev);
    ev->mask = sd_ticket_all_fields();
    f->created_at = ctx->now_ms;
    f->type = sd_request_has(req, SD_ARG_TICKET_TYPE) ? a->type : SD_TYPE_INCIDENT;
    f->major = a->major;
    f->channel = sd_request_has(req, SD_ARG_TICKET_CHANNEL) ? a->channel : SD_CHANNEL_WEB;
    f->impact = sd_request_has(req, SD_ARG_TICKET_IMPACT) ? a->impact : 2;
    f->urgency = sd_request_has(req, SD_ARG_TICKET_URGENCY) ? a->urgency : 2;
    const char *requester = a->requester ? a->requester : ctx->author;
    f->priority = sd_sla_priority(ctx->policy, f->impact, f->urgency, requester);
    f->follow_sun = sd_request_has(req, SD_ARG_TICKET_FOLLOW_SUN)
                        ? a->follow_sun
                        : sd_sla_follows_sun(ctx->sched, f->priority);
    f->tier = sd_request_has(req, SD_ARG_TICKET_TIER) ? a->tier : SD_TIER_L1;
    f->tier_since = ctx->now_ms;
    f->status = SD_STATUS_NEW;
    if (s_set_str(&f->origin_site, ctx->site) || s_set_str(&f->title, a->title) ||
        s_set_str(&f->description, a->description) || s_set_str(&f->requester, requester) ||
        s_set_str(&f->category, a->category) || s_set_str(&f->team, a->team) ||
        s_set_str(&f->assignee, a->assignee) || s_set_str(&f->owner, ctx->author) ||
        s_set_str(&f->owner_site, ctx->site))
        return SD_ENOMEM;
    if (s_set_str(&f->assets, a->assets))
        return SD_ENOMEM;
    sd_sla_start(ctx->sched, ctx->policy, f, ctx->now_ms);
    return 0;
}

static int s_update(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const sd_request_t *req,
                    sd_event_t *ev, sd_fault_t *fault)
{
    const sd_ticket_args_t *a = &req->args.ticket;
    sd_ticket_t *f = sd_event_ticket(ev);
    int rc = 0;
    if (sd_request_has(req, SD_ARG_TICKET_TYPE) || sd_request_has(req, SD_ARG_TICKET_MAJOR)) {
        rc = rc ?: s_take(ev, cur, SD_REG_TYPE);
        if (sd_request_has(req, SD_ARG_TICKET_TYPE))
            f->type = a->type;
        if (sd_request_has(req, SD_ARG_TICKET_MAJOR))
            f->major = a->major;
    }
    if (sd_request_has(req, SD_ARG_TICKET_TITLE))
        rc = rc ?: s_take(ev, cur, SD_REG_TITLE) ?: s_set_str(&f->title, a->title);
    if (sd_request_has(req, SD_ARG_TICKET_DESCRIPTION))
        rc = rc ?: s_take(ev, cur, SD_REG_DESC) ?: s_set_str(&f->description, a->description);
    if (sd_request_has(req, SD_ARG_TICKET_REQUESTER) ||
        sd_request_has(req, SD_ARG_TICKET_CHANNEL)) {
        rc = rc ?: s_take(ev, cur, SD_REG_REQUESTER);
        if (!rc && sd_request_has(req, SD_ARG_TICKET_REQUESTER))
            rc = s_set_str(&f->requester, a->requester);
        if (sd_request_has(req, SD_ARG_TICKET_CHANNEL))
            f->channel = a->channel;
    }
    if (sd_request_has(req, SD_ARG_TICKET_CATEGORY))
        rc = rc ?: s_take(ev, cur, SD_REG_CATEGORY) ?: s_set_str(&f->category, a->category);
    if (sd_request_has(req, SD_ARG_TICKET_IMPACT) || sd_request_has(req, SD_ARG_TICKET_URGENCY) ||
        sd_request_has(req, SD_ARG_TICKET_REQUESTER) ||
        sd_request_has(req, SD_ARG_TICKET_FOLLOW_SUN)) {
        rc = rc ?: s_take(ev, cur, SD_REG_PRIORITY);
        if (sd_request_has(req, SD_ARG_TICKET_IMPACT))
            f->impact = a->impact;
        if (sd_request_has(req, SD_ARG_TICKET_URGENCY))
            f->urgency = a->urgency;
        if (!rc)
            s_reprioritise(ctx, cur, req, ev);
    }
    if (sd_request_has(req, SD_ARG_TICKET_ASSETS))
        rc = rc ?: s_take(ev, cur, SD_REG_ASSETS) ?: s_set_str(&f->assets, a->assets);
    if (!rc && ev->mask == 0)
        rc = sd_fault_set(fault, SD_EMISSING, "args: ticket.update needs at least one field");
    return rc;
}

/* The vendor a ticket pending on a vendor waits on, and its case number: a new vendor without a
 * reference forgets the old vendor's. */
static int s_vendor(const sd_ticket_t *cur, const sd_request_t *req, sd_event_t *ev)
{
    const sd_ticket_args_t *a = &req->args.ticket;
    sd_ticket_t *f = sd_event_ticket(ev);
    bool has_vendor = sd_request_has(req, SD_ARG_TICKET_VENDOR);
    bool has_ref = sd_request_has(req, SD_ARG_TICKET_VENDOR_REF);
    if (!has_vendor && !has_ref)
        return 0;
    int rc = s_take(ev, cur, SD_REG_VENDOR);
    if (!rc && has_vendor)
        rc = s_set_str(&f->vendor, a->vendor) ?: s_set_str(&f->vendor_ref, a->vendor_ref);
    if (!rc && has_ref)
        rc = s_set_str(&f->vendor_ref, a->vendor_ref);
    return rc;
}

/* Sets the status register for a transition from cur. */
static int s_transition(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur,
                        const sd_request_t *req, sd_event_t *ev)
{
    const sd_ticket_args_t *a = &req->args.ticket;
    sd_ticket_t *f = sd_event_ticket(ev);
    int rc = s_take(ev, cur, SD_REG_STATUS);
    if (rc)
        return rc;
    /* A reason belongs to the move that gave it (pending, reopen, cancel). */
    f->waiting_on = SD_WAIT_NONE;
    if ((rc = s_set_str(&f->status_reason, NULL)) != 0)
        return rc;
    /* Leaving pending restarts the SLA clocks: the due times move by the
     * business time the ticket waited. */
    f->sla_paused_at = 0;
    if (cur->status == SD_STATUS_PENDING && ev->op != SD_OP_PENDING) {
        if ((rc = s_take(ev, cur, SD_REG_PRIORITY)) != 0)
            return rc;
        sd_sla_resume(ctx->sched, cur, ctx->now_ms, &f->response_due, &f->resolve_due);
    }
    switch (ev->op) {
    case SD_OP_ACK:
        f->status = SD_STATUS_ACKNOWLEDGED;
        f->acknowledged_at = ctx->now_ms;
        f->reply_due =
            sd_request_has(req, SD_ARG_TICKET_REPLY_DUE) ? a->reply_due : cur->response_due;
        return 0;
    case SD_OP_START:
        f->status = SD_STATUS_IN_PROGRESS;
        return 0;
    case SD_OP_PENDING:
        if (a->waiting_on == SD_WAIT_NONE)
            return SD_ERANGE;
        f->status = SD_STATUS_PENDING;
        f->waiting_on = a->waiting_on;
        f->sla_paused_at = ctx->now_ms;
        if ((rc = s_vendor(cur, req, ev)) != 0)
            return rc;
        return s_set_str(&f->status_reason, a->reason);
    case SD_OP_RESOLVE:
        f->status = SD_STATUS_RESOLVED;
        f->resolved_at = ctx->now_ms;
        return s_set_str(&f->resolution, a->resolution);
    case SD_OP_CLOSE:
        f->status = SD_STATUS_CLOSED;
        f->closed_at = ctx->now_ms;
        f->satisfaction = a->satisfaction;
        return s_set_str(&f->feedback, a->feedback);
    case SD_OP_REOPEN:
        f->status = SD_STATUS_IN_PROGRESS;
        f->resolved_at = f->closed_at = 0;
        f->satisfaction = 0;
        f->reopen_count++;
        /* The old resolution and feedback stay in the history, not on the ticket. */
        return s_set_str(&f->feedback, NULL) ?: s_set_str(&f->resolution, NULL)
                                             ?: s_set_str(&f->status_reason, a->reason);
    case SD_OP_CANCEL:
        f->status = SD_STATUS_CANCELLED;
        return s_set_str(&f->status_reason, a->reason);
    }
    return SD_EINVAL;
}

static int s_assign(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const sd_request_t *req,
                    sd_event_t *ev)
{
    const sd_ticket_args_t *a = &req->args.ticket;
    int rc =
        s_take(ev, cur, SD_REG_ASSIGN) ?: s_set_str(&sd_event_ticket(ev)->assignee, a->assignee);
    if (!rc && sd_request_has(req, SD_ARG_TICKET_TEAM))
        rc = s_set_str(&sd_event_ticket(ev)->team, a->team);
    /* The time in a tier counts from when the ticket reached it. */
    if (sd_request_has(req, SD_ARG_TICKET_TIER) && a->tier != cur->tier) {
        sd_event_ticket(ev)->tier = a->tier;
        sd_event_ticket(ev)->tier_since = ctx->now_ms;
    }
    /* Reassigning work in progress or pending keeps its status. */
    if (!rc && cur->status == SD_STATUS_ACKNOWLEDGED) {
        rc = s_take(ev, cur, SD_REG_STATUS);
        sd_event_ticket(ev)->status = SD_STATUS_ASSIGNED;
    }
    return rc;
}

int sd_workflow_build(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const sd_request_t *req,
                      sd_event_t *ev, sd_fault_t *fault)
{
    int rc;
    /* Every event names who made it: an event without an author is refused by every replica. */
    if (!ctx->author || !*ctx->author)
        return sd_fault_set(fault, SD_EINVAL, "no author: the caller was not identified");
    snprintf(ev->author, sizeof ev->author, "%s", ctx->author);
    if (req->op == SD_REQ_TICKET_NEW) {
        rc = sd_event_start(ev, &sd_kind_ticket, SD_OP_CREATE) ?: s_create(ctx, req, ev);
        goto done;
    }
    const s_move_t *move =
        req->op >= 0 && req->op < SD_REQ_COUNT_ && s_moves[req->op].verb ? &s_moves[req->op] : NULL;
    if (!move) {
        rc = sd_fault_set(fault, SD_EUNKNOWN_OP, "%s does not write", sd_req_op_name(req->op));
        goto done;
    }
    if (!cur) {
        rc = sd_fault_set(fault, SD_ENOTFOUND, "ticket %s does not exist", req->args.ticket.id);
        goto done;
    }
    if (!(move->from & (1u << cur->status))) {
        char allowed[160];
        sd_workflow_allowed(cur->status, allowed, sizeof allowed);
        rc = sd_fault_set(fault, SD_ETRANSITION, "ticket %s is %s; %s is not allowed (allowed: %s)",
                          cur->id, sd_status_name(cur->status), move->verb, allowed);
        goto done;
    }
    if ((rc = sd_event_start(ev, &sd_kind_ticket, move->op)) != 0)
        goto done;
    switch (move->op) {
    case SD_OP_COMMENT:
        if (cur->ncomments >= SD_COMMENTS_MAX) {
            rc = sd_fault_set(fault, SD_ETOOBIG, "ticket %s has %d comments, the most it can hold",
                              cur->id, SD_COMMENTS_MAX);
            goto done;
        }
        sd_event_comment(ev)->public_reply = req->args.ticket.public_reply;
        rc = s_set_str(&sd_event_comment(ev)->body, req->args.ticket.body);
        break;
    case SD_OP_UPDATE:
        rc = s_update(ctx, cur, req, ev, fault);
        break;
    case SD_OP_ASSIGN:
        rc = s_assign(ctx, cur, req, ev);
        break;
    case SD_OP_HANDOVER: {
        char note[SD_NOTE_MAX];
        sd_handover_note(ctx, cur, req->args.ticket.site, "handed over by an agent",
                         req->args.ticket.note, note, sizeof note);
        rc = sd_workflow_handover(ctx, cur, req->args.ticket.site, note, ctx->author, ev, fault);
        return rc; /* cleared and faulted there */
    }
    default:
        rc = s_transition(ctx, cur, req, ev);
        if (rc == SD_ERANGE)
            sd_fault_set(fault, rc,
                         "args.waiting_on: a pending ticket waits on customer or vendor");
    }
done:
    if (rc == SD_ENOMEM)
        sd_fault_set(fault, rc, "out of memory");
    if (rc)
        sd_event_clear(ev);
    return rc;
}

/* The handover event: cur's OWNER register moves to site to, with note. */
static int s_hand(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *to,
                  const char *note, const char *author, sd_event_t *ev)
{
    int rc = sd_event_start(ev, &sd_kind_ticket, SD_OP_HANDOVER);
    if (rc)
        return rc;
    sd_ticket_t *f = sd_event_ticket(ev);
    snprintf(ev->author, sizeof ev->author, "%s", author);
    rc = s_take(ev, cur, SD_REG_OWNER) ?: s_set_str(&f->handover_from, cur->owner_site)
                                       ?: s_set_str(&f->owner_site, to)
                                       ?: s_set_str(&f->handover_note, note);
    f->handover_at = ctx->now_ms;
    /* The owner's hours are the SLA clock of a ticket that does not follow the sun. */
    if (!rc && !cur->follow_sun) {
        rc = s_take(ev, cur, SD_REG_PRIORITY);
        sd_ticket_t after = s_view(cur, ev);
        sd_sla_retarget(ctx->sched, ctx->policy, cur, &after, ctx->now_ms, &f->response_due,
                        &f->resolve_due);
    }
    if (rc)
        sd_event_clear(ev);
    return rc;
}

int sd_workflow_handover(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *to,
                         const char *note, const char *author, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_calset_t *sites = ctx->sched ? ctx->sched->sites : NULL;
    int rc = 0;
    if (cur->status > SD_STATUS_PENDING)
        rc = sd_fault_set(fault, SD_ETRANSITION, "ticket %s is %s; only open tickets move", cur->id,
                          sd_status_name(cur->status));
    else if (sites && sd_calset_find(sites, to) < 0)
        rc = sd_fault_set(fault, SD_EINVAL, "args.site: %s is not a site of the schedule", to);
    else if (cur->owner_site && strcmp(cur->owner_site, to) == 0)
        rc = sd_fault_set(fault, SD_EINVAL, "args.site: ticket %s is already owned by %s", cur->id,
                          to);
    /* Peers accept a handover only from the owner site or a hub (replication/trust.h). */
    else if (!ctx->hub && (!cur->owner_site || strcmp(cur->owner_site, ctx->site) != 0))
        rc = sd_fault_set(fault, SD_EFORBIDDEN,
                          "forbidden: ticket %s is owned by site %s; it is handed over there "
                          "(or at the hub), not at %s",
                          cur->id, cur->owner_site ? cur->owner_site : "?", ctx->site);
    if (rc)
        return rc;
    rc = s_hand(ctx, cur, to, note, author, ev);
    return rc ? sd_fault_set(fault, rc, "out of memory") : 0;
}

int sd_workflow_take(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *person,
                     const char *note, const char *author, sd_event_t *ev)
{
    if (!ctx->hub || cur->status > SD_STATUS_PENDING || !cur->owner_site ||
        strcmp(cur->owner_site, ctx->site) == 0)
        return SD_EINVAL;
    int rc = s_hand(ctx, cur, ctx->site, note, author, ev)
                 ?: s_set_str(&sd_event_ticket(ev)->owner, person);
    if (rc)
        sd_event_clear(ev);
    return rc;
}

/* Starts the scheduler's SLA register write: the reason and when. */
static int s_sla_reg(const sd_ticket_t *cur, const char *reason, uint64_t at, const char *author,
                     int op, sd_event_t *ev)
{
    int rc = sd_event_start(ev, &sd_kind_ticket, op);
    if (rc)
        return rc;
    snprintf(ev->author, sizeof ev->author, "%s", author);
    rc = s_take(ev, cur, SD_REG_SLA) ?: s_set_str(&sd_event_ticket(ev)->sla_reason, reason);
    sd_event_ticket(ev)->sla_at = at;
    return rc;
}

int sd_workflow_receive(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *team,
                        const char *agent, const char *author, sd_event_t *ev)
{
    (void)ctx;
    int rc = sd_event_start(ev, &sd_kind_ticket, SD_OP_ASSIGN);
    if (rc)
        return rc;
    sd_ticket_t *f = sd_event_ticket(ev);
    snprintf(ev->author, sizeof ev->author, "%s", author);
    rc = s_take(ev, cur, SD_REG_ASSIGN) ?: s_set_str(&f->team, team) ?: s_set_str(&f->assignee,
                                                                                     agent);
    if (!rc && agent)
        rc = s_take(ev, cur, SD_REG_OWNER) ?: s_set_str(&f->owner, agent);
    if (!rc && agent && cur->status == SD_STATUS_ACKNOWLEDGED) {
        rc = s_take(ev, cur, SD_REG_STATUS);
        f->status = SD_STATUS_ASSIGNED;
    }
    if (rc)
        sd_event_clear(ev);
    return rc;
}

int sd_workflow_escalate(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, const char *reason,
                         uint64_t at, const char *author, sd_event_t *ev)
{
    (void)ctx;
    int rc =
        s_sla_reg(cur, reason, at, author, SD_OP_ESCALATE, ev) ?: s_take(ev, cur, SD_REG_ASSIGN);
    if (rc) {
        sd_event_clear(ev);
        return rc;
    }
    sd_event_ticket(ev)->tier = cur->tier + 1;
    sd_event_ticket(ev)->tier_since = at;
    return 0;
}

int sd_workflow_sla(const sd_workflow_ctx_t *ctx, const sd_ticket_t *cur, int state,
                    const char *reason, uint64_t at, const char *author, sd_event_t *ev)
{
    (void)ctx;
    int rc = s_sla_reg(cur, reason, at, author, SD_OP_SLA, ev);
    if (rc) {
        sd_event_clear(ev);
        return rc;
    }
    sd_event_ticket(ev)->sla_state = state;
    sd_event_ticket(ev)->escalated = cur->escalated || state == SD_SLA_BREACHED;
    return 0;
}
