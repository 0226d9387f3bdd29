/* test_render_colormap.c: colour map values at known points. */
#include <math.h>

#include "check.h"
#include "render/draw.h"
#include "render/render.h"

static void test_grey_maps_endpoints(void)
{
    double rgb[3];

    render_colormap_rgb(RENDER_CMAP_GREY, 0, rgb);
    CHECK_NEAR(rgb[0] + rgb[1] + rgb[2], 0, 1e-12);
    render_colormap_rgb(RENDER_CMAP_GREY, 1, rgb);
    CHECK_NEAR(rgb[0] + rgb[1] + rgb[2], 3, 1e-12);
    render_colormap_rgb(RENDER_CMAP_GREY, 0.25, rgb);
    CHECK_NEAR(rgb[1], 0.25, 1e-12);

    render_colormap_rgb(RENDER_CMAP_GREY_INK, 0, rgb);
    CHECK_NEAR(rgb[0] + rgb[1] + rgb[2], 3, 1e-12);
    render_colormap_rgb(RENDER_CMAP_GREY_INK, 1, rgb);
    CHECK_NEAR(rgb[0] + rgb[1] + rgb[2], 0, 1e-12);
}

static void test_colormap_clamps_and_nan(void)
{
    double rgb[3], end[3];

    render_colormap_rgb(RENDER_CMAP_VIRIDIS, -3, rgb);
    render_colormap_rgb(RENDER_CMAP_VIRIDIS, 0, end);
    CHECK_NEAR(rgb[0], end[0], 1e-12);
    CHECK_NEAR(rgb[2], end[2], 1e-12);

    render_colormap_rgb(RENDER_CMAP_DIVERGING, 7, rgb);
    render_colormap_rgb(RENDER_CMAP_DIVERGING, 1, end);
    CHECK_NEAR(rgb[0], end[0], 1e-12);

    render_colormap_rgb(RENDER_CMAP_VIRIDIS, NAN, rgb);
    CHECK_NEAR(rgb[0], 0.85, 1e-12);
    CHECK_NEAR(rgb[1], 0.85, 1e-12);
    CHECK_NEAR(rgb[2], 0.85, 1e-12);
}

static void test_viridis_known_points(void)
{
    double rgb[3];

    /* Entries 0, 64 and 255 of matplotlib's 256-entry viridis table are stops. */
    render_colormap_rgb(RENDER_CMAP_VIRIDIS, 0, rgb);
    CHECK_NEAR(rgb[0], 0.267004, 1e-6);
    CHECK_NEAR(rgb[1], 0.004874, 1e-6);
    CHECK_NEAR(rgb[2], 0.329415, 1e-6);

    render_colormap_rgb(RENDER_CMAP_VIRIDIS, 64.0 / 255, rgb);
    CHECK_NEAR(rgb[0], 0.229739, 1e-6);
    CHECK_NEAR(rgb[1], 0.322361, 1e-6);
    CHECK_NEAR(rgb[2], 0.545706, 1e-6);

    /* Entry 127 is (0.128729, 0.563265, 0.551229): between stops, within 0.005. */
    render_colormap_rgb(RENDER_CMAP_VIRIDIS, 127.0 / 255, rgb);
    CHECK_NEAR(rgb[0], 0.128729, 0.005);
    CHECK_NEAR(rgb[1], 0.563265, 0.005);
    CHECK_NEAR(rgb[2], 0.551229, 0.005);

    /* Entries between the sampled stops, where the curve bends most, stay within 0.01. */
    static const double between[][4] = {
        {8, 0.277018, 0.050344, 0.375715},
        {152, 0.132268, 0.655014, 0.519661},
        {184, 0.304148, 0.764704, 0.419943},
        {232, 0.762373, 0.876424, 0.137064},
    };
    for (size_t i = 0; i < sizeof between / sizeof between[0]; i++) {
        render_colormap_rgb(RENDER_CMAP_VIRIDIS, between[i][0] / 255, rgb);
        CHECK_NEAR(rgb[0], between[i][1], 0.01);
        CHECK_NEAR(rgb[1], between[i][2], 0.01);
        CHECK_NEAR(rgb[2], between[i][3], 0.01);
    }

    render_colormap_rgb(RENDER_CMAP_VIRIDIS, 1, rgb);
    CHECK_NEAR(rgb[0], 0.993248, 1e-6);
    CHECK_NEAR(rgb[1], 0.906157, 1e-6);
    CHECK_NEAR(rgb[2], 0.143936, 1e-6);
}

/* viridis was designed so lightness rises steadily; luminance must never fall. */
static void test_viridis_luminance_increases(void)
{
    double rgb[3], previous = -1;
    int failures = 0;

    for (int i = 0; i <= 100; i++) {
        render_colormap_rgb(RENDER_CMAP_VIRIDIS, i / 100.0, rgb);
        double luminance = render_luminance((render_rgb){rgb[0], rgb[1], rgb[2]});
        if (luminance < previous)
            failures++;
        previous = luminance;
    }
    CHECK_INT_EQ(failures, 0);
}

static void test_diverging_white_centre(void)
{
    double rgb[3];

    render_colormap_rgb(RENDER_CMAP_DIVERGING, 0.5, rgb);
    CHECK_NEAR(rgb[0], 1, 1e-12);
    CHECK_NEAR(rgb[1], 1, 1e-12);
    CHECK_NEAR(rgb[2], 1, 1e-12);

    /* Negative values are blue, positive values red. */
    render_colormap_rgb(RENDER_CMAP_DIVERGING, 0.1, rgb);
    CHECK(rgb[2] > rgb[0] + 0.3);
    render_colormap_rgb(RENDER_CMAP_DIVERGING, 0.9, rgb);
    CHECK(rgb[0] > rgb[2] + 0.3);
}

/* Equal distances from zero get similar lightness on either side, and lightness falls
 * with distance from the centre. */
static void test_diverging_symmetric_lightness(void)
{
    double negative[3], positive[3];
    double previous = 2;

    for (int i = 0; i <= 10; i++) {
        double offset = i * 0.05;
        render_colormap_rgb(RENDER_CMAP_DIVERGING, 0.5 - offset, negative);
        render_colormap_rgb(RENDER_CMAP_DIVERGING, 0.5 + offset, positive);
        double blue = render_luminance((render_rgb){negative[0], negative[1], negative[2]});
        double red = render_luminance((render_rgb){positive[0], positive[1], positive[2]});
        printf("  offset %.2f: luminance %.3f (negative) %.3f (positive)\n", offset, blue, red);
        CHECK_NEAR(blue, red, 0.12);
        CHECK(blue <= previous + 1e-9);
        previous = blue;
    }
}

static void test_palette_training_validation(void)
{
    render_rgb blue = render_palette_color(0), orange = render_palette_color(1);

    CHECK(blue.b > blue.r);
    CHECK(orange.r > orange.b);
    CHECK_NEAR(render_palette_color(10).b, blue.b, 1e-12); /* the palette repeats */
}

int main(void)
{
    RUN(test_grey_maps_endpoints);
    RUN(test_colormap_clamps_and_nan);
    RUN(test_viridis_known_points);
    RUN(test_viridis_luminance_increases);
    RUN(test_diverging_white_centre);
    RUN(test_diverging_symmetric_lightness);
    RUN(test_palette_training_validation);
    return check_summary();
}
