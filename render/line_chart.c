/* line_chart.c: panels of line charts side by side, such as training loss and accuracy. */
#include <math.h>
#include <stdio.h>

#include "draw.h"

#define PANEL_PADDING 12.0
#define LEGEND_HEIGHT 22.0
#define MARKER_RADIUS 4.0

/*** data ranges ***/

static void series_range(const render_line_chart *chart, double *x_lo, double *x_hi,
                         double *y_lo, double *y_hi)
{
    *x_lo = *y_lo = INFINITY;
    *x_hi = *y_hi = -INFINITY;

    for (size_t s = 0; s < chart->n_series; s++) {
        const render_series *series = &chart->series[s];
        for (size_t i = 0; i < series->n; i++) {
            double x = series->x[i], y = series->y[i];
            if (!isfinite(x) || !isfinite(y))
                continue;
            *x_lo = fmin(*x_lo, x);
            *x_hi = fmax(*x_hi, x);
            *y_lo = fmin(*y_lo, y);
            *y_hi = fmax(*y_hi, y);
        }
    }
}

/* Picks the axis ranges. x spans the data, with one point getting +-1 around it, and
 * starts at 0 when the data start at a positive x within a quarter of the span from 0
 * (training curves whose first batch sits at epoch 0.02). y is widened to whole ticks
 * unless the caller fixed a bound. */
static void choose_ranges(const render_line_chart *chart, render_axes *axes)
{
    double x_lo, x_hi, y_lo, y_hi;

    series_range(chart, &x_lo, &x_hi, &y_lo, &y_hi);
    if (!isfinite(x_lo)) {
        x_lo = 0;
        x_hi = 1;
        y_lo = 0;
        y_hi = 1;
    }
    if (x_hi == x_lo) {
        x_lo = x_lo >= 0 ? fmax(0, x_lo - 1) : x_lo - 1;
        x_hi += 1;
    } else if (x_lo > 0 && x_lo <= 0.25 * (x_hi - x_lo)) {
        x_lo = 0;
    }
    render_nice_ticks(x_lo, x_hi, 6, 0, &axes->x_ticks);

    int fixed_lo = !isnan(chart->y_min), fixed_hi = !isnan(chart->y_max);
    if (fixed_lo)
        y_lo = chart->y_min;
    if (fixed_hi)
        y_hi = chart->y_max;
    if (y_hi < y_lo)
        y_hi = y_lo;
    render_nice_ticks(y_lo, y_hi, 5, !(fixed_lo && fixed_hi), &axes->y_ticks);
    if (fixed_lo && fixed_hi && chart->y_max > chart->y_min) {
        axes->y_ticks.lo = chart->y_min;
        axes->y_ticks.hi = chart->y_max;
    }
}

/*** series ***/

/* Adds the points first..last of one NaN-free run to the path. A run with more than two
 * points per pixel column is decimated: each column contributes only its first, minimum,
 * maximum and last points, in index order. The drawn line then spans the same vertical
 * extent in every column as the full data, at a cost linear in the number of points. */
static void add_run(cairo_t *cr, const render_axes *axes, const render_series *series,
                    size_t first, size_t last)
{
    size_t count = last - first + 1;
    int decimate = count > (size_t)(2 * axes->width);

    cairo_move_to(cr, render_axes_x(axes, series->x[first]), render_axes_y(axes, series->y[first]));
    if (!decimate) {
        for (size_t i = first + 1; i <= last; i++)
            cairo_line_to(cr, render_axes_x(axes, series->x[i]), render_axes_y(axes, series->y[i]));
        return;
    }

    size_t i = first;
    while (i <= last) {
        long column = lround(render_axes_x(axes, series->x[i]));
        size_t start = i, low = i, high = i, end = i;
        while (end + 1 <= last && lround(render_axes_x(axes, series->x[end + 1])) == column) {
            end++;
            if (series->y[end] < series->y[low])
                low = end;
            if (series->y[end] > series->y[high])
                high = end;
        }

        size_t picks[4] = {start, low < high ? low : high, low < high ? high : low, end};
        for (int k = 0; k < 4; k++)
            if (k == 0 || picks[k] != picks[k - 1])
                cairo_line_to(cr, render_axes_x(axes, series->x[picks[k]]),
                              render_axes_y(axes, series->y[picks[k]]));
        i = end + 1;
    }
}

static int point_is_finite(const render_series *series, size_t i)
{
    return isfinite(series->x[i]) && isfinite(series->y[i]);
}

static void draw_marker(cairo_t *cr, double x, double y, render_rgb color)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, MARKER_RADIUS, 0, 6.283185307179586);
    render_set_color(cr, color);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
}

/* Draws one series. NaN (or infinite) points split the line into separate runs, and a
 * point with no finite neighbour is drawn as a marker so it does not vanish. */
static void draw_series(cairo_t *cr, const render_axes *axes, const render_series *series,
                        render_rgb color)
{
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    render_set_color(cr, color);
    /* A thinner line keeps a dense per-batch curve from hiding the validation points. */
    double line_width = 1.6;
    if (series->markers)
        line_width = 2.0;
    else if ((double)series->n > axes->width)
        line_width = 1.0;
    cairo_set_line_width(cr, line_width);

    size_t i = 0;
    while (i < series->n) {
        if (!point_is_finite(series, i)) {
            i++;
            continue;
        }
        size_t last = i;
        while (last + 1 < series->n && point_is_finite(series, last + 1))
            last++;
        if (last > i) {
            add_run(cr, axes, series, i, last);
            cairo_stroke(cr);
        } else if (!series->markers) {
            draw_marker(cr, render_axes_x(axes, series->x[i]), render_axes_y(axes, series->y[i]),
                        color);
        }
        i = last + 1;
    }

    for (i = 0; series->markers && i < series->n; i++)
        if (point_is_finite(series, i))
            draw_marker(cr, render_axes_x(axes, series->x[i]), render_axes_y(axes, series->y[i]),
                        color);
    cairo_restore(cr);
}

/*** legend ***/

#define LEGEND_SAMPLE 22.0
#define LEGEND_SPACING 18.0

static double legend_entry_width(cairo_t *cr, const render_series *series)
{
    return LEGEND_SAMPLE + 6 + render_text_width(cr, series->name);
}

/* Draws the legend as one row right-aligned above the plot, where it can never cover a
 * curve. A legend wider than the space starts at min_left and runs past the right edge. */
static void draw_legend(cairo_t *cr, const render_line_chart *chart, double min_left,
                        double right, double y)
{
    double total = 0;

    render_font(cr, RENDER_FONT_TICK, 0);
    for (size_t s = 0; s < chart->n_series; s++)
        if (chart->series[s].name)
            total += legend_entry_width(cr, &chart->series[s]) + (total > 0 ? LEGEND_SPACING : 0);

    double x = fmax(min_left, right - total);
    for (size_t s = 0; s < chart->n_series; s++) {
        const render_series *series = &chart->series[s];
        if (!series->name)
            continue;
        render_rgb color = render_palette_color(s);
        double middle = y + LEGEND_HEIGHT / 2;

        cairo_save(cr);
        render_set_color(cr, color);
        cairo_set_line_width(cr, series->markers ? 2.0 : 1.6);
        cairo_move_to(cr, x, middle);
        cairo_line_to(cr, x + LEGEND_SAMPLE, middle);
        cairo_stroke(cr);
        if (series->markers)
            draw_marker(cr, x + LEGEND_SAMPLE / 2, middle, color);
        cairo_restore(cr);

        render_set_color(cr, RENDER_COLOR_TEXT);
        render_text(cr, series->name, x + LEGEND_SAMPLE + 6, middle, 0, 0.5);
        x += legend_entry_width(cr, series) + LEGEND_SPACING;
    }
}

static int has_legend(const render_line_chart *chart)
{
    for (size_t s = 0; s < chart->n_series; s++)
        if (chart->series[s].name && chart->series[s].name[0])
            return 1;
    return 0;
}

/*** panels ***/

static void draw_panel(cairo_t *cr, const render_line_chart *chart, double left, double width,
                       double height)
{
    render_axes axes = {0};

    /* Lay out the plot area first, so the title can be centred over the plot rather than
     * over the panel with its tick labels. */
    choose_ranges(chart, &axes);
    double title_height = 0;
    if (chart->title && chart->title[0]) {
        render_font(cr, RENDER_FONT_TITLE, 1);
        title_height = render_text_height(cr);
    }
    double top = PANEL_PADDING + title_height + (has_legend(chart) ? LEGEND_HEIGHT + 4 : 8);
    axes.left = left + render_axes_left_margin(cr, &axes.y_ticks, chart->y_label != NULL);
    axes.top = top;
    axes.width = left + width - PANEL_PADDING - 8 - axes.left;
    double bottom_margin = RENDER_AXES_BOTTOM_MARGIN - (chart->x_label ? 0 : 16);
    axes.height = height - bottom_margin - top;
    if (axes.width < 10 || axes.height < 10)
        return;

    render_title(cr, chart->title, axes.left + axes.width / 2, PANEL_PADDING);
    if (has_legend(chart))
        draw_legend(cr, chart, left + PANEL_PADDING, axes.left + axes.width,
                    top - LEGEND_HEIGHT - 4);
    render_axes_grid(cr, &axes, 1);

    /* Clip to the plot area plus a marker radius, so markers on the border stay whole
     * but lines outside a fixed y range (a loss spike) do not cross the labels. */
    cairo_save(cr);
    cairo_rectangle(cr, axes.left - MARKER_RADIUS - 1, axes.top - MARKER_RADIUS - 1,
                    axes.width + 2 * MARKER_RADIUS + 2, axes.height + 2 * MARKER_RADIUS + 2);
    cairo_clip(cr);
    for (size_t s = 0; s < chart->n_series; s++)
        draw_series(cr, &axes, &chart->series[s], render_palette_color(s));
    cairo_restore(cr);

    render_axes_frame(cr, &axes, 1, chart->x_label, chart->y_label);
}

int render_line_charts(const render_line_chart *charts, size_t n_charts, int width, int height,
                       render_png *out, render_error *err)
{
    render_canvas canvas;

    if (!charts || n_charts == 0)
        return render_fail(err, "no line chart to draw: pass at least one chart");
    for (size_t c = 0; c < n_charts; c++)
        for (size_t s = 0; s < charts[c].n_series; s++)
            if (charts[c].series[s].n > 0 && (!charts[c].series[s].x || !charts[c].series[s].y))
                return render_fail(err, "series %zu of chart %zu has %zu points but no x or y array",
                                   s, c, charts[c].series[s].n);

    if (width <= 0)
        width = RENDER_DEFAULT_WIDTH;
    if (height <= 0)
        height = RENDER_DEFAULT_HEIGHT;
    if (render_canvas_open(&canvas, width, height, err) < 0)
        return -1;

    double panel_width = (double)width / (double)n_charts;
    for (size_t c = 0; c < n_charts; c++)
        draw_panel(canvas.cr, &charts[c], c * panel_width, panel_width, height);

    return render_canvas_finish(&canvas, out, err);
}
