/* bar_chart.c: one vertical bar per category, such as class probabilities or counts. */
#include <math.h>
#include <stdio.h>

#include "draw.h"

#define PADDING 12.0
#define BAR_FRACTION 0.7 /* of each category's slot; the rest is the gap between bars */

/* Formats a bar's value: whole numbers as counts with separators, others with 2 decimals
 * (probabilities) or 4 significant digits. */
static void format_value(char *buf, size_t size, double value)
{
    if (value == floor(value) && fabs(value) < 1e15) {
        char digits[32];
        render_format_count(digits, sizeof digits, (unsigned long long)fabs(value));
        snprintf(buf, size, "%s%s", value < 0 ? "-" : "", digits);
    } else if (fabs(value) <= 1) {
        snprintf(buf, size, "%.2f", value);
        render_drop_negative_zero(buf);
    } else {
        render_format_number(buf, size, value);
    }
}

static void choose_y_range(const render_bar_chart *chart, render_ticks *ticks)
{
    double lo = 0, hi = 0;

    for (size_t i = 0; i < chart->n; i++) {
        if (!isfinite(chart->values[i]))
            continue;
        lo = fmin(lo, chart->values[i]);
        hi = fmax(hi, chart->values[i]);
    }

    int fixed_lo = !isnan(chart->y_min), fixed_hi = !isnan(chart->y_max);
    if (fixed_lo)
        lo = chart->y_min;
    if (fixed_hi)
        hi = chart->y_max;
    if (hi < lo)
        hi = lo;
    render_nice_ticks(lo, hi, 5, !(fixed_lo && fixed_hi), ticks);
    if (fixed_lo && fixed_hi && chart->y_max > chart->y_min) {
        ticks->lo = chart->y_min;
        ticks->hi = chart->y_max;
    }
}

/* Draws the category labels centred under their slots. A label that would overlap the
 * previous one is skipped, so crowded charts (128 units) show every few labels, and
 * empty labels leave room for their neighbours. */
static void draw_category_labels(cairo_t *cr, const render_bar_chart *chart,
                                 const render_axes *axes, double slot)
{
    double y = axes->top + axes->height + 6;
    double previous_right = -INFINITY;

    for (size_t i = 0; i < chart->n; i++) {
        char fallback[32];
        const char *label = chart->labels ? chart->labels[i] : NULL;
        int highlighted = chart->highlight >= 0 && i == (size_t)chart->highlight;

        if (!label) {
            snprintf(fallback, sizeof fallback, "%zu", i);
            label = fallback;
        }
        if (!*label)
            continue;

        render_font(cr, RENDER_FONT_TICK, highlighted);
        double centre = axes->left + (i + 0.5) * slot;
        double half = render_text_width(cr, label) / 2;
        if (centre - half < previous_right + 6)
            continue;

        render_set_color(cr, highlighted ? RENDER_COLOR_TEXT : RENDER_COLOR_MUTED);
        render_text(cr, label, centre, y, 0.5, 0);
        previous_right = centre + half;
    }
}

static void draw_bars(cairo_t *cr, const render_bar_chart *chart, const render_axes *axes,
                      double slot)
{
    char text[48];
    double zero = render_axes_y(axes, fmax(axes->y_ticks.lo, fmin(0, axes->y_ticks.hi)));

    render_font(cr, RENDER_FONT_TICK, 0);
    double value_width = 0;
    for (size_t i = 0; chart->show_values && i < chart->n; i++) {
        format_value(text, sizeof text, chart->values[i]);
        value_width = fmax(value_width, render_text_width(cr, text));
    }
    int show_values = chart->show_values && value_width + 2 <= slot;

    for (size_t i = 0; i < chart->n; i++) {
        double value = chart->values[i];
        if (!isfinite(value))
            continue;
        int highlighted = chart->highlight >= 0 && i == (size_t)chart->highlight;
        double x = axes->left + i * slot + slot * (1 - BAR_FRACTION) / 2;
        double y = render_axes_y(axes, fmin(fmax(value, axes->y_ticks.lo), axes->y_ticks.hi));

        render_set_color(cr, highlighted ? RENDER_COLOR_ACCENT : RENDER_COLOR_BAR);
        cairo_rectangle(cr, x, fmin(y, zero), slot * BAR_FRACTION, fabs(zero - y));
        cairo_fill(cr);

        if (show_values) {
            format_value(text, sizeof text, value);
            render_font(cr, RENDER_FONT_TICK, highlighted);
            render_set_color(cr, RENDER_COLOR_TEXT);
            if (value >= 0)
                render_text(cr, text, x + slot * BAR_FRACTION / 2, y - 3, 0.5, 1);
            else
                render_text(cr, text, x + slot * BAR_FRACTION / 2, y + 3, 0.5, 0);
        }
    }
}

int render_bar_chart_png(const render_bar_chart *chart, int width, int height,
                         render_png *out, render_error *err)
{
    render_canvas canvas;
    render_axes axes = {0};

    if (!chart || chart->n == 0 || !chart->values)
        return render_fail(err, "no bars to draw: pass at least one value");
    if (chart->highlight >= (long)chart->n)
        return render_fail(err, "highlight index %ld is out of range for %zu bars (use -1 for none)",
                           chart->highlight, chart->n);

    if (width <= 0)
        width = 640;
    if (height <= 0)
        height = RENDER_DEFAULT_HEIGHT;
    if (render_canvas_open(&canvas, width, height, err) < 0)
        return -1;
    cairo_t *cr = canvas.cr;

    double top = render_title(cr, chart->title, width / 2.0, PADDING);
    choose_y_range(chart, &axes.y_ticks);
    axes.x_ticks.lo = 0;
    axes.x_ticks.hi = 1;

    /* Leave room above the plot for the value printed over the tallest bar. */
    axes.top = top + (chart->show_values ? 24 : 12);
    axes.left = render_axes_left_margin(cr, &axes.y_ticks, chart->y_label != NULL);
    axes.width = width - PADDING - axes.left;
    axes.height = height - axes.top - RENDER_AXES_BOTTOM_MARGIN + (chart->x_label ? 0 : 16);
    if (axes.width < 10 || axes.height < 10) {
        render_canvas_discard(&canvas);
        return render_fail(err, "picture %dx%d is too small for a bar chart", width, height);
    }

    double slot = axes.width / chart->n;
    render_axes_grid(cr, &axes, 0);
    draw_bars(cr, chart, &axes, slot);
    render_axes_frame(cr, &axes, 0, chart->x_label, chart->y_label);
    draw_category_labels(cr, chart, &axes, slot);

    return render_canvas_finish(&canvas, out, err);
}
