/* text_buffer.c: a growable string with HTML escaping. */
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "text_buffer.h"

void render_buffer_append(render_text_buffer *buffer, const char *text, size_t length)
{
    if (buffer->failed)
        return;

    if (buffer->length + length + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 256;
        while (capacity < buffer->length + length + 1)
            capacity *= 2;
        char *grown = realloc(buffer->data, capacity);
        if (!grown) {
            buffer->failed = 1;
            return;
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }

    memcpy(buffer->data + buffer->length, text, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
}

void render_buffer_append_string(render_text_buffer *buffer, const char *text)
{
    if (text)
        render_buffer_append(buffer, text, strlen(text));
}

void render_buffer_append_repeat(render_text_buffer *buffer, const char *text, size_t times)
{
    for (size_t i = 0; i < times; i++)
        render_buffer_append_string(buffer, text);
}

void render_buffer_append_escaped(render_text_buffer *buffer, const char *text)
{
    if (!text)
        return;

    /* Copy runs of safe bytes at once; UTF-8 passes through unchanged because every byte
     * of a multi-byte character is above 0x7F. */
    const char *run = text;
    for (const char *p = text; *p; p++) {
        const char *entity = NULL;
        switch (*p) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: continue;
        }
        render_buffer_append(buffer, run, (size_t)(p - run));
        render_buffer_append_string(buffer, entity);
        run = p + 1;
    }
    render_buffer_append_string(buffer, run);
}

char *render_buffer_finish(render_text_buffer *buffer)
{
    render_buffer_append(buffer, "", 0);
    if (buffer->failed) {
        free(buffer->data);
        buffer->data = NULL;
        return NULL;
    }
    return buffer->data;
}

char *render_html_escape(const char *text)
{
    render_text_buffer buffer = {0};

    render_buffer_append_escaped(&buffer, text ? text : "");
    return render_buffer_finish(&buffer);
}
