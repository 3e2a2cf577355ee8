/* config_http.c - the http section: where the HTTP API and console listen, and with what TLS. */
#include "config.h"

#include "error.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A numeric IPv4 or IPv6 address (no names: a name could resolve elsewhere tomorrow). */
static bool s_numeric(const char *address)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, address, buf) == 1 || inet_pton(AF_INET6, address, buf) == 1;
}

bool sd_config_set_str(char *out, size_t cap, const char *value)
{
    size_t len = strlen(value);
    if (len >= cap)
        return false;
    memcpy(out, value, len + 1);
    return true;
}

int sd_config_http_key(sd_config_t *cfg, const char *key, const char *value, char *why, size_t cap)
{
    sd_http_config_t *h = &cfg->http;
    bool ok;
    if (!strcmp(key, "port")) {
        ok = sd_config_ints(value, &h->port, 1, 0, 65535);
        h->port_set = true;
    } else if (!strcmp(key, "address"))
        ok = sd_config_set_str(h->address, sizeof h->address, value) && s_numeric(value);
    else if (!strcmp(key, "tls_cert"))
        ok = sd_config_set_str(h->tls_cert, sizeof h->tls_cert, value) && value[0];
    else if (!strcmp(key, "tls_key"))
        ok = sd_config_set_str(h->tls_key, sizeof h->tls_key, value) && value[0];
    else if (!strcmp(key, "console"))
        ok = sd_config_set_str(h->console, sizeof h->console, value) && value[0];
    else {
        snprintf(why, cap, "unknown option (known: port, address, tls_cert, tls_key, console)");
        return SD_ECONFIG;
    }
    if (!ok)
        snprintf(why, cap,
                 "bad value (port 0-65535, 0 = off; address a numeric IPv4 or IPv6 "
                 "address; paths not empty, under %d bytes)",
                 SD_PATH_MAX);
    return ok ? 0 : SD_ECONFIG;
}

/* Loopback: 127.0.0.0/8 or ::1. */
static bool s_loopback(const char *address)
{
    return strncmp(address, "127.", 4) == 0 || strcmp(address, "::1") == 0;
}

int sd_config_http_check(const sd_http_config_t *h, char *why, size_t cap)
{
    if (!h->tls_cert[0] != !h->tls_key[0]) {
        snprintf(why, cap, "http: tls_cert and tls_key go together");
        return SD_ECONFIG;
    }
    /* Passwords, session cookies and tokens cross this socket: in clear only on loopback. */
    if (h->port && !s_loopback(h->address) && !h->tls_cert[0]) {
        snprintf(why, cap,
                 "http/address: %s is not loopback; serving it needs tls_cert and tls_key "
                 "(passwords and tokens would cross the network in clear)",
                 h->address);
        return SD_ECONFIG;
    }
    return 0;
}

int sd_config_http_option(sd_http_config_t *h, const char *text, char *why, size_t cap)
{
    if (!strcmp(text, "off")) {
        h->port = 0;
        h->port_set = true;
        return 0;
    }
    const char *colon = strrchr(text, ':');
    char address[sizeof h->address];
    const char *port = text;
    if (colon) {
        size_t len = (size_t)(colon - text);
        /* [::1]:7480 */
        if (len >= 2 && text[0] == '[' && text[len - 1] == ']')
            text++, len -= 2;
        if (len == 0 || len >= sizeof address) {
            snprintf(why, cap, "--http: expected ADDRESS:PORT, PORT or off");
            return SD_ECONFIG;
        }
        memcpy(address, text, len);
        address[len] = 0;
        if (!s_numeric(address)) {
            snprintf(why, cap, "--http: '%s' is not a numeric IPv4 or IPv6 address", address);
            return SD_ECONFIG;
        }
        strcpy(h->address, address);
        port = colon + 1;
    }
    int p;
    if (!sd_config_ints(port, &p, 1, 1, 65535) || strspn(port, "0123456789") != strlen(port)) {
        snprintf(why, cap, "--http: port must be 1-65535 (or off)");
        return SD_ECONFIG;
    }
    h->port = p;
    h->port_set = true;
    return sd_config_http_check(h, why, cap);
}
