/* blobs.c - the node's blobs over HTTP (blobs.h). */
#include "blobs.h"

#include "bridge.h"
#include "error.h"
#include "json_mp.h"
#include "message.h"
#include "problem.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_PREFIX "/api/v1/blobs"

/* GET /api/v1/blobs/{blob}: every byte, read by blob.get a part at a time. */
static void s_get(const sd_http_caller_t *c, const char *blob)
{
    uint8_t *all = NULL;
    size_t have = 0;
    uint64_t size = 0;
    char type[SD_BLOB_TYPE_MAX + 1] = "application/octet-stream";
    do {
        json_t *args = json_pack("{s:s, s:I, s:i}", "blob", blob, "offset", (json_int_t)have,
                                 "limit", SD_BLOB_PART_MAX);
        sd_reply_t reply;
        int rc = args ? sd_routes_call(c, "blob.get", args, NULL, NULL, &reply) : SD_ENOMEM;
        json_decref(args);
        if (rc) {
            if (rc == SD_ENOMEM)
                sd_problem_send(c->req, 500, "no_memory", "out of memory", NULL);
            free(all);
            return;
        }
        size_t len = 0;
        const char *data = sd_mp_bytes(sd_mp_get(reply.result, "data"), &len);
        sd_mp_uint(sd_mp_get(reply.result, "size"), &size);
        sd_mp_copy_str(sd_mp_get(reply.result, "type"), type, sizeof type);
        if (size > SD_HTTP_BLOB_MAX) {
            sd_reply_clear(&reply);
            free(all);
            sd_problem_send(c->req, 413, "too_big", "the blob is larger than one answer", NULL);
            return;
        }
        uint8_t *grown = all || size ? realloc(all, size ? size : 1) : NULL;
        if (!grown || have + len > size) {
            sd_reply_clear(&reply);
            free(grown ? grown : all);
            sd_problem_send(c->req, grown ? 502 : 500, grown ? "bad_reply" : "no_memory",
                            grown ? "the node's blob parts do not add up" : "out of memory", NULL);
            return;
        }
        all = grown;
        if (len)
            memcpy(all + have, data, len);
        have += len;
        sd_reply_clear(&reply);
        if (!len)
            break;
    } while (have < size);
    sd_http_add_header(c->req, "Cache-Control", "private, max-age=31536000, immutable");
    sd_http_reply(c->req, 200, type, all ? all : (const uint8_t *)"", have);
    free(all);
}

/* POST /api/v1/blobs: the body is the blob (blob.put). */
static void s_put(const sd_http_caller_t *c)
{
    size_t len = 0;
    const char *body = sd_http_body(c->req, &len);
    if (sd_http_body_too_big(c->req) || len > SD_BLOB_PART_MAX) {
        sd_problem_send(c->req, 413, "too_big",
                        "a blob part is at most 49152 bytes: put parts, then POST "
                        "/api/v1/blobs/join",
                        NULL);
        return;
    }
    sd_mp_writer_t *w = sd_mp_writer_new();
    if (!w) {
        sd_problem_send(c->req, 500, "no_memory", "out of memory", NULL);
        return;
    }
    sd_mp_map(w, 1);
    sd_mp_str(w, "data");
    sd_mp_bin(w, body ? body : "", len);
    size_t alen;
    const void *args = sd_mp_writer_data(w, &alen);
    sd_bridge_call_t call = {.op = "blob.put", .args = args, .args_len = alen, .auth = c->token};
    sd_reply_t reply;
    int rc = sd_bridge_call(&call, &reply);
    if (rc)
        sd_problem_send(c->req, 503, "unavailable", "the node did not answer", NULL);
    else if (!reply.ok)
        sd_problem_send(c->req, sd_problem_status(reply.code), sd_error_name(reply.code),
                        reply.message, NULL);
    else {
        json_t *out = sd_mp_to_json(reply.result);
        sd_http_json(c->req, 201, NULL, out);
        json_decref(out);
    }
    sd_reply_clear(&reply);
    sd_mp_writer_destroy(&w);
}

bool sd_blobs_serve(const sd_http_caller_t *c)
{
    const char *path = sd_http_path(c->req), *method = sd_http_method(c->req);
    size_t n = strlen(S_PREFIX);
    if (strncmp(path, S_PREFIX, n) != 0 || (path[n] && path[n] != '/'))
        return false;
    const char *blob = path[n] ? path + n + 1 : "";
    if (!strcmp(blob, "join"))
        return false; /* blob.join: an ordinary route (routes.c) */
    const char *allow = NULL;
    if (!*blob && strcmp(method, "POST") == 0)
        s_put(c);
    else if (!*blob)
        allow = "POST";
    else if (strcmp(method, "GET") == 0)
        s_get(c, blob);
    else
        allow = "GET";
    if (allow) {
        sd_http_add_header(c->req, "Allow", allow);
        sd_problem_send(c->req, 405, "method_not_allowed", "not a method of this resource", NULL);
    }
    return true;
}
