/* config.c - defaults and ZPL config files. */
#include "config.h"

#include "error.h"
#include "event.h"
#include "log.h"
#include "phone.h"

#include <czmq.h>
#include <stdio.h>
#include <string.h>

int sd_config_defaults(sd_config_t *cfg, const char *datadir, char *err, size_t cap)
{
    memset(cfg, 0, sizeof *cfg);
    strcpy(cfg->site, "LOCAL");
    strcpy(cfg->role, "site");
    cfg->log_level = SD_LOG_INFO;
    cfg->repl.heartbeat_ms = 1000;
    cfg->repl.max_skew_ms = 60000;
    cfg->http.port = SD_HTTP_DEFAULT_PORT;
    strcpy(cfg->http.address, "127.0.0.1");
    sd_policy_default(&cfg->policy);
    sd_schedule_default(&cfg->sched);
    sd_config_channels_defaults(cfg);
    if (sd_endpoint_for_data(datadir, cfg->endpoint, sizeof cfg->endpoint) != 0) {
        snprintf(err, cap, "data directory path too long for an ipc socket (max %d bytes): %s",
                 SD_IPC_PATH_MAX, datadir);
        return SD_ECONFIG;
    }
    strcpy(cfg->local_endpoint, cfg->endpoint);
    char why[256];
    return sd_config_channels_done(cfg, why, sizeof why); /* defaults that follow the site */
}

/* Parses exactly n integers in [lo, hi] from s. */
bool sd_config_ints(const char *s, int *out, int n, int lo, int hi)
{
    for (int i = 0; i < n; i++) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s || v < lo || v > hi)
            return false;
        out[i] = (int)v;
        s = end;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == 0;
}

static int s_node_key(sd_config_t *cfg, const char *key, const char *value, char *why, size_t cap)
{
    if (strcmp(key, "site") == 0) {
        if (!sd_site_valid(value)) {
            snprintf(why, cap, "must be 1-%d of A-Z, 0-9, '-', '_'", SD_SITE_MAX);
            return SD_ECONFIG;
        }
        strcpy(cfg->site, value);
    } else if (strcmp(key, "role") == 0) {
        if (strcmp(value, "site") != 0 && strcmp(value, "hub") != 0) {
            snprintf(why, cap, "must be site or hub");
            return SD_ECONFIG;
        }
        strcpy(cfg->role, value);
    } else if (strcmp(key, "endpoint") == 0) {
        if (strlen(value) >= sizeof cfg->endpoint ||
            (strncmp(value, "ipc://", 6) != 0 && strncmp(value, "tcp://127.", 10) != 0)) {
            snprintf(why, cap, "must be ipc://PATH or tcp://127.x.x.x:PORT (local clients only)");
            return SD_ECONFIG;
        }
        strcpy(cfg->endpoint, value);
    } else if (strcmp(key, "log_level") == 0) {
        if ((cfg->log_level = sd_log_level_value(value)) < 0) {
            snprintf(why, cap, "must be error, warning, info or debug");
            return SD_ECONFIG;
        }
    } else if (strcmp(key, "auth") == 0) {
        if (strcmp(value, "peer") != 0 && strcmp(value, "token") != 0) {
            snprintf(why, cap, "must be peer or token");
            return SD_ECONFIG;
        }
        cfg->token_auth = strcmp(value, "token") == 0;
    } else if (strcmp(key, "operators") == 0) {
        if (strlen(value) >= sizeof cfg->operators || !*value) {
            snprintf(why, cap, "must be a Unix group name");
            return SD_ECONFIG;
        }
        strcpy(cfg->operators, value);
    } else {
        snprintf(why, cap,
                 "unknown option (known: site, role, endpoint, auth, operators, log_level)");
        return SD_ECONFIG;
    }
    return 0;
}

static int s_policy_key(sd_config_t *cfg, const char *key, const char *value, char *why, size_t cap)
{
    int v[9];
    sd_policy_t *p = &cfg->policy;
    if (strcmp(key, "matrix") == 0) {
        if (!sd_config_ints(value, v, 9, 1, 4)) {
            snprintf(why, cap, "must be 9 priorities 1-4 (rows: impact 1..3)");
            return SD_ECONFIG;
        }
        for (int i = 0; i < 9; i++)
            p->matrix[i / 3][i % 3] = v[i] - 1;
    } else if (strcmp(key, "response_hours") == 0 || strcmp(key, "resolve_hours") == 0) {
        if (!sd_config_ints(value, v, 4, 1, 24 * 365)) {
            snprintf(why, cap, "must be 4 whole hours, for P1..P4");
            return SD_ECONFIG;
        }
        uint64_t *target = strcmp(key, "response_hours") == 0 ? p->response_ms : p->resolve_ms;
        for (int i = 0; i < 4; i++)
            target[i] = (uint64_t)v[i] * SD_HOUR_MS;
    } else if (strcmp(key, "vip") == 0) {
        if (strlen(value) >= sizeof p->vip) {
            snprintf(why, cap, "longer than %d bytes", SD_VIP_MAX - 1);
            return SD_ECONFIG;
        }
        strcpy(p->vip, value);
    } else if (strcmp(key, "phone_country") == 0) {
        if (!sd_phone_cc_valid(value)) {
            snprintf(why, cap, "must be a country code of 1-3 digits (86, 44, 1)");
            return SD_ECONFIG;
        }
        strcpy(p->phone_country, value);
    } else {
        snprintf(why, cap,
                 "unknown option (known: matrix, response_hours, resolve_hours, vip, "
                 "phone_country)");
        return SD_ECONFIG;
    }
    return 0;
}

/* Copies value into a fixed field; false when it does not fit. */
static bool s_copy(char *out, size_t cap, const char *value)
{
    return (size_t)snprintf(out, cap, "%s", value) < cap;
}

static bool s_endpoint(char *out, size_t cap, const char *value)
{
    return (strncmp(value, "tcp://", 6) == 0 || strncmp(value, "ipc://", 6) == 0) &&
           s_copy(out, cap, value);
}

static int s_upstream(sd_repl_config_t *r, zconfig_t *sec, char *why, size_t cap)
{
    if (r->nupstreams == SD_UPSTREAMS_MAX) {
        snprintf(why, cap, "at most %d upstreams", SD_UPSTREAMS_MAX);
        return SD_ECONFIG;
    }
    sd_upstream_config_t *u = &r->upstreams[r->nupstreams++];
    for (zconfig_t *item = zconfig_child(sec); item; item = zconfig_next(item)) {
        const char *key = zconfig_name(item);
        const char *value = zconfig_value(item) ? zconfig_value(item) : "";
        bool ok;
        if (!strcmp(key, "cert"))
            ok = s_copy(u->cert, sizeof u->cert, value);
        else if (!strcmp(key, "pub"))
            ok = s_endpoint(u->pub, sizeof u->pub, value);
        else if (!strcmp(key, "sync"))
            ok = s_endpoint(u->sync, sizeof u->sync, value);
        else {
            snprintf(why, cap, "%s: unknown option (known: cert, pub, sync)", key);
            return SD_ECONFIG;
        }
        if (!ok) {
            snprintf(why, cap, "%s: bad value (endpoints are tcp:// or ipc://)", key);
            return SD_ECONFIG;
        }
    }
    if (!u->cert[0] || !u->pub[0] || !u->sync[0]) {
        snprintf(why, cap, "needs cert, pub and sync");
        return SD_ECONFIG;
    }
    return 0;
}

static int s_repl_key(sd_config_t *cfg, zconfig_t *item, char *why, size_t cap)
{
    sd_repl_config_t *r = &cfg->repl;
    const char *key = zconfig_name(item);
    const char *value = zconfig_value(item) ? zconfig_value(item) : "";
    bool ok;
    if (!strcmp(key, "upstream"))
        return s_upstream(r, item, why, cap);
    if (!strcmp(key, "cert"))
        ok = s_copy(r->cert, sizeof r->cert, value);
    else if (!strcmp(key, "certs"))
        ok = s_copy(r->certs, sizeof r->certs, value);
    else if (!strcmp(key, "pub"))
        ok = s_endpoint(r->pub, sizeof r->pub, value);
    else if (!strcmp(key, "sync"))
        ok = s_endpoint(r->sync, sizeof r->sync, value);
    else if (!strcmp(key, "signers"))
        ok = s_copy(r->signers, sizeof r->signers, value);
    else if (!strcmp(key, "heartbeat_ms"))
        ok = sd_config_ints(value, &r->heartbeat_ms, 1, 10, 60000);
    else if (!strcmp(key, "max_skew_ms"))
        ok = sd_config_ints(value, &r->max_skew_ms, 1, 1000, 3600000);
    else {
        snprintf(why, cap,
                 "unknown option (known: cert, certs, signers, pub, sync, heartbeat_ms, "
                 "max_skew_ms, upstream)");
        return SD_ECONFIG;
    }
    if (!ok)
        snprintf(why, cap,
                 "bad value (endpoints are tcp:// or ipc://; heartbeat_ms 10-60000; "
                 "max_skew_ms 1000-3600000)");
    return ok ? 0 : SD_ECONFIG;
}

/* Replication needs all of its parts or none. */
static int s_repl_check(const sd_repl_config_t *r, char *why, size_t cap)
{
    bool any = r->cert[0] || r->certs[0] || r->pub[0] || r->sync[0] || r->nupstreams;
    if (any && (!r->cert[0] || !r->certs[0] || !r->pub[0] || !r->sync[0])) {
        snprintf(why, cap, "replication needs cert, certs, pub and sync");
        return SD_ECONFIG;
    }
    return 0;
}

/* Metrics (config: metrics): opt-in, loopback unless an address is given. */
static int s_metrics_key(sd_config_t *cfg, const char *key, const char *value, char *why,
                         size_t cap)
{
    sd_metrics_config_t *m = &cfg->metrics;
    bool ok;
    if (!strcmp(key, "port"))
        ok = sd_config_ints(value, &m->port, 1, 1, 65535);
    else if (!strcmp(key, "address"))
        ok = s_copy(m->address, sizeof m->address, value) && value[0] &&
             strspn(value, "0123456789.:abcdefABCDEF") == strlen(value);
    else {
        snprintf(why, cap, "unknown option (known: port, address)");
        return SD_ECONFIG;
    }
    if (!ok)
        snprintf(why, cap, "bad value (port 1-65535; address a numeric IPv4 or IPv6 address)");
    return ok ? 0 : SD_ECONFIG;
}

void sd_config_problem(char *err, size_t cap, const char *path, const char *text)
{
    size_t used = strlen(err);
    if (used + 1 < cap)
        snprintf(err + used, cap - used, "%s%s: %s", used ? "\n" : "", path, text);
}

static int s_item(sd_config_t *cfg, const char *section, zconfig_t *item, char *why, size_t cap)
{
    const char *key = zconfig_name(item);
    const char *value = zconfig_value(item) ? zconfig_value(item) : "";
    if (!strcmp(section, "node"))
        return s_node_key(cfg, key, value, why, cap);
    if (!strcmp(section, "policy"))
        return s_policy_key(cfg, key, value, why, cap);
    if (!strcmp(section, "schedule"))
        return sd_config_schedule_item(cfg, item, why, cap);
    if (!strcmp(section, "metrics"))
        return s_metrics_key(cfg, key, value, why, cap);
    if (!strcmp(section, "http"))
        return sd_config_http_key(cfg, key, value, why, cap);
    if (!strcmp(section, "mail"))
        return sd_config_mail_item(cfg, item, why, cap);
    if (!strcmp(section, "alerts"))
        return sd_config_alerts_item(cfg, item, why, cap);
    if (!strcmp(section, "chat"))
        return sd_config_chat_item(cfg, item, why, cap);
    return s_repl_key(cfg, item, why, cap);
}

/* The ZPL tree of the file at path, or NULL when it cannot be read or is not ZPL. As
 * zconfig_load, which in czmq 4.2 leaks the file handle on text that is not ZPL (found by
 * tests/fuzz/fuzz_config). */
static zconfig_t *s_load_zpl(const char *path)
{
    zconfig_t *root = NULL;
    zfile_t *file = zfile_new(NULL, path);
    if (file && zfile_input(file) == 0) {
        zchunk_t *chunk = zfile_read(file, zfile_cursize(file), 0);
        root = chunk ? zconfig_chunk_load(chunk) : NULL;
        zchunk_destroy(&chunk);
    }
    zfile_destroy(&file);
    return root;
}

int sd_config_load(sd_config_t *cfg, const char *path, char *err, size_t cap)
{
    static const char *sections[] = {"node", "policy", "schedule", "replication", "metrics",
                                     "http", "mail",   "alerts",   "chat"};
    err[0] = 0;
    if (!zsys_file_exists(path)) {
        sd_config_problem(err, cap, path, "cannot read the config file");
        return SD_ECONFIG;
    }
    zconfig_t *root = s_load_zpl(path);
    if (!root) {
        sd_config_problem(err, cap, path, "not a valid ZPL config file");
        return SD_ECONFIG;
    }
    bool targets_set = false;
    char why[256], line[512];
    /* Every problem is reported, not only the first, so one run of
     * --check-config lists all that an administrator has to fix. */
    for (zconfig_t *sec = zconfig_child(root); sec; sec = zconfig_next(sec)) {
        const char *section = zconfig_name(sec);
        size_t k = 0;
        while (k < sizeof sections / sizeof *sections && strcmp(section, sections[k]) != 0)
            k++;
        if (k == sizeof sections / sizeof *sections) {
            snprintf(line, sizeof line,
                     "unknown section '%s' (known: node, policy, schedule, replication, metrics, "
                     "http, mail, alerts, chat)",
                     section);
            sd_config_problem(err, cap, path, line);
            continue;
        }
        for (zconfig_t *item = zconfig_child(sec); item; item = zconfig_next(item)) {
            why[0] = 0;
            targets_set |= !strcmp(section, "policy") && strstr(zconfig_name(item), "_hours");
            if (s_item(cfg, section, item, why, sizeof why) != 0) {
                snprintf(line, sizeof line, "%s/%s: %s", section, zconfig_name(item), why);
                sd_config_problem(err, cap, path, line);
            }
        }
    }
    if (strncmp(cfg->endpoint, "tcp://", 6) == 0 && !cfg->token_auth)
        sd_config_problem(err, cap, path,
                          "node/endpoint: a tcp client endpoint needs authentication: add "
                          "node/auth = token (clients then present an API token, sundesk token "
                          "new)");
    why[0] = 0;
    if (sd_config_http_check(&cfg->http, why, sizeof why) != 0)
        sd_config_problem(err, cap, path, why);
    why[0] = 0;
    if (sd_config_channels_done(cfg, why, sizeof why) != 0)
        sd_config_problem(err, cap, path, why);
    why[0] = 0;
    if (s_repl_check(&cfg->repl, why, sizeof why) != 0)
        sd_config_problem(err, cap, path, why);
    why[0] = 0;
    if (!err[0] && sd_config_schedule_done(cfg, targets_set, why, sizeof why) != 0)
        sd_config_problem(err, cap, path, why);
    zconfig_destroy(&root);
    return err[0] ? SD_ECONFIG : 0;
}

void sd_config_clear(sd_config_t *cfg)
{
    if (cfg)
        sd_schedule_clear(&cfg->sched);
}
