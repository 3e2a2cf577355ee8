/* node_test.h - helpers shared by the node unit tests: temporary directories, requests, bytes. */
#ifndef SD_NODE_TEST_H
#define SD_NODE_TEST_H

#include "error.h"
#include "request.h"
#include "ticket.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Makes a fresh directory /tmp/<prefix>-XXXXXX into dir (at least 64 bytes).
 * Returns 0 or -1. */
static inline int sd_test_mkdtemp(char *dir, size_t cap, const char *prefix)
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, cap, "%s/%s-XXXXXX", base && *base ? base : "/tmp", prefix);
    return mkdtemp(dir) ? 0 : -1;
}

static inline int sd_test_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Removes dir and everything below it. */
static inline void sd_test_rmtree(const char *dir)
{
    nftw(dir, sd_test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Sets argument `name` of req->op's group from command-line text
 * (sd_request_set). Returns 0, SD_EUNKNOWN_FIELD or the parse error. */
static inline int sd_test_arg(sd_request_t *req, const char *name, const char *value)
{
    sd_fault_t fault;
    return sd_request_set(req, sd_req_arg_find(req->op, name), value, &fault);
}

/* Fills req as a client would send it: op, then name/value pairs ending with
 * NULL, each value as command-line text, e.g.
 *   sd_test_request(&req, SD_REQ_TICKET_NEW, "title", "No mail", "impact", "1", NULL);
 * req is cleared first. Returns 0 or the error of the first bad pair. */
static inline int sd_test_request_v(sd_request_t *req, int op, va_list ap)
{
    sd_request_clear(req);
    req->op = op;
    int rc = 0;
    const char *name;
    while (!rc && (name = va_arg(ap, const char *)) != NULL)
        rc = sd_test_arg(req, name, va_arg(ap, const char *));
    return rc;
}

static inline int sd_test_request(sd_request_t *req, int op, ...)
{
    va_list ap;
    va_start(ap, op);
    int rc = sd_test_request_v(req, op, ap);
    va_end(ap);
    return rc;
}

/* Encodes a ticket (with its stamps, the stored form) into a malloc'd buffer. */
static inline unsigned char *sd_test_ticket_bytes(const sd_ticket_t *t, size_t *len)
{
    sd_mp_writer_t *w = sd_mp_writer_new();
    if (!w)
        return NULL;
    sd_ticket_encode(t, true, w);
    const void *data = sd_mp_writer_data(w, len);
    unsigned char *copy = sd_mp_writer_error(w) ? NULL : malloc(*len ? *len : 1);
    if (copy)
        memcpy(copy, data, *len);
    sd_mp_writer_destroy(&w);
    return copy;
}

/* Calls fn with every order of 0..n-1 (1 <= n <= 8), 0..n-1 itself first (Heap's algorithm):
 * what a convergence test folds the same events in. Returns how many orders (n!). */
static inline int sd_test_each_order(int n, void (*fn)(const int *order, int n, void *arg),
                                     void *arg)
{
    int idx[8], c[8] = {0}, orders = 0;
    for (int i = 0; i < n; i++)
        idx[i] = i;
    for (int i = 0;;) {
        fn(idx, n, arg);
        orders++;
        while (i < n && c[i] >= i)
            c[i++] = 0;
        if (i >= n)
            return orders;
        int j = i % 2 ? c[i] : 0, t = idx[j];
        idx[j] = idx[i], idx[i] = t;
        c[i]++;
        i = 0;
    }
}

#endif
