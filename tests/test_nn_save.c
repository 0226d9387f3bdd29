/* test_nn_save.c: saving and loading models: round trips, resumed training, and
 * rejection of damaged, truncated and foreign files. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "nn/model_internal.h"
#include "nn_test_util.h"

static nn_dataset dataset;
static char directory[] = "/tmp/nnscope-test-save-XXXXXX";

static void path_in_directory(char *path, size_t size, const char *name)
{
    snprintf(path, size, "%s/%s", directory, name);
}

static void small_settings(nn_settings *s)
{
    nn_settings_default(s);
    s->n_train = 300;
    s->n_val = 60;
    s->n_test = 100;
    s->batch_size = 64;
    s->epochs = 1;
    s->threads = 2;
}

static nn_model *trained_conv(nn_settings *s)
{
    nn_model_spec spec;
    nn_error err = {0};
    nn_model *model;

    nn_model_spec_default(&spec, NN_MODEL_CONV);
    spec.filters[0] = 4;
    spec.filters[1] = 6;
    spec.kernel_size = 3;
    model = nn_model_build(&spec, 77, &err);
    small_settings(s);
    if (model && nn_train(model, &dataset, s, NULL, &err) != 0)
        fprintf(stderr, "  training failed: %s\n", err.message);
    return model;
}

static long file_size(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static unsigned char *read_all(const char *path, long *size)
{
    FILE *file = fopen(path, "rb");
    unsigned char *data;

    *size = file_size(path);
    if (!file || *size < 0)
        return NULL;
    data = malloc((size_t)*size);
    if (fread(data, 1, (size_t)*size, file) != (size_t)*size) {
        free(data);
        data = NULL;
    }
    fclose(file);
    return data;
}

static void write_all(const char *path, const unsigned char *data, long size)
{
    FILE *file = fopen(path, "wb");

    fwrite(data, 1, (size_t)size, file);
    fclose(file);
}

static void test_round_trip_identical(void)
{
    nn_settings s, loaded_settings;
    nn_model *model = trained_conv(&s);
    nn_model *loaded;
    nn_error err = {0};
    char path[256];
    float image[NN_IMAGE_PIXELS], probs[NN_CLASSES], loaded_probs[NN_CLASSES];
    nn_rng rng;

    path_in_directory(path, sizeof path, "round.nns");
    s.learning_rate = 0.005;
    CHECK(nn_model_save(model, &s, path, &err) == 0);
    loaded = nn_model_load(path, &loaded_settings, &err);
    CHECK(loaded != NULL);
    if (!loaded) {
        fprintf(stderr, "  %s\n", err.message);
        nn_model_free(model);
        return;
    }

    CHECK_INT_EQ(loaded->spec.type, NN_MODEL_CONV);
    CHECK_INT_EQ(loaded->spec.kernel_size, 3);
    CHECK_INT_EQ(loaded->n_params, model->n_params);
    CHECK(memcmp(loaded->params, model->params, model->n_params * sizeof(float)) == 0);
    CHECK(memcmp(loaded->opt_m, model->opt_m, model->n_params * sizeof(float)) == 0);
    CHECK(memcmp(loaded->opt_v, model->opt_v, model->n_params * sizeof(float)) == 0);
    CHECK_INT_EQ(loaded->opt_step, model->opt_step);
    CHECK_NEAR(loaded_settings.learning_rate, 0.005, 0.0);
    CHECK_INT_EQ(loaded_settings.batch_size, 64);
    CHECK_INT_EQ(loaded_settings.seed, NN_DEFAULT_SEED);

    CHECK_INT_EQ(loaded->n_batch_history, model->n_batch_history);
    CHECK_INT_EQ(loaded->n_epoch_history, 1);
    CHECK_INT_EQ(loaded->epochs_trained, 1);
    CHECK(memcmp(loaded->batch_history, model->batch_history,
                 model->n_batch_history * sizeof(nn_batch_report)) == 0);
    CHECK(memcmp(loaded->epoch_history, model->epoch_history, sizeof(nn_epoch_report)) == 0);

    nn_rng_seed(&rng, 5, NN_STREAM_SAMPLES);
    fill_uniform(&rng, image, NN_IMAGE_PIXELS, 0.0, 1.0);
    CHECK(nn_predict(model, image, probs, &err) == 0);
    CHECK(nn_predict(loaded, image, loaded_probs, &err) == 0);
    CHECK(memcmp(probs, loaded_probs, sizeof probs) == 0);

    nn_model_free(loaded);
    nn_model_free(model);
}

static void test_untrained_round_trip(void)
{
    nn_model_spec spec;
    nn_settings s, loaded_settings;
    nn_error err = {0};
    nn_model *model, *loaded;
    char path[256];

    nn_model_spec_default(&spec, NN_MODEL_MLP);
    spec.hidden[0] = 16;
    spec.dropout = 0.5;
    model = nn_model_build(&spec, 3, &err);
    small_settings(&s);
    path_in_directory(path, sizeof path, "untrained.nns");
    CHECK(nn_model_save(model, &s, path, &err) == 0);
    loaded = nn_model_load(path, &loaded_settings, &err);
    CHECK(loaded != NULL);
    if (loaded) {
        CHECK(memcmp(loaded->params, model->params, model->n_params * sizeof(float)) == 0);
        CHECK_INT_EQ(loaded->has_optimizer, 0);
        CHECK_INT_EQ(loaded->n_batch_history, 0);
        CHECK_NEAR(loaded->spec.dropout, 0.5, 0.0);
        /* It trains like the model it was saved from. */
        CHECK(nn_train(model, &dataset, &s, NULL, &err) == 0);
        CHECK(nn_train(loaded, &dataset, &loaded_settings, NULL, &err) == 0);
        CHECK(memcmp(loaded->params, model->params, model->n_params * sizeof(float)) == 0);
    }
    nn_model_free(loaded);
    nn_model_free(model);
}

static void test_loaded_model_resumes_identically(void)
{
    nn_settings s, loaded_settings;
    nn_model *model = trained_conv(&s);
    nn_model *loaded;
    nn_error err = {0};
    char path[256];

    path_in_directory(path, sizeof path, "resume.nns");
    CHECK(nn_model_save(model, &s, path, &err) == 0);
    loaded = nn_model_load(path, &loaded_settings, &err);
    CHECK(loaded != NULL);
    if (!loaded) {
        nn_model_free(model);
        return;
    }
    CHECK(nn_train(model, &dataset, &s, NULL, &err) == 0);
    CHECK(nn_train(loaded, &dataset, &loaded_settings, NULL, &err) == 0);
    CHECK(memcmp(loaded->params, model->params, model->n_params * sizeof(float)) == 0);
    CHECK_INT_EQ(loaded->epochs_trained, 2);
    nn_model_free(loaded);
    nn_model_free(model);
}

/* Writes damaged (a copy of good with one change) and checks that the load fails with
 * NN_ERR_DATA and a message containing expected. */
static void check_rejected(const char *name, const unsigned char *data, long size,
                           const char *expected)
{
    char path[256];
    nn_settings s;
    nn_error err = {0};
    nn_model *model;

    memset(&s, 0xab, sizeof s);
    path_in_directory(path, sizeof path, name);
    write_all(path, data, size);
    model = nn_model_load(path, &s, &err);
    CHECK(model == NULL);
    CHECK_INT_EQ(err.code, NN_ERR_DATA);
    if (!strstr(err.message, expected)) {
        fprintf(stderr, "  %s: message \"%s\" lacks \"%s\"\n", name, err.message, expected);
        CHECK(strstr(err.message, expected) != NULL);
    }
    /* The caller's settings stay as they were. */
    CHECK_INT_EQ(s.batch_size, (int)0xabababab);
    nn_model_free(model);
}

static void test_damaged_files_rejected(void)
{
    nn_settings s;
    nn_model *model = trained_conv(&s);
    float *before = malloc(model->n_params * sizeof(float));
    nn_error err = {0};
    char path[256];
    unsigned char *data;
    long size;

    path_in_directory(path, sizeof path, "good.nns");
    CHECK(nn_model_save(model, &s, path, &err) == 0);
    data = read_all(path, &size);
    CHECK(data != NULL);
    if (!data) {
        nn_model_free(model);
        free(before);
        return;
    }
    memcpy(before, model->params, model->n_params * sizeof(float));

    /* One flipped bit in the middle of the weights. */
    data[size / 2] ^= 0x10;
    check_rejected("flipped.nns", data, size, "checksum");
    data[size / 2] ^= 0x10;

    check_rejected("truncated.nns", data, size - 100, "truncated");
    check_rejected("header-only.nns", data, 20, "truncated");

    data[8] = 99; /* version */
    check_rejected("version.nns", data, size, "version 99");
    data[8] = 1;

    check_rejected("foreign.nns", (const unsigned char *)"hello, this is not a model\n", 27,
                   "not an nnscope model");
    check_rejected("empty.nns", data, 0, "not an nnscope model");

    /* Nothing about the model in memory changed. */
    CHECK(memcmp(before, model->params, model->n_params * sizeof(float)) == 0);
    free(data);
    free(before);
    nn_model_free(model);
}

/* Stores a fresh CRC-32 at the end of data, as a writer with a different idea of the
 * fields would. */
static void reseal(unsigned char *data, long size)
{
    uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)(size - 4));

    for (int i = 0; i < 4; i++)
        data[size - 4 + i] = (unsigned char)(crc >> (8 * i));
}

static void test_consistent_but_wrong_files_rejected(void)
{
    nn_settings s;
    nn_model *model = trained_conv(&s);
    nn_error err = {0};
    char path[256];
    unsigned char *data;
    long size;

    path_in_directory(path, sizeof path, "sealed.nns");
    CHECK(nn_model_save(model, &s, path, &err) == 0);
    data = read_all(path, &size);
    CHECK(data != NULL);
    if (!data) {
        nn_model_free(model);
        return;
    }

    /* The payload starts at byte 24 with the model type, layers, units, activation and the
     * two filter counts. 5 filters instead of 4 give another parameter count. */
    CHECK_INT_EQ(data[40], 4);
    data[40] = 5;
    reseal(data, size);
    check_rejected("filters.nns", data, size, "weights but its conv model has");

    /* A kernel size of 10 cannot be built at all. */
    data[40] = 4;
    data[48] = 10;
    reseal(data, size);
    check_rejected("kernel-size.nns", data, size, "invalid model");

    free(data);
    nn_model_free(model);
}

static void test_missing_file_rejected(void)
{
    nn_settings s;
    nn_error err = {0};
    char path[256];

    path_in_directory(path, sizeof path, "does-not-exist.nns");
    CHECK(nn_model_load(path, &s, &err) == NULL);
    CHECK(strstr(err.message, "does-not-exist.nns") != NULL);
}

static void test_save_failure_leaves_no_file(void)
{
    nn_settings s;
    nn_model *model = trained_conv(&s);
    nn_error err = {0};
    char path[256];

    path_in_directory(path, sizeof path, "no-such-directory/model.nns");
    CHECK_INT_EQ(nn_model_save(model, &s, path, &err), -1);
    CHECK_INT_EQ(err.code, NN_ERR_IO);
    CHECK(strstr(err.message, "no-such-directory") != NULL);
    nn_model_free(model);
}

static void test_save_replaces_existing(void)
{
    nn_settings s;
    nn_model *model = trained_conv(&s);
    nn_model *loaded;
    nn_error err = {0};
    char path[256];

    path_in_directory(path, sizeof path, "replace.nns");
    write_all(path, (const unsigned char *)"old", 3);
    CHECK(nn_model_save(model, &s, path, &err) == 0);
    CHECK(file_size(path) > 3);
    loaded = nn_model_load(path, &s, &err);
    CHECK(loaded != NULL);
    nn_model_free(loaded);
    nn_model_free(model);
}

static void remove_directory(void)
{
    static const char *names[] = {"round.nns", "resume.nns", "good.nns", "flipped.nns",
                                  "truncated.nns", "header-only.nns", "version.nns",
                                  "foreign.nns", "empty.nns", "replace.nns", "sealed.nns",
                                  "filters.nns", "kernel-size.nns", "untrained.nns"};
    char path[256];

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        path_in_directory(path, sizeof path, names[i]);
        unlink(path);
    }
    rmdir(directory);
}

int main(void)
{
    if (!mkdtemp(directory)) {
        perror("mkdtemp");
        return 1;
    }
    if (synthetic_dataset(&dataset, 400, 100, 7) != 0) {
        fprintf(stderr, "out of memory for the synthetic dataset\n");
        return 1;
    }
    RUN(test_round_trip_identical);
    RUN(test_untrained_round_trip);
    RUN(test_loaded_model_resumes_identically);
    RUN(test_damaged_files_rejected);
    RUN(test_consistent_but_wrong_files_rejected);
    RUN(test_missing_file_rejected);
    RUN(test_save_failure_leaves_no_file);
    RUN(test_save_replaces_existing);
    synthetic_dataset_free(&dataset);
    remove_directory();
    return check_summary();
}
