/* test_workflow.c - the seed-001 state machine: what each status allows and what requests write. */
#include "node_test.h"

#include "error.h"
#include "event.h"
#include "fold.h"
#include "handover.h"
#include "hlc.h"
#include "request.h"
#include "sla.h"
#include "workflow.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define T0     1700000000000ull /* wall clock at creation, Unix ms */
#define MINUTE (60ull * 1000)
#define ID     "HQ-000001"

/* One ticket, advanced request by request the way the node does it: the
 * workflow builds an event, the event is stamped and folded into the ticket. */
typedef struct {
    sd_policy_t policy;    /* default matrix and due times */
    sd_workflow_ctx_t ctx; /* site HQ, ctx.now_ms is the wall clock */
    sd_hlc_t clock;        /* HQ's clock */
    uint64_t seq;          /* HQ's last event seq */
    sd_ticket_t t;         /* the ticket so far */
    sd_request_t req;      /* the last request */
    sd_event_t ev;         /* the last event built */
    sd_fault_t fault;      /* why the last request was refused */
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    sd_policy_default(&fx->policy);
    fx->ctx = (sd_workflow_ctx_t){.site = "HQ", .policy = &fx->policy, .now_ms = T0};
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    sd_ticket_clear(&fx->t);
    sd_request_clear(&fx->req);
    sd_event_clear(&fx->ev);
    free(fx);
    return 0;
}

/* Sends fx->req to the ticket (adding its id). When the workflow allows it,
 * the event is stamped and folded in. Returns what sd_workflow_build
 * returned; fx->fault says why on refusal. */
static int s_submit(fx_t *fx)
{
    if (fx->req.op != SD_REQ_TICKET_NEW)
        assert_int_equal(sd_test_arg(&fx->req, "id", ID), 0);
    sd_event_clear(&fx->ev);
    memset(&fx->fault, 0, sizeof fx->fault);
    /* The node passes the current ticket, or NULL when there is none. */
    const sd_ticket_t *cur = sd_ticket_exists(&fx->t) ? &fx->t : NULL;
    int rc = sd_workflow_build(&fx->ctx, fx->req.op == SD_REQ_TICKET_NEW ? NULL : cur, &fx->req,
                               &fx->ev, &fx->fault);
    if (rc)
        return rc;
    strcpy(fx->ev.origin, "HQ");
    strcpy(fx->ev.key, ID);
    fx->ev.seq = ++fx->seq;
    fx->ev.hlc = sd_hlc_tick(&fx->clock, fx->ctx.now_ms);
    assert_int_equal(sd_fold_apply(&fx->t, &fx->ev), 0);
    return 0;
}

/* `author` (the authenticated caller, as the node passes it) sends request op
 * with args (name/value pairs ending with NULL). */
static int s_send_v(fx_t *fx, const char *author, int op, va_list ap)
{
    assert_int_equal(sd_test_request_v(&fx->req, op, ap), 0);
    fx->ctx.author = author;
    return s_submit(fx);
}

static int s_send(fx_t *fx, const char *author, int op, ...)
{
    va_list ap;
    va_start(ap, op);
    int rc = s_send_v(fx, author, op, ap);
    va_end(ap);
    return rc;
}

/* Like s_send, but the request must succeed. */
static void s_ok(fx_t *fx, const char *author, int op, ...)
{
    va_list ap;
    va_start(ap, op);
    int rc = s_send_v(fx, author, op, ap);
    va_end(ap);
    if (rc)
        fail_msg("%s refused: %s", sd_req_op_name(op), fx->fault.text);
}

static void s_create(fx_t *fx)
{
    s_ok(fx, "ann", SD_REQ_TICKET_NEW, "title", "Cannot print", "requester", "bob@example.com",
         NULL);
}

/* A new ticket that carol works on: acknowledged by ann, assigned to carol, started. */
static void s_create_in_progress(fx_t *fx)
{
    s_create(fx);
    s_ok(fx, "ann", SD_REQ_TICKET_ACK, NULL);
    s_ok(fx, "ann", SD_REQ_TICKET_ASSIGN, "assignee", "carol", NULL);
    s_ok(fx, "carol", SD_REQ_TICKET_START, NULL);
}

/* ---- every status x every writing request ------------------------------- */

/* A writing request with the arguments it needs, and what it is called. */
typedef struct {
    int op;              /* sd_req_op_t */
    const char *verb;    /* the word in "allowed: ..." */
    const char *author;  /* who sends it */
    const char *args[8]; /* name/value pairs, NULL-terminated */
} s_op_case_t;

static const s_op_case_t s_ops[] = {
    {SD_REQ_TICKET_ACK, "ack", "ann", {NULL}},
    {SD_REQ_TICKET_ASSIGN, "assign", "ann", {"assignee", "carol", NULL}},
    {SD_REQ_TICKET_START, "start", "carol", {NULL}},
    {SD_REQ_TICKET_PENDING,
     "pending",
     "carol",
     {"waiting_on", "customer", "reason", "needs logs", NULL}},
    {SD_REQ_TICKET_RESOLVE, "resolve", "carol", {"resolution", "fixed", NULL}},
    {SD_REQ_TICKET_CLOSE, "close", "ann", {"satisfaction", "4", "feedback", "ok", NULL}},
    {SD_REQ_TICKET_REOPEN, "reopen", "ann", {"reason", "broken again", NULL}},
    {SD_REQ_TICKET_CANCEL, "cancel", "ann", {"reason", "duplicate", NULL}},
    {SD_REQ_TICKET_COMMENT, "comment", "ann", {"body", "note", NULL}},
    {SD_REQ_TICKET_UPDATE, "update", "ann", {"title", "Cannot print in colour", NULL}},
    {SD_REQ_TICKET_HANDOVER, "handover", "ann", {"site", "EMEA", NULL}},
};
#define OP_CASES (sizeof s_ops / sizeof s_ops[0])

/* What each status allows (in the order sd_workflow_allowed lists them), and
 * the requests that bring a new ticket there (see the diagram in workflow.h). */
static const struct {
    const char *allowed;
    int path[6]; /* indexes into s_ops, -1 ends */
} s_statuses[SD_STATUS_COUNT_] = {
    [SD_STATUS_NEW] = {"ack, cancel, comment, update, handover", {-1}},
    [SD_STATUS_ACKNOWLEDGED] = {"assign, cancel, comment, update, handover", {0, -1}},
    [SD_STATUS_ASSIGNED] = {"assign, start, resolve, cancel, comment, update, handover",
                            {0, 1, -1}},
    [SD_STATUS_IN_PROGRESS] = {"assign, pending, resolve, cancel, comment, update, handover",
                               {0, 1, 2, -1}},
    [SD_STATUS_PENDING] = {"assign, start, resolve, cancel, comment, update, handover",
                           {0, 1, 2, 3, -1}},
    [SD_STATUS_RESOLVED] = {"close, reopen, comment, update", {0, 1, 2, 4, -1}},
    [SD_STATUS_CLOSED] = {"reopen, comment", {0, 1, 2, 4, 5, -1}},
    [SD_STATUS_CANCELLED] = {"nothing (the ticket is final)", {7, -1}},
};

static int s_send_case(fx_t *fx, const s_op_case_t *c)
{
    sd_request_clear(&fx->req);
    fx->req.op = c->op;
    fx->ctx.author = c->author;
    for (int i = 0; c->args[i]; i += 2)
        assert_int_equal(sd_test_arg(&fx->req, c->args[i], c->args[i + 1]), 0);
    return s_submit(fx);
}

/* True when verb is one of the comma-separated words of list. */
static bool s_listed(const char *list, const char *verb)
{
    size_t n = strlen(verb);
    for (const char *p = list; (p = strstr(p, verb)) != NULL; p += n)
        if ((p == list || p[-2] == ',') && (p[n] == 0 || p[n] == ','))
            return true;
    return false;
}

/* The status a successful request leaves the ticket in. */
static int s_after(int op, int from)
{
    switch (op) {
    case SD_REQ_TICKET_ACK:
        return SD_STATUS_ACKNOWLEDGED;
    case SD_REQ_TICKET_ASSIGN:
        return from == SD_STATUS_ACKNOWLEDGED ? SD_STATUS_ASSIGNED : from;
    case SD_REQ_TICKET_START:
        return SD_STATUS_IN_PROGRESS;
    case SD_REQ_TICKET_PENDING:
        return SD_STATUS_PENDING;
    case SD_REQ_TICKET_RESOLVE:
        return SD_STATUS_RESOLVED;
    case SD_REQ_TICKET_CLOSE:
        return SD_STATUS_CLOSED;
    case SD_REQ_TICKET_REOPEN:
        return SD_STATUS_IN_PROGRESS;
    case SD_REQ_TICKET_CANCEL:
        return SD_STATUS_CANCELLED;
    default:
        return from; /* comment, update */
    }
}

static void test_every_status_every_request(void **state)
{
    fx_t *fx = *state;
    for (int status = 0; status < SD_STATUS_COUNT_; status++) {
        char allowed[200];
        sd_workflow_allowed(status, allowed, sizeof allowed);
        assert_string_equal(allowed, s_statuses[status].allowed);

        for (size_t o = 0; o < OP_CASES; o++) {
            const s_op_case_t *c = &s_ops[o];
            /* A fresh ticket, brought to `status`. */
            sd_ticket_clear(&fx->t);
            fx->ctx.now_ms = T0;
            s_create(fx);
            for (int i = 0; s_statuses[status].path[i] >= 0; i++) {
                fx->ctx.now_ms += MINUTE;
                assert_int_equal(s_send_case(fx, &s_ops[s_statuses[status].path[i]]), 0);
            }
            assert_int_equal(fx->t.status, status);
            size_t comments = fx->t.ncomments;

            fx->ctx.now_ms += MINUTE;
            int rc = s_send_case(fx, c);
            if (s_listed(s_statuses[status].allowed, c->verb)) {
                if (rc)
                    fail_msg("%s in %s refused: %s", c->verb, sd_status_name(status),
                             fx->fault.text);
                assert_int_equal(fx->t.status, s_after(c->op, status));
                if (c->op == SD_REQ_TICKET_COMMENT)
                    assert_int_equal(fx->t.ncomments, comments + 1);
                if (c->op == SD_REQ_TICKET_UPDATE)
                    assert_string_equal(fx->t.title, "Cannot print in colour");
                if (c->op == SD_REQ_TICKET_ASSIGN)
                    assert_string_equal(fx->t.assignee, "carol");
            } else {
                if (rc != SD_ETRANSITION)
                    fail_msg("%s in %s: rc %d, want SD_ETRANSITION", c->verb,
                             sd_status_name(status), rc);
                assert_int_equal(fx->fault.code, SD_ETRANSITION);
                assert_int_equal(fx->t.status, status);
                /* "ticket HQ-000001 is new; start is not allowed (allowed: ack, ...)" */
                char want[300];
                snprintf(want, sizeof want, "ticket %s is %s; %s is not allowed (allowed: %s)", ID,
                         sd_status_name(status), c->verb, s_statuses[status].allowed);
                assert_string_equal(fx->fault.text, want);
                /* A refused request leaves no half-built event. */
                assert_int_equal(fx->ev.mask, 0);
                assert_null(fx->ev.fields);
                assert_null(fx->ev.item);
            }
        }
    }
}

/* ---- creation, priority, due times -------------------------------------- */

static void test_create_defaults(void **state)
{
    fx_t *fx = *state;
    s_create(fx);
    const sd_ticket_t *t = &fx->t;
    assert_int_equal(fx->ev.op, SD_OP_CREATE);
    assert_string_equal(fx->ev.author, "ann");
    assert_int_equal(fx->ev.mask, sd_ticket_all_fields()); /* a create writes every register */
    assert_true(sd_ticket_exists(t));
    assert_string_equal(t->id, ID);
    assert_int_equal(t->status, SD_STATUS_NEW);
    assert_int_equal(t->created_at, T0);
    assert_string_equal(t->origin_site, "HQ");
    assert_string_equal(t->title, "Cannot print");
    assert_string_equal(t->requester, "bob@example.com");
    assert_int_equal(t->type, SD_TYPE_INCIDENT);
    assert_false(t->major);
    assert_int_equal(t->channel, SD_CHANNEL_WEB);
    assert_int_equal(t->impact, 2);
    assert_int_equal(t->urgency, 2);
    assert_int_equal(t->priority, SD_P3);
    assert_int_equal(t->tier, SD_TIER_L1);
    assert_null(t->assignee);
    assert_null(t->description);
    /* "Whoever takes the call follows it to the end." */
    assert_string_equal(t->owner, "ann");
    assert_string_equal(t->owner_site, "HQ");
    assert_int_equal(t->acknowledged_at, 0);
    assert_int_equal(t->reopen_count, 0);
    assert_int_equal(t->ncomments, 0);
}

static void test_create_with_every_field(void **state)
{
    fx_t *fx = *state;
    s_ok(fx, "ann", SD_REQ_TICKET_NEW, "title", "Core switch down", "requester", "noc", "type",
         "change", "major", "yes", "description", "all floors", "channel", "monitoring", "category",
         "network/core", "impact", "1", "urgency", "3", "tier", "L2", "team", "network", "assignee",
         "dave", NULL);
    const sd_ticket_t *t = &fx->t;
    assert_int_equal(t->type, SD_TYPE_CHANGE);
    assert_true(t->major);
    assert_string_equal(t->description, "all floors");
    assert_int_equal(t->channel, SD_CHANNEL_MONITORING);
    assert_string_equal(t->category, "network/core");
    assert_int_equal(t->priority, SD_P3); /* impact 1 x urgency 3 */
    assert_int_equal(t->tier, SD_TIER_L2);
    assert_string_equal(t->team, "network");
    assert_string_equal(t->assignee, "dave");
    assert_int_equal(t->status, SD_STATUS_NEW);
}

/* The author is the caller the node authenticated, never a request argument; a ticket opened
 * without a requester is the caller's own. */
static void test_author_is_the_caller(void **state)
{
    fx_t *fx = *state;
    s_ok(fx, "bob", SD_REQ_TICKET_NEW, "title", "My screen flickers", NULL);
    assert_string_equal(fx->ev.author, "bob");
    assert_string_equal(fx->t.requester, "bob");
    assert_string_equal(fx->t.owner, "bob");
    s_ok(fx, "ann", SD_REQ_TICKET_ACK, NULL);
    assert_string_equal(fx->ev.author, "ann");
    assert_string_equal(fx->t.owner, "bob"); /* the owner is whoever opened it */
    s_ok(fx, "ann", SD_REQ_TICKET_COMMENT, "body", "On my way", NULL);
    assert_string_equal(fx->t.comments[0].author, "ann");
}

static void test_priority_matrix_and_due_times(void **state)
{
    fx_t *fx = *state;
    /* impact (row) x urgency (column), 1 = high. */
    static const int want[3][3] = {
        {SD_P1, SD_P2, SD_P3}, {SD_P2, SD_P3, SD_P4}, {SD_P3, SD_P4, SD_P4}};
    /* Reply promises: urgent (P1/P2) 1 hour, normal (P3/P4) 1 day. */
    static const uint64_t response_h[] = {1, 1, 24, 24}, resolve_h[] = {4, 8, 72, 120};
    for (int impact = 1; impact <= 3; impact++) {
        for (int urgency = 1; urgency <= 3; urgency++) {
            char i[2] = {(char)('0' + impact), 0}, u[2] = {(char)('0' + urgency), 0};
            sd_ticket_clear(&fx->t);
            s_ok(fx, "ann", SD_REQ_TICKET_NEW, "title", "x", "requester", "bob", "impact", i,
                 "urgency", u, NULL);
            int p = want[impact - 1][urgency - 1];
            assert_int_equal(fx->t.priority, p);
            assert_int_equal(fx->t.response_due, T0 + response_h[p] * SD_HOUR_MS);
            assert_int_equal(fx->t.resolve_due, T0 + resolve_h[p] * SD_HOUR_MS);
        }
    }
}

static void test_update(void **state)
{
    fx_t *fx = *state;
    s_create(fx); /* P3 at T0 */
    uint64_t title_stamp = fx->t.stamps[SD_REG_TITLE].hlc;

    /* Raising the impact later re-derives priority and due times from created_at. */
    fx->ctx.now_ms = T0 + 5 * SD_HOUR_MS;
    s_ok(fx, "ann", SD_REQ_TICKET_UPDATE, "impact", "1", NULL);
    assert_int_equal(fx->ev.op, SD_OP_UPDATE);
    assert_int_equal(fx->ev.mask, sd_ticket_register_mask(SD_REG_PRIORITY));
    assert_int_equal(fx->t.impact, 1);
    assert_int_equal(fx->t.urgency, 2); /* kept */
    assert_int_equal(fx->t.priority, SD_P2);
    assert_int_equal(fx->t.response_due, T0 + 1 * SD_HOUR_MS);
    assert_int_equal(fx->t.resolve_due, T0 + 8 * SD_HOUR_MS);
    assert_int_equal(fx->t.stamps[SD_REG_TITLE].hlc, title_stamp); /* untouched register */

    /* Part of a register: the rest of it is carried from the current ticket. */
    s_ok(fx, "ann", SD_REQ_TICKET_UPDATE, "major", "true", NULL);
    assert_int_equal(fx->ev.mask, sd_ticket_register_mask(SD_REG_TYPE));
    assert_true(fx->t.major);
    assert_int_equal(fx->t.type, SD_TYPE_INCIDENT);
    s_ok(fx, "ann", SD_REQ_TICKET_UPDATE, "channel", "phone", NULL);
    assert_int_equal(fx->t.channel, SD_CHANNEL_PHONE);
    assert_string_equal(fx->t.requester, "bob@example.com");

    /* Several registers in one update. */
    s_ok(fx, "ann", SD_REQ_TICKET_UPDATE, "title", "Printer jam", "description", "tray 2",
         "category", "hardware/printer", "requester", "ann@example.com", NULL);
    assert_int_equal(fx->ev.mask, sd_ticket_register_mask(SD_REG_TITLE) |
                                      sd_ticket_register_mask(SD_REG_DESC) |
                                      sd_ticket_register_mask(SD_REG_CATEGORY) |
                                      sd_ticket_register_mask(SD_REG_REQUESTER) |
                                      /* a new requester may be a VIP */
                                      sd_ticket_register_mask(SD_REG_PRIORITY));
    assert_string_equal(fx->t.title, "Printer jam");
    assert_string_equal(fx->t.description, "tray 2");
    assert_string_equal(fx->t.category, "hardware/printer");
    assert_string_equal(fx->t.requester, "ann@example.com");
    assert_int_equal(fx->t.channel, SD_CHANNEL_PHONE);
    assert_int_equal(fx->t.status, SD_STATUS_NEW);
}

static void test_update_without_fields_refused(void **state)
{
    fx_t *fx = *state;
    s_create(fx);
    assert_int_equal(s_send(fx, "ann", SD_REQ_TICKET_UPDATE, NULL), SD_EMISSING);
    assert_int_equal(fx->fault.code, SD_EMISSING);
    assert_non_null(strstr(fx->fault.text, "at least one field"));
    assert_int_equal(fx->ev.mask, 0);
}

/* ---- transitions -------------------------------------------------------- */

static void test_ack_sets_reply_due(void **state)
{
    fx_t *fx = *state;
    s_create(fx);
    fx->ctx.now_ms = T0 + 10 * MINUTE;
    s_ok(fx, "ann", SD_REQ_TICKET_ACK, NULL);
    assert_int_equal(fx->ev.mask, sd_ticket_register_mask(SD_REG_STATUS));
    assert_int_equal(fx->t.status, SD_STATUS_ACKNOWLEDGED);
    assert_int_equal(fx->t.acknowledged_at, T0 + 10 * MINUTE);
    assert_int_equal(fx->t.reply_due, fx->t.response_due); /* the policy's promise */

    /* The agent may promise another time. */
    sd_ticket_clear(&fx->t);
    fx->ctx.now_ms = T0;
    s_create(fx);
    s_ok(fx, "ann", SD_REQ_TICKET_ACK, "reply_due", "1700000900000", NULL);
    assert_int_equal(fx->t.reply_due, 1700000900000ull);
    assert_int_equal(fx->t.acknowledged_at, T0);
}

static void test_assign_and_reassign(void **state)
{
    fx_t *fx = *state;
    s_create(fx);
    s_ok(fx, "ann", SD_REQ_TICKET_ACK, NULL);
    s_ok(fx, "ann", SD_REQ_TICKET_ASSIGN, "assignee", "carol", "team", "desktop", "tier", "L1.5",
         NULL);
    assert_int_equal(fx->ev.op, SD_OP_ASSIGN);
    assert_int_equal(fx->ev.mask, sd_ticket_register_mask(SD_REG_ASSIGN) |
                                      sd_ticket_register_mask(SD_REG_STATUS));
    assert_int_equal(fx->t.status, SD_STATUS_ASSIGNED);
    assert_string_equal(fx->t.assignee, "carol");
    assert_string_equal(fx->t.team, "desktop");
    assert_int_equal(fx->t.tier, SD_TIER_L1_5);
    uint64_t acked = fx->t.acknowledged_at;
    assert_true(acked != 0);

    /* Reassigning work in progress keeps its status; team and tier stay unless given. */
    s_ok(fx, "carol", SD_REQ_TICKET_START, NULL);
    s_ok(fx, "carol", SD_REQ_TICKET_ASSIGN, "assignee", "dave", NULL);
    assert_int_equal(fx->ev.mask, sd_ticket_register_mask(SD_REG_ASSIGN));
    assert_int_equal(fx->t.status, SD_STATUS_IN_PROGRESS);
    assert_string_equal(fx->t.assignee, "dave");
    assert_string_equal(fx->t.team, "desktop");
    assert_int_equal(fx->t.tier, SD_TIER_L1_5);
    assert_int_equal(fx->t.acknowledged_at, acked);

    /* Escalation while pending keeps it pending, and what it waits for. */
    s_ok(fx, "dave", SD_REQ_TICKET_PENDING, "waiting_on", "vendor", "reason", "RMA", NULL);
    s_ok(fx, "dave", SD_REQ_TICKET_ASSIGN, "assignee", "erin", "tier", "vendor", NULL);
    assert_int_equal(fx->t.status, SD_STATUS_PENDING);
    assert_int_equal(fx->t.waiting_on, SD_WAIT_VENDOR);
    assert_string_equal(fx->t.status_reason, "RMA");
    assert_int_equal(fx->t.tier, SD_TIER_VENDOR);
}

static void test_pending_and_back(void **state)
{
    fx_t *fx = *state;
    s_create_in_progress(fx);
    s_ok(fx, "carol", SD_REQ_TICKET_PENDING, "waiting_on", "customer", "reason",
         "send the error text", NULL);
    assert_int_equal(fx->t.status, SD_STATUS_PENDING);
    assert_int_equal(fx->t.waiting_on, SD_WAIT_CUSTOMER);
    assert_string_equal(fx->t.status_reason, "send the error text");

    /* Back to work: what it waited for, and why, belong to the pending move. */
    s_ok(fx, "carol", SD_REQ_TICKET_START, NULL);
    assert_int_equal(fx->t.status, SD_STATUS_IN_PROGRESS);
    assert_int_equal(fx->t.waiting_on, SD_WAIT_NONE);
    assert_null(fx->t.status_reason);
}

/* Leaving pending moves the due times by the time the ticket waited, but the
 * response clock stopped at the acknowledgement: response_due stays as it was
 * (issue 19: "reply due 19:53Z, promised 18:30Z"). */
static void test_resume_moves_response_due_only_while_owed(void **state)
{
    fx_t *fx = *state;
    s_create_in_progress(fx); /* acknowledged at T0, no calendars: the wall clock */
    uint64_t response_due = fx->t.response_due, resolve_due = fx->t.resolve_due;
    fx->ctx.now_ms = T0 + 10 * MINUTE;
    s_ok(fx, "carol", SD_REQ_TICKET_PENDING, "waiting_on", "customer", NULL);
    fx->ctx.now_ms = T0 + 70 * MINUTE;
    s_ok(fx, "carol", SD_REQ_TICKET_START, NULL);
    assert_int_equal(fx->t.response_due, response_due);
    assert_int_equal(fx->t.resolve_due, resolve_due + 60 * MINUTE);

    /* A response still owed waited too, and moves; a first public reply ends it like an ack. */
    sd_ticket_t t = {.response_due = T0 + 60 * MINUTE,
                     .resolve_due = T0 + 240 * MINUTE,
                     .sla_paused_at = T0 + 10 * MINUTE};
    uint64_t resp, res;
    sd_sla_resume(NULL, &t, T0 + 70 * MINUTE, &resp, &res);
    assert_int_equal(resp, T0 + 120 * MINUTE);
    assert_int_equal(res, T0 + 300 * MINUTE);
    t.first_response_at = T0 + 5 * MINUTE;
    sd_sla_resume(NULL, &t, T0 + 70 * MINUTE, &resp, &res);
    assert_int_equal(resp, T0 + 60 * MINUTE);
    assert_int_equal(res, T0 + 300 * MINUTE);
}

/* A ticket pending on a vendor keeps the vendor and its case number after it resumes; a new
 * vendor without a reference forgets the old vendor's. */
static void test_pending_on_vendor_keeps_its_case(void **state)
{
    fx_t *fx = *state;
    s_create_in_progress(fx);
    s_ok(fx, "carol", SD_REQ_TICKET_PENDING, "waiting_on", "vendor", "vendor", "lenovo",
         "vendor_ref", "RMA-88231", NULL);
    assert_string_equal(fx->t.vendor, "lenovo");
    assert_string_equal(fx->t.vendor_ref, "RMA-88231");
    s_ok(fx, "carol", SD_REQ_TICKET_START, NULL);
    assert_int_equal(fx->t.waiting_on, SD_WAIT_NONE);
    assert_string_equal(fx->t.vendor_ref, "RMA-88231");
    s_ok(fx, "carol", SD_REQ_TICKET_PENDING, "waiting_on", "vendor", "vendor", "dell", NULL);
    assert_string_equal(fx->t.vendor, "dell");
    assert_null(fx->t.vendor_ref);
    s_ok(fx, "carol", SD_REQ_TICKET_START, NULL);
    s_ok(fx, "carol", SD_REQ_TICKET_UPDATE, "assets", "LT-0042,PH-0007", NULL);
    assert_string_equal(fx->t.assets, "LT-0042,PH-0007");
    assert_string_equal(fx->t.vendor, "dell"); /* an update leaves the vendor alone */
}

/* Encodes the request as a client would send it and decodes it as the node does. */
static int s_wire(const sd_request_t *req, sd_fault_t *fault)
{
    sd_mp_writer_t *w = sd_mp_writer_new();
    assert_non_null(w);
    sd_request_encode(req, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    sd_request_t back = {0};
    int rc = sd_request_decode(data, len, &back, fault);
    sd_request_clear(&back);
    sd_mp_writer_destroy(&w);
    return rc;
}

static void test_pending_needs_waiting_on(void **state)
{
    fx_t *fx = *state;
    sd_request_t req = {0};
    sd_fault_t fault = {0};
    /* Without waiting_on the request does not even reach the workflow. */
    assert_int_equal(sd_test_request(&req, SD_REQ_TICKET_PENDING, "id", ID, "reason", "logs", NULL),
                     0);
    assert_int_equal(s_wire(&req, &fault), SD_EMISSING);
    assert_non_null(strstr(fault.text, "waiting_on"));
    assert_int_equal(
        sd_test_request(&req, SD_REQ_TICKET_PENDING, "id", ID, "waiting_on", "customer", NULL), 0);
    assert_int_equal(s_wire(&req, &fault), 0);
    sd_request_clear(&req);

    /* Regression (fixed): "waiting_on": "none" passes the decoder and the workflow, giving a
     * pending ticket that waits for nothing, though ticket.h says waiting_on
     * is none only when the ticket is not pending. The workflow should refuse
     * it (e.g. SD_ERANGE) as it refuses other requests it cannot honour. */
    s_create_in_progress(fx);
    int rc = s_send(fx, "carol", SD_REQ_TICKET_PENDING, "waiting_on", "none", NULL);
    assert_int_not_equal(rc, 0);
    assert_int_equal(fx->t.status, SD_STATUS_IN_PROGRESS);
}

static void test_resolve_close_reopen(void **state)
{
    fx_t *fx = *state;
    s_create_in_progress(fx);

    fx->ctx.now_ms = T0 + 60 * MINUTE;
    s_ok(fx, "carol", SD_REQ_TICKET_RESOLVE, "resolution", "new toner", NULL);
    assert_int_equal(fx->t.status, SD_STATUS_RESOLVED);
    assert_int_equal(fx->t.resolved_at, T0 + 60 * MINUTE);
    assert_string_equal(fx->t.resolution, "new toner");
    assert_int_equal(fx->t.closed_at, 0);

    /* Closing records the actual completion and the customer's satisfaction. */
    fx->ctx.now_ms = T0 + 90 * MINUTE;
    s_ok(fx, "ann", SD_REQ_TICKET_CLOSE, "satisfaction", "5", "feedback", "fast!", NULL);
    assert_int_equal(fx->t.status, SD_STATUS_CLOSED);
    assert_int_equal(fx->t.closed_at, T0 + 90 * MINUTE);
    assert_int_equal(fx->t.resolved_at, T0 + 60 * MINUTE);
    assert_int_equal(fx->t.satisfaction, 5);
    assert_string_equal(fx->t.feedback, "fast!");

    /* Reopening clears the completion and counts. */
    fx->ctx.now_ms = T0 + 120 * MINUTE;
    s_ok(fx, "ann", SD_REQ_TICKET_REOPEN, "reason", "out of toner again", NULL);
    assert_int_equal(fx->t.status, SD_STATUS_IN_PROGRESS);
    assert_int_equal(fx->t.resolved_at, 0);
    assert_int_equal(fx->t.closed_at, 0);
    assert_int_equal(fx->t.satisfaction, 0);
    assert_null(fx->t.feedback);
    assert_string_equal(fx->t.status_reason, "out of toner again");
    assert_int_equal(fx->t.reopen_count, 1);
    assert_int_not_equal(fx->t.acknowledged_at, 0); /* history of the ack stays */

    /* Resolved (not closed) can be reopened too; the count keeps going. */
    s_ok(fx, "carol", SD_REQ_TICKET_RESOLVE, "resolution", "new drum", NULL);
    assert_null(fx->t.status_reason);
    s_ok(fx, "ann", SD_REQ_TICKET_REOPEN, "reason", "streaks", NULL);
    assert_int_equal(fx->t.reopen_count, 2);
    assert_int_equal(fx->t.resolved_at, 0);
}

static void test_cancel(void **state)
{
    fx_t *fx = *state;
    s_create(fx);
    s_ok(fx, "ann", SD_REQ_TICKET_CANCEL, "reason", "raised twice", NULL);
    assert_int_equal(fx->ev.op, SD_OP_CANCEL);
    assert_int_equal(fx->t.status, SD_STATUS_CANCELLED);
    assert_string_equal(fx->t.status_reason, "raised twice");
}

/* ---- comments ----------------------------------------------------------- */

static void test_comment(void **state)
{
    fx_t *fx = *state;
    s_create(fx);
    fx->ctx.now_ms = T0 + 5 * MINUTE;
    s_ok(fx, "ann", SD_REQ_TICKET_COMMENT, "body", "internal: check the spooler", NULL);
    assert_int_equal(fx->ev.op, SD_OP_COMMENT);
    assert_int_equal(fx->ev.mask, 0); /* a comment writes no register */
    assert_false(fx->t.comments[0].public_reply);
    assert_int_equal(fx->t.first_response_at, 0);

    fx->ctx.now_ms = T0 + 7 * MINUTE;
    s_ok(fx, "ann", SD_REQ_TICKET_COMMENT, "body", "We are looking at it", "public", "true", NULL);
    assert_int_equal(fx->t.ncomments, 2);
    assert_string_equal(fx->t.comments[1].body, "We are looking at it");
    assert_string_equal(fx->t.comments[1].author, "ann");
    assert_true(fx->t.comments[1].public_reply);
    assert_int_equal(fx->t.first_response_at, T0 + 7 * MINUTE);
    assert_int_equal(fx->t.status, SD_STATUS_NEW);
}

static void test_comment_limit(void **state)
{
    fx_t *fx = *state;
    s_create(fx);
    for (int i = 0; i < SD_COMMENTS_MAX; i++)
        s_ok(fx, "ann", SD_REQ_TICKET_COMMENT, "body", "ping", NULL);
    assert_int_equal(fx->t.ncomments, SD_COMMENTS_MAX);
    assert_int_equal(s_send(fx, "ann", SD_REQ_TICKET_COMMENT, "body", "one more", NULL),
                     SD_ETOOBIG);
    assert_int_equal(fx->fault.code, SD_ETOOBIG);
    assert_non_null(strstr(fx->fault.text, "2000"));
    assert_int_equal(fx->t.ncomments, SD_COMMENTS_MAX);
    /* Other requests still work on a full ticket. */
    s_ok(fx, "ann", SD_REQ_TICKET_ACK, NULL);
}

/* ---- unknown tickets, reading requests ---------------------------------- */

static void test_unknown_ticket(void **state)
{
    fx_t *fx = *state;
    for (size_t o = 0; o < OP_CASES; o++) {
        int rc = s_send_case(fx, &s_ops[o]); /* fx->t was never created */
        if (rc != SD_ENOTFOUND)
            fail_msg("%s on a missing ticket: rc %d", s_ops[o].verb, rc);
        assert_int_equal(fx->fault.code, SD_ENOTFOUND);
        assert_non_null(strstr(fx->fault.text, ID));
    }
}

static void test_reading_request_refused(void **state)
{
    fx_t *fx = *state;
    s_create(fx);
    assert_int_equal(s_send(fx, "ann", SD_REQ_TICKET_GET, NULL), SD_EUNKNOWN_OP);
    assert_non_null(strstr(fx->fault.text, "ticket.get"));
}

/* The handover note says what a pending ticket awaits, with the reason when there is one. */
static void test_handover_note_awaiting(void **state)
{
    fx_t *fx = *state;
    sd_ticket_t t = {.status = SD_STATUS_PENDING, .waiting_on = SD_WAIT_VENDOR};
    char note[SD_NOTE_MAX];
    strcpy(t.id, "HQ-000001");
    t.owner_site = "HQ";
    t.status_reason = "";
    sd_handover_note(&fx->ctx, &t, "EMEA", "HQ off duty", NULL, note, sizeof note);
    assert_non_null(strstr(note, "\nAwaiting: vendor.\n"));
    t.status_reason = "RMA 42";
    sd_handover_note(&fx->ctx, &t, "EMEA", "HQ off duty", NULL, note, sizeof note);
    assert_non_null(strstr(note, "\nAwaiting: vendor, RMA 42.\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_status_every_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_with_every_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_author_is_the_caller, setup, teardown),
        cmocka_unit_test_setup_teardown(test_priority_matrix_and_due_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_without_fields_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ack_sets_reply_due, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assign_and_reassign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_and_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resume_moves_response_due_only_while_owed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pending_needs_waiting_on, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve_close_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comment_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_ticket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reading_request_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover_note_awaiting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_on_vendor_keeps_its_case, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
