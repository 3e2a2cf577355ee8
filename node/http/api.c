/* api.c - the HTTP front door: who asks, the session routes, then the resources (api.h). */
#include "api.h"

#include "blobs.h"
#include "bridge.h"
#include "console.h"
#include "cti.h"
#include "digest.h"
#include "error.h"
#include "events.h"
#include "httpd.h"
#include "json_mp.h"
#include "log.h"
#include "problem.h"
#include "routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_COOKIE "sd_session" /* the console's session cookie */

#ifndef SD_CONSOLE_DIR
#define SD_CONSOLE_DIR "/usr/share/sundesk/console"
#endif

struct sd_http_api {
    sd_httpd_t *httpd;         /* the server */
    sd_streams_t *streams;     /* the live streams */
    bool tls;                  /* served over TLS (cookies are then Secure) */
    char console[SD_PATH_MAX]; /* directory of the built console */
};

/* The CSRF token of a session token: a digest of it, so the node keeps nothing more and a
 * page of another origin, which cannot read the HttpOnly cookie, cannot make it. */
static void s_csrf(const char *token, char out[33])
{
    sd_digest_t d;
    uint8_t raw[SD_DIGEST_BYTES];
    out[0] = 0;
    if (sd_digest_init(&d) != 0)
        return;
    sd_digest_add(&d, "sundesk-csrf", 12);
    sd_digest_add(&d, token, strlen(token));
    sd_digest_final(&d, raw, NULL);
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

static bool s_safe(const char *method)
{
    return !strcmp(method, "GET") || !strcmp(method, "HEAD") || !strcmp(method, "OPTIONS");
}

/* Sets the session cookie to token (NULL: clears it). */
static void s_cookie(sd_http_api_t *api, sd_http_req_t *req, const char *token)
{
    char cookie[256];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%d", S_COOKIE,
             token ? token : "", api->tls ? "; Secure" : "", token ? 43200 : 0);
    sd_http_add_header(req, "Set-Cookie", cookie);
}

/* POST /api/v1/session: a password login; the session goes in the cookie, never the body. */
static void s_login(sd_http_api_t *api, const sd_http_caller_t *c)
{
    json_t *body = sd_routes_body(c->req, NULL, false);
    if (!body)
        return;
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val)
    {
        if (!strcmp(key, "login") || !strcmp(key, "password"))
            continue;
        char detail[160];
        snprintf(detail, sizeof detail, "args.%.60s: not a field of a login (login, password)",
                 key);
        sd_problem_send(c->req, 422, "unknown_field", detail, NULL);
        json_decref(body);
        return;
    }
    /* Only the fields given: an absent password is missing_field, as in the protocol (a null
     * in its place would be wrong_type). */
    json_t *args = json_object(), *login = json_object_get(body, "login"),
           *password = json_object_get(body, "password");
    if (args && login)
        json_object_set(args, "id", login);
    if (args && password)
        json_object_set(args, "password", password);
    json_decref(body);
    sd_http_caller_t anon = {.req = c->req, .id_name = "login"};
    sd_reply_t reply;
    int rc = args ? sd_routes_call(&anon, "auth.login", args, NULL, NULL, &reply) : SD_ENOMEM;
    json_decref(args);
    if (rc)
        return;
    char token[80] = "", csrf[33];
    sd_mp_copy_str(sd_mp_get(reply.result, "token"), token, sizeof token);
    uint64_t expires = 0;
    sd_mp_uint(sd_mp_get(reply.result, "expires_at"), &expires);
    char user[128] = "";
    sd_mp_copy_str(sd_mp_get(reply.result, "user"), user, sizeof user);
    s_csrf(token, csrf);
    s_cookie(api, c->req, token);
    json_t *out = json_pack("{s:s, s:I, s:s}", "user", user, "expires_at", (json_int_t)expires,
                            "csrf_token", csrf);
    sd_http_json(c->req, 201, NULL, out);
    json_decref(out);
    memset(token, 0, sizeof token);
    sd_reply_clear(&reply);
}

/* GET /api/v1/session (who the node takes the caller for, and the CSRF token that goes with a
 * cookie) and GET /api/v1/me (the same, with the caller's user record: language, time zone). */
static void s_whoami(const sd_http_caller_t *c, bool me)
{
    sd_reply_t reply;
    if (sd_routes_call(c, "auth.whoami", NULL, NULL, NULL, &reply) != 0)
        return;
    json_t *who = sd_mp_to_json(reply.result);
    sd_reply_clear(&reply);
    if (!who) {
        sd_problem_send(c->req, 500, "no_memory", "out of memory", NULL);
        return;
    }
    if (c->cookie)
        json_object_set_new(who, "csrf_token", json_string(c->csrf));
    json_t *out = who;
    if (me) {
        json_t *user = json_null();
        if (!json_is_true(json_object_get(who, "superuser"))) {
            json_t *args = json_pack("{s:O}", "id", json_object_get(who, "user"));
            int rc = sd_routes_call(c, "user.get", args, NULL, NULL, &reply);
            json_decref(args);
            if (rc) {
                json_decref(who);
                return;
            }
            json_decref(user);
            user = sd_mp_to_json(reply.result);
            sd_reply_clear(&reply);
        }
        out = json_pack("{s:o, s:o}", "whoami", who, "user", user ? user : json_null());
    }
    sd_http_json(c->req, 200, NULL, out);
    json_decref(out);
}

/* DELETE /api/v1/session: the node forgets the session; the cookie goes too. */
static void s_logout(sd_http_api_t *api, const sd_http_caller_t *c)
{
    sd_reply_t reply;
    if (sd_routes_call(c, "auth.logout", NULL, NULL, NULL, &reply) != 0)
        return;
    sd_reply_clear(&reply);
    s_cookie(api, c->req, NULL);
    sd_http_reply(c->req, 204, NULL, "", 0);
}

/* The routes that are no op of the protocol one to one. Returns false when path is none. */
static bool s_special(sd_http_api_t *api, const sd_http_caller_t *c)
{
    const char *path = sd_http_path(c->req), *method = sd_http_method(c->req);
    const char *allow = NULL;
    if (!strcmp(path, "/api/v1/session")) {
        if (!strcmp(method, "POST"))
            s_login(api, c);
        else if (!strcmp(method, "GET") && !c->token) /* the console's "am I logged in?" */
            sd_problem_send(c->req, 401, "unauthenticated",
                            "no session: log in with POST "
                            "/api/v1/session, or send Authorization: Bearer TOKEN",
                            NULL);
        else if (!strcmp(method, "GET"))
            s_whoami(c, false);
        else if (!strcmp(method, "DELETE"))
            s_logout(api, c);
        else
            allow = "GET, POST, DELETE";
    } else if (!strcmp(path, "/api/v1/me")) {
        if (!strcmp(method, "GET"))
            s_whoami(c, true);
        else
            allow = "GET";
    } else if (!strcmp(path, "/api/v1/events")) {
        if (!strcmp(method, "GET"))
            sd_streams_serve(api->streams, c);
        else
            allow = "GET";
    } else if (!strcmp(path, "/api/v1/cti/events")) {
        if (!strcmp(method, "POST"))
            sd_cti_serve(api->streams, c);
        else
            allow = "POST";
    } else if (!strcmp(path, "/api/v1/openapi.json")) {
        if (!strcmp(method, "GET"))
            sd_console_openapi(c->req);
        else
            allow = "GET";
    } else
        return false;
    if (allow) {
        sd_http_add_header(c->req, "Allow", allow);
        sd_problem_send(c->req, 405, "method_not_allowed", "not a method of this resource", NULL);
    }
    return true;
}

/* Works out who asks from the headers; false after answering when the proof is malformed or
 * a cookie request that may change something lacks its CSRF header. */
static bool s_caller(sd_http_req_t *req, sd_http_caller_t *c, char csrf[33])
{
    *c = (sd_http_caller_t){.req = req};
    const char *authz = sd_http_header(req, "Authorization");
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) != 0 || !authz[7]) {
            sd_problem_send(req, 401, "unauthenticated",
                            "Authorization must be 'Bearer TOKEN' (an API token, sundesk token "
                            "new)",
                            NULL);
            return false;
        }
        c->token = authz + 7;
        return true;
    }
    const char *cookie = sd_http_cookie(req, S_COOKIE);
    if (!cookie || !cookie[0])
        return true; /* the node answers unauthenticated where that matters */
    c->token = cookie;
    c->cookie = true;
    s_csrf(cookie, csrf);
    c->csrf = csrf;
    const char *sent = sd_http_header(req, "X-CSRF-Token");
    /* Only the login is exempt (a stale cookie must not block it); logout is a change too. */
    bool login =
        !strcmp(sd_http_path(req), "/api/v1/session") && !strcmp(sd_http_method(req), "POST");
    if (!s_safe(sd_http_method(req)) && !login && (!sent || strcmp(sent, csrf) != 0)) {
        sd_problem_send(req, 403, "csrf",
                        "a request with the session cookie that changes something needs the "
                        "X-CSRF-Token header (csrf_token of GET /api/v1/session)",
                        NULL);
        return false;
    }
    return true;
}

static void s_handle(void *arg, sd_http_req_t *req)
{
    sd_http_api_t *api = arg;
    sd_http_add_header(req, "X-Content-Type-Options", "nosniff");
    sd_http_add_header(req, "Referrer-Policy", "no-referrer");
    sd_http_add_header(req, "X-Frame-Options", "DENY");
    const char *path = sd_http_path(req);
    if (strncmp(path, "/api/", 5) != 0) {
        if (!sd_console_serve(req, api->console))
            sd_problem_send(req, 404, "not_found_route",
                            "no such page: the console is at /, the API under /api/v1/", NULL);
        return;
    }
    sd_http_caller_t c;
    char csrf[33];
    if (!s_caller(req, &c, csrf))
        return;
    if (s_special(api, &c) || sd_blobs_serve(&c) || sd_routes_serve(&c))
        return;
    sd_problem_send(req, 404, "not_found_route",
                    "no such resource (the API's routes: GET /api/v1/openapi.json)", NULL);
}

int sd_http_api_start(const sd_http_config_t *cfg, sd_http_api_t **out, char *url, size_t urlcap,
                      char *err, size_t cap)
{
    *out = NULL;
    sd_http_api_t *api = calloc(1, sizeof *api);
    if (!api || !(api->streams = sd_streams_new())) {
        free(api);
        return SD_ENOMEM;
    }
    api->tls = cfg->tls_cert[0] != 0;
    snprintf(api->console, sizeof api->console, "%s",
             cfg->console[0] ? cfg->console : SD_CONSOLE_DIR);
    sd_httpd_opts_t opts = {.name = "http",
                            .address = cfg->address,
                            .port = cfg->port,
                            .tls_cert = api->tls ? cfg->tls_cert : NULL,
                            .tls_key = api->tls ? cfg->tls_key : NULL,
                            .max_connections = SD_HTTP_MAX_CONNECTIONS,
                            .max_body = SD_HTTP_MAX_BODY,
                            .idle_timeout_s = 60};
    int rc = sd_httpd_start(&opts, s_handle, api, &api->httpd, err, cap);
    if (rc) {
        sd_streams_destroy(&api->streams);
        free(api);
        return rc;
    }
    bool v6 = strchr(cfg->address, ':') != NULL;
    snprintf(url, urlcap, "%s://%s%s%s:%d/", api->tls ? "https" : "http", v6 ? "[" : "",
             cfg->address, v6 ? "]" : "", cfg->port);
    *out = api;
    return 0;
}

void sd_http_api_stop(sd_http_api_t **api)
{
    if (!api || !*api)
        return;
    sd_streams_stop((*api)->streams);
    sd_httpd_stop(&(*api)->httpd);
    sd_bridge_shutdown();
    sd_streams_destroy(&(*api)->streams);
    free(*api);
    *api = NULL;
}
