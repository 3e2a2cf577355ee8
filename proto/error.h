/* error.h - sundesk error codes: every fallible call returns 0 or one of these. */
#ifndef SD_ERROR_H
#define SD_ERROR_H

/* Error codes are negative so that "return rc;" can carry them up unchanged.
 * Each has a stable wire name (see proto/PROTOCOL.md) and a human text. */
typedef enum {
    SD_OK = 0,
    SD_EINVAL = -1,            /* a caller passed an invalid argument */
    SD_ENOMEM = -2,            /* out of memory */
    SD_EMSGPACK = -3,          /* bytes are not well-formed msgpack */
    SD_ETYPE = -4,             /* a field has the wrong msgpack type */
    SD_EMISSING = -5,          /* a required field is missing */
    SD_EUNKNOWN_FIELD = -6,    /* a field name the schema does not know */
    SD_EUNKNOWN_OP = -7,       /* an operation name the node does not know */
    SD_ETOOLONG = -8,          /* a string is longer than its documented limit */
    SD_EUTF8 = -9,             /* a string is not valid UTF-8 or holds control characters */
    SD_ETRAILING = -10,        /* bytes follow the end of the message */
    SD_ETOOBIG = -11,          /* message, nesting or element count beyond the limits */
    SD_EVERSION = -12,         /* unsupported protocol version */
    SD_ERANGE = -13,           /* a number or enum value out of its range */
    SD_ENOTFOUND = -14,        /* no such record */
    SD_ETRANSITION = -15,      /* the ticket's status does not allow this operation */
    SD_ESTORE = -16,           /* the store failed (LMDB error) */
    SD_EFULL = -17,            /* the disk is full */
    SD_EIO = -18,              /* an I/O error */
    SD_ECORRUPT = -19,         /* stored data failed validation */
    SD_ETIMEOUT = -20,         /* the node did not answer in time */
    SD_ECONFIG = -21,          /* configuration error */
    SD_EFRAMING = -22,         /* ZeroMQ frames not as the protocol says */
    SD_EUNAVAILABLE = -23,     /* the node is shutting down or not reachable */
    SD_EDUPLICATE = -24,       /* a duplicate value where one is allowed */
    SD_EMAPFULL = -25,         /* the store's map is full; the caller grows it and retries */
    SD_EUNAUTHENTICATED = -26, /* the node cannot tell who is asking (or the proof is wrong) */
    SD_EFORBIDDEN = -27,       /* the caller lacks the right to do this */
    SD_EBUSY = -28,            /* too many of a costly thing at once (password checks); retry */
    SD_EPRECONDITION = -29,    /* the record changed since the version the caller named */
    SD_ERROR_COUNT_ = 30       /* number of codes, including SD_OK */
} sd_error_t;

/* Human text of an error code, e.g. "string too long". Never NULL; unknown
 * codes give "unknown error". The string is static. */
const char *sd_strerror(int code);

/* Stable wire name of an error code, e.g. "too_long". Never NULL; unknown
 * codes give "unknown". The string is static. */
const char *sd_error_name(int code);

/* Code for a wire name, or SD_EINVAL when the name is unknown. */
int sd_error_from_name(const char *name);

#endif
