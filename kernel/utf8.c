/* utf8.c: UTF-8 validation, repair and code-point positions. */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* Examines the sequence starting at s (at most size bytes) against the table of
 * well-formed byte sequences in the Unicode Standard, chapter 3 (Table 3-7). Returns its
 * length when it is valid, else 0 and sets *prefix to the length of its maximal subpart:
 * the bytes that begin a valid sequence before the first unexpected one (at least 1). */
static size_t examine_sequence(const unsigned char *s, size_t size, size_t *prefix)
{
    unsigned char lead = s[0];
    unsigned char low = 0x80, high = 0xBF;
    size_t length;

    *prefix = 1;
    if (lead >= 0x01 && lead <= 0x7F)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF)
        length = 3;
    else if (lead >= 0xF0 && lead <= 0xF4)
        length = 4;
    else
        return 0;

    /* The second byte's range excludes overlong forms, surrogates and code points
     * above U+10FFFF. */
    if (lead == 0xE0)
        low = 0xA0;
    else if (lead == 0xED)
        high = 0x9F;
    else if (lead == 0xF0)
        low = 0x90;
    else if (lead == 0xF4)
        high = 0x8F;

    if (size < 2 || s[1] < low || s[1] > high)
        return 0;
    for (size_t i = 2; i < length; i++) {
        *prefix = i;
        if (i >= size || s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    }
    return length;
}

static size_t valid_sequence_length(const unsigned char *s, size_t size)
{
    size_t prefix;

    return examine_sequence(s, size, &prefix);
}

int jk_utf8_valid(const char *text, size_t size)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;

    while (i < size) {
        size_t length = valid_sequence_length(s + i, size - i);
        if (length == 0)
            return 0;
        i += length;
    }
    return 1;
}

char *jk_utf8_sanitize(const char *text, size_t size)
{
    const unsigned char *s = (const unsigned char *)text;
    /* An invalid subpart of at least one byte becomes the 3 bytes of U+FFFD, so 3 * size
     * bounds the output. */
    char *out = malloc(3 * size + 1);
    size_t used = 0, i = 0;

    if (!out)
        return NULL;
    while (i < size) {
        size_t prefix;
        size_t length = examine_sequence(s + i, size - i, &prefix);

        /* One U+FFFD per maximal subpart, as the Unicode Standard recommends (and as
         * Python's "replace" error handler does). */
        if (length == 0) {
            memcpy(out + used, "\xEF\xBF\xBD", 3);
            used += 3;
            i += prefix;
            continue;
        }
        memcpy(out + used, s + i, length);
        used += length;
        i += length;
    }
    out[used] = '\0';
    return out;
}

size_t jk_utf8_length(const char *text)
{
    size_t count = 0;

    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if ((*s & 0xC0) != 0x80)
            count++;
    }
    return count;
}

size_t jk_utf8_offset(const char *text, size_t position)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t offset = 0;

    while (s[offset] && position > 0) {
        offset++;
        while ((s[offset] & 0xC0) == 0x80)
            offset++;
        position--;
    }
    return offset;
}

size_t jk_utf8_position(const char *text, size_t offset)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t position = 0;

    for (size_t i = 0; i < offset && s[i]; i++) {
        if ((s[i] & 0xC0) != 0x80)
            position++;
    }
    return position;
}

unsigned jk_utf8_next(const char *text, size_t *offset)
{
    const unsigned char *s = (const unsigned char *)text + *offset;
    unsigned code_point;
    size_t length;

    if (s[0] < 0x80) {
        code_point = s[0];
        length = 1;
    } else if (s[0] < 0xE0) {
        code_point = s[0] & 0x1F;
        length = 2;
    } else if (s[0] < 0xF0) {
        code_point = s[0] & 0x0F;
        length = 3;
    } else {
        code_point = s[0] & 0x07;
        length = 4;
    }
    for (size_t i = 1; i < length; i++)
        code_point = (code_point << 6) | (s[i] & 0x3F);
    *offset += length;
    return code_point;
}
