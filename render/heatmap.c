/* heatmap.c: a matrix of coloured cells, such as a confusion matrix. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

#define PADDING 12.0
#define LABEL_GAP 6.0
#define MAX_CELL 64.0

/* Accepts a format with exactly one conversion, and that conversion one that takes a
 * double (f, F, e, E, g or G), so a caller's format can never read a missing argument. */
static int valid_number_format(const char *format)
{
    int conversions = 0;

    for (const char *p = format; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        p++;
        while (*p && strchr("-+ #0", *p))
            p++;
        while (*p >= '0' && *p <= '9')
            p++;
        if (*p == '.')
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
        if (!*p || !strchr("fFeEgG", *p))
            return 0;
        conversions++;
    }
    return conversions == 1;
}

/* Removes the sign of a number that rounded to zero ("-0.00" becomes "0.00"), which
 * would otherwise suggest a negative weight where there is none to see. */
static void drop_negative_zero(char *text)
{
    int digits = 0;

    if (text[0] != '-')
        return;
    for (const char *p = text + 1; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
        if (*p >= '1' && *p <= '9')
            return;
        digits += *p == '0';
    }
    if (digits > 0) /* not "-inf" or "-nan" */
        memmove(text, text + 1, strlen(text));
}

static double widest_label(cairo_t *cr, const char *const *labels, int n)
{
    double widest = 0;

    for (int i = 0; labels && i < n; i++)
        widest = fmax(widest, render_text_width(cr, labels[i]));
    return widest;
}

static void value_range(const render_heatmap *map, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int i = 0; i < map->rows * map->cols; i++) {
        if (!isfinite(map->values[i]))
            continue;
        *lo = fmin(*lo, map->values[i]);
        *hi = fmax(*hi, map->values[i]);
    }
    if (!isfinite(*lo)) {
        *lo = 0;
        *hi = 1;
    }

    /* The diverging map is white at its centre, which must be zero (a weight of no
     * effect), so its range is symmetric: [-m, m] with m the largest magnitude. */
    if (map->colormap == RENDER_CMAP_DIVERGING) {
        double magnitude = fmax(fabs(*lo), fabs(*hi));
        *lo = -magnitude;
        *hi = magnitude;
    }
    if (*hi <= *lo)
        *hi = *lo + 1;
}

static void draw_cells(cairo_t *cr, const render_heatmap *map, const char *format, double left,
                       double top, double cell, double lo, double hi)
{
    char text[64];
    double rgb[3];

    render_font(cr, fmin(RENDER_FONT_LABEL, fmax(9, cell * 0.36)), 0);
    for (int row = 0; row < map->rows; row++) {
        for (int col = 0; col < map->cols; col++) {
            double value = map->values[row * map->cols + col];
            render_colormap_rgb(map->colormap, isfinite(value) ? (value - lo) / (hi - lo) : NAN, rgb);
            cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
            cairo_rectangle(cr, left + col * cell, top + row * cell, cell, cell);
            cairo_fill(cr);

            if (!map->annotate)
                continue;
            /* Black text stays readable down to a luminance of about 0.18, where white
             * starts to have the higher contrast ratio. */
            render_rgb fill = {rgb[0], rgb[1], rgb[2]};
            if (render_luminance(fill) < 0.18)
                cairo_set_source_rgb(cr, 1, 1, 1);
            else
                render_set_color(cr, RENDER_COLOR_TEXT);
            snprintf(text, sizeof text, format, value);
            drop_negative_zero(text);
            if (render_text_width(cr, text) <= cell - 2)
                render_text(cr, text, left + (col + 0.5) * cell, top + (row + 0.5) * cell, 0.5, 0.5);
        }
    }
}

int render_heatmap_png(const render_heatmap *map, int width, int height,
                       render_png *out, render_error *err)
{
    render_canvas canvas;

    if (!map || !map->values || map->rows <= 0 || map->cols <= 0)
        return render_fail(err, "heatmap has no cells: pass rows, cols and values");
    const char *format = map->number_format ? map->number_format : "%.3g";
    if (!valid_number_format(format))
        return render_fail(err, "invalid number format \"%s\": use one double conversion such as \"%%.0f\"",
                           format);

    if (width <= 0)
        width = 620;
    if (height <= 0)
        height = 560;
    if (render_canvas_open(&canvas, width, height, err) < 0)
        return -1;
    cairo_t *cr = canvas.cr;

    double lo, hi;
    value_range(map, &lo, &hi);

    /* Margins: y label and row labels on the left, column labels and x label below, the
     * colour bar on the right. */
    double top = render_title(cr, map->title, width / 2.0, PADDING) + 10;
    render_font(cr, RENDER_FONT_TICK, 0);
    double row_labels = widest_label(cr, map->row_labels, map->rows);
    double left = PADDING + (map->y_label ? RENDER_FONT_LABEL * 1.3 + LABEL_GAP : 0) + row_labels +
                  LABEL_GAP;
    double right = PADDING + (map->colorbar ? render_colorbar_width(cr, lo, hi) : 0);
    double bottom = PADDING + RENDER_FONT_TICK * 1.3 + LABEL_GAP +
                    (map->x_label ? RENDER_FONT_LABEL * 1.3 + LABEL_GAP : 0);

    double cell = fmin((width - left - right) / map->cols, (height - top - bottom) / map->rows);
    cell = floor(fmin(cell, MAX_CELL));
    if (cell < 4) {
        render_canvas_discard(&canvas);
        return render_fail(err, "picture %dx%d is too small for a %dx%d heatmap", width, height,
                           map->rows, map->cols);
    }

    /* Centre the matrix and its decorations horizontally in the picture. */
    double block = left + map->cols * cell + right;
    double shift = floor((width - block) / 2);
    left += shift;
    double grid_width = map->cols * cell, grid_height = map->rows * cell;

    draw_cells(cr, map, format, left, top, cell, lo, hi);

    render_font(cr, RENDER_FONT_TICK, 0);
    render_set_color(cr, RENDER_COLOR_MUTED);
    for (int row = 0; map->row_labels && row < map->rows; row++)
        render_text(cr, map->row_labels[row], left - LABEL_GAP, top + (row + 0.5) * cell, 1, 0.5);
    for (int col = 0; map->col_labels && col < map->cols; col++)
        render_text(cr, map->col_labels[col], left + (col + 0.5) * cell,
                    top + grid_height + LABEL_GAP, 0.5, 0);

    render_font(cr, RENDER_FONT_LABEL, 0);
    render_set_color(cr, RENDER_COLOR_TEXT);
    if (map->x_label)
        render_text(cr, map->x_label, left + grid_width / 2,
                    top + grid_height + 2 * LABEL_GAP + RENDER_FONT_TICK * 1.3, 0.5, 0);
    if (map->y_label)
        render_text_vertical(cr, map->y_label, left - row_labels - 2 * LABEL_GAP,
                             top + grid_height / 2, 0.5, 1);

    if (map->colorbar)
        render_colorbar(cr, map->colormap, lo, hi, left + grid_width, top, grid_height);

    return render_canvas_finish(&canvas, out, err);
}
