/* keys.h - CURVE certificates of sites (czmq zcert files) and the ZAP handler that admits them.
 *
 * A site's certificate is three files: NAME.cert (public key and metadata
 * "site", "role" and "sign-key", the public key its events are signed with
 * (sign.h): shared with peers, goes into their certificate directory),
 * NAME.cert_secret (CURVE secret key) and NAME.cert_sign (signing secret key),
 * both mode 0600, never copied, never logged. Secret keys stay in czmq's zcert, which keeps them in
 * libsodium memory where available. */
#ifndef SD_KEYS_H
#define SD_KEYS_H

#include "sign.h"
#include "sizes.h"

#include <czmq.h>

#define SD_KEYS_SIGN_META "sign-key" /* certificate metadata: the Ed25519 public key, hex */

/* Generates a certificate for site (role "site" or "hub") and writes
 * dir/name.cert, dir/name.cert_secret and dir/name.cert_sign (0600). Refuses to overwrite.
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

/* Adds the signing key of cert (its "sign-key" metadata) for its site to signers. Returns 0,
 * SD_ENOTFOUND (a certificate made before signing: no key), or sd_signers_add's errors. */
int sd_keys_add_signer(zcert_t *cert, sd_signers_t *signers);

/* Adds the signing keys of every NAME.cert in dir (certificates without one are skipped).
 * Returns 0, SD_ECONFIG with err (unreadable dir, a file that is no certificate, too many). */
int sd_keys_load_signers(const char *dir, sd_signers_t *signers, char *err, size_t cap);

/* Starts a ZAP handler that admits only CURVE clients whose public key has a
 * certificate in certs_dir. Must run before any CURVE socket binds (libzmq
 * admits every client when no ZAP handler runs). Returns the actor or NULL. */
zactor_t *sd_keys_start_auth(const char *certs_dir);

#endif
