/* inference.c: predictions, layer activations and input gradients for one image. */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* Copies image into the first input slot and runs the model without dropout. */
static const float *forward_one(nn_model *model, const float *image, nn_error *err)
{
    if (nn_model_reserve(model, 1, err) != 0)
        return NULL;
    memcpy(model->input, image, NN_IMAGE_PIXELS * sizeof(float));
    return nn_model_forward(model, 1, 0, NULL);
}

int nn_predict(nn_model *model, const float *image, float probs[NN_CLASSES], nn_error *err)
{
    const float *logits = forward_one(model, image, err);

    if (!logits)
        return -1;
    memcpy(probs, logits, NN_CLASSES * sizeof(float));
    nn_activation_forward(NN_ACT_SOFTMAX, probs, 1, NN_CLASSES);
    return 0;
}

int nn_model_activations(nn_model *model, const float *image, nn_activations *out,
                         nn_error *err)
{
    size_t n = model->n_layers;

    memset(out, 0, sizeof *out);
    if (!forward_one(model, image, err))
        return -1;

    out->values = calloc(n, sizeof *out->values);
    out->counts = calloc(n, sizeof *out->counts);
    if (!out->values || !out->counts)
        goto err;
    out->n_layers = n;
    for (size_t i = 0; i < n; i++) {
        const nn_layer *layer = &model->layers[i];

        out->counts[i] = layer->out_size;
        out->values[i] = malloc(layer->out_size * sizeof(float));
        if (!out->values[i])
            goto err;
        /* The output layer keeps logits internally, so apply softmax to report what Keras
         * would. */
        memcpy(out->values[i], layer->out, layer->out_size * sizeof(float));
        if (layer->info.activation == NN_ACT_SOFTMAX)
            nn_activation_forward(NN_ACT_SOFTMAX, out->values[i], 1, layer->out_size);
    }
    return 0;

err:
    nn_activations_free(out);
    return nn_fail(err, NN_ERR_MEMORY, "out of memory for the activations of %zu layers", n);
}

void nn_activations_free(nn_activations *acts)
{
    if (acts->values)
        for (size_t i = 0; i < acts->n_layers; i++)
            free(acts->values[i]);
    free(acts->values);
    free(acts->counts);
    memset(acts, 0, sizeof *acts);
}

int nn_input_gradient(nn_model *model, const float *image, int label, int target,
                      float *grad, nn_error *err)
{
    const float *logits;
    float *dlogits;

    if (target != NN_GRAD_LOSS && (target < 0 || target >= NN_CLASSES))
        return nn_fail(err, NN_ERR_ARGUMENT,
                       "invalid gradient target %d; use a class from 0 to %d, or the loss",
                       target, NN_CLASSES - 1);
    if (target == NN_GRAD_LOSS && (label < 0 || label >= NN_CLASSES))
        return nn_fail(err, NN_ERR_ARGUMENT,
                       "invalid label %d for the loss gradient; use a class from 0 to %d",
                       label, NN_CLASSES - 1);

    logits = forward_one(model, image, err);
    if (!logits)
        return -1;

    dlogits = model->dlogits;
    if (target == NN_GRAD_LOSS) {
        uint8_t label_byte = (uint8_t)label;

        nn_softmax_cross_entropy(logits, &label_byte, 1, NN_CLASSES, NULL, dlogits, NULL);
    } else {
        memset(dlogits, 0, NN_CLASSES * sizeof(float));
        dlogits[target] = 1.0f;
    }
    /* This overwrites the weight gradients, which only live within one training batch. */
    return nn_model_backward(model, 1, dlogits, grad, err);
}
