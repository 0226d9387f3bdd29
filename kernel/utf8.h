/* utf8.h: UTF-8 validation and code-point positions.
 *
 * Jansson rejects strings that are not valid UTF-8, and Jupyter counts cursor positions
 * in Unicode code points, so every text that enters a message passes through here.
 */
#ifndef JK_UTF8_H
#define JK_UTF8_H

#include <stddef.h>

/* Returns a malloc'd, NUL-terminated copy of the size bytes at text with every invalid
 * sequence replaced by U+FFFD, one per maximal subpart as the Unicode Standard
 * recommends. Invalid are overlong forms, surrogates, values above U+10FFFF, truncated
 * sequences, stray continuation bytes and NUL bytes. */
char *jk_utf8_sanitize(const char *text, size_t size);

/* Non-zero when the size bytes at text are valid UTF-8 without NUL bytes. */
int jk_utf8_valid(const char *text, size_t size);

/* Number of code points in the valid UTF-8 string text. */
size_t jk_utf8_length(const char *text);

/* Byte offset of code point number position (0-based) in the valid UTF-8 string text;
 * positions past the end give strlen(text). */
size_t jk_utf8_offset(const char *text, size_t position);

/* Code-point position of byte offset in text (an offset inside a sequence counts the
 * sequence as not yet reached). */
size_t jk_utf8_position(const char *text, size_t offset);

/* Decodes one code point at text[*offset] (valid UTF-8) and advances *offset. */
unsigned jk_utf8_next(const char *text, size_t *offset);

#endif /* JK_UTF8_H */
