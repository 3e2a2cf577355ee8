/* config.h - node configuration: defaults, and the ZPL file (czmq zconfig) that overrides them.
 *
 * Example (every key optional):
 *     node
 *         site = APAC              # site id, also the ticket id prefix
 *         role = site              # site | hub
 *         endpoint = ipc:///var/lib/sundesk/apac/sundesk.sock
 *         log_level = info         # error | warning | info | debug
 *     policy
 *         matrix = "1 2 3 2 3 4 3 4 4"    # impact x urgency -> P1..P4, row = impact
 *         response_hours = "1 1 24 24"    # first reply target per priority
 *         resolve_hours = "4 8 72 120"    # resolution target per priority
 */
#ifndef SD_CONFIG_H
#define SD_CONFIG_H

#include "sizes.h"
#include "workflow.h"

#include <stddef.h>

#define SD_ENDPOINT_MAX 256
#define SD_SOCKET_NAME  "sundesk.sock"

typedef struct {
    char site[SD_SITE_MAX + 1];     /* this node's site id */
    char role[8];                   /* "site" or "hub" */
    char endpoint[SD_ENDPOINT_MAX]; /* client socket (ZeroMQ endpoint) */
    int log_level;                  /* sd_log_level_t */
    sd_policy_t policy;             /* priority and due-time policy */
} sd_config_t;

/* Fills the defaults for a node whose data directory is datadir: site LOCAL,
 * role site, endpoint ipc://DATADIR/sundesk.sock, default policy.
 * Returns 0 or SD_ECONFIG when the ipc path would be too long (message in err). */
int sd_config_defaults(sd_config_t *cfg, const char *datadir, char *err, size_t cap);

/* Reads path over the current values of cfg. Unknown sections or keys, bad
 * values and unreadable files are errors: returns SD_ECONFIG with one line
 * in err ("config.zpl: node/site: ..."). */
int sd_config_load(sd_config_t *cfg, const char *path, char *err, size_t cap);

/* The client endpoint of the node whose data directory is datadir. */
int sd_config_endpoint_for(const char *datadir, char *out, size_t cap);

#endif
