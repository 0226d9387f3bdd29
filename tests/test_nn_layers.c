/* test_nn_layers.c: gradient checks of every layer, activation and the loss.
 *
 * Each test runs a layer forward, takes the objective L = sum_i r_i * y_i for fixed random
 * weights r (so dL/dy = r), runs the layer backward with dy = r, and compares every
 * analytic gradient with the central difference (L(p + h) - L(p - h)) / 2h. Inputs stay
 * away from the kinks of relu and max pooling, where the derivative is not defined.
 */
#include "nn/layers.h"
#include "nn_test_util.h"

#define STEP 1e-2
#define ATOL 2e-3
#define RTOL 2e-3

typedef double (*objective_fn)(void *context);

/* Compares analytic[i] with the central difference of objective over values[i]. */
static int check_gradient(float *values, const float *analytic, size_t n,
                          objective_fn objective, void *context, const char *what)
{
    int failures = 0;

    for (size_t i = 0; i < n; i++) {
        float saved = values[i];
        double plus, minus, numeric;

        values[i] = saved + (float)STEP;
        plus = objective(context);
        values[i] = saved - (float)STEP;
        minus = objective(context);
        values[i] = saved;
        numeric = (plus - minus) / (2.0 * STEP);
        if (!gradient_close(analytic[i], numeric, ATOL, RTOL)) {
            if (failures < 5)
                fprintf(stderr, "  %s[%zu]: analytic %.6g, numeric %.6g\n", what, i,
                        analytic[i], numeric);
            failures++;
        }
    }
    return failures;
}

static double weighted_sum(const float *y, const float *r, size_t n)
{
    double sum = 0.0;

    for (size_t i = 0; i < n; i++)
        sum += (double)y[i] * r[i];
    return sum;
}

/*** activations ***/

typedef struct {
    nn_activation activation;
    float z[3 * 7], y[3 * 7], r[3 * 7];
} activation_case;

static double activation_objective(void *context)
{
    activation_case *c = context;

    memcpy(c->y, c->z, sizeof c->y);
    nn_activation_forward(c->activation, c->y, 3, 7);
    return weighted_sum(c->y, c->r, 21);
}

static void check_activation(nn_activation activation)
{
    activation_case c = {.activation = activation};
    float dz[21];
    nn_rng rng;

    nn_rng_seed(&rng, 7 + activation, NN_STREAM_SAMPLES);
    fill_uniform(&rng, c.z, 21, -2.0, 2.0);
    /* Keep relu inputs at least 0.1 away from its kink at 0. */
    for (int i = 0; i < 21; i++)
        if (fabsf(c.z[i]) < 0.1f)
            c.z[i] = c.z[i] < 0 ? -0.5f : 0.5f;
    fill_uniform(&rng, c.r, 21, -1.0, 1.0);

    activation_objective(&c);
    memcpy(dz, c.r, sizeof dz);
    nn_activation_backward(activation, c.y, dz, 3, 7);
    CHECK_INT_EQ(check_gradient(c.z, dz, 21, activation_objective, &c,
                                nn_activation_name(activation)), 0);
}

static void test_activation_linear_gradient(void)
{
    check_activation(NN_ACT_LINEAR);
}

static void test_activation_relu_gradient(void)
{
    check_activation(NN_ACT_RELU);
}

static void test_activation_sigmoid_gradient(void)
{
    check_activation(NN_ACT_SIGMOID);
}

static void test_activation_tanh_gradient(void)
{
    check_activation(NN_ACT_TANH);
}

static void test_activation_softmax_gradient(void)
{
    check_activation(NN_ACT_SOFTMAX);
}

static void test_activation_values(void)
{
    float z[4] = {-1.0f, 0.0f, 2.0f, 1000.0f}, y[4];

    memcpy(y, z, sizeof y);
    nn_activation_forward(NN_ACT_RELU, y, 1, 4);
    CHECK(y[0] == 0.0f);
    CHECK(y[1] == 0.0f);
    CHECK(y[2] == 2.0f);
    memcpy(y, z, sizeof y);
    nn_activation_forward(NN_ACT_SIGMOID, y, 1, 4);
    CHECK_NEAR(y[0], 1.0 / (1.0 + exp(1.0)), 1e-6);
    CHECK_NEAR(y[1], 0.5, 1e-7);
    memcpy(y, z, sizeof y);
    nn_activation_forward(NN_ACT_TANH, y, 1, 4);
    CHECK_NEAR(y[2], tanh(2.0), 1e-6);
    /* Softmax of a row with a huge value stays finite and sums to 1. */
    memcpy(y, z, sizeof y);
    nn_activation_forward(NN_ACT_SOFTMAX, y, 1, 4);
    CHECK(isfinite(y[0]));
    CHECK(isfinite(y[3]));
    CHECK_NEAR(y[0] + y[1] + y[2] + y[3], 1.0, 1e-6);
    CHECK_NEAR(y[3], 1.0, 1e-6);
}

/*** dense ***/

enum { DENSE_N = 4, DENSE_IN = 6, DENSE_OUT = 3 };

typedef struct {
    nn_activation activation;
    float x[DENSE_N * DENSE_IN], kernel[DENSE_IN * DENSE_OUT], bias[DENSE_OUT];
    float y[DENSE_N * DENSE_OUT], r[DENSE_N * DENSE_OUT];
} dense_case;

static double dense_objective(void *context)
{
    dense_case *c = context;

    nn_dense_forward(c->x, DENSE_N, DENSE_IN, DENSE_OUT, c->kernel, c->bias, c->activation,
                     c->y);
    return weighted_sum(c->y, c->r, DENSE_N * DENSE_OUT);
}

static void test_dense_forward_values(void)
{
    /* One sample [1, 2] through kernel [[1, 2, 3], [4, 5, 6]] and bias [0.5, 0, -1]. */
    float x[2] = {1, 2}, kernel[6] = {1, 2, 3, 4, 5, 6}, bias[3] = {0.5f, 0, -1}, y[3];

    nn_dense_forward(x, 1, 2, 3, kernel, bias, NN_ACT_LINEAR, y);
    CHECK_NEAR(y[0], 9.5, 1e-6);
    CHECK_NEAR(y[1], 12.0, 1e-6);
    CHECK_NEAR(y[2], 14.0, 1e-6);

    /* The same product through relu: 9.5, 12 and 14 stay, and a negative bias clips. */
    bias[2] = -20.0f;
    nn_dense_forward(x, 1, 2, 3, kernel, bias, NN_ACT_RELU, y);
    CHECK_NEAR(y[1], 12.0, 1e-6);
    CHECK_NEAR(y[2], 0.0, 0.0);
}

/* Checks dx, dkernel and dbias of a dense layer with the given fused activation. */
static void check_dense_gradient(nn_activation activation)
{
    dense_case c = {.activation = activation};
    float dx[DENSE_N * DENSE_IN], dkernel[DENSE_IN * DENSE_OUT], dbias[DENSE_OUT];
    float dy[DENSE_N * DENSE_OUT];
    nn_rng rng;

    nn_rng_seed(&rng, 11, NN_STREAM_SAMPLES);
    fill_uniform(&rng, c.x, DENSE_N * DENSE_IN, -1.0, 1.0);
    fill_uniform(&rng, c.kernel, DENSE_IN * DENSE_OUT, -1.0, 1.0);
    fill_uniform(&rng, c.bias, DENSE_OUT, -1.0, 1.0);
    fill_uniform(&rng, c.r, DENSE_N * DENSE_OUT, -1.0, 1.0);

    dense_objective(&c);
    memcpy(dy, c.r, sizeof dy);
    nn_dense_backward(c.x, c.y, dy, DENSE_N, DENSE_IN, DENSE_OUT, activation, c.kernel, dkernel,
                      dbias, dx);
    CHECK_INT_EQ(check_gradient(c.x, dx, DENSE_N * DENSE_IN, dense_objective, &c, "dx"), 0);
    CHECK_INT_EQ(check_gradient(c.kernel, dkernel, DENSE_IN * DENSE_OUT, dense_objective, &c,
                                "dkernel"), 0);
    CHECK_INT_EQ(check_gradient(c.bias, dbias, DENSE_OUT, dense_objective, &c, "dbias"), 0);
}

static void test_dense_gradient(void)
{
    check_dense_gradient(NN_ACT_LINEAR);
}

static void test_dense_tanh_gradient(void)
{
    check_dense_gradient(NN_ACT_TANH);
}

static void test_dense_sigmoid_gradient(void)
{
    check_dense_gradient(NN_ACT_SIGMOID);
}

/*** conv2d ***/

/* The engine vectorises over groups of 16 or 8 channels and blocks of up to 8 output
 * pixels, with scalar loops for the channels left over. The shapes below cover the scalar
 * path alone (2 channels, 3 filters) and the vector path alone (8 channels, 16 filters).
 * They also cover both at once with partial pixel blocks (9 channels, 11 filters, 10
 * output columns). */
typedef struct {
    int n, h, w, c, k, f;
} conv_dims;

typedef struct {
    nn_conv2d_shape shape;
    nn_activation activation;
    int n;
    float *x, *kernel, *bias, *y, *r;
    size_t x_count, kernel_count, out_count;
} conv_case;

static double conv_objective(void *context)
{
    conv_case *c = context;

    nn_conv2d_forward(&c->shape, c->x, (size_t)c->n, c->kernel, c->bias, c->activation, c->y);
    return weighted_sum(c->y, c->r, c->out_count);
}

static void conv_case_init(conv_case *c, conv_dims d, nn_activation activation, uint64_t seed)
{
    nn_rng rng;

    nn_conv2d_shape_init(&c->shape, d.h, d.w, d.c, d.k, d.f);
    c->activation = activation;
    c->n = d.n;
    c->x_count = (size_t)d.n * d.h * d.w * d.c;
    c->kernel_count = (size_t)d.k * d.k * d.c * d.f;
    c->out_count = (size_t)d.n * c->shape.out_h * c->shape.out_w * d.f;
    c->x = malloc(c->x_count * sizeof(float));
    c->kernel = malloc(c->kernel_count * sizeof(float));
    c->bias = malloc((size_t)d.f * sizeof(float));
    c->y = malloc(c->out_count * sizeof(float));
    c->r = malloc(c->out_count * sizeof(float));
    nn_rng_seed(&rng, seed, NN_STREAM_SAMPLES);
    fill_uniform(&rng, c->x, c->x_count, -1.0, 1.0);
    fill_uniform(&rng, c->kernel, c->kernel_count, -1.0, 1.0);
    fill_uniform(&rng, c->bias, (size_t)d.f, -1.0, 1.0);
    fill_uniform(&rng, c->r, c->out_count, -1.0, 1.0);
}

static void conv_case_free(conv_case *c)
{
    free(c->x);
    free(c->kernel);
    free(c->bias);
    free(c->y);
    free(c->r);
}

/* The textbook definition, one output value at a time, in double precision. */
static double conv_reference(const conv_case *c, int sample, int oy, int ox, int oc)
{
    const nn_conv2d_shape *s = &c->shape;
    double sum = c->bias[oc];

    for (int ky = 0; ky < s->kernel_h; ky++)
        for (int kx = 0; kx < s->kernel_w; kx++)
            for (int ci = 0; ci < s->in_c; ci++)
                sum += (double)c->x[(((size_t)sample * s->in_h + oy + ky) * s->in_w + ox + kx) *
                                        s->in_c + ci] *
                       c->kernel[(((size_t)ky * s->kernel_w + kx) * s->in_c + ci) * s->out_c + oc];
    return sum;
}

static void test_conv2d_shape(void)
{
    nn_conv2d_shape shape;

    nn_conv2d_shape_init(&shape, 28, 28, 1, 5, 8);
    CHECK_INT_EQ(shape.out_h, 24);
    CHECK_INT_EQ(shape.out_w, 24);
    CHECK_INT_EQ(shape.out_c, 8);
}

static void test_conv2d_forward_values(void)
{
    /* A 3x3 single-channel image and a 2x2 kernel picking the top-left and bottom-right
     * pixels of each window, with bias 1. */
    float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float kernel[4] = {1, 0, 0, 1}, bias[1] = {1};
    float y[4];
    nn_conv2d_shape shape;

    nn_conv2d_shape_init(&shape, 3, 3, 1, 2, 1);
    nn_conv2d_forward(&shape, x, 1, kernel, bias, NN_ACT_LINEAR, y);
    CHECK_NEAR(y[0], 1 + 5 + 1, 1e-6);
    CHECK_NEAR(y[1], 2 + 6 + 1, 1e-6);
    CHECK_NEAR(y[2], 4 + 8 + 1, 1e-6);
    CHECK_NEAR(y[3], 5 + 9 + 1, 1e-6);
}

/* Compares every output of a relu conv2d with the reference, for the default model's two
 * layer shapes and a shape with channel and pixel remainders. */
static void test_conv2d_forward_reference(void)
{
    const conv_dims cases[] = {
        {2, 28, 28, 1, 5, 8}, {2, 12, 12, 8, 5, 16}, {2, 7, 14, 9, 5, 11}, {1, 9, 9, 3, 9, 20},
    };

    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        conv_case c;
        const nn_conv2d_shape *s = &c.shape;
        int mismatches = 0;

        conv_case_init(&c, cases[t], NN_ACT_RELU, 21 + t);
        conv_objective(&c);
        for (int i = 0; i < c.n; i++)
            for (int oy = 0; oy < s->out_h; oy++)
                for (int ox = 0; ox < s->out_w; ox++)
                    for (int oc = 0; oc < s->out_c; oc++) {
                        double expected = conv_reference(&c, i, oy, ox, oc);
                        float got = c.y[(((size_t)i * s->out_h + oy) * s->out_w + ox) * s->out_c + oc];

                        expected = expected > 0.0 ? expected : 0.0;
                        if (!gradient_close(got, expected, 1e-5, 1e-5)) {
                            if (mismatches < 5)
                                fprintf(stderr, "  case %zu y[%d,%d,%d,%d]: %.7g, expected %.7g\n",
                                        t, i, oy, ox, oc, got, expected);
                            mismatches++;
                        }
                    }
        CHECK_INT_EQ(mismatches, 0);
        conv_case_free(&c);
    }
}

/* Checks dx, dkernel and dbias of a conv2d layer with the given fused activation. */
static void check_conv2d_gradient(conv_dims dims, nn_activation activation)
{
    conv_case c;
    float *dx, *dkernel, *dbias, *dy, *kernel_t;

    conv_case_init(&c, dims, activation, 13);
    dx = malloc(c.x_count * sizeof(float));
    dkernel = malloc(c.kernel_count * sizeof(float));
    kernel_t = malloc(c.kernel_count * sizeof(float));
    dbias = malloc((size_t)dims.f * sizeof(float));
    dy = malloc(c.out_count * sizeof(float));

    conv_objective(&c);
    memcpy(dy, c.r, c.out_count * sizeof(float));
    nn_conv2d_transpose_kernel(&c.shape, c.kernel, kernel_t);
    nn_conv2d_backward(&c.shape, c.x, c.y, dy, (size_t)dims.n, activation, kernel_t, dkernel,
                       dbias, dx);
    CHECK_INT_EQ(check_gradient(c.x, dx, c.x_count, conv_objective, &c, "dx"), 0);
    CHECK_INT_EQ(check_gradient(c.kernel, dkernel, c.kernel_count, conv_objective, &c,
                                "dkernel"), 0);
    CHECK_INT_EQ(check_gradient(c.bias, dbias, (size_t)dims.f, conv_objective, &c, "dbias"), 0);

    free(dx);
    free(dkernel);
    free(kernel_t);
    free(dbias);
    free(dy);
    conv_case_free(&c);
}

static const conv_dims CONV_SCALAR = {2, 6, 7, 2, 3, 3};
static const conv_dims CONV_VECTOR = {1, 5, 5, 8, 3, 16};
static const conv_dims CONV_MIXED = {2, 3, 12, 9, 3, 11};

static void test_conv2d_gradient(void)
{
    check_conv2d_gradient(CONV_SCALAR, NN_ACT_LINEAR);
}

static void test_conv2d_vector_gradient(void)
{
    check_conv2d_gradient(CONV_VECTOR, NN_ACT_LINEAR);
}

static void test_conv2d_mixed_gradient(void)
{
    check_conv2d_gradient(CONV_MIXED, NN_ACT_LINEAR);
}

static void test_conv2d_tanh_gradient(void)
{
    check_conv2d_gradient(CONV_SCALAR, NN_ACT_TANH);
    check_conv2d_gradient(CONV_MIXED, NN_ACT_TANH);
}

/*** max_pooling2d ***/

enum { POOL_N = 2, POOL_H = 4, POOL_W = 5, POOL_C = 2 };
enum { POOL_IN = POOL_N * POOL_H * POOL_W * POOL_C, POOL_OUT = POOL_N * 2 * 2 * POOL_C };

typedef struct {
    float x[POOL_IN], y[POOL_OUT], r[POOL_OUT];
    int32_t argmax[POOL_OUT];
} pool_case;

static double pool_objective(void *context)
{
    pool_case *c = context;

    nn_max_pooling2d_forward(c->x, POOL_N, POOL_H, POOL_W, POOL_C, c->y, c->argmax);
    return weighted_sum(c->y, c->r, POOL_OUT);
}

static void test_max_pooling2d_values(void)
{
    /* One 2x3 single-channel image: the odd last column is dropped (valid padding). */
    float x[6] = {1, 5, 9, 3, 2, 9}, y[1];
    int32_t argmax[1];

    nn_max_pooling2d_forward(x, 1, 2, 3, 1, y, argmax);
    CHECK_NEAR(y[0], 5.0, 0.0);
    CHECK_INT_EQ(argmax[0], 1);
}

static void test_max_pooling2d_gradient(void)
{
    pool_case c;
    float dx[POOL_IN];
    nn_rng rng;

    /* Distinct values 0.1 apart (a shuffled ramp), so no perturbation changes a winner. */
    for (int i = 0; i < POOL_IN; i++)
        c.x[i] = 0.1f * (float)i;
    nn_rng_seed(&rng, 17, NN_STREAM_SAMPLES);
    for (int i = POOL_IN; i > 1; i--) {
        int j = (int)nn_rng_below(&rng, (uint64_t)i);
        float swap = c.x[i - 1];

        c.x[i - 1] = c.x[j];
        c.x[j] = swap;
    }
    fill_uniform(&rng, c.r, POOL_OUT, -1.0, 1.0);

    pool_objective(&c);
    nn_max_pooling2d_backward(c.r, c.argmax, POOL_N, POOL_H, POOL_W, POOL_C, dx);
    CHECK_INT_EQ(check_gradient(c.x, dx, POOL_IN, pool_objective, &c, "dx"), 0);
}

/*** dropout ***/

enum { DROPOUT_COUNT = 200 };

typedef struct {
    float x[DROPOUT_COUNT], mask[DROPOUT_COUNT], y[DROPOUT_COUNT], r[DROPOUT_COUNT];
} dropout_case;

static double dropout_objective(void *context)
{
    dropout_case *c = context;

    nn_dropout_apply(c->x, c->mask, DROPOUT_COUNT, c->y);
    return weighted_sum(c->y, c->r, DROPOUT_COUNT);
}

static void test_dropout_mask(void)
{
    enum { COUNT = 10000 };
    static float mask[COUNT];
    nn_rng rng;
    size_t dropped = 0;
    double sum = 0.0;

    nn_rng_seed(&rng, 19, NN_STREAM_DROPOUT);
    nn_dropout_mask(&rng, 0.25, COUNT, mask);
    for (int i = 0; i < COUNT; i++) {
        CHECK(mask[i] == 0.0f || fabsf(mask[i] - 1.0f / 0.75f) < 1e-6f);
        dropped += mask[i] == 0.0f;
        sum += mask[i];
    }
    /* About a quarter dropped (binomial standard deviation about 43), mean scale about 1. */
    CHECK(dropped > 2300);
    CHECK(dropped < 2700);
    CHECK_NEAR(sum / COUNT, 1.0, 0.03);
}

static void test_dropout_gradient_fixed_mask(void)
{
    dropout_case c;
    float dx[DROPOUT_COUNT];
    nn_rng rng;

    nn_rng_seed(&rng, 23, NN_STREAM_DROPOUT);
    nn_dropout_mask(&rng, 0.5, DROPOUT_COUNT, c.mask);
    fill_uniform(&rng, c.x, DROPOUT_COUNT, -1.0, 1.0);
    fill_uniform(&rng, c.r, DROPOUT_COUNT, -1.0, 1.0);

    dropout_objective(&c);
    nn_dropout_apply(c.r, c.mask, DROPOUT_COUNT, dx);
    CHECK_INT_EQ(check_gradient(c.x, dx, DROPOUT_COUNT, dropout_objective, &c, "dx"), 0);
}

/*** loss ***/

enum { LOSS_N = 5 };

typedef struct {
    float logits[LOSS_N * NN_CLASSES];
    uint8_t labels[LOSS_N];
} loss_case;

static double loss_objective(void *context)
{
    loss_case *c = context;

    return nn_softmax_cross_entropy(c->logits, c->labels, LOSS_N, NN_CLASSES, NULL, NULL, NULL) /
           LOSS_N;
}

static void test_loss_gradient(void)
{
    loss_case c;
    float dlogits[LOSS_N * NN_CLASSES];
    nn_rng rng;

    nn_rng_seed(&rng, 29, NN_STREAM_SAMPLES);
    fill_uniform(&rng, c.logits, LOSS_N * NN_CLASSES, -3.0, 3.0);
    for (int i = 0; i < LOSS_N; i++)
        c.labels[i] = (uint8_t)nn_rng_below(&rng, NN_CLASSES);

    nn_softmax_cross_entropy(c.logits, c.labels, LOSS_N, NN_CLASSES, NULL, dlogits, NULL);
    CHECK_INT_EQ(check_gradient(c.logits, dlogits, LOSS_N * NN_CLASSES, loss_objective, &c,
                                "dlogits"), 0);
}

static void test_loss_values(void)
{
    /* Equal logits: the loss is log(10) and every probability 0.1. */
    float logits[NN_CLASSES] = {0}, probs[NN_CLASSES];
    uint8_t label = 3;
    size_t correct;
    double loss = nn_softmax_cross_entropy(logits, &label, 1, NN_CLASSES, probs, NULL, &correct);

    CHECK_NEAR(loss, log(10.0), 1e-9);
    CHECK_NEAR(probs[7], 0.1, 1e-7);
    /* A tie goes to the lowest class, which is not the label. */
    CHECK_INT_EQ(correct, 0);
}

static void test_loss_large_logits_finite(void)
{
    /* exp(1000) overflows a double, but log-sum-exp must still give loss 2000 and p = 1. */
    float logits[NN_CLASSES] = {0}, probs[NN_CLASSES], dlogits[NN_CLASSES];
    uint8_t label = 0;
    size_t correct;
    double loss;

    logits[0] = -1000.0f;
    logits[9] = 1000.0f;
    loss = nn_softmax_cross_entropy(logits, &label, 1, NN_CLASSES, probs, dlogits, &correct);
    CHECK_NEAR(loss, 2000.0, 1e-9);
    CHECK_NEAR(probs[9], 1.0, 1e-7);
    CHECK_NEAR(dlogits[0], -1.0, 1e-7);
    CHECK_INT_EQ(correct, 0);
}

/*** thread pool ***/

typedef struct {
    int visits[1000];
    int nested_parts[NN_MAX_THREADS];
} parallel_record;

/* Counts the calls of each part of a nested loop; parts write separate slots. */
static void count_nested(void *context, int part, size_t begin, size_t end)
{
    int *calls = context;

    calls[part]++;
}

static void record_visits(void *context, int part, size_t begin, size_t end)
{
    parallel_record *record = context;
    int calls[NN_MAX_THREADS] = {0};
    int nested = 0;

    for (size_t i = begin; i < end; i++)
        record->visits[i]++;
    nn_parallel_for(10, count_nested, calls);
    for (int p = 0; p < NN_MAX_THREADS; p++)
        nested += calls[p] > 0;
    record->nested_parts[part] = nested;
}

static void test_parallel_for_covers_range(void)
{
    static const size_t counts[] = {0, 1, 2, 7, 1000};

    for (int threads = 1; threads <= 4; threads++) {
        nn_set_threads(threads);
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
            parallel_record record;
            int parts = nn_parallel_parts(counts[c]);
            int bad_visits = 0, bad_nested = 0;

            memset(&record, 0, sizeof record);
            nn_parallel_for(counts[c], record_visits, &record);
            for (size_t i = 0; i < counts[c]; i++)
                bad_visits += record.visits[i] != 1;
            /* Inside a loop that was split, a nested loop runs inline as one part. */
            for (int part = 0; part < parts && parts > 1; part++)
                bad_nested += record.nested_parts[part] != 1;
            CHECK_INT_EQ(bad_visits, 0);
            CHECK_INT_EQ(bad_nested, 0);
            CHECK(parts <= threads);
        }
    }
    nn_set_threads(2);
}

int main(void)
{
    nn_set_threads(2);
    RUN(test_activation_linear_gradient);
    RUN(test_activation_relu_gradient);
    RUN(test_activation_sigmoid_gradient);
    RUN(test_activation_tanh_gradient);
    RUN(test_activation_softmax_gradient);
    RUN(test_activation_values);
    RUN(test_dense_forward_values);
    RUN(test_dense_gradient);
    RUN(test_dense_tanh_gradient);
    RUN(test_dense_sigmoid_gradient);
    RUN(test_conv2d_shape);
    RUN(test_conv2d_forward_values);
    RUN(test_conv2d_forward_reference);
    RUN(test_conv2d_gradient);
    RUN(test_conv2d_vector_gradient);
    RUN(test_conv2d_mixed_gradient);
    RUN(test_conv2d_tanh_gradient);
    RUN(test_max_pooling2d_values);
    RUN(test_max_pooling2d_gradient);
    RUN(test_dropout_mask);
    RUN(test_dropout_gradient_fixed_mask);
    RUN(test_loss_gradient);
    RUN(test_loss_values);
    RUN(test_loss_large_logits_finite);
    RUN(test_parallel_for_covers_range);
    return check_summary();
}
