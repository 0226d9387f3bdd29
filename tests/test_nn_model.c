/* test_nn_model.c: model building (names, Keras shapes, parameter counts, initialisation)
 * and gradient checks through whole models, including flatten and the input gradient. */
#include "nn/model_internal.h"
#include "nn_test_util.h"

static nn_model *build(nn_model_type type, void (*adjust)(nn_model_spec *), uint64_t seed)
{
    nn_model_spec spec;
    nn_error err = {0};
    nn_model *model;

    nn_model_spec_default(&spec, type);
    if (adjust)
        adjust(&spec);
    model = nn_model_build(&spec, seed, &err);
    if (!model)
        fprintf(stderr, "  build failed: %s\n", err.message);
    return model;
}

static void check_weight(const nn_model *model, const char *name, int ndim, int d0, int d1,
                         int d2, int d3)
{
    long index = nn_model_find_weight(model, name);
    const nn_weight_view *view;
    int expected[4] = {d0, d1, d2, d3};

    CHECK(index >= 0);
    if (index < 0) {
        fprintf(stderr, "  no weight %s\n", name);
        return;
    }
    view = nn_model_weight(model, (size_t)index);
    CHECK_STR_EQ(view->name, name);
    CHECK_INT_EQ(view->ndim, ndim);
    for (int i = 0; i < ndim; i++)
        CHECK_INT_EQ(view->shape[i], expected[i]);
}

/*** structure ***/

static void test_basic_default_structure(void)
{
    nn_model *model = build(NN_MODEL_BASIC, NULL, 42);

    CHECK(model != NULL);
    if (!model)
        return;
    CHECK_INT_EQ(nn_model_param_count(model), 7850);
    CHECK_INT_EQ(nn_model_layer_count(model), 2);
    CHECK_STR_EQ(nn_model_layer(model, 0)->name, "flatten_Flatten1");
    CHECK_INT_EQ(nn_model_layer(model, 0)->output_shape[0], 784);
    CHECK_STR_EQ(nn_model_layer(model, 1)->name, "dense_Dense1");
    CHECK_INT_EQ(nn_model_layer(model, 1)->activation, NN_ACT_SOFTMAX);
    CHECK_INT_EQ(nn_model_layer(model, 1)->params, 7850);
    CHECK_INT_EQ(nn_model_weight_count(model), 2);
    check_weight(model, "dense_Dense1/kernel", 2, 784, 10, 0, 0);
    check_weight(model, "dense_Dense1/bias", 1, 10, 0, 0, 0);
    CHECK_INT_EQ(nn_model_find_weight(model, "dense_Dense2/kernel"), -1);
    nn_model_free(model);
}

static void three_layers(nn_model_spec *spec)
{
    spec->layers = 3;
    spec->units = 32;
}

static void test_basic_hidden_layers(void)
{
    nn_model *model = build(NN_MODEL_BASIC, three_layers, 42);

    CHECK(model != NULL);
    if (!model)
        return;
    /* 784*32+32 + 32*32+32 + 32*10+10 */
    CHECK_INT_EQ(nn_model_param_count(model), 25120 + 1056 + 330);
    CHECK_STR_EQ(nn_model_layer(model, 1)->name, "dense_Dense1");
    CHECK_INT_EQ(nn_model_layer(model, 1)->activation, NN_ACT_SIGMOID);
    CHECK_STR_EQ(nn_model_layer(model, 3)->name, "dense_Dense3");
    check_weight(model, "dense_Dense2/kernel", 2, 32, 32, 0, 0);
    check_weight(model, "dense_Dense3/kernel", 2, 32, 10, 0, 0);
    nn_model_free(model);
}

static void test_conv_default_structure(void)
{
    static const char *names[] = {"conv2d_Conv2D1", "max_pooling2d_MaxPooling2D1",
                                  "conv2d_Conv2D2", "max_pooling2d_MaxPooling2D2",
                                  "flatten_Flatten1", "dense_Dense1"};
    static const int shapes[][3] = {{24, 24, 8}, {12, 12, 8}, {8, 8, 16}, {4, 4, 16},
                                    {256, 0, 0}, {10, 0, 0}};
    nn_model *model = build(NN_MODEL_CONV, NULL, 42);

    CHECK(model != NULL);
    if (!model)
        return;
    /* Keras: 5*5*1*8+8 = 208, 5*5*8*16+16 = 3216, 256*10+10 = 2570. */
    CHECK_INT_EQ(nn_model_param_count(model), 208 + 3216 + 2570);
    CHECK_INT_EQ(nn_model_layer_count(model), 6);
    for (size_t i = 0; i < 6; i++) {
        const nn_layer_info *info = nn_model_layer(model, i);

        CHECK_STR_EQ(info->name, names[i]);
        for (int d = 0; d < info->output_ndim; d++)
            CHECK_INT_EQ(info->output_shape[d], shapes[i][d]);
    }
    CHECK_INT_EQ(nn_model_layer(model, 0)->activation, NN_ACT_RELU);
    CHECK_INT_EQ(nn_model_layer(model, 0)->params, 208);
    CHECK_INT_EQ(nn_model_layer(model, 1)->trainable, 0);
    check_weight(model, "conv2d_Conv2D1/kernel", 4, 5, 5, 1, 8);
    check_weight(model, "conv2d_Conv2D1/bias", 1, 8, 0, 0, 0);
    check_weight(model, "conv2d_Conv2D2/kernel", 4, 5, 5, 8, 16);
    check_weight(model, "dense_Dense1/kernel", 2, 256, 10, 0, 0);
    nn_model_free(model);
}

static void conv_options(nn_model_spec *spec)
{
    spec->filters[0] = 4;
    spec->filters[1] = 6;
    spec->kernel_size = 3;
}

static void test_conv_options(void)
{
    nn_model *model = build(NN_MODEL_CONV, conv_options, 42);

    CHECK(model != NULL);
    if (!model)
        return;
    /* 28 -> 26 -> 13 -> 11 -> 5; 3*3*1*4+4 = 40, 3*3*4*6+6 = 222, 150*10+10 = 1510. */
    CHECK_INT_EQ(nn_model_param_count(model), 40 + 222 + 1510);
    check_weight(model, "conv2d_Conv2D2/kernel", 4, 3, 3, 4, 6);
    CHECK_INT_EQ(nn_model_layer(model, 3)->output_shape[0], 5);
    nn_model_free(model);
}

static void mlp_with_dropout(nn_model_spec *spec)
{
    spec->hidden[0] = 128;
    spec->hidden[1] = 64;
    spec->n_hidden = 2;
    spec->activation = NN_ACT_TANH;
    spec->dropout = 0.2;
}

static void test_mlp_structure(void)
{
    static const char *names[] = {"flatten_Flatten1", "dense_Dense1", "dropout_Dropout1",
                                  "dense_Dense2", "dropout_Dropout2", "dense_Dense3"};
    nn_model *model = build(NN_MODEL_MLP, mlp_with_dropout, 42);

    CHECK(model != NULL);
    if (!model)
        return;
    CHECK_INT_EQ(nn_model_param_count(model), 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
    CHECK_INT_EQ(nn_model_layer_count(model), 6);
    for (size_t i = 0; i < 6; i++)
        CHECK_STR_EQ(nn_model_layer(model, i)->name, names[i]);
    CHECK_INT_EQ(nn_model_layer(model, 1)->activation, NN_ACT_TANH);
    CHECK_INT_EQ(nn_model_layer(model, 2)->output_shape[0], 128);
    CHECK_INT_EQ(nn_model_layer(model, 2)->output_ndim, 1);
    check_weight(model, "dense_Dense2/kernel", 2, 128, 64, 0, 0);
    nn_model_free(model);
}

static void test_names_restart_per_model(void)
{
    nn_model *first = build(NN_MODEL_MLP, NULL, 1);
    nn_model *second = build(NN_MODEL_MLP, NULL, 1);

    CHECK(first != NULL);
    CHECK(second != NULL);
    if (first && second) {
        CHECK_STR_EQ(nn_model_layer(first, 1)->name, "dense_Dense1");
        CHECK_STR_EQ(nn_model_layer(second, 1)->name, "dense_Dense1");
    }
    nn_model_free(first);
    nn_model_free(second);
}

static void test_spec_rejected(void)
{
    nn_model_spec spec;
    nn_error err = {0};

    nn_model_spec_default(&spec, NN_MODEL_CONV);
    spec.kernel_size = 10;
    CHECK(nn_model_build(&spec, 1, &err) == NULL);
    CHECK_INT_EQ(err.code, NN_ERR_ARGUMENT);
    CHECK(strstr(err.message, "kernel_size=10") != NULL);

    nn_model_spec_default(&spec, NN_MODEL_BASIC);
    spec.layers = 0;
    CHECK(nn_model_build(&spec, 1, &err) == NULL);
    CHECK(strstr(err.message, "layers=0") != NULL);

    nn_model_spec_default(&spec, NN_MODEL_MLP);
    spec.activation = NN_ACT_SOFTMAX;
    CHECK(nn_model_build(&spec, 1, &err) == NULL);
    CHECK(strstr(err.message, "softmax") != NULL);

    nn_model_spec_default(&spec, NN_MODEL_MLP);
    spec.dropout = 1.0;
    CHECK(nn_model_build(&spec, 1, &err) == NULL);
    CHECK(strstr(err.message, "dropout=1") != NULL);
}

/*** initialisation ***/

static void test_init_ranges(void)
{
    nn_model *model = build(NN_MODEL_CONV, NULL, 42);
    const nn_weight_view *view;
    nn_weight_stats stats;
    double limit = sqrt(6.0 / (256 + 10));
    double conv_stddev = sqrt(1.0 / 25.0) / 0.87962566103423978;

    CHECK(model != NULL);
    if (!model)
        return;
    view = nn_model_weight(model, (size_t)nn_model_find_weight(model, "dense_Dense1/kernel"));
    nn_weight_stats_compute(view->data, view->count, &stats);
    CHECK(stats.min >= -limit);
    CHECK(stats.max <= limit);
    /* Uniform on [-limit, limit] has standard deviation limit / sqrt(3). */
    CHECK_NEAR(stats.stddev, limit / sqrt(3.0), 0.1 * limit);

    view = nn_model_weight(model, (size_t)nn_model_find_weight(model, "conv2d_Conv2D2/kernel"));
    nn_weight_stats_compute(view->data, view->count, &stats);
    CHECK(stats.min >= -2.0 * conv_stddev);
    CHECK(stats.max <= 2.0 * conv_stddev);
    /* Truncation at two standard deviations leaves a variance of 1 / fan_in = 1/200. */
    CHECK_NEAR(stats.stddev, sqrt(1.0 / 200.0), 0.01);

    view = nn_model_weight(model, (size_t)nn_model_find_weight(model, "conv2d_Conv2D2/bias"));
    nn_weight_stats_compute(view->data, view->count, &stats);
    CHECK_INT_EQ(stats.zeros, 16);
    nn_model_free(model);
}

static void test_init_seeded(void)
{
    nn_model *a = build(NN_MODEL_CONV, NULL, 5);
    nn_model *b = build(NN_MODEL_CONV, NULL, 5);
    nn_model *c = build(NN_MODEL_CONV, NULL, 6);

    CHECK(a != NULL);
    CHECK(b != NULL);
    CHECK(c != NULL);
    if (a && b && c) {
        CHECK(memcmp(a->params, b->params, a->n_params * sizeof(float)) == 0);
        CHECK(memcmp(a->params, c->params, a->n_params * sizeof(float)) != 0);
    }
    nn_model_free(a);
    nn_model_free(b);
    nn_model_free(c);
}

static void test_weight_stats(void)
{
    float values[6] = {1.0f, -3.0f, 0.0f, NAN, INFINITY, 2.0f};
    nn_weight_stats stats;

    nn_weight_stats_compute(values, 6, &stats);
    CHECK_INT_EQ(stats.count, 6);
    CHECK_INT_EQ(stats.nans, 1);
    CHECK_INT_EQ(stats.infinities, 1);
    CHECK_INT_EQ(stats.zeros, 1);
    CHECK_NEAR(stats.min, -3.0, 0.0);
    CHECK_NEAR(stats.max, 2.0, 0.0);
    CHECK_NEAR(stats.mean, 0.0, 1e-12);
    CHECK_NEAR(stats.stddev, sqrt(14.0 / 4.0), 1e-12);
}

static void test_weight_copy_keras(void)
{
    nn_model *model = build(NN_MODEL_CONV, NULL, 42);
    long index;
    float *copy;

    CHECK(model != NULL);
    if (!model)
        return;
    index = nn_model_find_weight(model, "conv2d_Conv2D1/kernel");
    copy = malloc(200 * sizeof(float));
    nn_weight_copy_keras(model, (size_t)index, copy);
    /* Keras [kh, kw, in, out]: element (ky=1, kx=2, c=0, f=3) is at ((1*5+2)*1+0)*8+3. */
    CHECK(copy[((1 * 5 + 2) * 1 + 0) * 8 + 3] == model->layers[0].kernel[59]);
    free(copy);
    nn_model_free(model);
}

/*** gradients through whole models ***/

enum { MODEL_N = 3 };

typedef struct {
    nn_model *model;
    uint64_t dropout_seed;
    double step;           /* central-difference step */
    int kinks;             /* whether the model has relu or max pooling */
    float images[MODEL_N * NN_IMAGE_PIXELS];
    uint8_t labels[MODEL_N];
} model_case;

/* Returns the mean loss of the batch. Dropout masks are redrawn from the same seed every
 * time, so the objective is a fixed function of the weights. */
static double model_objective(void *context)
{
    model_case *c = context;
    nn_rng rng;
    const float *logits;

    memcpy(c->model->input, c->images, sizeof c->images);
    memcpy(c->model->labels, c->labels, MODEL_N);
    nn_rng_seed(&rng, c->dropout_seed, NN_STREAM_DROPOUT);
    logits = nn_model_forward(c->model, MODEL_N, 1, &rng);
    return nn_softmax_cross_entropy(logits, c->labels, MODEL_N, NN_CLASSES, NULL, NULL, NULL) /
           MODEL_N;
}

static double central_difference(float *value, double step, model_case *c)
{
    float saved = *value;
    double plus, minus;

    *value = saved + (float)step;
    plus = model_objective(c);
    *value = saved - (float)step;
    minus = model_objective(c);
    *value = saved;
    return (plus - minus) / (2.0 * step);
}

/* Checks the gradient of up to samples entries of values (spread evenly) numerically.
 * A smooth model must match at every point. relu and max pooling make the loss only
 * piecewise smooth: a kink (a pre-activation crossing 0, or two pooled values swapping)
 * within the step spoils the difference, and a conv kernel weight moves hundreds of units.
 * So for such models a tenth of the points may disagree; a wrong gradient formula
 * disagrees almost everywhere. */
static int check_sampled(float *values, const float *analytic, size_t count, size_t samples,
                         model_case *c, const char *what)
{
    size_t stride = count > samples ? count / samples : 1;
    size_t checked = 0;
    int failures = 0;

    for (size_t i = 0; i < count; i += stride) {
        double numeric = central_difference(&values[i], c->step, c);

        checked++;
        /* With the small step of conv models, float rounding of the loss (about 1e-7)
         * becomes an absolute error of about 3e-4 in the difference. */
        if (!gradient_close(analytic[i], numeric, c->step < 1e-3 ? 1e-3 : 5e-4, 2e-2)) {
            if (failures < 5)
                fprintf(stderr, "  %s[%zu]: analytic %.6g, numeric %.6g\n", what, i,
                        analytic[i], numeric);
            failures++;
        }
    }
    if (c->kinks && (size_t)failures * 10 <= checked)
        return 0;
    if (failures)
        fprintf(stderr, "  %s: %d of %zu points disagree\n", what, failures, checked);
    return failures;
}

static void check_model_gradients(nn_model *model, size_t samples_per_weight)
{
    int conv = model->spec.type == NN_MODEL_CONV;
    model_case c = {.model = model, .dropout_seed = 99, .step = conv ? 3e-4 : 1e-2};

    c.kinks = conv || model->spec.activation == NN_ACT_RELU;
    float *dinput = malloc(sizeof c.images);
    float *grads = malloc(model->n_params * sizeof(float));
    nn_error err = {0};
    nn_rng rng;

    CHECK(nn_model_reserve(model, MODEL_N, &err) == 0);
    nn_rng_seed(&rng, 31, NN_STREAM_SAMPLES);
    fill_uniform(&rng, c.images, MODEL_N * NN_IMAGE_PIXELS, 0.0, 1.0);
    for (int i = 0; i < MODEL_N; i++)
        c.labels[i] = (uint8_t)(3 * i + 1);
    /* Non-zero biases, so that bias gradients are checked at a generic point. */
    for (size_t w = 0; w < model->n_weights; w++)
        if (strstr(model->weights[w].name, "/bias"))
            fill_uniform(&rng, (float *)model->weights[w].data, model->weights[w].count,
                         conv ? 0.05 : -0.1, 0.1);

    model_objective(&c);
    nn_softmax_cross_entropy(model->layers[model->n_layers - 1].out, c.labels, MODEL_N,
                             NN_CLASSES, NULL, model->dlogits, NULL);
    CHECK(nn_model_backward(model, MODEL_N, model->dlogits, dinput, &err) == 0);
    memcpy(grads, model->grads, model->n_params * sizeof(float));

    for (size_t w = 0; w < model->n_weights; w++) {
        const nn_weight_view *view = &model->weights[w];
        size_t offset = (size_t)(view->data - model->params);

        CHECK_INT_EQ(check_sampled(model->params + offset, grads + offset, view->count,
                                   samples_per_weight, &c, view->name), 0);
    }
    CHECK_INT_EQ(check_sampled(c.images, dinput, MODEL_N * NN_IMAGE_PIXELS, 60, &c, "input"), 0);
    free(dinput);
    free(grads);
}

static void small_mlp_with_dropout(nn_model_spec *spec)
{
    spec->hidden[0] = 12;
    spec->hidden[1] = 7;
    spec->n_hidden = 2;
    spec->activation = NN_ACT_SIGMOID;
    spec->dropout = 0.3;
}

static void test_mlp_gradient_with_dropout(void)
{
    nn_model *model = build(NN_MODEL_MLP, small_mlp_with_dropout, 3);

    CHECK(model != NULL);
    if (model)
        check_model_gradients(model, 80);
    nn_model_free(model);
}

static void tanh_basic(nn_model_spec *spec)
{
    spec->layers = 2;
    spec->units = 9;
    spec->activation = NN_ACT_TANH;
}

static void test_basic_gradient(void)
{
    nn_model *model = build(NN_MODEL_BASIC, tanh_basic, 4);

    CHECK(model != NULL);
    if (model)
        check_model_gradients(model, 80);
    nn_model_free(model);
}

static void small_conv(nn_model_spec *spec)
{
    spec->filters[0] = 3;
    spec->filters[1] = 4;
}

static void test_conv_gradient(void)
{
    nn_model *model = build(NN_MODEL_CONV, small_conv, 5);

    CHECK(model != NULL);
    if (model)
        check_model_gradients(model, 60);
    nn_model_free(model);
}

/*** input gradient through the public API ***/

static void test_input_gradient_matches_differences(void)
{
    /* A smooth (tanh) model, so that every difference is exact to the step. The conv
     * model's input gradient is checked in test_conv_gradient. */
    nn_model *model = build(NN_MODEL_BASIC, tanh_basic, 8);
    float image[NN_IMAGE_PIXELS], grad_loss[NN_IMAGE_PIXELS], grad_logit[NN_IMAGE_PIXELS];
    nn_error err = {0};
    nn_rng rng;
    int failures = 0;

    CHECK(model != NULL);
    if (!model)
        return;
    nn_rng_seed(&rng, 37, NN_STREAM_SAMPLES);
    fill_uniform(&rng, image, NN_IMAGE_PIXELS, 0.0, 1.0);
    CHECK(nn_input_gradient(model, image, 4, NN_GRAD_LOSS, grad_loss, &err) == 0);
    CHECK(nn_input_gradient(model, image, 0, 7, grad_logit, &err) == 0);

    for (int p = 0; p < NN_IMAGE_PIXELS; p += 13) {
        float saved = image[p], probs[NN_CLASSES];
        double loss[2], logit[2];

        for (int side = 0; side < 2; side++) {
            image[p] = saved + (side ? -1e-2f : 1e-2f);
            nn_predict(model, image, probs, &err);
            loss[side] = -log(probs[4]);
            /* The public API returns probabilities only, so the logit comes from the
             * output layer's internal buffer. */
            logit[side] = model->layers[model->n_layers - 1].out[7];
        }
        image[p] = saved;
        failures += !gradient_close(grad_loss[p], (loss[0] - loss[1]) / 2e-2, 5e-4, 2e-2);
        failures += !gradient_close(grad_logit[p], (logit[0] - logit[1]) / 2e-2, 5e-4, 2e-2);
    }
    CHECK_INT_EQ(failures, 0);

    CHECK(nn_input_gradient(model, image, 0, 10, grad_logit, &err) == -1);
    CHECK_INT_EQ(err.code, NN_ERR_ARGUMENT);
    nn_model_free(model);
}

/*** inference ***/

static void test_predict_and_activations(void)
{
    nn_model *model = build(NN_MODEL_CONV, NULL, 9);
    float image[NN_IMAGE_PIXELS], probs[NN_CLASSES];
    nn_activations acts;
    nn_error err = {0};
    nn_rng rng;
    double sum = 0.0;

    CHECK(model != NULL);
    if (!model)
        return;
    nn_rng_seed(&rng, 41, NN_STREAM_SAMPLES);
    fill_uniform(&rng, image, NN_IMAGE_PIXELS, 0.0, 1.0);
    CHECK(nn_predict(model, image, probs, &err) == 0);
    for (int k = 0; k < NN_CLASSES; k++) {
        CHECK(probs[k] > 0.0f);
        CHECK(probs[k] < 1.0f);
        sum += probs[k];
    }
    CHECK_NEAR(sum, 1.0, 1e-5);

    CHECK(nn_model_activations(model, image, &acts, &err) == 0);
    CHECK_INT_EQ(acts.n_layers, 6);
    CHECK_INT_EQ(acts.counts[0], 24 * 24 * 8);
    CHECK_INT_EQ(acts.counts[3], 4 * 4 * 16);
    CHECK_INT_EQ(acts.counts[5], 10);
    /* relu output is never negative, and the last layer reports the probabilities. */
    for (size_t i = 0; i < acts.counts[0]; i++)
        if (acts.values[0][i] < 0.0f) {
            CHECK(acts.values[0][i] >= 0.0f);
            break;
        }
    for (int k = 0; k < NN_CLASSES; k++)
        CHECK_NEAR(acts.values[5][k], probs[k], 1e-6);
    /* Flatten only reinterprets the pooled map: the same values in the same order. */
    CHECK(memcmp(acts.values[3], acts.values[4], acts.counts[3] * sizeof(float)) == 0);
    nn_activations_free(&acts);
    nn_model_free(model);
}

int main(void)
{
    nn_set_threads(getenv("T") ? atoi(getenv("T")) : 2);
    RUN(test_basic_default_structure);
    RUN(test_basic_hidden_layers);
    RUN(test_conv_default_structure);
    RUN(test_conv_options);
    RUN(test_mlp_structure);
    RUN(test_names_restart_per_model);
    RUN(test_spec_rejected);
    RUN(test_init_ranges);
    RUN(test_init_seeded);
    RUN(test_weight_stats);
    RUN(test_weight_copy_keras);
    RUN(test_mlp_gradient_with_dropout);
    RUN(test_basic_gradient);
    RUN(test_conv_gradient);
    RUN(test_input_gradient_matches_differences);
    RUN(test_predict_and_activations);
    return check_summary();
}
