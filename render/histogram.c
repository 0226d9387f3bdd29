/* histogram.c: binning values (weights, activations) and drawing the histogram. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"

/*** binning ***/

int render_histogram_compute(const float *data, size_t n, size_t bins,
                             render_histogram_data *out, render_error *err)
{
    memset(out, 0, sizeof *out);
    if (n > 0 && !data)
        return render_fail(err, "histogram of %zu values has no data array", n);
    if (bins == 0)
        bins = RENDER_HISTOGRAM_DEFAULT_BINS;

    out->counts = calloc(bins, sizeof *out->counts);
    if (!out->counts)
        return render_fail(err, "out of memory for %zu histogram bins", bins);
    out->bins = bins;

    /* First pass: count, range and mean of the finite values, summed in double. */
    double sum = 0, min = INFINITY, max = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(data[i])) {
            out->nonfinite++;
            continue;
        }
        out->finite++;
        sum += data[i];
        min = fmin(min, data[i]);
        max = fmax(max, data[i]);
    }

    if (out->finite == 0) {
        out->min = out->max = out->mean = out->stddev = NAN;
        out->lo = -0.5;
        out->hi = 0.5;
        return 0;
    }
    out->min = min;
    out->max = max;
    out->mean = sum / (double)out->finite;

    /* Second pass: the variance around the mean, which avoids the cancellation of the
     * sum-of-squares formula when the spread is small next to the mean. */
    double squares = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(data[i]))
            squares += (data[i] - out->mean) * (data[i] - out->mean);
    out->stddev = sqrt(squares / (double)out->finite);

    out->lo = min;
    out->hi = max;
    if (max == min) {
        double half = min == 0 ? 0.5 : fabs(min) * 0.1;
        out->lo = min - half;
        out->hi = max + half;
    }

    /* Equal values sit exactly on the middle edge when bins is even, where rounding would
     * pick either side, so they go straight to the bin just above the centre. */
    if (max == min) {
        out->counts[bins / 2] = out->finite;
        return 0;
    }

    double scale = (double)bins / (out->hi - out->lo);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(data[i]))
            continue;
        double position = (data[i] - out->lo) * scale;
        size_t bin = position <= 0 ? 0 : (size_t)position;
        if (bin >= bins)
            bin = bins - 1;
        out->counts[bin]++;
    }
    return 0;
}

void render_histogram_data_free(render_histogram_data *h)
{
    if (!h)
        return;
    free(h->counts);
    memset(h, 0, sizeof *h);
}

/*** drawing ***/

#define PADDING 12.0

/* Writes "min ... max ... mean ... std ... n ..." under the title, followed in red by the
 * count of non-finite values when there are any, because those point at a diverged run. */
static double draw_statistics(cairo_t *cr, const render_histogram_data *h, double x, double y)
{
    char min[32], max[32], mean[32], stddev[32], count[32], line[192], warning[64] = "";

    render_format_number(min, sizeof min, h->min);
    render_format_number(max, sizeof max, h->max);
    render_format_number(mean, sizeof mean, h->mean);
    render_format_number(stddev, sizeof stddev, h->stddev);
    render_format_count(count, sizeof count, h->finite);
    snprintf(line, sizeof line, "min %s   max %s   mean %s   std %s   n %s", min, max, mean,
             stddev, count);
    if (h->nonfinite > 0) {
        render_format_count(count, sizeof count, h->nonfinite);
        snprintf(warning, sizeof warning, "   nonfinite (NaN/Inf) %s", count);
    }

    render_font(cr, RENDER_FONT_TICK + 1, 0);
    double line_width = render_text_width(cr, line), warning_width = render_text_width(cr, warning);
    double left = x - (line_width + warning_width) / 2;
    render_set_color(cr, RENDER_COLOR_MUTED);
    render_text(cr, line, left, y + 2, 0, 0);
    render_set_color(cr, (render_rgb){0.75, 0.1, 0.1});
    render_text(cr, warning, left + line_width, y + 2, 0, 0);
    return y + 2 + render_text_height(cr);
}

int render_histogram_png(const char *title, const render_histogram_data *h, int width,
                         int height, render_png *out, render_error *err)
{
    render_canvas canvas;
    render_axes axes = {0};

    if (!h || !h->counts || h->bins == 0)
        return render_fail(err, "histogram has no bins: call render_histogram_compute first");
    if (!(h->hi > h->lo))
        return render_fail(err, "histogram range [%g, %g] is empty", h->lo, h->hi);

    if (width <= 0)
        width = 720;
    if (height <= 0)
        height = 400;
    if (render_canvas_open(&canvas, width, height, err) < 0)
        return -1;
    cairo_t *cr = canvas.cr;

    double top = render_title(cr, title, width / 2.0, PADDING);
    top = draw_statistics(cr, h, width / 2.0, top);

    size_t highest = 0;
    for (size_t b = 0; b < h->bins; b++)
        if (h->counts[b] > highest)
            highest = h->counts[b];
    /* 5% headroom, so the tallest bar never touches the top of the plot. */
    render_nice_ticks(0, highest > 0 ? 1.05 * (double)highest : 1, 5, 1, &axes.y_ticks);
    render_nice_ticks(h->lo, h->hi, 7, 0, &axes.x_ticks);
    axes.x_ticks.lo = h->lo;
    axes.x_ticks.hi = h->hi;

    axes.top = top + 14;
    axes.left = render_axes_left_margin(cr, &axes.y_ticks, 1);
    axes.width = width - PADDING - 10 - axes.left;
    axes.height = height - axes.top - RENDER_AXES_BOTTOM_MARGIN;
    if (axes.width < 10 || axes.height < 10) {
        render_canvas_discard(&canvas);
        return render_fail(err, "picture %dx%d is too small for a histogram", width, height);
    }

    render_axes_grid(cr, &axes, 0);

    /* Adjacent bars, with a one-pixel white seam when bars are wide enough to spare it. */
    double bin_width = axes.width / h->bins;
    double seam = bin_width >= 4 ? 1 : 0;
    render_set_color(cr, RENDER_COLOR_BAR);
    for (size_t b = 0; b < h->bins; b++) {
        if (h->counts[b] == 0)
            continue;
        double y = render_axes_y(&axes, (double)h->counts[b]);
        cairo_rectangle(cr, axes.left + b * bin_width + seam / 2, y, bin_width - seam,
                        axes.top + axes.height - y);
    }
    cairo_fill(cr);

    render_axes_frame(cr, &axes, 1, "value (binned)", "Number of Records");
    return render_canvas_finish(&canvas, out, err);
}
