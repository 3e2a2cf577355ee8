/* cmd_backup.c - `sundesk backup DEST` and `sundesk restore SRC`: run by sundeskd (cmd_backup.h).
 */
#include "cmd_backup.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char s_help_backup[] =
    "usage: sundesk [--data DIR] backup DEST   (or: sundesk backup DEST --data DIR)\n"
    "Copies the store in DIR, compacted, into DEST (a new directory, or one without a data.mdb)\n"
    "while the node keeps serving: the copy is one consistent snapshot, 0600 whatever the umask,\n"
    "synced to disk and checked, and becomes DEST/data.mdb only when whole (a backup stopped\n"
    "half-way leaves DEST/data.mdb.partial, which the next one replaces). Run it on the node's\n"
    "machine as the node's user (it opens DIR/lock.mdb).\n"
    "The work is done by `sundeskd --data DIR --backup DEST`, found beside sundesk or on PATH.\n";

static const char s_help_restore[] =
    "usage: sundesk --data DIR restore SRC   (or: sundesk restore SRC --data DIR)\n"
    "Puts the backup in SRC into DIR (empty, no node running) on this machine; a damaged backup\n"
    "is refused in one line and nothing is put in DIR. Start sundeskd on DIR with the site's\n"
    "config: it first fetches from its upstreams the events its site made after the backup,\n"
    "refusing writes until then, and then serves as before.\n"
    "The work is done by `sundeskd --data DIR --restore SRC`, found beside sundesk or on PATH.\n";

/* Replaces this process with sundeskd run with argv: the one beside this
 * sundesk (an installed bin/), then ../node/sundeskd (the build tree), then
 * the first on PATH. Returns only when none could be run: 1 after one line. */
static int s_exec_sundeskd(const char *verb, char **argv)
{
    static const char *const beside[] = {"sundeskd", "../node/sundeskd"};
    char self[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *slash = n > 0 ? memrchr(self, '/', (size_t)n) : NULL;
    if (slash) {
        *slash = 0;
        for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
            snprintf(path, sizeof path, "%s/%s", self, beside[i]);
            if (access(path, X_OK) == 0) {
                execv(path, argv);
                return sd_cli_fail("%s: cannot run %s: %s", verb, path, strerror(errno));
            }
        }
    }
    execvp("sundeskd", argv);
    if (errno == ENOENT)
        return sd_cli_fail("%s: needs sundeskd, found neither beside sundesk (in %s) nor on PATH",
                           verb, slash ? self : "?");
    return sd_cli_fail("%s: cannot run sundeskd: %s", verb, strerror(errno));
}

int sd_cmd_backup(const sd_cli_opts_t *o, bool restore, int argc, char **argv)
{
    const char *verb = restore ? "restore" : "backup";
    if (argc == 1 && !strcmp(argv[0], "--help")) {
        fputs(restore ? s_help_restore : s_help_backup, stdout);
        return 0;
    }
    /* --data may also follow the verb: sundesk backup DEST --data DIR. */
    sd_cli_opts_t opts = *o;
    if (argc == 3 && !strcmp(argv[1], "--data"))
        opts.data = argv[2], argc = 1;
    else if (argc == 3 && !strcmp(argv[0], "--data"))
        opts.data = argv[1], argv += 2, argc = 1;
    o = &opts;
    if (argc != 1 || argv[0][0] == '-') {
        fputs(restore ? s_help_restore : s_help_backup, stderr);
        return 2;
    }
    if (o->node)
        return sd_cli_fail("%s: works on a data directory (--data DIR), not --node", verb);
    /* sundeskd prints the outcome, and its exit status is this command's. */
    char *node_argv[] = {"sundeskd",
                         "--data",
                         (char *)o->data,
                         restore ? "--restore" : "--backup",
                         argv[0],
                         o->json ? "--json" : NULL,
                         NULL};
    return s_exec_sundeskd(verb, node_argv);
}
