/* test_hmac.c: message signatures against published HMAC test vectors.
 *
 * The vectors are test case 2 of RFC 4231 (SHA-256, SHA-512) and of RFC 2202 (SHA-1):
 * key "Jefe", data "what do ya want for nothing?".
 */
#include <stdlib.h>

#include "check.h"
#include "kernel/hmac.h"

static const char key[] = "Jefe";
static const char *const parts_text[] = {"what do ya", " want ", "for nothing?"};

static const char sha256_vector[] =
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
static const char sha1_vector[] = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
static const char sha512_vector[] =
    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737";

static jk_hmac *signer(const char *scheme)
{
    char err[256] = "";
    jk_hmac *hmac = jk_hmac_new(scheme, key, strlen(key), err, sizeof err);

    if (!hmac)
        fprintf(stderr, "jk_hmac_new(%s): %s\n", scheme, err);
    return hmac;
}

/* Signs the data split into three parts, which must equal the digest of the whole. */
static void check_vector(const char *scheme, const char *expected)
{
    const void *parts[3] = {parts_text[0], parts_text[1], parts_text[2]};
    size_t sizes[3] = {strlen(parts_text[0]), strlen(parts_text[1]), strlen(parts_text[2])};
    char signature[JK_HMAC_HEX_MAX + 1];
    jk_hmac *hmac = signer(scheme);

    CHECK(hmac != NULL);
    if (!hmac)
        return;
    CHECK_INT_EQ(jk_hmac_sign(hmac, parts, sizes, 3, signature), 0);
    CHECK_STR_EQ(signature, expected);
    CHECK_INT_EQ(jk_hmac_verify(hmac, parts, sizes, 3, expected, strlen(expected)), 1);
    jk_hmac_free(hmac);
}

static void test_sha256_vector(void)
{
    check_vector("hmac-sha256", sha256_vector);
}

static void test_sha1_vector(void)
{
    check_vector("hmac-sha1", sha1_vector);
}

static void test_sha512_vector(void)
{
    check_vector("hmac-sha512", sha512_vector);
}

static void test_verify_rejects_wrong_digit(void)
{
    const void *parts[1] = {"what do ya want for nothing?"};
    size_t sizes[1] = {strlen("what do ya want for nothing?")};
    char forged[sizeof sha256_vector];
    jk_hmac *hmac = signer("hmac-sha256");

    memcpy(forged, sha256_vector, sizeof forged);
    forged[10] = forged[10] == '0' ? '1' : '0';
    CHECK_INT_EQ(jk_hmac_verify(hmac, parts, sizes, 1, sha256_vector, 64), 1);
    CHECK_INT_EQ(jk_hmac_verify(hmac, parts, sizes, 1, forged, 64), 0);
    jk_hmac_free(hmac);
}

static void test_verify_rejects_length_mismatch(void)
{
    const void *parts[1] = {"what do ya want for nothing?"};
    size_t sizes[1] = {strlen("what do ya want for nothing?")};
    char longer[80];
    jk_hmac *hmac = signer("hmac-sha256");

    /* A prefix of the right signature, and the right signature with a digit appended. */
    CHECK_INT_EQ(jk_hmac_verify(hmac, parts, sizes, 1, sha256_vector, 63), 0);
    CHECK_INT_EQ(jk_hmac_verify(hmac, parts, sizes, 1, sha256_vector, 0), 0);
    snprintf(longer, sizeof longer, "%s0", sha256_vector);
    CHECK_INT_EQ(jk_hmac_verify(hmac, parts, sizes, 1, longer, 65), 0);
    jk_hmac_free(hmac);
}

static void test_verify_rejects_uppercase_hex(void)
{
    const void *parts[1] = {"what do ya want for nothing?"};
    size_t sizes[1] = {strlen("what do ya want for nothing?")};
    char upper[sizeof sha256_vector];
    jk_hmac *hmac = signer("hmac-sha256");

    for (size_t i = 0; i < sizeof upper; i++)
        upper[i] = (sha256_vector[i] >= 'a' && sha256_vector[i] <= 'f')
                       ? (char)(sha256_vector[i] - 'a' + 'A')
                       : sha256_vector[i];
    CHECK_INT_EQ(jk_hmac_verify(hmac, parts, sizes, 1, upper, 64), 0);
    jk_hmac_free(hmac);
}

static void test_empty_key_disables_signing(void)
{
    const void *parts[1] = {"content"};
    size_t sizes[1] = {7};
    char err[256];
    char signature[JK_HMAC_HEX_MAX + 1] = "x";
    jk_hmac *hmac = jk_hmac_new("hmac-sha256", "", 0, err, sizeof err);

    CHECK(hmac != NULL);
    if (!hmac)
        return;
    CHECK_INT_EQ(jk_hmac_enabled(hmac), 0);
    CHECK_INT_EQ(jk_hmac_sign(hmac, parts, sizes, 1, signature), 0);
    CHECK_STR_EQ(signature, "");
    CHECK_INT_EQ(jk_hmac_verify(hmac, parts, sizes, 1, "", 0), 1);
    jk_hmac_free(hmac);
}

static void test_unknown_scheme_is_rejected(void)
{
    char err[256] = "";
    jk_hmac *hmac = jk_hmac_new("hmac-md5", key, strlen(key), err, sizeof err);

    CHECK(hmac == NULL);
    CHECK(strstr(err, "hmac-md5") != NULL);
    CHECK(strstr(err, "hmac-sha256") != NULL);
    jk_hmac_free(hmac);
}

int main(void)
{
    RUN(test_sha256_vector);
    RUN(test_sha1_vector);
    RUN(test_sha512_vector);
    RUN(test_verify_rejects_wrong_digit);
    RUN(test_verify_rejects_length_mismatch);
    RUN(test_verify_rejects_uppercase_hex);
    RUN(test_empty_key_disables_signing);
    RUN(test_unknown_scheme_is_rejected);
    return check_summary();
}
