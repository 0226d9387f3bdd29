/* test_converter.c: data/mnist-json-to-idx on small JSON digit files written by the test:
 * the stratified largest-remainder split, the pixel rounding, determinism and the errors. */
#include "check.h"
#include "idx_files.h"
#include "nn/nn.h"

#include <sys/stat.h>
#include <sys/wait.h>

#ifndef CONVERTER
#error "CONVERTER must name the built data/mnist-json-to-idx"
#endif

static char temp_dir[512];

/* Writes temp_dir/json/<digit>.json with count images; every pixel of image k of the
 * digit is pixel_value, except pixel 0, which is (digit * 16 + k) / 255 so that each image
 * can be recognised after the shuffle. */
static void write_digit_json(int digit, int count, const char *pixel_value)
{
    char path[1024];
    FILE *file;

    snprintf(path, sizeof path, "%s/json/%d.json", temp_dir, digit);
    file = fopen(path, "w");
    if (!file) {
        perror(path);
        exit(2);
    }
    fprintf(file, "{\"data\": [");
    for (int k = 0; k < count; k++) {
        fprintf(file, "%s%.6f", k ? "," : "", (double)(digit * 16 + k) / 255.0);
        for (int p = 1; p < NN_IMAGE_PIXELS; p++)
            fprintf(file, ",%s", pixel_value);
    }
    fprintf(file, "]}\n");
    fclose(file);
}

static void write_all_digits(int count_per_class, const char *pixel_value)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/json", temp_dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/out", temp_dir);
    mkdir(path, 0700);
    for (int digit = 0; digit < NN_CLASSES; digit++)
        write_digit_json(digit, count_per_class, pixel_value);
}

/* Runs the converter and returns its exit status; its stderr goes to temp_dir/stderr. */
static int run_converter(const char *train_option)
{
    char command[2048];
    int status;

    snprintf(command, sizeof command, "'%s' %s '%s/json' '%s/out' >/dev/null 2>'%s/stderr'",
             CONVERTER, train_option, temp_dir, temp_dir, temp_dir);
    status = system(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int stderr_contains(const char *needle)
{
    idx_buffer text = idx_read_file(temp_dir, "stderr");
    int found;

    text.bytes = realloc(text.bytes, text.size + 1);
    text.bytes[text.size] = '\0';
    found = strstr((const char *)text.bytes, needle) != NULL;
    if (!found)
        fprintf(stderr, "  converter stderr: %s(expected \"%s\")\n", (const char *)text.bytes, needle);
    free(text.bytes);
    return found;
}

static void test_converter_tied_remainders(void)
{
    /* 3 images per class and --train 7: every quota is 0.7, so the floors give nothing and
     * the 7 images go one each to the classes with equal remainders, lowest first. */
    nn_dataset ds;
    nn_error err = {0};
    int per_class[NN_CLASSES] = {0};

    write_all_digits(3, "0");
    CHECK_INT_EQ(run_converter("--train 7"), 0);
    {
        char out_dir[1024];

        snprintf(out_dir, sizeof out_dir, "%s/out", temp_dir);
        if (nn_dataset_load_dir(&ds, out_dir, "mnist", &err) != 0) {
            fprintf(stderr, "  %s\n", err.message);
            CHECK(!"the converted files load");
            return;
        }
    }
    CHECK_INT_EQ(ds.n_train, 7);
    CHECK_INT_EQ(ds.n_test, 23);
    for (size_t i = 0; i < ds.n_train; i++)
        per_class[ds.train_labels[i]]++;
    for (int c = 0; c < NN_CLASSES; c++)
        CHECK_INT_EQ(per_class[c], c < 7 ? 1 : 0);

    /* Pixel 0 identifies the image, so it must agree with the label. */
    for (size_t i = 0; i < ds.n_train; i++)
        CHECK_INT_EQ(ds.train_images[i * NN_IMAGE_PIXELS] / 16, ds.train_labels[i]);
    for (size_t i = 0; i < ds.n_test; i++)
        CHECK_INT_EQ(ds.test_images[i * NN_IMAGE_PIXELS] / 16, ds.test_labels[i]);
    nn_dataset_free(&ds);
}

static void test_converter_pixel_rounding(void)
{
    /* 0.5 * 255 = 127.5 rounds away from zero to 128; 0.624 * 255 = 159.12 rounds to 159. */
    const char *values[3] = {"0.5", "0.624", "1"};
    const int expected[3] = {128, 159, 255};

    for (int v = 0; v < 3; v++) {
        char out_dir[1024];
        nn_dataset ds;
        nn_error err = {0};

        write_all_digits(2, values[v]);
        CHECK_INT_EQ(run_converter("--train 10"), 0);
        snprintf(out_dir, sizeof out_dir, "%s/out", temp_dir);
        if (nn_dataset_load_dir(&ds, out_dir, "mnist", &err) != 0) {
            fprintf(stderr, "  %s\n", err.message);
            CHECK(!"the converted files load");
            continue;
        }
        CHECK_INT_EQ(ds.train_images[1], expected[v]);
        CHECK_INT_EQ(ds.test_images[NN_IMAGE_PIXELS - 1], expected[v]);
        nn_dataset_free(&ds);
    }
}

static void test_converter_deterministic(void)
{
    const char *names[4] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
    char out_dir[1024];
    idx_buffer first[4];

    write_all_digits(5, "0.25");
    CHECK_INT_EQ(run_converter(""), 1); /* the default --train 8000 exceeds 50 images */
    CHECK(stderr_contains("leaves no test images"));
    CHECK_INT_EQ(run_converter("--train 40"), 0);
    snprintf(out_dir, sizeof out_dir, "%s/out", temp_dir);
    for (int f = 0; f < 4; f++)
        first[f] = idx_read_file(out_dir, names[f]);
    CHECK_INT_EQ(run_converter("--train 40"), 0);
    for (int f = 0; f < 4; f++) {
        idx_buffer again = idx_read_file(out_dir, names[f]);

        CHECK_INT_EQ(again.size, first[f].size);
        CHECK(again.size != first[f].size || memcmp(again.bytes, first[f].bytes, again.size) == 0);
        free(again.bytes);
        free(first[f].bytes);
    }
}

static void test_converter_value_out_of_range(void)
{
    write_all_digits(2, "0");
    write_digit_json(4, 2, "1.5");
    CHECK_INT_EQ(run_converter("--train 10"), 1);
    CHECK(stderr_contains("4.json is not a number in [0,1]"));
}

static void test_converter_partial_image(void)
{
    char path[1024];
    FILE *file;

    write_all_digits(2, "0");
    snprintf(path, sizeof path, "%s/json/7.json", temp_dir);
    file = fopen(path, "w");
    if (!file) {
        perror(path);
        exit(2);
    }
    fprintf(file, "{\"data\": [0, 0.5, 1]}\n");
    fclose(file);
    CHECK_INT_EQ(run_converter("--train 10"), 1);
    CHECK(stderr_contains("7.json has 3 values, expected a non-zero multiple of 784"));
}

static void test_converter_missing_file(void)
{
    char path[1024];

    write_all_digits(2, "0");
    snprintf(path, sizeof path, "%s/json/9.json", temp_dir);
    unlink(path);
    CHECK_INT_EQ(run_converter("--train 10"), 1);
    CHECK(stderr_contains("9.json"));
}

/* Removes temp_dir/json, temp_dir/out and temp_dir itself. */
static void remove_temp_tree(void)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/json", temp_dir);
    idx_remove_dir(path);
    snprintf(path, sizeof path, "%s/out", temp_dir);
    idx_remove_dir(path);
    idx_remove_dir(temp_dir);
}

int main(void)
{
    idx_temp_dir(temp_dir, sizeof temp_dir);
    RUN(test_converter_tied_remainders);
    RUN(test_converter_pixel_rounding);
    RUN(test_converter_deterministic);
    RUN(test_converter_value_out_of_range);
    RUN(test_converter_partial_image);
    RUN(test_converter_missing_file);
    remove_temp_tree();
    return check_summary();
}
