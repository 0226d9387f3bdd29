/* axes.c: "nice" tick computation, axis lines, tick labels, grid lines and titles. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

/*** ticks ***/

/* Rounds a raw step up to 1, 2 or 5 times a power of ten, so that tick labels are short
 * numbers a reader can add up in their head. */
static double nice_step(double raw)
{
    double magnitude = pow(10, floor(log10(raw)));
    double fraction = raw / magnitude;

    if (fraction <= 1.0 + 1e-9)
        return magnitude;
    if (fraction <= 2.0 + 1e-9)
        return 2 * magnitude;
    if (fraction <= 5.0 + 1e-9)
        return 5 * magnitude;
    return 10 * magnitude;
}

/* Returns the 1-2-5 step below step: 1 -> 0.5, 2 -> 1, 5 -> 2. */
static double smaller_step(double step)
{
    double fraction = step / pow(10, floor(log10(step)));
    return fraction < 3 ? step / 2 : step * 0.4;
}

void render_nice_ticks(double lo, double hi, int target, int widen, render_ticks *out)
{
    memset(out, 0, sizeof *out);

    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi < lo) {
        double swap = lo;
        lo = hi;
        hi = swap;
    }
    if (hi == lo) {
        double half = lo == 0 ? 1 : fabs(lo) * 0.1;
        lo -= half;
        hi += half;
    }
    if (target < 2)
        target = 2;
    if (target > 12)
        target = 12;

    /* The step is at least (hi - lo) / target, so at most target + 1 ticks fit. */
    double step = nice_step((hi - lo) / target);
    double tolerance = step * 1e-9;
    if (widen) {
        /* Widening adds up to one step at each end, so take the next larger nice step
         * until the widened range again has at most target + 1 ticks. */
        double widened_lo, widened_hi;
        for (;;) {
            widened_lo = floor(lo / step + 1e-9) * step;
            widened_hi = ceil(hi / step - 1e-9) * step;
            if ((widened_hi - widened_lo) / step <= target + 1e-9)
                break;
            step = nice_step(step * 1.5);
        }
        lo = widened_lo;
        hi = widened_hi;
        tolerance = step * 1e-9;
    }

    /* A narrow range away from zero ([88302, 498771] with step 500000) can contain fewer
     * than two multiples of the step. Shrink the step in 1-2-5 order until it contains two. */
    while (floor(hi / step + 1e-9) - ceil(lo / step - 1e-9) < 1) {
        step = smaller_step(step);
        tolerance = step * 1e-9;
    }

    /* Compute each tick from its index rather than by repeated addition, so rounding does
     * not accumulate, and snap values within rounding of zero to exactly zero. */
    double first = ceil(lo / step - 1e-9);
    for (int i = 0; i < RENDER_MAX_TICKS; i++) {
        double value = (first + i) * step;
        if (value > hi + tolerance)
            break;
        if (fabs(value) < tolerance)
            value = 0;
        out->values[out->count++] = value;
    }

    out->lo = lo;
    out->hi = hi;
    out->step = step;
}

void render_format_tick(char *buf, size_t size, double value, double step)
{
    double magnitude = fabs(value) > step ? fabs(value) : step;

    if (magnitude >= 1e7 || step < 1e-6) {
        snprintf(buf, size, "%g", value);
        return;
    }
    if (step >= 1 && fabs(value) >= 10000) {
        char digits[32];
        render_format_count(digits, sizeof digits, (unsigned long long)llround(fabs(value)));
        snprintf(buf, size, "%s%s", value < 0 ? "-" : "", digits);
        return;
    }

    int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    snprintf(buf, size, "%.*f", decimals, value);
}

/*** layout ***/

double render_axes_x(const render_axes *axes, double x)
{
    double span = axes->x_ticks.hi - axes->x_ticks.lo;
    return axes->left + (x - axes->x_ticks.lo) / span * axes->width;
}

double render_axes_y(const render_axes *axes, double y)
{
    double span = axes->y_ticks.hi - axes->y_ticks.lo;
    return axes->top + axes->height - (y - axes->y_ticks.lo) / span * axes->height;
}

double render_axes_y_label_width(cairo_t *cr, const render_ticks *ticks)
{
    char label[48];
    double widest = 0;

    render_font(cr, RENDER_FONT_TICK, 0);
    for (int i = 0; i < ticks->count; i++) {
        render_format_tick(label, sizeof label, ticks->values[i], ticks->step);
        double width = render_text_width(cr, label);
        if (width > widest)
            widest = width;
    }
    return widest;
}

/* Gap between the plot, its tick marks and its labels. */
#define TICK_LENGTH 5.0
#define LABEL_GAP 4.0

double render_axes_left_margin(cairo_t *cr, const render_ticks *y_ticks, int has_y_label)
{
    double margin = 10 + TICK_LENGTH + LABEL_GAP + render_axes_y_label_width(cr, y_ticks);
    if (has_y_label)
        margin += RENDER_FONT_LABEL + 2 * LABEL_GAP;
    return margin;
}

/*** drawing ***/

/* Rounds a coordinate to a pixel centre, so 1-pixel lines stay sharp instead of being
 * smeared over two rows. */
static double crisp(double coordinate)
{
    return floor(coordinate) + 0.5;
}

void render_axes_grid(cairo_t *cr, const render_axes *axes, int x_grid)
{
    cairo_save(cr);
    render_set_color(cr, RENDER_COLOR_GRID);
    cairo_set_line_width(cr, 1);

    for (int i = 0; i < axes->y_ticks.count; i++) {
        double y = crisp(render_axes_y(axes, axes->y_ticks.values[i]));
        cairo_move_to(cr, axes->left, y);
        cairo_line_to(cr, axes->left + axes->width, y);
    }
    for (int i = 0; x_grid && i < axes->x_ticks.count; i++) {
        double x = crisp(render_axes_x(axes, axes->x_ticks.values[i]));
        cairo_move_to(cr, x, axes->top);
        cairo_line_to(cr, x, axes->top + axes->height);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

void render_axes_frame(cairo_t *cr, const render_axes *axes, int x_ticks, const char *x_label,
                       const char *y_label)
{
    char label[48];
    double left = crisp(axes->left), bottom = crisp(axes->top + axes->height);

    cairo_save(cr);
    cairo_set_line_width(cr, 1);
    render_set_color(cr, RENDER_COLOR_AXIS);
    cairo_move_to(cr, left, axes->top);
    cairo_line_to(cr, left, bottom);
    cairo_line_to(cr, axes->left + axes->width, bottom);
    cairo_stroke(cr);

    /* y ticks and their labels, right-aligned against the tick marks */
    render_font(cr, RENDER_FONT_TICK, 0);
    for (int i = 0; i < axes->y_ticks.count; i++) {
        double y = crisp(render_axes_y(axes, axes->y_ticks.values[i]));
        render_set_color(cr, RENDER_COLOR_AXIS);
        cairo_move_to(cr, left - TICK_LENGTH, y);
        cairo_line_to(cr, left, y);
        cairo_stroke(cr);
        render_format_tick(label, sizeof label, axes->y_ticks.values[i], axes->y_ticks.step);
        render_set_color(cr, RENDER_COLOR_MUTED);
        render_text(cr, label, left - TICK_LENGTH - LABEL_GAP, y, 1, 0.5);
    }

    /* x ticks and their labels, centred under the tick marks */
    for (int i = 0; x_ticks && i < axes->x_ticks.count; i++) {
        double x = crisp(render_axes_x(axes, axes->x_ticks.values[i]));
        render_set_color(cr, RENDER_COLOR_AXIS);
        cairo_move_to(cr, x, bottom);
        cairo_line_to(cr, x, bottom + TICK_LENGTH);
        cairo_stroke(cr);
        render_format_tick(label, sizeof label, axes->x_ticks.values[i], axes->x_ticks.step);
        render_set_color(cr, RENDER_COLOR_MUTED);
        render_text(cr, label, x, bottom + TICK_LENGTH + LABEL_GAP, 0.5, 0);
    }

    /* axis labels: x centred under the tick labels, y rotated left of the tick labels */
    render_font(cr, RENDER_FONT_LABEL, 0);
    render_set_color(cr, RENDER_COLOR_TEXT);
    if (x_label)
        render_text(cr, x_label, axes->left + axes->width / 2,
                    bottom + TICK_LENGTH + 2 * LABEL_GAP + RENDER_FONT_TICK * 1.2, 0.5, 0);
    if (y_label) {
        double x = left - TICK_LENGTH - 2 * LABEL_GAP - render_axes_y_label_width(cr, &axes->y_ticks);
        render_font(cr, RENDER_FONT_LABEL, 0);
        render_set_color(cr, RENDER_COLOR_TEXT);
        render_text_vertical(cr, y_label, x, axes->top + axes->height / 2, 0.5, 1);
    }
    cairo_restore(cr);
}

double render_title(cairo_t *cr, const char *title, double x, double y)
{
    if (!title || !*title)
        return y;

    cairo_save(cr);
    render_font(cr, RENDER_FONT_TITLE, 1);
    render_set_color(cr, RENDER_COLOR_TEXT);
    render_text(cr, title, x, y, 0.5, 0);
    double below = y + render_text_height(cr);
    cairo_restore(cr);
    return below;
}
