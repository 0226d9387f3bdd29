/* propagation.c: forward and backward passes of a whole model over one batch.
 *
 * A batch is cut into one contiguous range of samples per thread, and each thread runs
 * every layer on its own range: all layer buffers are laid out sample after sample, so
 * a range is a slice of each buffer. This needs one synchronisation per pass instead of
 * one per layer. Each range computes its own weight gradients, and the ranges' gradients
 * are then added in range order, so the result depends on the thread count but never on
 * timing.
 */
#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

typedef struct {
    nn_model *model;
    const uint8_t *images, *labels;
    const uint32_t *indices;
} load_work;

NN_SIMD_CLONES
static void load_samples(void *context, int part, size_t begin, size_t end)
{
    const load_work *work = context;
    const float scale = 1.0f / 255.0f;

    for (size_t i = begin; i < end; i++) {
        const uint8_t *image = work->images + (size_t)work->indices[i] * NN_IMAGE_PIXELS;
        float *x = work->model->input + i * NN_IMAGE_PIXELS;

        for (size_t j = 0; j < NN_IMAGE_PIXELS; j++)
            x[j] = (float)image[j] * scale;
        work->model->labels[i] = work->labels[work->indices[i]];
    }
}

void nn_model_load_batch(nn_model *model, const uint8_t *images, const uint8_t *labels,
                         const uint32_t *indices, size_t n)
{
    load_work work = {.model = model, .images = images, .labels = labels, .indices = indices};

    /* A large dense model's pass keeps the other cores in OpenBLAS, idle during this
     * copy, so the copy is split across the threads. Other models keep it on this thread,
     * because there the hand-over to the pool cost more than it saved. Each sample is a
     * plain copy, so splitting the batch changes no value. */
    if (nn_model_is_large_dense(model))
        nn_parallel_for(n, load_samples, &work);
    else
        load_samples(&work, 0, 0, n);
}

/* The activation a layer applies itself: the output layer's softmax is left to the loss,
 * so that layer keeps its logits. */
static nn_activation inner_activation(const nn_layer *layer)
{
    return layer->info.activation == NN_ACT_SOFTMAX ? NN_ACT_LINEAR : layer->info.activation;
}

/* The output buffer of the layer before layer i (the input images for layer 0). */
static float *layer_input(nn_model *model, size_t i)
{
    return i > 0 ? model->layers[i - 1].out : model->input;
}

/* Runs every layer on samples [begin, end). Dropout masks must already be drawn. */
static void forward_range(nn_model *model, size_t begin, size_t end)
{
    size_t n = end - begin;

    for (size_t i = 0; i < model->n_layers; i++) {
        nn_layer *layer = &model->layers[i];
        const float *x = layer_input(model, i) + begin * layer->in_size;
        float *y = layer->out + begin * layer->out_size;

        switch (layer->info.kind) {
        case NN_LAYER_FLATTEN:
            /* out aliases the input, so there is nothing to do. */
            break;
        case NN_LAYER_DENSE:
            nn_dense_forward(x, n, layer->units_in, layer->units_out, layer->kernel,
                             layer->bias, inner_activation(layer), y);
            break;
        case NN_LAYER_CONV2D:
            nn_conv2d_forward(&layer->conv, x, n, layer->kernel, layer->bias,
                              inner_activation(layer), y);
            break;
        case NN_LAYER_MAX_POOLING2D:
            nn_max_pooling2d_forward(x, n, layer->in_shape[0], layer->in_shape[1],
                                     layer->in_shape[2], y,
                                     layer->argmax + begin * layer->out_size);
            break;
        case NN_LAYER_DROPOUT:
            if (model->forward_training)
                nn_dropout_apply(x, layer->mask + begin * layer->out_size,
                                 n * layer->out_size, y);
            else
                memcpy(y, x, n * layer->out_size * sizeof(float));
            break;
        }
    }
}

/* Back-propagates dlogits (the rows of samples [begin, end)) through every layer, writing
 * the weight gradients of this range into grads (laid out like model->grads) and, when
 * dinput is not NULL, the input gradient of these samples. */
static void backward_range(nn_model *model, size_t begin, size_t end, const float *dlogits,
                           float *grads, float *dinput)
{
    size_t n = end - begin;
    float *buffer_a = model->grad_a + begin * model->max_activation;
    float *buffer_b = model->grad_b + begin * model->max_activation;
    /* cur contains dL/d(output of layer i), and the two buffers alternate as targets.
     * dlogits is only read, because the output layer's activation is linear here (softmax
     * went into the loss), so its backward step leaves the gradient as it is. */
    float *cur = (float *)dlogits;

    for (size_t i = model->n_layers; i-- > 0;) {
        nn_layer *layer = &model->layers[i];
        const float *x = layer_input(model, i) + begin * layer->in_size;
        const float *y = layer->out + begin * layer->out_size;
        float *dx = dinput;
        size_t in_count = n * layer->in_size;
        float *dkernel = layer->dkernel ? grads + (layer->dkernel - model->grads) : NULL;
        float *dbias = layer->dbias ? grads + (layer->dbias - model->grads) : NULL;

        /* A layer that reads the input images (after at most a flatten) passes a gradient
         * back only when the caller asks for the input gradient. */
        if (layer_input(model, i) != model->input)
            dx = cur == buffer_a ? buffer_b : buffer_a;

        switch (layer->info.kind) {
        case NN_LAYER_FLATTEN:
            /* Flattening NHWC data moves nothing, so the gradient passes through. */
            if (i > 0)
                dx = cur;
            else if (dx && dx != cur)
                memcpy(dx, cur, in_count * sizeof(float));
            break;
        case NN_LAYER_DENSE:
            nn_dense_backward(x, y, cur, n, layer->units_in, layer->units_out,
                              inner_activation(layer), layer->kernel, dkernel, dbias, dx);
            break;
        case NN_LAYER_CONV2D:
            nn_conv2d_backward(&layer->conv, x, y, cur, n, inner_activation(layer),
                               layer->kernel_t, dkernel, dbias, dx);
            break;
        case NN_LAYER_MAX_POOLING2D:
            if (dx)
                nn_max_pooling2d_backward(cur, layer->argmax + begin * layer->out_size, n,
                                          layer->in_shape[0], layer->in_shape[1],
                                          layer->in_shape[2], dx);
            break;
        case NN_LAYER_DROPOUT:
            if (dx) {
                if (model->forward_training)
                    nn_dropout_apply(cur, layer->mask + begin * layer->out_size, in_count, dx);
                else
                    memcpy(dx, cur, in_count * sizeof(float));
            }
            break;
        }
        cur = dx;
    }
}

/* Makes room for the weight gradients of parts - 1 extra batch parts. */
static int reserve_part_grads(nn_model *model, int parts, nn_error *err)
{
    float *grown;

    if (parts - 1 <= model->n_part_grads)
        return 0;
    grown = realloc(model->part_grads, (size_t)(parts - 1) * model->n_params * sizeof(float));
    if (!grown)
        return nn_fail(err, NN_ERR_MEMORY, "out of memory for the gradients of %d threads; "
                       "use fewer threads", parts);
    model->part_grads = grown;
    model->n_part_grads = parts - 1;
    return 0;
}

static float *part_grads(nn_model *model, int part)
{
    return part == 0 ? model->grads : model->part_grads + (size_t)(part - 1) * model->n_params;
}

/* Adds the extra parts' weight gradients into model->grads, in part order. */
NN_SIMD_CLONES
static void sum_part_grads(nn_model *model, int parts)
{
    for (int part = 1; part < parts; part++) {
        const float *extra = part_grads(model, part);

        for (size_t i = 0; i < model->n_params; i++)
            model->grads[i] += extra[i];
    }
}

/* Draws the masks of every dropout layer for n samples, layer after layer, so that the
 * masks never depend on how the batch is split. */
static void draw_dropout_masks(nn_model *model, size_t n, nn_rng *dropout_rng)
{
    for (size_t i = 0; i < model->n_layers; i++) {
        nn_layer *layer = &model->layers[i];

        if (layer->info.kind == NN_LAYER_DROPOUT)
            nn_dropout_mask(dropout_rng, layer->rate, n * layer->out_size, layer->mask);
    }
}

/* Dense-only models with at least this many kernel weights give OpenBLAS the threads. */
#define NN_BLAS_THREADED_MIN_WEIGHTS 65536

/* How a pass over n samples is split. A model of large dense layers spends its time in
 * sgemm calls on [n, in] x [in, out] matrices, and OpenBLAS splits those across the
 * threads better than the engine's per-part calls. So such a pass runs as one part and
 * OpenBLAS gets the threads. On the 2-core machine of docs/benchmarks.md this was about
 * 10% faster for the mlp cases (784-128-10), but 30% slower for the basic model (784-10),
 * whose products have only 10 columns, hence the weight threshold. A model with conv2d
 * layers keeps one part per thread and OpenBLAS at one thread, because its conv loops are
 * the engine's own. OpenBLAS splits a product by blocks of the output, and every output
 * still sums its products in one fixed order, so results repeat from run to run.
 * NOTE: the threshold was measured on that one machine. */
typedef struct {
    int parts;
    int blas_threads;
} pass_split;

int nn_model_is_large_dense(const nn_model *model)
{
    size_t dense_weights = 0;

    for (size_t i = 0; i < model->n_layers; i++) {
        if (model->layers[i].info.kind == NN_LAYER_CONV2D)
            return 0;
        if (model->layers[i].info.kind == NN_LAYER_DENSE)
            dense_weights += model->layers[i].kernel_count;
    }
    return dense_weights >= NN_BLAS_THREADED_MIN_WEIGHTS;
}

static pass_split split_pass(const nn_model *model, size_t n)
{
    pass_split split = {.parts = nn_parallel_parts(n), .blas_threads = 1};

    if (split.parts > 1 && nn_model_is_large_dense(model)) {
        split.blas_threads = split.parts;
        split.parts = 1;
    }
    return split;
}

/* Runs body over n samples with the parts and the OpenBLAS thread count of split. */
static void run_pass(pass_split split, size_t n, nn_parallel_body body, void *context)
{
    openblas_set_num_threads(split.blas_threads);
    if (split.parts == 1)
        body(context, 0, 0, n);
    else
        nn_parallel_for(n, body, context);
}

static void forward_part(void *context, int part, size_t begin, size_t end)
{
    forward_range(context, begin, end);
}

const float *nn_model_forward(nn_model *model, size_t n, int training, nn_rng *dropout_rng)
{
    model->forward_training = training;
    if (training)
        draw_dropout_masks(model, n, dropout_rng);
    run_pass(split_pass(model, n), n, forward_part, model);
    return model->layers[model->n_layers - 1].out;
}

typedef struct {
    nn_model *model;
    const float *dlogits;
    float *dinput;
    size_t n;
    double part_loss[NN_MAX_THREADS];
    size_t part_correct[NN_MAX_THREADS];
} pass_work;

static void backward_part(void *context, int part, size_t begin, size_t end)
{
    pass_work *work = context;
    float *dinput = work->dinput ? work->dinput + begin * NN_IMAGE_PIXELS : NULL;

    backward_range(work->model, begin, end, work->dlogits + begin * NN_CLASSES,
                   part_grads(work->model, part), dinput);
}

/* Writes the transposed kernel of every conv2d layer that passes a gradient back: all but
 * a first layer, unless the input gradient is requested. This runs once per batch,
 * before the batch is split, because every part reads the same copy. */
static void transpose_conv_kernels(nn_model *model, int input_gradient)
{
    for (size_t i = input_gradient ? 0 : 1; i < model->n_layers; i++) {
        nn_layer *layer = &model->layers[i];

        if (layer->info.kind == NN_LAYER_CONV2D)
            nn_conv2d_transpose_kernel(&layer->conv, layer->kernel, layer->kernel_t);
    }
}

int nn_model_backward(nn_model *model, size_t n, const float *dlogits, float *dinput,
                      nn_error *err)
{
    pass_work work = {.model = model, .dlogits = dlogits, .dinput = dinput, .n = n};
    pass_split split = split_pass(model, n);

    if (reserve_part_grads(model, split.parts, err) != 0)
        return -1;
    transpose_conv_kernels(model, dinput != NULL);
    run_pass(split, n, backward_part, &work);
    sum_part_grads(model, split.parts);
    return 0;
}

static void train_part(void *context, int part, size_t begin, size_t end)
{
    pass_work *work = context;
    nn_model *model = work->model;
    const float *logits = model->layers[model->n_layers - 1].out + begin * NN_CLASSES;
    float *dlogits = model->dlogits + begin * NN_CLASSES;

    forward_range(model, begin, end);
    work->part_loss[part] = nn_softmax_cross_entropy_rows(logits, model->labels + begin,
                                                          end - begin, NN_CLASSES, work->n,
                                                          NULL, dlogits,
                                                          &work->part_correct[part]);
    backward_range(model, begin, end, dlogits, part_grads(model, part), NULL);
}

int nn_model_train_pass(nn_model *model, size_t n, nn_rng *dropout_rng, double *loss,
                        size_t *correct, nn_error *err)
{
    pass_work work = {.model = model, .n = n};
    pass_split split = split_pass(model, n);

    if (reserve_part_grads(model, split.parts, err) != 0)
        return -1;
    transpose_conv_kernels(model, 0);
    model->forward_training = 1;
    draw_dropout_masks(model, n, dropout_rng);
    run_pass(split, n, train_part, &work);
    sum_part_grads(model, split.parts);

    *loss = 0.0;
    *correct = 0;
    for (int part = 0; part < split.parts; part++) {
        *loss += work.part_loss[part];
        *correct += work.part_correct[part];
    }
    return 0;
}
