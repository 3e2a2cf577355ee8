/* error.c - texts and wire names of sundesk error codes. */
#include "error.h"

#include <string.h>

typedef struct {
    const char *name; /* wire name, stable across versions */
    const char *text; /* human text */
} s_error_info_t;

static const s_error_info_t s_errors[SD_ERROR_COUNT_] = {
    {"ok", "success"},
    {"invalid", "invalid argument"},
    {"no_memory", "out of memory"},
    {"bad_msgpack", "malformed msgpack"},
    {"wrong_type", "field has the wrong type"},
    {"missing_field", "required field missing"},
    {"unknown_field", "unknown field"},
    {"unknown_op", "unknown operation"},
    {"too_long", "string too long"},
    {"bad_utf8", "string is not valid UTF-8 text"},
    {"trailing_bytes", "trailing bytes after message"},
    {"too_big", "message too big or too deeply nested"},
    {"bad_version", "unsupported protocol version"},
    {"out_of_range", "value out of range"},
    {"not_found", "no such record"},
    {"bad_transition", "operation not allowed in the ticket's status"},
    {"store_failed", "store failure"},
    {"disk_full", "disk full"},
    {"io", "I/O error"},
    {"corrupt", "stored data is corrupt"},
    {"timeout", "node did not answer in time"},
    {"config", "configuration error"},
    {"bad_framing", "bad ZeroMQ framing"},
    {"unavailable", "node unavailable"},
    {"duplicate", "duplicate value"},
    {"map_full", "store map full"},
    {"unauthenticated", "not authenticated"},
    {"forbidden", "not allowed"},
    {"busy", "busy; try again"},
    {"precondition_failed", "the record changed since that version"},
};

static const s_error_info_t *s_lookup(int code)
{
    if (code > 0 || code <= -SD_ERROR_COUNT_)
        return NULL;
    return &s_errors[-code];
}

const char *sd_strerror(int code)
{
    const s_error_info_t *info = s_lookup(code);
    return info ? info->text : "unknown error";
}

const char *sd_error_name(int code)
{
    const s_error_info_t *info = s_lookup(code);
    return info ? info->name : "unknown";
}

int sd_error_from_name(const char *name)
{
    for (int i = 0; i < SD_ERROR_COUNT_; i++)
        if (strcmp(s_errors[i].name, name) == 0)
            return -i;
    return SD_EINVAL;
}
