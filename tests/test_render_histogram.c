/* test_render_histogram.c: histogram binning, statistics and the histogram picture. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "render/render.h"
#include "render_lsan.h"
#include "render_png_check.h"

static size_t total_count(const render_histogram_data *h)
{
    size_t total = 0;
    for (size_t b = 0; b < h->bins; b++)
        total += h->counts[b];
    return total;
}

static void test_histogram_one_per_bin(void)
{
    const float data[] = {0, 1, 2, 3, 4};
    render_histogram_data h;
    render_error err;

    CHECK_INT_EQ(render_histogram_compute(data, 5, 5, &h, &err), 0);
    CHECK_INT_EQ(h.bins, 5);
    for (size_t b = 0; b < 5; b++)
        CHECK_INT_EQ(h.counts[b], 1);
    CHECK_NEAR(h.lo, 0, 1e-12);
    CHECK_NEAR(h.hi, 4, 1e-12);
    CHECK_NEAR(h.min, 0, 1e-12);
    CHECK_NEAR(h.max, 4, 1e-12);
    CHECK_INT_EQ(h.finite, 5);
    CHECK_INT_EQ(h.nonfinite, 0);
    render_histogram_data_free(&h);
}

static void test_histogram_bin_edges(void)
{
    /* 0.5 is the edge between the two bins and belongs to the upper one; the maximum
     * belongs to the last bin. */
    const float data[] = {0, 0.5f, 1};
    render_histogram_data h;

    CHECK_INT_EQ(render_histogram_compute(data, 3, 2, &h, NULL), 0);
    CHECK_INT_EQ(h.counts[0], 1);
    CHECK_INT_EQ(h.counts[1], 2);
    render_histogram_data_free(&h);
}

static void test_histogram_statistics(void)
{
    const float data[] = {2, 4, 4, 4, 5, 5, 7, 9};
    render_histogram_data h;

    CHECK_INT_EQ(render_histogram_compute(data, 8, 7, &h, NULL), 0);
    CHECK_NEAR(h.mean, 5, 1e-12);
    CHECK_NEAR(h.stddev, 2, 1e-12); /* population standard deviation */
    CHECK_INT_EQ(total_count(&h), 8);
    render_histogram_data_free(&h);
}

static void test_histogram_all_equal(void)
{
    const float data[] = {3, 3, 3};
    render_histogram_data h;

    CHECK_INT_EQ(render_histogram_compute(data, 3, 10, &h, NULL), 0);
    CHECK(h.hi > h.lo);
    CHECK_NEAR(h.lo, 2.7, 1e-6);
    CHECK_NEAR(h.hi, 3.3, 1e-6);
    CHECK_NEAR((h.lo + h.hi) / 2, 3, 1e-6); /* widened symmetrically */
    CHECK_INT_EQ(h.counts[5], 3);
    CHECK_INT_EQ(total_count(&h), 3);
    CHECK_NEAR(h.stddev, 0, 1e-12);
    render_histogram_data_free(&h);
}

static void test_histogram_all_zero(void)
{
    const float data[] = {0, 0, 0, 0};
    render_histogram_data h;

    CHECK_INT_EQ(render_histogram_compute(data, 4, 4, &h, NULL), 0);
    CHECK_NEAR(h.lo, -0.5, 1e-12);
    CHECK_NEAR(h.hi, 0.5, 1e-12);
    CHECK_INT_EQ(h.counts[2], 4);
    CHECK_INT_EQ(total_count(&h), 4);
    render_histogram_data_free(&h);
}

static void test_histogram_single_value(void)
{
    const float data[] = {7};
    render_histogram_data h;

    CHECK_INT_EQ(render_histogram_compute(data, 1, 0, &h, NULL), 0);
    CHECK_INT_EQ(h.bins, RENDER_HISTOGRAM_DEFAULT_BINS);
    CHECK_INT_EQ(h.finite, 1);
    CHECK_NEAR(h.mean, 7, 1e-12);
    CHECK_NEAR(h.stddev, 0, 1e-12);
    CHECK_INT_EQ(total_count(&h), 1);
    CHECK(h.lo < 7);
    CHECK(h.hi > 7);
    render_histogram_data_free(&h);
}

static void test_histogram_nonfinite_excluded(void)
{
    const float data[] = {1, NAN, 2, INFINITY, -INFINITY};
    render_histogram_data h;

    CHECK_INT_EQ(render_histogram_compute(data, 5, 4, &h, NULL), 0);
    CHECK_INT_EQ(h.finite, 2);
    CHECK_INT_EQ(h.nonfinite, 3);
    CHECK_INT_EQ(total_count(&h), 2);
    CHECK_NEAR(h.min, 1, 1e-12);
    CHECK_NEAR(h.max, 2, 1e-12);
    CHECK_NEAR(h.mean, 1.5, 1e-12);
    CHECK_NEAR(h.stddev, 0.5, 1e-12);
    render_histogram_data_free(&h);
}

static void test_histogram_no_finite_values(void)
{
    const float data[] = {NAN, NAN};
    render_histogram_data h;
    render_png png = {0};
    render_error err;

    CHECK_INT_EQ(render_histogram_compute(data, 2, 10, &h, NULL), 0);
    CHECK_INT_EQ(h.finite, 0);
    CHECK_INT_EQ(h.nonfinite, 2);
    CHECK(isnan(h.mean));
    CHECK(isnan(h.min));
    CHECK_INT_EQ(total_count(&h), 0);

    /* The picture still draws, with empty bins and the statistics line. */
    CHECK_INT_EQ(render_histogram_png("all NaN", &h, 0, 0, &png, &err), 0);
    CHECK(png_check_header(&png));
    render_png_free(&png);
    render_histogram_data_free(&h);

    CHECK_INT_EQ(render_histogram_compute(NULL, 0, 10, &h, NULL), 0);
    CHECK_INT_EQ(h.finite, 0);
    render_histogram_data_free(&h);
}

static void test_histogram_counts_sum_to_finite(void)
{
    size_t n = 10007;
    float *data = malloc(n * sizeof *data);
    render_histogram_data h;

    for (size_t i = 0; i < n; i++)
        data[i] = (float)sin((double)i * 0.37) * (float)(i % 13);
    CHECK_INT_EQ(render_histogram_compute(data, n, 17, &h, NULL), 0);
    CHECK_INT_EQ(total_count(&h), n);
    CHECK_INT_EQ(h.finite, n);
    render_histogram_data_free(&h);
    free(data);
}

static void test_histogram_missing_data_rejected(void)
{
    render_histogram_data h;
    render_error err = {{0}};

    CHECK_INT_EQ(render_histogram_compute(NULL, 5, 10, &h, &err), -1);
    CHECK(strstr(err.message, "no data") != NULL);
}

static void test_histogram_png_size_and_bars(void)
{
    float data[1000];
    render_histogram_data h;
    render_png png = {0};
    render_error err;

    for (int i = 0; i < 1000; i++)
        data[i] = (float)((i % 100) / 100.0 - 0.5);
    CHECK_INT_EQ(render_histogram_compute(data, 1000, 20, &h, NULL), 0);
    CHECK_INT_EQ(render_histogram_png("dense_Dense1/kernel", &h, 700, 380, &png, &err), 0);
    CHECK(png_check_header(&png));
    CHECK_INT_EQ(png.width, 700);
    CHECK_INT_EQ(png.height, 380);
    /* The bars are filled in the palette blue (31, 119, 180). */
    CHECK(png_check_count_color(&png, 31, 119, 180, 2) > 20000);
    render_png_free(&png);
    render_histogram_data_free(&h);
}

static void test_histogram_png_rejects_empty(void)
{
    render_histogram_data h = {0};
    render_png png = {0};
    render_error err = {{0}};

    CHECK_INT_EQ(render_histogram_png("x", &h, 0, 0, &png, &err), -1);
    CHECK(strstr(err.message, "render_histogram_compute") != NULL);
    CHECK(png.data == NULL);
}

int main(void)
{
    RUN(test_histogram_one_per_bin);
    RUN(test_histogram_bin_edges);
    RUN(test_histogram_statistics);
    RUN(test_histogram_all_equal);
    RUN(test_histogram_all_zero);
    RUN(test_histogram_single_value);
    RUN(test_histogram_nonfinite_excluded);
    RUN(test_histogram_no_finite_values);
    RUN(test_histogram_counts_sum_to_finite);
    RUN(test_histogram_missing_data_rejected);
    RUN(test_histogram_png_size_and_bars);
    RUN(test_histogram_png_rejects_empty);
    cairo_debug_reset_static_data(); /* so LeakSanitizer reports only our own leaks */
    return check_summary();
}
