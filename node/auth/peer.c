/* peer.c - the peer credentials libzmq reports for a client message. */
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The decimal number before position end in s (start at or after s), or -1. */
static long s_field(const char *s, const char **end)
{
    const char *p = *end;
    while (p > s && p[-1] >= '0' && p[-1] <= '9')
        p--;
    if (p == *end || p == s || p[-1] != ':' || *end - p > 10)
        return -1;
    long v = strtol(p, NULL, 10);
    *end = p - 1;
    return v;
}

void sd_client_peer_parse(const char *property, bool ipc, sd_client_peer_t *peer)
{
    *peer = (sd_client_peer_t){0};
    snprintf(peer->address, sizeof peer->address, "%s", property ? property : "?");
    if (!ipc || !property)
        return;
    const char *end = property + strlen(property);
    long pid = s_field(property, &end), gid = pid >= 0 ? s_field(property, &end) : -1,
         uid = gid >= 0 ? s_field(property, &end) : -1;
    if (uid < 0)
        return;
    peer->local = true;
    peer->uid = (uid_t)uid;
    peer->gid = (gid_t)gid;
    peer->pid = (pid_t)pid;
}
