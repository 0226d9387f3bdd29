/* colorbar.c: the vertical colour bar beside heatmaps and image grids. */
#include <math.h>
#include <stdio.h>

#include "draw.h"

#define BAR_WIDTH 14.0
#define GAP 12.0

/* Labels closer than this to an end label are left out, so text never overlaps. */
#define MIN_LABEL_SPACING 16.0

double render_colorbar_width(cairo_t *cr, double lo, double hi)
{
    render_ticks ticks;
    char end[32];

    render_nice_ticks(lo, hi, 5, 0, &ticks);
    cairo_save(cr);
    double labels = render_axes_y_label_width(cr, &ticks);
    render_format_number(end, sizeof end, lo);
    labels = fmax(labels, render_text_width(cr, end));
    render_format_number(end, sizeof end, hi);
    labels = fmax(labels, render_text_width(cr, end));
    cairo_restore(cr);
    return GAP + BAR_WIDTH + 5 + labels + 4;
}

static void draw_label(cairo_t *cr, const char *label, double x, double y)
{
    render_set_color(cr, RENDER_COLOR_AXIS);
    cairo_move_to(cr, x, (int)y + 0.5);
    cairo_line_to(cr, x + 3, (int)y + 0.5);
    cairo_stroke(cr);
    render_set_color(cr, RENDER_COLOR_MUTED);
    render_text(cr, label, x + 5, y, 0, 0.5);
}

void render_colorbar(cairo_t *cr, render_colormap map, double lo, double hi, double x, double y,
                     double height)
{
    render_ticks ticks;
    double rgb[3];
    char label[48];

    if (!(hi > lo))
        hi = lo + 1;
    render_nice_ticks(lo, hi, 5, 0, &ticks);
    x += GAP;

    /* The gradient is painted as one-pixel rows from the colour map itself, so the bar
     * shows exactly the colours of the cells, with hi at the top. */
    cairo_save(cr);
    for (int row = 0; row < (int)height; row++) {
        double t = 1 - (row + 0.5) / height;
        render_colormap_rgb(map, t, rgb);
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        cairo_rectangle(cr, x, y + row, BAR_WIDTH, 1);
        cairo_fill(cr);
    }

    render_set_color(cr, RENDER_COLOR_AXIS);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, x + 0.5, y + 0.5, BAR_WIDTH - 1, (int)height - 1);
    cairo_stroke(cr);

    /* The ends carry the exact range (for weights, the symmetric +-m of the largest
     * magnitude); nice ticks fill in between. */
    render_font(cr, RENDER_FONT_TICK, 0);
    render_format_number(label, sizeof label, hi);
    draw_label(cr, label, x + BAR_WIDTH, y);
    render_format_number(label, sizeof label, lo);
    draw_label(cr, label, x + BAR_WIDTH, y + height);
    for (int i = 0; i < ticks.count; i++) {
        double ty = y + height - (ticks.values[i] - lo) / (hi - lo) * height;
        if (ty - y < MIN_LABEL_SPACING || y + height - ty < MIN_LABEL_SPACING)
            continue;
        render_format_tick(label, sizeof label, ticks.values[i], ticks.step);
        draw_label(cr, label, x + BAR_WIDTH, ty);
    }
    cairo_restore(cr);
}
