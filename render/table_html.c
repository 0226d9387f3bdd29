/* table_html.c: tables as HTML that reads well under Jupyter Notebook's own styles.
 *
 * Notebook 6 (checked against 6.4.12's style.min.css) styles every table in an output
 * area through .rendered_html: cells right-aligned, a rule under <thead>, striped <tbody>
 * rows, a left-aligned grey <caption> (from Bootstrap). Its sanitizer drops style
 * attributes of untrusted notebooks, and align attributes and Bootstrap's .text-left
 * class lose to the stylesheet's `.rendered_html td` rule, so the markup carries
 * structure only. The one left alignment that survives is `.rendered_html p`, so the
 * cells of a left-aligned column hold their text in a <p>, and Notebook's global
 * `p { margin-bottom: 0 }` keeps the rows as tall as plain cells. JupyterLab and
 * nbconvert's lab template also left-align such a <p> but add a 1em margin below it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "render.h"
#include "text_buffer.h"

/* Appends one <th> or <td> cell; text of a left-aligned column goes inside a <p>. */
static void append_cell(render_text_buffer *html, const char *tag, const char *text, int left)
{
    char open[8], close[8];

    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    render_buffer_append_string(html, open);
    if (left)
        render_buffer_append_string(html, "<p>");
    render_buffer_append_escaped(html, text);
    if (left)
        render_buffer_append_string(html, "</p>");
    render_buffer_append_string(html, close);
}

char *render_table_html(const render_table *table)
{
    render_text_buffer html = {0};
    int *left = calloc(table->n_cols ? table->n_cols : 1, sizeof *left);

    if (!left)
        return NULL;

    /* The same alignment rule as the text table: explicit, or numbers to the right. */
    for (size_t col = 0; col < table->n_cols; col++) {
        int numeric = table->n_rows > 0;

        for (size_t row = 0; row < table->n_rows; row++)
            numeric = numeric && render_looks_numeric(table->cells[row * table->n_cols + col]);
        left[col] = table->align ? table->align[col] == RENDER_ALIGN_LEFT : !numeric;
    }

    render_buffer_append_string(&html, "<table>\n");
    if (table->caption) {
        render_buffer_append_string(&html, "<caption>");
        render_buffer_append_escaped(&html, table->caption);
        render_buffer_append_string(&html, "</caption>\n");
    }

    if (table->headers) {
        render_buffer_append_string(&html, "<thead>\n<tr>");
        for (size_t col = 0; col < table->n_cols; col++)
            append_cell(&html, "th", table->headers[col], left[col]);
        render_buffer_append_string(&html, "</tr>\n</thead>\n");
    }

    render_buffer_append_string(&html, "<tbody>\n");
    for (size_t row = 0; row < table->n_rows; row++) {
        render_buffer_append_string(&html, "<tr>");
        for (size_t col = 0; col < table->n_cols; col++)
            append_cell(&html, "td", table->cells[row * table->n_cols + col], left[col]);
        render_buffer_append_string(&html, "</tr>\n");
    }
    render_buffer_append_string(&html, "</tbody>\n");

    /* The footer spans every column, so a summary line such as "Total params: 7,850"
     * ends under the last (numeric) column. */
    if (table->footer) {
        char open[64];
        snprintf(open, sizeof open, "<tfoot>\n<tr><td colspan=\"%zu\">",
                 table->n_cols ? table->n_cols : 1);
        render_buffer_append_string(&html, open);
        render_buffer_append_escaped(&html, table->footer);
        render_buffer_append_string(&html, "</td></tr>\n</tfoot>\n");
    }

    render_buffer_append_string(&html, "</table>\n");
    free(left);
    return render_buffer_finish(&html);
}
