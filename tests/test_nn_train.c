/* test_nn_train.c: training on a synthetic dataset: learning, determinism, divergence,
 * interrupts and resuming, optimizer changes, callbacks and evaluation. */
#include <stdint.h>

#include "nn/model_internal.h"
#include "nn_test_util.h"

static nn_dataset dataset;

static void small_settings(nn_settings *s)
{
    nn_settings_default(s);
    s->n_train = 400;
    s->n_val = 100;
    s->n_test = 200;
    s->batch_size = 48; /* 400 = 8 * 48 + 16, so every epoch ends with a partial batch */
    s->epochs = 2;
    s->learning_rate = 0.01;
    s->threads = 2;
}

static nn_model *small_mlp(uint64_t seed)
{
    nn_model_spec spec;
    nn_error err = {0};

    nn_model_spec_default(&spec, NN_MODEL_MLP);
    spec.hidden[0] = 32;
    spec.dropout = 0.2;
    return nn_model_build(&spec, seed, &err);
}

static nn_model *small_conv(uint64_t seed)
{
    nn_model_spec spec;
    nn_error err = {0};

    nn_model_spec_default(&spec, NN_MODEL_CONV);
    spec.filters[0] = 4;
    spec.filters[1] = 8;
    return nn_model_build(&spec, seed, &err);
}

static int same_weights(const nn_model *a, const nn_model *b)
{
    return a->n_params == b->n_params &&
           memcmp(a->params, b->params, a->n_params * sizeof(float)) == 0;
}

static int same_history(const nn_model *a, const nn_model *b)
{
    if (a->n_batch_history != b->n_batch_history || a->n_epoch_history != b->n_epoch_history)
        return 0;
    for (size_t i = 0; i < a->n_batch_history; i++)
        if (a->batch_history[i].loss != b->batch_history[i].loss ||
            a->batch_history[i].step != b->batch_history[i].step)
            return 0;
    for (size_t i = 0; i < a->n_epoch_history; i++)
        if (a->epoch_history[i].loss != b->epoch_history[i].loss ||
            a->epoch_history[i].val_loss != b->epoch_history[i].val_loss)
            return 0;
    return 1;
}

/*** learning ***/

static void test_train_learns_synthetic(void)
{
    nn_model *model = small_mlp(1);
    nn_settings s;
    nn_evaluation before, after;
    nn_error err = {0};
    int status;

    small_settings(&s);
    s.epochs = 3;
    CHECK(nn_evaluate(model, &dataset, &s, &before, &err) == 0);
    status = nn_train(model, &dataset, &s, NULL, &err);
    CHECK_INT_EQ(status, 0);
    if (status != 0)
        fprintf(stderr, "  %s\n", err.message);
    CHECK(nn_evaluate(model, &dataset, &s, &after, &err) == 0);
    CHECK(after.loss < before.loss);
    CHECK(after.accuracy > 0.9);
    CHECK_INT_EQ(after.count, 200);
    nn_model_free(model);
}

static void test_evaluate_confusion_matrix(void)
{
    nn_model *model = small_mlp(2);
    nn_settings s;
    nn_evaluation eval;
    nn_error err = {0};
    uint32_t total = 0, diagonal = 0;

    small_settings(&s);
    CHECK(nn_train(model, &dataset, &s, NULL, &err) == 0);
    CHECK(nn_evaluate(model, &dataset, &s, &eval, &err) == 0);
    for (int t = 0; t < NN_CLASSES; t++)
        for (int p = 0; p < NN_CLASSES; p++) {
            total += eval.confusion[t][p];
            if (t == p)
                diagonal += eval.confusion[t][p];
        }
    CHECK_INT_EQ(total, 200);
    CHECK_NEAR((double)diagonal / total, eval.accuracy, 1e-12);
    nn_model_free(model);
}

/*** determinism ***/

static void test_same_seed_identical(void)
{
    nn_model *a = small_mlp(3), *b = small_mlp(3);
    nn_settings s;
    nn_error err = {0};

    small_settings(&s);
    CHECK(nn_train(a, &dataset, &s, NULL, &err) == 0);
    CHECK(nn_train(b, &dataset, &s, NULL, &err) == 0);
    CHECK(same_weights(a, b));
    CHECK(same_history(a, b));
    nn_model_free(a);
    nn_model_free(b);
}

static void test_conv_same_seed_identical(void)
{
    nn_model *a = small_conv(3), *b = small_conv(3);
    nn_settings s;
    nn_error err = {0};

    small_settings(&s);
    s.epochs = 1;
    CHECK(nn_train(a, &dataset, &s, NULL, &err) == 0);
    CHECK(nn_train(b, &dataset, &s, NULL, &err) == 0);
    CHECK(same_weights(a, b));
    CHECK(same_history(a, b));
    nn_model_free(a);
    nn_model_free(b);
}

/* The default mlp (784-128-10) with a batch of 400: products this large are split across
 * OpenBLAS's threads, and the default conv model runs its 16-channel vector loops. Both
 * must still repeat bit for bit. */
static void test_large_batch_same_seed_identical(void)
{
    nn_model_type kinds[] = {NN_MODEL_MLP, NN_MODEL_CONV};

    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        nn_model_spec spec;
        nn_model *a, *b;
        nn_settings s;
        nn_error err = {0};

        nn_model_spec_default(&spec, kinds[k]);
        a = nn_model_build(&spec, 5, &err);
        b = nn_model_build(&spec, 5, &err);
        small_settings(&s);
        s.batch_size = 400;
        s.epochs = 2;
        CHECK(nn_train(a, &dataset, &s, NULL, &err) == 0);
        CHECK(nn_train(b, &dataset, &s, NULL, &err) == 0);
        CHECK(same_weights(a, b));
        CHECK(same_history(a, b));
        nn_model_free(a);
        nn_model_free(b);
    }
}

static void test_one_thread_identical(void)
{
    nn_model *a = small_conv(3), *b = small_conv(3);
    nn_settings s;
    nn_error err = {0};

    small_settings(&s);
    s.epochs = 1;
    s.threads = 1;
    CHECK(nn_train(a, &dataset, &s, NULL, &err) == 0);
    CHECK(nn_train(b, &dataset, &s, NULL, &err) == 0);
    CHECK(same_weights(a, b));
    CHECK(same_history(a, b));
    nn_model_free(a);
    nn_model_free(b);
}

static void test_different_seed_differs(void)
{
    nn_model *a = small_mlp(3), *b = small_mlp(3), *c = small_mlp(4);
    nn_settings s;
    nn_error err = {0};

    small_settings(&s);
    CHECK(nn_train(a, &dataset, &s, NULL, &err) == 0);
    /* The same initial weights with another training seed (shuffle, dropout, subsets). */
    s.seed = 43;
    CHECK(nn_train(b, &dataset, &s, NULL, &err) == 0);
    CHECK(!same_weights(a, b));
    /* Other initial weights. */
    s.seed = NN_DEFAULT_SEED;
    CHECK(nn_train(c, &dataset, &s, NULL, &err) == 0);
    CHECK(!same_weights(a, c));
    nn_model_free(a);
    nn_model_free(b);
    nn_model_free(c);
}

/*** divergence ***/

/* The default mlp has enough weights for the optimizer step to be split across the
 * threads; a diverging step must still restore every part, with Adam's state. */
static void test_large_divergence_restores_state(void)
{
    nn_model_spec spec;
    nn_model *model;
    float *before, *m_before;
    nn_settings s;
    nn_error err = {0};
    int status;

    nn_model_spec_default(&spec, NN_MODEL_MLP);
    model = nn_model_build(&spec, 6, &err);
    before = malloc(model->n_params * sizeof(float));
    m_before = malloc(model->n_params * sizeof(float));

    /* One sane epoch gives Adam a state worth restoring. */
    small_settings(&s);
    s.epochs = 1;
    CHECK(nn_train(model, &dataset, &s, NULL, &err) == 0);
    memcpy(before, model->params, model->n_params * sizeof(float));
    memcpy(m_before, model->opt_m, model->n_params * sizeof(float));

    s.learning_rate = 1e300;
    status = nn_train(model, &dataset, &s, NULL, &err);
    CHECK_INT_EQ(status, -1);
    CHECK_INT_EQ(err.code, NN_ERR_DIVERGED);
    CHECK(memcmp(before, model->params, model->n_params * sizeof(float)) == 0);
    CHECK(memcmp(m_before, model->opt_m, model->n_params * sizeof(float)) == 0);
    free(before);
    free(m_before);
    nn_model_free(model);
}

static void test_divergence_restores_weights(void)
{
    nn_model *model = small_mlp(5);
    float *before = malloc(model->n_params * sizeof(float));
    nn_settings s;
    nn_error err = {0};
    int status;

    /* The learning rate rounds to an infinite float, so the first update makes every
     * weight with a gradient infinite or NaN. */
    small_settings(&s);
    s.optimizer = NN_OPT_SGD;
    s.learning_rate = 1e300;
    memcpy(before, model->params, model->n_params * sizeof(float));
    status = nn_train(model, &dataset, &s, NULL, &err);
    CHECK_INT_EQ(status, -1);
    CHECK_INT_EQ(err.code, NN_ERR_DIVERGED);
    CHECK(strstr(err.message, "epoch 1, batch 1") != NULL);
    CHECK(strstr(err.message, "lower learning rate") != NULL);
    CHECK(memcmp(before, model->params, model->n_params * sizeof(float)) == 0);
    CHECK_INT_EQ(model->n_batch_history, 0);

    /* The restored model trains on with a sane learning rate. */
    s.learning_rate = 0.01;
    CHECK(nn_train(model, &dataset, &s, NULL, &err) == 0);
    free(before);
    nn_model_free(model);
}

typedef struct {
    nn_model *model;
    float *snapshot;  /* weights after the latest completed batch */
    int batches;
} snapshot_state;

static int snapshot_weights(void *user, const nn_batch_report *report)
{
    snapshot_state *state = user;

    memcpy(state->snapshot, state->model->params, state->model->n_params * sizeof(float));
    state->batches++;
    return 0;
}

static void test_divergence_mid_training(void)
{
    nn_model *model = small_mlp(6);
    snapshot_state state = {.model = model};
    nn_train_callbacks callbacks = {.on_batch = snapshot_weights, .user = &state};
    nn_settings s;
    nn_error err = {0};
    int status;

    /* At a learning rate of 1e38 the first update leaves huge but finite weights, and the
     * second batch's loss overflows. */
    state.snapshot = malloc(model->n_params * sizeof(float));
    small_settings(&s);
    s.optimizer = NN_OPT_SGD;
    s.learning_rate = 1e38;
    status = nn_train(model, &dataset, &s, &callbacks, &err);
    CHECK_INT_EQ(status, -1);
    CHECK_INT_EQ(err.code, NN_ERR_DIVERGED);
    CHECK(strstr(err.message, "epoch 1, batch 2") != NULL);
    CHECK_INT_EQ(state.batches, 1);
    CHECK(memcmp(state.snapshot, model->params, model->n_params * sizeof(float)) == 0);
    for (size_t i = 0; i < model->n_params; i++)
        if (!isfinite(model->params[i])) {
            CHECK(isfinite(model->params[i]));
            break;
        }
    free(state.snapshot);
    nn_model_free(model);
}

/*** interrupts ***/

typedef struct {
    volatile sig_atomic_t *flag;
    int raise_after; /* raise the flag after this many batches */
    int batches;
} stop_state;

static int raise_stop_flag(void *user, const nn_batch_report *report)
{
    stop_state *state = user;

    if (++state->batches == state->raise_after)
        *state->flag = 1;
    return 0;
}

static void test_stop_flag_then_resume(void)
{
    nn_model *interrupted = small_mlp(7), *straight = small_mlp(7);
    volatile sig_atomic_t flag = 0;
    stop_state state = {.flag = &flag, .raise_after = 11};
    nn_train_callbacks callbacks = {.on_batch = raise_stop_flag, .user = &state,
                                    .stop_flag = &flag};
    nn_settings s;
    nn_error err = {0};
    int status;

    small_settings(&s);
    CHECK(nn_train(straight, &dataset, &s, NULL, &err) == 0);

    /* 9 batches per epoch: stop in the second epoch after its second batch. */
    status = nn_train(interrupted, &dataset, &s, &callbacks, &err);
    CHECK_INT_EQ(status, -1);
    CHECK_INT_EQ(err.code, NN_ERR_INTERRUPTED);
    CHECK(strstr(err.message, "epoch 2, batch 2 of 9") != NULL);
    CHECK_INT_EQ(interrupted->n_batch_history, 11);
    CHECK_INT_EQ(interrupted->n_epoch_history, 1);
    CHECK_INT_EQ(interrupted->epochs_trained, 1);

    /* Resuming with one epoch finishes the open epoch exactly as the straight run did. */
    flag = 0;
    s.epochs = 1;
    CHECK(nn_train(interrupted, &dataset, &s, &callbacks, &err) == 0);
    CHECK_INT_EQ(interrupted->epochs_trained, 2);
    CHECK(same_weights(interrupted, straight));
    CHECK_INT_EQ(interrupted->n_batch_history, straight->n_batch_history);
    CHECK_INT_EQ(interrupted->step, straight->step);
    nn_model_free(interrupted);
    nn_model_free(straight);
}

static int stop_at_third(void *user, const nn_batch_report *report)
{
    return report->batch == 3;
}

static void test_callback_stops_training(void)
{
    nn_model *model = small_mlp(8);
    nn_train_callbacks callbacks = {.on_batch = stop_at_third};
    nn_settings s;
    nn_error err = {0};

    small_settings(&s);
    CHECK_INT_EQ(nn_train(model, &dataset, &s, &callbacks, &err), -1);
    CHECK_INT_EQ(err.code, NN_ERR_INTERRUPTED);
    CHECK_INT_EQ(model->n_batch_history, 3);
    CHECK_INT_EQ(model->step, 3);
    nn_model_free(model);
}

static void test_stop_flag_already_raised(void)
{
    nn_model *model = small_mlp(9);
    float *before = malloc(model->n_params * sizeof(float));
    volatile sig_atomic_t flag = 1;
    nn_train_callbacks callbacks = {.stop_flag = &flag};
    nn_settings s;
    nn_error err = {0};

    small_settings(&s);
    memcpy(before, model->params, model->n_params * sizeof(float));
    CHECK_INT_EQ(nn_train(model, &dataset, &s, &callbacks, &err), -1);
    CHECK_INT_EQ(err.code, NN_ERR_INTERRUPTED);
    CHECK(strstr(err.message, "before epoch 1 started") != NULL);
    CHECK(memcmp(before, model->params, model->n_params * sizeof(float)) == 0);
    free(before);
    nn_model_free(model);
}

/*** reports, history and optimizer state ***/

typedef struct {
    int batches, epochs;
    nn_batch_report last_batch;
    nn_epoch_report last_epoch;
} report_log;

static int log_batch(void *user, const nn_batch_report *report)
{
    report_log *log = user;

    log->batches++;
    log->last_batch = *report;
    return 0;
}

static int log_epoch(void *user, const nn_epoch_report *report)
{
    report_log *log = user;

    log->epochs++;
    log->last_epoch = *report;
    return 0;
}

static void test_reports_and_history(void)
{
    nn_model *model = small_mlp(10);
    report_log log = {0};
    nn_train_callbacks callbacks = {.on_batch = log_batch, .on_epoch = log_epoch, .user = &log};
    nn_history history;
    nn_settings s;
    nn_error err = {0};

    small_settings(&s);
    CHECK(nn_train(model, &dataset, &s, &callbacks, &err) == 0);
    CHECK_INT_EQ(log.batches, 18);
    CHECK_INT_EQ(log.epochs, 2);
    CHECK_INT_EQ(log.last_batch.batch, 9);
    CHECK_INT_EQ(log.last_batch.batches, 9);
    CHECK_INT_EQ(log.last_batch.epoch, 2);
    CHECK_INT_EQ(log.last_batch.step, 18);
    CHECK_INT_EQ(log.last_epoch.epoch, 2);
    CHECK_INT_EQ(log.last_epoch.epochs, 2);
    CHECK(log.last_epoch.val_accuracy > 0.0);
    CHECK(log.last_epoch.val_loss > 0.0);
    CHECK(log.last_epoch.seconds >= 0.0);

    nn_model_history(model, &history);
    CHECK_INT_EQ(history.n_batches, 18);
    CHECK_INT_EQ(history.n_epochs, 2);
    CHECK_INT_EQ(history.epochs_trained, 2);
    CHECK(history.batches[0].loss > history.batches[17].loss);

    /* A second run appends and numbers its epochs from 1 again. */
    s.epochs = 1;
    CHECK(nn_train(model, &dataset, &s, &callbacks, &err) == 0);
    nn_model_history(model, &history);
    CHECK_INT_EQ(history.n_epochs, 3);
    CHECK_INT_EQ(history.epochs_trained, 3);
    CHECK_INT_EQ(history.epochs[2].epoch, 1);
    CHECK_INT_EQ(history.batches[history.n_batches - 1].step, 27);
    nn_model_free(model);
}

static void test_optimizer_change_resets_state(void)
{
    nn_model *model = small_mlp(11);
    nn_settings s;
    nn_error err = {0};

    small_settings(&s);
    s.epochs = 1;
    CHECK(nn_train(model, &dataset, &s, NULL, &err) == 0);
    CHECK_INT_EQ(model->opt_step, 9);
    CHECK(nn_train(model, &dataset, &s, NULL, &err) == 0);
    CHECK_INT_EQ(model->opt_step, 18);

    s.optimizer = NN_OPT_MOMENTUM;
    CHECK(nn_train(model, &dataset, &s, NULL, &err) == 0);
    CHECK_INT_EQ(model->opt_step, 9);
    CHECK_INT_EQ(model->optimizer, NN_OPT_MOMENTUM);
    /* The step counter of the model's life keeps counting across optimizers. */
    CHECK_INT_EQ(model->step, 27);
    nn_model_free(model);
}

static void test_invalid_settings_rejected(void)
{
    nn_model *model = small_mlp(12);
    nn_settings s;
    nn_error err = {0};

    small_settings(&s);
    s.n_train = 10000;
    CHECK_INT_EQ(nn_train(model, &dataset, &s, NULL, &err), -1);
    CHECK_INT_EQ(err.code, NN_ERR_ARGUMENT);
    CHECK_INT_EQ(model->step, 0);
    nn_model_free(model);
}

int main(void)
{
    if (synthetic_dataset(&dataset, 600, 300, 2024) != 0) {
        fprintf(stderr, "out of memory for the synthetic dataset\n");
        return 1;
    }
    RUN(test_train_learns_synthetic);
    RUN(test_evaluate_confusion_matrix);
    RUN(test_same_seed_identical);
    RUN(test_conv_same_seed_identical);
    RUN(test_large_batch_same_seed_identical);
    RUN(test_one_thread_identical);
    RUN(test_different_seed_differs);
    RUN(test_divergence_restores_weights);
    RUN(test_large_divergence_restores_state);
    RUN(test_divergence_mid_training);
    RUN(test_stop_flag_then_resume);
    RUN(test_callback_stops_training);
    RUN(test_stop_flag_already_raised);
    RUN(test_reports_and_history);
    RUN(test_optimizer_change_resets_state);
    RUN(test_invalid_settings_rejected);
    synthetic_dataset_free(&dataset);
    return check_summary();
}
