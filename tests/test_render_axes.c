/* test_render_axes.c: nice tick computation and tick label formatting. */
#include <math.h>

#include "check.h"
#include "render/draw.h"
#include "render/render.h"

/* Returns 1 when step is 1, 2 or 5 times a power of ten. */
static int is_nice_step(double step)
{
    double mantissa = step / pow(10, floor(log10(step)));
    return fabs(mantissa - 1) < 1e-9 || fabs(mantissa - 2) < 1e-9 || fabs(mantissa - 5) < 1e-9 ||
           fabs(mantissa - 10) < 1e-9;
}

typedef struct {
    double lo, hi;
    int target, widen;
    double step, first, last;
    int count;
    double range_lo, range_hi;
} tick_case;

static void test_ticks_known_ranges(void)
{
    static const tick_case cases[] = {
        {0, 1, 5, 0, 0.2, 0, 1, 6, 0, 1},
        {0, 10, 5, 0, 2, 0, 10, 6, 0, 10},
        {0.05, 2.3, 5, 1, 0.5, 0, 2.5, 6, 0, 2.5},
        {0.05, 2.3, 5, 0, 0.5, 0.5, 2.0, 4, 0.05, 2.3},
        {-0.2125, 0.2081, 7, 0, 0.1, -0.2, 0.2, 5, -0.2125, 0.2081},
        {0, 9999, 6, 0, 2000, 0, 8000, 5, 0, 9999},
        {0, 10000, 6, 0, 2000, 0, 10000, 6, 0, 10000},
        {0, 60000, 5, 1, 20000, 0, 60000, 4, 0, 60000},
        {1, 3, 6, 0, 0.5, 1, 3, 5, 1, 3},
        {-3, -1, 4, 1, 0.5, -3, -1, 5, -3, -1},
        {0.9123, 0.9871, 5, 1, 0.02, 0.9, 1.0, 6, 0.9, 1.0},
        {1e-7, 3e-7, 4, 0, 5e-8, 1e-7, 3e-7, 5, 1e-7, 3e-7},
        {-1e6, 1e6, 4, 0, 5e5, -1e6, 1e6, 5, -1e6, 1e6},
        {0, 1125, 5, 0, 500, 0, 1000, 3, 0, 1125},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const tick_case *c = &cases[i];
        render_ticks ticks;
        render_nice_ticks(c->lo, c->hi, c->target, c->widen, &ticks);
        printf("  case %zu: [%g, %g] target %d widen %d\n", i, c->lo, c->hi, c->target, c->widen);
        CHECK_NEAR(ticks.step, c->step, 1e-9);
        CHECK_INT_EQ(ticks.count, c->count);
        CHECK_NEAR(ticks.values[0], c->first, 1e-9);
        CHECK_NEAR(ticks.values[ticks.count - 1], c->last, 1e-9);
        CHECK_NEAR(ticks.lo, c->range_lo, 1e-9);
        CHECK_NEAR(ticks.hi, c->range_hi, 1e-9);
    }
}

static void test_ticks_zero_is_exact(void)
{
    render_ticks ticks;

    /* 0.1 steps from -0.3 pass through zero; repeated addition would give 5.5e-17. */
    render_nice_ticks(-0.3, 0.3, 6, 0, &ticks);
    int found_zero = 0;
    for (int i = 0; i < ticks.count; i++)
        if (ticks.values[i] == 0.0)
            found_zero = 1;
    CHECK(found_zero);
}

static void test_ticks_degenerate_ranges(void)
{
    render_ticks ticks;

    render_nice_ticks(0, 0, 5, 0, &ticks);
    CHECK_NEAR(ticks.lo, -1, 1e-12);
    CHECK_NEAR(ticks.hi, 1, 1e-12);
    CHECK(ticks.count >= 3);

    render_nice_ticks(5, 5, 5, 0, &ticks);
    CHECK_NEAR(ticks.lo, 4.5, 1e-12);
    CHECK_NEAR(ticks.hi, 5.5, 1e-12);
    CHECK(ticks.count >= 2);

    render_nice_ticks(NAN, 3, 5, 0, &ticks);
    CHECK_NEAR(ticks.lo, 0, 1e-12);
    CHECK_NEAR(ticks.hi, 1, 1e-12);

    render_nice_ticks(-INFINITY, INFINITY, 5, 1, &ticks);
    CHECK_NEAR(ticks.lo, 0, 1e-12);
    CHECK_NEAR(ticks.hi, 1, 1e-12);

    /* Swapped bounds are put in order. */
    render_nice_ticks(10, 0, 5, 0, &ticks);
    CHECK_NEAR(ticks.lo, 0, 1e-12);
    CHECK_NEAR(ticks.hi, 10, 1e-12);
    CHECK_NEAR(ticks.step, 2, 1e-12);
}

/* Over many ranges of every scale, the ticks obey their contract. */
static void test_ticks_properties_many_ranges(void)
{
    unsigned long long state = 99;
    int failures = 0;

    for (int trial = 0; trial < 5000 && failures < 5; trial++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(state >> 11) / 9007199254740992.0;
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double v = (double)(state >> 11) / 9007199254740992.0;
        double scale = pow(10, floor(u * 16) - 8);
        double lo = (v - 0.5) * 10 * scale, hi = lo + (0.01 + u * 5) * scale;
        int target = 2 + trial % 11, widen = trial % 2;

        render_ticks ticks;
        render_nice_ticks(lo, hi, target, widen, &ticks);
        /* More than target + 1 ticks is allowed only when the next larger 1-2-5 step
         * would leave fewer than two. */
        double mantissa = ticks.step / pow(10, floor(log10(ticks.step)));
        double larger = ticks.step * (fabs(mantissa - 2) < 1e-6 ? 2.5 : 2);
        int larger_count = (int)(floor(hi / larger + 1e-9) - ceil(lo / larger - 1e-9)) + 1;
        int ok = ticks.count >= 2 && is_nice_step(ticks.step) &&
                 (ticks.count <= target + 1 || (!widen && larger_count < 2));
        for (int i = 0; ok && i < ticks.count; i++) {
            double multiple = ticks.values[i] / ticks.step;
            ok = fabs(multiple - round(multiple)) < 1e-6 &&
                 ticks.values[i] >= ticks.lo - ticks.step * 1e-6 &&
                 ticks.values[i] <= ticks.hi + ticks.step * 1e-6 &&
                 (i == 0 || ticks.values[i] > ticks.values[i - 1]);
        }
        if (widen)
            ok = ok && ticks.lo <= lo && ticks.hi >= hi && ticks.values[0] == ticks.lo;
        else
            ok = ok && ticks.lo == lo && ticks.hi == hi;
        if (!ok) {
            printf("  range [%.17g, %.17g] target %d widen %d: step %g count %d\n", lo, hi,
                   target, widen, ticks.step, ticks.count);
            failures++;
        }
    }
    CHECK_INT_EQ(failures, 0);
}

static void test_tick_labels(void)
{
    char label[48];

    render_format_tick(label, sizeof label, 0.2, 0.2);
    CHECK_STR_EQ(label, "0.2");
    render_format_tick(label, sizeof label, 0, 0.05);
    CHECK_STR_EQ(label, "0.00");
    render_format_tick(label, sizeof label, 0.15, 0.05);
    CHECK_STR_EQ(label, "0.15");
    render_format_tick(label, sizeof label, -0.5, 0.5);
    CHECK_STR_EQ(label, "-0.5");
    render_format_tick(label, sizeof label, 1000, 500);
    CHECK_STR_EQ(label, "1000");
    render_format_tick(label, sizeof label, 10000, 2000);
    CHECK_STR_EQ(label, "10,000");
    render_format_tick(label, sizeof label, -20000, 10000);
    CHECK_STR_EQ(label, "-20,000");
    render_format_tick(label, sizeof label, 2e-7, 1e-7);
    CHECK_STR_EQ(label, "2e-07");
    render_format_tick(label, sizeof label, 3e8, 1e8);
    CHECK_STR_EQ(label, "3e+08");
}

int main(void)
{
    RUN(test_ticks_known_ranges);
    RUN(test_ticks_zero_is_exact);
    RUN(test_ticks_degenerate_ranges);
    RUN(test_ticks_properties_many_ranges);
    RUN(test_tick_labels);
    return check_summary();
}
