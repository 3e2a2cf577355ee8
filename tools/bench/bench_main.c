/* bench_main.c - what every benchmark's main does first: strict numbers, signals, its temp dir. */
#include "bench_main.h"

#include "../../proto/error.h"

#include <czmq.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sd_bench_parse_int(const char *text, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!*text || *end || errno || v < min || v > max)
        return SD_ERANGE;
    *out = (int)v;
    return 0;
}

int sd_bench_parse_ints(const char *text, int min, int max, int *out, int cap, int *n)
{
    char buf[256];
    if (snprintf(buf, sizeof buf, "%s", text) >= (int)sizeof buf)
        return SD_ETOOLONG;
    *n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*n == cap)
            return SD_ETOOBIG;
        if (sd_bench_parse_int(tok, min, max, &out[*n]) != 0)
            return SD_ERANGE;
        (*n)++;
    }
    return *n > 0 ? 0 : SD_EMISSING;
}

void sd_bench_trap_signals(void (*handler)(int))
{
    zsys_init();
    struct sigaction sa = {.sa_handler = handler};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int sd_bench_make_tmp(const char *who, const char *name, const char **parent, char *out, size_t cap)
{
    const char *p = getenv("TMPDIR");
    if (!p || !*p)
        p = "/tmp";
    if (parent)
        *parent = p;
    if (snprintf(out, cap, "%s/%s-XXXXXX", p, name) >= (int)cap)
        return SD_ETOOLONG;
    if (!mkdtemp(out)) {
        fprintf(stderr, "%s: cannot create a temp dir in %s: %s\n", who, p, strerror(errno));
        return SD_EIO;
    }
    return 0;
}

/* Words with characters a shell would read otherwise go in single quotes. */
void sd_bench_command_line(int argc, char **argv, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < argc && n < cap; i++) {
        const char *a = argv[i];
        bool plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789-_./=,:@+%") == strlen(a);
        int w;
        if (plain) {
            w = snprintf(out + n, cap - n, "%s%s", i ? " " : "", a);
        } else {
            w = snprintf(out + n, cap - n, "%s'", i ? " " : "");
            for (const char *p = a; w >= 0 && n + (size_t)w < cap && *p; p++) {
                int k = *p == '\'' ? snprintf(out + n + w, cap - n - w, "'\\''")
                                   : snprintf(out + n + w, cap - n - w, "%c", *p);
                w = k < 0 ? -1 : w + k;
            }
            if (w >= 0 && n + (size_t)w < cap)
                w += snprintf(out + n + w, cap - n - w, "'");
        }
        if (w < 0)
            break;
        n += (size_t)w;
    }
}
