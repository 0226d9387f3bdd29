/* test_settings.c: the default settings and the messages of nn_settings_check. */
#include "check.h"
#include "nn/nn.h"

#include <stdlib.h>

static nn_dataset dataset; /* counts only: 8,000 training and 2,000 test images */

static void check_rejected(const nn_settings *s, const nn_dataset *ds, const char *needle1,
                           const char *needle2)
{
    nn_error err = {0};

    CHECK_INT_EQ(nn_settings_check(s, ds, &err), -1);
    CHECK_INT_EQ(err.code, NN_ERR_ARGUMENT);
    if (!strstr(err.message, needle1) || !strstr(err.message, needle2))
        fprintf(stderr, "  message: %s (expected \"%s\" and \"%s\")\n", err.message, needle1, needle2);
    CHECK(strstr(err.message, needle1) != NULL);
    CHECK(strstr(err.message, needle2) != NULL);
}

static void test_settings_defaults(void)
{
    nn_settings s;
    nn_error err = {0};

    nn_settings_default(&s);
    CHECK_NEAR(s.learning_rate, 0.01, 1e-12);
    CHECK_INT_EQ(s.epochs, 5);
    CHECK_INT_EQ(s.batch_size, 512);
    CHECK_INT_EQ(s.n_train, 5500);
    CHECK_INT_EQ(s.n_test, 1000);
    CHECK_INT_EQ(s.n_val, 500);
    CHECK_INT_EQ(s.optimizer, NN_OPT_ADAM);
    CHECK_INT_EQ(s.seed, NN_DEFAULT_SEED);
    CHECK_INT_EQ(s.threads, 0);
    CHECK_INT_EQ(nn_settings_check(&s, NULL, &err), 0);
    CHECK_INT_EQ(nn_settings_check(&s, &dataset, &err), 0);
}

static void test_settings_learning_rate(void)
{
    nn_settings s;

    nn_settings_default(&s);
    s.learning_rate = 0;
    check_rejected(&s, NULL, "lr 0 is invalid", "lr=0.01");
    s.learning_rate = -0.5;
    check_rejected(&s, NULL, "lr -0.5 is invalid", "positive");
    s.learning_rate = NAN;
    check_rejected(&s, NULL, "lr nan is invalid", "positive");
}

static void test_settings_batch_larger_than_train(void)
{
    nn_settings s;

    nn_settings_default(&s);
    s.n_train = 300;
    check_rejected(&s, NULL, "batch 512 is larger than train 300", "at most 300");
    s.batch_size = 0;
    check_rejected(&s, NULL, "batch 0 is invalid", "batch=512");
}

static void test_settings_counts(void)
{
    nn_settings s;

    nn_settings_default(&s);
    s.n_train = 0;
    check_rejected(&s, NULL, "train 0 is invalid", "train=5500");
    nn_settings_default(&s);
    s.n_test = -3;
    check_rejected(&s, NULL, "test -3 is invalid", "test=1000");
    nn_settings_default(&s);
    s.n_val = -1;
    check_rejected(&s, NULL, "val -1 is invalid", "val=500");
    nn_settings_default(&s);
    s.epochs = 0;
    check_rejected(&s, NULL, "epochs 0 is invalid", "epochs=5");
    nn_settings_default(&s);
    s.threads = -2;
    check_rejected(&s, NULL, "threads -2 is invalid", "threads=0");
    nn_settings_default(&s);
    s.optimizer = (nn_optimizer_kind)7;
    check_rejected(&s, NULL, "optimizer 7 is unknown", "adam");
}

static void test_settings_against_dataset(void)
{
    nn_settings s;
    nn_error err = {0};

    nn_settings_default(&s);
    s.n_train = 7600;
    check_rejected(&s, &dataset, "train 7600 plus val 500 is 8100", "at most 8000");
    CHECK_INT_EQ(nn_settings_check(&s, NULL, &err), 0);

    nn_settings_default(&s);
    s.n_train = 9000;
    check_rejected(&s, &dataset, "train 9000 is more than the 8000 training images of mnist", "at most 8000");

    nn_settings_default(&s);
    s.n_test = 2001;
    check_rejected(&s, &dataset, "test 2001 is more than the 2000 test images", "at most 2000");

    /* The largest values that fit are accepted. */
    nn_settings_default(&s);
    s.n_train = 7500;
    s.n_val = 500;
    s.n_test = 2000;
    CHECK_INT_EQ(nn_settings_check(&s, &dataset, &err), 0);
}

int main(void)
{
    snprintf(dataset.name, sizeof dataset.name, "mnist");
    dataset.n_train = 8000;
    dataset.n_test = 2000;
    RUN(test_settings_defaults);
    RUN(test_settings_learning_rate);
    RUN(test_settings_batch_larger_than_train);
    RUN(test_settings_counts);
    RUN(test_settings_against_dataset);
    return check_summary();
}
