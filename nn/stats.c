/* stats.c: summary statistics of one weight tensor. */
#include <math.h>
#include <string.h>

#include "nn.h"

void nn_weight_stats_compute(const float *values, size_t n, nn_weight_stats *out)
{
    double sum = 0.0, sum_squares = 0.0;
    size_t finite = 0;

    memset(out, 0, sizeof *out);
    out->count = n;
    for (size_t i = 0; i < n; i++) {
        double x = values[i];

        if (isnan(x)) {
            out->nans++;
            continue;
        }
        if (isinf(x)) {
            out->infinities++;
            continue;
        }
        if (x == 0.0)
            out->zeros++;
        if (finite == 0 || x < out->min)
            out->min = x;
        if (finite == 0 || x > out->max)
            out->max = x;
        sum += x;
        finite++;
    }
    if (finite == 0)
        return;

    out->mean = sum / (double)finite;
    /* A second pass around the mean avoids the cancellation of sum(x^2) - n * mean^2. */
    for (size_t i = 0; i < n; i++) {
        double x = values[i];

        if (isfinite(x))
            sum_squares += (x - out->mean) * (x - out->mean);
    }
    out->stddev = sqrt(sum_squares / (double)finite);
}
