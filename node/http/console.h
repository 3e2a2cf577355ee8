/* console.h - the web console's files and the OpenAPI document, as the node serves them.
 *
 * The console is built by npm and esbuild (node/http/console/, CMake target `console`) into a
 * directory of a few files: `index.html` at `/`, the rest under `/assets/`. The node reads them
 * from that directory at each request (config http/console, default the build's), so a rebuilt
 * console needs no restart. Only plain names are served ([A-Za-z0-9._-], no leading dot):
 * nothing outside the directory can be reached. The OpenAPI document (node/http/openapi.json)
 * is compiled into the binary and served at /api/v1/openapi.json. */
#ifndef SD_CONSOLE_H
#define SD_CONSOLE_H

#include "httpd.h"

#include <stdbool.h>

/* Answers GET / and GET /assets/NAME from dir. Returns false when path is neither (the
 * caller answers 404). */
bool sd_console_serve(sd_http_req_t *req, const char *dir);

/* Answers with the OpenAPI document. */
void sd_console_openapi(sd_http_req_t *req);

#endif
