/* cmd_customer_import.c - `sundesk customer import FILE.csv` (cmd_customer.h): an RFC 4180
 * file, every row checked before the first is sent (nothing imported when one is bad), then
 * customer.new requests pipelined, each with an idempotency key made of the file's hash and
 * the row's line, so that running the same import again after an interruption adds no
 * duplicates. */
#include "cmd_customer.h"

#include "customer.h"
#include "error.h"
#include "event.h"
#include "phone.h"
#include "request.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { S_NAME, S_EMAIL, S_PHONE, S_ORG, S_DEPT, S_VIP, S_SITE, S_COLUMNS };
static const char *const s_columns[S_COLUMNS] = {"name",       "email", "phone", "organisation",
                                                 "department", "vip",   "site"};
/* The customer.new argument each column fills. */
static const char *const s_args[S_COLUMNS] = {"name",       "emails", "phones",   "organisation",
                                              "department", "vip",    "home_site"};
#define S_BAD_SHOWN 20 /* bad rows named before the count */

typedef struct {
    char *cell[S_COLUMNS]; /* the row's values (into the parsed buffer), NULL: no such column */
    int line;              /* where the row starts in the file */
} s_row_t;

typedef struct {
    char *text;     /* the file, parsed in place */
    size_t len;     /* its bytes */
    size_t pos;     /* where the parser is */
    int line;       /* the line at pos */
    s_row_t *rows;  /* the data rows */
    size_t nrows;   /* how many */
    int map[64];    /* file column -> S_* (or -1: none) */
    int ncols;      /* columns of the header */
    const char *cc; /* --country */
    int bad;        /* rows refused */
    uint64_t hash;  /* FNV-1a of the file: the idempotency keys' stem */
} s_import_t;

/* One field at pos, unquoted in place; *end_of_row when it ended the record. Returns the
 * field, or NULL with a message printed for a malformed quote. */
static char *s_field(s_import_t *im, bool *end_of_row)
{
    char *t = im->text, *out = t + im->pos, *start = out;
    size_t p = im->pos;
    *end_of_row = false;
    if (p < im->len && t[p] == '"') {
        int at = im->line;
        for (p++;; p++) {
            if (p >= im->len) {
                sd_cli_fail("line %d: a quoted field never ends", at);
                return NULL;
            }
            if (t[p] == '"' && p + 1 < im->len && t[p + 1] == '"') {
                *out++ = '"', p++;
            } else if (t[p] == '"') {
                p++;
                break;
            } else {
                im->line += t[p] == '\n';
                *out++ = t[p];
            }
        }
        if (p < im->len && t[p] != ',' && t[p] != '\n' && t[p] != '\r') {
            sd_cli_fail("line %d: text after a closing quote", im->line);
            return NULL;
        }
    } else {
        while (p < im->len && t[p] != ',' && t[p] != '\n' && t[p] != '\r')
            *out++ = t[p++];
    }
    if (p < im->len && t[p] == '\r')
        p++;
    if (p >= im->len || t[p] == '\n') {
        *end_of_row = true;
        im->line++;
    }
    im->pos = p + 1;
    *out = 0;
    return start;
}

/* The fields of the next record into cells (at most cap); their count, or -1 after a message.
 */
static int s_record(s_import_t *im, char **cells, int cap)
{
    int n = 0;
    bool end = false;
    while (!end) {
        char *f = s_field(im, &end);
        if (!f)
            return -1;
        if (n < cap)
            cells[n] = f;
        n++;
    }
    return n;
}

/* A line of the check: "line N: ...", only the first S_BAD_SHOWN. */
static bool s_bad(s_import_t *im, int line, const char *fmt, const char *what)
{
    if (im->bad++ < S_BAD_SHOWN) {
        fprintf(stderr, "sundesk: line %d: ", line);
        fprintf(stderr, fmt, what);
        fputc('\n', stderr);
    }
    return false;
}

static int s_count(const char *item, void *arg)
{
    (*(int *)arg)++;
    (void)item;
    return 0;
}

typedef struct {
    const char *cc;                     /* default country */
    char bad[SD_CUSTOMER_LIST_MAX + 1]; /* the first bad entry */
    bool email;                         /* checking e-mails (else phones) */
} s_items_t;

static int s_item(const char *item, void *arg)
{
    s_items_t *it = arg;
    char e164[SD_E164_MAX + 1];
    bool ok = it->email ? sd_customer_email_valid(item)
                        : sd_phone_e164(item, it->cc, e164, sizeof e164) == 0;
    if (ok)
        return 0;
    snprintf(it->bad, sizeof it->bad, "%s", item);
    return 1;
}

/* True when text is a line of at most max bytes. */
static bool s_line_ok(const char *text, size_t max)
{
    if (strlen(text) > max)
        return false;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

/* The rules of customer.new, checked here so that no row is sent when one is bad. */
static bool s_check_row(s_import_t *im, const s_row_t *r)
{
    const char *name = r->cell[S_NAME];
    if (!name || !*name)
        return s_bad(im, r->line, "%sthe name is empty", "");
    for (int c = 0; c < S_COLUMNS; c++) {
        const char *v = r->cell[c];
        size_t max = c == S_EMAIL || c == S_PHONE ? SD_CUSTOMER_LIST_MAX : SD_NAME_MAX;
        if (v && !s_line_ok(v, max))
            return s_bad(im, r->line, "%s: longer than its limit, or a control character",
                         s_columns[c]);
    }
    for (int c = S_EMAIL; c <= S_PHONE; c++) {
        s_items_t it = {.cc = im->cc, .email = c == S_EMAIL};
        int n = 0;
        sd_customer_each(r->cell[c], s_count, &n);
        if (n > SD_CUSTOMER_ITEMS_MAX)
            return s_bad(im, r->line, "%s: more than 8 entries", s_columns[c]);
        if (sd_customer_each(r->cell[c], s_item, &it))
            return s_bad(im, r->line,
                         c == S_EMAIL ? "'%s' is not an e-mail address"
                                      : "'%s' is not a phone number (6-15 digits)",
                         it.bad);
    }
    const char *vip = r->cell[S_VIP];
    if (vip && *vip && strcmp(vip, "true") && strcmp(vip, "false") && strcmp(vip, "yes") &&
        strcmp(vip, "no") && strcmp(vip, "1") && strcmp(vip, "0"))
        return s_bad(im, r->line, "vip: '%s' is none of true, false, yes, no, 1, 0", vip);
    const char *site = r->cell[S_SITE];
    if (site && *site && !sd_site_valid(site))
        return s_bad(im, r->line, "site: '%s' is not a site id", site);
    return true;
}

/* Reads the header and every row of the file, checking each. 0, or the exit status. */
static int s_parse(s_import_t *im)
{
    char *cells[64];
    int n = s_record(im, cells, 64);
    if (n < 0)
        return 1;
    if (n > 64)
        return sd_cli_fail("line 1: more than 64 columns");
    bool has_name = false;
    for (int i = 0; i < n; i++) {
        im->map[i] = -1;
        for (char *p = cells[i]; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        for (int c = 0; c < S_COLUMNS; c++)
            if (!strcmp(cells[i], s_columns[c]))
                im->map[i] = c;
        if (im->map[i] < 0)
            return sd_cli_fail("line 1: unknown column '%s' (known: name, email, phone, "
                               "organisation, department, vip, site)",
                               cells[i]);
        has_name |= im->map[i] == S_NAME;
    }
    if (!has_name)
        return sd_cli_fail("line 1: the header has no 'name' column");
    im->ncols = n;
    size_t cap = 0;
    while (im->pos < im->len) {
        int line = im->line;
        if ((n = s_record(im, cells, 64)) < 0)
            return 1;
        if (n == 1 && !cells[0][0])
            continue; /* an empty line */
        if (n != im->ncols) {
            char what[64];
            snprintf(what, sizeof what, "%d fields, the header has %d", n, im->ncols);
            s_bad(im, line, "%s", what);
            continue;
        }
        if (im->nrows == cap) {
            cap = cap ? cap * 2 : 1024;
            s_row_t *grown = realloc(im->rows, cap * sizeof *grown);
            if (!grown)
                return sd_cli_fail("out of memory");
            im->rows = grown;
        }
        s_row_t *r = &im->rows[im->nrows];
        memset(r, 0, sizeof *r);
        r->line = line;
        for (int i = 0; i < n; i++)
            r->cell[im->map[i]] = cells[i];
        if (s_check_row(im, r))
            im->nrows++;
    }
    if (im->bad)
        return sd_cli_fail("%d bad row%s; nothing imported", im->bad, im->bad == 1 ? "" : "s");
    return 0;
}

/* The request of row r into req. 0, or 1 after a message. */
static int s_request(const s_import_t *im, const s_row_t *r, sd_request_t *req)
{
    char key[64];
    *req = (sd_request_t){.op = SD_REQ_CUSTOMER_NEW};
    for (int c = 0; c < S_COLUMNS; c++) {
        const char *v = r->cell[c];
        if (!v || !*v)
            continue;
        if (c == S_VIP)
            v = (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1")) ? "true" : "false";
        if (sd_cli_set_arg(req, s_args[c], v))
            return 1;
    }
    snprintf(key, sizeof key, "import-%016llx-%d", (unsigned long long)im->hash, r->line);
    req->idempotency_key = strdup(key);
    return req->idempotency_key ? 0 : sd_cli_fail("out of memory");
}

/* Sends every row, at most window unanswered. 0, or the exit status. */
static int s_send(sd_cli_t *cli, const s_import_t *im, int window)
{
    size_t sent = 0, answered = 0, refused = 0;
    uint64_t first_id = 0;
    while (answered < im->nrows) {
        while (sent < im->nrows && sent - answered < (size_t)window) {
            sd_request_t req;
            if (s_request(im, &im->rows[sent], &req))
                return 1;
            req.token = cli->token;
            int rc = sd_client_send(cli->client, &req);
            req.token = NULL;
            if (sent == 0)
                first_id = req.id;
            sd_request_clear(&req);
            if (rc)
                return sd_cli_fail("sending to %s: %s", cli->endpoint, sd_strerror(rc));
            sent++;
        }
        sd_reply_t reply;
        int rc = sd_client_recv(cli->client, &reply);
        if (rc)
            return sd_cli_fail("%s after %zu of %zu rows; run the same import again to finish "
                               "it (rows already added are not added twice)",
                               rc == SD_ETIMEOUT ? "the node did not answer" : sd_strerror(rc),
                               answered, im->nrows);
        size_t row = (size_t)(reply.id - first_id);
        if (!reply.ok && row < im->nrows && refused++ < S_BAD_SHOWN)
            fprintf(stderr, "sundesk: line %d: %s\n", im->rows[row].line,
                    reply.message[0] ? reply.message : "refused");
        sd_reply_clear(&reply);
        answered++;
    }
    if (refused)
        return sd_cli_fail("the node refused %zu of %zu rows", refused, im->nrows);
    if (cli->opts->json)
        printf("{\"imported\": %zu}\n", im->nrows);
    else
        printf("imported %zu customers\n", im->nrows);
    return 0;
}

int sd_cmd_customer_import(sd_cli_opts_t *opts, int argc, char **argv)
{
    const char *path = NULL;
    s_import_t im = {.line = 1, .cc = "86"};
    int window = 256;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            sd_cli_verb_usage(stdout, "customer", &sd_customer_verbs[6]);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            opts->json = true;
        } else if (!strcmp(argv[i], "--country") && i + 1 < argc) {
            im.cc = argv[++i];
            if (!sd_phone_cc_valid(im.cc))
                return sd_cli_fail("--country: '%s' is not a country code (1-3 digits)", im.cc);
        } else if (!strcmp(argv[i], "--batch") && i + 1 < argc) {
            window = atoi(argv[++i]);
            if (window < 1 || window > 10000)
                return sd_cli_fail("--batch: 1 to 10000 requests in flight");
        } else if (argv[i][0] == '-' || path) {
            return sd_cli_fail("unexpected argument '%s'; see sundesk customer import --help",
                               argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (!path)
        return sd_cli_fail("customer import: missing FILE.csv; see sundesk customer import --help");
    FILE *f = fopen(path, "rb");
    if (!f)
        return sd_cli_fail("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    im.text = size >= 0 ? malloc((size_t)size + 1) : NULL;
    im.len = im.text ? fread(im.text, 1, (size_t)size, f) : 0;
    fclose(f);
    if (!im.text || im.len != (size_t)size) {
        free(im.text);
        return sd_cli_fail("cannot read %s", path);
    }
    im.text[im.len] = 0;
    im.hash = 1469598103934665603ull;
    for (size_t i = 0; i < im.len; i++)
        im.hash = (im.hash ^ (unsigned char)im.text[i]) * 1099511628211ull;
    int rc = s_parse(&im);
    if (!rc && !im.nrows)
        rc = sd_cli_fail("%s has no rows", path);
    sd_cli_t cli = {.opts = opts, .command = "customer", .verb = &sd_customer_verbs[6]};
    snprintf(cli.words, sizeof cli.words, "customer import");
    rc = rc ?: sd_cli_open(&cli) ?: s_send(&cli, &im, window);
    sd_client_destroy(&cli.client);
    free(cli.token);
    free(im.rows);
    free(im.text);
    return rc;
}
