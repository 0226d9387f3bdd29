/* stack.c: several PNG pictures combined into one, top to bottom. */
#include <stdlib.h>
#include <string.h>

#include "draw.h"

typedef struct {
    const unsigned char *data;
    size_t size, offset;
} png_reader;

static cairo_status_t read_png_bytes(void *closure, unsigned char *bytes, unsigned int length)
{
    png_reader *reader = closure;

    if (reader->size - reader->offset < length)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(bytes, reader->data + reader->offset, length);
    reader->offset += length;
    return CAIRO_STATUS_SUCCESS;
}

int render_png_stack(const render_png *parts, size_t n, render_png *out, render_error *err)
{
    cairo_surface_t **images = NULL;
    render_canvas canvas = {0};
    int width = 0, height = 0, result = -1;

    if (!parts || n == 0)
        return render_fail(err, "no pictures to stack: pass at least one PNG");
    images = calloc(n, sizeof *images);
    if (!images)
        return render_fail(err, "out of memory stacking %zu pictures", n);

    for (size_t i = 0; i < n; i++) {
        png_reader reader = {parts[i].data, parts[i].size, 0};
        images[i] = cairo_image_surface_create_from_png_stream(read_png_bytes, &reader);
        cairo_status_t status = cairo_surface_status(images[i]);
        if (status != CAIRO_STATUS_SUCCESS) {
            render_fail(err, "picture %zu of %zu is not a valid PNG: %s", i, n,
                        cairo_status_to_string(status));
            goto out;
        }
        int part_width = cairo_image_surface_get_width(images[i]);
        width = part_width > width ? part_width : width;
        height += cairo_image_surface_get_height(images[i]);
    }

    if (render_canvas_open(&canvas, width, height, err) < 0)
        goto out;

    double y = 0;
    for (size_t i = 0; i < n; i++) {
        cairo_set_source_surface(canvas.cr, images[i], 0, y);
        cairo_paint(canvas.cr);
        y += cairo_image_surface_get_height(images[i]);
    }
    result = render_canvas_finish(&canvas, out, err);

out:
    for (size_t i = 0; i < n; i++)
        if (images[i])
            cairo_surface_destroy(images[i]);
    free(images);
    return result;
}
