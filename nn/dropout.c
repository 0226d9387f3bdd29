/* dropout.c: inverted dropout, as Keras applies it while training. */
#include "layers.h"

void nn_dropout_mask(nn_rng *rng, double rate, size_t count, float *mask)
{
    float keep_scale = (float)(1.0 / (1.0 - rate));

    for (size_t i = 0; i < count; i++)
        mask[i] = nn_rng_uniform(rng) < rate ? 0.0f : keep_scale;
}

void nn_dropout_apply(const float *x, const float *mask, size_t count, float *y)
{
    for (size_t i = 0; i < count; i++)
        y[i] = x[i] * mask[i];
}
