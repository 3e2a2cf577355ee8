/* access.c - the data directory's and the ipc socket's permissions. */
#include "access.h"

#include "error.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sd_access_check_dir(const char *dir, char *err, size_t cap)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, cap, "data directory %s is not a directory", dir);
        return SD_ECONFIG;
    }
    if (st.st_uid != geteuid() && st.st_uid != 0) {
        snprintf(err, cap,
                 "data directory %s belongs to uid %u, not to the node's account (uid %u): "
                 "chown it, or run the node as its owner",
                 dir, (unsigned)st.st_uid, (unsigned)geteuid());
        return SD_ECONFIG;
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        snprintf(err, cap,
                 "data directory %s can be written by %s (mode %04o); the store and the socket "
                 "would be open to them: chmod go-w %s",
                 dir, (st.st_mode & S_IWOTH) ? "everyone" : "its group",
                 (unsigned)(st.st_mode & 07777), dir);
        return SD_ECONFIG;
    }
    return 0;
}

int sd_access_socket(const char *endpoint, const char *group, char *err, size_t cap)
{
    if (strncmp(endpoint, "ipc://", 6) != 0)
        return 0;
    const char *path = endpoint + 6;
    gid_t gid = (gid_t)-1;
    if (group && *group) {
        char buf[4096];
        struct group gr, *found = NULL;
        if (getgrnam_r(group, &gr, buf, sizeof buf, &found) != 0 || !found) {
            snprintf(err, cap, "node/operators: no Unix group '%s'", group);
            return SD_ECONFIG;
        }
        gid = found->gr_gid;
    }
    if (chmod(path, 0660) != 0 || (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) != 0)) {
        snprintf(err, cap, "cannot set the owner and mode of the socket %s: %s", path,
                 strerror(errno));
        return SD_ECONFIG;
    }
    if (gid == (gid_t)-1)
        return 0;
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    const char *dir = dirname(copy);
    struct stat st;
    if (stat(dir, &st) != 0 ||
        !((st.st_gid == gid && (st.st_mode & S_IXGRP)) || (st.st_mode & S_IXOTH))) {
        snprintf(err, cap, "members of %s cannot reach the socket %s: chgrp %s %s && chmod g+x %s",
                 group, path, group, dir, dir);
        return SD_ECONFIG;
    }
    return 0;
}
