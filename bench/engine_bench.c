/* engine_bench.c: trains one nnscope model and prints its timings as one JSON object.
 *
 * Usage: engine-bench --data DIR --dataset NAME --model basic|mlp|conv [--train N] [--test N]
 *                     [--val N] [--batch N] [--epochs N] [--lr X] [--seed N] [--threads N]
 *                     [--subsets-out FILE]
 *
 * This is the nnscope side of bench/engine_vs_pytorch.py, which runs it in its own process
 * so that the process's peak RSS is the engine's. --subsets-out writes the training,
 * validation and test indices (JSON) that nn_train and nn_evaluate use, so the PyTorch
 * side trains and scores exactly the same images. The mlp model is 784-128-10 with ReLU.
 * Output fields: seconds_per_epoch (wall time of nn_train divided by the epochs, which
 * includes the per-epoch shuffle and the validation pass), epoch_seconds (each epoch as
 * nn_train reports it), test_accuracy and test_loss (nn_evaluate on the test subset),
 * params and threads.
 */
#include "nn/nn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_EPOCHS 100

typedef struct {
    double seconds[MAX_EPOCHS];
    double val_accuracy[MAX_EPOCHS];
    int count;
} epoch_log;

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int record_epoch(void *user, const nn_epoch_report *report)
{
    epoch_log *log = user;

    if (log->count < MAX_EPOCHS) {
        log->seconds[log->count] = report->seconds;
        log->val_accuracy[log->count] = report->val_accuracy;
        log->count++;
    }
    return 0;
}

static void write_indices(FILE *out, const char *key, const uint32_t *indices, size_t n)
{
    fprintf(out, "\"%s\": [", key);
    for (size_t i = 0; i < n; i++)
        fprintf(out, i ? ",%u" : "%u", (unsigned)indices[i]);
    fprintf(out, "]");
}

static int write_subsets(const char *path, const nn_dataset *ds, const nn_settings *s)
{
    nn_subsets sub;
    nn_error err;
    FILE *out;

    if (nn_subsets_make(&sub, ds, s, &err) != 0) {
        fprintf(stderr, "engine-bench: %s\n", err.message);
        return -1;
    }
    out = fopen(path, "w");
    if (!out) {
        perror(path);
        nn_subsets_free(&sub);
        return -1;
    }
    fprintf(out, "{");
    write_indices(out, "train", sub.train, sub.n_train);
    fprintf(out, ",\n");
    write_indices(out, "val", sub.val, sub.n_val);
    fprintf(out, ",\n");
    write_indices(out, "test", sub.test, sub.n_test);
    fprintf(out, "}\n");
    nn_subsets_free(&sub);
    if (fclose(out) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

static int parse_model(const char *name, nn_model_spec *spec)
{
    if (strcmp(name, "basic") == 0) {
        nn_model_spec_default(spec, NN_MODEL_BASIC);
    } else if (strcmp(name, "conv") == 0) {
        nn_model_spec_default(spec, NN_MODEL_CONV);
    } else if (strcmp(name, "mlp") == 0) {
        nn_model_spec_default(spec, NN_MODEL_MLP);
        spec->hidden[0] = 128;
        spec->n_hidden = 1;
        spec->activation = NN_ACT_RELU;
        spec->dropout = 0;
    } else {
        return -1;
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "Usage: engine-bench --data DIR --dataset NAME --model basic|mlp|conv [--train N] "
            "[--test N] [--val N] [--batch N] [--epochs N] [--lr X] [--seed N] [--threads N] "
            "[--subsets-out FILE]\n");
}

int main(int argc, char **argv)
{
    const char *data_dir = NULL, *dataset_name = "mnist", *model_name = NULL, *subsets_path = NULL;
    nn_dataset ds = {0};
    nn_settings s;
    nn_model_spec spec;
    nn_model *model = NULL;
    nn_evaluation evaluation;
    nn_train_callbacks callbacks = {0};
    epoch_log log = {0};
    nn_error err;
    double started, train_seconds;
    int status = 1;

    /* Arguments: every option takes a value. */
    nn_settings_default(&s);
    for (int i = 1; i < argc; i++) {
        const char *option = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;

        if (!value) {
            usage();
            return 2;
        }
        i++;
        if (strcmp(option, "--data") == 0)
            data_dir = value;
        else if (strcmp(option, "--dataset") == 0)
            dataset_name = value;
        else if (strcmp(option, "--model") == 0)
            model_name = value;
        else if (strcmp(option, "--subsets-out") == 0)
            subsets_path = value;
        else if (strcmp(option, "--train") == 0)
            s.n_train = atoi(value);
        else if (strcmp(option, "--test") == 0)
            s.n_test = atoi(value);
        else if (strcmp(option, "--val") == 0)
            s.n_val = atoi(value);
        else if (strcmp(option, "--batch") == 0)
            s.batch_size = atoi(value);
        else if (strcmp(option, "--epochs") == 0)
            s.epochs = atoi(value);
        else if (strcmp(option, "--lr") == 0)
            s.learning_rate = atof(value);
        else if (strcmp(option, "--seed") == 0)
            s.seed = strtoull(value, NULL, 10);
        else if (strcmp(option, "--threads") == 0)
            s.threads = atoi(value);
        else {
            fprintf(stderr, "engine-bench: unknown option %s\n", option);
            usage();
            return 2;
        }
    }
    if (!data_dir || !model_name || parse_model(model_name, &spec) != 0 || s.epochs > MAX_EPOCHS) {
        usage();
        return 2;
    }
    s.optimizer = NN_OPT_ADAM;

    /* Data, subsets and model. */
    if (nn_dataset_load_dir(&ds, data_dir, dataset_name, &err) != 0)
        goto fail;
    if (nn_settings_check(&s, &ds, &err) != 0)
        goto fail;
    if (subsets_path && write_subsets(subsets_path, &ds, &s) != 0)
        goto out;
    model = nn_model_build(&spec, s.seed, &err);
    if (!model)
        goto fail;

    /* Training, timed as a whole, then the test subset. */
    callbacks.on_epoch = record_epoch;
    callbacks.user = &log;
    started = now_seconds();
    if (nn_train(model, &ds, &s, &callbacks, &err) != 0)
        goto fail;
    train_seconds = now_seconds() - started;
    if (nn_evaluate(model, &ds, &s, &evaluation, &err) != 0)
        goto fail;

    printf("{\"engine\": \"nnscope\", \"model\": \"%s\", \"dataset\": \"%s\", \"threads\": %d, "
           "\"params\": %zu, \"seconds_per_epoch\": %.6f, \"epoch_seconds\": [",
           model_name, dataset_name, nn_get_threads(), nn_model_param_count(model),
           train_seconds / s.epochs);
    for (int e = 0; e < log.count; e++)
        printf(e ? ", %.6f" : "%.6f", log.seconds[e]);
    printf("], \"val_accuracy\": %.6f, \"test_accuracy\": %.6f, \"test_loss\": %.6f}\n",
           log.count ? log.val_accuracy[log.count - 1] : 0.0, evaluation.accuracy, evaluation.loss);
    status = 0;
    goto out;

fail:
    fprintf(stderr, "engine-bench: %s\n", err.message);
out:
    if (model)
        nn_model_free(model);
    nn_dataset_free(&ds);
    return status;
}
