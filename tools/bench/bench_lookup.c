/* bench_lookup.c - sd-bench-lookup main: the caller's card by phone and e-mail through the
 * node's indexes, against finding the caller by scanning customer.list, on one node. */
#include "bench_main.h"
#include "bench_node.h"
#include "bench_payload.h"
#include "bench_stats.h"

#include "error.h"
#include "phone.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_WHO           "sd-bench-lookup"
#define S_DEFAULT_CUST  100000
#define S_DEFAULT_LOOKS 2000
#define S_DEFAULT_SCANS 20
#define S_PAGE          "1000" /* customer.list's largest page (SD_LIST_MAX) */
#define S_ID_CAP        40     /* a customer id and its NUL, with room */

enum { S_PHONE, S_EMAIL, S_SCAN, S_KINDS };

/* Set by SIGINT/SIGTERM: the loops stop, then the node is stopped and the temp dir removed. */
static volatile sig_atomic_t s_interrupted;

static void s_on_signal(int sig)
{
    (void)sig;
    s_interrupted = 1;
}

typedef struct {
    int customers;        /* imported before the clock runs */
    int lookups;          /* by phone, and as many by e-mail, through the index */
    int scans;            /* by phone through customer.list */
    uint64_t seed;        /* of the customers picked */
    const char *sundeskd; /* --sundeskd, or NULL for the build-tree default */
    const char *sundesk;  /* --sundesk (the CLI), or NULL for the build-tree default */
} s_opts_t;

/* The run: the node, what the import made, the figures. */
typedef struct {
    const s_opts_t *o;              /* the options */
    sd_bench_node_t node;           /* the node under test */
    sd_client_t *client;            /* the one client */
    char (*ids)[S_ID_CAP];          /* customer k's id, from customer.list after the import */
    uint64_t rng;                   /* xorshift64 state */
    sd_bench_stats_t *lat[S_KINDS]; /* per-lookup latency, µs */
    double seconds[S_KINDS];        /* wall time of each phase */
    uint64_t pages;                 /* customer.list pages the scans read */
    char why[512];                  /* the first failure */
} s_run_t;

static void s_usage(FILE *out)
{
    fprintf(
        out,
        "usage: sd-bench-lookup [--customers N] [--lookups R] [--scans S] [--seed X]\n"
        "                       [--sundeskd PATH] [--sundesk PATH]\n"
        "\n"
        "Measures how fast a node finds the caller's customer card. It starts a node on a\n"
        "fresh temp data dir, writes N customers (distinct names, e-mails and +86 phone\n"
        "numbers) to a CSV file and imports it with `sundesk customer import`, then, with\n"
        "one client on the msgpack protocol and one request in flight:\n"
        "  (a) customer.lookup {phone} for R random customers, the number written in noisy\n"
        "      ways (\"+86 (21) 5555-0101\", \"0086 21 5555 0101\", \"+86.21.5555.0101 ext. 7\");\n"
        "  (b) customer.lookup {email} for R random customers, in mixed case;\n"
        "  (c) the alternative without the index: for S random customers, the number\n"
        "      normalised client-side (E.164) and customer.list paged (limit 1000, after)\n"
        "      until a customer's phones_e164 holds it.\n"
        "Every answer must be the right customer (else exit 1). Prints p50, p99 and mean\n"
        "latency, lookups/s and the ratio scan / index, then a markdown table.\n"
        "\n"
        "  --customers N      customers imported, 1..1000000 (default %d)\n"
        "  --lookups R        lookups by phone and by e-mail, 1..1000000 (default %d)\n"
        "  --scans S          lookups by scanning, 1..100000 (default %d)\n"
        "  --seed X           seed of the customers picked (default: from the clock;\n"
        "                     printed, to re-run the same picks)\n" SD_BENCH_PROGRAMS_HELP "\n"
        "Run it as root (or the node's owner): the CLI and the client act as the bootstrap\n"
        "admin on the ipc socket. Temp dirs go under $TMPDIR (default /tmp). Exit status:\n"
        "0 passed, 1 failed, 2 usage error, 130 interrupted.\n",
        S_DEFAULT_CUST, S_DEFAULT_LOOKS, S_DEFAULT_SCANS);
}

/* Returns 0 to run, 1 to exit 0 (--help), 2 for a usage error. */
static int s_options(int argc, char **argv, s_opts_t *o)
{
    static const struct option options[] = {
        {"customers", required_argument, NULL, 'n'},
        {"lookups", required_argument, NULL, 'l'},
        {"scans", required_argument, NULL, 'c'},
        {"seed", required_argument, NULL, 'x'},
        {"sundeskd", required_argument, NULL, 's'},
        {"sundesk", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (s_opts_t){.customers = S_DEFAULT_CUST,
                    .lookups = S_DEFAULT_LOOKS,
                    .scans = S_DEFAULT_SCANS,
                    .seed = sd_bench_now_usec() ^ (uint64_t)getpid() << 32};
    int opt, seed;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        const char *bad = NULL;
        if (opt == 'n' && sd_bench_parse_int(optarg, 1, 1000000, &o->customers) != 0)
            bad = "--customers: expected 1..1000000";
        else if (opt == 'l' && sd_bench_parse_int(optarg, 1, 1000000, &o->lookups) != 0)
            bad = "--lookups: expected 1..1000000";
        else if (opt == 'c' && sd_bench_parse_int(optarg, 1, 100000, &o->scans) != 0)
            bad = "--scans: expected 1..100000";
        else if (opt == 'x' && sd_bench_parse_int(optarg, 1, INT_MAX, &seed) != 0)
            bad = "--seed: expected 1..2147483647";
        else if (opt == 'x')
            o->seed = (uint64_t)seed;
        else if (opt == 's')
            o->sundeskd = optarg;
        else if (opt == 'S')
            o->sundesk = optarg;
        else if (opt == 'h')
            return s_usage(stdout), 1;
        else if (opt != 'n' && opt != 'l' && opt != 'c')
            return s_usage(stderr), 2;
        if (bad) {
            fprintf(stderr, S_WHO ": %s\n", bad);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, S_WHO ": unexpected argument '%s'; see --help\n", argv[optind]);
        return 2;
    }
    /* The default seed is shown and re-usable: keep it in --seed's range. */
    if (o->seed > INT_MAX)
        o->seed = o->seed % INT_MAX + 1;
    return 0;
}

/* ---- the customers ---------------------------------------------------------------------- */

/* Customer k's 8-digit Shanghai number after +86 21: 5 and 7 digits, k * 7919 mod 10^7 (7919 is
 * prime to 10^7, so k < 10^7 give distinct numbers, scattered over the index). */
static unsigned s_local(int k)
{
    return 50000000u + (unsigned)(((uint64_t)k * 7919u) % 10000000u);
}

static void s_e164(int k, char *out, size_t cap)
{
    snprintf(out, cap, "+8621%08u", s_local(k));
}

/* Customer k's number the way a caller's line or an agent writes it, one of three ways. */
static void s_noisy_phone(int k, int i, char *out, size_t cap)
{
    unsigned hi = s_local(k) / 10000u, lo = s_local(k) % 10000u;
    static const char *const fmt[] = {"+86 (21) %04u-%04u", "0086 21 %04u %04u",
                                      "+86.21.%04u.%04u ext. 7"};
    snprintf(out, cap, fmt[i % 3], hi, lo);
}

static void s_email(int k, bool noisy, char *out, size_t cap)
{
    snprintf(out, cap, noisy ? "C%06d@Bench.Example.COM" : "c%06d@bench.example.com", k);
}

static uint64_t s_rand(s_run_t *r)
{
    r->rng ^= r->rng << 13;
    r->rng ^= r->rng >> 7;
    r->rng ^= r->rng << 17;
    return r->rng;
}

/* Writes the import file: a header and one row per customer. */
static int s_write_csv(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, S_WHO ": cannot write %s\n", path);
        return SD_EIO;
    }
    fputs("name,email,phone\n", f);
    for (int k = 0; k < n; k++) {
        char email[64];
        s_email(k, false, email, sizeof email);
        unsigned local = s_local(k);
        fprintf(f, "Bench Customer %06d,%s,+86 21 %04u %04u\n", k, email, local / 10000u,
                local % 10000u);
    }
    int bad = ferror(f);
    bad |= fclose(f);
    if (bad)
        fprintf(stderr, S_WHO ": cannot write %s\n", path);
    return bad ? SD_EIO : 0;
}

/* sundesk --data DATA customer import CSV; *seconds the time it took. */
static int s_import(const char *cli, s_run_t *r, const char *csv, double *seconds)
{
    char *argv[] = {(char *)cli, "--data", r->node.data, "customer", "import", (char *)csv, NULL};
    char out[256];
    uint64_t t0 = sd_bench_now_usec();
    int rc = sd_bench_cli_run(S_WHO, argv, out, sizeof out, &s_interrupted);
    *seconds = (double)(sd_bench_now_usec() - t0) / 1e6;
    unsigned long n = 0;
    if (!rc && (sscanf(out, "imported %lu", &n) != 1 || n != (unsigned long)r->o->customers)) {
        fprintf(stderr, S_WHO ": the import said '%.100s', not 'imported %d customers'\n", out,
                r->o->customers);
        rc = SD_ECORRUPT;
    }
    return rc;
}

/* ---- talking to the node ----------------------------------------------------------------- */

/* op with one argument name = text (and after, when not NULL), answered ok into *reply. */
static int s_call(s_run_t *r, int op, const char *name, const char *text, const char *after,
                  sd_reply_t *reply)
{
    sd_request_t req = {.op = op};
    int rc = sd_bench_set_arg(&req, name, text, r->why, sizeof r->why);
    if (!rc && after)
        rc = sd_bench_set_arg(&req, "after", after, r->why, sizeof r->why);
    rc = rc ?: sd_bench_call_ok(r->client, &req, reply, r->why, sizeof r->why);
    sd_request_clear(&req);
    return rc;
}

/* One page of customer.list after after ("" for the first) into *reply: its customers into
 * *list (views into the reply), whether more follow into *more. */
static int s_page(s_run_t *r, const char *after, sd_reply_t *reply, const sd_mp_node_t **list,
                  bool *more)
{
    int rc = s_call(r, SD_REQ_CUSTOMER_LIST, "limit", S_PAGE, after[0] ? after : NULL, reply);
    if (rc)
        return rc;
    *list = sd_mp_get(reply->result, "customers");
    if (sd_mp_boolean(sd_mp_get(reply->result, "more"), more) == 0 &&
        sd_mp_kind(*list) == SD_MP_ARRAY)
        return 0;
    snprintf(r->why, sizeof r->why, "customer.list: a reply without customers or more");
    sd_reply_clear(reply);
    return SD_EMSGPACK;
}

/* True when the comma-separated list holds item exactly. */
static bool s_list_has(const char *list, size_t len, const char *item)
{
    size_t n = strlen(item);
    for (size_t at = 0; at <= len;) {
        size_t end = at;
        while (end < len && list[end] != ',')
            end++;
        size_t from = at, to = end;
        while (from < to && list[from] == ' ')
            from++;
        if (to - from == n && !memcmp(list + from, item, n))
            return true;
        at = end + 1;
    }
    return false;
}

/* Customer k from a customer record's name "Bench Customer NNNNNN"; -1 for any other. */
static int s_number(const sd_mp_node_t *customer, int n)
{
    char name[64];
    int k, end = 0;
    if (sd_mp_copy_str(sd_mp_get(customer, "name"), name, sizeof name) != 0 ||
        sscanf(name, "Bench Customer %d%n", &k, &end) != 1 || name[end] || k < 0 || k >= n)
        return -1;
    return k;
}

/* Pages customer.list through all customers, untimed: every one the import made is there once,
 * and r->ids learns their ids. */
static int s_learn_ids(s_run_t *r)
{
    char after[S_ID_CAP] = "";
    int seen = 0, rc = 0;
    for (bool more = true; more && !rc && !s_interrupted;) {
        sd_reply_t reply;
        const sd_mp_node_t *list;
        if ((rc = s_page(r, after, &reply, &list, &more)) != 0)
            break;
        for (size_t i = 0; !rc && i < sd_mp_len(list); i++) {
            const sd_mp_node_t *c = sd_mp_at(list, i);
            int k = s_number(c, r->o->customers);
            if (k < 0 || r->ids[k][0] ||
                sd_mp_copy_str(sd_mp_get(c, "id"), r->ids[k], sizeof r->ids[k]) != 0) {
                snprintf(r->why, sizeof r->why,
                         "customer.list: an unexpected or repeated "
                         "customer after the import");
                rc = SD_ECORRUPT;
            }
            seen++;
            if (!rc && i + 1 == sd_mp_len(list))
                snprintf(after, sizeof after, "%s", r->ids[k]);
        }
        sd_reply_clear(&reply);
    }
    if (!rc && !s_interrupted && seen != r->o->customers) {
        snprintf(r->why, sizeof r->why, "customer.list shows %d customers after importing %d", seen,
                 r->o->customers);
        rc = SD_ECORRUPT;
    }
    return rc;
}

/* One customer.lookup of customer k by phone or e-mail (kind), written the i-th way; checked. */
static int s_lookup(s_run_t *r, int kind, int k, int i)
{
    char text[96];
    if (kind == S_PHONE)
        s_noisy_phone(k, i, text, sizeof text);
    else
        s_email(k, i % 2 == 1, text, sizeof text);
    sd_reply_t reply;
    uint64_t t0 = sd_bench_now_usec();
    int rc =
        s_call(r, SD_REQ_CUSTOMER_LOOKUP, kind == S_PHONE ? "phone" : "email", text, NULL, &reply);
    uint64_t t1 = sd_bench_now_usec();
    if (rc)
        return rc;
    const sd_mp_node_t *id = sd_mp_get(sd_mp_get(reply.result, "customer"), "id");
    if (!sd_mp_str_eq(id, r->ids[k])) {
        snprintf(r->why, sizeof r->why, "customer.lookup %s '%s': not customer %s",
                 kind == S_PHONE ? "phone" : "email", text, r->ids[k]);
        rc = SD_ECORRUPT;
    }
    sd_reply_clear(&reply);
    return rc ?: sd_bench_stats_add(r->lat[kind], t1 - t0);
}

/* Finds customer k by its number without the index: normalise it here, then page customer.list
 * until a customer's phones_e164 holds it (the first match ends the scan). Checked, timed. */
static int s_scan(s_run_t *r, int k, int i)
{
    char text[96], e164[SD_E164_MAX + 1], after[S_ID_CAP] = "", found[S_ID_CAP] = "";
    char want[SD_E164_MAX + 1];
    s_noisy_phone(k, i, text, sizeof text);
    s_e164(k, want, sizeof want);
    uint64_t t0 = sd_bench_now_usec();
    int rc = sd_phone_e164(text, "86", e164, sizeof e164);
    if (rc || strcmp(e164, want) != 0) {
        snprintf(r->why, sizeof r->why, "'%s' is not %s here", text, want);
        rc = rc ?: SD_ECORRUPT;
    }
    for (bool more = true; !rc && more && !found[0] && !s_interrupted;) {
        sd_reply_t reply;
        const sd_mp_node_t *list;
        if ((rc = s_page(r, after, &reply, &list, &more)) != 0)
            break;
        r->pages++;
        for (size_t j = 0; !found[0] && j < sd_mp_len(list); j++) {
            const sd_mp_node_t *c = sd_mp_at(list, j);
            size_t len = 0;
            const char *phones = sd_mp_bytes(sd_mp_get(c, "phones_e164"), &len);
            if (phones && s_list_has(phones, len, e164))
                sd_mp_copy_str(sd_mp_get(c, "id"), found, sizeof found);
            if (j + 1 == sd_mp_len(list))
                sd_mp_copy_str(sd_mp_get(c, "id"), after, sizeof after);
        }
        sd_reply_clear(&reply);
    }
    uint64_t t1 = sd_bench_now_usec();
    if (rc || s_interrupted)
        return rc;
    if (strcmp(found, r->ids[k]) != 0) {
        snprintf(r->why, sizeof r->why, "scan for '%s': found '%s', not customer %s", text, found,
                 r->ids[k]);
        return SD_ECORRUPT;
    }
    return sd_bench_stats_add(r->lat[S_SCAN], t1 - t0);
}

/* The three phases, one after the other, each over its own random customers. */
static int s_measure(s_run_t *r)
{
    int counts[S_KINDS] = {r->o->lookups, r->o->lookups, r->o->scans};
    int rc = 0;
    for (int kind = 0; kind < S_KINDS && !rc && !s_interrupted; kind++) {
        uint64_t t0 = sd_bench_now_usec();
        for (int i = 0; i < counts[kind] && !rc && !s_interrupted; i++) {
            int k = (int)(s_rand(r) % (uint64_t)r->o->customers);
            rc = kind == S_SCAN ? s_scan(r, k, i) : s_lookup(r, kind, k, i);
        }
        r->seconds[kind] = (double)(sd_bench_now_usec() - t0) / 1e6;
    }
    return rc;
}

/* ---- report ------------------------------------------------------------------------------ */

static double s_mean_ms(const sd_bench_stats_t *s)
{
    double sum = 0;
    for (size_t i = 0; i < s->count; i++)
        sum += (double)s->usec[i];
    return s->count ? sum / (double)s->count / 1000.0 : 0.0;
}

static void s_report(s_run_t *r, const char *machine, const char *load, const char *cmdline,
                     double import_s)
{
    static const char *const what[S_KINDS] = {
        "`customer.lookup {phone}` (index)",
        "`customer.lookup {email}` (index)",
        "by phone, paging `customer.list` (scan)",
    };
    double p50[S_KINDS], p99[S_KINDS], mean[S_KINDS];
    printf("\n| lookup | count | p50 ms | p99 ms | mean ms | lookups/s |\n"
           "|--|--:|--:|--:|--:|--:|\n");
    for (int kind = 0; kind < S_KINDS; kind++) {
        sd_bench_stats_t *s = r->lat[kind];
        p50[kind] = sd_bench_stats_percentile(s, 0.50) / 1000.0;
        p99[kind] = sd_bench_stats_percentile(s, 0.99) / 1000.0;
        mean[kind] = s_mean_ms(s);
        printf("| %s | %zu | %.3f | %.3f | %.3f | %.0f |\n", what[kind], s->count, p50[kind],
               p99[kind], mean[kind], (double)s->count / r->seconds[kind]);
    }
    printf("\nScan / index (by phone): %.0fx the mean, %.0fx the p50; a scan read %.1f pages of "
           "%s on average.  \n",
           mean[S_SCAN] / mean[S_PHONE], p50[S_SCAN] / p50[S_PHONE],
           (double)r->pages / (double)r->lat[S_SCAN]->count, S_PAGE);
    bool met = p99[S_PHONE] <= 1.0 && p99[S_EMAIL] <= 1.0;
    printf("Issue 15 (lookup <= 1 ms at 100 k customers): p99 %.3f ms by phone, %.3f ms by "
           "e-mail at %d customers: %s.  \n",
           p99[S_PHONE], p99[S_EMAIL], r->o->customers, met ? "met" : "NOT met");
    printf("%d customers imported in %.1f s (%.0f/s); one client, one request in flight; every "
           "answer checked.  \n"
           "Machine: %s; load average at start %s.  \n"
           "Command: `%s` (seed %" PRIu64 ")\n",
           r->o->customers, import_s, r->o->customers / import_s, machine, load, cmdline,
           r->o->seed);
}

/* ---- main -------------------------------------------------------------------------------- */

/* Node up, customers in, ids learnt, the three phases; the node is left to the caller. */
static int s_run(s_run_t *r, const char *bin, const char *cli, const char *tmp, double *import_s)
{
    char data[PATH_MAX], csv[PATH_MAX];
    if (snprintf(data, sizeof data, "%s/node", tmp) >= (int)sizeof data ||
        snprintf(csv, sizeof csv, "%s/customers.csv", tmp) >= (int)sizeof csv)
        return SD_ETOOLONG;
    int rc = s_write_csv(csv, r->o->customers);
    rc = rc ?: sd_bench_node_start(bin, data, &s_interrupted, &r->node);
    if (rc) {
        r->node.pid = -1; /* none left running: nothing for main to stop */
        return rc;
    }
    printf("importing %d customers...\n", r->o->customers);
    fflush(stdout);
    rc = s_import(cli, r, csv, import_s);
    rc = rc ?: sd_client_new(r->node.endpoint, SD_BENCH_CALL_MS, &r->client);
    rc = rc ?: s_learn_ids(r);
    if (!rc)
        printf("imported in %.1f s; measuring %d + %d lookups through the index, %d by scan...\n",
               *import_s, r->o->lookups, r->o->lookups, r->o->scans);
    fflush(stdout);
    return rc ?: s_measure(r);
}

int main(int argc, char **argv)
{
    s_opts_t o;
    int prc = s_options(argc, argv, &o);
    if (prc)
        return prc == 1 ? 0 : 2;
    char bin[PATH_MAX], cli[PATH_MAX];
    if (sd_bench_programs_find(S_WHO, o.sundeskd, o.sundesk, bin, cli) != 0)
        return 2;
    sd_bench_trap_signals(s_on_signal);
    const char *tmp_parent;
    char tmp[PATH_MAX];
    if (sd_bench_make_tmp(S_WHO, S_WHO, &tmp_parent, tmp, sizeof tmp) != 0)
        return 1;

    char machine[512], cmdline[1024] = "", load[64], shown[PATH_MAX];
    sd_bench_machine(tmp_parent, machine, sizeof machine);
    sd_bench_loadavg(load, sizeof load);
    sd_bench_command_line(argc, argv, cmdline, sizeof cmdline);
    printf(S_WHO ": %d customers, %d lookups by phone and by e-mail, %d by scan, seed %" PRIu64
                 "\nnode: %s\nmachine: %s\nload average: %s\n\n",
           o.customers, o.lookups, o.scans, o.seed, realpath(bin, shown) ? shown : bin, machine,
           load);
    fflush(stdout);

    s_run_t r = {.o = &o, .rng = o.seed, .node = {.pid = -1}};
    r.ids = calloc((size_t)o.customers, sizeof *r.ids);
    int rc = r.ids ? 0 : SD_ENOMEM;
    for (int kind = 0; kind < S_KINDS && !rc; kind++)
        if (!(r.lat[kind] =
                  sd_bench_stats_new(kind == S_SCAN ? (size_t)o.scans : (size_t)o.lookups)))
            rc = SD_ENOMEM;
    double import_s = 0;
    rc = rc ?: s_run(&r, bin, cli, tmp, &import_s);
    sd_client_destroy(&r.client);
    if (r.node.pid > 0) {
        int src = sd_bench_node_stop(&r.node);
        rc = rc ? rc : src;
    }
    sd_bench_rm_tree(tmp);
    if (s_interrupted) {
        fprintf(stderr, S_WHO ": interrupted\n");
    } else if (rc) {
        fprintf(stderr, S_WHO ": failed (%s)%s%s\n", sd_strerror(rc), r.why[0] ? ": " : "", r.why);
    } else {
        s_report(&r, machine, load, cmdline, import_s);
    }
    for (int kind = 0; kind < S_KINDS; kind++)
        sd_bench_stats_destroy(&r.lat[kind]);
    free(r.ids);
    return s_interrupted ? 130 : rc ? 1 : 0;
}
