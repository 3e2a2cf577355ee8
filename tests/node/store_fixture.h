/* store_fixture.h - the world of the store tests: a store in a temporary directory, sites, clocks.
 * Requests go through the real workflow and land with sd_store_apply, as the server does. */
#ifndef SD_STORE_FIXTURE_H
#define SD_STORE_FIXTURE_H

#include "node_test.h"

#include "error.h"
#include "event.h"
#include "fold.h"
#include "hlc.h"
#include "request.h"
#include "store.h"
#include "ticket_store.h"
#include "workflow.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define T0       1700000000000ull /* a wall clock, Unix ms */
#define MINUTE   (60ull * 1000)
#define MAX_IDS  32
#define MAX_SITE 4

/* One test's world: a store in a temporary directory, the policy and a clock per site. */
typedef struct {
    char dir[256];                         /* temporary directory holding the store */
    sd_store_t *store;                     /* the store of site HQ */
    sd_policy_t policy;                    /* default priorities and due times */
    uint64_t now;                          /* wall clock of the next request */
    char sites[MAX_SITE][SD_SITE_MAX + 1]; /* sites that made events so far */
    sd_hlc_t clocks[MAX_SITE];             /* and their clocks */
    sd_request_t req;                      /* scratch request */
} fx_t;

static inline int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || sd_test_mkdtemp(fx->dir, sizeof fx->dir, "sd-store") != 0)
        return -1;
    sd_policy_default(&fx->policy);
    fx->now = T0;
    if (sd_store_open(fx->dir, "HQ", &fx->store) != 0)
        return -1;
    *state = fx;
    return 0;
}

static inline int teardown(void **state)
{
    fx_t *fx = *state;
    sd_store_close(&fx->store);
    sd_request_clear(&fx->req);
    sd_test_rmtree(fx->dir);
    free(fx);
    return 0;
}

/* The hybrid clock of a site (each site stamps its own events). */
static sd_hlc_t *s_clock(fx_t *fx, const char *site)
{
    for (int i = 0; i < MAX_SITE; i++) {
        if (!fx->sites[i][0])
            strcpy(fx->sites[i], site);
        if (strcmp(fx->sites[i], site) == 0)
            return &fx->clocks[i];
    }
    fail_msg("too many sites");
    return NULL;
}

/* Does what the node does for one writing request (node/server.c): read the
 * ticket, let the workflow build the event, stamp it with origin, seq, hlc
 * and key, and apply it, all inside txn. `origin` is the site making the
 * event, `author` the caller the node authenticated. For ticket.new the new
 * id is written to id; otherwise id names the ticket. The arguments are
 * name/value pairs ending with NULL. */
static inline int s_do(fx_t *fx, sd_store_txn_t *txn, const char *origin, const char *author,
                       int op, char *id, ...)
{
    va_list ap;
    va_start(ap, id);
    int rc = sd_test_request_v(&fx->req, op, ap);
    va_end(ap);
    assert_int_equal(rc, 0);
    sd_ticket_t cur = {0};
    sd_event_t ev = {0};
    sd_fault_t fault = {0};
    bool have = false;
    if (op == SD_REQ_TICKET_NEW) {
        rc = sd_store_next_ticket_id(txn, id);
    } else {
        assert_int_equal(sd_test_arg(&fx->req, "id", id), 0);
        rc = sd_store_get_ticket(txn, id, &cur);
        have = rc == 0;
        if (rc == SD_ENOTFOUND)
            rc = 0;
    }
    sd_workflow_ctx_t ctx = {
        .site = origin, .policy = &fx->policy, .now_ms = fx->now, .author = author};
    rc = rc ?: sd_workflow_build(&ctx, have ? &cur : NULL, &fx->req, &ev, &fault);
    if (!rc) {
        strcpy(ev.origin, origin);
        strcpy(ev.key, id);
        ev.hlc = sd_hlc_tick(s_clock(fx, origin), fx->now);
        rc = sd_store_next_seq(txn, origin, &ev.seq) ?: sd_store_apply(txn, &ev);
    }
    sd_ticket_clear(&cur);
    sd_event_clear(&ev);
    return rc;
}

/* Creates a ticket at HQ with the given requester, impact and urgency. */
static inline void s_new(fx_t *fx, sd_store_txn_t *txn, char *id, const char *requester,
                         const char *impact, const char *urgency)
{
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_NEW, id, "title", "Printer on fire",
                          "requester", requester, "impact", impact, "urgency", urgency, NULL),
                     0);
}

/* Ticket id acknowledged by ann, who assigns it to assignee. */
static inline void s_ack_assign(fx_t *fx, sd_store_txn_t *txn, char *id, const char *assignee)
{
    assert_int_equal(s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_ACK, id, NULL), 0);
    assert_int_equal(
        s_do(fx, txn, "HQ", "ann", SD_REQ_TICKET_ASSIGN, id, "assignee", assignee, NULL), 0);
}

/* Status of ticket id as the store holds it. */
static inline int s_status(sd_store_txn_t *txn, const char *id)
{
    sd_ticket_t t = {0};
    assert_int_equal(sd_store_get_ticket(txn, id, &t), 0);
    int status = t.status;
    sd_ticket_clear(&t);
    return status;
}

static inline void s_digest(sd_store_t *store, char hex[SD_DIGEST_BYTES * 2 + 1])
{
    sd_store_txn_t *txn = NULL;
    assert_int_equal(sd_store_begin(store, false, &txn), 0);
    assert_int_equal(sd_store_digest(txn, hex), 0);
    sd_store_abort(&txn);
}

/* ---- open, reopen, identity -------------------------------------------- */

/* Asserts the status counts: the (status, count) pairs given, ending with -1;
 * every status not listed must count 0. */
static inline void s_assert_counts(sd_store_txn_t *txn, ...)
{
    uint64_t counts[SD_STATUS_COUNT_], want[SD_STATUS_COUNT_] = {0};
    va_list ap;
    va_start(ap, txn);
    int s;
    while ((s = va_arg(ap, int)) >= 0)
        want[s] = (uint64_t)va_arg(ap, int);
    va_end(ap);
    assert_int_equal(sd_store_count(txn, counts), 0);
    for (s = 0; s < SD_STATUS_COUNT_; s++)
        if (counts[s] != want[s])
            fail_msg("count %s: %llu, want %llu", sd_status_name(s), (unsigned long long)counts[s],
                     (unsigned long long)want[s]);
}

#endif
