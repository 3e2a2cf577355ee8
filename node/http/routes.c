/* routes.c - the route table of /api/v1 and the one way every route runs (routes.h). */
#include "routes.h"

#include "bridge.h"
#include "digest.h"
#include "error.h"
#include "json_mp.h"
#include "problem.h"
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SD_ROUTE_SEGMENTS 8 /* path segments of the longest route */

enum {
    RT_QUERY = 1 << 0,      /* arguments from the query string */
    RT_BODY = 1 << 1,       /* arguments from a JSON object body */
    RT_PATCH = 1 << 2,      /* ... a JSON merge patch (application/merge-patch+json) */
    RT_RECORD = 1 << 3,     /* the result is a record: ETag, If-None-Match (GET) */
    RT_WRITE = 1 << 4,      /* a write on a record: If-Match goes to the node */
    RT_CREATED = 1 << 5,    /* 201 with Location; Idempotency-Key goes to the node */
    RT_PAGED = 1 << 6,      /* a list with `after`: items, next_cursor, Link */
    RT_MORE = 1 << 7,       /* a list without `after`: items and more */
    RT_COMMENTS = 1 << 8,   /* the result's comments as items */
    RT_EMPTY_OK = 1 << 9,   /* the body may be empty (a step without arguments) */
    RT_CURSOR = 1 << 10,    /* a list whose result has next_cursor (search): items, total, Link */
    RT_ID_TICKET = 1 << 11, /* {id} is the op's `ticket` argument (a ticket's suggestions) */
    RT_ICS = 1 << 12 /* {id} is "ROSTER.ics": args.roster, the result's ics as text/calendar */
};

typedef struct {
    const char *method; /* HTTP method */
    const char *path;   /* segments; "{id}" is the record's id, "{step}" the op's last word */
    const char *op;     /* the op; for a {step} route its prefix ("ticket.") */
    const char *steps;  /* {step} routes: the steps allowed, each between blanks */
    unsigned flags;     /* RT_* */
    const char *items;  /* lists: the result's key of the items */
} s_route_t;

#define TICKET_STEPS  " ack assign start pending resolve close reopen cancel handover declare_major "
#define USER_STEPS    " grant revoke disable enable link password "
#define ARTICLE_STEPS " publish retire link helpful "

static const s_route_t s_routes[] = {
    {"GET", "/api/v1/tickets", "ticket.list", NULL, RT_QUERY | RT_PAGED, "tickets"},
    {"POST", "/api/v1/tickets", "ticket.new", NULL, RT_BODY | RT_RECORD | RT_CREATED, NULL},
    {"GET", "/api/v1/tickets/counts", "ticket.counts", NULL, RT_QUERY, NULL},
    {"GET", "/api/v1/tickets/{id}", "ticket.get", NULL, RT_RECORD, NULL},
    {"PATCH", "/api/v1/tickets/{id}", "ticket.update", NULL, RT_PATCH | RT_RECORD | RT_WRITE, NULL},
    {"POST", "/api/v1/tickets/{id}/actions/{step}", "ticket.", TICKET_STEPS,
     RT_BODY | RT_EMPTY_OK | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/tickets/{id}/comments", "ticket.get", NULL, RT_COMMENTS, NULL},
    {"POST", "/api/v1/tickets/{id}/comments", "ticket.comment", NULL,
     RT_BODY | RT_RECORD | RT_WRITE | RT_CREATED, NULL},
    {"GET", "/api/v1/tickets/{id}/history", "ticket.history", NULL, 0, NULL},
    {"GET", "/api/v1/schedule/now", "schedule.now", NULL, 0, NULL},
    {"GET", "/api/v1/schedule/coverage", "schedule.coverage", NULL, RT_QUERY, NULL},
    {"GET", "/api/v1/handovers", "handover.report", NULL, RT_QUERY | RT_MORE, "handovers"},
    {"GET", "/api/v1/users", "user.list", NULL, RT_QUERY | RT_PAGED, "users"},
    {"POST", "/api/v1/users", "user.new", NULL, RT_BODY | RT_RECORD | RT_CREATED, NULL},
    {"GET", "/api/v1/users/{id}", "user.get", NULL, RT_RECORD, NULL},
    {"PATCH", "/api/v1/users/{id}", "user.update", NULL, RT_PATCH | RT_RECORD | RT_WRITE, NULL},
    {"POST", "/api/v1/users/{id}/actions/{step}", "user.", USER_STEPS,
     RT_BODY | RT_EMPTY_OK | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/teams", "team.list", NULL, RT_QUERY | RT_PAGED, "teams"},
    {"POST", "/api/v1/teams", "team.new", NULL, RT_BODY | RT_RECORD | RT_CREATED, NULL},
    {"GET", "/api/v1/teams/{id}", "team.get", NULL, RT_RECORD, NULL},
    {"PATCH", "/api/v1/teams/{id}", "team.update", NULL, RT_PATCH | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/customers", "customer.list", NULL, RT_QUERY | RT_PAGED, "customers"},
    {"POST", "/api/v1/customers", "customer.new", NULL, RT_BODY | RT_RECORD | RT_CREATED, NULL},
    {"GET", "/api/v1/customers/find", "customer.find", NULL, RT_QUERY | RT_MORE, "customers"},
    {"GET", "/api/v1/customers/{id}", "customer.get", NULL, RT_RECORD, NULL},
    {"PATCH", "/api/v1/customers/{id}", "customer.update", NULL, RT_PATCH | RT_RECORD | RT_WRITE,
     NULL},
    {"POST", "/api/v1/customers/{id}/actions/{step}", "customer.", " merge ",
     RT_BODY | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/customers/{id}/card", "customer.lookup", NULL, 0, NULL},
    {"GET", "/api/v1/lookup", "customer.lookup", NULL, RT_QUERY, NULL},
    {"GET", "/api/v1/assets", "asset.list", NULL, RT_QUERY | RT_PAGED, "assets"},
    {"POST", "/api/v1/assets", "asset.new", NULL, RT_BODY | RT_RECORD | RT_CREATED, NULL},
    {"GET", "/api/v1/assets/{id}", "asset.get", NULL, RT_RECORD, NULL},
    {"PATCH", "/api/v1/assets/{id}", "asset.update", NULL, RT_PATCH | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/vendors", "vendor.list", NULL, RT_QUERY | RT_PAGED, "vendors"},
    {"POST", "/api/v1/vendors", "vendor.new", NULL, RT_BODY | RT_RECORD | RT_CREATED, NULL},
    {"GET", "/api/v1/vendors/{id}", "vendor.get", NULL, RT_RECORD, NULL},
    {"PATCH", "/api/v1/vendors/{id}", "vendor.update", NULL, RT_PATCH | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/tokens", "token.list", NULL, RT_QUERY | RT_PAGED, "tokens"},
    {"POST", "/api/v1/tokens", "token.new", NULL, RT_BODY | RT_EMPTY_OK | RT_CREATED, NULL},
    {"POST", "/api/v1/tokens/{id}/actions/{step}", "token.", " revoke ",
     RT_BODY | RT_EMPTY_OK | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/contacts", "contact.list", NULL, RT_QUERY | RT_PAGED, "contacts"},
    {"POST", "/api/v1/contacts", "contact.new", NULL, RT_BODY | RT_RECORD | RT_CREATED, NULL},
    {"GET", "/api/v1/contacts/{id}", "contact.get", NULL, RT_RECORD, NULL},
    {"PATCH", "/api/v1/contacts/{id}", "contact.update", NULL, RT_PATCH | RT_RECORD | RT_WRITE,
     NULL},
    {"GET", "/api/v1/majors", "major.list", NULL, RT_QUERY | RT_PAGED, "majors"},
    {"POST", "/api/v1/majors", "major.new", NULL, RT_BODY | RT_RECORD | RT_CREATED, NULL},
    {"GET", "/api/v1/majors/{id}", "major.get", NULL, RT_RECORD, NULL},
    {"PATCH", "/api/v1/majors/{id}", "major.update", NULL, RT_PATCH | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/articles", "article.list", NULL, RT_QUERY | RT_PAGED, "articles"},
    {"POST", "/api/v1/articles", "article.new", NULL, RT_BODY | RT_RECORD | RT_CREATED, NULL},
    /* No ETag on these gets: solved, helpful and current are counted when read. */
    {"GET", "/api/v1/articles/{id}", "article.get", NULL, 0, NULL},
    {"PATCH", "/api/v1/articles/{id}", "article.update", NULL, RT_PATCH | RT_RECORD | RT_WRITE,
     NULL},
    {"GET", "/api/v1/articles/{id}/versions/{version}", "article.version", NULL, 0, NULL},
    {"GET", "/api/v1/articles/{id}/diff", "article.diff", NULL, RT_QUERY, NULL},
    {"POST", "/api/v1/articles/{id}/actions/{step}", "article.", ARTICLE_STEPS,
     RT_BODY | RT_EMPTY_OK | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/bulletins", "bulletin.list", NULL, RT_QUERY | RT_PAGED, "bulletins"},
    {"POST", "/api/v1/bulletins", "bulletin.new", NULL, RT_BODY | RT_RECORD | RT_CREATED, NULL},
    {"GET", "/api/v1/bulletins/{id}", "bulletin.get", NULL, 0, NULL},
    {"PATCH", "/api/v1/bulletins/{id}", "bulletin.update", NULL, RT_PATCH | RT_RECORD | RT_WRITE,
     NULL},
    {"POST", "/api/v1/bulletins/{id}/actions/{step}", "bulletin.", " withdraw ",
     RT_BODY | RT_EMPTY_OK | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/messages", "message.list", NULL, RT_QUERY | RT_PAGED, "messages"},
    {"GET", "/api/v1/messages/{id}", "message.get", NULL, RT_RECORD, NULL},
    {"POST", "/api/v1/messages/{id}/actions/{step}", "message.", " release discard ",
     RT_BODY | RT_EMPTY_OK, NULL},
    {"GET", "/api/v1/tickets/{id}/messages", "message.list", NULL,
     RT_QUERY | RT_PAGED | RT_ID_TICKET, "messages"},
    {"POST", "/api/v1/mail/messages", "mail.ingest", NULL, RT_BODY, NULL},
    {"POST", "/api/v1/chat/messages", "chat.ingest", NULL, RT_BODY, NULL},
    {"POST", "/api/v1/blobs/join", "blob.join", NULL, RT_BODY, NULL},
    {"GET", "/api/v1/audit", "audit.list", NULL, RT_QUERY | RT_MORE, "entries"},
    {"GET", "/api/v1/node", "node.status", NULL, 0, NULL},
    {"GET", "/api/v1/node/digest", "node.digest", NULL, 0, NULL},
    {"GET", "/api/v1/replication", "repl.status", NULL, 0, NULL},
    {"GET", "/api/v1/oncall", "oncall.now", NULL, RT_QUERY, NULL},
    {"GET", "/api/v1/oncall/overrides", "oncall.list", NULL, RT_QUERY | RT_PAGED, "overrides"},
    {"POST", "/api/v1/oncall/overrides", "oncall.override", NULL, RT_BODY | RT_RECORD | RT_CREATED,
     NULL},
    {"GET", "/api/v1/oncall/overrides/{id}", "oncall.get", NULL, RT_RECORD, NULL},
    {"POST", "/api/v1/oncall/overrides/{id}/actions/{step}", "oncall.", " cancel ",
     RT_BODY | RT_EMPTY_OK | RT_RECORD | RT_WRITE, NULL},
    {"GET", "/api/v1/oncall/{id}", "oncall.ics", NULL, RT_QUERY | RT_ICS, NULL},
    {"GET", "/api/v1/search", "search.query", NULL, RT_QUERY | RT_CURSOR, "hits"},
    {"GET", "/api/v1/search/suggest", "search.suggest", NULL, RT_QUERY, NULL},
    {"GET", "/api/v1/search/status", "search.status", NULL, 0, NULL},
    {"POST", "/api/v1/search/reindex", "search.reindex", NULL, RT_BODY | RT_EMPTY_OK, NULL},
    {"GET", "/api/v1/tickets/{id}/suggestions", "search.suggest", NULL, RT_QUERY | RT_ID_TICKET,
     NULL},
    {"GET", "/api/v1/alerts", "alert.list", NULL, RT_QUERY | RT_PAGED, "alerts"},
    {"GET", "/api/v1/alerts/{id}", "alert.get", NULL, RT_RECORD, NULL},
    {"GET", "/api/v1/outbox", "outbox.list", NULL, RT_QUERY | RT_PAGED, "entries"},
    {"POST", "/api/v1/outbox/{id}/actions/{step}", "outbox.", " retry ", RT_BODY | RT_EMPTY_OK,
     NULL},
};

/* The parts of a path that matched a route. */
typedef struct {
    const s_route_t *route; /* the route */
    char id[256];           /* {id}, or "" */
    char op[64];            /* the op, with {step} filled in */
    char version[24];       /* {version} (digits; "0" for anything else), or "" */
} s_match_t;

/* Splits path into at most SD_ROUTE_SEGMENTS segments (copied into buf). Returns the count, or
 * -1 for too many, an empty segment or a trailing slash. */
static int s_split(const char *path, char *buf, size_t cap, char **seg)
{
    if (snprintf(buf, cap, "%s", path) >= (int)cap || buf[0] != '/')
        return -1;
    int n = 0;
    for (char *p = buf + 1;; n++) {
        if (n == SD_ROUTE_SEGMENTS || !*p || *p == '/')
            return -1;
        seg[n] = p;
        char *slash = strchr(p, '/');
        if (!slash)
            return n + 1;
        *slash = 0;
        p = slash + 1;
    }
}

/* Does path fit route (its segments, ignoring the method)? Fills m. */
static bool s_fits(const s_route_t *route, char **seg, int n, s_match_t *m)
{
    char buf[128], *want[SD_ROUTE_SEGMENTS];
    if (s_split(route->path, buf, sizeof buf, want) != n)
        return false;
    m->route = route;
    m->id[0] = 0;
    m->version[0] = 0;
    snprintf(m->op, sizeof m->op, "%s", route->op);
    for (int i = 0; i < n; i++) {
        if (!strcmp(want[i], "{id}")) {
            if (strlen(seg[i]) >= sizeof m->id)
                return false;
            strcpy(m->id, seg[i]);
        } else if (!strcmp(want[i], "{version}")) {
            /* Not a number: no such version (0), which the op answers not_found. */
            bool digits = strlen(seg[i]) < sizeof m->version &&
                          strspn(seg[i], "0123456789") == strlen(seg[i]);
            strcpy(m->version, digits ? seg[i] : "0");
        } else if (!strcmp(want[i], "{step}")) {
            char step[40];
            snprintf(step, sizeof step, " %s ", seg[i]);
            if (strlen(seg[i]) > 30 || !strstr(route->steps, step))
                return false;
            snprintf(m->op, sizeof m->op, "%s%s", route->op, seg[i]);
        } else if (strcmp(want[i], seg[i]) != 0)
            return false;
    }
    return true;
}

/* A JSON array of the words of "a, b, c" ("" gives []). */
static json_t *s_words(const char *list)
{
    json_t *arr = json_array();
    while (arr && *list) {
        size_t len = strcspn(list, ",");
        json_array_append_new(arr, json_stringn(list, len));
        list += len;
        list += strspn(list, ", ");
    }
    return arr;
}

int sd_routes_call(const sd_http_caller_t *c, const char *op, const json_t *args,
                   const char *if_match, const char *idempotency_key, sd_reply_t *reply)
{
    *reply = (sd_reply_t){0};
    sd_mp_writer_t *w = NULL;
    const void *bytes = NULL;
    size_t len = 0;
    if (args) {
        char pointer[128];
        if (!(w = sd_mp_writer_new())) {
            sd_problem_send(c->req, 500, "no_memory", "out of memory", NULL);
            return SD_ENOMEM;
        }
        if (sd_json_to_mp(args, w, pointer, sizeof pointer) != 0) {
            char detail[320];
            snprintf(detail, sizeof detail,
                     "args.%s: a number with a fraction or an exponent; "
                     "every number argument is an integer",
                     pointer + 2);
            sd_problem_send(c->req, 422, "wrong_type", detail, NULL);
            sd_mp_writer_destroy(&w);
            return SD_ETYPE;
        }
        bytes = sd_mp_writer_data(w, &len);
    }
    sd_bridge_call_t call = {.op = op,
                             .args = bytes,
                             .args_len = len,
                             .auth = c->token,
                             .if_match = if_match,
                             .idempotency_key = idempotency_key};
    int rc = sd_bridge_call(&call, reply);
    sd_mp_writer_destroy(&w);
    if (rc) {
        sd_reply_clear(reply);
        sd_problem_send(c->req, rc == SD_ETIMEOUT ? 503 : 500, sd_error_name(rc),
                        rc == SD_ETIMEOUT ? "the node did not answer in time; try again"
                                          : "cannot reach the node",
                        NULL);
        return rc;
    }
    if (!reply->ok) {
        json_t *allowed = NULL;
        if (reply->has_allowed)
            allowed = s_words(reply->allowed);
        int code = reply->code ? reply->code : SD_EINVAL;
        char detail[sizeof reply->message + 16];
        if (code == SD_EUNAUTHENTICATED && !c->token)
            snprintf(detail, sizeof detail,
                     "send Authorization: Bearer TOKEN (an API token: sundesk token new) or log "
                     "in with POST /api/v1/session");
        else if (c->id_name && !strncmp(reply->message, "args.id:", 8))
            snprintf(detail, sizeof detail, "args.%s:%s", c->id_name, reply->message + 8);
        else
            snprintf(detail, sizeof detail, "%s", reply->message);
        sd_problem_send(c->req, sd_problem_status(code), sd_error_name(code), detail, allowed);
        json_decref(allowed);
        sd_reply_clear(reply);
        return code;
    }
    return 0;
}

json_t *sd_routes_body(sd_http_req_t *req, const char *media, bool empty_ok)
{
    size_t len;
    const char *body = sd_http_body(req, &len);
    if (sd_http_body_too_big(req)) {
        sd_problem_send(req, 413, "too_big", "the request body is over 65536 bytes", NULL);
        return NULL;
    }
    if (len > SD_HTTP_MAX_BODY) { /* the server takes more for the alert webhooks (alerts.h) */
        sd_problem_send(req, 413, "too_big", "the request body is over 65536 bytes", NULL);
        return NULL;
    }
    if (len == 0 && empty_ok)
        return json_object();
    const char *ctype = sd_http_header(req, "Content-Type");
    size_t clen = ctype ? strcspn(ctype, "; ") : 0;
    bool json = ctype && clen == 16 && !strncasecmp(ctype, "application/json", 16);
    bool other = ctype && media && clen == strlen(media) && !strncasecmp(ctype, media, clen);
    if (!json && !other) {
        char detail[160];
        snprintf(detail, sizeof detail, "send the body as application/json%s%s",
                 media ? " or " : "", media ? media : "");
        sd_problem_send(req, 415, "unsupported_media_type", detail, NULL);
        return NULL;
    }
    json_error_t err;
    json_t *v = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &err);
    if (!v) {
        enum json_error_code code = json_error_code(&err);
        char detail[320];
        snprintf(detail, sizeof detail, "the body is not valid JSON: %s (line %d, column %d)",
                 err.text, err.line, err.column);
        sd_problem_send(req, code == json_error_duplicate_key ? 422 : 400,
                        code == json_error_invalid_utf8    ? "bad_utf8"
                        : code == json_error_duplicate_key ? "duplicate"
                                                           : "bad_json",
                        detail, NULL);
        return NULL;
    }
    if (!json_is_object(v)) {
        sd_problem_send(req, 400, "bad_json", "the body must be a JSON object", NULL);
        json_decref(v);
        return NULL;
    }
    return v;
}

/* Query parameters into args, typed by the op's argument table. */
typedef struct {
    int op;           /* the op */
    json_t *args;     /* where they go */
    char detail[200]; /* why one was refused */
} s_query_t;

static int s_query_arg(void *arg, const char *key, const char *value)
{
    s_query_t *q = arg;
    const sd_field_t *fields = NULL;
    size_t n = q->op >= 0 ? sd_req_op_fields(q->op, &fields) : 0;
    /* A list's cursor is the id to resume after, but for an op with a cursor of its own. */
    bool own_cursor = sd_fields_find(fields, n, "cursor") >= 0;
    const char *name = !strcmp(key, "cursor") && !own_cursor ? "after" : key;
    if (q->op < 0) {
        snprintf(q->detail, sizeof q->detail, "query parameter '%s': this resource takes none",
                 key);
        return -1;
    }
    int i = !strcmp(key, "after") ? -1 : sd_fields_find(fields, n, name);
    if (i < 0 || !strcmp(name, "id")) {
        snprintf(q->detail, sizeof q->detail, "query parameter '%s' is not one of %s's", key,
                 sd_req_op_name(q->op));
        return -1;
    }
    if (!value)
        value = "";
    json_t *v = NULL;
    char *end = NULL;
    switch (fields[i].kind) {
    case SD_F_INT:
    case SD_F_U64: {
        unsigned long long u = strtoull(value, &end, 10);
        if (value[0] >= '0' && value[0] <= '9' && !*end && u <= INT64_MAX)
            v = json_integer((json_int_t)u);
        break;
    }
    case SD_F_BOOL:
        if (!strcmp(value, "true") || !strcmp(value, "false"))
            v = json_boolean(value[0] == 't');
        break;
    default:
        v = json_string(value);
        break;
    }
    if (!v) {
        snprintf(q->detail, sizeof q->detail, "query parameter '%s': '%.60s' is not %s", key, value,
                 fields[i].kind == SD_F_BOOL ? "true or false" : "a non-negative integer");
        return -1;
    }
    if (json_object_get(q->args, name)) {
        json_decref(v);
        snprintf(q->detail, sizeof q->detail, "query parameter '%s' given twice", key);
        return -1;
    }
    json_object_set_new(q->args, name, v);
    return 0;
}

/* The value of an If-Match or If-None-Match header as the bare version ("*" stays "*"), or
 * NULL when absent. A list or a weak tag is taken by its first entry, unquoted. */
static const char *s_etag(const char *header, char *out, size_t cap)
{
    if (!header)
        return NULL;
    while (*header == ' ')
        header++;
    if (!strncmp(header, "W/", 2))
        header += 2;
    if (*header == '"')
        header++;
    size_t len = strcspn(header, "\", ");
    snprintf(out, cap, "%.*s", (int)(len < cap ? len : cap - 1), header);
    return out;
}

/* Adds `ETag: "VERSION"` for result and puts the version in version[33]. */
static void s_add_etag(sd_http_req_t *req, const sd_mp_node_t *result, char version[33])
{
    char tag[40];
    if (sd_mp_node_version(result, version) != 0) {
        version[0] = 0;
        return;
    }
    snprintf(tag, sizeof tag, "\"%s\"", version);
    sd_http_add_header(req, "ETag", tag);
}

/* Appends text to out percent-encoded (RFC 3986 unreserved characters stay). */
static void s_encode(char *out, size_t cap, const char *text)
{
    size_t used = strlen(out);
    for (const unsigned char *p = (const unsigned char *)text; *p && used + 4 < cap; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            out[used++] = (char)*p;
        else
            used += (size_t)snprintf(out + used, cap - used, "%%%02X", *p);
    }
    out[used] = 0;
}

typedef struct {
    char *out;  /* the link so far */
    size_t cap; /* its room */
} s_link_t;

static int s_link_param(void *arg, const char *key, const char *value)
{
    s_link_t *l = arg;
    if (strcmp(key, "cursor") != 0) {
        s_encode(l->out, l->cap, key);
        strncat(l->out, "=", l->cap - strlen(l->out) - 1);
        s_encode(l->out, l->cap, value ? value : "");
        strncat(l->out, "&", l->cap - strlen(l->out) - 1);
    }
    return 0;
}

/* `Link: <PATH?SAME&cursor=ID>; rel="next"`: the same query with the cursor of the next page. */
static void s_link(sd_http_req_t *req, const char *cursor)
{
    char link[2048];
    snprintf(link, sizeof link, "<%s?", sd_http_path(req));
    s_link_t l = {link, sizeof link - 64};
    sd_http_query_each(req, s_link_param, &l);
    strncat(link, "cursor=", sizeof link - strlen(link) - 1);
    s_encode(link, sizeof link - 16, cursor);
    strncat(link, ">; rel=\"next\"", sizeof link - strlen(link) - 1);
    sd_http_add_header(req, "Link", link);
}

/* A list's page: {items, next_cursor} with Link, or {items, more}. */
static json_t *s_page(sd_http_req_t *req, const s_route_t *r, json_t *result)
{
    json_t *items = json_object_get(result, r->items);
    json_t *more = json_object_get(result, "more");
    json_t *page = json_pack("{s:O}", "items", items ? items : json_null());
    if (!page || !(r->flags & (RT_PAGED | RT_CURSOR))) {
        if (page)
            json_object_set(page, "more", more ? more : json_false());
        return page;
    }
    if (r->flags & RT_CURSOR) { /* the node made the cursor: passed on as it is */
        json_t *next = json_object_get(result, "next_cursor");
        json_object_set(page, "total", json_object_get(result, "total"));
        json_object_set(page, "next_cursor", next ? next : json_null());
        if (json_is_string(next))
            s_link(req, json_string_value(next));
        return page;
    }
    size_t n = json_array_size(items);
    json_t *last = n ? json_object_get(json_array_get(items, n - 1), "id") : NULL;
    if (json_is_true(more) && json_is_string(last)) {
        json_object_set(page, "next_cursor", last);
        s_link(req, json_string_value(last));
    } else
        json_object_set_new(page, "next_cursor", json_null());
    return page;
}

/* Runs the matched route m. */
static void s_run(const sd_http_caller_t *c, const s_match_t *m)
{
    sd_http_req_t *req = c->req;
    const s_route_t *r = m->route;
    json_t *args = NULL;
    if (r->flags & (RT_BODY | RT_PATCH)) {
        args = sd_routes_body(req, r->flags & RT_PATCH ? "application/merge-patch+json" : NULL,
                              r->flags & RT_EMPTY_OK);
        if (!args)
            return;
    } else
        args = json_object();
    s_match_t roster; /* /oncall/ROSTER.ics: the id is the roster, no id argument */
    if (r->flags & RT_ICS) {
        size_t idlen = strlen(m->id);
        if (idlen <= 4 || strcmp(m->id + idlen - 4, ".ics") != 0) {
            sd_problem_send(req, 404, "not_found",
                            "a roster's calendar is /api/v1/oncall/ROSTER.ics", NULL);
            json_decref(args);
            return;
        }
        json_object_set_new(args, "roster", json_stringn(m->id, idlen - 4));
        roster = *m;
        roster.id[0] = 0;
        m = &roster;
    }
    if (m->id[0]) {
        if (json_object_get(args, "id")) {
            sd_problem_send(req, 422, "unknown_field",
                            "args.id: the record's id is the one in the path; leave it out of "
                            "the body",
                            NULL);
            json_decref(args);
            return;
        }
        json_object_set_new(args, r->flags & RT_ID_TICKET ? "ticket" : "id", json_string(m->id));
    }
    if (m->version[0])
        json_object_set_new(args, "version", json_integer(strtoll(m->version, NULL, 10)));
    s_query_t q = {.op = r->flags & RT_QUERY ? sd_req_op_value(m->op) : -1, .args = args};
    if (sd_http_query_each(req, s_query_arg, &q) != 0) {
        sd_problem_send(req, 400, "bad_query", q.detail, NULL);
        json_decref(args);
        return;
    }
    char want[40], none[40], version[33];
    const char *if_match =
        r->flags & RT_WRITE ? s_etag(sd_http_header(req, "If-Match"), want, sizeof want) : NULL;
    if (if_match && !strcmp(if_match, "*"))
        if_match = NULL; /* any current record: the write checks that it exists */
    /* Passed wherever given: the node honours it on a create and refuses it (invalid) on any
     * other write, so a retried comment or step is never silently doubled. */
    const char *idem = sd_http_header(req, "Idempotency-Key");
    sd_reply_t reply;
    int rc = sd_routes_call(c, m->op, json_object_size(args) ? args : NULL, if_match, idem, &reply);
    json_decref(args);
    if (rc)
        return;
    if (r->flags & RT_RECORD)
        s_add_etag(req, reply.result, version);
    const char *inm = s_etag(sd_http_header(req, "If-None-Match"), none, sizeof none);
    if (r->flags & RT_RECORD && !strcmp(sd_http_method(req), "GET") && inm &&
        (!strcmp(inm, "*") || !strcmp(inm, version))) {
        sd_http_reply(req, 304, NULL, "", 0);
        sd_reply_clear(&reply);
        return;
    }
    json_t *result = sd_mp_to_json(reply.result);
    json_t *ics = r->flags & RT_ICS ? json_object_get(result, "ics") : NULL;
    if (json_is_string(ics)) {
        sd_http_reply(req, 200, "text/calendar; charset=utf-8", json_string_value(ics),
                      json_string_length(ics));
        json_decref(result);
        sd_reply_clear(&reply);
        return;
    }
    json_t *body = result;
    if (result && r->flags & (RT_PAGED | RT_MORE | RT_CURSOR))
        body = s_page(req, r, result);
    else if (result && r->flags & RT_COMMENTS)
        body = json_pack("{s:O}", "items", json_object_get(result, "comments"));
    unsigned status = 200;
    if (r->flags & RT_CREATED) {
        status = 201;
        char location[512];
        json_t *id = json_object_get(result, "id");
        if (r->flags & RT_WRITE) /* a comment: the thread it joined */
            snprintf(location, sizeof location, "%s", sd_http_path(req));
        else
            snprintf(location, sizeof location, "%s/%s", sd_http_path(req),
                     json_is_string(id) ? json_string_value(id) : "");
        sd_http_add_header(req, "Location", location);
    }
    if (body)
        sd_http_json(req, status, NULL, body);
    else
        sd_problem_send(req, 500, "no_memory", "out of memory shaping the reply", NULL);
    if (body != result)
        json_decref(body);
    json_decref(result);
    sd_reply_clear(&reply);
}

/* True when route names its path without placeholders. */
static bool s_literal(const s_route_t *route)
{
    return strchr(route->path, '{') == NULL;
}

bool sd_routes_serve(const sd_http_caller_t *c)
{
    char buf[512], *seg[SD_ROUTE_SEGMENTS];
    int n = s_split(sd_http_path(c->req), buf, sizeof buf, seg);
    if (n < 0)
        return false;
    const char *method = sd_http_method(c->req);
    if (!strcmp(method, "HEAD")) /* libmicrohttpd sends the headers of the GET only */
        method = "GET";
    /* A path a route names literally (/tickets/counts) is never an id of another route. */
    bool literal = false;
    s_match_t m;
    for (size_t i = 0; i < sizeof s_routes / sizeof *s_routes; i++)
        literal |= s_literal(&s_routes[i]) && s_fits(&s_routes[i], seg, n, &m);
    char allow[64] = "";
    for (size_t i = 0; i < sizeof s_routes / sizeof *s_routes; i++) {
        if ((literal && !s_literal(&s_routes[i])) || !s_fits(&s_routes[i], seg, n, &m))
            continue;
        if (!strcmp(s_routes[i].method, method)) {
            s_run(c, &m);
            return true;
        }
        size_t used = strlen(allow);
        snprintf(allow + used, sizeof allow - used, "%s%s", used ? ", " : "", s_routes[i].method);
    }
    if (!allow[0])
        return false;
    sd_http_add_header(c->req, "Allow", allow);
    char detail[128];
    snprintf(detail, sizeof detail, "%s is not a method of this resource (allowed: %s)", method,
             allow);
    sd_problem_send(c->req, 405, "method_not_allowed", detail, NULL);
    return true;
}
