/* endpoint.c - a data directory's client endpoint (endpoint.h). */
#include "endpoint.h"

#include "error.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sd_endpoint_for_data(const char *datadir, char *out, size_t cap)
{
    char path[PATH_MAX];
    if (!realpath(datadir, path))
        snprintf(path, sizeof path, "%s", datadir);
    int n = snprintf(out, cap, "ipc://%s/%s", path, SD_SOCKET_NAME);
    if (n < 0 || (size_t)n >= cap || (size_t)n - strlen("ipc://") > SD_IPC_PATH_MAX)
        return SD_ECONFIG;
    return 0;
}
