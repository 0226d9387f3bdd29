/* dataset.c: a dataset directory of four MNIST-style IDX files.
 *
 * The directory contains train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each plain or gzip-compressed with a
 * ".gz" suffix. This is the layout of the MNIST distribution, of Fashion-MNIST (Debian's
 * dataset-fashion-mnist installs it in /usr/share/datasets/fashion-mnist) and of the digits
 * that data/mnist_json_to_idx.c converts. Images must be 28x28 and labels 0..9.
 */
#include "error.h"
#include "nn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const digit_class_names[NN_CLASSES] = {
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
};

/* Fashion-MNIST's labels 0..9, as listed in the README of Debian's dataset-fashion-mnist. */
static const char *const fashion_class_names[NN_CLASSES] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
};

static int file_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Finds dir/base or dir/base.gz, preferring the plain file, and writes its path. */
static int dataset_find_file(const char *dir, const char *base, char *path, size_t path_size,
                             nn_error *err)
{
    int n = snprintf(path, path_size, "%s/%s", dir, base);

    if (n < 0 || (size_t)n + 3 >= path_size)
        return nn_fail(err, NN_ERR_ARGUMENT, "dataset directory path is too long (%zu characters): %.64s...",
                            strlen(dir), dir);
    if (file_exists(path))
        return 0;
    strcat(path, ".gz");
    if (file_exists(path))
        return 0;
    return nn_fail(err, NN_ERR_DATA,
                        "%s not found in %s (nor %s.gz). A dataset directory needs train-images-idx3-ubyte, "
                        "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, plain "
                        "or .gz. For the bundled digits run make in the build tree, which builds data/mnist "
                        "with scripts/fetch-mnist.sh",
                        base, dir, base);
}

/* Loads one images file and its labels file and checks that they describe the same
 * 28x28 images with labels 0..9. On success the caller owns *images and *labels. */
static int dataset_load_part(const char *dir, const char *images_base, const char *labels_base,
                             uint8_t **images, uint8_t **labels, size_t *count, nn_error *err)
{
    char images_path[1100], labels_path[1100];
    nn_idx images_idx = {0}, labels_idx = {0};
    int rc = -1;

    if (dataset_find_file(dir, images_base, images_path, sizeof images_path, err) != 0 ||
        dataset_find_file(dir, labels_base, labels_path, sizeof labels_path, err) != 0)
        return -1;
    if (nn_idx_load(images_path, &images_idx, err) != 0)
        goto out;
    if (nn_idx_load(labels_path, &labels_idx, err) != 0)
        goto out;

    /* Images: [count, 28, 28]. */
    if (images_idx.ndim != 3) {
        nn_fail(err, NN_ERR_DATA,
                     "%s has %d dimensions, expected 3 (count, rows, columns; magic number 0x00000803); "
                     "is it a labels file under an images name?",
                     images_path, images_idx.ndim);
        goto out;
    }
    if (images_idx.dims[1] != NN_IMAGE_SIDE || images_idx.dims[2] != NN_IMAGE_SIDE) {
        nn_fail(err, NN_ERR_DATA, "images in %s are %ux%u, expected %dx%d; nnscope's models take 28x28 images",
                     images_path, (unsigned)images_idx.dims[1], (unsigned)images_idx.dims[2],
                     NN_IMAGE_SIDE, NN_IMAGE_SIDE);
        goto out;
    }
    if (images_idx.dims[0] == 0) {
        nn_fail(err, NN_ERR_DATA, "%s contains no images; fetch it again", images_path);
        goto out;
    }

    /* Labels: [count], one per image, each a class 0..9. */
    if (labels_idx.ndim != 1) {
        nn_fail(err, NN_ERR_DATA,
                     "%s has %d dimensions, expected 1 (magic number 0x00000801); "
                     "is it an images file under a labels name?",
                     labels_path, labels_idx.ndim);
        goto out;
    }
    if (labels_idx.dims[0] != images_idx.dims[0]) {
        nn_fail(err, NN_ERR_DATA,
                     "%s contains %u labels but %s contains %u images; the two files must come from the same release",
                     labels_path, (unsigned)labels_idx.dims[0], images_path, (unsigned)images_idx.dims[0]);
        goto out;
    }
    for (size_t i = 0; i < labels_idx.size; i++) {
        if (labels_idx.data[i] >= NN_CLASSES) {
            nn_fail(err, NN_ERR_DATA, "label %u of image %zu in %s is outside 0..%d; "
                         "nnscope's models have %d classes",
                         (unsigned)labels_idx.data[i], i, labels_path, NN_CLASSES - 1, NN_CLASSES);
            goto out;
        }
    }

    *images = images_idx.data;
    *labels = labels_idx.data;
    *count = images_idx.dims[0];
    images_idx.data = NULL;
    labels_idx.data = NULL;
    rc = 0;

out:
    nn_idx_free(&images_idx);
    nn_idx_free(&labels_idx);
    return rc;
}

int nn_dataset_load_dir(nn_dataset *ds, const char *dir, const char *name, nn_error *err)
{
    const char *const *class_names;

    memset(ds, 0, sizeof *ds);
    if (dataset_load_part(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                          &ds->train_images, &ds->train_labels, &ds->n_train, err) != 0)
        goto err;
    if (dataset_load_part(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
                          &ds->test_images, &ds->test_labels, &ds->n_test, err) != 0)
        goto err;

    snprintf(ds->name, sizeof ds->name, "%s", name ? name : dir);
    snprintf(ds->source, sizeof ds->source, "%s", dir);
    class_names = name && strcmp(name, "fashion") == 0 ? fashion_class_names : digit_class_names;
    for (int c = 0; c < NN_CLASSES; c++)
        ds->class_names[c] = class_names[c];
    return 0;

err:
    nn_dataset_free(ds);
    return -1;
}

void nn_dataset_free(nn_dataset *ds)
{
    free(ds->train_images);
    free(ds->train_labels);
    free(ds->test_images);
    free(ds->test_labels);
    memset(ds, 0, sizeof *ds);
}
