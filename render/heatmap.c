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

/* Returns the label of row or column index, or its number when the caller gave no labels. */
static const char *label_of(const char *const *labels, int index, char *buf, size_t size)
{
    if (labels && labels[index])
        return labels[index];
    snprintf(buf, size, "%d", index);
    return buf;
}

static double widest_label(cairo_t *cr, const char *const *labels, int n)
{
    char number[16];
    double widest = 0;

    for (int i = 0; i < n; i++)
        widest = fmax(widest, render_text_width(cr, label_of(labels, i, number, sizeof number)));
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

/* Cell sizes and the position of the matrix in the picture, in pixels. */
typedef struct {
    double top, left;            /* of the matrix */
    double cell_width, cell_height;
    double row_labels;           /* width of the widest row label */
    double bottom, right;        /* space below and right of the matrix */
} heatmap_layout;

static void draw_cells(cairo_t *cr, const render_heatmap *map, const char *format,
                       const heatmap_layout *layout, double lo, double hi)
{
    char text[64];
    double rgb[3];
    double cell = fmin(layout->cell_width, layout->cell_height);

    render_font(cr, fmin(RENDER_FONT_LABEL, fmax(9, cell * 0.36)), 0);
    int text_fits_height = render_text_height(cr) <= layout->cell_height;
    for (int row = 0; row < map->rows; row++) {
        for (int col = 0; col < map->cols; col++) {
            double value = map->values[row * map->cols + col];
            double x = layout->left + col * layout->cell_width;
            double y = layout->top + row * layout->cell_height;
            render_colormap_rgb(map->colormap, isfinite(value) ? (value - lo) / (hi - lo) : NAN, rgb);
            cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
            cairo_rectangle(cr, x, y, layout->cell_width, layout->cell_height);
            cairo_fill(cr);

            if (!map->annotate || !text_fits_height)
                continue;
            /* Black text stays readable down to a luminance of about 0.18, where white
             * starts to have the higher contrast ratio. */
            render_rgb fill = {rgb[0], rgb[1], rgb[2]};
            if (render_luminance(fill) < 0.18)
                cairo_set_source_rgb(cr, 1, 1, 1);
            else
                render_set_color(cr, RENDER_COLOR_TEXT);
            snprintf(text, sizeof text, format, value);
            render_drop_negative_zero(text);
            if (render_text_width(cr, text) <= layout->cell_width - 2)
                render_text(cr, text, x + layout->cell_width / 2, y + layout->cell_height / 2, 0.5,
                            0.5);
        }
    }
}

/* Draws the row labels left of the matrix and the column labels below it. A label that
 * would overlap the previous one is skipped, so tall matrices (128 input units) label
 * every few rows. */
static void draw_labels(cairo_t *cr, const render_heatmap *map, const heatmap_layout *layout)
{
    char number[16];
    double previous = -INFINITY;

    render_font(cr, RENDER_FONT_TICK, 0);
    render_set_color(cr, RENDER_COLOR_MUTED);
    double line = render_text_height(cr);
    for (int row = 0; row < map->rows; row++) {
        double middle = layout->top + (row + 0.5) * layout->cell_height;
        if (middle - line / 2 < previous + 2)
            continue;
        render_text(cr, label_of(map->row_labels, row, number, sizeof number),
                    layout->left - LABEL_GAP, middle, 1, 0.5);
        previous = middle + line / 2;
    }

    previous = -INFINITY;
    double y = layout->top + map->rows * layout->cell_height + LABEL_GAP;
    for (int col = 0; col < map->cols; col++) {
        const char *label = label_of(map->col_labels, col, number, sizeof number);
        double centre = layout->left + (col + 0.5) * layout->cell_width;
        double half = render_text_width(cr, label) / 2;
        if (centre - half < previous + 6)
            continue;
        render_text(cr, label, centre, y, 0.5, 0);
        previous = centre + half;
    }
}

/* Sizes the cells to fill the space. Cells are square while the width and height fits
 * are within a factor of 2, so a confusion matrix stays square. Beyond that they are
 * rectangular, so a 128x10 kernel becomes a tall matrix of wide rows instead of a thin
 * strip. Returns -1 when even 1-pixel cells do not fit. */
static int lay_out(cairo_t *cr, const render_heatmap *map, double lo, double hi, int width,
                   int height, heatmap_layout *layout)
{
    double title = 0;
    if (map->title && map->title[0]) {
        render_font(cr, RENDER_FONT_TITLE, 1);
        title = render_text_height(cr);
    }
    layout->top = PADDING + title + 10;

    render_font(cr, RENDER_FONT_TICK, 0);
    layout->row_labels = widest_label(cr, map->row_labels, map->rows);
    layout->left = PADDING + (map->y_label ? RENDER_FONT_LABEL * 1.3 + LABEL_GAP : 0) +
                   layout->row_labels + LABEL_GAP;
    layout->right = PADDING + (map->colorbar ? render_colorbar_width(cr, lo, hi) : 0);
    layout->bottom = PADDING + RENDER_FONT_TICK * 1.3 + LABEL_GAP +
                     (map->x_label ? RENDER_FONT_LABEL * 1.3 + LABEL_GAP : 0);

    double fit_width = fmin((width - layout->left - layout->right) / map->cols, MAX_CELL);
    double fit_height = fmin((height - layout->top - layout->bottom) / map->rows, MAX_CELL);
    if (fit_width < 1 || fit_height < 1)
        return -1;
    if (fmax(fit_width, fit_height) < 2 * fmin(fit_width, fit_height))
        fit_width = fit_height = fmin(fit_width, fit_height);

    /* Whole pixels keep the cell edges sharp once cells are big enough to notice. */
    layout->cell_width = fit_width >= 4 ? floor(fit_width) : fit_width;
    layout->cell_height = fit_height >= 4 ? floor(fit_height) : fit_height;
    return 0;
}

int render_heatmap_png(const render_heatmap *map, int width, int height,
                       render_png *out, render_error *err)
{
    render_canvas canvas;
    heatmap_layout layout;

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
    double lo, hi;
    value_range(map, &lo, &hi);

    /* Lay out on a scratch canvas, then draw on one only as tall as the content, so a
     * matrix wider than it is tall leaves no empty band under it. */
    if (render_canvas_open(&canvas, 64, 64, err) < 0)
        return -1;
    int status = lay_out(canvas.cr, map, lo, hi, width, height, &layout);
    render_canvas_discard(&canvas);
    if (status < 0)
        return render_fail(err, "picture %dx%d is too small for a %dx%d heatmap", width, height,
                           map->rows, map->cols);

    double grid_width = map->cols * layout.cell_width;
    double grid_height = map->rows * layout.cell_height;
    int used_height = (int)ceil(layout.top + grid_height + layout.bottom);
    if (render_canvas_open(&canvas, width, used_height < height ? used_height : height, err) < 0)
        return -1;
    cairo_t *cr = canvas.cr;

    /* Centre the matrix and its decorations horizontally in the picture. */
    double block = layout.left + grid_width + layout.right;
    layout.left += floor((width - block) / 2);

    render_title(cr, map->title, width / 2.0, PADDING);
    draw_cells(cr, map, format, &layout, lo, hi);
    draw_labels(cr, map, &layout);

    render_font(cr, RENDER_FONT_LABEL, 0);
    render_set_color(cr, RENDER_COLOR_TEXT);
    if (map->x_label)
        render_text(cr, map->x_label, layout.left + grid_width / 2,
                    layout.top + grid_height + 2 * LABEL_GAP + RENDER_FONT_TICK * 1.3, 0.5, 0);
    if (map->y_label)
        render_text_vertical(cr, map->y_label, layout.left - layout.row_labels - 2 * LABEL_GAP,
                             layout.top + grid_height / 2, 0.5, 1);

    if (map->colorbar)
        render_colorbar(cr, map->colormap, lo, hi, layout.left + grid_width, layout.top,
                        grid_height);

    return render_canvas_finish(&canvas, out, err);
}
