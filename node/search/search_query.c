/* search_query.c - search.query and search.suggest on the search thread (search_impl.h). */
#include "search_impl.h"

#include "error.h"
#include "record.h"
#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_CURSOR_MAX_OFFSET 10000 /* the deepest page a cursor reaches */

/* The kinds of a comma list ("ticket,article") into *mask. SD_ERANGE (fault) for another word. */
static int s_kinds(const char *list, unsigned *mask, sd_fault_t *fault)
{
    *mask = 0;
    if (!list)
        return 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        char word[16] = "";
        if (n < sizeof word)
            memcpy(word, p, n);
        unsigned bit = sd_xkind_bit(word);
        if (!bit)
            return sd_fault_set(fault, SD_ERANGE,
                                "args.kind: '%.*s' is no kind search knows (ticket, article, "
                                "customer)",
                                (int)(n < 40 ? n : 40), p);
        *mask |= bit;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* The offset a cursor of ours stands for ("o40"). SD_ERANGE (fault) for another text. */
static int s_cursor(const char *cursor, unsigned *offset, sd_fault_t *fault)
{
    *offset = 0;
    if (!cursor)
        return 0;
    char *end;
    unsigned long v = cursor[0] == 'o' ? strtoul(cursor + 1, &end, 10) : 0;
    if (cursor[0] != 'o' || end == cursor + 1 || *end || v > S_CURSOR_MAX_OFFSET)
        return sd_fault_set(fault, SD_ERANGE,
                            "args.cursor: not a cursor of search.query (give the next_cursor of "
                            "the previous page)");
    *offset = (unsigned)v;
    return 0;
}

static void s_str_or_nil(sd_mp_writer_t *w, const char *s)
{
    sd_mp_str(w, s && *s ? s : NULL);
}

static void s_hit(sd_mp_writer_t *w, const sd_xhit_t *h)
{
    sd_mp_map(w, 9);
    sd_mp_str(w, "kind");
    sd_mp_str(w, h->kind);
    sd_mp_str(w, "id");
    sd_mp_str(w, h->id);
    sd_mp_str(w, "title");
    s_str_or_nil(w, h->title);
    sd_mp_str(w, "snippet");
    sd_mp_str(w, h->snippet);
    sd_mp_str(w, "score");
    sd_mp_u64(w, h->score > 0 ? (uint64_t)h->score : 0);
    sd_mp_str(w, "site");
    s_str_or_nil(w, h->site);
    sd_mp_str(w, "status");
    s_str_or_nil(w, h->status);
    sd_mp_str(w, "category");
    s_str_or_nil(w, h->category);
    sd_mp_str(w, "updated_at");
    sd_mp_u64(w, h->updated_at);
}

/* Runs q and writes the reply: {hits, total, next_cursor} (paged) or {hits}. */
static int s_run(sd_xreader_t *reader, const sd_xquery_t *q, uint64_t id, bool paged,
                 sd_mp_writer_t *w, sd_fault_t *fault)
{
    sd_xresult_t res;
    char err[200] = "";
    int rc = sd_xreader_search(reader, q, &res, err, sizeof err);
    if (rc == SD_EINVAL)
        sd_fault_set(fault, rc, "args.q: %s", err);
    else if (rc)
        sd_fault_set(fault, rc, "search: %s", err[0] ? err : sd_strerror(rc));
    if (rc) {
        sd_xresult_clear(&res);
        return rc;
    }
    bool next = paged && res.more && q->offset + res.nhits <= S_CURSOR_MAX_OFFSET;
    sd_reply_ok_begin(w, id);
    sd_mp_map(w, paged ? 2 + next : 1);
    sd_mp_str(w, "hits");
    sd_mp_array(w, (uint32_t)res.nhits);
    for (size_t i = 0; i < res.nhits; i++)
        s_hit(w, &res.hits[i]);
    if (paged) {
        sd_mp_str(w, "total");
        sd_mp_u64(w, res.total);
    }
    if (next) {
        char cursor[24];
        snprintf(cursor, sizeof cursor, "o%zu", q->offset + res.nhits);
        sd_mp_str(w, "next_cursor");
        sd_mp_str(w, cursor);
    }
    sd_xresult_clear(&res);
    return 0;
}

static int s_query(sd_xreader_t *reader, const sd_search_job_t *job, sd_mp_writer_t *w,
                   sd_fault_t *fault)
{
    const sd_search_args_t *a = &job->args;
    sd_xquery_t q = {.text = a->q,
                     .site = a->site,
                     .status = a->status,
                     .category = a->category,
                     .from = a->from,
                     .to = a->to,
                     .limit = a->limit > 0 ? (unsigned)a->limit : 20,
                     .requester = job->own ? job->login : NULL};
    int rc = s_kinds(a->kind, &q.kinds, fault) ?: s_cursor(a->cursor, &q.offset, fault);
    return rc ?: s_run(reader, &q, job->id, true, w, fault);
}

/* The text of ticket id (title, description) into *text (heap), as job's caller may see it. */
static int s_ticket_text(sd_store_t *store, const sd_search_job_t *job, char **text,
                         sd_fault_t *fault)
{
    const char *id = job->args.ticket;
    sd_store_txn_t *txn;
    int rc = sd_store_begin_reader(store, &txn);
    if (rc)
        return sd_fault_set(fault, rc, "store: %s", sd_strerror(rc));
    sd_ticket_t *t = sd_record_new(&sd_kind_ticket);
    rc = t ? sd_store_get_record(txn, &sd_kind_ticket, id, t) : SD_ENOMEM;
    if (rc == 0 && !sd_record_exists(&sd_kind_ticket, t))
        rc = SD_ENOTFOUND;
    if (job->own &&
        (rc == SD_ENOTFOUND || (rc == 0 && (!t->requester || strcmp(t->requester, job->login)))))
        rc = sd_fault_set(fault, SD_EFORBIDDEN, "forbidden: %s is not a ticket %s requested", id,
                          job->login);
    else if (rc == SD_ENOTFOUND)
        sd_fault_set(fault, rc, "no ticket %s", id);
    if (rc == 0) {
        size_t n = strlen(t->title ? t->title : "") + strlen(t->description ? t->description : "");
        if ((*text = malloc(n + 2)) != NULL)
            snprintf(*text, n + 2, "%s\n%s", t->title ? t->title : "",
                     t->description ? t->description : "");
        else
            rc = SD_ENOMEM;
    }
    sd_record_destroy(&sd_kind_ticket, (void **)&t);
    sd_store_abort(&txn);
    return rc;
}

static int s_suggest(sd_xreader_t *reader, sd_store_t *store, const sd_search_job_t *job,
                     sd_mp_writer_t *w, sd_fault_t *fault)
{
    const sd_search_args_t *a = &job->args;
    if (!a->ticket && !a->text)
        return sd_fault_set(fault, SD_EMISSING,
                            "search.suggest: give args.ticket (an id) or args.text");
    char *text = NULL;
    int rc = a->ticket ? s_ticket_text(store, job, &text, fault) : 0;
    if (rc)
        return rc;
    sd_xquery_t q = {.text = text ? text : a->text,
                     .suggest = true,
                     .published = true,
                     .kinds = SD_XKIND_ARTICLE,
                     .limit = a->limit > 0 ? (unsigned)a->limit : 5,
                     .requester = job->own ? job->login : NULL};
    rc = s_run(reader, &q, job->id, false, w, fault);
    free(text);
    return rc;
}

int sd_search_answer(sd_xreader_t *reader, sd_store_t *store, const sd_search_job_t *job,
                     sd_mp_writer_t *w, sd_fault_t *fault)
{
    if (job->op == SD_REQ_SEARCH_SUGGEST)
        return s_suggest(reader, store, job, w, fault);
    return s_query(reader, job, w, fault);
}
