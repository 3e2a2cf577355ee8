/* team.h - the team record kind: a support team of a site, at a tier, with a manager.
 *
 * A team's id is its name (a login-like name, sd_login_check); users name their teams in their
 * own "teams" field. Every field is a last-writer-wins register. */
#ifndef SD_TEAM_H
#define SD_TEAM_H

#include "event.h"
#include "kind.h"
#include "sizes.h"

#include <stdint.h>

typedef enum { SD_TOP_CREATE, SD_TOP_UPDATE, SD_TOP_COUNT_ } sd_team_op_t;

typedef enum {
    SD_TREG_CREATED,
    SD_TREG_NAME,
    SD_TREG_SITE,
    SD_TREG_TIER,
    SD_TREG_MANAGER,
    SD_TREG_COUNT_
} sd_team_register_t;

typedef struct {
    char id[SD_ID_MAX + 1]; /* team name */
    uint64_t updated_at;    /* latest event time (Unix ms) */
    uint64_t created_at;    /* Unix ms */
    char *origin_site;      /* site that created it */
    char *display_name;     /* "Network L2 (Shanghai)" */
    char *site;             /* the site it works at */
    int tier;               /* sd_tier_t */
    char *manager;          /* login of its manager */
    sd_stamp_t stamps[SD_TREG_COUNT_];
} sd_team_t;

extern const sd_kind_t sd_kind_team;

/* The team an event carries (ev->kind must be the team kind). */
static inline sd_team_t *sd_event_team(const sd_event_t *ev)
{
    return (sd_team_t *)ev->fields;
}

#endif
