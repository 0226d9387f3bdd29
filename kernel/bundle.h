/* bundle.h: building MIME bundles (mimetype -> content) for the model commands.
 *
 * Every bundle has text/plain; pictures add image/png (base64), tables add text/html,
 * and figures for graders go under application/json.
 */
#ifndef JK_BUNDLE_H
#define JK_BUNDLE_H

#include <jansson.h>

#include "render/render.h"

/* A new bundle whose text/plain is text. */
json_t *jk_bundle_new(const char *text);
/* Adds png as base64 image/png and records its size in metadata (may be NULL). */
void jk_bundle_add_png(json_t *bundle, json_t *metadata, const render_png *png);
/* Adds the table as text/html; text/plain stays as given to jk_bundle_new. */
int jk_bundle_add_html_table(json_t *bundle, const render_table *table);
/* Adds the (stolen) object as application/json. */
void jk_bundle_add_json(json_t *bundle, json_t *object);

/* A bundle for a table alone: HTML plus its aligned plain text after an optional heading. */
json_t *jk_bundle_table(const render_table *table, const char *heading);

/* Encodes size bytes as base64 (RFC 4648, padded); the result is malloc'd. */
char *jk_base64_encode(const unsigned char *data, size_t size);

/* Returns a malloc'd string built like printf. */
char *jk_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable text buffer for text/plain descriptions. */
typedef struct {
    char *text;
    size_t length, capacity;
} jk_text;

void jk_text_printf(jk_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void jk_text_append(jk_text *t, const char *s);
void jk_text_free(jk_text *t);

/* A table filled cell by cell, then handed to render as a render_table. */
typedef struct {
    render_table table;   /* cells points into `cells` below after jk_table_view */
    const char **headers;
    render_align *align;
    char **cells;         /* n_rows * n_cols malloc'd strings */
    size_t n_rows, n_cols, capacity_rows;
} jk_table;

void jk_table_init(jk_table *t, size_t n_cols);
/* Sets column col's header and alignment. */
void jk_table_column(jk_table *t, size_t col, const char *header, render_align align);
/* Appends an empty row and returns its index. */
size_t jk_table_add_row(jk_table *t);
void jk_table_set(jk_table *t, size_t row, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Returns the render_table view of t, valid until t changes. */
const render_table *jk_table_view(jk_table *t, const char *caption, const char *footer);
void jk_table_free(jk_table *t);

#endif /* JK_BUNDLE_H */
