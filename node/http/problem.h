/* problem.h - errors of the HTTP API as RFC 9457 problem details (application/problem+json).
 *
 * Every refusal, the node's and the HTTP layer's own, is one JSON object: `type` (a URI naming
 * the code), `title`, `status`, `detail` (the node's one-line message), `instance` (the path
 * asked), and `code`, the protocol's stable error name (proto/PROTOCOL.md section 9) or one of
 * the HTTP layer's (`bad_json`, `csrf`, `unsupported_media_type`, `no_route`,
 * `method_not_allowed`, `too_big` for a body over the limit). A refusal that names an argument
 * adds `errors: [{pointer, detail}]` with a JSON pointer into the body ("#/title"); a refused
 * workflow step adds `allowed`, the steps the record's state allows. */
#ifndef SD_PROBLEM_H
#define SD_PROBLEM_H

#include "httpd.h"

#include <jansson.h>

/* The HTTP status for a protocol error code (SD_E*): 422 for an argument the node refused,
 * 401, 403, 404, 409 (a refused transition, a duplicate), 412, 413, 429 (busy), 503, 507
 * (disk full), else 500. */
unsigned sd_problem_status(int code);

/* Answers req with a problem: status, code (a wire name), detail (one line; may be NULL).
 * A detail of the node's form "args.NAME: ..." also gives errors[0].pointer "#/NAME".
 * allowed (may be NULL) is added as `allowed` (a reference is taken). Adds
 * `WWW-Authenticate: Bearer` to a 401 and `Retry-After: 1` to a 429 or 503. */
void sd_problem_send(sd_http_req_t *req, unsigned status, const char *code, const char *detail,
                     json_t *allowed);

/* Answers req with a JSON body: status and the dump of body (compact, UTF-8), with
 * `Cache-Control: no-store`. ctype NULL means application/json. Returns 0 or SD_ENOMEM. */
int sd_http_json(sd_http_req_t *req, unsigned status, const char *ctype, const json_t *body);

#endif
