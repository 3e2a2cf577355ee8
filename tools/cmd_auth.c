/* cmd_auth.c - `sundesk whoami`, `sundesk login` and `sundesk logout` (cmd_auth.h). */
#include "cmd_auth.h"

#include "error.h"
#include "render.h"
#include "request.h"
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* auth.whoami: who, how proven, where, and the roles with the sites they are limited to. */
static int s_print_whoami(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    int ulen, nlen, vlen, slen;
    const char *user = sd_cli_str(r, "user", &ulen), *name = sd_cli_str(r, "display_name", &nlen);
    const char *via = sd_cli_str(r, "via", &vlen), *site = sd_cli_str(r, "site", &slen);
    if (!ulen)
        return sd_cli_fail("the node sent an identity this client cannot read");
    printf("user   %.*s", ulen, user);
    if (nlen && (nlen != ulen || memcmp(name, user, (size_t)ulen)))
        printf(" (%.*s)", nlen, name);
    printf("\nvia    %.*s\nsite   %.*s\nroles  ", vlen, via, slen, site);
    const sd_mp_node_t *roles = sd_cli_array(r, "roles");
    if (sd_cli_bool(r, "superuser"))
        printf("all (bootstrap admin: every right)\n");
    else if (!roles || !sd_mp_len(roles))
        printf("none\n");
    for (size_t i = 0; roles && !sd_cli_bool(r, "superuser") && i < sd_mp_len(roles); i++) {
        const sd_mp_node_t *role = sd_mp_at(roles, i);
        int rlen, sites_len;
        const char *what = sd_cli_str(role, "role", &rlen);
        const char *sites = sd_cli_str(role, "sites", &sites_len);
        printf("%s%.*s (%s%.*s)", i ? ", " : "", rlen, what, sites_len ? "sites " : "all sites",
               sites_len, sites);
        if (i + 1 == sd_mp_len(roles))
            putchar('\n');
    }
    int zlen;
    const char *zone = sd_cli_str(r, "time_zone", &zlen);
    if (zlen)
        printf("zone   %.*s\n", zlen, zone);
    return 0;
}

/* The password, asked after the connection is made: a refused login need not be typed twice.
 * A login sends no token: a stale saved session must not stand in the way of a new one. */
static int s_prepare_login(sd_cli_t *cli, sd_request_t *req)
{
    char prompt[SD_NAME_MAX + 32];
    snprintf(prompt, sizeof prompt, "Password for %s: ", req->args.user.id);
    if (cli->token)
        explicit_bzero(cli->token, strlen(cli->token));
    free(cli->token);
    cli->token = NULL;
    return sd_cli_password(cli, req, prompt, false);
}

/* auth.login: saves the session for the endpoint; shows who and until when, never the token. */
static int s_print_login(sd_cli_t *cli, const sd_mp_node_t *r)
{
    int tlen, ulen;
    const char *token = sd_cli_str(r, "token", &tlen), *user = sd_cli_str(r, "user", &ulen);
    uint64_t expires = sd_cli_u64(r, "expires_at");
    char copy[SD_TOKEN_MAX + 1], path[4096], until[24];
    if (!tlen || tlen > SD_TOKEN_MAX || memchr(token, '\n', (size_t)tlen) || !ulen)
        return sd_cli_fail("the node sent a session this client cannot read");
    memcpy(copy, token, (size_t)tlen);
    copy[tlen] = 0;
    int rc = sd_session_save(cli->endpoint, copy);
    explicit_bzero(copy, sizeof copy);
    if (rc)
        return sd_cli_fail("logged in, but cannot save the session in %s: %s",
                           sd_session_path(path, sizeof path) ? "~/.config/sundesk" : path,
                           rc == SD_EIO ? strerror(errno) : sd_strerror(rc));
    if (cli->opts->json)
        printf("{\"user\":\"%.*s\",\"expires_at\":%llu}\n", ulen, user,
               (unsigned long long)expires);
    else
        printf("logged in as %.*s until %s\n", ulen, user, sd_render_time(expires, until));
    return 0;
}

const sd_cli_verb_t sd_whoami_verbs[] = {
    {"", SD_REQ_AUTH_WHOAMI, "", "who the node takes you for: user, via, site, roles",
     s_print_whoami, false,
     "Shows the identity the node gives this command's requests: the user (and display name),\n"
     "how it was proven (your Unix account on the ipc socket, a token, a login session), the\n"
     "node's site, and the roles with the sites each is limited to.",
     NULL},
    SD_CLI_VERBS_END,
};

const sd_cli_verb_t sd_login_verbs[] = {
    {"", SD_REQ_AUTH_LOGIN, "id:LOGIN", "LOGIN [--password-stdin]: start a session as a desk user",
     s_print_login, true,
     "Asks for LOGIN's password on the terminal (not echoed), or reads one line of stdin with\n"
     "--password-stdin, and saves the session the node opens in\n"
     "$XDG_CONFIG_HOME/sundesk/sessions (default ~/.config/sundesk/sessions, mode 0600) for\n"
     "this endpoint: later commands to it act as LOGIN until the session expires (12 hours)\n"
     "or the node restarts. --token or $SUNDESK_TOKEN still win. `sundesk logout` forgets it.",
     s_prepare_login},
    SD_CLI_VERBS_END,
};

/* auth.logout: the node ended the session. */
static int s_print_logout(sd_cli_t *cli, const sd_mp_node_t *r)
{
    (void)cli;
    int ulen;
    const char *user = sd_cli_str(r, "user", &ulen);
    printf("the node ended the session of %.*s\n", ulen, user ? user : "");
    return 0;
}

const sd_cli_verb_t sd_logout_verbs[] = {
    {"", SD_REQ_AUTH_LOGOUT, "", "ends the session `sundesk login` saved and forgets it",
     s_print_logout, false,
     "Asks the node to end the login session saved for the endpoint (auth.logout), then\n"
     "forgets it; later commands act as your Unix account (ipc) or need a token again. When\n"
     "the node cannot be reached the session is still forgotten here (the node ends it when\n"
     "it expires or restarts).",
     NULL},
    SD_CLI_VERBS_END,
};

int sd_cmd_logout(const sd_cli_opts_t *opts, int argc, char **argv)
{
    char endpoint[SD_ENDPOINT_MAX], path[4096], saved[SD_TOKEN_MAX + 1];
    if (argc == 1 && !strcmp(argv[0], "--help")) {
        sd_cli_verb_usage(stdout, "logout", &sd_logout_verbs[0]);
        return 0;
    }
    if (argc)
        return sd_cli_fail("logout: unexpected argument '%s'; see sundesk logout --help", argv[0]);
    if (sd_cli_endpoint(opts, endpoint, sizeof endpoint))
        return 1;
    /* The saved session, not --token: logout ends what login saved. */
    if (sd_session_find(endpoint, saved, sizeof saved) == 0) {
        sd_cli_opts_t with = *opts;
        with.token = saved;
        if (sd_cli_run(&with, "logout", &sd_logout_verbs[0], 0, NULL) != 0)
            fprintf(stderr, "sundesk: the node did not end the session; forgetting it here\n");
        explicit_bzero(saved, sizeof saved);
    }
    int rc = sd_session_forget(endpoint);
    if (rc == SD_ENOTFOUND) {
        printf("no session saved for %s\n", endpoint);
        return 0;
    }
    if (rc)
        return sd_cli_fail("cannot update %s: %s",
                           sd_session_path(path, sizeof path) ? "~/.config/sundesk" : path,
                           rc == SD_EIO ? strerror(errno) : sd_strerror(rc));
    printf("forgot the session for %s\n", endpoint);
    return 0;
}
