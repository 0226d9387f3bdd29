/* test_render_charts.c: every PNG-drawing function, read back with cairo. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "render/render.h"
#include "render_lsan.h"
#include "render_png_check.h"

/* Palette blue and orange, as 8-bit sRGB (training and validation, bars and accent). */
#define BLUE 31, 119, 180
#define ORANGE 255, 127, 14

static const char *const digit_labels[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

/*** line charts ***/

static int draw_training_charts(size_t n, render_png *png, render_error *err)
{
    double *x = malloc(n * sizeof *x), *loss = malloc(n * sizeof *loss);
    double *accuracy = malloc(n * sizeof *accuracy);
    double epoch_x[] = {(double)n / 2, (double)n};
    double val_loss[] = {0.6, 0.4}, val_accuracy[] = {0.8, 0.9};

    for (size_t i = 0; i < n; i++) {
        x[i] = (double)i;
        loss[i] = 2.3 * exp(-(double)i / (n + 1.0) * 4) + 0.05 * sin((double)i);
        accuracy[i] = 1 - 0.9 * exp(-(double)i / (n + 1.0) * 5);
    }
    if (n > 10)
        loss[n / 2] = NAN;

    render_series loss_series[] = {{"training", x, loss, n, 0}, {"validation", epoch_x, val_loss, 2, 1}};
    render_series accuracy_series[] = {{"training", x, accuracy, n, 0},
                                       {"validation", epoch_x, val_accuracy, 2, 1}};
    render_line_chart charts[] = {
        {"Loss", "batch", "loss", loss_series, 2, NAN, NAN},
        {"Accuracy", "batch", "accuracy", accuracy_series, 2, 0, 1},
    };
    int status = render_line_charts(charts, 2, 900, 340, png, err);
    free(x);
    free(loss);
    free(accuracy);
    return status;
}

static void test_line_charts_two_panels(void)
{
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(draw_training_charts(500, &png, &err), 0);
    CHECK(png_check_header(&png));
    CHECK_INT_EQ(png.width, 900);
    CHECK_INT_EQ(png.height, 340);
    CHECK(png_check_count_non_white(&png) > 5000);
    CHECK(png_check_count_color(&png, BLUE, 20) > 200);
    CHECK(png_check_count_color(&png, ORANGE, 20) > 100);
    render_png_free(&png);
}

static void test_line_charts_ten_thousand_points(void)
{
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(draw_training_charts(10000, &png, &err), 0);
    CHECK(png_check_header(&png));
    CHECK(png_check_count_color(&png, BLUE, 20) > 1000);
    render_png_free(&png);
}

static void test_line_charts_one_point(void)
{
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(draw_training_charts(1, &png, &err), 0);
    CHECK(png_check_header(&png));
    /* A lone point has no line, so it is drawn as a dot. */
    CHECK(png_check_count_color(&png, BLUE, 20) > 10);
    render_png_free(&png);
}

static void test_line_charts_empty_series(void)
{
    render_series series = {"training", NULL, NULL, 0, 0};
    render_line_chart chart = {"Loss", "batch", "loss", &series, 1, NAN, NAN};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_line_charts(&chart, 1, 0, 0, &png, &err), 0);
    CHECK_INT_EQ(png.width, RENDER_DEFAULT_WIDTH);
    CHECK_INT_EQ(png.height, RENDER_DEFAULT_HEIGHT);
    render_png_free(&png);
}

static void test_line_charts_all_nan(void)
{
    double x[] = {0, 1, 2}, y[] = {NAN, NAN, NAN};
    render_series series = {"training", x, y, 3, 0};
    render_line_chart chart = {"Loss", "batch", "loss", &series, 1, NAN, NAN};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_line_charts(&chart, 1, 400, 300, &png, &err), 0);
    CHECK(png_check_header(&png));
    render_png_free(&png);
}

static void test_line_charts_rejects_bad_input(void)
{
    render_series series = {"training", NULL, NULL, 5, 0};
    render_line_chart chart = {"Loss", "batch", "loss", &series, 1, NAN, NAN};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_line_charts(&chart, 1, 0, 0, &png, &err), -1);
    CHECK(strstr(err.message, "no x or y") != NULL);
    CHECK_INT_EQ(render_line_charts(NULL, 0, 0, 0, &png, &err), -1);
    CHECK_INT_EQ(render_line_charts(&chart, 0, 0, 0, &png, &err), -1);
    CHECK(png.data == NULL);
}

/*** bar charts ***/

static void test_bar_chart_highlight_accent(void)
{
    double values[] = {0.01, 0.02, 0.01, 0.05, 0.01, 0.02, 0.01, 0.83, 0.02, 0.02};
    render_bar_chart chart = {"Prediction: 7", "class", "probability", digit_labels, values, 10,
                              7, 0, 1, 1};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_bar_chart_png(&chart, 600, 320, &png, &err), 0);
    CHECK(png_check_header(&png));
    CHECK_INT_EQ(png.width, 600);
    CHECK_INT_EQ(png.height, 320);
    long accent = png_check_count_color(&png, ORANGE, 2);
    long blue = png_check_count_color(&png, BLUE, 2);
    CHECK(accent > 3000); /* the tall highlighted bar */
    CHECK(blue > 50);
    CHECK(accent > blue);
    render_png_free(&png);

    /* Without a highlight no bar is orange. */
    chart.highlight = -1;
    CHECK_INT_EQ(render_bar_chart_png(&chart, 600, 320, &png, &err), 0);
    CHECK_INT_EQ(png_check_count_color(&png, ORANGE, 2), 0);
    render_png_free(&png);
}

static void test_bar_chart_counts(void)
{
    double values[] = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    render_bar_chart chart = {"Images per class", "digit", "images", digit_labels, values, 10,
                              -1, NAN, NAN, 1};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_bar_chart_png(&chart, 0, 0, &png, &err), 0);
    CHECK(png_check_header(&png));
    CHECK(png_check_count_color(&png, BLUE, 2) > 20000);
    render_png_free(&png);
}

static void test_bar_chart_rejects_bad_highlight(void)
{
    double values[] = {1, 2};
    render_bar_chart chart = {NULL, NULL, NULL, NULL, values, 2, 2, NAN, NAN, 0};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_bar_chart_png(&chart, 0, 0, &png, &err), -1);
    CHECK(strstr(err.message, "highlight index 2") != NULL);

    chart.n = 0;
    CHECK_INT_EQ(render_bar_chart_png(&chart, 0, 0, &png, &err), -1);
}

/*** image grids ***/

static void test_image_grid_samples(void)
{
    static float digits[10][784];
    const float *images[10];

    for (int i = 0; i < 10; i++) {
        for (int p = 0; p < 784; p++)
            digits[i][p] = (p / 28 > 5 && p / 28 < 22 && p % 28 == 10 + i) ? 1.0f : 0.0f;
        images[i] = digits[i];
    }
    render_image_grid grid = {"Samples", images, 10, 28, 28, 0, digit_labels,
                              RENDER_CMAP_GREY_INK, 0, 1, 0, 0, 0};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_image_grid_png(&grid, &png, &err), 0);
    CHECK(png_check_header(&png));
    CHECK(png.width <= RENDER_DEFAULT_WIDTH);
    CHECK(png.width >= 600);
    CHECK(png.height > 60);
    CHECK(png.height < 300);
    CHECK(png_check_count_color(&png, 0, 0, 0, 0) > 10 * 16 * 2); /* the black strokes */
    render_png_free(&png);
}

/* A 2x2 checkerboard scaled to 100 px cells keeps exact colours: nearest-neighbour
 * sampling makes four flat squares with no blended pixels between them. */
static void test_image_grid_nearest_neighbour(void)
{
    const float checker[] = {0, 1, 1, 0};
    const float *images[] = {checker};
    render_image_grid grid = {NULL, images, 1, 2, 2, 1, NULL, RENDER_CMAP_GREY, 0, 1, 0, 100, 0};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_image_grid_png(&grid, &png, &err), 0);
    CHECK(png_check_header(&png));
    long black = png_check_count_color(&png, 0, 0, 0, 0);
    CHECK_INT_EQ(black, 2 * 50 * 50);
    long grey = png_check_count_color(&png, 128, 128, 128, 100);
    CHECK(grey < 500); /* only the frame, never blended pixels inside the image */
    render_png_free(&png);
}

/* Captions a little too wide for their cell shrink instead of being cut: cut at the same
 * font size, "Ankle boot" and "Ankle boo" would both end as the same prefix and an
 * ellipsis, and the two pictures would be identical. */
static void test_image_grid_shrinks_long_captions(void)
{
    static const float blank[28 * 28];
    const float *images[] = {blank};
    const char *const boot[] = {"Ankle boot"}, *const boo[] = {"Ankle boo"};
    render_image_grid grid = {NULL, images, 1, 28, 28, 1, boot, RENDER_CMAP_GREY_INK, 0, 1, 0,
                              48, 0};
    render_png with_boot = {0}, with_boo = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_image_grid_png(&grid, &with_boot, &err), 0);
    grid.captions = boo;
    CHECK_INT_EQ(render_image_grid_png(&grid, &with_boo, &err), 0);
    CHECK(png_check_count_non_white(&with_boot) > 0);
    CHECK(with_boot.size != with_boo.size ||
          memcmp(with_boot.data, with_boo.data, with_boot.size) != 0);
    render_png_free(&with_boot);
    render_png_free(&with_boo);
}

static void test_image_grid_diverging_colorbar(void)
{
    static float weights[4][784];
    const float *images[4];

    for (int u = 0; u < 4; u++) {
        for (int p = 0; p < 784; p++)
            weights[u][p] = ((float)(p % 28) - 13.5f) * (u % 2 ? 0.01f : -0.02f);
        images[u] = weights[u];
    }
    render_image_grid grid = {"dense_Dense1/kernel", images, 4, 28, 28, 0, NULL,
                              RENDER_CMAP_DIVERGING, 0, 0, 1, 0, 0};
    render_png png = {0}, without_bar = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_image_grid_png(&grid, &png, &err), 0);
    CHECK(png_check_header(&png));
    /* The shared range is +-0.27, reached by both ends of the even images, so their
     * extreme columns take the darkest colours of the map: #053061 and #67001f. */
    CHECK(png_check_count_color(&png, 0x05, 0x30, 0x61, 6) > 10);
    CHECK(png_check_count_color(&png, 0x67, 0x00, 0x1f, 6) > 10);

    grid.colorbar = 0;
    CHECK_INT_EQ(render_image_grid_png(&grid, &without_bar, &err), 0);
    CHECK(without_bar.width < png.width);
    render_png_free(&png);
    render_png_free(&without_bar);
}

static void test_image_grid_fits_max_width(void)
{
    static float digits[10][784];
    const float *images[10];

    for (int i = 0; i < 10; i++)
        images[i] = digits[i];
    render_image_grid grid = {NULL, images, 10, 28, 28, 10, NULL, RENDER_CMAP_GREY_INK, 0, 1, 0,
                              200, 620};
    render_png png = {0};
    render_error err = {{0}};

    /* A requested cell of 200 px shrinks so ten images fit in 620 px. */
    CHECK_INT_EQ(render_image_grid_png(&grid, &png, &err), 0);
    CHECK(png.width <= 620);
    CHECK(png.width >= 560);
    render_png_free(&png);

    /* Without a limit the default width applies. */
    grid.max_width = 0;
    CHECK_INT_EQ(render_image_grid_png(&grid, &png, &err), 0);
    CHECK(png.width <= RENDER_DEFAULT_WIDTH);
    render_png_free(&png);
}

static void test_image_grid_rejects_bad_input(void)
{
    const float pixel[] = {0};
    const float *images[] = {NULL};
    render_image_grid grid = {NULL, images, 1, 1, 1, 0, NULL, RENDER_CMAP_GREY, 0, 0, 0, 0, 0};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_image_grid_png(&grid, &png, &err), -1);
    CHECK(strstr(err.message, "image 0") != NULL);

    images[0] = pixel;
    grid.rows = 0;
    CHECK_INT_EQ(render_image_grid_png(&grid, &png, &err), -1);
    CHECK(strstr(err.message, "invalid image size") != NULL);
    CHECK(png.data == NULL);
}

/*** heatmaps ***/

/* Finds the bounding box of the pixels of one colour. */
static int find_color_box(cairo_surface_t *surface, int r, int g, int b, int box[4])
{
    int width = cairo_image_surface_get_width(surface), height = cairo_image_surface_get_height(surface);
    int rgb[3], found = 0;

    box[0] = width;
    box[1] = height;
    box[2] = box[3] = -1;
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            png_check_pixel(surface, x, y, rgb);
            if (abs(rgb[0] - r) <= 1 && abs(rgb[1] - g) <= 1 && abs(rgb[2] - b) <= 1) {
                box[0] = x < box[0] ? x : box[0];
                box[1] = y < box[1] ? y : box[1];
                box[2] = x > box[2] ? x : box[2];
                box[3] = y > box[3] ? y : box[3];
                found = 1;
            }
        }
    return found;
}

/* Counts pixels inside box whose components are all above 200 (light) or below 60 (dark). */
static long count_in_box(cairo_surface_t *surface, const int box[4], int light)
{
    int rgb[3];
    long count = 0;

    for (int y = box[1]; y <= box[3]; y++)
        for (int x = box[0]; x <= box[2]; x++) {
            png_check_pixel(surface, x, y, rgb);
            int is_light = rgb[0] > 200 && rgb[1] > 200 && rgb[2] > 200;
            int is_dark = rgb[0] < 60 && rgb[1] < 60 && rgb[2] < 60;
            count += light ? is_light : is_dark;
        }
    return count;
}

static void test_heatmap_cell_colors_and_text(void)
{
    /* One dark cell (the minimum, viridis #440154) and one bright cell (the maximum,
     * viridis #fde725): annotations must be white on the first and dark on the second. */
    double values[] = {0, 1000};
    render_heatmap map = {NULL, NULL, NULL, values, 1, 2, NULL, NULL, RENDER_CMAP_VIRIDIS, 1,
                          "%.0f", 0};
    render_png png = {0};
    render_error err = {{0}};
    int dark_box[4], bright_box[4];

    CHECK_INT_EQ(render_heatmap_png(&map, 300, 200, &png, &err), 0);
    CHECK(png_check_header(&png));
    cairo_surface_t *surface = png_check_decode(&png);
    CHECK(find_color_box(surface, 68, 1, 84, dark_box));
    CHECK(find_color_box(surface, 253, 231, 37, bright_box));
    CHECK(dark_box[2] - dark_box[0] > 40); /* a whole cell, not a stray pixel */
    CHECK(count_in_box(surface, dark_box, 1) > 10);
    CHECK(count_in_box(surface, bright_box, 0) > 10);
    cairo_surface_destroy(surface);
    render_png_free(&png);

    /* Without annotations the cells are flat. */
    map.annotate = 0;
    CHECK_INT_EQ(render_heatmap_png(&map, 300, 200, &png, &err), 0);
    surface = png_check_decode(&png);
    CHECK(find_color_box(surface, 68, 1, 84, dark_box));
    CHECK_INT_EQ(count_in_box(surface, dark_box, 1), 0);
    cairo_surface_destroy(surface);
    render_png_free(&png);
}

static void test_heatmap_confusion_matrix(void)
{
    double counts[100];

    for (int t = 0; t < 10; t++)
        for (int p = 0; p < 10; p++)
            counts[t * 10 + p] = t == p ? 980 : (t + p) % 7;
    render_heatmap map = {"Confusion matrix", "predicted label", "true label", counts, 10, 10,
                          digit_labels, digit_labels, RENDER_CMAP_VIRIDIS, 1, "%.0f", 1};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_heatmap_png(&map, 0, 0, &png, &err), 0);
    CHECK(png_check_header(&png));
    CHECK(png.width >= 400);
    CHECK(png_check_count_color(&png, 253, 231, 37, 2) > 10 * 30 * 30);
    render_png_free(&png);
}

static void test_heatmap_diverging_symmetric(void)
{
    /* With the range [-2, 2], the value 1 sits at t = 0.75, halfway between the stops
     * #f4a582 and #d6604d. Over [min, max] = [-2, 1] it would get the darkest red. */
    double values[] = {-2, 1};
    render_heatmap map = {NULL, NULL, NULL, values, 1, 2, NULL, NULL, RENDER_CMAP_DIVERGING, 0,
                          NULL, 0};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_heatmap_png(&map, 300, 200, &png, &err), 0);
    CHECK(png_check_count_color(&png, 229, 130, 103, 2) > 1000);
    CHECK_INT_EQ(png_check_count_color(&png, 0x67, 0x00, 0x1f, 2), 0);
    render_png_free(&png);
}

static void test_heatmap_tall_matrix(void)
{
    static double values[128 * 10];
    render_heatmap map = {"kernel", "unit", "input unit", values, 128, 10, NULL, NULL,
                          RENDER_CMAP_DIVERGING, 0, NULL, 1};
    render_png png = {0};
    render_error err = {{0}};

    for (int i = 0; i < 128 * 10; i++)
        values[i] = i % 2 ? 0.25 : -0.5;
    CHECK_INT_EQ(render_heatmap_png(&map, 620, 720, &png, &err), 0);
    CHECK(png_check_header(&png));
    CHECK_INT_EQ(png.width, 620);
    CHECK(png.height <= 720);

    /* Rectangular cells fill the width: half the 1280 cells take the colour of 0.25 in
     * [-0.5, 0.5] (t = 0.75, between #f4a582 and #d6604d) and together cover far more
     * than square 4-pixel cells would. */
    long red = png_check_count_color(&png, 229, 130, 103, 2);
    CHECK(red > 640 * 4 * 4 * 3);
    render_png_free(&png);
}

static void test_heatmap_rejects_bad_format(void)
{
    double values[] = {1};
    render_heatmap map = {NULL, NULL, NULL, values, 1, 1, NULL, NULL, RENDER_CMAP_VIRIDIS, 1,
                          "%s", 0};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_heatmap_png(&map, 0, 0, &png, &err), -1);
    CHECK(strstr(err.message, "invalid number format") != NULL);
    map.number_format = "%.1f and %.1f";
    CHECK_INT_EQ(render_heatmap_png(&map, 0, 0, &png, &err), -1);
    map.number_format = "%5.1f%%";
    CHECK_INT_EQ(render_heatmap_png(&map, 0, 0, &png, &err), 0);
    render_png_free(&png);
}

/*** unusual values ***/

static void test_nonfinite_values_draw(void)
{
    render_png png = {0};
    render_error err = {{0}};

    double x[] = {0, 1, 2, 3}, flat[] = {0.5, 0.5, 0.5, 0.5}, wild[] = {1, INFINITY, -1e300, 2};
    render_series series[] = {{"flat", x, flat, 4, 1}, {"wild", x, wild, 4, 0}};
    render_line_chart chart = {"edge", "x", "y", series, 2, NAN, NAN};
    CHECK_INT_EQ(render_line_charts(&chart, 1, 300, 200, &png, &err), 0);
    CHECK(png_check_header(&png));
    render_png_free(&png);

    double bars[] = {NAN, INFINITY, -2, 0};
    render_bar_chart bar = {"edge", NULL, NULL, NULL, bars, 4, 2, NAN, NAN, 1};
    CHECK_INT_EQ(render_bar_chart_png(&bar, 300, 200, &png, &err), 0);
    CHECK(png_check_header(&png));
    render_png_free(&png);

    double cells[] = {NAN, INFINITY, 1, 2};
    render_heatmap map = {"edge", NULL, NULL, cells, 2, 2, NULL, NULL, RENDER_CMAP_VIRIDIS, 1,
                          "%.1f", 1};
    CHECK_INT_EQ(render_heatmap_png(&map, 300, 300, &png, &err), 0);
    CHECK(png_check_header(&png));
    /* Non-finite cells are light grey (217, 217, 217). */
    CHECK(png_check_count_color(&png, 217, 217, 217, 1) > 100);
    render_png_free(&png);

    const float pixels[] = {NAN, INFINITY, -INFINITY, 0.5f};
    const float *images[] = {pixels};
    render_image_grid grid = {"edge", images, 1, 2, 2, 0, NULL, RENDER_CMAP_DIVERGING, 0, 0, 1,
                              40, 0};
    CHECK_INT_EQ(render_image_grid_png(&grid, &png, &err), 0);
    CHECK(png_check_header(&png));
    render_png_free(&png);
}

static void test_small_pictures_rejected(void)
{
    double values[] = {1, 2, 3};
    render_bar_chart bar = {"tiny", "x", "y", NULL, values, 3, -1, NAN, NAN, 0};
    render_heatmap map = {"tiny", "x", "y", values, 1, 3, NULL, NULL, RENDER_CMAP_VIRIDIS, 0,
                          NULL, 1};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_bar_chart_png(&bar, 40, 40, &png, &err), -1);
    CHECK(strstr(err.message, "too small") != NULL);
    CHECK_INT_EQ(render_heatmap_png(&map, 40, 40, &png, &err), -1);
    CHECK(strstr(err.message, "too small") != NULL);
    CHECK_INT_EQ(render_bar_chart_png(&bar, 100000, 300, &png, &err), -1);
    CHECK(strstr(err.message, "invalid picture size") != NULL);
    CHECK(png.data == NULL);
}

/*** stacking ***/

static void test_png_stack_sizes(void)
{
    double values[] = {1, 2, 3};
    render_bar_chart chart = {NULL, NULL, NULL, NULL, values, 3, 0, NAN, NAN, 0};
    render_png parts[2] = {{0}}, stacked = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_bar_chart_png(&chart, 300, 200, &parts[0], &err), 0);
    CHECK_INT_EQ(render_bar_chart_png(&chart, 200, 150, &parts[1], &err), 0);
    CHECK_INT_EQ(render_png_stack(parts, 2, &stacked, &err), 0);
    CHECK(png_check_header(&stacked));
    CHECK_INT_EQ(stacked.width, 300);
    CHECK_INT_EQ(stacked.height, 350);
    /* Both parts keep their orange bar. */
    CHECK(png_check_count_color(&stacked, ORANGE, 2) >
          png_check_count_color(&parts[0], ORANGE, 2));

    render_png_free(&parts[0]);
    render_png_free(&parts[1]);
    render_png_free(&stacked);
}

static void test_png_stack_rejects_invalid_png(void)
{
    unsigned char garbage[] = "not a png";
    render_png parts[1] = {{garbage, sizeof garbage, 10, 10}};
    render_png stacked = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_png_stack(parts, 1, &stacked, &err), -1);
    CHECK(strstr(err.message, "picture 0 of 1 is not a valid PNG") != NULL);
    CHECK_INT_EQ(render_png_stack(parts, 0, &stacked, &err), -1);
    CHECK(stacked.data == NULL);
}

int main(void)
{
    RUN(test_line_charts_two_panels);
    RUN(test_line_charts_ten_thousand_points);
    RUN(test_line_charts_one_point);
    RUN(test_line_charts_empty_series);
    RUN(test_line_charts_all_nan);
    RUN(test_line_charts_rejects_bad_input);
    RUN(test_bar_chart_highlight_accent);
    RUN(test_bar_chart_counts);
    RUN(test_bar_chart_rejects_bad_highlight);
    RUN(test_image_grid_samples);
    RUN(test_image_grid_nearest_neighbour);
    RUN(test_image_grid_shrinks_long_captions);
    RUN(test_image_grid_diverging_colorbar);
    RUN(test_image_grid_fits_max_width);
    RUN(test_image_grid_rejects_bad_input);
    RUN(test_heatmap_cell_colors_and_text);
    RUN(test_heatmap_confusion_matrix);
    RUN(test_heatmap_diverging_symmetric);
    RUN(test_heatmap_tall_matrix);
    RUN(test_heatmap_rejects_bad_format);
    RUN(test_nonfinite_values_draw);
    RUN(test_small_pictures_rejected);
    RUN(test_png_stack_sizes);
    RUN(test_png_stack_rejects_invalid_png);
    /* cairo keeps global caches. Free them so LeakSanitizer reports only our own leaks. */
    cairo_debug_reset_static_data();
    return check_summary();
}
