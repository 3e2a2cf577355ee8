/* authz.h - rights: may this principal do this op on this record? (proto/permissions.def)
 *
 * Checked when a request is served, before its event is made (DESIGN 2.1: replicas only
 * merge). The server works out the subject of a request - the site of the record it names (or
 * creates) and whether the record is the caller's own - with sd_authz_subject, then asks
 * sd_authz_check, which answers with the widest scope the caller's roles grant for it or
 * SD_EFORBIDDEN with one line naming the missing right. Handlers of ops a caller may do on
 * their OWN records only (a requester's ticket.list, token.list) get the granted scope and
 * narrow what they show; a ticket seen with OWN scope shows no internal notes. */
#ifndef SD_AUTHZ_H
#define SD_AUTHZ_H

#include "authn.h"
#include "permission.h"
#include "request.h"

/* What a request acts on, for the check. */
typedef struct {
    const char *site; /* the record's site (NULL: no record, or a list) */
    bool own;         /* the record is the caller's own (a list: the caller's own part) */
} sd_authz_subject_t;

/* The subject of req by who: cur is the record its id names (NULL when none or not found),
 * node_site this node's site (the site of what a create makes when the args name none).
 * Borrows from cur and req. */
sd_authz_subject_t sd_authz_subject(const sd_principal_t *who, const sd_request_t *req,
                                    const void *cur, const char *node_site);

/* Checks op (a wire name or a pseudo-op) for who on subject. Returns 0 and *scope (the widest
 * granted), or SD_EFORBIDDEN (fault: "forbidden: ticket.cancel needs the manager role for site
 * APAC ..."). */
int sd_authz_check(const sd_principal_t *who, const char *op, const sd_authz_subject_t *subject,
                   int *scope, sd_fault_t *fault);

/* The rules beyond the table for req on cur, once sd_authz_check passed with scope:
 * ticket.assign of a ticket assigned to someone else needs ticket.reassign; only an admin of
 * every site grants the admin role; a caller with OWN scope only opens tickets for themselves,
 * writes public replies and lists their own tickets and tokens. Returns 0 or SD_EFORBIDDEN. */
int sd_authz_rules(const sd_principal_t *who, const sd_request_t *req, const void *cur,
                   const char *node_site, int scope, sd_fault_t *fault);

/* Checks that the users a request names as agents exist and are active (ticket.new and
 * ticket.assign: assignee; team.new/update: manager). Returns 0, SD_ENOTFOUND or SD_ERANGE
 * (fault says who and why), or a store error. */
int sd_authz_refs(sd_store_txn_t *txn, const sd_request_t *req, sd_fault_t *fault);

#endif
