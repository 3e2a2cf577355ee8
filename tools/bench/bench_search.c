/* bench_search.c - sd-bench-search: full-text search latency and recall, the node's Xapian index
 * (node/search/xindex.h, as the search thread uses it) beside SQLite FTS5 with the trigram
 * tokenizer, on the same generated data.
 *
 * It generates N tickets and M articles (Chinese and English IT-support text from a fixed bank
 * of sentences, seeded), indexes them into both engines, then runs a fixed set of Chinese and
 * English queries: each query's top 20 with snippets, timed (p50/p99), and every match of it,
 * compared with the ground truth worked out while generating (the documents whose text holds
 * the query's words: a Chinese word as a substring, an English word in any of the forms the
 * generator writes of its stem). Recall = found and true / true. FTS5's trigram tokenizer
 * cannot match a query word shorter than three characters, so it finds nothing for a
 * two-character Chinese word (电池, 打印): its recall column shows it. */
#include "bench_stats.h"
#include "xindex.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <strings.h>
#include <unistd.h>

#define S_TOP 20 /* hits a timed query asks for */

static const char *const s_zh[] = {"三楼的打印机卡纸，无法打印文件。",
                                   "打印机驱动安装失败，提示没有权限。",
                                   "笔记本电池无法充电，电源适配器正常。",
                                   "电池鼓包，需要更换电池。",
                                   "电脑开机后蓝屏，错误代码不断出现。",
                                   "邮箱容量已满，收不到新邮件。",
                                   "忘记了VPN密码，无法连接内网。",
                                   "域账号密码过期，需要重置。",
                                   "显示器闪屏，换线后依旧。",
                                   "无线网络信号弱，经常断线。",
                                   "会议室投影仪没有信号。",
                                   "ERP系统登录很慢。",
                                   "复印机扫描到邮箱失败。",
                                   "手机无法同步公司邮件。",
                                   "新员工需要准备电脑和门禁卡。",
                                   "共享文件夹访问被拒绝。",
                                   "杀毒软件报告病毒。",
                                   "电话分机无法拨打外线。",
                                   "请尽快处理。",
                                   "影响部门日常工作。",
                                   "用户在外地出差。",
                                   "已经重启过电脑。",
                                   "问题从昨天开始。",
                                   "财务月底结账急需。"};
static const char *const s_en[] = {"The printer on the second floor is offline.",
                                   "Printing from Excel takes five minutes.",
                                   "The print job is stuck in the queue.",
                                   "Invoices were printed twice.",
                                   "Laptop battery drains within an hour.",
                                   "The batteries of the wireless mouse are empty.",
                                   "PC shows a blue screen after the update.",
                                   "Mailbox quota exceeded, mail bounces.",
                                   "User forgot the VPN password.",
                                   "Password reset needed for SAP.",
                                   "VPN disconnects every hour.",
                                   "Monitor flickers when docked.",
                                   "Teams meeting audio has an echo.",
                                   "OneDrive shows sync errors.",
                                   "Please help urgently.",
                                   "Several colleagues are affected.",
                                   "Restarted already.",
                                   "Started yesterday morning.",
                                   "The screen is blue and frozen.",
                                   "Reset the router in room 4."};
#define N_ZH (sizeof s_zh / sizeof s_zh[0])
#define N_EN (sizeof s_en / sizeof s_en[0])

/* A query: its text for Xapian and for FTS5, and its truth: groups of alternatives (a group is
 * "|"-separated forms, groups are ";"-separated; all groups must hold). */
typedef struct {
    const char *xapian;
    const char *fts5;
    const char *truth;
} s_query_t;

static const s_query_t s_queries[] = {
    {"打印", "\"打印\"", "打印"},
    {"电池", "\"电池\"", "电池"},
    {"蓝屏", "\"蓝屏\"", "蓝屏"},
    {"邮箱", "\"邮箱\"", "邮箱"},
    {"密码", "\"密码\"", "密码"},
    {"VPN密码", "\"VPN密码\"", "VPN密码"},
    {"打印机 卡纸", "\"打印机\" AND \"卡纸\"", "打印机;卡纸"},
    {"无线网络", "\"无线网络\"", "无线网络"},
    {"printer", "\"printer\"", "printer"},
    {"printing", "\"printing\"", "print|printing|printed|prints"},
    {"battery", "\"battery\"", "battery|batteries"},
    {"\"blue screen\"", "\"blue screen\"", "blue screen"},
    {"mailbox", "\"mailbox\"", "mailbox"},
    {"password reset", "\"password\" AND \"reset\"", "password;reset"},
    {"VPN", "\"VPN\"", "vpn"},
};
#define N_Q (sizeof s_queries / sizeof s_queries[0])

/* A tiny deterministic generator (xorshift64*). */
static uint64_t s_rng;
static uint32_t s_rand(uint32_t n)
{
    s_rng ^= s_rng >> 12;
    s_rng ^= s_rng << 25;
    s_rng ^= s_rng >> 27;
    return (uint32_t)((s_rng * 2685821657736338717ull) >> 33) % n;
}

/* Does text hold form: a CJK form as a substring, an ASCII one as a whole word (any case)? */
static bool s_holds(const char *text, const char *form, size_t len)
{
    bool ascii = (unsigned char)form[0] < 0x80;
    for (const char *p = text; (p = ascii ? strcasestr(p, "") : p) && *p; p++) {
        if (ascii ? strncasecmp(p, form, len) != 0 : strncmp(p, form, len) != 0)
            continue;
        if (!ascii)
            return true;
        unsigned char before = p > text ? (unsigned char)p[-1] : ' ';
        unsigned char after = (unsigned char)p[len];
        bool b = !(before < 0x80 && (isalnum(before))), a = !(after < 0x80 && isalnum(after));
        if (b && a)
            return true;
    }
    return false;
}

static bool s_true_for(const char *text, const char *truth)
{
    for (const char *g = truth; *g;) {
        size_t glen = strcspn(g, ";");
        bool any = false;
        for (const char *f = g; f < g + glen && !any;) {
            size_t flen = strcspn(f, "|;");
            if (flen > (size_t)(g + glen - f))
                flen = (size_t)(g + glen - f);
            any = s_holds(text, f, flen);
            f += flen + 1;
        }
        if (!any)
            return false;
        g += glen + (g[glen] == ';');
    }
    return true;
}

/* The text of document i: a title sentence and a body of several, in one language. */
static void s_make(size_t i, bool article, char *title, size_t tcap, char *body, size_t bcap)
{
    bool zh = s_rand(10) < 6;
    const char *const *bank = zh ? s_zh : s_en;
    uint32_t n = zh ? N_ZH : N_EN;
    snprintf(title, tcap, "%s", bank[s_rand(n)]);
    size_t used = 0;
    int sentences = article ? 6 : 3;
    for (int k = 0; k < sentences && used < bcap; k++)
        used += (size_t)snprintf(body + used, bcap - used, "%s%s", k ? " " : "", bank[s_rand(n)]);
    if (used < bcap)
        snprintf(body + used, bcap - used, " #%zu", i);
}

typedef struct {
    size_t tickets, articles; /* documents generated */
    int reps;                 /* times each query is timed */
    const char *dir;          /* work directory */
    uint64_t seed;            /* the generator's */
} s_opts_t;

/* Per query: the truth set and what each engine found of it. */
typedef struct {
    size_t truth;                    /* documents that hold the query's words */
    size_t x_found, f_found;         /* of those, found by Xapian / FTS5 */
    sd_bench_stats_t *x_lat, *f_lat; /* timed top-20 queries, usec */
} s_result_t;

/* The FTS5 side of the load, on a thread of its own. */
typedef struct {
    sqlite3 *db;       /* the database, in a transaction */
    sqlite3_stmt *ins; /* INSERT INTO docs */
    char **titles;     /* the documents */
    char **bodies;     /* ... */
    size_t n;          /* how many */
    double sec;        /* how long the load and its commit took */
    bool failed;       /* sqlite said no (sqlite3_errmsg) */
} s_fts5_load_t;

static void *s_fts5_load(void *arg)
{
    s_fts5_load_t *l = arg;
    uint64_t t0 = sd_bench_now_usec();
    for (size_t i = 0; i < l->n && !l->failed; i++) {
        sqlite3_bind_int64(l->ins, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_text(l->ins, 2, l->titles[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(l->ins, 3, l->bodies[i], -1, SQLITE_STATIC);
        l->failed = sqlite3_step(l->ins) != SQLITE_DONE;
        sqlite3_reset(l->ins);
    }
    l->failed =
        l->failed || sqlite3_exec(l->db, "COMMIT; INSERT INTO docs(docs) VALUES('optimize');", NULL,
                                  NULL, NULL) != SQLITE_OK;
    l->sec = (double)(sd_bench_now_usec() - t0) / 1e6;
    return NULL;
}

static int s_usage(void)
{
    fprintf(stderr, "usage: sd-bench-search [--tickets N (1000000)] [--articles N (10000)] "
                    "[--reps R (20)] [--dir DIR] [--seed S]\n");
    return 2;
}

static int s_fail(const char *what, const char *why)
{
    fprintf(stderr, "sd-bench-search: %s: %s\n", what, why);
    return 1;
}

int main(int argc, char **argv)
{
    s_opts_t o = {.tickets = 1000000, .articles = 10000, .reps = 20, .seed = 1772000000};
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return s_usage();
        if (!strcmp(argv[i], "--tickets"))
            o.tickets = strtoull(v, NULL, 10);
        else if (!strcmp(argv[i], "--articles"))
            o.articles = strtoull(v, NULL, 10);
        else if (!strcmp(argv[i], "--reps"))
            o.reps = atoi(v);
        else if (!strcmp(argv[i], "--dir"))
            o.dir = v;
        else if (!strcmp(argv[i], "--seed"))
            o.seed = strtoull(v, NULL, 10);
        else
            return s_usage();
        i++;
    }
    if (o.reps < 1 || o.tickets + o.articles == 0)
        return s_usage();
    char dir[512], xdir[600], fpath[600], err[256] = "";
    snprintf(dir, sizeof dir, "%s/sd-bench-search.XXXXXX",
             o.dir              ? o.dir
             : getenv("TMPDIR") ? getenv("TMPDIR")
                                : "/tmp");
    if (!mkdtemp(dir))
        return s_fail("mkdtemp", dir);
    snprintf(xdir, sizeof xdir, "%s/xapian", dir);
    snprintf(fpath, sizeof fpath, "%s/fts5.db", dir);
    s_rng = o.seed ? o.seed : 1;

    /* A bulk load: Xapian flushes its buffered changes every 10 000 documents unless told. */
    setenv("XAPIAN_FLUSH_THRESHOLD", "100000", 0);
    sd_xindex_t *x;
    sqlite3 *db;
    sqlite3_stmt *ins;
    if (sd_xindex_open(xdir, &x, err, sizeof err))
        return s_fail("xapian", err);
    if (sqlite3_open(fpath, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='trigram');"
                     "BEGIN;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", -1, &ins,
                           NULL) != SQLITE_OK)
        return s_fail("sqlite", sqlite3_errmsg(db));

    size_t n = o.tickets + o.articles;
    uint16_t *truth = calloc(n, sizeof *truth); /* bit q: document holds query q's words */
    char **titles = calloc(n, sizeof *titles), **bodies = calloc(n, sizeof *bodies);
    char title[512], body[2048], text[2600], id[32];
    if (!truth || !titles || !bodies)
        return s_fail("generate", "out of memory");
    for (size_t i = 0; i < n; i++) {
        s_make(i, i >= o.tickets, title, sizeof title, body, sizeof body);
        snprintf(text, sizeof text, "%s\n%s", title, body);
        for (size_t q = 0; q < N_Q; q++)
            if (s_true_for(text, s_queries[q].truth))
                truth[i] |= (uint16_t)(1u << q);
        if (!(titles[i] = strdup(title)) || !(bodies[i] = strdup(body)))
            return s_fail("generate", "out of memory");
    }
    /* The two engines load at once, one core each. */
    s_fts5_load_t fl = {.db = db, .ins = ins, .titles = titles, .bodies = bodies, .n = n};
    pthread_t fts5_thread;
    if (pthread_create(&fts5_thread, NULL, s_fts5_load, &fl) != 0)
        return s_fail("thread", "cannot start the FTS5 load");
    uint64_t t0 = sd_bench_now_usec();
    for (size_t i = 0; i < n; i++) {
        bool article = i >= o.tickets;
        snprintf(id, sizeof id, "%zu", i + 1);
        sd_xdoc_t d = {.kind = article ? "article" : "ticket",
                       .id = id,
                       .title = titles[i],
                       .status = article ? "published" : "new",
                       .state = article ? "published" : NULL,
                       .audience = article ? "public" : NULL,
                       .site = "APAC",
                       .public_text = bodies[i],
                       .created_at = 1700000000000ull + i,
                       .updated_at = 1700000000000ull + i};
        if (sd_xindex_put(x, &d, err, sizeof err))
            return s_fail("xapian put", err);
        if ((i + 1) % 100000 == 0 && sd_xindex_commit(x, "", err, sizeof err))
            return s_fail("xapian commit", err);
    }
    if (sd_xindex_commit(x, "", err, sizeof err))
        return s_fail("xapian commit", err);
    double x_sec = (double)(sd_bench_now_usec() - t0) / 1e6;
    pthread_join(fts5_thread, NULL);
    if (fl.failed)
        return s_fail("sqlite load", sqlite3_errmsg(db));
    double f_sec = fl.sec;
    for (size_t i = 0; i < n; i++) {
        free(titles[i]);
        free(bodies[i]);
    }
    free(titles);
    free(bodies);
    sqlite3_finalize(ins);
    sd_xindex_close(&x);

    sd_xreader_t *r;
    sqlite3_stmt *top, *all;
    if (sd_xreader_open(xdir, &r, err, sizeof err))
        return s_fail("xapian reader", err);
    if (sqlite3_prepare_v2(db,
                           "SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 16) FROM docs "
                           "WHERE docs MATCH ? ORDER BY rank LIMIT 20",
                           -1, &top, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT rowid FROM docs WHERE docs MATCH ?", -1, &all, NULL) !=
            SQLITE_OK)
        return s_fail("sqlite prepare", sqlite3_errmsg(db));

    s_result_t res[N_Q] = {0};
    sd_bench_stats_t *x_all = sd_bench_stats_new(N_Q * (size_t)o.reps);
    sd_bench_stats_t *f_all = sd_bench_stats_new(N_Q * (size_t)o.reps);
    for (size_t q = 0; q < N_Q; q++) {
        res[q].x_lat = sd_bench_stats_new((size_t)o.reps);
        res[q].f_lat = sd_bench_stats_new((size_t)o.reps);
        for (size_t i = 0; i < n; i++)
            res[q].truth += (truth[i] >> q) & 1;
        /* Recall: every match of each engine against the truth. */
        sd_xquery_t all_q = {.text = s_queries[q].xapian, .limit = (unsigned)n, .ids_only = true};
        sd_xresult_t xr;
        if (sd_xreader_search(r, &all_q, &xr, err, sizeof err))
            return s_fail(s_queries[q].xapian, err);
        for (size_t h = 0; h < xr.nhits; h++) {
            size_t i = strtoull(xr.hits[h].id, NULL, 10) - 1;
            res[q].x_found += i < n && ((truth[i] >> q) & 1);
        }
        sd_xresult_clear(&xr);
        sqlite3_bind_text(all, 1, s_queries[q].fts5, -1, SQLITE_STATIC);
        while (sqlite3_step(all) == SQLITE_ROW) {
            size_t i = (size_t)sqlite3_column_int64(all, 0) - 1;
            res[q].f_found += i < n && ((truth[i] >> q) & 1);
        }
        sqlite3_reset(all);
    }
    /* Latency: the top 20 with snippets, queries interleaved, reps rounds. */
    for (int rep = 0; rep < o.reps; rep++)
        for (size_t q = 0; q < N_Q; q++) {
            sd_xquery_t tq = {.text = s_queries[q].xapian, .limit = S_TOP};
            sd_xresult_t xr;
            uint64_t a = sd_bench_now_usec();
            if (sd_xreader_search(r, &tq, &xr, err, sizeof err))
                return s_fail(s_queries[q].xapian, err);
            uint64_t b = sd_bench_now_usec();
            sd_xresult_clear(&xr);
            sqlite3_bind_text(top, 1, s_queries[q].fts5, -1, SQLITE_STATIC);
            while (sqlite3_step(top) == SQLITE_ROW)
                ;
            sqlite3_reset(top);
            uint64_t c = sd_bench_now_usec();
            sd_bench_stats_add(res[q].x_lat, b - a);
            sd_bench_stats_add(res[q].f_lat, c - b);
            sd_bench_stats_add(x_all, b - a);
            sd_bench_stats_add(f_all, c - b);
        }

    char machine[512], load[64];
    sd_bench_machine(dir, machine, sizeof machine);
    sd_bench_loadavg(load, sizeof load);
    printf("sd-bench-search: %zu tickets + %zu articles (seed %llu)\nmachine: %s; load %s\n",
           o.tickets, o.articles, (unsigned long long)o.seed, machine, load);
    printf("index build: Xapian %.1f s (%.0f docs/s), FTS5 trigram %.1f s (%.0f docs/s)\n\n", x_sec,
           (double)n / x_sec, f_sec, (double)n / f_sec);
    printf("| query | true matches | Xapian recall | FTS5 trigram recall | Xapian p50 / p99 ms | "
           "FTS5 p50 / p99 ms |\n|--|--:|--:|--:|--:|--:|\n");
    for (size_t q = 0; q < N_Q; q++) {
        double xr = res[q].truth ? (double)res[q].x_found / (double)res[q].truth : 1;
        double fr = res[q].truth ? (double)res[q].f_found / (double)res[q].truth : 1;
        printf("| `%s` | %zu | %.3f | %.3f | %.2f / %.2f | %.2f / %.2f |\n", s_queries[q].xapian,
               res[q].truth, xr, fr, sd_bench_stats_percentile(res[q].x_lat, 0.5) / 1000,
               sd_bench_stats_percentile(res[q].x_lat, 0.99) / 1000,
               sd_bench_stats_percentile(res[q].f_lat, 0.5) / 1000,
               sd_bench_stats_percentile(res[q].f_lat, 0.99) / 1000);
    }
    printf("| all %zu queries x %d | | | | %.2f / %.2f | %.2f / %.2f |\n", N_Q, o.reps,
           sd_bench_stats_percentile(x_all, 0.5) / 1000,
           sd_bench_stats_percentile(x_all, 0.99) / 1000,
           sd_bench_stats_percentile(f_all, 0.5) / 1000,
           sd_bench_stats_percentile(f_all, 0.99) / 1000);
    sqlite3_finalize(top);
    sqlite3_finalize(all);
    sqlite3_close(db);
    sd_xreader_close(&r);
    for (size_t q = 0; q < N_Q; q++) {
        sd_bench_stats_destroy(&res[q].x_lat);
        sd_bench_stats_destroy(&res[q].f_lat);
    }
    sd_bench_stats_destroy(&x_all);
    sd_bench_stats_destroy(&f_all);
    free(truth);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
