/* subsets.c: the training, validation and test images chosen by the seed.
 *
 * The training pool is shuffled with the NN_STREAM_SUBSET stream and the training subset
 * is its first n_train images, so raising train keeps the images already chosen. The
 * validation images are n_val of the remaining pool, chosen by a shuffle with the
 * NN_STREAM_VALIDATION stream, so they are disjoint from the training subset by
 * construction. The test subset is the first n_test images of a shuffle of the test set,
 * drawn from the NN_STREAM_SUBSET stream after the pool's shuffle. That shuffle always
 * makes the same number of draws for a given pool size, so the test subset depends only
 * on the seed and the dataset, never on train or val.
 */
#include "nn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fisher-Yates shuffle of n indices: every permutation is equally likely. */
static void subsets_shuffle(uint32_t *indices, size_t n, nn_rng *rng)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)nn_rng_below(rng, i);
        uint32_t t = indices[i - 1];

        indices[i - 1] = indices[j];
        indices[j] = t;
    }
}

static uint32_t *subsets_identity(size_t n)
{
    uint32_t *indices = malloc((n ? n : 1) * sizeof *indices);

    if (indices)
        for (size_t i = 0; i < n; i++)
            indices[i] = (uint32_t)i;
    return indices;
}

int nn_subsets_make(nn_subsets *out, const nn_dataset *ds, const nn_settings *s, nn_error *err)
{
    uint32_t *pool = NULL, *tests = NULL;
    nn_rng subset_rng, validation_rng;
    size_t n_rest;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (nn_settings_check(s, ds, err) != 0)
        return -1;

    pool = subsets_identity(ds->n_train);
    tests = subsets_identity(ds->n_test);
    out->n_train = (size_t)s->n_train;
    out->n_val = (size_t)s->n_val;
    out->n_test = (size_t)s->n_test;
    out->train = malloc(out->n_train * sizeof *out->train);
    out->val = malloc((out->n_val ? out->n_val : 1) * sizeof *out->val);
    out->test = malloc(out->n_test * sizeof *out->test);
    if (!pool || !tests || !out->train || !out->val || !out->test) {
        if (err) {
            err->code = NN_ERR_MEMORY;
            snprintf(err->message, sizeof err->message,
                     "out of memory choosing subsets of %zu training and %zu test images",
                     ds->n_train, ds->n_test);
        }
        goto out;
    }

    /* Training subset: a prefix of the shuffled pool. */
    nn_rng_seed(&subset_rng, s->seed, NN_STREAM_SUBSET);
    subsets_shuffle(pool, ds->n_train, &subset_rng);
    memcpy(out->train, pool, out->n_train * sizeof *pool);

    /* Validation: a shuffle of what the training subset left. */
    n_rest = ds->n_train - out->n_train;
    nn_rng_seed(&validation_rng, s->seed, NN_STREAM_VALIDATION);
    subsets_shuffle(pool + out->n_train, n_rest, &validation_rng);
    memcpy(out->val, pool + out->n_train, out->n_val * sizeof *pool);

    /* Test subset: a prefix of the shuffled test set. */
    subsets_shuffle(tests, ds->n_test, &subset_rng);
    memcpy(out->test, tests, out->n_test * sizeof *tests);
    rc = 0;

out:
    free(pool);
    free(tests);
    if (rc != 0)
        nn_subsets_free(out);
    return rc;
}

void nn_subsets_free(nn_subsets *sub)
{
    free(sub->train);
    free(sub->val);
    free(sub->test);
    memset(sub, 0, sizeof *sub);
}
