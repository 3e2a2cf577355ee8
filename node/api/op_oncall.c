/* op_oncall.c - the on-call ops (op_oncall.h). */
#include "op_oncall.h"

#include "error.h"
#include "oncall.h"
#include "oncall_kind.h"
#include "record.h"
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int s_override(const sd_api_write_ctx_t *ctx, const sd_request_t *req, sd_event_t *ev,
                      sd_fault_t *fault)
{
    const sd_oncall_args_t *a = &req->args.oncall;
    int64_t from = (int64_t)a->from, until = (int64_t)a->until;
    int rc = sd_login_check(a->login, "args.login", fault);
    if (rc)
        return rc;
    if (until <= from)
        return sd_fault_set(fault, SD_ERANGE, "args.until: must be after from");
    if (sd_oncall_find(ctx->wf->sched, a->roster) < 0)
        return sd_fault_set(fault, SD_ERANGE,
                            "args.roster: no roster '%s' in the schedule (schedule/oncall)",
                            a->roster);
    if ((rc = sd_event_start(ev, &sd_kind_oncall, SD_OOP_CREATE)) != 0)
        return rc;
    snprintf(ev->author, sizeof ev->author, "%s", ctx->wf->author);
    sd_oncall_t *f = sd_event_oncall(ev);
    ev->mask |= sd_kind_register_mask(&sd_kind_oncall, SD_OREG_CREATED) |
                sd_kind_register_mask(&sd_kind_oncall, SD_OREG_SPAN);
    f->created_at = ctx->wf->now_ms;
    f->from_at = (uint64_t)from;
    f->until_at = (uint64_t)until;
    return sd_api_set_str(&f->origin_site, ctx->wf->site) ?: sd_api_set_str(&f->roster, a->roster)
                                                             ?: sd_api_set_str(&f->login, a->login)
                                                                    ?: sd_api_set_str(&f->reason,
                                                                                      a->reason);
}

int sd_api_oncall_write(const sd_api_write_ctx_t *ctx, const void *cur_record,
                        const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_oncall_t *cur = cur_record;
    int rc;
    if (req->op == SD_REQ_ONCALL_OVERRIDE)
        rc = s_override(ctx, req, ev, fault);
    else if (!cur)
        return sd_fault_set(fault, SD_ENOTFOUND, "override %s does not exist", req->args.oncall.id);
    else if (cur->cancelled)
        return sd_fault_set(fault, SD_ETRANSITION, "override %s is cancelled already", cur->id);
    else if ((rc = sd_event_start(ev, &sd_kind_oncall, SD_OOP_CANCEL)) == 0) {
        snprintf(ev->author, sizeof ev->author, "%s", ctx->wf->author);
        ev->mask |= sd_kind_register_mask(&sd_kind_oncall, SD_OREG_CANCEL);
        sd_event_oncall(ev)->cancelled = true;
        rc = sd_api_set_str(&sd_event_oncall(ev)->cancel_reason, req->args.oncall.reason);
    }
    if (rc == SD_ENOMEM)
        sd_fault_set(fault, rc, "out of memory");
    if (rc)
        sd_event_clear(ev);
    return rc;
}

static bool s_kept(const sd_api_page_t *p, const void *record)
{
    const sd_oncall_t *o = record;
    const char *roster = p->req->args.oncall.roster;
    return !roster || (o->roster && !strcmp(o->roster, roster));
}

int sd_api_oncall_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    (void)fault;
    const sd_oncall_args_t *a = &req->args.oncall;
    return sd_api_page(ctx, req, &sd_kind_oncall, "overrides", a->after,
                       sd_request_has(req, SD_ARG_ONCALL_LIMIT) ? a->limit : 100, s_kept, w);
}

/* The instant a request asks about: args.from, or now; 0 or SD_ERANGE (not supported). */
static int s_at(const sd_api_ctx_t *ctx, const sd_request_t *req, int64_t *at, sd_fault_t *fault)
{
    *at = (int64_t)(sd_request_has(req, SD_ARG_ONCALL_FROM) ? req->args.oncall.from : ctx->now_ms);
    if (*at < SD_TIME_MIN || *at >= SD_TIME_MAX)
        return sd_fault_set(fault, SD_ERANGE, "args.from: outside 1970-2199");
    return 0;
}

/* One roster's entry of oncall.now. */
static void s_roster_now(const sd_api_ctx_t *ctx, size_t i, int64_t at, sd_mp_writer_t *w)
{
    const sd_schedule_t *sched = &ctx->cfg->sched;
    const sd_oncall_roster_t *r = sched->oncall[i];
    char login[SD_NAME_MAX + 1] = "", id[SD_ID_MAX + 1] = "";
    bool hours = sd_oncall_in_hours(sched, r, at);
    bool someone = sd_oncall_roster_who(sched, ctx->txn, i, at, login, id) == 0;
    sd_mp_map(w, 7);
    sd_mp_str(w, "roster"), sd_mp_str(w, r->name);
    sd_mp_str(w, "team"), sd_mp_str(w, r->team);
    sd_mp_str(w, "zone"), sd_mp_str(w, sd_calendar_zone(r->cal));
    sd_mp_str(w, "sites");
    uint32_t nsites = 0;
    size_t total = sched->sites ? sd_calset_size(sched->sites) : 0;
    for (size_t k = 0; k < total; k++)
        nsites += r->sites == 0 || (r->sites >> k & 1);
    sd_mp_array(w, nsites);
    for (size_t k = 0; k < total; k++)
        if (r->sites == 0 || (r->sites >> k & 1))
            sd_mp_str(w, sd_calendar_site(sd_calset_at(sched->sites, k)));
    sd_mp_str(w, "in_hours"), sd_mp_bool(w, hours);
    /* on_call: who answers now (nil outside its hours or for an empty roster); scheduled: whom
     * the rotation or an override names, in hours or not. */
    sd_mp_str(w, "on_call");
    hours &&someone ? sd_mp_str(w, login) : sd_mp_nil(w);
    sd_mp_str(w, "scheduled"), sd_mp_map(w, 2);
    sd_mp_str(w, "login");
    someone ? sd_mp_str(w, login) : sd_mp_nil(w);
    sd_mp_str(w, "override"), sd_mp_str(w, id);
}

int sd_api_oncall_now(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault)
{
    const sd_schedule_t *sched = &ctx->cfg->sched;
    const char *site = req->args.oncall.site;
    int64_t at;
    int rc = s_at(ctx, req, &at, fault);
    if (rc)
        return rc;
    if (site && (!sched->sites || sd_calset_find(sched->sites, site) < 0))
        return sd_fault_set(fault, SD_ERANGE, "args.site: '%s' is not a site of the schedule",
                            site);
    char login[SD_NAME_MAX + 1];
    rc = sd_oncall_who(sched, ctx->txn, site, (uint64_t)at, login);
    if (rc && rc != SD_ENOTFOUND)
        return rc;
    sd_reply_ok_begin(w, req->id);
    sd_mp_map(w, 4);
    sd_mp_str(w, "at"), sd_mp_u64(w, (uint64_t)at);
    sd_mp_str(w, "site");
    site ? sd_mp_str(w, site) : sd_mp_nil(w);
    sd_mp_str(w, "on_call");
    rc == 0 ? sd_mp_str(w, login) : sd_mp_nil(w);
    sd_mp_str(w, "rosters"), sd_mp_array(w, (uint32_t)sched->noncall);
    for (size_t i = 0; i < sched->noncall; i++)
        s_roster_now(ctx, i, at, w);
    return 0;
}

int sd_api_oncall_ics(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault)
{
    const sd_schedule_t *sched = &ctx->cfg->sched;
    const sd_oncall_args_t *a = &req->args.oncall;
    int i = sd_oncall_find(sched, a->roster);
    if (i < 0)
        return sd_fault_set(fault, SD_ENOTFOUND, "no roster '%s' in the schedule", a->roster);
    int64_t from, until;
    int rc = s_at(ctx, req, &from, fault);
    until = from + SD_ONCALL_ICS_DAYS * SD_DAY_MS;
    if (sd_request_has(req, SD_ARG_ONCALL_UNTIL))
        until = (int64_t)a->until;
    if (rc)
        return rc;
    if (until < from || until - from > 92 * SD_DAY_MS)
        return sd_fault_set(fault, SD_ERANGE, "args.until: after args.from, within 92 days");
    sd_oncall_shift_t *sh = NULL;
    size_t n = 0;
    rc = sd_oncall_shifts(sched, ctx->txn, (size_t)i, from, until, &sh, &n);
    if (rc)
        return sd_fault_set(fault, rc == SD_ENOMEM ? rc : SD_ERANGE,
                            "the shifts of %s could not be worked out (%s)", a->roster,
                            sd_strerror(rc));
    sd_ics_event_t *ev = calloc(n ? n : 1, sizeof *ev);
    char(*text)[3][SD_NAME_MAX + 96] = calloc(n ? n : 1, sizeof *text);
    char *ics = NULL;
    rc = ev && text ? 0 : SD_ENOMEM;
    for (size_t k = 0; !rc && k < n; k++) {
        snprintf(text[k][0], sizeof text[k][0], "%s-%lld@sundesk", a->roster,
                 (long long)sh[k].start);
        snprintf(text[k][1], sizeof text[k][1], "On call: %s (%s)", sh[k].login, a->roster);
        snprintf(text[k][2], sizeof text[k][2], "%s%s",
                 sh[k].override[0] ? "override " : "weekly rotation", sh[k].override);
        ev[k] = (sd_ics_event_t){sh[k].start, sh[k].end, text[k][0], text[k][1], text[k][2]};
    }
    if (!rc)
        rc = sd_ics_write(a->roster, ev, n, (int64_t)ctx->now_ms, &ics);
    if (!rc) {
        sd_reply_ok_begin(w, req->id);
        sd_mp_map(w, 5);
        sd_mp_str(w, "roster"), sd_mp_str(w, a->roster);
        sd_mp_str(w, "from"), sd_mp_u64(w, (uint64_t)from);
        sd_mp_str(w, "until"), sd_mp_u64(w, (uint64_t)until);
        sd_mp_str(w, "shifts"), sd_mp_u64(w, n);
        sd_mp_str(w, "ics"), sd_mp_str(w, ics);
    }
    free(ics);
    free(text);
    free(ev);
    free(sh);
    return rc ? sd_fault_set(fault, rc, "out of memory") : 0;
}
