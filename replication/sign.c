/* sign.c - Ed25519 event signatures and the per-origin hash chain (libsodium). */
#include "sign.h"

#include "error.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

_Static_assert(SD_SIGN_PK_BYTES == crypto_sign_PUBLICKEYBYTES, "Ed25519 public key");
_Static_assert(SD_SIGN_SK_BYTES == crypto_sign_SECRETKEYBYTES, "Ed25519 secret key");
_Static_assert(SD_EVENT_SIG_HEX == 2 * crypto_sign_BYTES, "Ed25519 signature");
_Static_assert(SD_EVENT_HASH_HEX == 2 * crypto_generichash_BYTES, "BLAKE2b-256");

const char sd_event_first_prev[SD_EVENT_HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void s_kid(const uint8_t pk[SD_SIGN_PK_BYTES], char kid[SD_EVENT_KID_HEX + 1])
{
    sodium_bin2hex(kid, SD_EVENT_KID_HEX + 1, pk, SD_EVENT_KID_HEX / 2);
}

/* Exactly 2 * n hex digits into out[n]. */
static bool s_unhex(const char *hex, uint8_t *out, size_t n)
{
    size_t got = 0;
    return strlen(hex) == 2 * n && sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, NULL) == 0 &&
           got == n;
}

int sd_sign_keypair(char pk_hex[2 * SD_SIGN_PK_BYTES + 1], char sk_hex[2 * SD_SIGN_SK_BYTES + 1])
{
    uint8_t pk[SD_SIGN_PK_BYTES], sk[SD_SIGN_SK_BYTES];
    if (sodium_init() < 0 || crypto_sign_keypair(pk, sk) != 0)
        return SD_EINVAL;
    sodium_bin2hex(pk_hex, 2 * SD_SIGN_PK_BYTES + 1, pk, sizeof pk);
    sodium_bin2hex(sk_hex, 2 * SD_SIGN_SK_BYTES + 1, sk, sizeof sk);
    sodium_memzero(sk, sizeof sk);
    return 0;
}

int sd_signer_load(const char *path, const char *site, sd_signer_t *signer, char *err, size_t cap)
{
    struct stat st;
    char hex[2 * SD_SIGN_SK_BYTES + 2] = "";
    memset(signer, 0, sizeof *signer);
    if (sodium_init() < 0) {
        snprintf(err, cap, "libsodium cannot start");
        return SD_ECONFIG;
    }
    if (stat(path, &st) != 0) {
        snprintf(err, cap, "%s: signing key missing (sundesk keygen makes it with the certificate)",
                 path);
        return SD_ECONFIG;
    }
    if (st.st_mode & 077) {
        snprintf(err, cap, "%s: signing key readable by others; chmod 600 it", path);
        return SD_ECONFIG;
    }
    FILE *f = fopen(path, "r");
    bool ok = f && fgets(hex, sizeof hex, f) != NULL;
    if (f)
        fclose(f);
    hex[strcspn(hex, "\n")] = 0;
    ok = ok && s_unhex(hex, signer->sk, SD_SIGN_SK_BYTES);
    sodium_memzero(hex, sizeof hex);
    if (!ok) {
        sd_signer_clear(signer);
        snprintf(err, cap, "%s: not a signing key (128 hex digits)", path);
        return SD_ECONFIG;
    }
    snprintf(signer->site, sizeof signer->site, "%s", site);
    s_kid(signer->sk + 32, signer->kid); /* an Ed25519 secret key ends with its public key */
    return 0;
}

void sd_signer_clear(sd_signer_t *signer)
{
    sodium_memzero(signer, sizeof *signer);
}

int sd_signers_add(sd_signers_t *s, const char *site, const char *pk_hex)
{
    sd_sign_pub_t k = {0};
    if (!site || !sd_site_valid(site) || !pk_hex || !s_unhex(pk_hex, k.pk, SD_SIGN_PK_BYTES))
        return SD_ERANGE;
    snprintf(k.site, sizeof k.site, "%s", site);
    s_kid(k.pk, k.kid);
    for (size_t i = 0; i < s->count; i++)
        if (memcmp(s->keys[i].pk, k.pk, sizeof k.pk) == 0 && strcmp(s->keys[i].site, site) == 0)
            return 0;
    if (s->count == SD_SIGNERS_MAX)
        return SD_ETOOBIG;
    s->keys[s->count++] = k;
    return 0;
}

bool sd_signers_know(const sd_signers_t *s, const char *site)
{
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->keys[i].site, site) == 0)
            return true;
    return false;
}

int sd_event_hash_bytes(const void *bytes, size_t len, char hex[SD_EVENT_HASH_HEX + 1])
{
    unsigned char h[crypto_generichash_BYTES];
    if (sodium_init() < 0)
        return SD_EINVAL;
    /* Plain BLAKE2b-256 of the bytes (the state digest's length prefixes are not wanted). */
    crypto_generichash(h, sizeof h, bytes, len, NULL, 0);
    sodium_bin2hex(hex, SD_EVENT_HASH_HEX + 1, h, sizeof h);
    return 0;
}

int sd_event_hash(const sd_event_t *ev, char hex[SD_EVENT_HASH_HEX + 1])
{
    sd_mp_writer_t *w = sd_mp_writer_new();
    if (!w)
        return SD_ENOMEM;
    sd_event_encode(ev, w);
    size_t len;
    const void *data = sd_mp_writer_data(w, &len);
    int rc = sd_mp_writer_error(w) ? SD_ENOMEM : sd_event_hash_bytes(data, len, hex);
    sd_mp_writer_destroy(&w);
    return rc;
}

/* The bytes a signature covers, in a new writer (the caller destroys it). */
static sd_mp_writer_t *s_signed_bytes(const sd_event_t *ev, const void **data, size_t *len)
{
    sd_mp_writer_t *w = sd_mp_writer_new();
    if (!w)
        return NULL;
    sd_event_encode_unsigned(ev, w);
    *data = sd_mp_writer_data(w, len);
    if (sd_mp_writer_error(w))
        sd_mp_writer_destroy(&w);
    return w;
}

int sd_sign_event(const sd_signer_t *signer, const char *prev, sd_event_t *ev)
{
    if (strcmp(signer->site, ev->origin) != 0)
        return SD_EINVAL;
    snprintf(ev->prev, sizeof ev->prev, "%s", prev);
    snprintf(ev->kid, sizeof ev->kid, "%s", signer->kid);
    strcpy(ev->sig, "x"); /* marks it signed, so the encoding carries prev and kid */
    const void *data;
    size_t len;
    sd_mp_writer_t *w = s_signed_bytes(ev, &data, &len);
    if (!w) {
        ev->sig[0] = 0;
        return SD_ENOMEM;
    }
    uint8_t sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, data, len, signer->sk);
    sodium_bin2hex(ev->sig, sizeof ev->sig, sig, sizeof sig);
    sd_mp_writer_destroy(&w);
    return 0;
}

int sd_sign_verify(const sd_signers_t *s, const sd_event_t *ev, sd_fault_t *fault)
{
    if (!sd_event_signed(ev))
        return sd_fault_set(fault, SD_EFORBIDDEN, "event %s#%llu is not signed", ev->origin,
                            (unsigned long long)ev->seq);
    const sd_sign_pub_t *key = NULL;
    for (size_t i = 0; i < s->count && !key; i++)
        if (strcmp(s->keys[i].site, ev->origin) == 0 && strcmp(s->keys[i].kid, ev->kid) == 0)
            key = &s->keys[i];
    if (!key)
        return sd_fault_set(fault, SD_EFORBIDDEN, "event %s#%llu: no key %s of site %s", ev->origin,
                            (unsigned long long)ev->seq, ev->kid, ev->origin);
    uint8_t sig[crypto_sign_BYTES];
    const void *data;
    size_t len;
    if (!s_unhex(ev->sig, sig, sizeof sig))
        return sd_fault_set(fault, SD_EFORBIDDEN, "event %s#%llu: malformed signature", ev->origin,
                            (unsigned long long)ev->seq);
    sd_mp_writer_t *w = s_signed_bytes(ev, &data, &len);
    if (!w)
        return sd_fault_set(fault, SD_ENOMEM, "out of memory");
    int ok = crypto_sign_verify_detached(sig, data, len, key->pk);
    sd_mp_writer_destroy(&w);
    return ok == 0 ? 0
                   : sd_fault_set(fault, SD_EFORBIDDEN, "event %s#%llu: bad signature", ev->origin,
                                  (unsigned long long)ev->seq);
}
