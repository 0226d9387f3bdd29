/* text_buffer.h: a growable NUL-terminated string for building tables (not part of the API). */
#ifndef RENDER_TEXT_BUFFER_H
#define RENDER_TEXT_BUFFER_H

#include <stddef.h>

typedef struct {
    char *data;      /* NUL-terminated once anything was appended */
    size_t length;   /* bytes before the NUL */
    size_t capacity;
    int failed;      /* 1 after an allocation failed; later appends do nothing */
} render_text_buffer;

void render_buffer_append(render_text_buffer *buffer, const char *text, size_t length);
void render_buffer_append_string(render_text_buffer *buffer, const char *text);
void render_buffer_append_repeat(render_text_buffer *buffer, const char *text, size_t times);

/* Appends text with &, <, >, " and ' replaced by their HTML character references. */
void render_buffer_append_escaped(render_text_buffer *buffer, const char *text);

/* Returns 1 when text looks like a number as the commands print them: "7,850", "-0.25",
 * "1e-3", "97.5%", "nan" or "inf". Both table formatters right-align such columns. */
int render_looks_numeric(const char *text);

/* Returns the malloc'd string (never NULL unless allocation failed, in which case the
 * buffer is freed and NULL returned). */
char *render_buffer_finish(render_text_buffer *buffer);

#endif /* RENDER_TEXT_BUFFER_H */
