/* cmd_node.c - `sundesk node ping|status|digest` and `sundesk repl status`: how a node is doing. */
#include "cmd_node.h"

#include "request.h"
#include "ticket.h"

#include <stdio.h>

static int s_print_repl(sd_cli_t *cli, const sd_mp_node_t *r);
static int s_print_status(sd_cli_t *cli, const sd_mp_node_t *r);

const sd_cli_verb_t sd_node_verbs[] = {
    SD_CLI_VERB("ping", SD_REQ_NODE_PING, "", "is the node up? site, role and version", NULL),
    SD_CLI_VERB("status", SD_REQ_NODE_STATUS, "", "uptime, ticket counts, store size, replication",
                s_print_status),
    SD_CLI_VERB("digest", SD_REQ_NODE_DIGEST, "", "digest of the node's state (equal = same state)",
                NULL),
    SD_CLI_VERBS_END,
};

const sd_cli_verb_t sd_repl_verbs[] = {
    SD_CLI_VERB("status", SD_REQ_REPL_STATUS, "",
                "per peer: connected, heartbeat age, vector, lag, refused", s_print_repl),
    SD_CLI_VERBS_END,
};

/* An applied vector as "EMEA 12, HUB 3" and a newline; "-" when empty or unreadable. */
static void s_print_vector(const sd_mp_node_t *vector)
{
    size_t n = vector && sd_mp_kind(vector) == SD_MP_MAP ? sd_mp_len(vector) : 0;
    for (size_t i = 0; i < n; i++) {
        int len;
        const char *site = sd_cli_text(sd_mp_key(vector, i), &len);
        uint64_t seq = 0;
        sd_mp_uint(sd_mp_val(vector, i), &seq);
        printf("%s%.*s %llu", i ? ", " : "", len, site, (unsigned long long)seq);
    }
    puts(n ? "" : "-");
}

/* The repl status table: a line per peer. */
static int s_print_repl(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    const sd_mp_node_t *peers = sd_cli_array(r, "peers");
    const sd_mp_node_t *vector = sd_mp_kind(r) == SD_MP_MAP ? sd_mp_get(r, "vector") : NULL;
    printf("vector ");
    s_print_vector(vector);
    printf("%-16s %-5s %-10s %-11s %-8s %-9s %-8s %-10s %s\n", "PEER", "ROLE", "CONNECTED",
           "HEARTBEAT", "LAG", "BEHIND", "REFUSED", "REPAIRED", "ITS VECTOR");
    for (size_t i = 0; peers && i < sd_mp_len(peers); i++) {
        const sd_mp_node_t *p = sd_mp_at(peers, i);
        int len, rlen;
        const char *site = sd_cli_str(p, "site", &len), *role = sd_cli_str(p, "role", &rlen);
        const sd_mp_node_t *age =
            sd_mp_kind(p) == SD_MP_MAP ? sd_mp_get(p, "heartbeat_age_ms") : NULL;
        char agebuf[24], behind[24];
        if (age && sd_mp_kind(age) == SD_MP_UINT)
            snprintf(agebuf, sizeof agebuf, "%llums ago",
                     (unsigned long long)sd_cli_u64(p, "heartbeat_age_ms"));
        else
            snprintf(agebuf, sizeof agebuf, "never");
        snprintf(behind, sizeof behind, "%.1fs", (double)sd_cli_u64(p, "lag_ms") / 1000);
        printf("%-16.*s %-5.*s %-10s %-11s %-8llu %-9s %-8llu %-10llu ", len, site, rlen, role,
               sd_cli_bool(p, "connected") ? "yes" : "NO", agebuf,
               (unsigned long long)sd_cli_u64(p, "lag_events"), behind,
               (unsigned long long)sd_cli_u64(p, "refused"),
               (unsigned long long)sd_cli_u64(p, "applied_sync"));
        s_print_vector(sd_mp_kind(p) == SD_MP_MAP ? sd_mp_get(p, "vector") : NULL);
    }
    return 0;
}

/* node status: a few lines an administrator reads at a glance. */
static int s_print_status(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    int slen, rlen, vlen;
    const char *site = sd_cli_str(r, "site", &slen), *role = sd_cli_str(r, "role", &rlen);
    const char *version = sd_cli_str(r, "version", &vlen);
    uint64_t up_s = sd_cli_u64(r, "uptime_ms") / 1000;
    printf("site %.*s (%.*s), sundesk %.*s, up %llud %02lluh %02llum %02llus\n", slen, site, rlen,
           role, vlen, version, (unsigned long long)(up_s / 86400),
           (unsigned long long)(up_s / 3600 % 24), (unsigned long long)(up_s / 60 % 60),
           (unsigned long long)(up_s % 60));
    printf(
        "requests %llu (errors %llu); %llu commits carrying %llu writes\n",
        (unsigned long long)sd_cli_u64(r, "requests"), (unsigned long long)sd_cli_u64(r, "errors"),
        (unsigned long long)sd_cli_u64(r, "commits"), (unsigned long long)sd_cli_u64(r, "writes"));
    printf("store %.1f MiB used of a %.1f MiB map\n",
           (double)sd_cli_u64(r, "used_bytes") / (1 << 20),
           (double)sd_cli_u64(r, "map_bytes") / (1 << 20));
    const sd_mp_node_t *tickets = sd_mp_kind(r) == SD_MP_MAP ? sd_mp_get(r, "tickets") : NULL;
    printf("tickets:");
    for (int i = 0; i < SD_STATUS_COUNT_; i++)
        printf(" %s %llu%s", sd_status_name(i),
               (unsigned long long)sd_cli_u64(tickets, sd_status_name(i)),
               i + 1 < SD_STATUS_COUNT_ ? "," : "\n");
    printf("SLA breaches held: %llu\n", (unsigned long long)sd_cli_u64(r, "sla_breaches"));
    int hlen;
    const char *http = sd_cli_str(r, "http", &hlen);
    printf("web console and API: %.*s\n", http && hlen ? hlen : 3, http && hlen ? http : "off");
    if (sd_cli_bool(r, "restoring"))
        printf("RESTORING from a backup: writes refused until this site's events are back\n");
    const sd_mp_node_t *repl = sd_mp_kind(r) == SD_MP_MAP ? sd_mp_get(r, "replication") : NULL;
    const sd_mp_node_t *peers = repl ? sd_cli_array(repl, "peers") : NULL;
    if (!peers) {
        printf("replication: off\n");
        return 0;
    }
    uint64_t connected = 0, lag = 0;
    for (size_t i = 0; i < sd_mp_len(peers); i++) {
        connected += sd_cli_bool(sd_mp_at(peers, i), "connected");
        lag += sd_cli_u64(sd_mp_at(peers, i), "lag_events");
    }
    printf("replication: %llu of %zu upstreams connected, %llu events behind, %llu connections "
           "refused (details: sundesk repl status)\n",
           (unsigned long long)connected, sd_mp_len(peers), (unsigned long long)lag,
           (unsigned long long)sd_cli_u64(repl, "refused_connections"));
    return 0;
}
