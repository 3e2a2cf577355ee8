/* sizes.h - documented size limits of sundesk records and messages (see PROTOCOL.md). */
#ifndef SD_SIZES_H
#define SD_SIZES_H

#define SD_PROTO_VERSION 1 /* "v" of every message and event */

#define SD_SITE_MAX     16    /* site id: A-Z, 0-9, '-', '_' */
#define SD_ID_MAX       32    /* ticket id, e.g. "APAC-000042" */
#define SD_NAME_MAX     128   /* author, requester, assignee, team */
#define SD_TITLE_MAX    200   /* ticket title */
#define SD_CATEGORY_MAX 64    /* category */
#define SD_TEXT_MAX     8192  /* description, resolution, reason texts */
#define SD_COMMENT_MAX  16384 /* one comment body */
#define SD_NOTE_MAX     4096  /* handover note, satisfaction feedback */
#define SD_PHONE_MAX    32    /* phone number as written */
#define SD_LANG_MAX     35    /* BCP 47 language tag */
#define SD_PWHASH_MAX   128   /* an argon2id hash string (crypto_pwhash_STRBYTES) */
#define SD_PASSWORD_MAX 128   /* a password in a request */
#define SD_TOKEN_MAX    128   /* an API or session token in a request */
#define SD_MESSAGE_MAX  65536 /* one client request or event, encoded */
#define SD_LIST_MAX     1000  /* most tickets one list reply carries */
#define SD_COMMENTS_MAX 2000  /* most comments one ticket holds */

#endif
