/* blobs.h - the node's blobs over HTTP: GET /api/v1/blobs/{blob} answers the bytes with their
 * type (read from the node by blob.get, 48 KiB at a time), POST /api/v1/blobs stores a request
 * body of at most 49152 bytes (blob.put) and answers {blob, size}. proto/MAIL.md. */
#ifndef SD_HTTP_BLOBS_H
#define SD_HTTP_BLOBS_H

#include "routes.h"

#include <stdbool.h>

#define SD_HTTP_BLOB_MAX (64u << 20) /* most bytes one GET answers */

/* Answers a request whose path starts /api/v1/blobs (true), or returns false for another. */
bool sd_blobs_serve(const sd_http_caller_t *caller);

#endif
