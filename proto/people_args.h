/* people_args.h - the argument groups of the identity ops: user (user.*, auth.login), team
 * (team.*), token (token.*) and audit (audit.list). See args.h for how groups work. */
#ifndef SD_PEOPLE_ARGS_H
#define SD_PEOPLE_ARGS_H

#include "mp.h"

#include <stdint.h>

/* ---- user ---------------------------------------------------------------- */

typedef enum {
    SD_ARG_USER_ID,
    SD_ARG_USER_DISPLAY_NAME,
    SD_ARG_USER_EMAIL,
    SD_ARG_USER_PHONE,
    SD_ARG_USER_LANGUAGE,
    SD_ARG_USER_TIME_ZONE,
    SD_ARG_USER_HOME_SITE,
    SD_ARG_USER_TEAMS,
    SD_ARG_USER_TIER,
    SD_ARG_USER_ROLE,
    SD_ARG_USER_SITES,
    SD_ARG_USER_UNIX,
    SD_ARG_USER_PASSWORD,
    SD_ARG_USER_REASON,
    SD_ARG_USER_SITE,
    SD_ARG_USER_TEAM,
    SD_ARG_USER_LIMIT,
    SD_ARG_USER_AFTER,
    SD_ARG_USER_COUNT_
} sd_user_arg_t;

/* Arguments of the user ops. Strings are heap-owned (NULL = absent). */
typedef struct {
    char *id;           /* login */
    char *display_name; /* "Li Wei" */
    char *email;        /* e-mail address */
    char *phone;        /* phone number */
    char *language;     /* zh-CN, en, ... */
    char *time_zone;    /* IANA name */
    char *home_site;    /* the user's site */
    char *teams;        /* team names, comma-separated ("" for none) */
    int tier;           /* sd_tier_t */
    int role;           /* sd_user_role_t: new, grant, revoke; list filter */
    char *sites;        /* grant, new: sites the role is limited to, comma-separated */
    char *unix_name;    /* link: Unix account name ("unix"; "" unlinks) */
    char *password;     /* password, auth.login: the password in clear */
    char *reason;       /* disable: why */
    char *site;         /* list filter: home site */
    char *team;         /* list filter: member of */
    int limit;          /* list: most users */
    char *after;        /* list: resume after this login */
} sd_user_args_t;

extern const sd_field_t sd_user_args_fields[SD_ARG_USER_COUNT_];

/* ---- team ---------------------------------------------------------------- */

typedef enum {
    SD_ARG_TEAM_ID,
    SD_ARG_TEAM_DISPLAY_NAME,
    SD_ARG_TEAM_SITE,
    SD_ARG_TEAM_TIER,
    SD_ARG_TEAM_MANAGER,
    SD_ARG_TEAM_LIMIT,
    SD_ARG_TEAM_AFTER,
    SD_ARG_TEAM_COUNT_
} sd_team_arg_t;

typedef struct {
    char *id;           /* team name */
    char *display_name; /* longer name */
    char *site;         /* its site; list filter */
    int tier;           /* sd_tier_t */
    char *manager;      /* login of its manager */
    int limit;          /* list: most teams */
    char *after;        /* list: resume after this name */
} sd_team_args_t;

extern const sd_field_t sd_team_args_fields[SD_ARG_TEAM_COUNT_];

/* ---- token --------------------------------------------------------------- */

typedef enum {
    SD_ARG_TOKEN_ID,
    SD_ARG_TOKEN_USER,
    SD_ARG_TOKEN_NAME,
    SD_ARG_TOKEN_DAYS,
    SD_ARG_TOKEN_LIMIT,
    SD_ARG_TOKEN_AFTER,
    SD_ARG_TOKEN_COUNT_
} sd_token_arg_t;

typedef struct {
    char *id;    /* token id (SITE-TOK-000001) */
    char *user;  /* new: the login it acts as (default: the caller); list filter */
    char *name;  /* new: what it is for */
    int days;    /* new: expires after this many days (default: never) */
    int limit;   /* list: most tokens */
    char *after; /* list: resume after this id */
} sd_token_args_t;

extern const sd_field_t sd_token_args_fields[SD_ARG_TOKEN_COUNT_];

/* ---- audit --------------------------------------------------------------- */

typedef enum {
    SD_ARG_AUDIT_USER,
    SD_ARG_AUDIT_SINCE,
    SD_ARG_AUDIT_UNTIL,
    SD_ARG_AUDIT_TICKET,
    SD_ARG_AUDIT_LIMIT,
    SD_ARG_AUDIT_COUNT_
} sd_audit_arg_t;

typedef struct {
    char *user;     /* only what this identity did (or was refused) */
    uint64_t since; /* only at or after (Unix ms) */
    uint64_t until; /* only before (Unix ms) */
    char *ticket;   /* only the events of this ticket */
    int limit;      /* most entries (the newest) */
} sd_audit_args_t;

extern const sd_field_t sd_audit_args_fields[SD_ARG_AUDIT_COUNT_];

#endif
