/* png.c: the cairo canvas every chart draws on, and PNG encoding into memory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"

int render_fail(render_error *err, const char *fmt, ...)
{
    if (err) {
        va_list args;
        va_start(args, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, args);
        va_end(args);
    }
    return -1;
}

void render_png_free(render_png *png)
{
    if (!png)
        return;
    free(png->data);
    memset(png, 0, sizeof *png);
}

/*** encoding ***/

typedef struct {
    unsigned char *data;
    size_t size, capacity;
} png_buffer;

static cairo_status_t append_png_bytes(void *closure, const unsigned char *bytes,
                                       unsigned int length)
{
    png_buffer *buffer = closure;

    if (buffer->size + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity * 2 : 16384;
        while (capacity < buffer->size + length)
            capacity *= 2;
        unsigned char *grown = realloc(buffer->data, capacity);
        if (!grown)
            return CAIRO_STATUS_NO_MEMORY;
        buffer->data = grown;
        buffer->capacity = capacity;
    }

    memcpy(buffer->data + buffer->size, bytes, length);
    buffer->size += length;
    return CAIRO_STATUS_SUCCESS;
}

int render_surface_to_png(cairo_surface_t *surface, render_png *out, render_error *err)
{
    png_buffer buffer = {0};

    cairo_surface_flush(surface);
    cairo_status_t status = cairo_surface_write_to_png_stream(surface, append_png_bytes, &buffer);
    if (status != CAIRO_STATUS_SUCCESS) {
        free(buffer.data);
        return render_fail(err, "PNG encoding failed: %s", cairo_status_to_string(status));
    }

    out->data = buffer.data;
    out->size = buffer.size;
    out->width = cairo_image_surface_get_width(surface);
    out->height = cairo_image_surface_get_height(surface);
    return 0;
}

/*** canvas ***/

/* Pictures larger than this are a caller bug (a swapped argument or an unset size), and
 * would cost hundreds of megabytes. */
#define MAX_SIDE 8192

int render_canvas_open(render_canvas *canvas, int width, int height, render_error *err)
{
    memset(canvas, 0, sizeof *canvas);
    if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE)
        return render_fail(err, "invalid picture size %dx%d: each side must be 1 to %d pixels",
                           width, height, MAX_SIDE);

    canvas->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    canvas->cr = cairo_create(canvas->surface);
    if (cairo_status(canvas->cr) != CAIRO_STATUS_SUCCESS) {
        int result = render_fail(err, "cannot create a %dx%d picture: %s", width, height,
                                 cairo_status_to_string(cairo_status(canvas->cr)));
        render_canvas_discard(canvas);
        return result;
    }
    canvas->width = width;
    canvas->height = height;

    cairo_set_source_rgb(canvas->cr, 1, 1, 1);
    cairo_paint(canvas->cr);
    cairo_set_antialias(canvas->cr, CAIRO_ANTIALIAS_GRAY);
    render_font(canvas->cr, RENDER_FONT_LABEL, 0);
    return 0;
}

int render_canvas_finish(render_canvas *canvas, render_png *out, render_error *err)
{
    int result;

    if (cairo_status(canvas->cr) != CAIRO_STATUS_SUCCESS)
        result = render_fail(err, "drawing failed: %s",
                             cairo_status_to_string(cairo_status(canvas->cr)));
    else
        result = render_surface_to_png(canvas->surface, out, err);

    render_canvas_discard(canvas);
    return result;
}

void render_canvas_discard(render_canvas *canvas)
{
    if (canvas->cr)
        cairo_destroy(canvas->cr);
    if (canvas->surface)
        cairo_surface_destroy(canvas->surface);
    canvas->cr = NULL;
    canvas->surface = NULL;
}
