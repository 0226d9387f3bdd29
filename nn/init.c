/* init.c: weight initialisers, matching TensorFlow.js and Keras defaults. */
#include <math.h>

#include "layers.h"

void nn_init_glorot_uniform(nn_rng *rng, float *values, size_t count, int fan_in, int fan_out)
{
    double limit = sqrt(6.0 / (double)(fan_in + fan_out));

    for (size_t i = 0; i < count; i++)
        values[i] = (float)((2.0 * nn_rng_uniform(rng) - 1.0) * limit);
}

/* One standard normal draw (Box-Muller; the second value of the pair is dropped so that
 * every draw consumes the same amount of the stream). */
static double standard_normal(nn_rng *rng)
{
    double u1, u2;

    do {
        u1 = nn_rng_uniform(rng);
    } while (u1 <= 0.0);
    u2 = nn_rng_uniform(rng);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586476925 * u2);
}

void nn_init_truncated_normal_fan_in(nn_rng *rng, float *values, size_t count, int fan_in)
{
    double stddev = sqrt(1.0 / (double)fan_in) / 0.87962566103423978;

    for (size_t i = 0; i < count; i++) {
        double z;

        do {
            z = standard_normal(rng);
        } while (fabs(z) > 2.0);
        values[i] = (float)(z * stddev);
    }
}
