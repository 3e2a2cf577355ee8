/* cmd_user.c - `sundesk user VERB`: user.* requests and how users show (cmd_user.h). */
#include "cmd_user.h"

#include "render.h"
#include "request.h"
#include "user.h"

#include <stdio.h>
#include <string.h>

/* The roles user record u holds, each with the sites it is limited to: "agent (EMEA),
 * manager", or "none", into buf. */
static const char *s_roles(const sd_mp_node_t *u, char *buf, size_t cap)
{
    const sd_mp_node_t *roles = sd_cli_array(u, "roles");
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; roles && i < sd_mp_len(roles) && used < cap; i++) {
        int rlen, slen;
        const char *role = sd_cli_text(sd_mp_at(roles, i), &rlen);
        char key[32];
        snprintf(key, sizeof key, "%.*s_sites", rlen, role);
        const char *sites = sd_cli_str(u, key, &slen);
        used += (size_t)snprintf(buf + used, cap - used, "%s%.*s%s%.*s%s", used ? ", " : "", rlen,
                                 role, slen ? " (" : "", slen, sites, slen ? ")" : "");
    }
    return buf[0] ? buf : "none";
}

/* "li.wei (Li Wei): agent; active, unix liwei": a user after a change. */
static void s_print_summary(const sd_mp_node_t *u)
{
    int ilen, nlen, xlen;
    const char *id = sd_cli_str(u, "id", &ilen), *name = sd_cli_str(u, "display_name", &nlen);
    const char *unix_name = sd_cli_str(u, "unix", &xlen);
    char roles[256];
    printf("%.*s (%.*s): %s; %s, %s%.*s\n", ilen, id, nlen, name, s_roles(u, roles, sizeof roles),
           sd_cli_bool(u, "active") ? "active" : "DISABLED", xlen ? "unix " : "no Unix account",
           xlen, unix_name);
}

/* A write's result: the user as it is now; for a password, only that it changed. */
static int s_print_user(sd_cli_t *cli, const sd_mp_node_t *u)
{
    int ilen;
    const char *id = sd_cli_str(u, "id", &ilen);
    if (!ilen)
        return sd_cli_fail("the node sent a user this client cannot read");
    if (cli->verb->op == SD_REQ_USER_PASSWORD)
        printf("password of %.*s changed\n", ilen, id);
    else
        s_print_summary(u);
    return 0;
}

/* user.get: the card. */
static int s_print_card(sd_cli_t *cli, const sd_mp_node_t *u)
{
    static const struct {
        const char *key, *label; /* record field, its label on the card */
    } lines[] = {
        {"email", "email"},         {"phone", "phone"},         {"language", "language"},
        {"time_zone", "time zone"}, {"home_site", "home site"}, {"teams", "teams"},
        {"tier", "tier"},           {"unix", "unix"},
    };
    char roles[256], a[24], b[24];
    int ilen, nlen, rlen, olen;
    (void)cli;
    const char *id = sd_cli_str(u, "id", &ilen), *name = sd_cli_str(u, "display_name", &nlen);
    if (!ilen)
        return sd_cli_fail("the node sent a user this client cannot read");
    const char *reason = sd_cli_str(u, "disabled_reason", &rlen);
    printf("%.*s  %.*s\n", ilen, id, nlen, name);
    printf("  account     %s%s%.*s\n", sd_cli_bool(u, "active") ? "active" : "DISABLED",
           !sd_cli_bool(u, "active") && rlen ? ": " : "", sd_cli_bool(u, "active") ? 0 : rlen,
           reason);
    printf("  roles       %s\n", s_roles(u, roles, sizeof roles));
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        int len;
        const char *text = sd_cli_str(u, lines[i].key, &len);
        printf("  %-11s %.*s\n", lines[i].label, len ? len : 1, len ? text : "-");
    }
    const char *origin = sd_cli_str(u, "origin_site", &olen);
    printf("  created     %s at site %.*s  updated %s\n",
           sd_render_time(sd_cli_u64(u, "created_at"), a), olen, origin,
           sd_render_time(sd_cli_u64(u, "updated_at"), b));
    return 0;
}

/* user.list: a row per user (NULL: the header). */
static void s_print_row(const sd_mp_node_t *u)
{
    int ilen, nlen, slen, tlen;
    const char *id = sd_cli_str(u, "id", &ilen), *name = sd_cli_str(u, "display_name", &nlen);
    const char *site = sd_cli_str(u, "home_site", &slen), *teams = sd_cli_str(u, "teams", &tlen);
    char roles[256];
    if (!u) {
        printf("%-20s %-24s %-26s %-9s %-8s %s\n", "LOGIN", "NAME", "ROLES", "SITE", "STATE",
               "TEAMS");
        return;
    }
    printf("%-20.*s %-24.*s %-26s %-9.*s %-8s %.*s\n", ilen, id, nlen, name,
           s_roles(u, roles, sizeof roles), slen ? slen : 1, slen ? site : "-",
           sd_cli_bool(u, "active") ? "active" : "DISABLED", tlen ? tlen : 1, tlen ? teams : "-");
}

static int s_print_list(sd_cli_t *cli, const sd_mp_node_t *r)
{
    return sd_cli_print_rows(cli, r, "users", s_print_row,
                             "(more: use --after with the last login for the next page)");
}

/* user.password: the new password, typed twice on a terminal. */
static int s_prepare_passwd(sd_cli_t *cli, sd_request_t *req)
{
    char prompt[SD_LOGIN_MAX + 32];
    snprintf(prompt, sizeof prompt, "New password for %s: ", req->args.user.id);
    return sd_cli_password(cli, req, prompt, true);
}

/* A user verb that shows the user after the change (s_print_user), without longer help. */
#define USER_VERB(verb, op, positional, help) SD_CLI_VERB(verb, op, positional, help, s_print_user)

const sd_cli_verb_t sd_user_verbs[] = {
    {"new", SD_REQ_USER_NEW, "id:LOGIN",
     "LOGIN --name NAME [--email E] [--phone P] [--language L]\n"
     "                 [--time-zone Z] [--home-site S] [--teams T] [--tier L2]\n"
     "                 [--role ROLE [--sites S]] [--unix NAME]: add a desk user",
     s_print_user, false,
     "LOGIN: lower-case letters, digits, '.', '_', '-' (at most 32). --role gives one role\n"
     "(requester, agent, manager, admin), limited to the comma-separated --sites if given;\n"
     "grant more with `sundesk user grant`. --teams: comma-separated team names. --unix NAME:\n"
     "that Unix account acts as LOGIN on the node's ipc socket. Needs the admin role.",
     NULL},
    {"show", SD_REQ_USER_GET, "id:LOGIN", "LOGIN: the user's card", s_print_card, false, NULL,
     NULL},
    {"list", SD_REQ_USER_LIST, "",
     "[--role R] [--site S] [--team T] [--limit N] [--after LOGIN]:\n"
     "                 the users, by login",
     s_print_list, true,
     "Filters combine: --role R holds role R, --site S has home site S, --team T is a member\n"
     "of team T. --limit N (default 100) with --after LOGIN pages through the list.",
     NULL},
    USER_VERB("update", SD_REQ_USER_UPDATE, "id:LOGIN",
              "LOGIN [--name N] [--email E] [--phone P] [--language L]\n"
              "                 [--time-zone Z] [--home-site S] [--teams T] [--tier T]: change the "
              "profile"),
    {"grant", SD_REQ_USER_GRANT, "id:LOGIN role",
     "LOGIN ROLE [--sites S]: give a role (requester|agent|manager|admin)", s_print_user, false,
     "--sites S (comma-separated) limits the role to those sites' records; a grant again with\n"
     "other --sites replaces the limit. A revoke or disable made concurrently at another site\n"
     "wins over this grant.",
     NULL},
    USER_VERB("revoke", SD_REQ_USER_REVOKE, "id:LOGIN role", "LOGIN ROLE: take a role away"),
    USER_VERB("disable", SD_REQ_USER_DISABLE, "id:LOGIN",
              "LOGIN [--reason R]: the user can no longer act (tokens too)"),
    USER_VERB("enable", SD_REQ_USER_ENABLE, "id:LOGIN", "LOGIN: the user may act again"),
    {"link", SD_REQ_USER_LINK, "id:LOGIN unix:NAME",
     "LOGIN --unix NAME: Unix account NAME acts as LOGIN", s_print_user, false,
     "On the node's ipc socket a Unix account other than root and the node's own acts as the\n"
     "desk user linked to it. --unix \"\" removes the link.",
     NULL},
    {"passwd", SD_REQ_USER_PASSWORD, "id:LOGIN",
     "LOGIN [--password-stdin]: set the password for login", s_print_user, false,
     "Asks twice on the terminal (not echoed), or reads one line of stdin with\n"
     "--password-stdin. At least 8 bytes. Users may set their own; admins anyone's.",
     s_prepare_passwd},
    SD_CLI_VERBS_END,
};
