/* routes.h - the HTTP API's resources: each route is one op of the client protocol.
 *
 * The table in routes.c maps a method and a path under /api/v1/ to an op and says where its
 * arguments come from (the path, the query string, a JSON body) and how its result is shaped
 * (a record with its ETag, a created record with its Location, a page of a list with its
 * cursor). Arguments are passed to the node as they are; the node's decoder and rules judge
 * them (bridge.h). The shapes, statuses and headers are set out in node/http/openapi.json. */
#ifndef SD_ROUTES_H
#define SD_ROUTES_H

#include "httpd.h"
#include "request.h"

#include <jansson.h>
#include <stdbool.h>

/* Who asks, as the HTTP request says (api.c worked it out). */
typedef struct {
    sd_http_req_t *req; /* the request */
    const char *token;  /* a bearer token or the session cookie's; NULL when neither */
    bool cookie;        /* the token came from the session cookie */
    const char *csrf;   /* with the cookie: the CSRF token that goes with it */
} sd_http_caller_t;

/* Answers the request when its path is a route of the API (any method: 405 for one the route
 * does not take). Returns true when it answered, false when no route has the path. */
bool sd_routes_serve(const sd_http_caller_t *caller);

/* Calls op as the caller with args (a JSON object, or NULL for none; borrowed). Returns 0 with
 * the ok reply in *reply (the caller clears it), or non-zero after answering the request with
 * the problem (the node's refusal, or why the call failed); *reply is then cleared. */
int sd_routes_call(const sd_http_caller_t *caller, const char *op, const json_t *args,
                   const char *if_match, const char *idempotency_key, sd_reply_t *reply);

/* Parses the request's body as a JSON object. Returns it (the caller owns it), or NULL after
 * answering with the problem: bad JSON, not UTF-8, not an object, duplicate keys, a wrong
 * content type (media: the type wanted besides application/json, or NULL), a body too big.
 * An empty body is an empty object when empty_ok. */
json_t *sd_routes_body(sd_http_req_t *req, const char *media, bool empty_ok);

#endif
