/* settings.c: the training settings, their defaults and their checks.
 *
 * Error messages call each setting by the option name a user types in the notebook
 * (lr, epochs, batch, train, test, val, optimizer, threads), so that a message can be
 * acted on directly.
 */
#include "error.h"
#include "nn.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void nn_settings_default(nn_settings *s)
{
    memset(s, 0, sizeof *s);
    s->learning_rate = 0.01;
    s->epochs = 5;
    s->batch_size = 512;
    s->n_train = 5500;
    s->n_test = 1000;
    s->n_val = 500;
    s->optimizer = NN_OPT_ADAM;
    s->seed = NN_DEFAULT_SEED;
    s->threads = 0;
}

/* Checks the settings that do not depend on a dataset. */
static int settings_check_ranges(const nn_settings *s, nn_error *err)
{
    if (!(isfinite(s->learning_rate) && s->learning_rate > 0))
        return nn_fail(err, NN_ERR_ARGUMENT, "lr %g is invalid: the learning rate must be a positive number, "
                             "for example lr=0.01", s->learning_rate);
    if (s->epochs < 1)
        return nn_fail(err, NN_ERR_ARGUMENT, "epochs %d is invalid: train for at least 1 epoch, for example epochs=5",
                             s->epochs);
    if (s->n_train < 1)
        return nn_fail(err, NN_ERR_ARGUMENT, "train %d is invalid: train on at least 1 image, for example train=5500",
                             s->n_train);
    if (s->n_test < 1)
        return nn_fail(err, NN_ERR_ARGUMENT, "test %d is invalid: score at least 1 test image, for example test=1000",
                             s->n_test);
    if (s->n_val < 0)
        return nn_fail(err, NN_ERR_ARGUMENT, "val %d is invalid: hold out 0 or more images for validation, "
                             "for example val=500", s->n_val);
    if (s->batch_size < 1)
        return nn_fail(err, NN_ERR_ARGUMENT, "batch %d is invalid: a batch holds at least 1 image, for example batch=512",
                             s->batch_size);
    if (s->batch_size > s->n_train)
        return nn_fail(err, NN_ERR_ARGUMENT, "batch %d is larger than train %d; set batch to at most %d, or raise train",
                             s->batch_size, s->n_train, s->n_train);
    if (s->optimizer != NN_OPT_SGD && s->optimizer != NN_OPT_MOMENTUM && s->optimizer != NN_OPT_ADAM)
        return nn_fail(err, NN_ERR_ARGUMENT, "optimizer %d is unknown; use optimizer=sgd, momentum or adam",
                             (int)s->optimizer);
    if (s->threads < 0)
        return nn_fail(err, NN_ERR_ARGUMENT, "threads %d is invalid: use threads=0 for all cores or a count of 1 or more",
                             s->threads);
    return 0;
}

int nn_settings_check(const nn_settings *s, const nn_dataset *ds, nn_error *err)
{
    long long train_and_val = (long long)s->n_train + s->n_val;

    if (settings_check_ranges(s, err) != 0)
        return -1;
    if (!ds)
        return 0;

    /* Training and validation images are disjoint parts of the same training pool. */
    if ((size_t)s->n_train > ds->n_train)
        return nn_fail(err, NN_ERR_ARGUMENT, "train %d is more than the %zu training images of %s; set train to at most %zu",
                             s->n_train, ds->n_train, ds->name, ds->n_train);
    if ((unsigned long long)train_and_val > ds->n_train)
        return nn_fail(err, NN_ERR_ARGUMENT,
                             "train %d plus val %d is %lld, more than the %zu training images of %s; "
                             "lower train or val so that train + val is at most %zu",
                             s->n_train, s->n_val, train_and_val, ds->n_train, ds->name, ds->n_train);
    if ((size_t)s->n_test > ds->n_test)
        return nn_fail(err, NN_ERR_ARGUMENT, "test %d is more than the %zu test images of %s; set test to at most %zu",
                             s->n_test, ds->n_test, ds->name, ds->n_test);
    return 0;
}
