/* audit.c - refusals, rate-limited per identity, written in batches. */
#include "audit.h"

#include "error.h"
#include "log.h"
#include "mp.h"
#include "sizes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SD_AUDIT_IDS 64 /* identities whose rate is tracked */

typedef struct {
    uint64_t at;
    char who[SD_NAME_MAX + 1], via[96], op[40], record[SD_ID_MAX + 1];
    int code;
    char reason[SD_AUDIT_REASON];
    uint64_t count; /* 1, or the refusals a "more" entry stands for */
} s_entry_t;

typedef struct {
    char key[SD_NAME_MAX + 1]; /* who, or via when who is unknown */
    uint64_t minute;           /* the minute counted */
    int count;                 /* refusals in it */
    uint64_t suppressed;       /* beyond SD_AUDIT_PER_MIN */
    char via[96], op[40];      /* of the last suppressed one */
} s_rate_t;

struct sd_audit {
    char site[SD_SITE_MAX + 1];
    s_entry_t pending[SD_AUDIT_PENDING];
    size_t npending;
    uint64_t dropped; /* pending was full */
    s_rate_t rates[SD_AUDIT_IDS];
    uint32_t n; /* distinguishes entries of the same ms */
};

int sd_audit_new(const char *site, sd_audit_t **out)
{
    sd_audit_t *a = calloc(1, sizeof *a);
    if (!a)
        return SD_ENOMEM;
    snprintf(a->site, sizeof a->site, "%s", site);
    *out = a;
    return 0;
}

void sd_audit_destroy(sd_audit_t **a)
{
    if (a) {
        free(*a);
        *a = NULL;
    }
}

static void s_queue(sd_audit_t *a, const s_entry_t *e)
{
    if (a->npending == SD_AUDIT_PENDING) {
        a->dropped += e->count;
        return;
    }
    a->pending[a->npending++] = *e;
}

/* The "N more" entry of a rate slot whose minute is over. */
static void s_more(sd_audit_t *a, s_rate_t *r)
{
    if (!r->suppressed)
        return;
    s_entry_t e = {.at = (r->minute + 1) * 60000, .code = SD_EFORBIDDEN, .count = r->suppressed};
    snprintf(e.who, sizeof e.who, "%s", r->key);
    snprintf(e.via, sizeof e.via, "%s", r->via);
    snprintf(e.op, sizeof e.op, "%s", r->op);
    snprintf(e.reason, sizeof e.reason, "%llu more refusals in that minute, not kept one by one",
             (unsigned long long)r->suppressed);
    s_queue(a, &e);
    r->suppressed = 0;
}

static s_rate_t *s_rate(sd_audit_t *a, const char *key, uint64_t minute)
{
    s_rate_t *pick = &a->rates[0];
    for (int i = 0; i < SD_AUDIT_IDS; i++) {
        s_rate_t *r = &a->rates[i];
        if (strcmp(r->key, key) == 0)
            return r;
        if (r->minute < pick->minute)
            pick = r;
    }
    s_more(a, pick);
    *pick = (s_rate_t){.minute = minute};
    snprintf(pick->key, sizeof pick->key, "%s", key);
    return pick;
}

void sd_audit_refused(sd_audit_t *a, uint64_t now_ms, const char *who, const char *via,
                      const char *op, const char *record, int code, const char *reason)
{
    uint64_t minute = now_ms / 60000;
    s_rate_t *r = s_rate(a, who && *who ? who : via, minute);
    if (r->minute != minute) {
        s_more(a, r);
        r->minute = minute;
        r->count = 0;
    }
    if (++r->count > SD_AUDIT_PER_MIN) {
        r->suppressed++;
        snprintf(r->via, sizeof r->via, "%s", via);
        snprintf(r->op, sizeof r->op, "%s", op);
        return;
    }
    s_entry_t e = {.at = now_ms, .code = code, .count = 1};
    snprintf(e.who, sizeof e.who, "%s", who ? who : "");
    snprintf(e.via, sizeof e.via, "%s", via ? via : "");
    snprintf(e.op, sizeof e.op, "%s", op);
    snprintf(e.record, sizeof e.record, "%s", record ? record : "");
    snprintf(e.reason, sizeof e.reason, "%s", reason ? reason : "");
    s_queue(a, &e);
}

bool sd_audit_pending(const sd_audit_t *a)
{
    return a->npending > 0;
}

static void s_encode(const sd_audit_t *a, const s_entry_t *e, sd_mp_writer_t *w)
{
    sd_mp_map(w, 9);
    sd_mp_str(w, "at");
    sd_mp_u64(w, e->at);
    sd_mp_str(w, "site");
    sd_mp_str(w, a->site);
    sd_mp_str(w, "user");
    sd_mp_str(w, e->who);
    sd_mp_str(w, "via");
    sd_mp_str(w, e->via);
    sd_mp_str(w, "op");
    sd_mp_str(w, e->op);
    sd_mp_str(w, "record");
    sd_mp_str(w, e->record);
    sd_mp_str(w, "outcome");
    sd_mp_str(w, sd_error_name(e->code));
    sd_mp_str(w, "reason");
    sd_mp_str(w, e->reason);
    sd_mp_str(w, "count");
    sd_mp_u64(w, e->count);
}

typedef struct {
    sd_audit_t *a;
    sd_mp_writer_t *w;
} s_flush_t;

static int s_write(sd_store_txn_t *txn, void *arg)
{
    s_flush_t *f = arg;
    int rc = 0;
    for (size_t i = 0; i < f->a->npending && !rc; i++) {
        sd_mp_writer_reset(f->w);
        s_encode(f->a, &f->a->pending[i], f->w);
        size_t len;
        const void *data = sd_mp_writer_data(f->w, &len);
        rc = sd_mp_writer_error(f->w)
                 ? SD_ENOMEM
                 : sd_store_put_denial(txn, f->a->pending[i].at, f->a->n + (uint32_t)i, data, len);
    }
    return rc;
}

int sd_audit_flush(sd_audit_t *a, sd_store_t *store, uint64_t now_ms)
{
    uint64_t minute = now_ms / 60000;
    for (int i = 0; i < SD_AUDIT_IDS; i++)
        if (a->rates[i].key[0] && a->rates[i].minute != minute)
            s_more(a, &a->rates[i]);
    if (!a->npending)
        return 0;
    s_flush_t f = {a, sd_mp_writer_new()};
    int rc = f.w ? sd_store_write(store, s_write, NULL, &f) : SD_ENOMEM;
    sd_mp_writer_destroy(&f.w);
    if (rc)
        sd_log(SD_LOG_WARNING, "audit: cannot record refusals: count=%zu error=%s", a->npending,
               sd_error_name(rc));
    if (a->dropped)
        sd_log(SD_LOG_WARNING, "audit: refusals not recorded (queue full): count=%llu",
               (unsigned long long)a->dropped);
    a->n += (uint32_t)a->npending;
    a->npending = 0;
    a->dropped = 0;
    return rc;
}
