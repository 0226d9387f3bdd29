/* bundle.c: MIME bundles for the model commands. */
#include "bundle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *jk_base64_encode(const unsigned char *data, size_t size)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc((size + 2) / 3 * 4 + 1);
    size_t o = 0;

    if (!out)
        return NULL;
    for (size_t i = 0; i < size; i += 3) {
        unsigned long v = (unsigned long)data[i] << 16;

        if (i + 1 < size)
            v |= (unsigned long)data[i + 1] << 8;
        if (i + 2 < size)
            v |= data[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < size ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < size ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

json_t *jk_bundle_new(const char *text)
{
    json_t *bundle = json_object();

    json_object_set_new(bundle, "text/plain", json_string(text ? text : ""));
    return bundle;
}

void jk_bundle_add_png(json_t *bundle, json_t *metadata, const render_png *png)
{
    char *encoded = jk_base64_encode(png->data, png->size);

    if (!encoded)
        return;
    json_object_set_new(bundle, "image/png", json_string(encoded));
    free(encoded);
    if (metadata)
        json_object_set_new(metadata, "image/png",
                            json_pack("{s:i, s:i}", "width", png->width, "height", png->height));
}

int jk_bundle_add_html_table(json_t *bundle, const render_table *table)
{
    char *html = render_table_html(table);

    if (!html)
        return -1;
    json_object_set_new(bundle, "text/html", json_string(html));
    free(html);
    return 0;
}

void jk_bundle_add_json(json_t *bundle, json_t *object)
{
    json_object_set_new(bundle, "application/json", object);
}

json_t *jk_bundle_table(const render_table *table, const char *heading)
{
    char *text = render_table_text(table);
    char *plain;
    json_t *bundle;

    if (heading)
        plain = jk_strdup_printf("%s\n%s", heading, text ? text : "");
    else
        plain = jk_strdup_printf("%s", text ? text : "");
    bundle = jk_bundle_new(plain);
    jk_bundle_add_html_table(bundle, table);
    free(text);
    free(plain);
    return bundle;
}

static char *vprintf_alloc(const char *fmt, va_list ap)
{
    va_list copy;
    int n;
    char *out;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    out = malloc((size_t)n + 1);
    if (out)
        vsnprintf(out, (size_t)n + 1, fmt, ap);
    return out;
}

char *jk_strdup_printf(const char *fmt, ...)
{
    va_list ap;
    char *out;

    va_start(ap, fmt);
    out = vprintf_alloc(fmt, ap);
    va_end(ap);
    return out;
}

void jk_text_append(jk_text *t, const char *s)
{
    size_t n = strlen(s);

    if (t->length + n + 1 > t->capacity) {
        size_t capacity = t->capacity ? t->capacity : 256;
        char *grown;

        while (t->length + n + 1 > capacity)
            capacity *= 2;
        grown = realloc(t->text, capacity);
        if (!grown)
            return;
        t->text = grown;
        t->capacity = capacity;
    }
    memcpy(t->text + t->length, s, n + 1);
    t->length += n;
}

void jk_text_printf(jk_text *t, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = vprintf_alloc(fmt, ap);
    va_end(ap);
    if (s) {
        jk_text_append(t, s);
        free(s);
    }
}

void jk_text_free(jk_text *t)
{
    free(t->text);
    t->text = NULL;
    t->length = t->capacity = 0;
}

/*** tables ***/

void jk_table_init(jk_table *t, size_t n_cols)
{
    memset(t, 0, sizeof *t);
    t->n_cols = n_cols;
    t->headers = calloc(n_cols, sizeof *t->headers);
    t->align = calloc(n_cols, sizeof *t->align);
}

void jk_table_column(jk_table *t, size_t col, const char *header, render_align align)
{
    t->headers[col] = header;
    t->align[col] = align;
}

size_t jk_table_add_row(jk_table *t)
{
    if (t->n_rows == t->capacity_rows) {
        size_t capacity = t->capacity_rows ? t->capacity_rows * 2 : 16;
        char **grown = realloc(t->cells, capacity * t->n_cols * sizeof *grown);

        if (!grown)
            abort();
        t->cells = grown;
        t->capacity_rows = capacity;
    }
    for (size_t c = 0; c < t->n_cols; c++)
        t->cells[t->n_rows * t->n_cols + c] = NULL;
    return t->n_rows++;
}

void jk_table_set(jk_table *t, size_t row, size_t col, const char *fmt, ...)
{
    va_list ap;
    char **cell = &t->cells[row * t->n_cols + col];

    free(*cell);
    va_start(ap, fmt);
    *cell = vprintf_alloc(fmt, ap);
    va_end(ap);
}

const render_table *jk_table_view(jk_table *t, const char *caption, const char *footer)
{
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        if (!t->cells[i])
            t->cells[i] = calloc(1, 1);
    t->table.caption = caption;
    t->table.headers = t->headers;
    t->table.align = t->align;
    t->table.cells = (const char *const *)t->cells;
    t->table.n_rows = t->n_rows;
    t->table.n_cols = t->n_cols;
    t->table.footer = footer;
    return &t->table;
}

void jk_table_free(jk_table *t)
{
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->headers);
    free(t->align);
    memset(t, 0, sizeof *t);
}
