/* cmd_backup.c - `sundesk backup DEST` and `sundesk restore SRC` (cmd_backup.h). */
#include "cmd_backup.h"

#include "store_backup.h"

#include <stdio.h>
#include <string.h>

static const char s_help_backup[] =
    "usage: sundesk [--data DIR] backup DEST   (or: sundesk backup DEST --data DIR)\n"
    "Copies the store in DIR, compacted, into DEST (a new or empty directory) while the node\n"
    "keeps serving: the copy is one consistent snapshot, synced to disk and checked by opening\n"
    "it. Run it on the node's machine as the node's user (it opens DIR/lock.mdb).\n";

static const char s_help_restore[] =
    "usage: sundesk --data DIR restore SRC   (or: sundesk restore SRC --data DIR)\n"
    "Puts the backup in SRC into DIR (empty, no node running) on this machine. Start sundeskd\n"
    "on DIR with the site's config: it first fetches from its upstreams the events its site\n"
    "made after the backup, refusing writes until then, and then serves as before.\n";

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
    sd_backup_info_t info;
    char err[512];
    int rc = restore ? sd_backup_restore(argv[0], o->data, &info, err, sizeof err)
                     : sd_backup_copy(o->data, argv[0], &info, err, sizeof err);
    if (rc)
        return sd_cli_fail("%s: %s", verb, err);
    if (o->json)
        printf("{\"site\":\"%s\",\"tickets\":%llu,\"events\":%llu,\"bytes\":%llu}\n", info.site,
               (unsigned long long)info.tickets, (unsigned long long)info.events,
               (unsigned long long)info.bytes);
    else
        printf("%s %s: site %s, %llu tickets, %llu events, %.1f MiB\n",
               restore ? "restored into" : "backed up to", restore ? o->data : argv[0], info.site,
               (unsigned long long)info.tickets, (unsigned long long)info.events,
               (double)info.bytes / (1 << 20));
    return 0;
}
