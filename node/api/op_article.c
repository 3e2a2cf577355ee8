/* op_article.c - the knowledge base ops (op_article.h). */
#include "op_article.h"

#include "error.h"
#include "hlc.h"
#include "permission.h"
#include "record.h"
#include "textdiff.h"
#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool sd_api_article_visible(const sd_article_t *a, int scope)
{
    return scope != SD_SCOPE_OWN ||
           (a->state == SD_ASTATE_PUBLISHED && a->audience == SD_AUDIENCE_PUBLIC);
}

int sd_api_article_read(sd_store_txn_t *txn, const char *id, int scope, sd_article_t *a,
                        sd_fault_t *fault)
{
    int rc = sd_store_get_record(txn, &sd_kind_article, id, a);
    if (!rc && (!sd_record_exists(&sd_kind_article, a) || !sd_api_article_visible(a, scope)))
        rc = SD_ENOTFOUND;
    if (rc == SD_ENOTFOUND)
        sd_fault_set(fault, rc, "article %s does not exist", id);
    return rc;
}

/* ---- writes -------------------------------------------------------------------------------- */

/* The verbs the state allows (a refused transition's `allowed`). */
static const char *s_allowed(int state)
{
    return state == SD_ASTATE_PUBLISHED ? "update, retire, link, helpful"
                                        : "update, publish, link, helpful";
}

/* A field of the new version: the argument when given, else the current version's. */
static int s_field(const sd_request_t *req, int arg, const char *given, const char *current,
                   char **slot)
{
    const char *v = sd_request_has(req, arg) ? given : current;
    return sd_api_set_str(slot, v);
}

/* article.new and article.update: a version with the whole text. */
static int s_version(const sd_article_t *cur, const sd_request_t *req, sd_event_t *ev,
                     sd_fault_t *fault)
{
    const sd_article_args_t *a = &req->args.article;
    uint64_t now = cur ? sd_article_version_no(cur) : 0;
    if (cur && (req->present & ~SD_ARG(ARTICLE, ID) & ~SD_ARG(ARTICLE, BASE_VERSION)) == 0)
        return sd_fault_set(fault, SD_EMISSING, "article.update: nothing to change");
    if (cur && sd_request_has(req, SD_ARG_ARTICLE_BASE_VERSION) && a->base_version > now)
        return sd_fault_set(fault, SD_ERANGE,
                            "args.base_version: article %s has %llu versions, not %llu", cur->id,
                            (unsigned long long)now, (unsigned long long)a->base_version);
    if (now >= SD_ARTICLE_VERSIONS_MAX)
        return sd_fault_set(fault, SD_ETOOBIG,
                            "article %s has %d versions, the most one article keeps; write a "
                            "new article and retire this one",
                            cur->id, SD_ARTICLE_VERSIONS_MAX);
    int rc = sd_event_start(ev, &sd_kind_article, SD_KBOP_VERSION);
    if (rc)
        return rc;
    sd_article_version_t *v = sd_event_article_version(ev);
    const sd_article_t none = {0};
    const sd_article_t *c = cur ? cur : &none;
    v->audience = sd_request_has(req, SD_ARG_ARTICLE_AUDIENCE) ? a->audience : c->audience;
    v->base_version = sd_request_has(req, SD_ARG_ARTICLE_BASE_VERSION) ? a->base_version : now;
    rc = s_field(req, SD_ARG_ARTICLE_TITLE, a->title, c->title, &v->title)
             ?: s_field(req, SD_ARG_ARTICLE_BODY, a->body, c->body, &v->body)
             ?: s_field(req, SD_ARG_ARTICLE_CATEGORY, a->category, c->category, &v->category)
             ?: s_field(req, SD_ARG_ARTICLE_KEYWORDS, a->keywords, c->keywords, &v->keywords)
             ?: s_field(req, SD_ARG_ARTICLE_LANGUAGE, a->language, c->language, &v->language);
    if (!rc && !v->body)
        rc = (v->body = strdup("")) ? 0 : SD_ENOMEM;
    return rc;
}

/* publish and retire: draft -> published -> retired, retired -> published. */
static int s_state(const sd_api_write_ctx_t *ctx, const sd_article_t *cur, int to, sd_event_t *ev,
                   sd_fault_t *fault)
{
    bool ok = to == SD_ASTATE_PUBLISHED ? cur->state != SD_ASTATE_PUBLISHED
                                        : cur->state == SD_ASTATE_PUBLISHED;
    if (!ok) {
        if (ctx->allowed && ctx->allowed_cap)
            snprintf(ctx->allowed, ctx->allowed_cap, "%s", s_allowed(cur->state));
        return sd_fault_set(
            fault, SD_ETRANSITION, "article %s is %s; %s is not allowed (allowed: %s)", cur->id,
            sd_article_state_names[cur->state], to == SD_ASTATE_PUBLISHED ? "publish" : "retire",
            s_allowed(cur->state));
    }
    int rc = sd_event_start(ev, &sd_kind_article,
                            to == SD_ASTATE_PUBLISHED ? SD_KBOP_PUBLISH : SD_KBOP_RETIRE);
    rc = rc ?: sd_api_take(ev, NULL, SD_KBREG_STATE);
    if (!rc)
        sd_event_article(ev)->state = to;
    return rc;
}

static int s_link(const sd_api_write_ctx_t *ctx, const sd_request_t *req, sd_event_t *ev,
                  sd_fault_t *fault)
{
    const char *ticket = req->args.article.ticket;
    sd_ticket_t t = {0};
    int rc = ctx->txn ? sd_store_get_record(ctx->txn, &sd_kind_ticket, ticket, &t) : SD_ENOTFOUND;
    if (!rc && !sd_ticket_exists(&t))
        rc = SD_ENOTFOUND;
    sd_ticket_clear(&t);
    if (rc == SD_ENOTFOUND)
        return sd_fault_set(fault, rc, "ticket %s does not exist", ticket);
    rc = rc ?: sd_event_start(ev, &sd_kind_article, SD_KBOP_LINK);
    rc = rc ?: sd_api_take(ev, NULL, SD_KBREG_LINK);
    return rc ?: sd_api_set_str(&sd_event_article(ev)->linked, ticket);
}

int sd_api_article_write(const sd_api_write_ctx_t *ctx, const void *cur_record,
                         const sd_request_t *req, sd_event_t *ev, sd_fault_t *fault)
{
    const sd_article_t *cur = cur_record;
    int rc;
    if (req->op != SD_REQ_ARTICLE_NEW && (!cur || !sd_api_article_visible(cur, ctx->scope)))
        return sd_fault_set(fault, SD_ENOTFOUND, "article %s does not exist", req->args.article.id);
    switch (req->op) {
    case SD_REQ_ARTICLE_NEW:
        rc = s_version(NULL, req, ev, fault);
        break;
    case SD_REQ_ARTICLE_UPDATE:
        rc = s_version(cur, req, ev, fault);
        break;
    case SD_REQ_ARTICLE_PUBLISH:
        rc = s_state(ctx, cur, SD_ASTATE_PUBLISHED, ev, fault);
        break;
    case SD_REQ_ARTICLE_RETIRE:
        rc = s_state(ctx, cur, SD_ASTATE_RETIRED, ev, fault);
        break;
    case SD_REQ_ARTICLE_LINK:
        rc = s_link(ctx, req, ev, fault);
        break;
    default: /* SD_REQ_ARTICLE_HELPFUL: the event is the count */
        rc = sd_event_start(ev, &sd_kind_article, SD_KBOP_HELPFUL);
        break;
    }
    return sd_api_write_end(ctx, ev, rc, fault);
}

/* ---- reads --------------------------------------------------------------------------------- */

typedef struct {
    char *list; /* ticket ids, comma-separated (heap) */
    size_t len; /* bytes */
    int error;  /* SD_ENOMEM once an append failed */
} s_tickets_t;

/* Appends the ticket id that starts rest (an index entry's rest: id, NUL) unless listed. */
static int s_ticket(const char *rest, size_t len, void *arg)
{
    s_tickets_t *t = arg;
    if (len == 0 || rest[len - 1] != 0)
        return SD_ECORRUPT;
    size_t n = strlen(rest);
    for (const char *p = t->list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t plen = end ? (size_t)(end - p) : strlen(p);
        if (plen == n && memcmp(p, rest, n) == 0)
            return 0;
        p += plen + (end ? 1 : 0);
    }
    char *grown = realloc(t->list, t->len + n + 2);
    if (!grown)
        return t->error = SD_ENOMEM;
    t->list = grown;
    t->len += (size_t)sprintf(t->list + t->len, "%s%s", t->len ? "," : "", rest);
    return 0;
}

/* Fills a's read-time counts: solved, helpful, and (for a desk caller) its tickets. */
static int s_count(sd_store_txn_t *txn, sd_article_t *a, int scope)
{
    char name[64];
    snprintf(name, sizeof name, "%s%s", SD_TICKET_COUNT_SOLVED, a->id);
    int rc = sd_store_counter(txn, &sd_kind_ticket, name, &a->solved);
    sd_article_helpful_counter(a->id, name, sizeof name);
    rc = rc ?: sd_store_counter(txn, &sd_kind_article, name, &a->helpful);
    s_tickets_t t = {0};
    if (!rc && scope != SD_SCOPE_OWN)
        rc = sd_store_index_find(txn, &sd_kind_article, SD_ARTICLE_INDEX_LINK, a->id, s_ticket, &t)
                 ?: sd_store_index_find(txn, &sd_kind_ticket, SD_TICKET_INDEX_ARTICLE, a->id,
                                        s_ticket, &t);
    free(a->tickets);
    a->tickets = t.list;
    a->counted = true;
    a->public_only = scope == SD_SCOPE_OWN;
    return rc;
}

int sd_api_article_get(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault)
{
    sd_article_t a = {0};
    int rc = sd_api_article_read(ctx->txn, req->args.article.id, ctx->scope, &a, fault)
                 ?: s_count(ctx->txn, &a, ctx->scope);
    if (!rc)
        sd_api_reply_view(w, req->id, &sd_kind_article, &a, ctx->scope);
    sd_record_clear(&sd_kind_article, &a);
    return rc;
}

static bool s_kept(const sd_api_page_t *p, const void *record)
{
    const sd_article_t *r = record;
    const sd_article_args_t *a = &p->req->args.article;
    if (!sd_api_article_visible(r, p->ctx->scope))
        return false;
    if (sd_request_has(p->req, SD_ARG_ARTICLE_STATE) && r->state != a->state)
        return false;
    if (sd_request_has(p->req, SD_ARG_ARTICLE_AUDIENCE) && r->audience != a->audience)
        return false;
    if (a->category && !(r->category && strcmp(r->category, a->category) == 0))
        return false;
    return !a->language || (r->language && strcmp(r->language, a->language) == 0);
}

int sd_api_article_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault)
{
    (void)fault;
    const sd_article_args_t *a = &req->args.article;
    return sd_api_page(ctx, req, &sd_kind_article, "articles", a->after,
                       sd_request_has(req, SD_ARG_ARTICLE_LIMIT) ? a->limit : 100, s_kept, w);
}

/* Version n of a, or SD_ENOTFOUND with the fault set; a requester (scope own) finds only the
 * versions written for the public (an earlier internal text is not theirs to read). */
static int s_find_version(const sd_article_t *a, uint64_t n, int scope,
                          const sd_article_version_t **v, sd_fault_t *fault)
{
    *v = sd_article_version(a, n);
    if (*v && scope == SD_SCOPE_OWN && (*v)->audience != SD_AUDIENCE_PUBLIC)
        *v = NULL;
    if (!*v)
        return sd_fault_set(fault, SD_ENOTFOUND, "article %s has no version %llu (it has 1..%zu)",
                            a->id, (unsigned long long)n, a->nversions);
    return 0;
}

static void s_kv_str(sd_mp_writer_t *w, const char *key, const char *value)
{
    sd_mp_str(w, key);
    if (value)
        sd_mp_str(w, value);
    else
        sd_mp_nil(w);
}

int sd_api_article_version(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                           sd_fault_t *fault)
{
    const sd_article_args_t *args = &req->args.article;
    sd_article_t a = {0};
    const sd_article_version_t *v = NULL;
    int rc = sd_api_article_read(ctx->txn, args->id, ctx->scope, &a, fault)
                 ?: s_find_version(&a, args->version, ctx->scope, &v, fault);
    if (!rc) {
        sd_reply_ok_begin(w, req->id);
        sd_mp_map(w, 11);
        s_kv_str(w, "id", a.id);
        sd_mp_str(w, "version"), sd_mp_u64(w, args->version);
        sd_mp_str(w, "at"), sd_mp_u64(w, sd_hlc_ms(v->hlc));
        s_kv_str(w, "by", v->author);
        s_kv_str(w, "title", v->title);
        s_kv_str(w, "body", v->body);
        s_kv_str(w, "category", v->category);
        s_kv_str(w, "keywords", v->keywords);
        s_kv_str(w, "language", v->language);
        s_kv_str(w, "audience", sd_article_audience_names[v->audience]);
        sd_mp_str(w, "base_version"), sd_mp_u64(w, v->base_version);
    }
    sd_record_clear(&sd_kind_article, &a);
    return rc;
}

int sd_api_article_diff(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                        sd_fault_t *fault)
{
    const sd_article_args_t *args = &req->args.article;
    sd_article_t a = {0};
    const sd_article_version_t *from = NULL, *to = NULL;
    uint64_t nfrom = args->from, nto = args->to;
    char *diff = NULL, flabel[64], tlabel[64];
    int rc = sd_api_article_read(ctx->txn, args->id, ctx->scope, &a, fault);
    if (!rc && !sd_request_has(req, SD_ARG_ARTICLE_TO))
        nto = sd_article_version_no(&a); /* the last edit, unless told otherwise */
    if (!rc && !sd_request_has(req, SD_ARG_ARTICLE_FROM))
        nfrom = nto > 1 ? nto - 1 : nto;
    rc = rc ?: s_find_version(&a, nfrom, ctx->scope, &from, fault)
              ?: s_find_version(&a, nto, ctx->scope, &to, fault);
    if (!rc) {
        snprintf(flabel, sizeof flabel, "%s version %llu", a.id, (unsigned long long)nfrom);
        snprintf(tlabel, sizeof tlabel, "%s version %llu", a.id, (unsigned long long)nto);
        rc = sd_textdiff(from->body, strlen(from->body), to->body, strlen(to->body), flabel, tlabel,
                         SD_TEXTDIFF_CONTEXT, SD_TEXT_MAX, &diff, NULL);
        if (rc == SD_ETOOBIG)
            sd_fault_set(fault, rc, "article %s: a body is over %d bytes, which diff refuses", a.id,
                         SD_TEXT_MAX);
    }
    if (!rc) {
        sd_reply_ok_begin(w, req->id);
        sd_mp_map(w, 6);
        s_kv_str(w, "id", a.id);
        sd_mp_str(w, "from"), sd_mp_u64(w, nfrom);
        sd_mp_str(w, "to"), sd_mp_u64(w, nto);
        s_kv_str(w, "from_title", from->title);
        s_kv_str(w, "to_title", to->title);
        s_kv_str(w, "diff", diff);
    }
    free(diff);
    sd_record_clear(&sd_kind_article, &a);
    return rc;
}
