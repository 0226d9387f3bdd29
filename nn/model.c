/* model.c: building the basic, conv and mlp models, their names, weights and views.
 *
 * A model is a fixed list of layers. Layer names follow TensorFlow.js (kind prefix, class
 * name, a number counted per kind from 1 in each model), for example dense_Dense2 or
 * conv2d_Conv2D1, and weight names append /kernel or /bias.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

#define NN_MAX_UNITS 4096
#define NN_MAX_FILTERS 256

/*** specs ***/

void nn_model_spec_default(nn_model_spec *spec, nn_model_type type)
{
    memset(spec, 0, sizeof *spec);
    spec->type = type;
    spec->layers = 1;
    spec->units = 10;
    spec->activation = type == NN_MODEL_MLP ? NN_ACT_RELU : NN_ACT_SIGMOID;
    spec->filters[0] = 8;
    spec->filters[1] = 16;
    spec->kernel_size = 5;
    spec->hidden[0] = 128;
    spec->n_hidden = 1;
    spec->dropout = 0.0;
    if (type == NN_MODEL_CONV)
        spec->activation = NN_ACT_RELU;
}

const char *nn_model_type_name(nn_model_type type)
{
    switch (type) {
    case NN_MODEL_BASIC:
        return "basic";
    case NN_MODEL_CONV:
        return "conv";
    case NN_MODEL_MLP:
        return "mlp";
    }
    return "unknown";
}

const char *nn_activation_name(nn_activation activation)
{
    switch (activation) {
    case NN_ACT_LINEAR:
        return "linear";
    case NN_ACT_RELU:
        return "relu";
    case NN_ACT_SIGMOID:
        return "sigmoid";
    case NN_ACT_TANH:
        return "tanh";
    case NN_ACT_SOFTMAX:
        return "softmax";
    }
    return "unknown";
}

/* Output side of conv2d then max pooling, or 0 when the kernel does not fit. */
static int conv_block_side(int side, int kernel_size)
{
    int conv = side - kernel_size + 1;

    return conv < 1 ? 0 : conv / NN_POOL_SIZE;
}

static int check_hidden_activation(nn_activation activation, nn_error *err)
{
    if (activation == NN_ACT_RELU || activation == NN_ACT_SIGMOID ||
        activation == NN_ACT_TANH || activation == NN_ACT_LINEAR)
        return 0;
    return nn_fail(err, NN_ERR_ARGUMENT,
                   "invalid hidden activation \"%s\"; use relu, sigmoid, tanh or linear",
                   nn_activation_name(activation));
}

int nn_model_spec_check(const nn_model_spec *spec, nn_error *err)
{
    switch (spec->type) {
    case NN_MODEL_BASIC:
        if (spec->layers < 1 || spec->layers > NN_MAX_HIDDEN + 1)
            return nn_fail(err, NN_ERR_ARGUMENT,
                           "invalid layers=%d; use 1 to %d dense layers (the last is the "
                           "10-unit softmax output)", spec->layers, NN_MAX_HIDDEN + 1);
        if (spec->layers > 1 && (spec->units < 1 || spec->units > NN_MAX_UNITS))
            return nn_fail(err, NN_ERR_ARGUMENT, "invalid units=%d; use 1 to %d units",
                           spec->units, NN_MAX_UNITS);
        return check_hidden_activation(spec->activation, err);

    case NN_MODEL_CONV: {
        int side;

        for (int i = 0; i < 2; i++)
            if (spec->filters[i] < 1 || spec->filters[i] > NN_MAX_FILTERS)
                return nn_fail(err, NN_ERR_ARGUMENT,
                               "invalid filters=%d for conv layer %d; use 1 to %d",
                               spec->filters[i], i + 1, NN_MAX_FILTERS);
        side = conv_block_side(conv_block_side(NN_IMAGE_SIDE, spec->kernel_size),
                               spec->kernel_size);
        if (spec->kernel_size < 1 || side < 1)
            return nn_fail(err, NN_ERR_ARGUMENT,
                           "invalid kernel_size=%d; two conv and pooling blocks on 28x28 "
                           "images need a kernel size from 1 to 9", spec->kernel_size);
        return 0;
    }

    case NN_MODEL_MLP:
        if (spec->n_hidden < 1 || spec->n_hidden > NN_MAX_HIDDEN)
            return nn_fail(err, NN_ERR_ARGUMENT,
                           "invalid number of hidden layers %d; use 1 to %d, for example "
                           "hidden=128,64", spec->n_hidden, NN_MAX_HIDDEN);
        for (int i = 0; i < spec->n_hidden; i++)
            if (spec->hidden[i] < 1 || spec->hidden[i] > NN_MAX_UNITS)
                return nn_fail(err, NN_ERR_ARGUMENT,
                               "invalid size %d of hidden layer %d; use 1 to %d units",
                               spec->hidden[i], i + 1, NN_MAX_UNITS);
        if (!(spec->dropout >= 0.0 && spec->dropout < 1.0))
            return nn_fail(err, NN_ERR_ARGUMENT,
                           "invalid dropout=%g; use a rate from 0 (no dropout) up to, but "
                           "not including, 1", spec->dropout);
        return check_hidden_activation(spec->activation, err);
    }
    return nn_fail(err, NN_ERR_ARGUMENT, "invalid model type %d; use basic, conv or mlp",
                   (int)spec->type);
}

/*** building ***/

typedef struct {
    int flatten, dense, conv2d, max_pooling2d, dropout; /* layers of each kind so far */
} layer_numbers;

/* Appends a layer reading the previous layer's output and names it. */
static nn_layer *add_layer(nn_model *model, nn_layer_kind kind, layer_numbers *numbers)
{
    nn_layer *layer = &model->layers[model->n_layers];
    const nn_layer *previous = model->n_layers ? layer - 1 : NULL;

    memset(layer, 0, sizeof *layer);
    layer->info.kind = kind;
    layer->info.activation = NN_ACT_LINEAR;
    if (previous) {
        memcpy(layer->in_shape, previous->info.output_shape, sizeof layer->in_shape);
        layer->in_size = previous->out_size;
    } else {
        layer->in_shape[0] = NN_IMAGE_SIDE;
        layer->in_shape[1] = NN_IMAGE_SIDE;
        layer->in_shape[2] = 1;
        layer->in_size = NN_IMAGE_PIXELS;
    }

    switch (kind) {
    case NN_LAYER_FLATTEN:
        snprintf(layer->name, sizeof layer->name, "flatten_Flatten%d", ++numbers->flatten);
        break;
    case NN_LAYER_DENSE:
        snprintf(layer->name, sizeof layer->name, "dense_Dense%d", ++numbers->dense);
        break;
    case NN_LAYER_CONV2D:
        snprintf(layer->name, sizeof layer->name, "conv2d_Conv2D%d", ++numbers->conv2d);
        break;
    case NN_LAYER_MAX_POOLING2D:
        snprintf(layer->name, sizeof layer->name, "max_pooling2d_MaxPooling2D%d",
                 ++numbers->max_pooling2d);
        break;
    case NN_LAYER_DROPOUT:
        snprintf(layer->name, sizeof layer->name, "dropout_Dropout%d", ++numbers->dropout);
        break;
    }
    layer->info.name = layer->name;
    model->n_layers++;
    return layer;
}

static void set_output(nn_layer *layer, int ndim, int d0, int d1, int d2)
{
    layer->info.output_ndim = ndim;
    layer->info.output_shape[0] = d0;
    layer->info.output_shape[1] = ndim > 1 ? d1 : 0;
    layer->info.output_shape[2] = ndim > 2 ? d2 : 0;
    layer->out_size = (size_t)d0 * (ndim > 1 ? (size_t)d1 : 1) * (ndim > 2 ? (size_t)d2 : 1);
}

static void add_flatten(nn_model *model, layer_numbers *numbers)
{
    nn_layer *layer = add_layer(model, NN_LAYER_FLATTEN, numbers);

    set_output(layer, 1, (int)layer->in_size, 0, 0);
}

static void add_dense(nn_model *model, layer_numbers *numbers, int units,
                      nn_activation activation)
{
    nn_layer *layer = add_layer(model, NN_LAYER_DENSE, numbers);

    layer->info.activation = activation;
    layer->units_in = (int)layer->in_size;
    layer->units_out = units;
    layer->kernel_count = (size_t)layer->units_in * (size_t)units;
    layer->bias_count = (size_t)units;
    set_output(layer, 1, units, 0, 0);
}

static void add_conv2d(nn_model *model, layer_numbers *numbers, int filters, int kernel_size)
{
    nn_layer *layer = add_layer(model, NN_LAYER_CONV2D, numbers);
    nn_conv2d_shape *conv = &layer->conv;

    layer->info.activation = NN_ACT_RELU;
    nn_conv2d_shape_init(conv, layer->in_shape[0], layer->in_shape[1], layer->in_shape[2],
                         kernel_size, filters);
    layer->kernel_count = (size_t)kernel_size * kernel_size * conv->in_c * filters;
    layer->bias_count = (size_t)filters;
    set_output(layer, 3, conv->out_h, conv->out_w, filters);
}

static void add_max_pooling2d(nn_model *model, layer_numbers *numbers)
{
    nn_layer *layer = add_layer(model, NN_LAYER_MAX_POOLING2D, numbers);

    set_output(layer, 3, layer->in_shape[0] / NN_POOL_SIZE, layer->in_shape[1] / NN_POOL_SIZE,
               layer->in_shape[2]);
}

static void add_dropout(nn_model *model, layer_numbers *numbers, double rate)
{
    nn_layer *layer = add_layer(model, NN_LAYER_DROPOUT, numbers);

    layer->rate = rate;
    memcpy(layer->info.output_shape, layer->in_shape, sizeof layer->in_shape);
    layer->info.output_ndim = layer[-1].info.output_ndim; /* dropout never comes first */
    layer->out_size = layer->in_size;
}

static void add_layers(nn_model *model, const nn_model_spec *spec)
{
    layer_numbers numbers = {0};

    switch (spec->type) {
    case NN_MODEL_BASIC:
        add_flatten(model, &numbers);
        for (int i = 0; i < spec->layers - 1; i++)
            add_dense(model, &numbers, spec->units, spec->activation);
        break;
    case NN_MODEL_CONV:
        for (int i = 0; i < 2; i++) {
            add_conv2d(model, &numbers, spec->filters[i], spec->kernel_size);
            add_max_pooling2d(model, &numbers);
        }
        add_flatten(model, &numbers);
        break;
    case NN_MODEL_MLP:
        add_flatten(model, &numbers);
        for (int i = 0; i < spec->n_hidden; i++) {
            add_dense(model, &numbers, spec->hidden[i], spec->activation);
            if (spec->dropout > 0.0)
                add_dropout(model, &numbers, spec->dropout);
        }
        break;
    }
    add_dense(model, &numbers, NN_CLASSES, NN_ACT_SOFTMAX);
}

static void add_weight_view(nn_model *model, size_t layer_index, const char *suffix,
                            const float *data, size_t count)
{
    const nn_layer *layer = &model->layers[layer_index];
    nn_weight_view *view = &model->weights[model->n_weights];
    char *name = model->weight_names[model->n_weights];
    int is_kernel = strcmp(suffix, "kernel") == 0;

    /* Two steps, because name and layer->name both live inside *model. */
    size_t length = strlen(layer->name);

    memcpy(name, layer->name, length);
    snprintf(name + length, sizeof model->weight_names[0] - length, "/%s", suffix);
    view->name = name;
    view->layer = layer_index;
    view->data = data;
    view->count = count;
    if (!is_kernel) {
        view->ndim = 1;
        view->shape[0] = (int)count;
    } else if (layer->info.kind == NN_LAYER_DENSE) {
        view->ndim = 2;
        view->shape[0] = layer->units_in;
        view->shape[1] = layer->units_out;
    } else {
        view->ndim = 4;
        view->shape[0] = layer->conv.kernel_h;
        view->shape[1] = layer->conv.kernel_w;
        view->shape[2] = layer->conv.in_c;
        view->shape[3] = layer->conv.out_c;
    }
    model->n_weights++;
}

/* Gives each weighted layer its slice of the flat parameter and gradient arrays. */
static int allocate_params(nn_model *model, nn_error *err)
{
    size_t offset = 0;

    for (size_t i = 0; i < model->n_layers; i++)
        model->n_params += model->layers[i].kernel_count + model->layers[i].bias_count;
    model->params = calloc(model->n_params, sizeof(float));
    model->grads = calloc(model->n_params, sizeof(float));
    if (!model->params || !model->grads)
        return nn_fail(err, NN_ERR_MEMORY, "out of memory for %zu weights", model->n_params);

    for (size_t i = 0; i < model->n_layers; i++) {
        nn_layer *layer = &model->layers[i];

        if (layer->kernel_count == 0)
            continue;
        layer->info.trainable = 1;
        layer->info.params = layer->kernel_count + layer->bias_count;
        layer->kernel = model->params + offset;
        layer->dkernel = model->grads + offset;
        offset += layer->kernel_count;
        layer->bias = model->params + offset;
        layer->dbias = model->grads + offset;
        offset += layer->bias_count;
        add_weight_view(model, i, "kernel", layer->kernel, layer->kernel_count);
        add_weight_view(model, i, "bias", layer->bias, layer->bias_count);
    }
    return 0;
}

/* Draws every kernel from the NN_STREAM_INIT stream in layer order; biases stay zero. */
static void initialise_weights(nn_model *model, uint64_t seed)
{
    nn_rng rng;

    nn_rng_seed(&rng, seed, NN_STREAM_INIT);
    for (size_t i = 0; i < model->n_layers; i++) {
        nn_layer *layer = &model->layers[i];

        if (layer->info.kind == NN_LAYER_DENSE)
            nn_init_glorot_uniform(&rng, layer->kernel, layer->kernel_count, layer->units_in,
                                   layer->units_out);
        else if (layer->info.kind == NN_LAYER_CONV2D)
            nn_init_truncated_normal_fan_in(&rng, layer->kernel, layer->kernel_count,
                                            layer->conv.kernel_h * layer->conv.kernel_w *
                                                layer->conv.in_c);
    }
}

nn_model *nn_model_build(const nn_model_spec *spec, uint64_t seed, nn_error *err)
{
    nn_model *model;

    if (nn_model_spec_check(spec, err) != 0)
        return NULL;
    model = calloc(1, sizeof *model);
    if (!model) {
        nn_fail(err, NN_ERR_MEMORY, "out of memory for a new model");
        return NULL;
    }
    model->spec = *spec;
    model->init_seed = seed;

    add_layers(model, spec);
    /* The input images also pass through the gradient buffers (input gradient). */
    model->max_activation = NN_IMAGE_PIXELS;
    for (size_t i = 0; i < model->n_layers; i++)
        if (model->layers[i].out_size > model->max_activation)
            model->max_activation = model->layers[i].out_size;

    if (allocate_params(model, err) != 0)
        goto err;
    initialise_weights(model, seed);
    return model;

err:
    nn_model_free(model);
    return NULL;
}

static void free_workspaces(nn_model *model)
{
    for (size_t i = 0; i < model->n_layers; i++) {
        nn_layer *layer = &model->layers[i];

        if (layer->info.kind != NN_LAYER_FLATTEN)
            free(layer->out);
        free(layer->kernel_t);
        free(layer->argmax);
        free(layer->mask);
        layer->out = layer->kernel_t = layer->mask = NULL;
        layer->argmax = NULL;
    }
    free(model->input);
    free(model->labels);
    free(model->probs);
    free(model->dlogits);
    free(model->grad_a);
    free(model->grad_b);
    model->input = model->probs = model->dlogits = model->grad_a = model->grad_b = NULL;
    model->labels = NULL;
    model->capacity = 0;
}

void nn_model_free(nn_model *model)
{
    if (!model)
        return;
    free_workspaces(model);
    free(model->params);
    free(model->grads);
    free(model->part_grads);
    free(model->opt_m);
    free(model->opt_v);
    free(model->batch_history);
    free(model->epoch_history);
    free(model);
}

int nn_model_reserve(nn_model *model, size_t n, nn_error *err)
{
    int failed = 0;

    if (n <= model->capacity)
        return 0;
    free_workspaces(model);

    model->input = malloc(n * NN_IMAGE_PIXELS * sizeof(float));
    model->labels = malloc(n);
    model->probs = malloc(n * NN_CLASSES * sizeof(float));
    model->dlogits = malloc(n * NN_CLASSES * sizeof(float));
    model->grad_a = malloc(n * model->max_activation * sizeof(float));
    model->grad_b = malloc(n * model->max_activation * sizeof(float));
    failed |= !model->input || !model->labels || !model->probs || !model->dlogits ||
              !model->grad_a || !model->grad_b;

    for (size_t i = 0; i < model->n_layers && !failed; i++) {
        nn_layer *layer = &model->layers[i];

        if (layer->info.kind == NN_LAYER_FLATTEN) {
            /* Layers are visited in order, so the previous output already exists. */
            layer->out = i > 0 ? model->layers[i - 1].out : model->input;
            continue;
        }
        layer->out = malloc(n * layer->out_size * sizeof(float));
        failed |= !layer->out;
        if (layer->info.kind == NN_LAYER_CONV2D) {
            layer->kernel_t = malloc(layer->kernel_count * sizeof(float));
            failed |= !layer->kernel_t;
        } else if (layer->info.kind == NN_LAYER_MAX_POOLING2D) {
            layer->argmax = malloc(n * layer->out_size * sizeof(int32_t));
            failed |= !layer->argmax;
        } else if (layer->info.kind == NN_LAYER_DROPOUT) {
            layer->mask = malloc(n * layer->out_size * sizeof(float));
            failed |= !layer->mask;
        }
    }
    if (failed) {
        free_workspaces(model);
        return nn_fail(err, NN_ERR_MEMORY,
                       "out of memory for the workspaces of a batch of %zu images; use a "
                       "smaller batch_size", n);
    }
    model->capacity = n;
    return 0;
}

/*** views ***/

const nn_model_spec *nn_model_get_spec(const nn_model *model)
{
    return &model->spec;
}

size_t nn_model_param_count(const nn_model *model)
{
    return model->n_params;
}

size_t nn_model_layer_count(const nn_model *model)
{
    return model->n_layers;
}

const nn_layer_info *nn_model_layer(const nn_model *model, size_t index)
{
    return index < model->n_layers ? &model->layers[index].info : NULL;
}

size_t nn_model_weight_count(const nn_model *model)
{
    return model->n_weights;
}

const nn_weight_view *nn_model_weight(const nn_model *model, size_t index)
{
    return index < model->n_weights ? &model->weights[index] : NULL;
}

long nn_model_find_weight(const nn_model *model, const char *name)
{
    for (size_t i = 0; i < model->n_weights; i++)
        if (strcmp(model->weights[i].name, name) == 0)
            return (long)i;
    return -1;
}

void nn_weight_copy_keras(const nn_model *model, size_t index, float *out)
{
    /* The engine already stores kernels in Keras order (see layers.h). */
    const nn_weight_view *view = &model->weights[index];

    memcpy(out, view->data, view->count * sizeof(float));
}

/*** history ***/

void nn_model_history(const nn_model *model, nn_history *out)
{
    out->batches = model->batch_history;
    out->n_batches = model->n_batch_history;
    out->epochs = model->epoch_history;
    out->n_epochs = model->n_epoch_history;
    out->epochs_trained = model->epochs_trained;
}

int nn_history_add_batch(nn_model *model, const nn_batch_report *report, nn_error *err)
{
    if (model->n_batch_history == model->batch_history_capacity) {
        size_t capacity = model->batch_history_capacity ? 2 * model->batch_history_capacity : 256;
        nn_batch_report *grown = realloc(model->batch_history, capacity * sizeof *grown);

        if (!grown)
            return nn_fail(err, NN_ERR_MEMORY, "out of memory for the training history");
        model->batch_history = grown;
        model->batch_history_capacity = capacity;
    }
    model->batch_history[model->n_batch_history++] = *report;
    return 0;
}

int nn_history_add_epoch(nn_model *model, const nn_epoch_report *report, nn_error *err)
{
    if (model->n_epoch_history == model->epoch_history_capacity) {
        size_t capacity = model->epoch_history_capacity ? 2 * model->epoch_history_capacity : 16;
        nn_epoch_report *grown = realloc(model->epoch_history, capacity * sizeof *grown);

        if (!grown)
            return nn_fail(err, NN_ERR_MEMORY, "out of memory for the training history");
        model->epoch_history = grown;
        model->epoch_history_capacity = capacity;
    }
    model->epoch_history[model->n_epoch_history++] = *report;
    return 0;
}
