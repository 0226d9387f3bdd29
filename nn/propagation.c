/* propagation.c: forward and backward passes of a whole model over one batch. */
#include <string.h>

#include "model_internal.h"

void nn_model_load_batch(nn_model *model, const uint8_t *images, const uint8_t *labels,
                         const uint32_t *indices, size_t n)
{
    const float scale = 1.0f / 255.0f;

    for (size_t i = 0; i < n; i++) {
        const uint8_t *image = images + (size_t)indices[i] * NN_IMAGE_PIXELS;
        float *x = model->input + i * NN_IMAGE_PIXELS;

        for (size_t j = 0; j < NN_IMAGE_PIXELS; j++)
            x[j] = (float)image[j] * scale;
        model->labels[i] = labels[indices[i]];
    }
}

/* The activation a layer applies itself: the output layer's softmax is left to the loss,
 * so that layer keeps its logits. */
static nn_activation inner_activation(const nn_layer *layer)
{
    return layer->info.activation == NN_ACT_SOFTMAX ? NN_ACT_LINEAR : layer->info.activation;
}

const float *nn_model_forward(nn_model *model, size_t n, int training, nn_rng *dropout_rng)
{
    float *x = model->input;

    model->forward_training = training;
    for (size_t i = 0; i < model->n_layers; i++) {
        nn_layer *layer = &model->layers[i];
        size_t count = n * layer->out_size;

        switch (layer->info.kind) {
        case NN_LAYER_FLATTEN:
            layer->out = x;
            break;
        case NN_LAYER_DENSE:
            nn_dense_forward(x, n, layer->units_in, layer->units_out, layer->kernel,
                             layer->bias, inner_activation(layer), layer->out);
            break;
        case NN_LAYER_CONV2D:
            nn_conv2d_forward(&layer->conv, x, n, layer->kernel, layer->bias,
                              inner_activation(layer), layer->cols, layer->out);
            break;
        case NN_LAYER_MAX_POOLING2D:
            nn_max_pooling2d_forward(x, n, layer->in_shape[0], layer->in_shape[1],
                                     layer->in_shape[2], layer->out, layer->argmax);
            break;
        case NN_LAYER_DROPOUT:
            if (training) {
                nn_dropout_mask(dropout_rng, layer->rate, count, layer->mask);
                nn_dropout_apply(x, layer->mask, count, layer->out);
            } else {
                memcpy(layer->out, x, count * sizeof(float));
            }
            break;
        }
        x = layer->out;
    }
    return x;
}

void nn_model_backward(nn_model *model, size_t n, const float *dlogits, float *dinput)
{
    /* cur holds dL/d(output of layer i); the two scratch buffers alternate as targets.
     * dlogits is only read, because the output layer's softmax needs no backward step. */
    float *cur = (float *)dlogits;

    for (size_t i = model->n_layers; i-- > 0;) {
        nn_layer *layer = &model->layers[i];
        const float *x = i > 0 ? model->layers[i - 1].out : model->input;
        float *dx = i > 0 ? (cur == model->grad_a ? model->grad_b : model->grad_a) : dinput;
        size_t in_count = n * layer->in_size;

        switch (layer->info.kind) {
        case NN_LAYER_FLATTEN:
            /* Flattening NHWC data moves nothing, so the gradient passes through. */
            if (dx) {
                if (i > 0) {
                    dx = cur;
                } else {
                    memcpy(dx, cur, in_count * sizeof(float));
                }
            }
            break;
        case NN_LAYER_DENSE:
            nn_dense_backward(x, layer->out, cur, n, layer->units_in, layer->units_out,
                              inner_activation(layer), layer->kernel, layer->dkernel,
                              layer->dbias, dx);
            break;
        case NN_LAYER_CONV2D:
            nn_conv2d_backward(&layer->conv, layer->cols, layer->out, cur, n,
                               inner_activation(layer), layer->kernel, layer->dkernel,
                               layer->dbias, layer->dcols, dx);
            break;
        case NN_LAYER_MAX_POOLING2D:
            if (dx)
                nn_max_pooling2d_backward(cur, layer->argmax, n, layer->in_shape[0],
                                          layer->in_shape[1], layer->in_shape[2], dx);
            break;
        case NN_LAYER_DROPOUT:
            if (dx) {
                if (model->forward_training)
                    nn_dropout_apply(cur, layer->mask, in_count, dx);
                else
                    memcpy(dx, cur, in_count * sizeof(float));
            }
            break;
        }
        cur = dx;
    }
}
