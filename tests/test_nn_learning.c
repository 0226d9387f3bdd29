/* test_nn_learning.c: learning checks on real data with fixed seeds.
 *
 * These train real models for a few epochs, so the sanitizer build skips them by setting
 * NNSCOPE_SKIP_LEARNING=1. Missing data is a failure, not a skip: the digits come from
 * `make` in data/, and Fashion-MNIST from Debian's dataset-fashion-mnist package. The
 * thresholds sit one to three points below what these setups reach with the default seed
 * (basic 90.5%, conv 95.4%, Fashion mlp 85.0% when this test was written). So a regression
 * in the engine fails the test, and the margin leaves room for the smaller differences
 * between seeds and machines.
 */
#include <stdlib.h>
#include <time.h>

#include "nn_test_util.h"

#ifndef DATA_BUILDDIR
#error "DATA_BUILDDIR must name the build tree's data directory"
#endif

#define FASHION_DIR "/usr/share/datasets/fashion-mnist"

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Trains a model of spec with s on the dataset in dir and returns its test accuracy, or
 * -1 after printing why it could not. */
static double train_and_score(const char *dir, const char *name, const nn_model_spec *spec,
                              const nn_settings *s)
{
    nn_dataset ds;
    nn_model *model = NULL;
    nn_evaluation eval;
    nn_error err = {0};
    double accuracy = -1.0, started;

    if (nn_dataset_load_dir(&ds, dir, name, &err) != 0) {
        fprintf(stderr, "  cannot load %s from %s: %s\n", name, dir, err.message);
        return -1.0;
    }
    model = nn_model_build(spec, s->seed, &err);
    if (!model) {
        fprintf(stderr, "  cannot build the model: %s\n", err.message);
        goto out;
    }
    started = now_seconds();
    if (nn_train(model, &ds, s, NULL, &err) != 0) {
        fprintf(stderr, "  training failed: %s\n", err.message);
        goto out;
    }
    if (nn_evaluate(model, &ds, s, &eval, &err) != 0) {
        fprintf(stderr, "  evaluation failed: %s\n", err.message);
        goto out;
    }
    accuracy = eval.accuracy;
    printf("     %s %s: test accuracy %.2f%%, %.2f s per epoch on %d threads\n", name,
           nn_model_type_name(spec->type), 100.0 * accuracy,
           (now_seconds() - started) / s->epochs, nn_get_threads());

out:
    nn_model_free(model);
    nn_dataset_free(&ds);
    return accuracy;
}

static void test_basic_defaults_on_digits(void)
{
    nn_model_spec spec;
    nn_settings s;

    /* train 5500, test 1000, batch 512, 5 epochs, adam at lr 0.01 */
    nn_model_spec_default(&spec, NN_MODEL_BASIC);
    nn_settings_default(&s);
    CHECK(train_and_score(DATA_BUILDDIR "/mnist", "mnist", &spec, &s) >= 0.87);
}

static void test_conv_on_digits(void)
{
    nn_model_spec spec;
    nn_settings s;

    nn_model_spec_default(&spec, NN_MODEL_CONV);
    nn_settings_default(&s);
    s.n_train = 7500;
    s.n_test = 2000;
    s.batch_size = 64;
    s.learning_rate = 0.001;
    s.epochs = 5;
    CHECK(train_and_score(DATA_BUILDDIR "/mnist", "mnist", &spec, &s) >= 0.94);
}

static void test_mlp_on_fashion(void)
{
    nn_model_spec spec;
    nn_settings s;

    nn_model_spec_default(&spec, NN_MODEL_MLP);
    spec.hidden[0] = 128;
    spec.n_hidden = 1;
    nn_settings_default(&s);
    s.n_train = 59500;
    s.n_test = 10000;
    s.batch_size = 128;
    s.learning_rate = 0.001;
    s.epochs = 2;
    CHECK(train_and_score(FASHION_DIR, "fashion", &spec, &s) >= 0.84);
}

int main(void)
{
    const char *skip = getenv("NNSCOPE_SKIP_LEARNING");

    if (skip && strcmp(skip, "1") == 0) {
        printf("skipping the learning checks: NNSCOPE_SKIP_LEARNING=1\n");
        /* Exit status 77 marks a skipped test for automake's test driver. */
        return 77;
    }
    RUN(test_basic_defaults_on_digits);
    RUN(test_conv_on_digits);
    RUN(test_mlp_on_fashion);
    return check_summary();
}
