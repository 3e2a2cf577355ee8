/* api.h - the node's HTTP front door: the JSON API under /api/v1 and the web console at /.
 *
 * Started by the server (api/server.c) when the config's http section has a port (on
 * 127.0.0.1:7480 by default). Its threads (httpd.h) turn each HTTP request into one request of
 * the client protocol (bridge.h) and its reply into JSON (routes.h); they never touch the
 * store. Who asks is proved by `Authorization: Bearer TOKEN` or by the console's session cookie
 * (`sd_session`, HttpOnly, SameSite=Lax, Secure over TLS), which needs the `X-CSRF-Token`
 * header on every request that may change something. Live changes: events.h. The console's
 * files and the OpenAPI document: console.h.
 *
 * Errors of sd_http_api_start: those of sd_httpd_start (one line in err). */
#ifndef SD_HTTP_API_H
#define SD_HTTP_API_H

#include "config.h"

#include <stddef.h>

typedef struct sd_http_api sd_http_api_t;

#define SD_HTTP_MAX_BODY        65536 /* bytes of a request body (the protocol's request limit) */
#define SD_HTTP_MAX_CONNECTIONS 128   /* connections served at once, live streams included */

/* Starts serving as cfg says; *url gets the base URL ("http://127.0.0.1:7480/"). */
/* cfg is the http member of the node's whole sd_config_t (the alert webhooks read its alerts
 * section, alerts.h); the server also takes bodies up to SD_ALERTS_MAX_BODY, which only those
 * webhooks accept (every other route: SD_HTTP_MAX_BODY). */
int sd_http_api_start(const sd_http_config_t *cfg, sd_http_api_t **api, char *url, size_t urlcap,
                      char *err, size_t cap);

/* Ends the live streams, stops the server and frees; NULL-safe, nulls *api. */
void sd_http_api_stop(sd_http_api_t **api);

#endif
