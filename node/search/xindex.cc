// xindex.cc - the full-text index over Xapian (xindex.h): the one file that includes <xapian.h>.
//
// Every entry point catches what Xapian (or the C++ library) throws and turns it into an SD_E*
// code and one line of text: no exception crosses into C.
#include "xindex.h"

extern "C" {
#include "error.h"
}

#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace
{

// Value slots.
const Xapian::valueno SLOT_UPDATED = 0; // last change, sortable_serialise(ms)
const Xapian::valueno SLOT_CREATED = 1; // creation, sortable_serialise(ms)
const Xapian::valueno SLOT_ID = 2;      // the record's id: the last tie-break of the order

// Bytes of each text kept in a document's data for its snippet.
const size_t SNIPPET_SOURCE_MAX = 6000;
// Bytes of text a snippet aims at.
const size_t SNIPPET_LENGTH = 200;
// Fields of a document's data, NUL-separated, in this order.
enum { D_KIND, D_ID, D_TITLE, D_SITE, D_STATUS, D_CATEGORY, D_UPDATED, D_PUBLIC, D_INTERNAL, D_N };

const unsigned CJK_QUERY_FLAGS =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PHRASE |
    Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |
    Xapian::QueryParser::FLAG_CJK_NGRAM;

void s_say(char *err, size_t cap, const std::string &what)
{
    if (err && cap)
        snprintf(err, cap, "%s", what.c_str());
}

std::string s_str(const char *s)
{
    return s ? std::string(s) : std::string();
}

// Cuts text to at most max bytes at a UTF-8 character boundary.
std::string s_cut(const std::string &text, size_t max)
{
    if (text.size() <= max)
        return text;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
        n--;
    return text.substr(0, n);
}

std::string s_unique(const std::string &kind, const std::string &id)
{
    return "Q" + kind + ":" + id;
}

Xapian::Stem s_stemmer()
{
    return Xapian::Stem("en");
}

// Splits a document's data into its D_N fields.
std::vector<std::string> s_fields(const std::string &data)
{
    std::vector<std::string> out;
    size_t start = 0;
    for (int i = 0; i < D_N; i++) {
        size_t end = data.find('\0', start);
        if (end == std::string::npos) {
            out.push_back(start <= data.size() ? data.substr(start) : std::string());
            start = data.size() + 1;
        } else {
            out.push_back(data.substr(start, end - start));
            start = end + 1;
        }
    }
    return out;
}

char *s_dup(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.c_str(), s.size() + 1);
    return p;
}

} // namespace

struct sd_xindex {
    Xapian::WritableDatabase db; // the index
    Xapian::TermGenerator gen;   // stemming, CJK n-grams
};

struct sd_xreader {
    Xapian::Database db; // the index as of the last reopen
};

extern "C" unsigned sd_xkind_bit(const char *name)
{
    if (!name)
        return 0;
    if (!strcmp(name, "ticket"))
        return SD_XKIND_TICKET;
    if (!strcmp(name, "article"))
        return SD_XKIND_ARTICLE;
    if (!strcmp(name, "customer"))
        return SD_XKIND_CUSTOMER;
    return 0;
}

// ---- writing ---------------------------------------------------------------------------------

namespace
{

// Runs body, the work of an entry point, and turns what it throws into an SD_E* code with one
// line in err (what: the entry point's words for the message).
template <typename F> int s_guard(char *err, size_t cap, const std::string &what, F body)
{
    try {
        return body();
    } catch (const Xapian::QueryParserError &e) {
        s_say(err, cap, e.get_msg());
        return SD_EINVAL;
    } catch (const Xapian::DatabaseModifiedError &) {
        s_say(err, cap, what + ": the index changed meanwhile; try again");
        return SD_EIO;
    } catch (const Xapian::Error &e) {
        s_say(err, cap, what + ": " + e.get_description());
        return SD_EIO;
    } catch (const std::bad_alloc &) {
        s_say(err, cap, what + ": out of memory");
        return SD_ENOMEM;
    } catch (...) {
        s_say(err, cap, what + ": unexpected failure");
        return SD_EIO;
    }
}

// The same for an entry point that answers a count: 0 on any failure.
template <typename F> uint64_t s_count(F body)
{
    uint64_t n = 0;
    s_guard(NULL, 0, "", [&] {
        n = body();
        return 0;
    });
    return n;
}

} // namespace

extern "C" int sd_xindex_open(const char *dir, sd_xindex_t **out, char *err, size_t cap)
{
    *out = NULL;
    return s_guard(err, cap, "index " + s_str(dir), [&] {
        sd_xindex_t *x = new sd_xindex_t{Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN),
                                         Xapian::TermGenerator()};
        x->gen.set_stemmer(s_stemmer());
        x->gen.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        x->gen.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        *out = x;
        return 0;
    });
}

extern "C" void sd_xindex_close(sd_xindex_t **x)
{
    if (!x || !*x)
        return;
    // Closing an index whose files went away must not stop the node.
    s_guard(NULL, 0, "", [&] {
        (*x)->db.close();
        return 0;
    });
    delete *x;
    *x = NULL;
}

extern "C" int sd_xindex_put(sd_xindex_t *x, const sd_xdoc_t *d, char *err, size_t cap)
{
    if (!d->kind || !d->id || !*d->kind || !*d->id)
        return SD_EINVAL;
    return s_guard(err, cap, "index", [&] {
        Xapian::Document doc;
        x->gen.set_document(doc);
        // Title counts three times as much as body text; a gap keeps phrases within a field.
        if (d->title)
            x->gen.index_text(d->title, 3);
        x->gen.increase_termpos(100);
        if (d->public_text)
            x->gen.index_text(d->public_text);
        x->gen.increase_termpos(100);
        if (d->internal_text)
            x->gen.index_text(d->internal_text, 1, "XI");
        std::string kind = d->kind;
        doc.add_boolean_term("K" + kind);
        doc.add_boolean_term(s_unique(kind, d->id));
        const struct {
            const char *prefix;
            const char *value;
        } terms[] = {{"XS", d->site},      {"XT", d->status},   {"XC", d->category},
                     {"XR", d->requester}, {"XA", d->audience}, {"XE", d->state},
                     {"XL", d->language}};
        for (const auto &t : terms)
            if (t.value && *t.value)
                doc.add_boolean_term(std::string(t.prefix) + t.value);
        doc.add_value(SLOT_UPDATED, Xapian::sortable_serialise(static_cast<double>(d->updated_at)));
        doc.add_value(SLOT_CREATED, Xapian::sortable_serialise(static_cast<double>(d->created_at)));
        doc.add_value(SLOT_ID, d->id);
        const std::string fields[D_N] = {kind,
                                         d->id,
                                         s_str(d->title),
                                         s_str(d->site),
                                         s_str(d->status),
                                         s_str(d->category),
                                         std::to_string(d->updated_at),
                                         s_cut(s_str(d->public_text), SNIPPET_SOURCE_MAX),
                                         s_cut(s_str(d->internal_text), SNIPPET_SOURCE_MAX)};
        std::string data;
        for (int i = 0; i < D_N; i++) {
            if (i)
                data.push_back('\0');
            data += fields[i];
        }
        doc.set_data(data);
        x->db.replace_document(s_unique(kind, d->id), doc);
        return 0;
    });
}

extern "C" int sd_xindex_delete(sd_xindex_t *x, const char *kind, const char *id, char *err,
                                size_t cap)
{
    return s_guard(err, cap, "index", [&] {
        x->db.delete_document(s_unique(s_str(kind), s_str(id)));
        return 0;
    });
}

extern "C" int sd_xindex_commit(sd_xindex_t *x, const char *marker, char *err, size_t cap)
{
    return s_guard(err, cap, "index commit", [&] {
        x->db.set_metadata("vector", s_str(marker));
        x->db.commit();
        return 0;
    });
}

extern "C" int sd_xindex_marker(sd_xindex_t *x, char *out, size_t cap)
{
    return s_guard(NULL, 0, "", [&] {
        std::string m = x->db.get_metadata("vector");
        if (m.size() + 1 > cap)
            return static_cast<int>(SD_ETOOLONG);
        memcpy(out, m.c_str(), m.size() + 1);
        return 0;
    });
}

extern "C" uint64_t sd_xindex_docs(sd_xindex_t *x)
{
    return s_count([&] { return x->db.get_doccount(); });
}

// ---- reading ---------------------------------------------------------------------------------

extern "C" int sd_xreader_open(const char *dir, sd_xreader_t **out, char *err, size_t cap)
{
    *out = NULL;
    return s_guard(err, cap, "index " + s_str(dir), [&] {
        *out = new sd_xreader_t{Xapian::Database(dir)};
        return 0;
    });
}

extern "C" void sd_xreader_close(sd_xreader_t **r)
{
    if (!r || !*r)
        return;
    s_guard(NULL, 0, "", [&] {
        (*r)->db.close();
        return 0;
    });
    delete *r;
    *r = NULL;
}

extern "C" int sd_xreader_reopen(sd_xreader_t *r, char *err, size_t cap)
{
    return s_guard(err, cap, "index reopen", [&] {
        r->db.reopen();
        return 0;
    });
}

extern "C" uint64_t sd_xreader_docs(sd_xreader_t *r)
{
    return s_count([&] { return r->db.get_doccount(); });
}

namespace
{

Xapian::Query s_term(const char *prefix, const char *value)
{
    return Xapian::Query(std::string(prefix) + value);
}

// What the caller may see of the kinds asked for: agents everything asked; a requester their
// own tickets, published public articles and no customers.
Xapian::Query s_visible(const sd_xquery_t *q)
{
    unsigned kinds = q->kinds ? q->kinds : static_cast<unsigned>(SD_XKIND_ALL);
    std::vector<Xapian::Query> any;
    if (kinds & SD_XKIND_TICKET) {
        Xapian::Query t = s_term("K", "ticket");
        if (q->requester)
            t = Xapian::Query(Xapian::Query::OP_AND, t, s_term("XR", q->requester));
        any.push_back(t);
    }
    if (kinds & SD_XKIND_ARTICLE) {
        Xapian::Query a = s_term("K", "article");
        if (q->requester) {
            const Xapian::Query parts[] = {a, s_term("XA", "public"), s_term("XE", "published")};
            a = Xapian::Query(Xapian::Query::OP_AND, parts, parts + 3);
        } else if (q->published)
            a = Xapian::Query(Xapian::Query::OP_AND, a, s_term("XE", "published"));
        any.push_back(a);
    }
    if ((kinds & SD_XKIND_CUSTOMER) && !q->requester)
        any.push_back(s_term("K", "customer"));
    if (any.empty())
        return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
}

// True when the kinds asked for leave the caller nothing to see (a requester asking for
// customers): no query runs at all, so no empty filter can be mistaken for none.
bool s_sees_nothing(const sd_xquery_t *q)
{
    unsigned kinds = q->kinds ? q->kinds : static_cast<unsigned>(SD_XKIND_ALL);
    if (q->requester)
        kinds &= ~static_cast<unsigned>(SD_XKIND_CUSTOMER);
    return (kinds & SD_XKIND_ALL) == 0;
}

// The filter of q; an empty query when there is none (an agent asking for every kind without
// filters: an OR of every kind's term would only make the matcher walk every document).
Xapian::Query s_filter(const sd_xquery_t *q)
{
    std::vector<Xapian::Query> all;
    if (q->requester || q->published || (q->kinds && q->kinds != SD_XKIND_ALL))
        all.push_back(s_visible(q));
    if (q->site && *q->site)
        all.push_back(s_term("XS", q->site));
    if (q->status && *q->status)
        all.push_back(s_term("XT", q->status));
    if (q->category && *q->category)
        all.push_back(s_term("XC", q->category));
    if (q->from)
        all.push_back(Xapian::Query(Xapian::Query::OP_VALUE_GE, SLOT_UPDATED,
                                    Xapian::sortable_serialise(static_cast<double>(q->from))));
    if (q->to)
        all.push_back(Xapian::Query(Xapian::Query::OP_VALUE_LE, SLOT_CREATED,
                                    Xapian::sortable_serialise(static_cast<double>(q->to - 1))));
    return all.empty() ? Xapian::Query()
                       : Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
}

// The characters of a CJK n-gram term (its prefix of capitals left out): 1, 2, or 0 for a term
// that is no CJK n-gram.
int s_cjk_chars(const std::string &term)
{
    size_t at = 0;
    while (at < term.size() && term[at] >= 'A' && term[at] <= 'Z')
        at++;
    size_t n = term.size() - at;
    if ((n != 3 && n != 6) || static_cast<unsigned char>(term[at]) < 0xE2)
        return 0;
    return static_cast<int>(n / 3);
}

// The query without the single characters of a Chinese word whose pairs it also asks for: the
// QueryParser makes 打印 (打 AND 打印 AND 印), and a document holding the pair holds both
// characters, so the pair alone matches the same documents with a third of the work. Operators
// that carry parameters (phrases, windows, value ranges) are kept as they are.
Xapian::Query s_lean(const Xapian::Query &q)
{
    using Q = Xapian::Query;
    Q::op type = q.get_type();
    if (type != Q::OP_AND && type != Q::OP_OR && type != Q::OP_AND_NOT && type != Q::OP_AND_MAYBE &&
        type != Q::OP_FILTER)
        return q;
    std::vector<Q> subs;
    bool pairs = false;
    for (size_t i = 0; i < q.get_num_subqueries(); i++) {
        subs.push_back(s_lean(q.get_subquery(i)));
        const Q &sub = subs.back();
        pairs |= sub.get_type() == Q::LEAF_TERM && s_cjk_chars(*sub.get_terms_begin()) == 2;
    }
    if (type == Q::OP_AND && pairs) {
        std::vector<Q> kept;
        for (const Q &sub : subs)
            if (sub.get_type() != Q::LEAF_TERM || s_cjk_chars(*sub.get_terms_begin()) != 1)
                kept.push_back(sub);
        subs.swap(kept);
    }
    return Q(type, subs.begin(), subs.end());
}

// The query of a whole text (a ticket's title and description): any of its words and Chinese
// bigrams, each weighted by how often the text says it. Not through the QueryParser, which makes
// a run of Chinese text one AND of all its n-grams (a phrase, in effect); single CJK characters
// are left out as too common to tell articles apart.
Xapian::Query s_suggest_query(const char *text)
{
    Xapian::Document scratch;
    Xapian::TermGenerator gen;
    gen.set_stemmer(s_stemmer());
    gen.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    gen.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    gen.set_document(scratch);
    gen.index_text(text);
    std::vector<Xapian::Query> terms;
    for (auto t = scratch.termlist_begin(); t != scratch.termlist_end() && terms.size() < 256;
         ++t) {
        const std::string term = *t;
        if (term.size() == 3 && static_cast<unsigned char>(term[0]) >= 0xE2)
            continue;
        terms.emplace_back(term, t.get_wdf());
    }
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

Xapian::Query s_parse(Xapian::QueryParser &qp, const sd_xquery_t *q)
{
    qp.set_stemmer(s_stemmer());
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    // The free text of a query: public text, and for agents internal notes too. A requester's
    // parser knows no other prefix, so nothing they type reaches XI terms.
    qp.add_prefix("", "");
    if (!q->requester)
        qp.add_prefix("", "XI");
    if (q->suggest)
        return s_suggest_query(q->text);
    qp.set_default_op(Xapian::Query::OP_AND);
    return qp.parse_query(q->text, CJK_QUERY_FLAGS);
}

// True when c is a character the CJK n-gram tokenizer splits (Han, kana, Hangul), roughly
// Xapian's own ranges: used only to tidy snippet marks.
bool s_is_cjk(unsigned c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

// True when text holds a run of exactly one CJK character: a query word of one character.
bool s_single_cjk(const char *text)
{
    int run = 0;
    bool single = false;
    for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
        if (s_is_cjk(*it)) {
            run++;
            continue;
        }
        single |= run == 1;
        run = 0;
    }
    return single || run == 1;
}

// The snippet without marks around one CJK character alone. The n-gram query holds every
// character of a word besides its pairs, so the snippet marks 电 of 电池 in 充电器 too; a word
// of two or more characters is marked where it stands (adjacent marks are merged first).
std::string s_unmark_singles(const std::string &s)
{
    static const std::string open = "<mark>", close = "</mark>";
    std::string out;
    size_t at = 0;
    for (size_t a, b; (a = s.find(open, at)) != std::string::npos &&
                      (b = s.find(close, a + open.size())) != std::string::npos;
         at = b + close.size()) {
        std::string inner = s.substr(a + open.size(), b - a - open.size());
        Xapian::Utf8Iterator it(inner);
        bool single =
            it != Xapian::Utf8Iterator() && s_is_cjk(*it) && ++it == Xapian::Utf8Iterator();
        out.append(s, at, a - at);
        out += single ? inner : open + inner + close;
    }
    return out.append(s, at, std::string::npos);
}

// Hit it of the query's results into h, its snippet marked by marks (an MSet of the whole query,
// every n-gram: the snippet marks Chinese text one character at a time).
void s_hit(const Xapian::MSet &marks, const Xapian::MSetIterator &it, const sd_xquery_t *q,
           sd_xhit_t *h)
{
    std::vector<std::string> f = s_fields(it.get_document().get_data());
    h->kind = s_dup(f[D_KIND]);
    h->id = s_dup(f[D_ID]);
    h->score = it.get_percent();
    if (q->ids_only)
        return;
    h->title = s_dup(f[D_TITLE]);
    h->site = s_dup(f[D_SITE]);
    h->status = s_dup(f[D_STATUS]);
    h->category = s_dup(f[D_CATEGORY]);
    h->updated_at = strtoull(f[D_UPDATED].c_str(), NULL, 10);
    // A requester's snippet comes from the public text alone.
    std::string text = f[D_PUBLIC];
    if (!q->requester && !f[D_INTERNAL].empty())
        text += (text.empty() ? "" : "\n") + f[D_INTERNAL];
    if (text.empty())
        text = f[D_TITLE];
    std::string snippet =
        marks.snippet(text, SNIPPET_LENGTH, s_stemmer(),
                      Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE |
                          Xapian::MSet::SNIPPET_CJK_NGRAM,
                      "<mark>", "</mark>", "\xe2\x80\xa6");
    // CJK n-grams are marked one character at a time: 打印 shows as one match, not two.
    for (size_t at; (at = snippet.find("</mark><mark>")) != std::string::npos;)
        snippet.erase(at, 13);
    h->snippet = s_dup(s_single_cjk(q->text) ? snippet : s_unmark_singles(snippet));
}

} // namespace

extern "C" int sd_xreader_search(sd_xreader_t *r, const sd_xquery_t *q, sd_xresult_t *out,
                                 char *err, size_t cap)
{
    *out = sd_xresult_t{};
    unsigned limit = q->limit ? q->limit : 20;
    return s_guard(err, cap, "search", [&] {
        Xapian::QueryParser qp;
        Xapian::Query parsed = s_parse(qp, q);
        if (parsed.empty() || s_sees_nothing(q))
            return 0;
        Xapian::Enquire enquire(r->db), marking(r->db);
        Xapian::Query filter = s_filter(q), lean = s_lean(parsed);
        enquire.set_query(filter.empty() ? lean
                                         : Xapian::Query(Xapian::Query::OP_FILTER, lean, filter));
        // Equal relevance: the latest change first, then the greatest id, so that two indexes
        // of the same records (one resumed after a crash, one rebuilt) answer in one order.
        Xapian::MultiValueKeyMaker ties;
        ties.add_value(SLOT_UPDATED, true);
        ties.add_value(SLOT_ID, true);
        enquire.set_sort_by_relevance_then_key(&ties, false);
        enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0, 0.5));
        Xapian::MSet mset = enquire.get_mset(q->offset, limit, q->offset + limit + 1);
        out->total = mset.get_matches_estimated();
        out->more = mset.get_matches_lower_bound() > q->offset + mset.size();
        out->hits =
            static_cast<sd_xhit_t *>(calloc(mset.size() ? mset.size() : 1, sizeof *out->hits));
        if (!out->hits)
            return static_cast<int>(SD_ENOMEM);
        marking.set_query(parsed);
        Xapian::MSet marks = q->ids_only ? mset : marking.get_mset(0, 0);
        for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
            sd_xhit_t *h = &out->hits[out->nhits++]; // counted first: a failure frees it too
            s_hit(marks, it, q, h);
        }
        return 0;
    });
}

extern "C" void sd_xresult_clear(sd_xresult_t *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->nhits; i++) {
        sd_xhit_t *h = &res->hits[i];
        free(h->kind);
        free(h->id);
        free(h->title);
        free(h->snippet);
        free(h->site);
        free(h->status);
        free(h->category);
    }
    free(res->hits);
    *res = sd_xresult_t{};
}
