/* train.c: the training loop (shuffle, mini-batches, optimizer, checks, callbacks).
 *
 * Every random choice comes from a stream seeded by the user's seed and an index: the
 * shuffle of the model's k-th epoch from (seed, NN_STREAM_SHUFFLE, k) and the dropout masks
 * of its s-th batch from (seed, NN_STREAM_DROPOUT, s). So an interrupted run resumed later
 * draws exactly what an uninterrupted run would have drawn.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model_internal.h"

typedef struct {
    float *params, *m, *v;
    long opt_step;
} weights_backup;

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *optimizer_name(nn_optimizer_kind kind)
{
    switch (kind) {
    case NN_OPT_SGD:
        return "sgd";
    case NN_OPT_MOMENTUM:
        return "momentum";
    case NN_OPT_ADAM:
        return "adam";
    }
    return "unknown";
}

/* Allocates zeroed optimizer state when there is none or the optimizer kind changed. */
static int prepare_optimizer(nn_model *model, nn_optimizer_kind kind, nn_error *err)
{
    if (kind != NN_OPT_SGD && kind != NN_OPT_MOMENTUM && kind != NN_OPT_ADAM)
        return nn_fail(err, NN_ERR_ARGUMENT,
                       "invalid optimizer %d; use sgd, momentum or adam", (int)kind);
    if (model->has_optimizer && model->optimizer == kind)
        return 0;

    if (!model->opt_m)
        model->opt_m = malloc(model->n_params * sizeof(float));
    if (!model->opt_v)
        model->opt_v = malloc(model->n_params * sizeof(float));
    if (!model->opt_m || !model->opt_v)
        return nn_fail(err, NN_ERR_MEMORY, "out of memory for the %s optimizer's state",
                       optimizer_name(kind));
    memset(model->opt_m, 0, model->n_params * sizeof(float));
    memset(model->opt_v, 0, model->n_params * sizeof(float));
    model->opt_step = 0;
    model->optimizer = kind;
    model->has_optimizer = 1;
    return 0;
}

typedef struct {
    nn_model *model;
    weights_backup *backup;
    double learning_rate;
    int finite[NN_MAX_THREADS];
} update_work;

static int range_finite(const float *values, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!isfinite(values[i]))
            return 0;
    return 1;
}

/* Saves weights [begin, end) and their optimizer state, updates them and checks that
 * they stayed finite. Every weight's update depends only on its own values, so splitting
 * the weights across threads changes no result. */
static void update_range(void *context, int part, size_t begin, size_t end)
{
    update_work *work = context;
    nn_model *model = work->model;
    weights_backup *backup = work->backup;
    size_t count = end - begin, bytes = count * sizeof(float);
    float *params = model->params + begin, *m = model->opt_m + begin;
    float *v = model->opt_v + begin;
    const float *grads = model->grads + begin;

    memcpy(backup->params + begin, params, bytes);
    memcpy(backup->m + begin, m, bytes);
    memcpy(backup->v + begin, v, bytes);
    switch (model->optimizer) {
    case NN_OPT_SGD:
        nn_sgd_step(params, grads, count, work->learning_rate);
        break;
    case NN_OPT_MOMENTUM:
        nn_momentum_step(params, grads, m, count, work->learning_rate);
        break;
    case NN_OPT_ADAM:
        nn_adam_step(params, grads, m, v, count, work->learning_rate, model->opt_step);
        break;
    }
    work->finite[part] = range_finite(params, count);
}

/* Keeps a copy of the weights and optimizer state in backup, applies one optimizer step
 * and returns whether every weight is still finite. */
static int optimizer_step(nn_model *model, weights_backup *backup, double learning_rate)
{
    update_work work = {.model = model, .backup = backup, .learning_rate = learning_rate};
    int parts = 1;

    backup->opt_step = model->opt_step;
    model->opt_step++;
    /* Split only for large dense models, whose other cores idle in OpenBLAS meanwhile.
     * For conv models the hand-over to the pool cost more than it saved. */
    if (nn_model_is_large_dense(model)) {
        parts = nn_parallel_parts(model->n_params);
        nn_parallel_for(model->n_params, update_range, &work);
    } else {
        update_range(&work, 0, 0, model->n_params);
    }
    for (int part = 0; part < parts; part++)
        if (!work.finite[part])
            return 0;
    return 1;
}

static void backup_restore(const weights_backup *backup, nn_model *model)
{
    size_t bytes = model->n_params * sizeof(float);

    memcpy(model->params, backup->params, bytes);
    memcpy(model->opt_m, backup->m, bytes);
    memcpy(model->opt_v, backup->v, bytes);
    model->opt_step = backup->opt_step;
}

/* Fisher-Yates shuffle of the training subset for the model's epoch number epoch_index. */
static void shuffle_epoch(uint32_t *order, const uint32_t *train, size_t n, uint64_t seed,
                          int epoch_index)
{
    nn_rng rng;

    memcpy(order, train, n * sizeof *order);
    nn_rng_seed_indexed(&rng, seed, NN_STREAM_SHUFFLE, (uint64_t)epoch_index);
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)nn_rng_below(&rng, i);
        uint32_t swap = order[i - 1];

        order[i - 1] = order[j];
        order[j] = swap;
    }
}

static int diverged(nn_error *err, int epoch, int batch, const char *what, double rate)
{
    return nn_fail(err, NN_ERR_DIVERGED,
                   "training diverged at epoch %d, batch %d: %s became NaN or infinite. The "
                   "weights from before this batch were restored; try a lower learning rate, "
                   "for example learning_rate=%g", epoch, batch, what, rate / 10.0);
}

/* Trains one batch: forward, loss, backward, update, finiteness checks. */
static int train_batch(nn_model *model, const nn_dataset *ds, const nn_settings *s,
                       const uint32_t *indices, size_t n, weights_backup *backup,
                       nn_batch_report *report, nn_error *err)
{
    nn_rng dropout_rng;
    double loss;
    size_t correct;

    nn_model_load_batch(model, ds->train_images, ds->train_labels, indices, n);
    nn_rng_seed_indexed(&dropout_rng, s->seed, NN_STREAM_DROPOUT, (uint64_t)model->step);
    if (nn_model_train_pass(model, n, &dropout_rng, &loss, &correct, err) != 0)
        return -1;
    /* The weights are still those from before the batch, so nothing needs restoring. */
    if (!isfinite(loss))
        return diverged(err, report->epoch, report->batch, "the loss", s->learning_rate);

    if (!optimizer_step(model, backup, s->learning_rate)) {
        backup_restore(backup, model);
        return diverged(err, report->epoch, report->batch, "a weight", s->learning_rate);
    }

    model->step++;
    report->step = model->step;
    report->loss = loss / (double)n;
    report->accuracy = (double)correct / (double)n;
    return 0;
}

static int stop_requested(const nn_train_callbacks *callbacks)
{
    return callbacks && callbacks->stop_flag && *callbacks->stop_flag;
}

static int interrupted(nn_error *err, int epoch, int batch, int batches)
{
    if (batch == 0)
        return nn_fail(err, NN_ERR_INTERRUPTED,
                       "training stopped before epoch %d started. The model keeps the weights "
                       "of the last completed batch; train again to continue from there",
                       epoch);
    return nn_fail(err, NN_ERR_INTERRUPTED,
                   "training stopped after epoch %d, batch %d of %d. The model keeps the "
                   "weights of the last completed batch; train again to continue from there",
                   epoch, batch, batches);
}

int nn_train(nn_model *model, const nn_dataset *ds, const nn_settings *s,
             const nn_train_callbacks *callbacks, nn_error *err)
{
    nn_subsets subsets = {0};
    weights_backup backup = {0};
    uint32_t *order = NULL;
    nn_open_epoch *open = &model->open_epoch;
    size_t batch_size = (size_t)s->batch_size;
    int batches, status = -1;

    if (nn_settings_check(s, ds, err) != 0)
        return -1;
    if (nn_subsets_make(&subsets, ds, s, err) != 0)
        return -1;
    nn_set_threads(s->threads);
    if (nn_model_reserve(model, batch_size, err) != 0 ||
        prepare_optimizer(model, s->optimizer, err) != 0)
        goto out;

    order = malloc(subsets.n_train * sizeof *order);
    backup.params = malloc(model->n_params * sizeof(float));
    backup.m = malloc(model->n_params * sizeof(float));
    backup.v = malloc(model->n_params * sizeof(float));
    if (!order || !backup.params || !backup.m || !backup.v) {
        nn_fail(err, NN_ERR_MEMORY, "out of memory for training on %zu images", subsets.n_train);
        goto out;
    }

    /* An epoch left open by an interrupt is finished first. When the settings that decide
     * its batches changed, it is dropped instead and a new epoch starts. */
    if (open->batches_done > 0 &&
        (open->batch_size != s->batch_size || open->n_train != subsets.n_train ||
         open->seed != s->seed))
        memset(open, 0, sizeof *open);

    batches = (int)((subsets.n_train + batch_size - 1) / batch_size);
    for (int epoch = 1; epoch <= s->epochs; epoch++) {
        double started = now_seconds();
        nn_epoch_report epoch_report = {.epoch = epoch, .epochs = s->epochs};
        nn_evaluation validation;

        shuffle_epoch(order, subsets.train, subsets.n_train, s->seed, model->epochs_trained);
        if (open->batches_done == 0) {
            memset(open, 0, sizeof *open);
            open->batch_size = s->batch_size;
            open->n_train = subsets.n_train;
            open->seed = s->seed;
        }

        for (int batch = open->batches_done + 1; batch <= batches; batch++) {
            size_t start = (size_t)(batch - 1) * batch_size;
            size_t n = subsets.n_train - start < batch_size ? subsets.n_train - start : batch_size;
            nn_batch_report report = {.epoch = epoch, .epochs = s->epochs, .batch = batch,
                                      .batches = batches};

            if (stop_requested(callbacks)) {
                open->seconds += now_seconds() - started;
                interrupted(err, epoch, batch - 1, batches);
                goto out;
            }
            if (train_batch(model, ds, s, order + start, n, &backup, &report, err) != 0)
                goto out;

            open->batches_done = batch;
            open->loss_sum += report.loss * (double)n;
            open->correct_sum += report.accuracy * (double)n;
            open->samples += n;
            if (nn_history_add_batch(model, &report, err) != 0)
                goto out;
            if (callbacks && callbacks->on_batch &&
                callbacks->on_batch(callbacks->user, &report) != 0) {
                open->seconds += now_seconds() - started;
                interrupted(err, epoch, batch, batches);
                goto out;
            }
        }

        nn_model_score(model, ds->train_images, ds->train_labels, subsets.val, subsets.n_val,
                       batch_size, &validation);
        epoch_report.loss = open->loss_sum / (double)open->samples;
        epoch_report.accuracy = open->correct_sum / (double)open->samples;
        epoch_report.val_loss = validation.loss;
        epoch_report.val_accuracy = validation.accuracy;
        epoch_report.seconds = open->seconds + now_seconds() - started;
        memset(open, 0, sizeof *open);
        model->epochs_trained++;
        if (nn_history_add_epoch(model, &epoch_report, err) != 0)
            goto out;
        if (callbacks && callbacks->on_epoch &&
            callbacks->on_epoch(callbacks->user, &epoch_report) != 0 && epoch < s->epochs) {
            interrupted(err, epoch, batches, batches);
            goto out;
        }
    }
    status = 0;

out:
    free(order);
    free(backup.params);
    free(backup.m);
    free(backup.v);
    nn_subsets_free(&subsets);
    return status;
}
