/* authz.c - the permission table applied to a request. */
#include "authz.h"

#include "contact.h"
#include "asset.h"
#include "article.h"
#include "bulletin.h"
#include "customer.h"
#include "error.h"
#include "major.h"
#include "message.h"
#include "record.h"
#include "team.h"
#include "ticket.h"
#include "token.h"

#include <stdio.h>
#include <string.h>

static bool s_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static const char *s_or(const char *a, const char *b)
{
    return a && *a ? a : b;
}

sd_authz_subject_t sd_authz_subject(const sd_principal_t *who, const sd_request_t *req,
                                    const void *cur, const char *node_site)
{
    const sd_req_spec_t *spec = sd_req_spec(req->op);
    const sd_kind_t *k = spec ? spec->kind : NULL;
    const char *me = who->login;
    const sd_args_t *a = &req->args;
    bool list = spec && !spec->writes && !sd_request_record_id(req);
    if (k == &sd_kind_ticket) {
        const sd_ticket_t *t = cur;
        if (t)
            return (sd_authz_subject_t){s_or(t->owner_site, t->origin_site),
                                        s_eq(t->requester, me)};
        if (spec->creates)
            return (sd_authz_subject_t){node_site,
                                        !a->ticket.requester || s_eq(a->ticket.requester, me)};
        return (sd_authz_subject_t){NULL, list};
    }
    if (k == &sd_kind_user) {
        const sd_user_t *u = cur;
        if (u)
            return (sd_authz_subject_t){s_or(u->home_site, u->origin_site), s_eq(u->id, me)};
        if (spec->creates)
            return (sd_authz_subject_t){s_or(a->user.home_site, node_site), false};
        return (sd_authz_subject_t){NULL, s_eq(a->user.id, me)};
    }
    if (k == &sd_kind_team) {
        const sd_team_t *t = cur;
        if (t)
            return (sd_authz_subject_t){s_or(t->site, t->origin_site), false};
        return (sd_authz_subject_t){spec->creates ? s_or(a->team.site, node_site) : NULL, false};
    }
    if (k == &sd_kind_asset) {
        const sd_asset_t *t = cur;
        if (t)
            return (sd_authz_subject_t){s_or(t->site, t->origin_site), false};
        return (sd_authz_subject_t){spec->creates ? s_or(a->asset.site, node_site) : NULL, false};
    }
    if (k == &sd_kind_token) {
        const sd_token_t *t = cur;
        if (t)
            return (sd_authz_subject_t){t->origin_site, s_eq(t->user, me)};
        if (spec->creates)
            return (sd_authz_subject_t){node_site, !a->token.user || s_eq(a->token.user, me)};
        return (sd_authz_subject_t){NULL, list};
    }
    if (k == &sd_kind_customer) {
        const sd_customer_t *c = cur;
        if (c)
            return (sd_authz_subject_t){s_or(c->home_site, c->origin_site), s_eq(c->user, me)};
        if (spec->creates)
            return (sd_authz_subject_t){s_or(a->customer.home_site, node_site), false};
        return (sd_authz_subject_t){NULL, false};
    }
    if (k == &sd_kind_contact) {
        const sd_contact_t *c = cur;
        if (c)
            return (sd_authz_subject_t){c->origin_site, false};
        return (sd_authz_subject_t){spec->creates ? node_site : NULL, false};
    }
    if (k == &sd_kind_major) {
        const sd_major_t *r = cur;
        const char *site = r ? r->site : a->major.site;
        return (sd_authz_subject_t){site && sd_site_valid(site) ? site : NULL, false};
    }
    /* A requester's search covers their own tickets: the search thread narrows it (search.h). */
    if (req->op == SD_REQ_SEARCH_QUERY || req->op == SD_REQ_SEARCH_SUGGEST)
        return (sd_authz_subject_t){NULL, true};
    if (k == &sd_kind_article) /* desk-wide; a requester reads (and finds helpful) what the
                                  handler lets them see (op_article.h) */
        return (sd_authz_subject_t){NULL, !spec->writes || req->op == SD_REQ_ARTICLE_HELPFUL};
    if (k == &sd_kind_bulletin) {
        const sd_bulletin_t *b = cur;
        const char *site = b ? b->origin_site : spec->creates ? node_site : NULL;
        return (sd_authz_subject_t){site, !spec->writes}; /* reads: narrowed by op_bulletin.h */
    }
    if (k == &sd_kind_message) { /* an intake's retry of a message is this site's, wherever
                                    the record came from first (op_message.h) */
        const sd_message_t *m = cur;
        return (sd_authz_subject_t){spec->creates || !m ? (spec->writes ? node_site : NULL)
                                                        : s_or(m->site, node_site),
                                    false};
    }
    return (sd_authz_subject_t){NULL, false};
}

/* The scope a column grants on subject, given the sites its role is limited to. */
static int s_grants(int scope, const char *sites, const sd_authz_subject_t *s)
{
    switch (scope) {
    case SD_SCOPE_ANY:
        return SD_SCOPE_ANY;
    case SD_SCOPE_SITE:
        if (!s->site || !sites || !*sites || sd_list_has(sites, s->site))
            return SD_SCOPE_SITE;
        return s->own ? SD_SCOPE_OWN : SD_SCOPE_NONE;
    case SD_SCOPE_OWN:
        return s->own ? SD_SCOPE_OWN : SD_SCOPE_NONE;
    default:
        return SD_SCOPE_NONE;
    }
}

/* "the agent or manager role" - the roles whose column allows op at all. */
static void s_needed(const sd_perm_row_t *row, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (int r = 0; r < SD_ROLE_COUNT_; r++)
        if (row->scope[r + 1] != SD_SCOPE_NONE)
            used += (size_t)snprintf(out + used, used < cap ? cap - used : 0, "%s%s",
                                     used ? " or " : "", sd_role_names[r]);
    if (!used)
        snprintf(out, cap, "bootstrap admin");
}

/* The one line of a refusal: a right the caller has only on their own records; a role they
 * hold for other sites only; or the roles that would do. */
static int s_refusal(const sd_principal_t *who, const char *op, const sd_perm_row_t *row,
                     const sd_authz_subject_t *subject, sd_fault_t *fault)
{
    const sd_user_t *u = &who->user;
    bool own_right = row->scope[SD_PERM_ANYONE] == SD_SCOPE_OWN;
    for (int r = 0; r < SD_ROLE_COUNT_; r++)
        own_right |= sd_user_has_role(u, r, NULL) && row->scope[r + 1] == SD_SCOPE_OWN;
    char roles[80];
    s_needed(row, roles, sizeof roles);
    for (int r = 0; r < SD_ROLE_COUNT_ && subject->site; r++)
        if (sd_user_has_role(u, r, NULL) && row->scope[r + 1] == SD_SCOPE_SITE)
            return sd_fault_set(fault, SD_EFORBIDDEN,
                                "forbidden: %s needs the %s role for site %s; %s is %s for %s "
                                "only",
                                op, roles, subject->site, who->login, sd_role_names[r],
                                u->sites[r]);
    if (own_right)
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "forbidden: %s may do %s only on their own records; this one is not "
                            "theirs",
                            who->login, op);
    if (subject->site)
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "forbidden: %s needs the %s role for site %s; %s holds none of them",
                            op, roles, subject->site, who->login);
    return sd_fault_set(fault, SD_EFORBIDDEN,
                        "forbidden: %s needs the %s role; %s holds none of them", op, roles,
                        who->login);
}

int sd_authz_check(const sd_principal_t *who, const char *op, const sd_authz_subject_t *subject,
                   int *scope, sd_fault_t *fault)
{
    *scope = SD_SCOPE_NONE;
    const sd_perm_row_t *row = sd_perm_row(op);
    if (who->superuser) {
        *scope = SD_SCOPE_ANY;
        return 0;
    }
    if (!row || !who->has_user)
        return sd_fault_set(fault, SD_EFORBIDDEN, "forbidden: %s is not in the permission table",
                            op);
    const sd_user_t *u = &who->user;
    if (!sd_user_holds(u, SD_USER_ACTIVE)) /* authn refuses them first; this holds regardless */
        return sd_fault_set(fault, SD_EFORBIDDEN, "forbidden: user %s is disabled", who->login);
    int best = s_grants(row->scope[SD_PERM_ANYONE], NULL, subject);
    for (int r = 0; r < SD_ROLE_COUNT_; r++) {
        if (!sd_user_has_role(u, r, NULL))
            continue;
        int g = s_grants(row->scope[r + 1], u->sites[r], subject);
        if (g > best)
            best = g;
    }
    if (best != SD_SCOPE_NONE) {
        *scope = best;
        return 0;
    }
    return s_refusal(who, op, row, subject, fault);
}

/* Is who an admin of every site (or the bootstrap admin)? */
static bool s_global_admin(const sd_principal_t *who)
{
    if (who->superuser)
        return true;
    const sd_user_t *u = &who->user;
    return who->has_user && sd_user_has_role(u, SD_ROLE_ADMIN, NULL) &&
           (!u->sites[SD_ROLE_ADMIN] || !*u->sites[SD_ROLE_ADMIN]);
}

int sd_authz_rules(const sd_principal_t *who, const sd_request_t *req, const void *cur,
                   const char *node_site, int scope, sd_fault_t *fault)
{
    const char *me = who->login;
    switch (req->op) {
    case SD_REQ_TICKET_ASSIGN: {
        const sd_ticket_t *t = cur;
        if (t && t->assignee && *t->assignee && !s_eq(t->assignee, me) &&
            !s_eq(t->assignee, req->args.ticket.assignee)) {
            sd_authz_subject_t s = sd_authz_subject(who, req, cur, node_site);
            int sc;
            if (sd_authz_check(who, "ticket.reassign", &s, &sc, NULL))
                return sd_fault_set(fault, SD_EFORBIDDEN,
                                    "forbidden: ticket %s is assigned to %s; reassigning "
                                    "someone else's ticket needs the manager role",
                                    t->id, t->assignee);
        }
        return 0;
    }
    case SD_REQ_USER_GRANT:
    case SD_REQ_USER_NEW:
        if (sd_request_has(req, SD_ARG_USER_ROLE) && req->args.user.role == SD_ROLE_ADMIN &&
            !s_global_admin(who))
            return sd_fault_set(fault, SD_EFORBIDDEN,
                                "forbidden: only an admin of every site grants the admin role");
        return 0;
    default:
        break;
    }
    if (scope != SD_SCOPE_OWN)
        return 0;
    if (req->op == SD_REQ_TICKET_LIST && req->args.ticket.requester &&
        !s_eq(req->args.ticket.requester, me))
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "forbidden: %s lists only their own tickets (requester %s)", me, me);
    if (req->op == SD_REQ_TICKET_LIST && req->args.ticket.assignee)
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "forbidden: listing by assignee needs the agent role");
    if (req->op == SD_REQ_TOKEN_LIST && req->args.token.user && !s_eq(req->args.token.user, me))
        return sd_fault_set(fault, SD_EFORBIDDEN, "forbidden: %s lists only their own tokens", me);
    if (req->op == SD_REQ_TICKET_COMMENT && sd_request_has(req, SD_ARG_TICKET_PUBLIC) &&
        !req->args.ticket.public_reply)
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "forbidden: internal notes need the agent role; a requester's "
                            "comment is a public reply");
    if (req->op == SD_REQ_TICKET_NEW &&
        (sd_request_has(req, SD_ARG_TICKET_ASSIGNEE) || sd_request_has(req, SD_ARG_TICKET_TEAM) ||
         sd_request_has(req, SD_ARG_TICKET_TIER)))
        return sd_fault_set(fault, SD_EFORBIDDEN,
                            "forbidden: assignee, team and tier are set by agents");
    return 0;
}

/* The user a request names as its argument arg, into *u (the caller clears it): existing and
 * active. */
static int s_user(sd_store_txn_t *txn, const char *arg, const char *login, sd_user_t *u,
                  sd_fault_t *fault)
{
    sd_fault_t why = {0};
    int rc = sd_auth_active_user(txn, login, u, &why);
    if (rc == SD_ENOTFOUND)
        return sd_fault_set(fault, rc, "args.%s: no desk user '%s' (sundesk user new)", arg, login);
    if (rc == SD_EFORBIDDEN)
        return sd_fault_set(fault, SD_ERANGE, "args.%s: user %s is disabled", arg, login);
    return rc;
}

/* An agent a request names: an existing, active user holding the agent or manager role. */
static int s_agent(sd_store_txn_t *txn, const char *arg, const char *login, bool need_agent,
                   sd_fault_t *fault)
{
    sd_user_t u = {0};
    int rc = s_user(txn, arg, login, &u, fault);
    if (!rc && need_agent && !sd_user_has_role(&u, SD_ROLE_AGENT, NULL) &&
        !sd_user_has_role(&u, SD_ROLE_MANAGER, NULL))
        rc = sd_fault_set(fault, SD_ERANGE, "args.%s: user %s is neither agent nor manager", arg,
                          login);
    sd_record_clear(&sd_kind_user, &u);
    return rc;
}

int sd_authz_refs(sd_store_txn_t *txn, const sd_request_t *req, sd_fault_t *fault)
{
    switch (req->op) {
    case SD_REQ_TICKET_NEW:
    case SD_REQ_TICKET_ASSIGN:
        return req->args.ticket.assignee
                   ? s_agent(txn, "assignee", req->args.ticket.assignee, true, fault)
                   : 0;
    case SD_REQ_TOKEN_NEW:
        return req->args.token.user ? s_agent(txn, "user", req->args.token.user, false, fault) : 0;
    case SD_REQ_TEAM_NEW:
    case SD_REQ_TEAM_UPDATE:
        return req->args.team.manager ? s_agent(txn, "manager", req->args.team.manager, true, fault)
                                      : 0;
    default:
        return 0;
    }
}
