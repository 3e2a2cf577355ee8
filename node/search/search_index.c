/* search_index.c - following the event log into a full-text index (search_impl.h).
 *
 * A step reads the events past the index's vector in one short read transaction, collects the
 * records they touched (each once), reads each as it is now and puts it into the index (or takes
 * it out: gone, or a customer merged into another), and commits the documents with the new
 * vector. Re-indexing a record is idempotent, so a step done twice (after a crash between the
 * documents and the commit: impossible, the commit is one) or out of order changes nothing. */
#include "search_impl.h"

#include "error.h"
#include "event.h"
#include "log.h"
#include "record.h"
#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the marker ---------------------------------------------------------------------------- */

void sd_search_marker(const sd_vector_t *v, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < v->count && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s:%llu", i ? "," : "",
                                 v->entries[i].origin, (unsigned long long)v->entries[i].seq);
}

/* Parses a marker back; SD_ECORRUPT when it is not one. */
static int s_parse_marker(const char *text, sd_vector_t *v)
{
    *v = (sd_vector_t){0};
    for (const char *p = text; *p;) {
        const char *colon = strchr(p, ':');
        if (!colon || colon == p || (size_t)(colon - p) > SD_SITE_MAX)
            return SD_ECORRUPT;
        char origin[SD_SITE_MAX + 1];
        memcpy(origin, p, (size_t)(colon - p));
        origin[colon - p] = 0;
        char *end;
        unsigned long long seq = strtoull(colon + 1, &end, 10);
        if (end == colon + 1 || (*end && *end != ',') || sd_vector_set(v, origin, seq) != 0)
            return SD_ECORRUPT;
        p = *end ? end + 1 : end;
    }
    return 0;
}

int sd_search_index_open(sd_search_index_t *ix, const char *dir, char *err, size_t cap)
{
    *ix = (sd_search_index_t){0};
    snprintf(ix->dir, sizeof ix->dir, "%s", dir);
    int rc = sd_xindex_open(dir, &ix->x, err, cap);
    if (rc)
        return rc;
    char marker[SD_VECTOR_MAX * (SD_SITE_MAX + 24)];
    rc = sd_xindex_marker(ix->x, marker, sizeof marker) ?: s_parse_marker(marker, &ix->vector);
    if (rc) {
        snprintf(err, cap, "index %s: its vector is unreadable; remove the directory to rebuild",
                 dir);
        sd_xindex_close(&ix->x);
    }
    return rc;
}

void sd_search_index_close(sd_search_index_t *ix)
{
    sd_xindex_close(&ix->x);
}

uint64_t sd_search_behind(sd_store_t *store, const sd_vector_t *vector)
{
    sd_store_txn_t *txn;
    sd_vector_t held;
    uint64_t behind = 0;
    if (sd_store_begin_reader(store, &txn) != 0)
        return 0;
    if (sd_store_vector(txn, &held) == 0)
        for (size_t i = 0; i < held.count; i++) {
            uint64_t mine = sd_vector_get(vector, held.entries[i].origin);
            behind += held.entries[i].seq > mine ? held.entries[i].seq - mine : 0;
        }
    sd_store_abort(&txn);
    return behind;
}

/* ---- documents from records ---------------------------------------------------------------- */

/* The text of field name of record (a str, or an enum's name), NULL when none. */
static const char *s_field(const sd_kind_t *k, const void *record, const char *name)
{
    const sd_field_t *f = sd_kind_field(k, name);
    if (!f)
        return NULL;
    const char *at = (const char *)record + f->offset;
    if (f->kind == SD_F_STR)
        return *(char *const *)at;
    if (f->kind == SD_F_ENUM) {
        int v = *(const int *)at;
        return v >= 0 && (uint32_t)v < f->max ? f->names[v] : NULL;
    }
    return NULL;
}

static uint64_t s_field_u64(const sd_kind_t *k, const void *record, const char *name)
{
    const sd_field_t *f = sd_kind_field(k, name);
    return f && f->kind == SD_F_U64 ? *(const uint64_t *)((const char *)record + f->offset) : 0;
}

/* Writes the fields names (NULL-terminated) of record that are set, one per line. */
static void s_lines(FILE *out, const sd_kind_t *k, const void *record, const char *const *names)
{
    for (; *names; names++) {
        const char *text = s_field(k, record, *names);
        if (text && *text)
            fprintf(out, "%s\n", text);
    }
}

/* The texts of a document: what a requester may read, and the internal notes. */
typedef struct {
    char *pub;      /* public text (heap) */
    size_t pub_len; /* its length */
    char *in;       /* internal text (heap) */
    size_t in_len;  /* its length */
} s_texts_t;

static void s_texts_clear(s_texts_t *t)
{
    free(t->pub);
    free(t->in);
    *t = (s_texts_t){0};
}

/* Fills doc (strings borrowed from record and t) for record of kind k. Returns 0, SD_ENOMEM,
 * or SD_ENOTFOUND when the record is not to be indexed (a merged customer). */
static int s_doc(const sd_kind_t *k, const void *record, sd_xdoc_t *doc, s_texts_t *t)
{
    *doc = (sd_xdoc_t){.kind = k->name,
                       .id = (const char *)record + k->id_offset,
                       .created_at = s_field_u64(k, record, "created_at"),
                       .updated_at = *(const uint64_t *)((const char *)record + k->updated_offset)};
    FILE *pub = open_memstream(&t->pub, &t->pub_len);
    FILE *in = pub ? open_memstream(&t->in, &t->in_len) : NULL;
    if (!in) {
        if (pub)
            fclose(pub);
        return SD_ENOMEM;
    }
    int rc = 0;
    if (k == &sd_kind_ticket) {
        const sd_ticket_t *tk = record;
        static const char *const pub_fields[] = {"description", "resolution", NULL};
        doc->title = tk->title;
        doc->site = tk->owner_site ? tk->owner_site : tk->origin_site;
        doc->status = s_field(k, record, "status");
        doc->category = tk->category;
        doc->requester = tk->requester;
        s_lines(pub, k, record, pub_fields);
        for (size_t i = 0; i < tk->ncomments; i++)
            if (tk->comments[i].body)
                fprintf(tk->comments[i].public_reply ? pub : in, "%s\n", tk->comments[i].body);
    } else if (!strcmp(k->name, "customer")) {
        static const char *const pub_fields[] = {"organisation", "department", "emails",
                                                 "phones",       "notes",      NULL};
        const char *merged = s_field(k, record, "merged_into");
        rc = merged && *merged ? SD_ENOTFOUND : 0;
        doc->title = s_field(k, record, "name");
        doc->site = s_field(k, record, "home_site");
        s_lines(pub, k, record, pub_fields);
    } else { /* an article, read by its field names (the kind of helper B's branch) */
        static const char *const pub_fields[] = {"body", "keywords", "category", NULL};
        doc->title = s_field(k, record, "title");
        doc->status = s_field(k, record, "state");
        doc->state = doc->status;
        doc->category = s_field(k, record, "category");
        doc->audience = s_field(k, record, "audience");
        doc->language = s_field(k, record, "language");
        s_lines(pub, k, record, pub_fields);
    }
    bool failed = fclose(pub) != 0;
    failed |= fclose(in) != 0;
    if (failed)
        return SD_ENOMEM;
    doc->public_text = t->pub;
    doc->internal_text = t->in;
    return rc;
}

/* True for the kinds the index holds. */
static bool s_indexed(const sd_kind_t *k)
{
    return k && sd_xkind_bit(k->name) != 0;
}

/* (Re)indexes record id of kind k as it stands in txn. */
static int s_reindex(sd_search_index_t *ix, sd_store_txn_t *txn, const sd_kind_t *k, const char *id,
                     char *err, size_t cap)
{
    void *record = sd_record_new(k);
    if (!record)
        return SD_ENOMEM;
    int rc = sd_store_get_record(txn, k, id, record);
    if (rc == 0 && !sd_record_exists(k, record))
        rc = SD_ENOTFOUND;
    sd_xdoc_t doc;
    s_texts_t texts = {0};
    if (rc == 0)
        rc = s_doc(k, record, &doc, &texts);
    if (rc == 0)
        rc = sd_xindex_put(ix->x, &doc, err, cap);
    else if (rc == SD_ENOTFOUND)
        rc = sd_xindex_delete(ix->x, k->name, id, err, cap);
    s_texts_clear(&texts);
    sd_record_destroy(k, &record);
    return rc;
}

/* ---- a step -------------------------------------------------------------------------------- */

/* What the reading of one origin's events collects. */
typedef struct {
    zhashx_t *touched; /* "kind\x1fid" -> 1: records to re-index */
    sd_vector_t *to;   /* advanced to each event read */
    size_t count;      /* events read */
    int rc;            /* first failure */
} s_collect_t;

static int s_collect(const void *bytes, size_t len, void *arg)
{
    s_collect_t *c = arg;
    sd_event_t ev = {0};
    sd_fault_t fault;
    if (sd_event_decode(bytes, len, &ev, &fault) != 0) {
        c->rc = SD_ECORRUPT;
        return 1;
    }
    char key[64 + SD_ID_MAX];
    if (s_indexed(ev.kind)) {
        snprintf(key, sizeof key, "%s\x1f%s", ev.kind->name, ev.key);
        zhashx_update(c->touched, key, (void *)1);
    }
    sd_vector_set(c->to, ev.origin, ev.seq);
    c->count++;
    sd_event_clear(&ev);
    return 0;
}

int sd_search_index_step(sd_search_index_t *ix, sd_store_t *store, size_t budget, uint64_t *behind,
                         char *err, size_t cap)
{
    sd_store_txn_t *txn;
    sd_vector_t held, to = ix->vector;
    int rc = sd_store_begin_reader(store, &txn);
    if (rc)
        return rc;
    s_collect_t c = {.touched = zhashx_new(), .to = &to};
    rc = c.touched ? sd_store_vector(txn, &held) : SD_ENOMEM;
    for (size_t i = 0; !rc && i < held.count && c.count < budget; i++) {
        uint64_t from = sd_vector_get(&ix->vector, held.entries[i].origin) + 1;
        if (from <= held.entries[i].seq)
            rc = sd_store_events_from(txn, held.entries[i].origin, from, budget - c.count,
                                      s_collect, &c)
                     ?: c.rc;
    }
    for (void *item = c.touched ? zhashx_first(c.touched) : NULL; !rc && item;
         item = zhashx_next(c.touched)) {
        const char *id = strchr(zhashx_cursor(c.touched), '\x1f') + 1;
        const char *name = zhashx_cursor(c.touched);
        rc = s_reindex(ix, txn, sd_kind_find(name, (size_t)(id - 1 - name)), id, err, cap);
    }
    sd_store_abort(&txn);
    zhashx_destroy(&c.touched);
    char marker[SD_VECTOR_MAX * (SD_SITE_MAX + 24)];
    sd_search_marker(&to, marker, sizeof marker);
    if (!rc && c.count)
        rc = sd_xindex_commit(ix->x, marker, err, cap);
    if (rc)
        return rc;
    ix->vector = to;
    ix->events += c.count;
    *behind = 0;
    for (size_t i = 0; i < held.count; i++) {
        uint64_t mine = sd_vector_get(&to, held.entries[i].origin);
        *behind += held.entries[i].seq > mine ? held.entries[i].seq - mine : 0;
    }
    return (int)c.count;
}
