/* render.h - how the sundesk CLI shows things: JSON, human tables, CSV, reports. */
#ifndef SD_RENDER_H
#define SD_RENDER_H

#include "mp.h"
#include "ticket.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes a msgpack value as JSON (strings escaped, bin as base16 string). */
void sd_render_json(FILE *out, const sd_mp_node_t *value);

/* Unix ms in the CLI's zone (tz.h): "2026-11-24 16:05Z" in UTC, "2026-11-25 00:05+08" in
 * Asia/Shanghai; "-" for 0. buf needs 24 bytes. */
const char *sd_render_time(uint64_t ms, char *buf);

/* The same with seconds, "2026-11-25 00:05:09+08"; buf needs SD_TZ_TIME_MAX (32) bytes. */
const char *sd_render_local_time(uint64_t ms, char *buf);

/* A duration "3h05m" / "2d04h" / "45s" between two Unix ms, "-" if not both set. */
const char *sd_render_span(uint64_t from, uint64_t to, char *buf, size_t cap);

/* A duration as "5h 30m" (hours may exceed 24). */
const char *sd_render_hours(uint64_t ms, char *buf, size_t cap);

/* Writes len bytes of text line by line, each line after indent. */
void sd_render_indented(FILE *out, const char *text, size_t len, const char *indent);

/* The SLA state of t, "ok", "at_risk" or "breached", with " ESC" when escalated
 * (the manager was told). buf needs 16 bytes. */
const char *sd_render_sla(const sd_ticket_t *t, char *buf, size_t cap);

/* The ticket card of `ticket show`, with its SLA state and last handover; times in the CLI's
 * zone (tz.h), named on a "times in" line. site_zone (borrowed, NULL: unknown) is the owner
 * site's IANA zone: the due times then also show on the site's clock. */
void sd_render_ticket(FILE *out, const sd_ticket_t *t, const char *site_zone);

/* The queue table of `ticket list`. */
void sd_render_queue_header(FILE *out);
void sd_render_queue_row(FILE *out, const sd_ticket_t *t);

/* The tracking table of seed 001 (客户服务请求记录跟踪表) as CSV (RFC 4180). */
void sd_render_csv_header(FILE *out);
void sd_render_csv_row(FILE *out, const sd_ticket_t *t);

/* The per-ticket report of `ticket report`: card (site_zone as for sd_render_ticket), timings,
 * comments, history. events and changes are ticket.history's result arrays (either may be NULL). */
void sd_render_report(FILE *out, const sd_ticket_t *t, const char *site_zone,
                      const sd_mp_node_t *events, const sd_mp_node_t *changes);

/* ticket.history's result: a line per event (time, op, author, origin#seq, what it did), and
 * under an update a line "field: OLD -> NEW" per field it changed (changes[i] for events[i]). */
void sd_render_history(FILE *out, const sd_mp_node_t *events, const sd_mp_node_t *changes);

#endif
