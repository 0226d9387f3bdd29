/* model_internal.h: the layout of nn_model, shared by the engine's files (internal). */
#ifndef NN_MODEL_INTERNAL_H
#define NN_MODEL_INTERNAL_H

#include "error.h"
#include "layers.h"

#define NN_MAX_LAYERS (2 * NN_MAX_HIDDEN + 8)

typedef struct {
    nn_layer_info info;
    char name[64];
    int in_shape[3];          /* input without the batch axis, (h, w, c) */
    size_t in_size, out_size; /* floats per sample */

    int units_in, units_out;  /* dense */
    nn_conv2d_shape conv;     /* conv2d */
    double rate;              /* dropout */

    /* Weights and gradients point into the model's flat arrays; NULL without weights. */
    float *kernel, *bias, *dkernel, *dbias;
    size_t kernel_count, bias_count;

    /* Workspaces sized for the model's batch capacity, n * size per sample. out is this
     * layer's output (for flatten it aliases the input, because NHWC flattening moves no
     * data). */
    float *out;
    float *kernel_t;          /* conv2d kernel as [kh, kw, out_c, in_c], for dx */
    int32_t *argmax;          /* max_pooling2d winners */
    float *mask;              /* dropout mask of the current batch */
} nn_layer;

/* The part of an epoch trained before an interrupt, so that the next nn_train finishes it
 * with the same shuffle and batches. */
typedef struct {
    int batches_done;   /* 0 when no epoch is open */
    int batch_size;
    size_t n_train;
    uint64_t seed;
    double loss_sum, correct_sum, seconds;
    size_t samples;
} nn_open_epoch;

struct nn_model {
    nn_model_spec spec;
    uint64_t init_seed;

    nn_layer layers[NN_MAX_LAYERS];
    size_t n_layers;
    nn_weight_view weights[2 * NN_MAX_LAYERS];
    char weight_names[2 * NN_MAX_LAYERS][80];
    size_t n_weights;

    /* All weights in one array, so optimizers, NaN checks and saving loop
     * over one block. grads has the same layout. */
    float *params, *grads;
    size_t n_params;

    /* Optimizer state: velocity for momentum (in m), m and v for Adam. */
    int has_optimizer;
    nn_optimizer_kind optimizer;
    float *opt_m, *opt_v;
    long opt_step;

    /* Workspaces for up to capacity samples per pass. */
    size_t capacity;
    float *input;            /* capacity * 784 scaled pixels */
    uint8_t *labels;
    float *probs;            /* capacity * 10 */
    float *dlogits;          /* capacity * 10 */
    /* Ping-pong buffers for the gradients between layers. Part p of a batch uses the
     * slice from sample begin * max_activation, whatever the layer, so parts that are at
     * different layers never overlap. */
    float *grad_a, *grad_b;
    size_t max_activation;   /* largest per-sample activation, in floats */
    int forward_training;    /* whether the last forward pass applied dropout */

    /* Weight gradients of each batch part but the first (which uses grads), summed into
     * grads in part order after the backward pass. */
    float *part_grads;       /* (n_part_grads) * n_params */
    int n_part_grads;

    /* Training state and history. */
    long step;
    int epochs_trained;
    nn_open_epoch open_epoch;
    nn_batch_report *batch_history;
    size_t n_batch_history, batch_history_capacity;
    nn_epoch_report *epoch_history;
    size_t n_epoch_history, epoch_history_capacity;
};

/* Makes room for n samples per pass; reallocates only when n grows. */
int nn_model_reserve(nn_model *model, size_t n, nn_error *err);

/* Runs the layers on model->input[0 .. n). training enables dropout with masks drawn from
 * dropout_rng. Returns the last layer's logits (before softmax). */
const float *nn_model_forward(nn_model *model, size_t n, int training, nn_rng *dropout_rng);

/* Back-propagates dlogits (n rows of 10) through the layers, overwriting model->grads.
 * When dinput is not NULL it receives the gradient with respect to the n input images. */
int nn_model_backward(nn_model *model, size_t n, const float *dlogits, float *dinput,
                      nn_error *err);

/* Runs forward, loss and backward for the n samples in model->input and model->labels,
 * split across the engine's threads, leaving the weight gradients in model->grads, the
 * summed loss in *loss (NaN or infinite when training diverged) and the number of correct
 * predictions in *correct. Fails only when memory runs out. */
int nn_model_train_pass(nn_model *model, size_t n, nn_rng *dropout_rng, double *loss,
                        size_t *correct, nn_error *err);

/* Whether the model has no conv2d layer and at least 65,536 dense kernel weights. Such a
 * model's passes run as one part with OpenBLAS threaded (see split_pass in
 * propagation.c), and its batch loading and optimizer step are split across the
 * threads. */
int nn_model_is_large_dense(const nn_model *model);

/* Scales n images of bytes, chosen by indices, into model->input and their labels into
 * model->labels. */
void nn_model_load_batch(nn_model *model, const uint8_t *images, const uint8_t *labels,
                         const uint32_t *indices, size_t n);

/* Scores count images of the given set (chosen by indices) in batches of batch_size,
 * without dropout, filling loss, accuracy, count and the confusion matrix of out.
 * model must have room for batch_size samples. */
void nn_model_score(nn_model *model, const uint8_t *images, const uint8_t *labels,
                    const uint32_t *indices, size_t count, size_t batch_size,
                    nn_evaluation *out);

/* Appends to the model's history. */
int nn_history_add_batch(nn_model *model, const nn_batch_report *report, nn_error *err);
int nn_history_add_epoch(nn_model *model, const nn_epoch_report *report, nn_error *err);

/* Validates spec and returns 0, or fills err and returns -1. */
int nn_model_spec_check(const nn_model_spec *spec, nn_error *err);


#endif /* NN_MODEL_INTERNAL_H */
