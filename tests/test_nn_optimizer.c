/* test_nn_optimizer.c: optimizer steps against values worked out by hand. */
#include "nn/layers.h"
#include "check.h"

static void test_sgd_step(void)
{
    /* w = 1 - 0.1 * 0.5 and w = -2 - 0.1 * (-1) */
    float w[2] = {1.0f, -2.0f}, g[2] = {0.5f, -1.0f};

    nn_sgd_step(w, g, 2, 0.1);
    CHECK_NEAR(w[0], 0.95, 1e-7);
    CHECK_NEAR(w[1], -1.9, 1e-7);
}

static void test_momentum_two_steps(void)
{
    /* Step 1: v = -0.1 * 0.5 = -0.05, w = 0.95.
     * Step 2: v = 0.9 * (-0.05) - 0.05 = -0.095, w = 0.855. */
    float w[1] = {1.0f}, g[1] = {0.5f}, velocity[1] = {0.0f};

    nn_momentum_step(w, g, velocity, 1, 0.1);
    CHECK_NEAR(velocity[0], -0.05, 1e-7);
    CHECK_NEAR(w[0], 0.95, 1e-7);
    nn_momentum_step(w, g, velocity, 1, 0.1);
    CHECK_NEAR(velocity[0], -0.095, 1e-7);
    CHECK_NEAR(w[0], 0.855, 1e-6);
}

static void test_adam_two_steps(void)
{
    /* lr 0.1, gradients 0.5 then -0.25.
     * Step 1: m = 0.05, v = 0.00025, lr_t = 0.1 * sqrt(0.001) / 0.1 = 0.0316228,
     *         w = 1 - 0.0316228 * 0.05 / (0.0158114 + 1e-7) = 0.9000006.
     * Step 2: m = 0.045 - 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
     *         lr_t = 0.1 * sqrt(0.001999) / 0.19 = 0.0235317,
     *         w = 0.9000006 - 0.0235317 * 0.02 / (0.0176706 + 1e-7) = 0.8733671. */
    float w[1] = {1.0f}, g[1] = {0.5f}, m[1] = {0.0f}, v[1] = {0.0f};

    nn_adam_step(w, g, m, v, 1, 0.1, 1);
    CHECK_NEAR(m[0], 0.05, 1e-7);
    CHECK_NEAR(v[0], 0.00025, 1e-9);
    CHECK_NEAR(w[0], 0.9000006, 1e-6);

    g[0] = -0.25f;
    nn_adam_step(w, g, m, v, 1, 0.1, 2);
    CHECK_NEAR(m[0], 0.02, 1e-7);
    CHECK_NEAR(v[0], 0.00031225, 1e-9);
    CHECK_NEAR(w[0], 0.8733671, 1e-6);
}

static void test_adam_first_step_size(void)
{
    /* With bias correction the first step moves every weight by about lr against the sign
     * of its gradient, whatever the gradient's size, as long as |g| is well above
     * epsilon / sqrt(1 - beta2) = 3.2e-6. */
    float w[3] = {0, 0, 0}, g[3] = {0.1f, -50.0f, 3.0f}, m[3] = {0}, v[3] = {0};

    nn_adam_step(w, g, m, v, 3, 0.01, 1);
    CHECK_NEAR(w[0], -0.01, 1e-6);
    CHECK_NEAR(w[1], 0.01, 1e-6);
    CHECK_NEAR(w[2], -0.01, 1e-6);
}

int main(void)
{
    RUN(test_sgd_step);
    RUN(test_momentum_two_steps);
    RUN(test_adam_two_steps);
    RUN(test_adam_first_step_size);
    return check_summary();
}
