/* image_grid.c: small images (digits, weights, filters, activation maps) in a grid. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "draw.h"

#define PADDING 12.0
#define GAP 8.0
#define CAPTION_HEIGHT 20.0
#define MAX_CELL 112.0   /* 4x a 28x28 digit; larger cells only waste notebook space */
#define MAX_COLUMNS 12
#define MIN_COLORBAR_HEIGHT 100.0
#define MIN_CAPTION_FONT 9.0 /* smallest caption font size, in pixels */

/*** layout ***/

/* Chooses one caption font size for the whole grid: RENDER_FONT_TICK when every caption
 * fits max_width, else the size at which the widest one fits, but no smaller than
 * MIN_CAPTION_FONT. Captions still too wide at that size are shortened with an ellipsis. */
static double choose_caption_font(cairo_t *cr, const render_image_grid *grid, double max_width)
{
    double widest = 0;

    render_font(cr, RENDER_FONT_TICK, 0);
    for (size_t i = 0; i < grid->n; i++)
        if (grid->captions[i])
            widest = fmax(widest, render_text_width(cr, grid->captions[i]));
    if (widest <= max_width)
        return RENDER_FONT_TICK;
    /* Text width scales with the font size, so one division finds the size that fits. */
    return fmax(MIN_CAPTION_FONT, floor(RENDER_FONT_TICK * max_width / widest * 2) / 2);
}

/* Picks images per grid row: all of them up to MAX_COLUMNS, otherwise the count from 6 to
 * MAX_COLUMNS that leaves the fewest empty places in the last row (the larger on ties). */
static int choose_columns(size_t n)
{
    if (n <= MAX_COLUMNS)
        return (int)n;

    int best = MAX_COLUMNS;
    size_t best_empty = SIZE_MAX;
    for (int columns = MAX_COLUMNS; columns >= 6; columns--) {
        size_t empty = (columns - n % columns) % columns;
        if (empty < best_empty) {
            best = columns;
            best_empty = empty;
        }
    }
    return best;
}

/* Chooses the cell side: as large as the width allows, up to MAX_CELL. It is rounded down
 * to a whole multiple of the image side when that costs at most 15% of the size, so every
 * source pixel becomes the same number of screen pixels. */
static double choose_cell(const render_image_grid *grid, int columns, double available)
{
    double side = grid->rows > grid->cols ? grid->rows : grid->cols;
    double cell = floor((available - (columns - 1) * GAP) / columns);

    cell = fmin(cell, fmax(MAX_CELL, side));
    double whole = floor(cell / side) * side;
    if (whole >= 0.85 * cell)
        cell = whole;
    return cell;
}

/*** pixels ***/

static void image_range(const float *image, size_t count, render_colormap map, double *lo,
                        double *hi)
{
    double min = INFINITY, max = -INFINITY;

    for (size_t i = 0; i < count; i++) {
        if (!isfinite(image[i]))
            continue;
        min = fmin(min, image[i]);
        max = fmax(max, image[i]);
    }
    if (!isfinite(min))
        min = max = 0;

    if (map == RENDER_CMAP_DIVERGING) {
        double magnitude = fmax(fabs(min), fabs(max));
        *lo = -magnitude;
        *hi = magnitude;
    } else {
        *lo = min;
        *hi = max;
    }
    if (!(*hi > *lo)) {
        /* A constant image: zero is white in the diverging map, and a constant sequential
         * image shows the colour of its value at the bottom of the scale. */
        *hi = *lo + 1;
        if (map == RENDER_CMAP_DIVERGING)
            *lo = -1, *hi = 1;
    }
}

/* Draws one image at (x, y) scaled to cell x cell pixels with nearest-neighbour sampling. */
static int draw_image(cairo_t *cr, const render_image_grid *grid, const float *image, double lo,
                      double hi, double x, double y, double cell)
{
    cairo_surface_t *pixels = cairo_image_surface_create(CAIRO_FORMAT_RGB24, grid->cols, grid->rows);
    if (cairo_surface_status(pixels) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(pixels);
        return -1;
    }

    cairo_surface_flush(pixels);
    unsigned char *data = cairo_image_surface_get_data(pixels);
    int stride = cairo_image_surface_get_stride(pixels);
    double rgb[3];
    for (int r = 0; r < grid->rows; r++) {
        uint32_t *line = (uint32_t *)(void *)(data + (size_t)r * stride);
        for (int c = 0; c < grid->cols; c++) {
            float value = image[(size_t)r * grid->cols + c];
            render_colormap_rgb(grid->colormap, isfinite(value) ? (value - lo) / (hi - lo) : NAN, rgb);
            line[c] = (uint32_t)lround(rgb[0] * 255) << 16 | (uint32_t)lround(rgb[1] * 255) << 8 |
                      (uint32_t)lround(rgb[2] * 255);
        }
    }
    cairo_surface_mark_dirty(pixels);

    /* Non-square images keep their aspect ratio inside the square cell. */
    double scale = cell / (grid->rows > grid->cols ? grid->rows : grid->cols);
    double offset_x = (cell - grid->cols * scale) / 2, offset_y = (cell - grid->rows * scale) / 2;
    cairo_save(cr);
    cairo_translate(cr, x + offset_x, y + offset_y);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, pixels, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, 0, 0, grid->cols, grid->rows);
    cairo_fill(cr);
    cairo_restore(cr);

    /* A hairline frame separates light images from the white background. */
    render_set_color(cr, RENDER_COLOR_GRID);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, x + offset_x - 0.5, y + offset_y - 0.5, grid->cols * scale + 1,
                    grid->rows * scale + 1);
    cairo_stroke(cr);

    cairo_surface_destroy(pixels);
    return 0;
}

/*** the grid ***/

int render_image_grid_png(const render_image_grid *grid, render_png *out, render_error *err)
{
    render_canvas canvas;

    if (!grid || grid->n == 0 || !grid->images)
        return render_fail(err, "image grid is empty: pass at least one image");
    if (grid->rows <= 0 || grid->cols <= 0 || grid->rows > 1024 || grid->cols > 1024)
        return render_fail(err, "invalid image size %dx%d: rows and cols must be 1 to 1024",
                           grid->rows, grid->cols);
    for (size_t i = 0; i < grid->n; i++)
        if (!grid->images[i])
            return render_fail(err, "image %zu of the grid is NULL", i);

    size_t pixel_count = (size_t)grid->rows * grid->cols;
    int automatic = !(grid->hi > grid->lo);
    double lo = grid->lo, hi = grid->hi;

    /* A colour bar needs one range for every image; compute it over all pixels. */
    if (automatic && grid->colorbar) {
        double all_lo = INFINITY, all_hi = -INFINITY;
        for (size_t i = 0; i < grid->n; i++) {
            double image_lo, image_hi;
            image_range(grid->images[i], pixel_count, grid->colormap, &image_lo, &image_hi);
            all_lo = fmin(all_lo, image_lo);
            all_hi = fmax(all_hi, image_hi);
        }
        lo = all_lo;
        hi = all_hi;
        automatic = 0;
    }

    int max_width = grid->max_width > 0 ? grid->max_width : RENDER_DEFAULT_WIDTH;
    int columns = grid->grid_columns > 0 ? grid->grid_columns : choose_columns(grid->n);
    if ((size_t)columns > grid->n)
        columns = (int)grid->n;
    size_t grid_rows = (grid->n + columns - 1) / columns;

    /* A scratch surface measures the title and colour bar before the size is known. */
    render_canvas probe;
    if (render_canvas_open(&probe, 64, 64, err) < 0)
        return -1;
    double colorbar = grid->colorbar ? render_colorbar_width(probe.cr, lo, hi) : 0;
    render_canvas_discard(&probe);

    double available = max_width - 2 * PADDING - colorbar;
    double cell = choose_cell(grid, columns, available);
    if (grid->cell_size > 0)
        cell = fmin(grid->cell_size, floor((available - (columns - 1) * GAP) / columns));
    if (cell < 1)
        cell = 1;
    double caption = grid->captions ? CAPTION_HEIGHT : 0;
    double title = grid->title ? RENDER_FONT_TITLE * 1.25 + 10 : 0;
    double grid_width = columns * cell + (columns - 1) * GAP;
    double grid_height = grid_rows * (cell + caption) + (grid_rows - 1) * GAP;
    /* The bar spans from the top of the first image row to the bottom of the last one. */
    double bar_height = fmax(grid_height - caption, grid->colorbar ? MIN_COLORBAR_HEIGHT : 0);

    int width = (int)ceil(2 * PADDING + grid_width + colorbar);
    int height = (int)ceil(2 * PADDING + title + fmax(grid_height, bar_height));
    if (grid->title) {
        /* Widen a narrow grid (one small image) so its title is not cut off. */
        render_canvas_open(&probe, 64, 64, NULL);
        render_font(probe.cr, RENDER_FONT_TITLE, 1);
        double title_width = render_text_width(probe.cr, grid->title) + 2 * PADDING;
        render_canvas_discard(&probe);
        if (title_width > width)
            width = (int)ceil(title_width);
    }
    if (render_canvas_open(&canvas, width, height, err) < 0)
        return -1;
    cairo_t *cr = canvas.cr;

    /* Captions may reach into the gap but keep 4 pixels from their neighbours. */
    double caption_width = cell + GAP - 4;
    double caption_font = grid->captions ? choose_caption_font(cr, grid, caption_width) : 0;

    render_title(cr, grid->title, width / 2.0, PADDING);
    double left = floor((width - grid_width - colorbar) / 2), top = PADDING + title;

    for (size_t i = 0; i < grid->n; i++) {
        double x = left + (i % columns) * (cell + GAP);
        double y = top + (i / columns) * (cell + caption + GAP);
        double image_lo = lo, image_hi = hi;
        if (automatic)
            image_range(grid->images[i], pixel_count, grid->colormap, &image_lo, &image_hi);

        if (draw_image(cr, grid, grid->images[i], image_lo, image_hi, x, y, cell) < 0) {
            render_canvas_discard(&canvas);
            return render_fail(err, "out of memory for a %dx%d image", grid->rows, grid->cols);
        }

        if (grid->captions && grid->captions[i]) {
            char text[128];
            render_font(cr, caption_font, 0);
            render_text_fit(cr, grid->captions[i], caption_width, text, sizeof text);
            render_set_color(cr, RENDER_COLOR_TEXT);
            render_text(cr, text, x + cell / 2, y + cell + 3, 0.5, 0);
        }
    }

    if (grid->colorbar)
        render_colorbar(cr, grid->colormap, lo, hi, left + grid_width, top, bar_height);

    return render_canvas_finish(&canvas, out, err);
}
