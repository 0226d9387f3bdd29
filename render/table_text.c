/* table_text.c: tables as aligned plain text, for text/plain outputs and terminals. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "text_buffer.h"

#define COLUMN_GAP "  "

/* Counts the code points of UTF-8 text: every byte that does not continue a multi-byte
 * character starts one. Width in a terminal can differ for wide East Asian characters
 * and combining marks, which this does not model. */
static size_t code_points(const char *text)
{
    size_t count = 0;

    for (const unsigned char *p = (const unsigned char *)text; p && *p; p++)
        if ((*p & 0xC0) != 0x80)
            count++;
    return count;
}

int render_looks_numeric(const char *text)
{
    const char *p = text;
    int digits = 0;

    if (!p || !*p)
        return 0;
    if (*p == '+' || *p == '-')
        p++;
    if (strcmp(p, "nan") == 0 || strcmp(p, "inf") == 0)
        return 1;

    for (; isdigit((unsigned char)*p) || *p == ','; p++)
        digits += *p != ',';
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            digits++;
    if (digits == 0)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return 0;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == '%')
        p++;
    return *p == '\0';
}

/* Appends a cell with tabs, newlines and other control characters replaced by spaces, so
 * that one cell stays on one line. */
static void append_cell(render_text_buffer *text, const char *cell)
{
    for (const char *p = cell ? cell : ""; *p; p++) {
        char c = (unsigned char)*p < 0x20 ? ' ' : *p;
        render_buffer_append(text, &c, 1);
    }
}

static void append_padded(render_text_buffer *text, const char *cell, size_t width,
                          render_align align, int last)
{
    size_t pad = width - code_points(cell ? cell : "");

    if (align == RENDER_ALIGN_RIGHT)
        render_buffer_append_repeat(text, " ", pad);
    append_cell(text, cell);
    if (align == RENDER_ALIGN_LEFT && !last)
        render_buffer_append_repeat(text, " ", pad);
}

char *render_table_text(const render_table *table)
{
    size_t n_cols = table->n_cols, total = 0;
    size_t *widths = calloc(n_cols ? n_cols : 1, sizeof *widths);
    render_align *align = calloc(n_cols ? n_cols : 1, sizeof *align);
    render_text_buffer text = {0};
    char *result = NULL;

    if (!widths || !align)
        goto out;

    /* Measure every column, and without an explicit alignment right-align the columns
     * whose cells are all numbers. */
    for (size_t col = 0; col < n_cols; col++) {
        int numeric = table->n_rows > 0;
        if (table->headers)
            widths[col] = code_points(table->headers[col]);
        for (size_t row = 0; row < table->n_rows; row++) {
            const char *cell = table->cells[row * n_cols + col];
            size_t width = code_points(cell);
            if (width > widths[col])
                widths[col] = width;
            numeric = numeric && render_looks_numeric(cell);
        }
        align[col] = table->align ? table->align[col]
                                  : numeric ? RENDER_ALIGN_RIGHT : RENDER_ALIGN_LEFT;
        total += widths[col] + (col > 0 ? strlen(COLUMN_GAP) : 0);
    }

    if (table->caption) {
        append_cell(&text, table->caption);
        render_buffer_append_string(&text, "\n");
    }

    if (table->headers) {
        for (size_t col = 0; col < n_cols; col++) {
            if (col > 0)
                render_buffer_append_string(&text, COLUMN_GAP);
            append_padded(&text, table->headers[col], widths[col], align[col], col + 1 == n_cols);
        }
        render_buffer_append_string(&text, "\n");
        render_buffer_append_repeat(&text, "-", total);
        render_buffer_append_string(&text, "\n");
    }

    for (size_t row = 0; row < table->n_rows; row++) {
        for (size_t col = 0; col < n_cols; col++) {
            if (col > 0)
                render_buffer_append_string(&text, COLUMN_GAP);
            append_padded(&text, table->cells[row * n_cols + col], widths[col], align[col],
                          col + 1 == n_cols);
        }
        render_buffer_append_string(&text, "\n");
    }

    if (table->footer) {
        render_buffer_append_repeat(&text, "-", total);
        render_buffer_append_string(&text, "\n");
        append_cell(&text, table->footer);
        render_buffer_append_string(&text, "\n");
    }

    result = render_buffer_finish(&text);
    text.data = NULL;

out:
    free(text.data);
    free(widths);
    free(align);
    return result;
}
