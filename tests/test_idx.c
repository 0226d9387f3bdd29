/* test_idx.c: the IDX loader and saver on small files written by the test itself. */
#include "check.h"
#include "idx_files.h"
#include "nn/nn.h"

static char temp_dir[512];

static void path_in_temp(char *path, size_t size, const char *name)
{
    snprintf(path, size, "%s/%s", temp_dir, name);
}

/* Three 28x28 images whose pixels encode their position, so a misplaced byte shows. */
static idx_buffer three_images(void)
{
    uint32_t dims[3] = {3, 28, 28};
    uint8_t data[3 * 784];

    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + 1);
    return idx_buffer_make(3, dims, data, sizeof data);
}

static void check_load_fails(const char *name, nn_error_code code, const char *needle)
{
    char path[1024];
    nn_idx idx;
    nn_error err = {0};

    path_in_temp(path, sizeof path, name);
    CHECK_INT_EQ(nn_idx_load(path, &idx, &err), -1);
    CHECK_INT_EQ(err.code, code);
    if (!strstr(err.message, needle))
        fprintf(stderr, "  message for %s: %s (expected to contain \"%s\")\n", name, err.message, needle);
    CHECK(strstr(err.message, needle) != NULL);
    CHECK(strstr(err.message, name) != NULL);
    CHECK(idx.data == NULL);
}

static void test_idx_load_plain_images(void)
{
    idx_buffer file = three_images();
    char path[1024];
    nn_idx idx;
    nn_error err = {0};

    idx_write_file(temp_dir, "plain-idx3", file.bytes, file.size);
    path_in_temp(path, sizeof path, "plain-idx3");
    CHECK_INT_EQ(nn_idx_load(path, &idx, &err), 0);
    CHECK_INT_EQ(idx.ndim, 3);
    CHECK_INT_EQ(idx.dims[0], 3);
    CHECK_INT_EQ(idx.dims[1], 28);
    CHECK_INT_EQ(idx.dims[2], 28);
    CHECK_INT_EQ(idx.size, 3 * 784);
    CHECK(idx.data != NULL);
    CHECK(idx.data == NULL || memcmp(idx.data, file.bytes + 16, 3 * 784) == 0);
    nn_idx_free(&idx);
    free(file.bytes);
}

static void test_idx_load_gzip_labels(void)
{
    uint32_t dims[1] = {5};
    uint8_t labels[5] = {3, 1, 4, 1, 5};
    idx_buffer file = idx_buffer_make(1, dims, labels, 5);
    char path[1024];
    nn_idx idx;
    nn_error err = {0};

    idx_write_file(temp_dir, "labels-idx1.gz", file.bytes, file.size);
    path_in_temp(path, sizeof path, "labels-idx1.gz");
    CHECK_INT_EQ(nn_idx_load(path, &idx, &err), 0);
    CHECK_INT_EQ(idx.ndim, 1);
    CHECK_INT_EQ(idx.dims[0], 5);
    CHECK_INT_EQ(idx.size, 5);
    CHECK(idx.data != NULL);
    CHECK(idx.data == NULL || memcmp(idx.data, labels, 5) == 0);
    nn_idx_free(&idx);
    free(file.bytes);
}

static void test_idx_save_round_trip(void)
{
    const char *names[2] = {"saved-idx3", "saved-idx3.gz"};
    idx_buffer file = three_images();
    nn_idx original = {0};
    nn_error err = {0};

    original.ndim = 3;
    original.dims[0] = 3;
    original.dims[1] = 28;
    original.dims[2] = 28;
    original.size = 3 * 784;
    original.data = file.bytes + 16;

    for (int i = 0; i < 2; i++) {
        char path[1024];
        nn_idx loaded;

        path_in_temp(path, sizeof path, names[i]);
        CHECK_INT_EQ(nn_idx_save(path, &original, &err), 0);
        CHECK_INT_EQ(nn_idx_load(path, &loaded, &err), 0);
        CHECK_INT_EQ(loaded.ndim, 3);
        CHECK_INT_EQ(loaded.dims[0], 3);
        CHECK_INT_EQ(loaded.size, original.size);
        CHECK(loaded.data != NULL);
        CHECK(loaded.data == NULL || memcmp(loaded.data, original.data, original.size) == 0);
        nn_idx_free(&loaded);
    }

    /* The plain file is byte for byte the IDX layout; the .gz one is compressed. */
    {
        idx_buffer plain = idx_read_file(temp_dir, "saved-idx3");
        idx_buffer gz = idx_read_file(temp_dir, "saved-idx3.gz");

        CHECK_INT_EQ(plain.size, file.size);
        CHECK(plain.size != file.size || memcmp(plain.bytes, file.bytes, file.size) == 0);
        CHECK(gz.size >= 2);
        CHECK(gz.size < 2 || gz.bytes[0] == 0x1f);
        CHECK(gz.size < 2 || gz.bytes[1] == 0x8b);
        free(plain.bytes);
        free(gz.bytes);
    }
    free(file.bytes);
}

static void test_idx_save_mismatched_size(void)
{
    uint8_t data[10] = {0};
    nn_idx idx = {0};
    nn_error err = {0};
    char path[1024];

    idx.ndim = 2;
    idx.dims[0] = 3;
    idx.dims[1] = 4;
    idx.size = 10;
    idx.data = data;
    path_in_temp(path, sizeof path, "never-written");
    CHECK_INT_EQ(nn_idx_save(path, &idx, &err), -1);
    CHECK_INT_EQ(err.code, NN_ERR_ARGUMENT);
    CHECK(strstr(err.message, "12 elements") != NULL);
    CHECK(access(path, F_OK) != 0);
}

static void test_idx_wrong_magic(void)
{
    idx_buffer file = three_images();

    /* Element type 0x09 (signed byte) instead of 0x08. */
    file.bytes[2] = 0x09;
    idx_write_file(temp_dir, "signed-idx3", file.bytes, file.size);
    check_load_fails("signed-idx3", NN_ERR_DATA, "0x00000903");

    /* A PNG signature: a foreign file. */
    memcpy(file.bytes, "\x89PNG", 4);
    idx_write_file(temp_dir, "picture.gz", file.bytes, file.size);
    check_load_fails("picture.gz", NN_ERR_DATA, "magic number");

    /* Zero dimensions. */
    memcpy(file.bytes, "\x00\x00\x08\x00", 4);
    idx_write_file(temp_dir, "zero-dims", file.bytes, file.size);
    check_load_fails("zero-dims", NN_ERR_DATA, "0x00000800");
    free(file.bytes);
}

static void test_idx_truncated_plain(void)
{
    idx_buffer file = three_images();

    idx_write_file(temp_dir, "short-data", file.bytes, file.size - 100);
    check_load_fails("short-data", NN_ERR_DATA, "truncated");

    idx_write_file(temp_dir, "short-header", file.bytes, 9);
    check_load_fails("short-header", NN_ERR_DATA, "truncated inside its header");

    idx_write_file(temp_dir, "short-magic", file.bytes, 2);
    check_load_fails("short-magic", NN_ERR_DATA, "truncated");

    idx_write_file(temp_dir, "empty", file.bytes, 0);
    check_load_fails("empty", NN_ERR_DATA, "truncated");
    free(file.bytes);
}

static void test_idx_truncated_gzip(void)
{
    idx_buffer file = three_images();
    idx_buffer compressed;

    /* Compress the whole file, then cut the compressed stream in half. */
    idx_write_file(temp_dir, "whole.gz", file.bytes, file.size);
    compressed = idx_read_file(temp_dir, "whole.gz");
    idx_write_file(temp_dir, "cut-stream", compressed.bytes, compressed.size / 2);
    check_load_fails("cut-stream", NN_ERR_DATA, "damaged");

    /* A complete gzip stream of too few bytes is a truncated IDX file. */
    idx_write_file(temp_dir, "short-data.gz", file.bytes, file.size - 784);
    check_load_fails("short-data.gz", NN_ERR_DATA, "truncated");
    free(compressed.bytes);
    free(file.bytes);
}

static void test_idx_trailing_bytes(void)
{
    idx_buffer file = three_images();

    idx_buffer_append(&file, "extra", 5);
    idx_write_file(temp_dir, "trailing", file.bytes, file.size);
    check_load_fails("trailing", NN_ERR_DATA, "bytes after");
    free(file.bytes);
}

static void test_idx_missing_file(void)
{
    check_load_fails("no-such-file", NN_ERR_DATA, "not found");
}

int main(void)
{
    idx_temp_dir(temp_dir, sizeof temp_dir);
    RUN(test_idx_load_plain_images);
    RUN(test_idx_load_gzip_labels);
    RUN(test_idx_save_round_trip);
    RUN(test_idx_save_mismatched_size);
    RUN(test_idx_wrong_magic);
    RUN(test_idx_truncated_plain);
    RUN(test_idx_truncated_gzip);
    RUN(test_idx_trailing_bytes);
    RUN(test_idx_missing_file);
    idx_remove_dir(temp_dir);
    return check_summary();
}
