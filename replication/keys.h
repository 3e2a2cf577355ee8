/* keys.h - CURVE certificates of sites (czmq zcert files) and the ZAP handler that admits them.
 *
 * A site's certificate is two files: NAME.cert (public key and metadata
 * "site" and "role": shared with peers, goes into their certificate
 * directory) and NAME.cert_secret (secret key: mode 0600, never copied, never
 * logged). Secret keys stay in czmq's zcert, which keeps them in libsodium
 * memory where available. */
#ifndef SD_KEYS_H
#define SD_KEYS_H

#include "sizes.h"

#include <czmq.h>

/* Generates a certificate for site (role "site" or "hub") and writes
 * dir/name.cert and dir/name.cert_secret (0600). Refuses to overwrite.
 * Returns 0, SD_EDUPLICATE (files exist), SD_ERANGE (bad site or role), SD_EIO. */
int sd_keys_generate(const char *dir, const char *name, const char *site, const char *role);

/* Loads the certificate of this node's site with its secret key from path
 * (the public file; the secret is path + "_secret"). Refuses a secret file
 * readable by others and a certificate of another site than `site`.
 * Returns 0 and *cert (caller destroys with zcert_destroy), SD_ECONFIG. */
int sd_keys_load_own(const char *path, const char *site, zcert_t **cert, char *err, size_t cap);

/* Loads a peer's public certificate; *site and *role come from its metadata
 * (borrowed from *cert). Returns 0, SD_ECONFIG with err. */
int sd_keys_load_peer(const char *path, zcert_t **cert, const char **site, const char **role,
                      char *err, size_t cap);

/* Starts a ZAP handler that admits only CURVE clients whose public key has a
 * certificate in certs_dir. Must run before any CURVE socket binds (libzmq
 * admits every client when no ZAP handler runs). Returns the actor or NULL. */
zactor_t *sd_keys_start_auth(const char *certs_dir);

#endif
