/* keys.c - certificate files and the ZAP handler, over czmq. */
#include "keys.h"

#include "error.h"
#include "event.h"
#include "sign.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int sd_keys_generate(const char *dir, const char *name, const char *site, const char *role)
{
    if (!sd_site_valid(site) || (strcmp(role, "site") != 0 && strcmp(role, "hub") != 0))
        return SD_ERANGE;
    char path[1024], secret[1100];
    snprintf(path, sizeof path, "%s/%s.cert", dir, name);
    snprintf(secret, sizeof secret, "%s_secret", path);
    if (zsys_file_exists(path) || zsys_file_exists(secret))
        return SD_EDUPLICATE;
    char sign[1100], pk[2 * SD_SIGN_PK_BYTES + 1], sk[2 * SD_SIGN_SK_BYTES + 1];
    snprintf(sign, sizeof sign, "%s_sign", path);
    if (zsys_file_exists(sign))
        return SD_EDUPLICATE;
    if (sd_sign_keypair(pk, sk) != 0)
        return SD_EIO;
    zcert_t *cert = zcert_new();
    if (!cert)
        return SD_EIO;
    zcert_set_meta(cert, "site", "%s", site);
    zcert_set_meta(cert, "role", "%s", role);
    zcert_set_meta(cert, SD_KEYS_SIGN_META, "%s", pk);
    /* Create the secret files 0600 before anything is written into them. */
    mode_t old = umask(077);
    int rc = zcert_save_secret(cert, secret) == 0 ? 0 : SD_EIO;
    FILE *f = rc ? NULL : fopen(sign, "wx");
    if (!rc && (!f || fprintf(f, "%s\n", sk) < 0))
        rc = SD_EIO;
    if (f && fclose(f) != 0)
        rc = SD_EIO;
    umask(old);
    memset(sk, 0, sizeof sk);
    if (!rc && (chmod(secret, 0600) != 0 || chmod(sign, 0600) != 0))
        rc = SD_EIO;
    if (!rc && zcert_save_public(cert, path) != 0)
        rc = SD_EIO;
    zcert_destroy(&cert);
    return rc;
}

int sd_keys_load_own(const char *path, const char *site, zcert_t **cert, char *err, size_t cap)
{
    char secret[1100];
    struct stat st;
    snprintf(secret, sizeof secret, "%s_secret", path);
    if (stat(secret, &st) != 0) {
        snprintf(err, cap, "%s: secret key file missing", secret);
        return SD_ECONFIG;
    }
    if (st.st_mode & 077) {
        snprintf(err, cap, "%s: secret key readable by others; chmod 600 it", secret);
        return SD_ECONFIG;
    }
    *cert = zcert_load(path); /* reads path_secret when present */
    if (!*cert || !zcert_meta(*cert, "site")) {
        zcert_destroy(cert);
        snprintf(err, cap, "%s: not a sundesk certificate", path);
        return SD_ECONFIG;
    }
    if (strcmp(zcert_meta(*cert, "site"), site) != 0) {
        snprintf(err, cap, "%s: certificate of site %s, but this node is %s", path,
                 zcert_meta(*cert, "site"), site);
        zcert_destroy(cert);
        return SD_ECONFIG;
    }
    return 0;
}

int sd_keys_load_peer(const char *path, zcert_t **cert, const char **site, const char **role,
                      char *err, size_t cap)
{
    *cert = zsys_file_exists(path) ? zcert_load(path) : NULL;
    *site = *cert ? zcert_meta(*cert, "site") : NULL;
    *role = *cert ? zcert_meta(*cert, "role") : NULL;
    if (!*site || !*role || !sd_site_valid(*site)) {
        zcert_destroy(cert);
        snprintf(err, cap, "%s: missing, or not a sundesk certificate (site, role)", path);
        return SD_ECONFIG;
    }
    return 0;
}

zactor_t *sd_keys_start_auth(const char *certs_dir)
{
    zactor_t *auth = zactor_new(zauth, NULL);
    if (!auth)
        return NULL;
    if (zstr_sendx(auth, "CURVE", certs_dir, NULL) != 0 || zsock_wait(auth) != 0) {
        zactor_destroy(&auth);
        return NULL;
    }
    return auth;
}

int sd_keys_add_signer(zcert_t *cert, sd_signers_t *signers)
{
    const char *site = zcert_meta(cert, "site"), *key = zcert_meta(cert, SD_KEYS_SIGN_META);
    return key ? sd_signers_add(signers, site, key) : SD_ENOTFOUND;
}

int sd_keys_load_signers(const char *dir, sd_signers_t *signers, char *err, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, cap, "%s: cannot read the directory", dir);
        return SD_ECONFIG;
    }
    int rc = 0;
    for (struct dirent *e; !rc && (e = readdir(d)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".cert") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        zcert_t *cert = zcert_load(path);
        int added =
            cert && zcert_meta(cert, "site") ? sd_keys_add_signer(cert, signers) : SD_EINVAL;
        zcert_destroy(&cert);
        if (added == SD_ETOOBIG) {
            snprintf(err, cap, "%s: more than %d signing keys", dir, SD_SIGNERS_MAX);
            rc = SD_ECONFIG;
        } else if (added && added != SD_ENOTFOUND) {
            snprintf(err, cap, "%s: not a sundesk certificate (site, sign-key)", path);
            rc = SD_ECONFIG;
        }
    }
    closedir(d);
    return rc;
}
