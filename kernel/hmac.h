/* hmac.h: message signatures as the Jupyter wire protocol defines them.
 *
 * The signature is the lowercase hex HMAC of the serialized header, parent header,
 * metadata and content frames, concatenated, keyed with the connection file's key.
 * An empty key disables signing: signatures are empty and every message is accepted.
 */
#ifndef JK_HMAC_H
#define JK_HMAC_H

#include <stddef.h>

/* Longest hex digest (SHA-512: 64 bytes, 128 hex digits). */
#define JK_HMAC_HEX_MAX 128

typedef struct jk_hmac jk_hmac;

/* Creates a signer for scheme "hmac-sha256", "hmac-sha1" or "hmac-sha512". Returns NULL
 * and writes a message to err when the scheme is unknown or OpenSSL fails. The key is
 * copied. The signer may be used from several threads at once. */
jk_hmac *jk_hmac_new(const char *scheme, const void *key, size_t key_size, char *err,
                     size_t err_size);
void jk_hmac_free(jk_hmac *hmac);

/* Non-zero when the key is not empty. */
int jk_hmac_enabled(const jk_hmac *hmac);

/* Writes the hex signature of the n parts, NUL-terminated, to out (JK_HMAC_HEX_MAX + 1
 * bytes); an empty string when signing is disabled. Returns 0, or -1 when OpenSSL fails. */
int jk_hmac_sign(const jk_hmac *hmac, const void *const *parts, const size_t *sizes, size_t n,
                 char *out);

/* Returns 1 when signature (signature_size bytes, not NUL-terminated) is the signature of
 * the parts, 0 otherwise. The length is compared first and the digits in constant time,
 * so the comparison leaks nothing but whether the length is right. Always 1 when signing
 * is disabled. */
int jk_hmac_verify(const jk_hmac *hmac, const void *const *parts, const size_t *sizes,
                   size_t n, const void *signature, size_t signature_size);

#endif /* JK_HMAC_H */
