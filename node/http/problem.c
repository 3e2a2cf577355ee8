/* problem.c - RFC 9457 problem details for the HTTP API (problem.h). */
#include "problem.h"

#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned sd_problem_status(int code)
{
    switch (code) {
    case SD_EMSGPACK:
    case SD_ETRAILING:
    case SD_EFRAMING:
    case SD_EVERSION:
    case SD_EUNKNOWN_OP:
        return 400;
    case SD_ETYPE:
    case SD_EMISSING:
    case SD_EUNKNOWN_FIELD:
    case SD_ETOOLONG:
    case SD_EUTF8:
    case SD_ERANGE:
    case SD_EINVAL:
        return 422;
    case SD_EUNAUTHENTICATED:
        return 401;
    case SD_EFORBIDDEN:
        return 403;
    case SD_ENOTFOUND:
        return 404;
    case SD_ETRANSITION:
    case SD_EDUPLICATE:
        return 409;
    case SD_EPRECONDITION:
        return 412;
    case SD_ETOOBIG:
        return 413;
    case SD_EBUSY:
        return 429;
    case SD_EUNAVAILABLE:
    case SD_ETIMEOUT:
        return 503;
    case SD_EFULL:
        return 507;
    default:
        return 500;
    }
}

static const char *s_title(unsigned status)
{
    switch (status) {
    case 400:
        return "Bad request";
    case 401:
        return "Not authenticated";
    case 403:
        return "Forbidden";
    case 404:
        return "Not found";
    case 405:
        return "Method not allowed";
    case 409:
        return "Conflict";
    case 412:
        return "Precondition failed";
    case 413:
        return "Request body too large";
    case 415:
        return "Unsupported media type";
    case 422:
        return "Invalid argument";
    case 428:
        return "Precondition required";
    case 429:
        return "Too many requests";
    case 503:
        return "Service unavailable";
    case 507:
        return "Insufficient storage";
    default:
        return "Internal error";
    }
}

int sd_http_json(sd_http_req_t *req, unsigned status, const char *ctype, const json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    if (!text) {
        sd_http_reply(req, 500, "text/plain; charset=utf-8", "out of memory\n", 14);
        return SD_ENOMEM;
    }
    sd_http_add_header(req, "Cache-Control", "no-store");
    int rc = sd_http_reply(req, status, ctype ? ctype : "application/json", text, strlen(text));
    free(text);
    return rc;
}

/* "#/NAME" from the node's "args.NAME: ..." (PROTOCOL.md: messages name the offending field
 * first), or "" when the detail names none. */
static void s_pointer(const char *detail, char *out, size_t cap)
{
    out[0] = 0;
    if (!detail || strncmp(detail, "args.", 5) != 0)
        return;
    const char *name = detail + 5;
    size_t len = strcspn(name, ": ");
    if (len == 0 || len + 3 > cap || name[len] != ':')
        return;
    snprintf(out, cap, "#/%.*s", (int)len, name);
}

void sd_problem_send(sd_http_req_t *req, unsigned status, const char *code, const char *detail,
                     json_t *allowed)
{
    char type[96], pointer[80];
    snprintf(type, sizeof type, "https://sundesk.dev/problems/%s", code);
    json_t *p =
        json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "type", type, "title", s_title(status),
                  "status", (int)status, "detail", detail && detail[0] ? detail : s_title(status),
                  "instance", sd_http_path(req), "code", code);
    if (!p) {
        sd_http_reply(req, status, "text/plain; charset=utf-8", "error\n", 6);
        return;
    }
    s_pointer(detail, pointer, sizeof pointer);
    if (pointer[0])
        json_object_set_new(p, "errors",
                            json_pack("[{s:s, s:s}]", "pointer", pointer, "detail", detail));
    if (allowed)
        json_object_set(p, "allowed", allowed);
    if (status == 401)
        sd_http_add_header(req, "WWW-Authenticate", "Bearer realm=\"sundesk\"");
    if (status == 429 || status == 503)
        sd_http_add_header(req, "Retry-After", "1");
    sd_http_json(req, status, "application/problem+json", p);
    json_decref(p);
}
