/* test_subsets.c: the seeded training, validation and test subsets, on a dataset built
 * in memory (the subsets depend only on the counts, not on the pixels). */
#include "check.h"
#include "nn/nn.h"

#include <stdlib.h>

#define POOL 1000
#define TEST_SET 300

static nn_dataset dataset;

static void make_dataset(void)
{
    memset(&dataset, 0, sizeof dataset);
    snprintf(dataset.name, sizeof dataset.name, "memory");
    dataset.n_train = POOL;
    dataset.n_test = TEST_SET;
    dataset.train_images = calloc(POOL, NN_IMAGE_PIXELS);
    dataset.train_labels = calloc(POOL, 1);
    dataset.test_images = calloc(TEST_SET, NN_IMAGE_PIXELS);
    dataset.test_labels = calloc(TEST_SET, 1);
}

static nn_settings settings_with(int n_train, int n_val, int n_test, uint64_t seed)
{
    nn_settings s;

    nn_settings_default(&s);
    s.n_train = n_train;
    s.n_val = n_val;
    s.n_test = n_test;
    s.batch_size = n_train < 64 ? n_train : 64;
    s.seed = seed;
    return s;
}

static int same_indices(const uint32_t *a, const uint32_t *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

static void test_subsets_sizes_and_ranges(void)
{
    nn_settings s = settings_with(600, 250, 200, 7);
    nn_subsets sub;
    nn_error err = {0};

    CHECK_INT_EQ(nn_subsets_make(&sub, &dataset, &s, &err), 0);
    CHECK_INT_EQ(sub.n_train, 600);
    CHECK_INT_EQ(sub.n_val, 250);
    CHECK_INT_EQ(sub.n_test, 200);
    for (size_t i = 0; i < sub.n_train; i++)
        CHECK(sub.train[i] < POOL);
    for (size_t i = 0; i < sub.n_val; i++)
        CHECK(sub.val[i] < POOL);
    for (size_t i = 0; i < sub.n_test; i++)
        CHECK(sub.test[i] < TEST_SET);
    nn_subsets_free(&sub);
}

static void test_subsets_train_val_disjoint(void)
{
    /* Train plus val uses the whole pool, so each pool image must appear exactly once. */
    nn_settings s = settings_with(700, 300, 300, 11);
    unsigned char seen_pool[POOL] = {0}, seen_test[TEST_SET] = {0};
    nn_subsets sub;
    nn_error err = {0};
    int duplicates = 0;

    CHECK_INT_EQ(nn_subsets_make(&sub, &dataset, &s, &err), 0);
    for (size_t i = 0; i < sub.n_train; i++)
        duplicates += seen_pool[sub.train[i]]++ > 0;
    for (size_t i = 0; i < sub.n_val; i++)
        duplicates += seen_pool[sub.val[i]]++ > 0;
    for (size_t i = 0; i < sub.n_test; i++)
        duplicates += seen_test[sub.test[i]]++ > 0;
    CHECK_INT_EQ(duplicates, 0);
    for (size_t i = 0; i < POOL; i++)
        CHECK_INT_EQ(seen_pool[i], 1);
    nn_subsets_free(&sub);
}

static void test_subsets_deterministic_per_seed(void)
{
    nn_settings s = settings_with(500, 100, 100, 42);
    nn_settings other = settings_with(500, 100, 100, 43);
    nn_subsets a, b, c;
    nn_error err = {0};

    CHECK_INT_EQ(nn_subsets_make(&a, &dataset, &s, &err), 0);
    CHECK_INT_EQ(nn_subsets_make(&b, &dataset, &s, &err), 0);
    CHECK_INT_EQ(nn_subsets_make(&c, &dataset, &other, &err), 0);
    CHECK(same_indices(a.train, b.train, a.n_train));
    CHECK(same_indices(a.val, b.val, a.n_val));
    CHECK(same_indices(a.test, b.test, a.n_test));
    CHECK(!same_indices(a.train, c.train, a.n_train));
    CHECK(!same_indices(a.val, c.val, a.n_val));
    CHECK(!same_indices(a.test, c.test, a.n_test));
    nn_subsets_free(&a);
    nn_subsets_free(&b);
    nn_subsets_free(&c);
}

static void test_subsets_shuffled_not_sorted(void)
{
    nn_settings s = settings_with(500, 100, 100, 42);
    nn_subsets sub;
    nn_error err = {0};
    size_t ascending = 0;

    CHECK_INT_EQ(nn_subsets_make(&sub, &dataset, &s, &err), 0);
    for (size_t i = 1; i < sub.n_train; i++)
        ascending += sub.train[i] > sub.train[i - 1];
    /* A random order rises about half the time; sorted or reversed indices would not. */
    CHECK(ascending > 150);
    CHECK(ascending < 350);
    nn_subsets_free(&sub);
}

static void test_subsets_train_grows_as_prefix(void)
{
    nn_settings small = settings_with(100, 50, 100, 5);
    nn_settings large = settings_with(400, 50, 100, 5);
    nn_subsets a, b;
    nn_error err = {0};

    CHECK_INT_EQ(nn_subsets_make(&a, &dataset, &small, &err), 0);
    CHECK_INT_EQ(nn_subsets_make(&b, &dataset, &large, &err), 0);
    CHECK(same_indices(a.train, b.train, a.n_train));
    nn_subsets_free(&a);
    nn_subsets_free(&b);
}

static void test_subsets_test_independent_of_train(void)
{
    /* The test subset is never drawn from the training pool and never moves with train or val. */
    nn_settings a_settings = settings_with(100, 0, 250, 9);
    nn_settings b_settings = settings_with(900, 100, 250, 9);
    nn_subsets a, b;
    nn_error err = {0};

    CHECK_INT_EQ(nn_subsets_make(&a, &dataset, &a_settings, &err), 0);
    CHECK_INT_EQ(nn_subsets_make(&b, &dataset, &b_settings, &err), 0);
    CHECK_INT_EQ(a.n_val, 0);
    CHECK(same_indices(a.test, b.test, a.n_test));
    nn_subsets_free(&a);
    nn_subsets_free(&b);
}

static void test_subsets_rejects_oversized(void)
{
    nn_settings s = settings_with(900, 200, 100, 1);
    nn_subsets sub;
    nn_error err = {0};

    CHECK_INT_EQ(nn_subsets_make(&sub, &dataset, &s, &err), -1);
    CHECK_INT_EQ(err.code, NN_ERR_ARGUMENT);
    CHECK(strstr(err.message, "train 900 plus val 200") != NULL);
    CHECK(sub.train == NULL);
}

int main(void)
{
    make_dataset();
    RUN(test_subsets_sizes_and_ranges);
    RUN(test_subsets_train_val_disjoint);
    RUN(test_subsets_deterministic_per_seed);
    RUN(test_subsets_shuffled_not_sorted);
    RUN(test_subsets_train_grows_as_prefix);
    RUN(test_subsets_test_independent_of_train);
    RUN(test_subsets_rejects_oversized);
    nn_dataset_free(&dataset);
    return check_summary();
}
