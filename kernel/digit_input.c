/* digit_input.c: sample= and file= inputs, with MNIST-style preprocessing of PNG files. */
#include "digit_input.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "session.h"

/* MNIST's digits were "size normalized to fit in a 20x20 pixel box while preserving their
 * aspect ratio" and centred in 28x28 by their centre of mass (yann.lecun.com/exdb/mnist). */
#define DIGIT_BOX 20
/* Ink below this fraction of the strongest ink is background noise (anti-aliasing fringes
 * and compression artefacts) and does not count when cropping. */
#define INK_THRESHOLD 0.2

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Returns the median of n > 0 values, sorting them in place. */
static double median(double *values, size_t n)
{
    qsort(values, n, sizeof *values, compare_double);
    return values[n / 2];
}

/* Reads pixel (x, y) of a cairo image surface as straight (not premultiplied) RGB and
 * alpha in [0,1]. */
static void read_pixel(const unsigned char *data, int stride, cairo_format_t format, int x, int y,
                       double rgb[3], double *alpha)
{
    rgb[0] = rgb[1] = rgb[2] = 0;
    *alpha = 1;
    if (format == CAIRO_FORMAT_A8) {
        *alpha = data[(size_t)y * stride + x] / 255.0;
        return;
    }

    uint32_t p = *(const uint32_t *)(data + (size_t)y * stride + (size_t)x * 4);

    if (format == CAIRO_FORMAT_ARGB32)
        *alpha = ((p >> 24) & 255) / 255.0;
    rgb[0] = ((p >> 16) & 255) / 255.0;
    rgb[1] = ((p >> 8) & 255) / 255.0;
    rgb[2] = (p & 255) / 255.0;
    /* cairo stores premultiplied alpha. */
    if (*alpha > 0 && *alpha < 1)
        for (int c = 0; c < 3; c++)
            rgb[c] /= *alpha;
}

/* Computes each pixel's ink strength in [0,1] from a cairo image surface. When at least
 * 5% of the pixels are transparent, the alpha channel is the ink. Otherwise the ink is the
 * colour distance from the background colour (the median of the border pixels), so dark
 * on light, light on dark, grey and colour pictures all work. The pixels are read twice
 * rather than copied, so a large picture costs one float per pixel beyond cairo's own. */
static int ink_from_surface(cairo_surface_t *surface, int width, int height, float *ink)
{
    const unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    cairo_format_t format = cairo_image_surface_get_format(surface);
    size_t n = (size_t)width * height, transparent = 0, n_border = 0;
    size_t border_capacity = 2 * ((size_t)width + (size_t)height);
    double *border[3] = {NULL, NULL, NULL}, background[3], rgb[3], alpha, peak = 0;
    int rc = -1;

    if (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24 &&
        format != CAIRO_FORMAT_A8)
        return -1;
    for (int c = 0; c < 3; c++)
        if (!(border[c] = malloc(border_capacity * sizeof *border[c])))
            goto out;

    /* First pass: count transparent pixels and collect the border colours. */
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            read_pixel(data, stride, format, x, y, rgb, &alpha);
            transparent += alpha < 0.5;
            if (y != 0 && y != height - 1 && x != 0 && x != width - 1)
                continue;
            for (int c = 0; c < 3; c++)
                border[c][n_border] = rgb[c];
            n_border++;
        }
    for (int c = 0; c < 3; c++)
        background[c] = median(border[c], n_border);

    /* Second pass: the ink of every pixel, then scaled so the strongest ink is 1. */
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            size_t i = (size_t)y * width + x;
            double d2 = 0;

            read_pixel(data, stride, format, x, y, rgb, &alpha);
            if (transparent * 20 >= n) {
                ink[i] = (float)alpha;
            } else {
                for (int c = 0; c < 3; c++)
                    d2 += (rgb[c] - background[c]) * (rgb[c] - background[c]);
                ink[i] = (float)sqrt(d2 / 3);
            }
            if (ink[i] > peak)
                peak = ink[i];
        }
    for (size_t i = 0; peak > 0 && i < n; i++)
        ink[i] = (float)(ink[i] / peak);
    rc = 0;

out:
    for (int c = 0; c < 3; c++)
        free(border[c]);
    return rc;
}

/* Averages the source rectangle [x0,x1) x [y0,y1) (fractional pixel bounds) of ink. */
static double area_average(const float *ink, int width, double x0, double x1, double y0,
                           double y1)
{
    double sum = 0, area = 0;

    for (int y = (int)floor(y0); y < (int)ceil(y1); y++) {
        double wy = fmin(y + 1, y1) - fmax(y, y0);

        if (wy <= 0)
            continue;
        for (int x = (int)floor(x0); x < (int)ceil(x1); x++) {
            double wx = fmin(x + 1, x1) - fmax(x, x0);

            if (wx <= 0)
                continue;
            sum += ink[(size_t)y * width + x] * wx * wy;
            area += wx * wy;
        }
    }
    return area > 0 ? sum / area : 0;
}

/* Opens path and checks the 8-byte PNG signature before cairo reads it. cairo 1.16 reports
 * a file of another format as "out of memory" or "read error", which misleads a student.
 * Returns 0, or -1 with message set. */
static int check_png_file(const char *path, char *message, size_t message_size)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8];
    struct stat info;
    FILE *file;
    size_t got;

    if (stat(path, &info) != 0) {
        snprintf(message, message_size, "cannot open '%s': %s; check the path (relative paths "
                 "start in the kernel's working directory)", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(info.st_mode)) {
        snprintf(message, message_size, "'%s' is a directory; give the path of a .png file",
                 path);
        return -1;
    }
    if (!(file = fopen(path, "rb"))) {
        snprintf(message, message_size, "cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    got = fread(head, 1, sizeof head, file);
    if (got < sizeof head && ferror(file)) {
        snprintf(message, message_size, "cannot read '%s': %s", path, strerror(errno));
        fclose(file);
        return -1;
    }
    fclose(file);
    if (got < sizeof head || memcmp(head, signature, sizeof signature) != 0) {
        snprintf(message, message_size, "'%s' is not a PNG file (it does not start with the "
                 "PNG signature); give a .png image, e.g. one saved from a drawing program",
                 path);
        return -1;
    }
    return 0;
}

int jk_digit_from_png(const char *path, float pixels[NN_IMAGE_PIXELS], int size_out[2],
                      char *message, size_t message_size)
{
    cairo_surface_t *surface;
    float *ink = NULL;
    double patch[DIGIT_BOX * DIGIT_BOX], peak = 0, mass = 0, cx = 0, cy = 0;
    int width, height, left, right, top, bottom, box_w, box_h, offset_x, offset_y;
    int rc = -1;

    if (check_png_file(path, message, message_size) != 0)
        return -1;
    surface = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        snprintf(message, message_size, "cannot decode the PNG file '%s' (cairo: %s); the file "
                 "may be truncated or damaged", path,
                 cairo_status_to_string(cairo_surface_status(surface)));
        goto out;
    }
    cairo_surface_flush(surface);
    width = cairo_image_surface_get_width(surface);
    height = cairo_image_surface_get_height(surface);
    size_out[0] = width;
    size_out[1] = height;
    ink = malloc((size_t)width * height * sizeof *ink);
    if (!ink || ink_from_surface(surface, width, height, ink) != 0) {
        snprintf(message, message_size, "cannot convert the pixels of '%s' (%dx%d)", path,
                 width, height);
        goto out;
    }

    /* Crop to the bounding box of the ink. */
    left = width;
    top = height;
    right = bottom = -1;
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            if (ink[(size_t)y * width + x] >= INK_THRESHOLD) {
                if (x < left) left = x;
                if (x > right) right = x;
                if (y < top) top = y;
                if (y > bottom) bottom = y;
            }
    if (right < 0) {
        snprintf(message, message_size, "'%s' (%dx%d) shows no digit: every pixel has the "
                 "background colour; draw the digit in a colour that differs from the "
                 "background", path, width, height);
        goto out;
    }

    /* Scale the crop so that its longer side is DIGIT_BOX pixels, keeping the aspect.
     * NOTE: area averaging keeps a stroke's ink but not its width, so a thin pen on a very
     * large picture becomes a faint line; strokes are not thickened to MNIST's width. */
    int crop_w = right - left + 1, crop_h = bottom - top + 1;
    double scale = (double)DIGIT_BOX / (crop_w > crop_h ? crop_w : crop_h);

    box_w = (int)lround(crop_w * scale);
    box_h = (int)lround(crop_h * scale);
    if (box_w < 1) box_w = 1;
    if (box_h < 1) box_h = 1;
    for (int y = 0; y < box_h; y++)
        for (int x = 0; x < box_w; x++) {
            double v = area_average(ink, width, left + x * (double)crop_w / box_w,
                                    left + (x + 1) * (double)crop_w / box_w,
                                    top + y * (double)crop_h / box_h,
                                    top + (y + 1) * (double)crop_h / box_h);

            patch[y * DIGIT_BOX + x] = v;
            if (v > peak)
                peak = v;
        }

    /* Strong ink reads as 1, as in MNIST; then find the centre of mass. */
    for (int y = 0; y < box_h; y++)
        for (int x = 0; x < box_w; x++) {
            double v = patch[y * DIGIT_BOX + x] / peak;

            patch[y * DIGIT_BOX + x] = v;
            mass += v;
            cx += v * (x + 0.5);
            cy += v * (y + 0.5);
        }
    cx /= mass;
    cy /= mass;

    /* Shift so that the centre of mass lands on the centre of the 28x28 image. */
    offset_x = (int)lround(NN_IMAGE_SIDE / 2.0 - cx);
    offset_y = (int)lround(NN_IMAGE_SIDE / 2.0 - cy);
    memset(pixels, 0, NN_IMAGE_PIXELS * sizeof *pixels);
    for (int y = 0; y < box_h; y++)
        for (int x = 0; x < box_w; x++) {
            int tx = x + offset_x, ty = y + offset_y;

            if (tx >= 0 && tx < NN_IMAGE_SIDE && ty >= 0 && ty < NN_IMAGE_SIDE)
                pixels[ty * NN_IMAGE_SIDE + tx] = (float)patch[y * DIGIT_BOX + x];
        }
    rc = 0;

out:
    free(ink);
    cairo_surface_destroy(surface);
    return rc;
}

int jk_digit_input_read(jk_exec *ex, const jk_command *cmd, const nn_dataset *ds,
                        jk_digit_input *out)
{
    const char *path = NULL;
    long sample = -1;
    int has_sample, has_file;

    memset(out, 0, sizeof *out);
    out->label = -1;
    out->sample = -1;
    if ((has_sample = jk_option_int(ex, cmd, "sample", 0, ds->n_test ? (long)ds->n_test - 1 : 0,
                                    &sample)) < 0)
        return -1;
    if ((has_file = jk_option_string(ex, cmd, "file", &path)) < 0)
        return -1;
    if (has_sample && has_file)
        return jk_fail(ex, JK_OPTION_ERROR, jk_option_token(cmd, "file"),
                       "give either sample=N or file=PNG, not both");

    if (has_file) {
        char message[1024];
        int size[2] = {0, 0};

        if (jk_digit_from_png(path, out->pixels, size, message, sizeof message) != 0)
            return jk_fail(ex, JK_DATA_ERROR, jk_option_token(cmd, "file"), "%s", message);
        snprintf(out->description, sizeof out->description, "file %s (%dx%d)", path, size[0],
                 size[1]);
        return 0;
    }

    /* Without options the first test image is used, so `predict` alone shows something. */
    if (!has_sample)
        sample = 0;
    out->sample = sample;
    out->label = ds->test_labels[sample];
    for (int p = 0; p < NN_IMAGE_PIXELS; p++)
        out->pixels[p] = ds->test_images[(size_t)sample * NN_IMAGE_PIXELS + p] / 255.0f;
    snprintf(out->description, sizeof out->description, "test image %ld (label %s)", sample,
             ds->class_names[out->label]);
    return 0;
}

int jk_digit_input_png(const float pixels[NN_IMAGE_PIXELS], const char *title, int cell,
                       int max_width, render_png *out, render_error *err)
{
    const float *views[1] = {pixels};
    render_image_grid grid;

    memset(&grid, 0, sizeof grid);
    grid.title = title;
    grid.images = views;
    grid.n = 1;
    grid.rows = grid.cols = NN_IMAGE_SIDE;
    grid.grid_columns = 1;
    grid.colormap = RENDER_CMAP_GREY_INK;
    grid.lo = 0;
    grid.hi = 1;
    grid.cell_size = cell;
    grid.max_width = max_width;
    return render_image_grid_png(&grid, out, err);
}
