/* sundeskd.c - the sundesk node daemon: config, store, client server. */
#include "access.h"
#include "config.h"
#include "error.h"
#include "keys.h"
#include "log.h"
#include "server.h"
#include "store.h"
#include "store_backup.h"

#include <czmq.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

static void s_usage(FILE *out)
{
    fprintf(out, "usage: sundeskd [--data DIR] [--config FILE] [--http ADDRESS:PORT|PORT|off]\n"
                 "       sundeskd --check-config FILE\n"
                 "       sundeskd [--data DIR] --backup DEST [--json]\n"
                 "       sundeskd [--data DIR] --restore SRC [--json]\n"
                 "\n"
                 "Runs a sundesk node: the ticket store of one site and its client API.\n"
                 "With --backup or --restore it copies a store instead and exits (what\n"
                 "`sundesk backup` and `sundesk restore` run).\n"
                 "\n"
                 "  -d, --data DIR      data directory (default ./sundesk-data); holds the\n"
                 "                      LMDB store and the client socket DIR/sundesk.sock\n"
                 "  -c, --config FILE   ZPL config file (node, policy, schedule, replication,\n"
                 "                      metrics: see README); without one the\n"
                 "                      node is a single-site desk: site LOCAL, default policy\n"
                 "      --http ADDRESS:PORT, PORT or off\n"
                 "                      where the HTTP API and web console listen (over the\n"
                 "                      config's http section; default 127.0.0.1:7480)\n"
                 "      --check-config FILE\n"
                 "                      validate FILE (and the certificates it names) without\n"
                 "                      starting: exit 0, or one line per problem and exit 1\n"
                 "      --backup DEST   copy the store in DIR, compacted, into DEST (new, or\n"
                 "                      without a data.mdb) while a node may serve on DIR: one\n"
                 "                      consistent snapshot, synced and checked by opening it;\n"
                 "                      written as DEST/data.mdb.partial (0600) and renamed\n"
                 "                      data.mdb only when whole\n"
                 "      --restore SRC   put the backup SRC into DIR (empty, no node running) and\n"
                 "                      mark it RESTORED: a node started on DIR refuses writes\n"
                 "                      until its upstreams sent back its site's newer events\n"
                 "      --json          with --backup or --restore: the result as JSON\n"
                 "  -h, --help          this text\n"
                 "  -V, --version       print the version\n"
                 "\n"
                 "Stops cleanly on SIGINT or SIGTERM. Logs one line per event to stdout.\n");
}

/* --check-config also loads the certificates the node would load at start,
 * so a missing or loose secret, or a certificate of another site, shows
 * before systemd starts it. */
static int s_check_keys(const sd_config_t *cfg, const char *path, char *err, size_t cap)
{
    const sd_repl_config_t *r = &cfg->repl;
    char why[2 * SD_PATH_MAX];
    size_t before = strlen(err);
    if (!r->cert[0])
        return 0;
    zcert_t *cert = NULL;
    if (sd_keys_load_own(r->cert, cfg->site, &cert, why, sizeof why) != 0)
        sd_config_problem(err, cap, path, why);
    zcert_destroy(&cert);
    char sign[SD_PATH_MAX + 8];
    sd_signer_t signer;
    snprintf(sign, sizeof sign, "%s_sign", r->cert);
    if (sd_signer_load(sign, cfg->site, &signer, why, sizeof why) != 0)
        sd_config_problem(err, cap, path, why);
    sd_signer_clear(&signer);
    sd_signers_t *signers = calloc(1, sizeof *signers);
    if (signers && r->signers[0] && sd_keys_load_signers(r->signers, signers, why, sizeof why) != 0)
        sd_config_problem(err, cap, path, why);
    free(signers);
    struct stat st;
    if (stat(r->certs, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, sizeof why, "replication/certs: %s is not a directory", r->certs);
        sd_config_problem(err, cap, path, why);
    }
    for (int i = 0; i < r->nupstreams; i++) {
        const char *site, *role;
        if (sd_keys_load_peer(r->upstreams[i].cert, &cert, &site, &role, why, sizeof why) != 0)
            sd_config_problem(err, cap, path, why);
        zcert_destroy(&cert);
    }
    return strlen(err) > before ? SD_ECONFIG : 0;
}

/* --backup DEST or --restore SRC on the store in data: one line of outcome
 * on stdout (JSON with json) or of error on stderr. Returns the exit status. */
static int s_backup(const char *data, const char *backup, const char *restore, bool json)
{
    const char *verb = restore ? "restore" : "backup";
    sd_backup_info_t info;
    char err[2048];
    int rc = restore ? sd_backup_restore(restore, data, &info, err, sizeof err)
                     : sd_backup_copy(data, backup, &info, err, sizeof err);
    if (rc) {
        fprintf(stderr, "sundeskd: %s: %s\n", verb, err);
        return 1;
    }
    if (json)
        printf("{\"site\":\"%s\",\"tickets\":%llu,\"events\":%llu,\"bytes\":%llu}\n", info.site,
               (unsigned long long)info.tickets, (unsigned long long)info.events,
               (unsigned long long)info.bytes);
    else
        printf("%s %s: site %s, %llu tickets, %llu events, %.1f MiB\n",
               restore ? "restored into" : "backed up to", restore ? data : backup, info.site,
               (unsigned long long)info.tickets, (unsigned long long)info.events,
               (double)info.bytes / (1 << 20));
    return 0;
}

/* One node per data directory: a second one would steal the ipc socket. */
static int s_lock(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, SD_LOCK_NAME);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return -2;
    }
    return fd; /* held until the process exits */
}

int main(int argc, char **argv)
{
    const char *data = "./sundesk-data", *config_path = NULL, *backup = NULL, *restore = NULL;
    const char *http = NULL;
    bool check_only = false, json = false;
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},    {"config", required_argument, NULL, 'c'},
        {"check-config", no_argument, NULL, 'k'},  {"backup", required_argument, NULL, 'b'},
        {"restore", required_argument, NULL, 'r'}, {"json", no_argument, NULL, 'j'},
        {"http", required_argument, NULL, 'H'},    {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},       {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "d:c:hV", options, NULL)) != -1) {
        switch (opt) {
        case 'd':
            data = optarg;
            break;
        case 'c':
            config_path = optarg;
            break;
        case 'k':
            check_only = true;
            break;
        case 'b':
            backup = optarg;
            break;
        case 'r':
            restore = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'H':
            http = optarg;
            break;
        case 'h':
            s_usage(stdout);
            return 0;
        case 'V':
            printf("sundeskd %s\n", SD_VERSION);
            return 0;
        default:
            s_usage(stderr);
            return 2;
        }
    }
    if (check_only && !config_path && optind < argc)
        config_path = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "sundeskd: unexpected argument '%s'; see sundeskd --help\n", argv[optind]);
        return 2;
    }
    /* A copy is not a node: it needs no config, no lock of its own, no socket. */
    if ((backup || restore) && (config_path || check_only || (backup && restore))) {
        fprintf(stderr, "sundeskd: --backup and --restore go alone, with only --data and --json; "
                        "see sundeskd --help\n");
        return 2;
    }
    if (backup || restore)
        return s_backup(data, backup, restore, json);
    if (json) {
        fprintf(stderr, "sundeskd: --json goes with --backup or --restore; see sundeskd --help\n");
        return 2;
    }
    zsys_init();
    zsys_set_logident("sundeskd");
    zsys_set_logstream(stdout);
    sd_config_t cfg;
    char err[4096];
    int bad = sd_config_defaults(&cfg, data, err, sizeof err);
    if (!bad && config_path) {
        bad = sd_config_load(&cfg, config_path, err, sizeof err);
        if (check_only) /* after load's problems, so every problem shows in one run */
            bad |= s_check_keys(&cfg, config_path, err, sizeof err);
    }
    if (!bad && http)
        bad = sd_config_http_option(&cfg.http, http, err, sizeof err);
    if (bad) {
        for (char *line = strtok(err, "\n"); line; line = strtok(NULL, "\n"))
            fprintf(stderr, "sundeskd: %s\n", line);
        sd_config_clear(&cfg);
        return 1;
    }
    if (check_only) {
        char http_on[96] = "off";
        if (cfg.http.port)
            snprintf(http_on, sizeof http_on, "%s:%d%s", cfg.http.address, cfg.http.port,
                     cfg.http.tls_cert[0] ? " tls" : "");
        printf("%s: ok (site %s, role %s, %d upstreams, %zu site calendars, metrics %s, http "
               "%s)\n",
               config_path ? config_path : "defaults", cfg.site, cfg.role, cfg.repl.nupstreams,
               cfg.sched.sites ? sd_calset_size(cfg.sched.sites) : 0,
               cfg.metrics.port ? "on" : "off", http_on);
        sd_config_clear(&cfg);
        return 0;
    }
    if (mkdir(data, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "sundeskd: cannot create data directory %s: %s\n", data, strerror(errno));
        sd_config_clear(&cfg);
        return 1;
    }
    sd_log_set_level(cfg.log_level);
    if (sd_access_check_dir(data, err, sizeof err) != 0) {
        fprintf(stderr, "sundeskd: %s\n", err);
        sd_config_clear(&cfg);
        return 1;
    }
    int lock = s_lock(data);
    if (lock < 0) {
        sd_config_clear(&cfg);
        fprintf(stderr, "sundeskd: %s\n",
                lock == -2 ? "another sundeskd is already running on this data directory"
                           : "cannot create the lock file in the data directory");
        return 1;
    }
    sd_store_t *store = NULL;
    sd_server_t *server = NULL;
    /* The store file is checked before LMDB maps it (a file cut short would SIGBUS): here for
     * the one line that says what to do, in sd_store_open for every other caller. */
    int rc = sd_backup_check_store(data, err, sizeof err);
    if (rc) {
        fprintf(stderr, "sundeskd: %s\n", err);
        sd_config_clear(&cfg);
        return 1;
    }
    rc = sd_store_open(data, cfg.site, &store);
    if (rc) {
        fprintf(stderr, "sundeskd: cannot open the store in %s: %s\n", data, sd_strerror(rc));
        sd_config_clear(&cfg);
        return 1;
    }
    err[0] = 0;
    rc = sd_server_new(&cfg, store, &server, err, sizeof err);
    if (rc) {
        fprintf(stderr, "sundeskd: %s\n",
                err[0] ? err : "cannot serve on the client endpoint (see the log)");
        sd_store_close(&store);
        sd_config_clear(&cfg);
        return 1;
    }
    if (sd_backup_restoring(data))
        sd_server_restoring(server, data);
    rc = sd_server_run(server);
    sd_server_destroy(&server);
    sd_store_close(&store);
    sd_config_clear(&cfg);
    close(lock);
    return rc ? 1 : 0;
}
