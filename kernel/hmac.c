/* hmac.c: HMAC signatures through OpenSSL's EVP interface. */
#include "hmac.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jk_hmac {
    const EVP_MD *digest; /* NULL when signing is disabled */
    EVP_PKEY *key;
};

jk_hmac *jk_hmac_new(const char *scheme, const void *key, size_t key_size, char *err,
                     size_t err_size)
{
    jk_hmac *hmac = calloc(1, sizeof *hmac);

    if (!hmac) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    if (key_size == 0)
        return hmac;

    if (strcmp(scheme, "hmac-sha256") == 0) {
        hmac->digest = EVP_sha256();
    } else if (strcmp(scheme, "hmac-sha1") == 0) {
        hmac->digest = EVP_sha1();
    } else if (strcmp(scheme, "hmac-sha512") == 0) {
        hmac->digest = EVP_sha512();
    } else {
        snprintf(err, err_size,
                 "unsupported signature_scheme '%s'; use hmac-sha256, hmac-sha1 or hmac-sha512",
                 scheme);
        goto err;
    }

    hmac->key = EVP_PKEY_new_raw_private_key(EVP_PKEY_HMAC, NULL, key, key_size);
    if (!hmac->key) {
        snprintf(err, err_size, "OpenSSL could not create an HMAC key");
        goto err;
    }
    return hmac;

err:
    free(hmac);
    return NULL;
}

void jk_hmac_free(jk_hmac *hmac)
{
    if (!hmac)
        return;
    EVP_PKEY_free(hmac->key);
    free(hmac);
}

int jk_hmac_enabled(const jk_hmac *hmac)
{
    return hmac->key != NULL;
}

/* Computes the raw digest into out (EVP_MAX_MD_SIZE bytes); returns its length or -1. */
static int compute_digest(const jk_hmac *hmac, const void *const *parts, const size_t *sizes,
                          size_t n, unsigned char *out)
{
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t length = EVP_MAX_MD_SIZE;
    int result = -1;

    if (!context)
        return -1;
    if (EVP_DigestSignInit(context, NULL, hmac->digest, NULL, hmac->key) != 1)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (EVP_DigestSignUpdate(context, parts[i], sizes[i]) != 1)
            goto out;
    }
    if (EVP_DigestSignFinal(context, out, &length) != 1)
        goto out;
    result = (int)length;

out:
    EVP_MD_CTX_free(context);
    return result;
}

int jk_hmac_sign(const jk_hmac *hmac, const void *const *parts, const size_t *sizes, size_t n,
                 char *out)
{
    static const char hex_digits[] = "0123456789abcdef";
    unsigned char digest[EVP_MAX_MD_SIZE];
    int length;

    out[0] = '\0';
    if (!jk_hmac_enabled(hmac))
        return 0;

    length = compute_digest(hmac, parts, sizes, n, digest);
    if (length < 0)
        return -1;
    for (int i = 0; i < length; i++) {
        out[2 * i] = hex_digits[digest[i] >> 4];
        out[2 * i + 1] = hex_digits[digest[i] & 0x0F];
    }
    out[2 * length] = '\0';
    return 0;
}

int jk_hmac_verify(const jk_hmac *hmac, const void *const *parts, const size_t *sizes,
                   size_t n, const void *signature, size_t signature_size)
{
    char expected[JK_HMAC_HEX_MAX + 1];

    if (!jk_hmac_enabled(hmac))
        return 1;
    if (jk_hmac_sign(hmac, parts, sizes, n, expected) != 0)
        return 0;

    /* The expected length is public (it follows from the scheme), so checking it first
     * leaks nothing; CRYPTO_memcmp then takes the same time whatever the digits are. */
    if (signature_size != strlen(expected))
        return 0;
    return CRYPTO_memcmp(expected, signature, signature_size) == 0;
}
