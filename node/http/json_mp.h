/* json_mp.h - JSON (jansson) to msgpack (proto/mp.h) and back: the HTTP API's bodies.
 *
 * The HTTP layer adds no rules of its own: a JSON body becomes the msgpack `args` of an op as
 * it stands, and the node's strict decoder judges it (types, lengths, UTF-8, unknown fields),
 * exactly as for a msgpack client. Only what msgpack cannot carry for the node is refused
 * here: numbers with a fraction or an exponent (no argument is one). */
#ifndef SD_JSON_MP_H
#define SD_JSON_MP_H

#include "mp.h"

#include <jansson.h>

/* Writes v to w. Returns 0, or SD_ETYPE for a real number, with its JSON pointer ("#/a/0")
 * in pointer (cap bytes). */
int sd_json_to_mp(const json_t *v, sd_mp_writer_t *w, char *pointer, size_t cap);

/* A new JSON value for n (the caller owns it: json_decref): maps become objects (keys that are
 * not strings are written as their JSON text), nil null, bin a lower-case hex string. NULL when
 * out of memory. */
json_t *sd_mp_to_json(const sd_mp_node_t *n);

#endif
