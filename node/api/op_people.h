/* op_people.h - the identity ops: users, teams, API tokens, login and "who am I".
 *
 * Handlers of proto/ops.def (the contracts of sd_api_read_fn and sd_api_write_fn, dispatch.h).
 * The server has checked the caller's rights (node/auth/authz.h) before any of them runs; what
 * they check is the data: a login or team name that is no name, a user that already exists, a
 * password too short. user.get and team.get are the generic sd_api_record_get. */
#ifndef SD_OP_PEOPLE_H
#define SD_OP_PEOPLE_H

#include "dispatch.h"

/* user.new, user.update, user.grant, user.revoke, user.disable, user.enable, user.link,
 * user.password: the user event. SD_ENOTFOUND (no such user), SD_EDUPLICATE (user.new of an
 * existing login), SD_ERANGE (a bad login, site list or password), SD_EBUSY (password hashing
 * over its rate), SD_ENOMEM. */
int sd_api_user_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                      sd_event_t *ev, sd_fault_t *fault);

/* {users, more}: users in login order, filtered by role held, home site, team. */
int sd_api_user_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                     sd_fault_t *fault);

/* team.new, team.update. SD_ENOTFOUND, SD_EDUPLICATE, SD_ERANGE (a bad name), SD_ENOMEM. */
int sd_api_team_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                      sd_event_t *ev, sd_fault_t *fault);

/* {teams, more}: teams in name order, filtered by site. */
int sd_api_team_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                     sd_fault_t *fault);

/* token.new (a fresh secret, its hash in the event, the token into ctx->shown_once) and
 * token.revoke. SD_ENOTFOUND (no such token or user), SD_ETRANSITION (already revoked). */
int sd_api_token_write(const sd_api_write_ctx_t *ctx, const void *cur, const sd_request_t *req,
                       sd_event_t *ev, sd_fault_t *fault);

/* {tokens, more}: tokens in id order; the caller's own only, unless an admin asks. */
int sd_api_token_list(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);

/* {user, via, site, superuser, roles: [{role, sites}]}: who the node takes the caller for. */
int sd_api_auth_whoami(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);

/* {token, user, expires_at}: a session token after a password check (password.h bounds).
 * SD_EUNAUTHENTICATED (wrong login or password, disabled user: one message for all),
 * SD_EBUSY. */
int sd_api_auth_login(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                      sd_fault_t *fault);

/* {user}: ends the login session the request's auth names, at this node. SD_EINVAL (fault set)
 * for a caller identified otherwise (an API token, the Unix account). */
int sd_api_auth_logout(const sd_api_ctx_t *ctx, const sd_request_t *req, sd_mp_writer_t *w,
                       sd_fault_t *fault);

#endif
