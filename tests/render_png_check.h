/* render_png_check.h: reading render/'s PNG output back in the render tests. */
#ifndef RENDER_PNG_CHECK_H
#define RENDER_PNG_CHECK_H

#include <cairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

typedef struct {
    const unsigned char *data;
    size_t size, offset;
} png_check_reader;

static cairo_status_t png_check_read(void *closure, unsigned char *bytes, unsigned int length)
{
    png_check_reader *reader = closure;

    if (reader->size - reader->offset < length)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(bytes, reader->data + reader->offset, length);
    reader->offset += length;
    return CAIRO_STATUS_SUCCESS;
}

/* Returns 1 when png starts with the PNG signature and an IHDR chunk whose width and
 * height equal png->width and png->height. */
static inline int png_check_header(const render_png *png)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    if (!png->data || png->size < 33 || memcmp(png->data, signature, 8) != 0)
        return 0;
    if (memcmp(png->data + 12, "IHDR", 4) != 0)
        return 0;
    const unsigned char *p = png->data + 16;
    long width = (long)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
    long height = (long)p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7];
    return width == png->width && height == png->height;
}

/* Decodes png with cairo into an ARGB32 or RGB24 surface; the caller destroys it. */
static inline cairo_surface_t *png_check_decode(const render_png *png)
{
    png_check_reader reader = {png->data, png->size, 0};
    return cairo_image_surface_create_from_png_stream(png_check_read, &reader);
}

/* Reads the pixel at (x, y) of a decoded surface as 8-bit red, green and blue. */
static inline void png_check_pixel(cairo_surface_t *surface, int x, int y, int rgb[3])
{
    cairo_surface_flush(surface);
    const unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    uint32_t pixel = *(const uint32_t *)(const void *)(data + (size_t)y * stride + (size_t)x * 4);
    rgb[0] = (int)(pixel >> 16 & 0xff);
    rgb[1] = (int)(pixel >> 8 & 0xff);
    rgb[2] = (int)(pixel & 0xff);
}

/* Counts the pixels whose colour is within tolerance (per 8-bit component) of rgb. */
static inline long png_check_count_color(const render_png *png, int r, int g, int b, int tolerance)
{
    cairo_surface_t *surface = png_check_decode(png);
    long count = 0;
    int rgb[3];

    if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS) {
        int width = cairo_image_surface_get_width(surface);
        int height = cairo_image_surface_get_height(surface);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                png_check_pixel(surface, x, y, rgb);
                if (abs(rgb[0] - r) <= tolerance && abs(rgb[1] - g) <= tolerance &&
                    abs(rgb[2] - b) <= tolerance)
                    count++;
            }
    }
    cairo_surface_destroy(surface);
    return count;
}

/* Counts the pixels that are not pure white. */
static inline long png_check_count_non_white(const render_png *png)
{
    cairo_surface_t *surface = png_check_decode(png);
    long count = -1;
    int rgb[3];

    if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS) {
        int width = cairo_image_surface_get_width(surface);
        int height = cairo_image_surface_get_height(surface);
        count = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                png_check_pixel(surface, x, y, rgb);
                if (rgb[0] != 255 || rgb[1] != 255 || rgb[2] != 255)
                    count++;
            }
    }
    cairo_surface_destroy(surface);
    return count;
}

#endif /* RENDER_PNG_CHECK_H */
