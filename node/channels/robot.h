/* robot.h - chat robots: one notice posted to a WeCom, DingTalk or Feishu group robot or a
 * generic JSON webhook (libcurl; proto/CHAT.md). The channels thread (H3's notifications
 * engine) decides which events make notices and calls these; robot.c holds no queue: a notice
 * that is not sent now (SD_EBUSY, SD_EIO) stays in the caller's durable queue and is tried again.
 *
 * Each kind's request (REFERENCE.md "Chat robots"):
 *   wecom     POST url, {"msgtype":"text","text":{"content":TEXT,...}}; no signature;
 *             content cut to 2048 bytes.
 *   dingtalk  POST url&timestamp=MS&sign=URLENC(BASE64(HMAC-SHA256(key=secret,
 *             MS "\n" secret))), {"msgtype":"text","text":{"content":TEXT},"at":{...}};
 *             content cut to 20000 bytes.
 *   feishu    POST url, {"timestamp":"S","sign":BASE64(HMAC-SHA256(key=S "\n" secret, "")),
 *             "msg_type":"text","content":{"text":TEXT}}; text cut to 20000 bytes (no sign
 *             without a secret).
 *   webhook   POST url, {"event","ticket","priority","team","site","text","url"}, header
 *             X-Sundesk-Signature: sha256=HEX(HMAC-SHA256(key=secret, body)) when a secret is
 *             set; text cut to 16384 bytes.
 * TEXT for the vendors is the message's text, then its url on a line of its own. A cut text
 * ends with "…" so a reader sees that it was cut.
 */
#ifndef SD_ROBOT_H
#define SD_ROBOT_H

#include "config_channels.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One notice. Every field is UTF-8, NULL or "" when it does not apply. */
typedef struct {
    const char *event;    /* new_p1 | new_p2 | breach | handover | major | bulletin | page */
    const char *ticket;   /* "APAC-000042", or "" (a bulletin, a handover) */
    const char *priority; /* "P1".."P4", or "" */
    const char *team;     /* the ticket's (or the page's) team, or "" */
    const char *site;     /* the site the event is about */
    const char *text;     /* what a person reads: one line of title, then detail */
    const char *url;      /* the console link, or "" */
} sd_robot_msg_t;

/* Posts m through robot r: one HTTP POST (connect 5 s, whole request 15 s; no signals).
 * Returns 0 when the robot accepted it (HTTP 2xx and, for the vendors, their errcode/code 0);
 * SD_EBUSY when the robot's per_minute is used up (nothing sent), or on HTTP 429 or the
 * vendor's rate error (the robot then rests for a minute): send it later; SD_EIO on every
 * other failure (connection, HTTP status, vendor error, unreadable secret) with the reason in
 * err (never the secret); SD_EINVAL when a field is not UTF-8 (nothing sent). now_ms: the
 * wall clock (ms since the epoch): the rate limiter's time and the signatures' timestamps,
 * which the vendors check against theirs. Thread-safe. */
int sd_robot_send(const sd_robot_config_t *r, const sd_robot_msg_t *m, uint64_t now_ms, char *err,
                  size_t cap);

/* True when robot r posts this event (its events key) about this team and site (its teams
 * and sites lists; an empty list, or an event without a team, passes). */
bool sd_robot_wants(const sd_robot_config_t *r, const char *event, const char *team,
                    const char *site);

/* True when robot r may post now: fewer than per_minute posts in the last 60 s and not
 * resting after the vendor's rate error. sd_robot_send checks it again itself. */
bool sd_robot_ready(const sd_robot_config_t *r, uint64_t now_ms);

/* The earliest time (ms, ≥ now_ms) at which robot r may post again: now_ms when it is ready,
 * else when the oldest post of its last minute leaves the window or its rest ends. For the
 * caller's next attempt of a notice held by SD_EBUSY. */
uint64_t sd_robot_ready_at(const sd_robot_config_t *r, uint64_t now_ms);

/* Counts a post robot r made at at_ms (wall clock) in its limiter: a restarted node tells it
 * the posts of the last minute that its queue remembers, so a burst stays within per_minute
 * across the restart. */
void sd_robot_note_sent(const sd_robot_config_t *r, uint64_t at_ms);

/* sd_robot_note_sent for each robot of c named in robots (a comma list: a notice's robots). */
void sd_robot_note_posted(const sd_chat_config_t *c, const char *robots, uint64_t at_ms);

/* Posts m to every robot of c that wants it (sd_robot_wants on m's event, team and site) and
 * is not named in done, a comma list of the robots that already took it (kept by the caller
 * with its queued notice, so a retry posts only to the others); each robot that takes it now is
 * appended to done (cap bytes). *wanted (may be NULL) is how many robots want it in all.
 * Returns 0 when every robot that wants it has it (also when none wants it), SD_EBUSY when one
 * is rate-limited (try again at *retry_at, may be NULL: the earliest sd_robot_ready_at of
 * those), else SD_EIO with the first failure in err (SD_EINVAL when the only failure is text
 * that is not UTF-8: no robot will ever take it). */
int sd_robot_post_all(const sd_chat_config_t *c, const sd_robot_msg_t *m, uint64_t now_ms,
                      char *done, size_t cap, int *wanted, uint64_t *retry_at, char *err,
                      size_t ecap);

/* The SD_ROBOT_EV_* bit of an event name, 0 when unknown. */
unsigned sd_robot_event_bit(const char *event);

/* Cuts text so that at most max bytes (and at most cap - 1) are used, at a UTF-8 character
 * boundary, ending with "…" when it was cut (a limit under 3 bytes leaves no room for it).
 * Writes into out; returns true when it was cut. */
bool sd_robot_cut(const char *text, size_t max, char *out, size_t cap);

#endif
