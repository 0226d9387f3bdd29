/* table_html.c: tables as HTML that reads well under Jupyter Notebook's own styles.
 *
 * Notebook 6 (checked against 6.4.12's style.min.css) styles every table in an output
 * area through .rendered_html: cells right-aligned, a rule under <thead>, striped <tbody>
 * rows, a left-aligned grey <caption> (from Bootstrap). Its sanitizer drops style
 * attributes of untrusted notebooks, and align attributes lose to the stylesheet's
 * text-align, so the markup carries structure only.
 */
#include <stdio.h>

#include "render.h"
#include "text_buffer.h"

char *render_table_html(const render_table *table)
{
    render_text_buffer html = {0};

    render_buffer_append_string(&html, "<table>\n");
    if (table->caption) {
        render_buffer_append_string(&html, "<caption>");
        render_buffer_append_escaped(&html, table->caption);
        render_buffer_append_string(&html, "</caption>\n");
    }

    if (table->headers) {
        render_buffer_append_string(&html, "<thead>\n<tr>");
        for (size_t col = 0; col < table->n_cols; col++) {
            render_buffer_append_string(&html, "<th>");
            render_buffer_append_escaped(&html, table->headers[col]);
            render_buffer_append_string(&html, "</th>");
        }
        render_buffer_append_string(&html, "</tr>\n</thead>\n");
    }

    render_buffer_append_string(&html, "<tbody>\n");
    for (size_t row = 0; row < table->n_rows; row++) {
        render_buffer_append_string(&html, "<tr>");
        for (size_t col = 0; col < table->n_cols; col++) {
            render_buffer_append_string(&html, "<td>");
            render_buffer_append_escaped(&html, table->cells[row * table->n_cols + col]);
            render_buffer_append_string(&html, "</td>");
        }
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
    return render_buffer_finish(&html);
}
