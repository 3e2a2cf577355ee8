/* console.c - the console's static files and the embedded OpenAPI document (console.h). */
#include "console.h"

#include "problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char sd_openapi_json[];     /* openapi_doc.c, generated from openapi.json */
extern const size_t sd_openapi_json_len; /* its length */

#define S_FILE_MAX (16 << 20) /* the largest console file served */

static const char *s_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".json", "application/json"},
                 {".map", "application/json"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"},
                 {".ico", "image/x-icon"},
                 {".woff2", "font/woff2"}};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

/* A plain file name: [A-Za-z0-9._-], not starting with a dot, at most 128 bytes. */
static bool s_plain(const char *name)
{
    size_t len = strlen(name);
    return len > 0 && len <= 128 && name[0] != '.' &&
           strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == len;
}

/* Sends dir/sub/name (sub "" for the top). */
static void s_send_file(sd_http_req_t *req, const char *dir, const char *sub, const char *name)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s%s", dir, sub, name);
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long size = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && size <= S_FILE_MAX &&
        fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)size + 1)) &&
        fread(data, 1, (size_t)size, f) == (size_t)size) {
        /* The console's code comes only from here: no inline scripts, no other origin. */
        sd_http_add_header(req, "Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self' "
                           "'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
        sd_http_add_header(req, "Cache-Control", "no-cache");
        sd_http_reply(req, 200, s_type(name), data, (size_t)size);
    } else {
        char detail[160];
        snprintf(detail, sizeof detail, "%s is not in the console (built with: cmake --build)",
                 name);
        sd_problem_send(req, 404, "not_found", detail, NULL);
    }
    free(data);
    if (f)
        fclose(f);
}

bool sd_console_serve(sd_http_req_t *req, const char *dir)
{
    const char *path = sd_http_path(req);
    const char *name = !strcmp(path, "/") || !strcmp(path, "/index.html") ? "index.html"
                       : !strncmp(path, "/assets/", 8)                    ? path + 8
                                                                          : NULL;
    if (!name)
        return false;
    if (strcmp(sd_http_method(req), "GET") != 0 && strcmp(sd_http_method(req), "HEAD") != 0) {
        sd_http_add_header(req, "Allow", "GET, HEAD");
        sd_problem_send(req, 405, "method_not_allowed", "the console's files are read-only", NULL);
        return true;
    }
    if (!s_plain(name)) {
        sd_problem_send(req, 404, "not_found", "no such file in the console", NULL);
        return true;
    }
    s_send_file(req, dir, name == path + 8 ? "assets/" : "", name);
    return true;
}

void sd_console_openapi(sd_http_req_t *req)
{
    sd_http_add_header(req, "Cache-Control", "no-cache");
    sd_http_reply(req, 200, "application/json", sd_openapi_json, sd_openapi_json_len);
}
