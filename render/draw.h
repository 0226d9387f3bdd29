/* draw.h: drawing helpers shared by the chart files of render/ (not part of the API).
 *
 * A chart opens a canvas (a white cairo image surface), lays out its plot area with the
 * axes helpers, draws, and finishes the canvas into PNG bytes. Sizes are in pixels of the
 * output PNG; one cairo user unit is one pixel.
 */
#ifndef RENDER_DRAW_H
#define RENDER_DRAW_H

#include <cairo.h>

#include "render.h"

/*** errors ***/

/* Writes a printf-style message into err (which may be NULL) and returns -1. */
int render_fail(render_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*** canvas (png.c) ***/

typedef struct {
    cairo_surface_t *surface;
    cairo_t *cr;
    int width, height;
} render_canvas;

/* Creates a width x height canvas filled white, with the default font selected. */
int render_canvas_open(render_canvas *canvas, int width, int height, render_error *err);

/* Encodes the canvas as PNG into out and destroys the canvas. */
int render_canvas_finish(render_canvas *canvas, render_png *out, render_error *err);

/* Destroys the canvas without encoding it (on an error path); safe on a zeroed canvas. */
void render_canvas_discard(render_canvas *canvas);

/* Encodes any image surface as PNG into out. */
int render_surface_to_png(cairo_surface_t *surface, render_png *out, render_error *err);

/*** colours (colormap.c) ***/

typedef struct {
    double r, g, b;
} render_rgb;

/* The series palette: blue, orange, green, red, purple, brown, pink, grey, olive, cyan. */
render_rgb render_palette_color(size_t index);

#define RENDER_COLOR_TEXT ((render_rgb){0.13, 0.13, 0.13})
#define RENDER_COLOR_MUTED ((render_rgb){0.33, 0.33, 0.33})
#define RENDER_COLOR_AXIS ((render_rgb){0.40, 0.40, 0.40})
#define RENDER_COLOR_GRID ((render_rgb){0.90, 0.90, 0.90})
#define RENDER_COLOR_BAR ((render_rgb){0.122, 0.467, 0.706})    /* palette blue */
#define RENDER_COLOR_ACCENT ((render_rgb){1.000, 0.498, 0.055}) /* palette orange */

void render_set_color(cairo_t *cr, render_rgb color);

/* Relative luminance of an sRGB colour (ITU-R BT.709 weights on linearised components),
 * used to choose black or white text over a filled cell. */
double render_luminance(render_rgb color);

/*** numbers (format.c) ***/

/* Removes the sign of a formatted number that rounded to zero ("-0.00" becomes "0.00"),
 * which would otherwise suggest a negative value where there is none to see. */
void render_drop_negative_zero(char *text);

/*** text (text.c) ***/

/* Font sizes in pixels: labels and ticks stay at 12 px or more so they are legible when
 * the notebook shows the PNG at its natural size. */
#define RENDER_FONT_TITLE 16.0
#define RENDER_FONT_LABEL 13.0
#define RENDER_FONT_TICK 12.0

/* Selects DejaVu Sans at size pixels, bold or regular. */
void render_font(cairo_t *cr, double size, int bold);

double render_text_width(cairo_t *cr, const char *text);

/* Height of one line of the current font (ascent + descent). */
double render_text_height(cairo_t *cr);

/* Draws one line of text anchored at (x, y). align_x 0 puts the left edge at x, 0.5 the
 * centre and 1 the right edge. align_y 0 puts the top of the line at y, 0.5 its middle
 * and 1 its bottom. */
void render_text(cairo_t *cr, const char *text, double x, double y, double align_x,
                 double align_y);

/* Like render_text, but rotated a quarter turn counter-clockwise (for y axis labels). */
void render_text_vertical(cairo_t *cr, const char *text, double x, double y,
                          double align_x, double align_y);

/* Copies text into buf, shortened with a trailing "..." so it is at most max_width
 * pixels wide in the current font. It cuts only between UTF-8 characters. */
void render_text_fit(cairo_t *cr, const char *text, double max_width, char *buf, size_t size);

/*** axes (axes.c) ***/

/* A plot area and the data ranges mapped onto it. */
typedef struct {
    double left, top, width, height; /* pixels */
    render_ticks x_ticks, y_ticks;   /* their lo and hi are the mapped data ranges */
} render_axes;

double render_axes_x(const render_axes *axes, double x);
double render_axes_y(const render_axes *axes, double y);

/* Formats a tick value with as many decimals as the step needs. */
void render_format_tick(char *buf, size_t size, double value, double step);

/* Width of the widest y tick label, to size the left margin. */
double render_axes_y_label_width(cairo_t *cr, const render_ticks *ticks);

/* Draws horizontal grid lines at the y ticks, and vertical ones at the x ticks when
 * x_grid is 1. */
void render_axes_grid(cairo_t *cr, const render_axes *axes, int x_grid);

/* Draws the left and bottom axis lines, the y ticks with labels, the x ticks with labels
 * when x_ticks is 1, and the axis labels (either may be NULL). */
void render_axes_frame(cairo_t *cr, const render_axes *axes, int x_ticks, const char *x_label,
                       const char *y_label);

/* Space the frame needs outside the plot area, in pixels. */
#define RENDER_AXES_BOTTOM_MARGIN 48.0
double render_axes_left_margin(cairo_t *cr, const render_ticks *y_ticks, int has_y_label);

/* Draws a bold title centred on x with its top at y; returns the y below it. */
double render_title(cairo_t *cr, const char *title, double x, double y);

/*** colour bar (colorbar.c) ***/

/* Width in pixels that a vertical colour bar with labels for [lo, hi] takes. */
double render_colorbar_width(cairo_t *cr, double lo, double hi);

/* Draws a vertical colour bar mapping [lo, hi] at (x, y), height pixels tall, with tick
 * labels to its right. */
void render_colorbar(cairo_t *cr, render_colormap map, double lo, double hi, double x, double y,
                     double height);

#endif /* RENDER_DRAW_H */
