/* logo.c: the kernelspec logo, drawn with cairo when the kernelspec is installed.
 *
 * It shows a small network: three layers of nodes (3, 4 and 2), every node joined to
 * every node of the next layer, on a rounded dark-blue square.
 */
#include <cairo.h>
#include <math.h>
#include <stdio.h>

#include "install.h"

static void rounded_square(cairo_t *cr, double size, double radius)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, size - radius, radius, radius, -M_PI / 2, 0);
    cairo_arc(cr, size - radius, size - radius, radius, 0, M_PI / 2);
    cairo_arc(cr, radius, size - radius, radius, M_PI / 2, M_PI);
    cairo_arc(cr, radius, radius, radius, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

/* Node centre of node `index` of a layer with `count` nodes at horizontal position x,
 * in a unit square. */
static void node_position(int layer, int index, int count, double *x, double *y)
{
    static const double columns[] = {0.22, 0.5, 0.78};

    *x = columns[layer];
    *y = 0.5 + ((double)index - (count - 1) / 2.0) * 0.2;
}

int jk_logo_write(const char *path, int size, char *err, size_t err_size)
{
    static const int layer_sizes[] = {3, 4, 2};
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size, size);
    cairo_t *cr = cairo_create(surface);
    cairo_status_t status;

    cairo_scale(cr, size, size);
    rounded_square(cr, 1.0, 0.18);
    cairo_set_source_rgb(cr, 0.11, 0.20, 0.36);
    cairo_fill(cr);

    cairo_set_line_width(cr, size >= 64 ? 0.025 : 0.035);
    cairo_set_source_rgba(cr, 0.62, 0.78, 0.95, 0.85);
    for (int layer = 0; layer < 2; layer++) {
        for (int i = 0; i < layer_sizes[layer]; i++) {
            for (int j = 0; j < layer_sizes[layer + 1]; j++) {
                double x0, y0, x1, y1;
                node_position(layer, i, layer_sizes[layer], &x0, &y0);
                node_position(layer + 1, j, layer_sizes[layer + 1], &x1, &y1);
                cairo_move_to(cr, x0, y0);
                cairo_line_to(cr, x1, y1);
            }
        }
    }
    cairo_stroke(cr);

    for (int layer = 0; layer < 3; layer++) {
        for (int i = 0; i < layer_sizes[layer]; i++) {
            double x, y;
            node_position(layer, i, layer_sizes[layer], &x, &y);
            cairo_arc(cr, x, y, 0.075, 0, 2 * M_PI);
            if (layer == 2)
                cairo_set_source_rgb(cr, 1.0, 0.70, 0.25);
            else
                cairo_set_source_rgb(cr, 0.95, 0.97, 1.0);
            cairo_fill(cr);
        }
    }

    cairo_destroy(cr);
    status = cairo_surface_write_to_png(surface, path);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        snprintf(err, err_size, "cannot write %s: %s", path, cairo_status_to_string(status));
        return -1;
    }
    return 0;
}
