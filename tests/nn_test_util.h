/* nn_test_util.h: helpers shared by the engine's C tests: seeded random arrays, a
 * gradient comparison, and a small synthetic dataset that needs no files. */
#ifndef NN_TEST_UTIL_H
#define NN_TEST_UTIL_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "nn/nn.h"

/* Fills values with uniform draws from [low, high). */
static inline void fill_uniform(nn_rng *rng, float *values, size_t n, double low, double high)
{
    for (size_t i = 0; i < n; i++)
        values[i] = (float)(low + (high - low) * nn_rng_uniform(rng));
}

/* Passes when analytic and numeric agree within atol + rtol * max(|analytic|, |numeric|):
 * central differences on float computations are accurate to a few parts in 1e3. */
static inline int gradient_close(double analytic, double numeric, double atol, double rtol)
{
    double scale = fabs(analytic) > fabs(numeric) ? fabs(analytic) : fabs(numeric);

    return fabs(analytic - numeric) <= atol + rtol * scale;
}

/* A dataset of n_train + n_test 28x28 images in 10 classes that a small model can learn:
 * class k lights a 4-pixel-high horizontal band at rows 2k+1..2k+4, plus uniform noise. */
static inline int synthetic_dataset(nn_dataset *ds, size_t n_train, size_t n_test, uint64_t seed)
{
    static const char *names[NN_CLASSES] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    nn_rng rng;

    memset(ds, 0, sizeof *ds);
    strcpy(ds->name, "synthetic");
    ds->n_train = n_train;
    ds->n_test = n_test;
    ds->train_images = malloc(n_train * NN_IMAGE_PIXELS);
    ds->train_labels = malloc(n_train);
    ds->test_images = malloc(n_test * NN_IMAGE_PIXELS);
    ds->test_labels = malloc(n_test);
    if (!ds->train_images || !ds->train_labels || !ds->test_images || !ds->test_labels)
        return -1;
    for (int k = 0; k < NN_CLASSES; k++)
        ds->class_names[k] = names[k];

    nn_rng_seed(&rng, seed, NN_STREAM_SAMPLES);
    for (size_t i = 0; i < n_train + n_test; i++) {
        int is_train = i < n_train;
        size_t index = is_train ? i : i - n_train;
        uint8_t *image = (is_train ? ds->train_images : ds->test_images) + index * NN_IMAGE_PIXELS;
        uint8_t label = (uint8_t)nn_rng_below(&rng, NN_CLASSES);

        for (int p = 0; p < NN_IMAGE_PIXELS; p++) {
            int row = p / NN_IMAGE_SIDE;
            int lit = row >= 2 * label + 1 && row <= 2 * label + 4;

            image[p] = (uint8_t)((lit ? 150 : 0) + nn_rng_below(&rng, 100));
        }
        (is_train ? ds->train_labels : ds->test_labels)[index] = label;
    }
    return 0;
}

static inline void synthetic_dataset_free(nn_dataset *ds)
{
    free(ds->train_images);
    free(ds->train_labels);
    free(ds->test_images);
    free(ds->test_labels);
    memset(ds, 0, sizeof *ds);
}

#endif /* NN_TEST_UTIL_H */
